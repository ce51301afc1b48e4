"""Render time and size of the HTML report for a synthetic 1,000-article story.

    /tmp/venv/bin/python benchmarks/bench_render.py [--articles 1000] [--repeat 3]

Builds a story whose articles recombine the seed story's paragraphs (a fixed
random seed, so every run reads the same text), checks it once, then times
rendering. It prints seconds and bytes for each format and the ratio against a
baseline measured in the same run: `json.dumps` of `report_data`, the cheapest
possible serialisation of the same findings. Budget: HTML under 2 s, under 5 MB.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from factcheck.model import CheckResult
from factcheck.nlp import build_pipeline
from factcheck.pipeline import check
from factcheck.report import render, report_data

REPO = Path(__file__).resolve().parent.parent
BUDGET_SECONDS, BUDGET_BYTES = 2.0, 5_000_000


def paragraphs(sources: Path) -> list[str]:
    """Body paragraphs of the seed articles (front matter dropped)."""
    out: list[str] = []
    for path in sorted(sources.glob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        out.extend(p for p in body.split("\n") if len(p.split()) > 3)
    return out


def build_story(root: Path, articles: int, seed: int = 20261123) -> Path:
    """A story folder of `articles` files, each 4-9 seed paragraphs in a shuffled order."""
    rng = random.Random(seed)
    pool = paragraphs(REPO / "sources")
    story = root / "story"
    (story / "sources").mkdir(parents=True)
    shutil.copytree(REPO / "claims", story / "claims", ignore=shutil.ignore_patterns("resolutions.yaml", ".*"))
    for i in range(articles):
        body = "\n".join(rng.sample(pool, rng.randint(4, 9)))
        (story / "sources" / f"a{i:04d}.md").write_text(
            f"---\nid: a{i:04d}\ntitle: \"Synthetic article {i}\"\n---\n{body}\n", encoding="utf-8")
    return story


def best_of(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        story = build_story(Path(tmp), args.articles)
        start = time.perf_counter()
        result: CheckResult = check(story, build_pipeline())
        print(f"check (not timed against the budget): {time.perf_counter() - start:.1f} s, "
              f"{len(result.sources)} sources, {len(result.mentions)} mentions, {len(result.findings)} findings")
        baseline = best_of(args.repeat, lambda: json.dumps(report_data(result), ensure_ascii=False))
        print(f"baseline json.dumps(report_data): {baseline:.3f} s")
        ok = True
        for fmt in ("html", "md", "json", "sarif", "junit"):
            seconds = best_of(args.repeat, lambda: render(result, fmt))
            size = len(render(result, fmt).encode("utf-8"))
            print(f"{fmt:6} {seconds:6.3f} s  {size / 1e6:6.2f} MB  ratio {seconds / baseline:5.2f}x baseline")
            if fmt == "html":
                ok = seconds < BUDGET_SECONDS and size < BUDGET_BYTES
        print("html budget (< 2 s, < 5 MB):", "met" if ok else "MISSED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
