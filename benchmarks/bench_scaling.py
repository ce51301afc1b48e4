"""Extraction time on one long line must grow linearly with its length (issue: hostile files, item 4).

For each hostile shape (a run of "$", "1 " repeated, a comma list, "one hundred and ..."),
extract a small and a 4x larger article in this process and print the time ratio: about 4
is linear, about 16 quadratic. PASS when every ratio is under 6. Times are CPU seconds of
this process, measured in the same run, so a noisy machine moves both sides alike.

    python benchmarks/bench_scaling.py [--small 2000] [--factor 4]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from factcheck.extract import extract
from factcheck.model import Source
from factcheck.nlp import build_pipeline

SHAPES = {"dollar-run": "$", "ones": "1 ", "comma-list": "1, ", "spelled": "one hundred and ", "digits": "7"}
LINEAR_LIMIT = 6.0


def seconds(nlp: object, text: str) -> float:
    source = Source("s", Path("s.txt"), "Title\n" + text + "\n")
    started = time.process_time()
    extract(source, nlp)  # type: ignore[arg-type]
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--small", type=int, default=2000, help="bytes of the small article")
    parser.add_argument("--factor", type=int, default=4, help="how much larger the large one is")
    args = parser.parse_args()
    nlp = build_pipeline()
    seconds(nlp, "warm up 1 2 3")
    failed = False
    print(f"{'shape':<12} {'small s':>8} {'large s':>8} {'ratio':>6}  (linear ~{args.factor}, quadratic ~{args.factor ** 2})")
    for name, unit in SHAPES.items():
        small = seconds(nlp, unit * (args.small // len(unit)))
        large = seconds(nlp, unit * (args.small * args.factor // len(unit)))
        ratio = large / small if small > 0 else float("inf")
        ok = ratio < LINEAR_LIMIT * args.factor / 4
        failed |= not ok
        print(f"{name:<12} {small:>8.2f} {large:>8.2f} {ratio:>6.1f}  {'PASS' if ok else 'FAIL'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
