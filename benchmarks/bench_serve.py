"""Re-check latency of `factcheck serve` after one changed article, beside a cold `factcheck check`.

    python benchmarks/bench_serve.py              # 1,000 articles
    python benchmarks/bench_serve.py --size 200

Builds a story of N articles (benchmarks/corpus.py) in a temporary folder, fills its cache
with one `factcheck check`, then, in a fresh process running a snapshot of the code:

- serve: a LiveStory (what `factcheck serve` keeps in memory) checks the story once, then one
  article is added and one edited, and each re-check is timed: the check (reading only what
  changed), and rendering the page; CPU and wall;
- cold: the same kind of change followed by `factcheck check STORY` in a new process (start-up,
  imports, the pipeline built for the one new article, the report written), CPU and wall.

The polling interval (0.5 s by default) adds up to that much wall time before a change is seen;
it is not counted here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_speed import Clock, snapshot, timed_check  # noqa: E402
from corpus import build_story  # noqa: E402

TARGET_CPU = 0.300


def measure(story: Path, n: int) -> dict[str, float]:
    from factcheck.serve import LiveStory

    live = LiveStory(story)
    clock = Clock()
    live.recheck()  # the server's first check, from the cache file
    first = clock.read()
    live.live.prepare()  # what the server's watcher does next: build the pipeline once
    out: dict[str, float] = {"first_wall": first["seconds"], "first_cpu": first["cpu"]}
    for step, change in enumerate(("added", "edited")):
        if change == "added":
            build_story(story, 1, start=n + 10)
        else:
            path = sorted((story / "sources").glob("*.md"))[0]
            path.write_text(path.read_text(encoding="utf-8") + "\nThe deal was valued at $41 billion.\n",
                            encoding="utf-8")
        clock = Clock()
        live.recheck()
        total = clock.read()
        assert not live.error, live.error
        t = live.timing
        out.update({f"{change}_wall": total["seconds"], f"{change}_cpu": total["cpu"],
                    f"{change}_check_cpu": t.check_cpu, f"{change}_render_cpu": t.render_cpu})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000, help="articles in the story")
    parser.add_argument("--measure", metavar="STORY", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.size)))
        return
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-serve-") as tmp:
        env = snapshot(Path(tmp) / "code")
        story = build_story(Path(tmp) / "story", args.size)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "factcheck.cli", "check", str(story), "--quiet"], env=env,
                       cwd=tmp, capture_output=True, check=False)  # fill the cache (exit 1: contradictions)
        print(f"factcheck serve: {args.size:,} articles, cache filled in {time.perf_counter() - started:.0f} s")
        out = subprocess.run([sys.executable, __file__, "--measure", str(story), "--size", str(args.size)],
                             capture_output=True, text=True, env=env, cwd=tmp)
        if out.returncode != 0:
            raise SystemExit(f"measurement failed:\n{out.stderr}")
        m = json.loads(out.stdout.strip().splitlines()[-1])
        build_story(story, 1, start=args.size + 20)
        cold = timed_check(story, env)
    print(f"  serve, first check (from the cache file): {m['first_wall']:.2f} s wall, {m['first_cpu']:.2f} s CPU")
    for change in ("added", "edited"):
        print(f"  serve, one article {change}: {m[f'{change}_wall']:.3f} s wall, {m[f'{change}_cpu']:.3f} s CPU "
              f"(check {m[f'{change}_check_cpu']:.3f}, page {m[f'{change}_render_cpu']:.3f})")
    print(f"  cold process `factcheck check`, one article added: {cold.wall:.2f} s wall, {cold.cpu:.2f} s CPU")
    ratio = cold.cpu / m["added_cpu"] if m["added_cpu"] else float("inf")
    print(f"  serve / cold: {m['added_cpu']:.3f} / {cold.cpu:.2f} s CPU = 1/{ratio:.1f}")
    verdict = "PASS" if m["added_cpu"] < TARGET_CPU else "FAIL"
    print(f"{verdict}  one changed article re-checked and the page rendered in < {TARGET_CPU * 1000:.0f} ms CPU: "
          f"{m['added_cpu'] * 1000:.0f} ms")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
