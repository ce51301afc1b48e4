"""Fuzz the figure extractor for a bounded time and report executions per second and any crash.

    /tmp/venv/bin/python benchmarks/fuzz_extract.py [--seconds 60] [--engine auto|atheris|hypothesis]

With atheris installed (`pip install atheris`) it runs coverage-guided libFuzzer over the
extractor, seeded with the story's articles and the extraction test cases; otherwise it
generates articles with hypothesis (arbitrary Unicode mixed with figure-like phrases).
Each input is decoded as UTF-8 (bad bytes replaced), read as one article with the seed
catalogue, and checked for invariants: no exception, every span inside the text, its
text equal to that slice. A crash prints the input's repr, saves it under --crash-dir,
and exits 1; a clean run exits 0.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FRAGMENTS = [
    "$1.25 billion", "per month", "a year", "about", "over", "more than", "up to", "nearly", "€40bn",
    "100,000 GPUs", "200,000", "300 MW", "1.2 GW", "5 GWh", "12%", "percent", "May 2026", "earlier this month",
    "by 2027", "for three years", "36 months", "will", "plans to", "not", "a cool billion", "multi-billion dollar",
    "Claude 3", "H100s", "Grok chips", "twelve", "half", "1.5-2 million", "between 3 and 4", "hundreds of",
    "$0", "-", "(", ")", "\n", ". ", ", ", " ",
]


def seed_texts() -> list[str]:
    """Real articles and the extraction cases: a corpus of the shapes the extractor must handle."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "sources").glob("*.md"))]
    cases = REPO / "tests" / "cases" / "figures.yaml"
    if cases.exists():
        from factcheck.yamlfile import load_yaml

        texts += [c["text"] for c in load_yaml(cases.read_text(encoding="utf-8"), cases).data or []
                  if isinstance(c, dict) and isinstance(c.get("text"), str)]
    return texts


def make_target() -> Callable[[str], None]:
    """One article in, mentions checked; raises on any broken invariant."""
    from factcheck.catalog import load_catalog
    from factcheck.extract import extract
    from factcheck.model import Source
    from factcheck.nlp import build_pipeline
    from factcheck.sources import line_starts

    nlp = build_pipeline()
    catalog = load_catalog(REPO)  # entity aliases too

    def target(text: str) -> None:
        source = Source(id="fuzz", path=Path("fuzz.txt"), text=text, line_starts=line_starts(text))
        result = extract(source, nlp, catalog)
        for m in result.mentions:
            if not 0 <= m.start <= m.end <= len(text):
                raise AssertionError(f"mention span {m.start}:{m.end} outside a text of {len(text)} characters")
            if text[m.start:m.end] != m.text:
                raise AssertionError(f"mention text {m.text!r} is not the slice {text[m.start:m.end]!r}")
            source.line_of(m.start)
        for d in result.dropped:
            if not 0 <= d.start <= d.end <= len(text):
                raise AssertionError(f"dropped span {d.start}:{d.end} outside the text")
    return target


def report_crash(text: str, crash_dir: Path) -> None:
    crash_dir.mkdir(parents=True, exist_ok=True)
    path = crash_dir / f"crash-{abs(hash(text)):016x}.txt"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    traceback.print_exc()
    print(f"CRASH on input {text!r}\nsaved to {path}", flush=True)


def run_atheris(seconds: float, crash_dir: Path, max_len: int) -> int:
    import atheris

    with atheris.instrument_imports(include=["factcheck"]):
        target = make_target()
    corpus = Path(tempfile.mkdtemp(prefix="factcheck-fuzz-"))
    for i, text in enumerate(seed_texts()):
        (corpus / f"seed-{i:03d}").write_bytes(text.encode("utf-8")[:max_len])
    state: dict[str, float] = {"runs": 0, "start": time.monotonic()}

    def one_input(data: bytes) -> None:
        elapsed = time.monotonic() - state["start"]
        if elapsed >= seconds:
            print_rate("atheris", state["runs"], elapsed)
            shutil.rmtree(corpus, ignore_errors=True)
            os._exit(0)  # libFuzzer would otherwise skip Python's exit handlers; nothing is left to flush
        state["runs"] += 1
        text = data.decode("utf-8", "replace")
        try:
            target(text)
        except Exception:
            report_crash(text, crash_dir)
            print_rate("atheris", state["runs"], time.monotonic() - state["start"])
            shutil.rmtree(corpus, ignore_errors=True)
            os._exit(1)

    atheris.Setup([sys.argv[0], str(corpus), f"-max_len={max_len}", "-print_final_stats=0"], one_input)
    state["start"] = time.monotonic()
    atheris.Fuzz()
    return 0  # pragma: no cover - Fuzz() does not return


def run_hypothesis(seconds: float, crash_dir: Path) -> int:
    from hypothesis import HealthCheck, Phase, given, settings, strategies as st

    target = make_target()
    seeds = seed_texts()
    articles = st.one_of(
        st.lists(st.one_of(st.text(max_size=80), st.sampled_from(FRAGMENTS)), max_size=40).map("".join),
        st.sampled_from(seeds),
        st.tuples(st.sampled_from(seeds), st.integers(0, 5000), st.text(max_size=20))
        .map(lambda t: t[0][:t[1]] + t[2] + t[0][t[1]:]),
    )
    state: dict[str, float] = {"runs": 0, "start": time.monotonic()}

    class TimeUp(Exception):
        pass

    @settings(max_examples=10**9, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(articles)
    def fuzz(text: str) -> None:
        if time.monotonic() - state["start"] >= seconds:
            raise TimeUp
        state["runs"] += 1
        try:
            target(text)
        except Exception:
            report_crash(text, crash_dir)
            raise

    state["start"] = time.monotonic()
    try:
        fuzz()
    except TimeUp:
        print_rate("hypothesis", state["runs"], time.monotonic() - state["start"])
        return 0
    except Exception:
        print_rate("hypothesis", state["runs"], time.monotonic() - state["start"])
        return 1
    print_rate("hypothesis", state["runs"], time.monotonic() - state["start"])
    return 0


def print_rate(engine: str, runs: float, elapsed: float) -> None:
    print(f"{engine}: {runs:.0f} executions in {elapsed:.1f} s = {runs / max(elapsed, 1e-9):.0f} executions/second",
          flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long to fuzz (default 60)")
    parser.add_argument("--engine", choices=["auto", "atheris", "hypothesis"], default="auto")
    parser.add_argument("--max-len", type=int, default=4096, help="longest input for atheris, in bytes")
    parser.add_argument("--crash-dir", type=Path, default=Path("fuzz-crashes"), help="where crashing inputs go")
    args = parser.parse_args()
    engine = args.engine
    if engine == "auto":
        try:
            import atheris  # noqa: F401
            engine = "atheris"
        except ImportError:
            engine = "hypothesis"
    if engine == "atheris":
        return run_atheris(args.seconds, args.crash_dir, args.max_len)
    return run_hypothesis(args.seconds, args.crash_dir)


if __name__ == "__main__":
    sys.exit(main())
