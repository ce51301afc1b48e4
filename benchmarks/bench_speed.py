"""Speed of `factcheck check` on stories of 100 to 10,000 articles, against two baselines run alongside.

    python benchmarks/bench_speed.py --sizes 100,1000,10000
    python benchmarks/bench_speed.py --quick            # N = 100, 1000: a smoke run

For each N it builds a story of N articles (benchmarks/corpus.py: seed paragraphs
recombined, figures perturbed) in a temporary folder and measures, each in a fresh
process so memory and caches do not leak between measurements:

- cold: `pipeline.check` with an empty cache (the time of check() itself, after
  spaCy is imported and the pipeline built); peak RSS of that process;
- warm: one article added, then `factcheck check STORY` as a subprocess, wall
  time including process start and the HTML report (and the same with no change);
- floor: spaCy's blank English tokenizer alone over the same bodies
  (`spacy.blank("en").pipe(texts)`): nothing rule-based can beat it;
- quantulum3 over the raw bodies; on a sample of articles when N is large, its
  throughput extrapolated (the output says so).

Then it prints articles per second, ratios against both baselines, and PASS/FAIL
per target. Speed is judged here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import REPO, article_bodies, build_story  # noqa: E402

QUANTULUM_SAMPLE = 100
GIB = 1024 ** 3


# ---------------------------------------------------------------- measurements (each in its own process)

def _peak_rss() -> int:
    """Peak resident memory of this process in bytes (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


class Clock:
    """Wall and CPU time (this process and its finished children) since creation."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self._cpu()

    @staticmethod
    def _cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    def read(self) -> dict[str, float]:
        return {"seconds": time.perf_counter() - self.wall, "cpu": self._cpu() - self.cpu}


def measure_cold(story: Path, jobs: int) -> dict[str, float]:
    from factcheck.nlp import build_pipeline
    from factcheck.pipeline import Settings, check

    nlp = build_pipeline()
    clock = Clock()
    result = check(story, nlp, Settings(jobs=jobs, cache=True))
    times = clock.read()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return {**times, "articles": len(result.sources), "mentions": len(result.mentions),
            "findings": len(result.findings), "peak": max(_peak_rss(), children)}


def measure_floor(story: Path) -> dict[str, float]:
    import spacy

    texts = article_bodies(story)
    nlp = spacy.blank("en")
    clock = Clock()
    tokens = sum(len(doc) for doc in nlp.pipe(texts))
    return {**clock.read(), "articles": len(texts), "tokens": tokens}


def measure_quantulum(story: Path, sample: int) -> dict[str, float]:
    import warnings

    warnings.filterwarnings("ignore")
    from quantulum3 import parser

    texts = article_bodies(story)
    picked = random.Random(0).sample(texts, min(sample, len(texts)))
    parser.parse("warm up 5 km")  # load its tables outside the timing
    clock = Clock()
    found = sum(len(parser.parse(text)) for text in picked)
    return {**clock.read(), "articles": len(picked), "quantities": found}


def snapshot(folder: Path) -> dict[str, str]:
    """Copy the package and templates, so edits made while the benchmark runs do not change what it measures.

    The extraction cache is keyed by the extractor's code: an edit mid-run would
    turn a warm check into a cold one. Returns the environment that runs the copy.
    """
    shutil.copytree(REPO / "factcheck", folder / "factcheck", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "templates", folder / "templates")
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), os.environ.get("PYTHONPATH", "")])}


def run_measure(kind: str, story: Path, extra: list[str], env: dict[str, str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--measure", kind, str(story), *extra],
                         capture_output=True, text=True, check=False, env=env)
    if out.returncode != 0:
        raise SystemExit(f"{kind} measurement failed:\n{out.stderr}")
    data: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def timed_check(story: Path, env: dict[str, str], *options: str) -> Time:
    """Time of `factcheck check STORY` in a new process (start-up, imports and report included)."""
    clock = Clock()
    # What the console script runs; `-m` so that the snapshot on PYTHONPATH is the code measured.
    # cwd outside the checkout: `-m` puts the working directory first on sys.path, ahead of the snapshot,
    # and a checkout others are editing would key the cache differently from the cold run.
    out = subprocess.run([sys.executable, "-m", "factcheck.cli", "check", str(story), "--quiet", *options],
                         capture_output=True, text=True, env=env, cwd=story.parent)
    if out.returncode not in (0, 1):
        raise SystemExit(f"factcheck check failed ({out.returncode}):\n{out.stderr}")
    return Time.of(clock.read())


# ---------------------------------------------------------------- one size

@dataclass(frozen=True)
class Time:
    wall: float = 0.0
    cpu: float = 0.0

    @staticmethod
    def of(measured: dict[str, float]) -> Time:
        return Time(measured["seconds"], measured["cpu"])

    def on(self, clock: str) -> float:
        return self.wall if clock == "wall" else self.cpu


@dataclass
class Row:
    n: int
    cold: Time = Time()
    floor: Time = Time()
    quantulum: Time = Time()
    quantulum_sampled: int = 0
    warm: Time = Time()
    warm_no_html: Time = Time()
    unchanged: Time = Time()
    peak: float = 0.0
    mentions: int = 0

    def rate(self, clock: str = "wall") -> float:
        return self.n / self.cold.on(clock)

    def quantulum_rate(self, clock: str = "wall") -> float:
        return self.quantulum_sampled / self.quantulum.on(clock)


def bench_size(n: int, root: Path, jobs: int, sample: int, warm: bool, env: dict[str, str]) -> Row:
    story = build_story(root / f"story-{n}", n)
    row = Row(n)
    row.floor = Time.of(run_measure("floor", story, [], env))
    q = run_measure("quantulum", story, ["--sample", str(sample)], env)
    row.quantulum, row.quantulum_sampled = Time.of(q), int(q["articles"])
    cold = run_measure("cold", story, ["--jobs", str(jobs)], env)
    row.cold, row.peak, row.mentions = Time.of(cold), cold["peak"], int(cold["mentions"])
    if warm:
        row.unchanged = timed_check(story, env)
        build_story(story, 1, start=n)  # one new article, the editor's daily step
        row.warm = timed_check(story, env)
        build_story(story, 1, start=n + 1)  # and another, checked without writing the HTML report
        row.warm_no_html = timed_check(story, env, "--no-html")
    shutil.rmtree(story)
    return row


# ---------------------------------------------------------------- report

def _t(t: Time) -> str:
    return f"{t.wall:.2f} ({t.cpu:.2f})" if t.wall else "-"


def table(rows: list[Row]) -> str:
    head = ("articles", "cold s (cpu)", "art/s", "floor s (cpu)", "cold/floor", "quantulum art/s", "x quantulum",
            "warm +1 s (cpu)", "+1 no-html s (cpu)", "warm same s (cpu)", "peak MB", "mentions")
    lines = [head]
    for r in rows:
        q = f"{r.quantulum_rate():.1f}" + ("*" if r.quantulum_sampled < r.n else "")
        lines.append((f"{r.n:,}", _t(r.cold), f"{r.rate():.1f}", _t(r.floor), f"{r.cold.wall / r.floor.wall:.2f}x",
                      q, f"{r.rate() / r.quantulum_rate():.1f}x", _t(r.warm), _t(r.warm_no_html), _t(r.unchanged),
                      f"{r.peak / 2**20:.0f}", f"{r.mentions:,}"))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.rjust(w) for c, w in zip(line, widths)) for line in lines)


def targets(rows: list[Row], clock: str) -> list[tuple[str, bool | None, str]]:
    """(target, passed or None when not measured, measured value), on wall or CPU time."""
    by_n = {r.n: r for r in rows}
    k1, k10 = by_n.get(1000), by_n.get(10000)
    out: list[tuple[str, bool | None, str]] = []
    if k1:
        rate = k1.rate(clock)
        out.append(("cold >= 60 articles/s on 1,000 articles", rate >= 60, f"{rate:.1f} articles/s"))
        ratio = rate / k1.quantulum_rate(clock)
        out.append(("cold >= 20x quantulum3 throughput (1,000)", ratio >= 20, f"{ratio:.1f}x"))
        floor = k1.cold.on(clock) / k1.floor.on(clock)
        out.append(("cold within 3x the blank-tokenizer floor (1,000)", floor <= 3, f"{floor:.2f}x the floor"))
        warm = k1.warm.on(clock)
        out.append(("warm: +1 article to 1,000, re-check < 2 s (process start included)",
                    warm < 2 if warm else None, f"{warm:.2f} s" if warm else "not run"))
    else:
        out.append(("1,000-article targets", None, "size 1000 not run"))
    if k1 and k10:
        scale = k10.cold.on(clock) / k1.cold.on(clock)
        out.append(("10,000 articles take <= 12x the 1,000 time", scale <= 12, f"{scale:.2f}x"))
    else:
        out.append(("10,000 articles take <= 12x the 1,000 time", None, "sizes 1000 and 10000 not both run"))
    peak = max(rows, key=lambda r: r.peak)
    out.append(("peak memory < 1 GB (largest run)", peak.peak < GIB, f"{peak.peak / 2**20:.0f} MB at {peak.n:,}"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated story sizes")
    parser.add_argument("--quick", action="store_true", help="sizes 100 and 1000 only")
    parser.add_argument("--jobs", type=int, default=0,
                        help="extraction processes for the cold check (0: the tool's default, one per CPU for big stories)")
    parser.add_argument("--quantulum-sample", type=int, default=QUANTULUM_SAMPLE,
                        help="articles quantulum3 reads per size (its throughput is extrapolated)")
    parser.add_argument("--no-warm", action="store_true", help="skip the warm (subprocess) checks")
    parser.add_argument("--measure", nargs=2, metavar=("KIND", "STORY"), help=argparse.SUPPRESS)
    parser.add_argument("--sample", type=int, default=QUANTULUM_SAMPLE, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.measure:
        kind, story = args.measure[0], Path(args.measure[1])
        result = {"cold": lambda: measure_cold(story, args.jobs), "floor": lambda: measure_floor(story),
                  "quantulum": lambda: measure_quantulum(story, args.sample)}[kind]()
        print(json.dumps(result))
        return

    sizes = [100, 1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"factcheck speed: sizes {sizes}, jobs {args.jobs}, {os.cpu_count()} CPUs, load average {load}, "
          f"Python {sys.version.split()[0]}")
    rows = []
    with tempfile.TemporaryDirectory(prefix="factcheck-bench-") as tmp:
        env = snapshot(Path(tmp) / "code")
        for n in sizes:
            started = time.perf_counter()
            rows.append(bench_size(n, Path(tmp), args.jobs, args.quantulum_sample, not args.no_warm, env))
            print(f"  {n:,} articles measured in {time.perf_counter() - started:.0f} s", flush=True)
    print()
    print(table(rows))
    if any(r.quantulum_sampled < r.n for r in rows):
        print(f"* quantulum3 read a random sample of {args.quantulum_sample} articles; its rate is extrapolated")
    print("cold: check() with an empty cache, after import; floor: spacy.blank('en').pipe over the same bodies;")
    print("warm: `factcheck check` in a new process with the cache filled (+1: one article added, report.html")
    print("      written; +1 no-html: another added, --no-html; same: nothing changed)")
    print("seconds are wall time, CPU time (user + sys, children included) in brackets")
    load_end = os.getloadavg()
    print(f"load average at the end: {', '.join(f'{x:.1f}' for x in load_end)}")
    print()
    wall, cpu = targets(rows, "wall"), targets(rows, "cpu")
    for (name, passed, value), (_, cpu_passed, cpu_value) in zip(wall, cpu):
        verdict = "SKIP" if passed is None else "PASS" if passed else "FAIL"
        also = "" if cpu_value == value else f"  [on CPU time: {'PASS' if cpu_passed else 'FAIL'}, {cpu_value}]"
        print(f"{verdict}  {name}: {value}{also}")
    if load_end[0] > (os.cpu_count() or 1):
        print("note: the machine was busy (load above its CPU count): wall times are inflated; the CPU-time verdicts"
              " show what an idle machine would see")
    sys.exit(1 if any(p is False for _, p, _ in wall) else 0)


if __name__ == "__main__":
    main()
