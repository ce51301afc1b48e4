"""Score factcheck's figure extractor side by side with quantulum3 on public peer test suites.

    python benchmarks/bench_peer.py [--peer-dir ../shared/peer] [--limit N]

Reads the Recognizers-Text English suites and quantulum3's own tests from the shared
peer folder (never copied into the repository), maps every expected result to
factcheck's kinds (peer_cases.py), runs both tools on the same in-scope cases in the
same run, and prints precision / recall / F1 per file and per kind, both throughputs,
and factcheck's most common misses. Cases neither tool is meant to handle are listed
as out of scope with counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import peer_cases as pc  # noqa: E402  (the benchmarks folder is no package)
from peer_cases import Case, Counts, Expected, Outcome, Prediction, Reading  # noqa: E402

RT_FILES = (
    ("NumberModel", "recognizers-text/Number/English/NumberModel.json"),
    ("NumberRangeModel", "recognizers-text/Number/English/NumberRangeModel.json"),
    ("OrdinalModel", "recognizers-text/Number/English/OrdinalModel.json"),
    ("PercentModel", "recognizers-text/Number/English/PercentModel.json"),
    ("CurrencyModel", "recognizers-text/NumberWithUnit/English/CurrencyModel.json"),
    ("DimensionModel", "recognizers-text/NumberWithUnit/English/DimensionModel.json"),
    ("AgeModel", "recognizers-text/NumberWithUnit/English/AgeModel.json"),
    ("TemperatureModel", "recognizers-text/NumberWithUnit/English/TemperatureModel.json"),
    ("DateExtractor", "recognizers-text/DateTime/English/DateExtractor.json"),
    ("DateTimeModel", "recognizers-text/DateTime/English/DateTimeModel.json"),
)
Q3_FILES = (
    ("q3:quantities", "quantulum3/quantities.json"),
    ("q3:quantities.ambiguity", "quantulum3/quantities.ambiguity.json"),
)
ERRORS_FILE = "quantulum3/errors.json"
DEFAULT_PEER_DIR = Path(__file__).resolve().parent.parent.parent / "shared" / "peer"

# factcheck's kinds -> the benchmark's: power and energy are dimensions like any other.
FACTCHECK_KINDS = {"money": pc.MONEY, "percent": pc.PERCENT, "power": pc.QUANTITY, "energy": pc.QUANTITY,
                   "quantity": pc.QUANTITY, "count": pc.COUNT, "date": pc.DATE, "duration": pc.DURATION}
TOOLS = ("factcheck", "quantulum3")
TOP_MISSES = 15


# ---------------------------------------------------------------- loading

def load_cases(peer_dir: Path, limit: int | None = None) -> list[Case]:
    """Every case of every suite; `limit` keeps the first N of each file."""
    cases: list[Case] = []
    for suite, rel in RT_FILES:
        # DateTimeModel.json starts with a BOM; utf-8-sig reads the others unchanged.
        data = json.loads((peer_dir / rel).read_text(encoding="utf-8-sig"))
        cases += pc.rt_cases(suite, data[:limit])
    for suite, rel in Q3_FILES:
        data = json.loads((peer_dir / rel).read_text(encoding="utf-8"))
        cases += pc.q3_cases(suite, data[:limit])
    return cases


# ---------------------------------------------------------------- tool adapters

def _f(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _with_midpoint(low: float | None, high: float | None, unit: str, factor: float = 1.0) -> list[Reading]:
    """A range as itself and as its midpoint (quantulum3 states "44 to 50 mg" as 47)."""
    if low is None:
        return [Reading(None, None, unit)]
    if high is None:
        return [Reading(low * factor, None, unit)]
    return [Reading(low * factor, high * factor, unit), Reading((low + high) / 2 * factor, None, unit)]


def factcheck_predictions(mentions: Iterable[Any]) -> list[Prediction]:
    """factcheck Mentions (kind, value, unit, high, offsets) as benchmark predictions; entities are skipped."""
    predictions = []
    for m in mentions:
        kind = FACTCHECK_KINDS.get(str(m.kind))
        if kind is None:
            continue
        low, high = (_f(m.value), _f(m.high)) if not isinstance(m.value, str) else (None, None)
        readings: list[Reading] = []
        if kind == pc.MONEY:
            readings = _with_midpoint(low, high, m.unit)
        elif kind in (pc.PERCENT, pc.COUNT):
            readings = _with_midpoint(low, high, "")
        elif kind == pc.QUANTITY:
            for dim, factor in pc.unit_factors(pc.FACTCHECK_UNITS.get(m.unit, m.unit)):
                readings += _with_midpoint(low, high, dim, factor)
        elif kind == pc.DURATION:
            seconds = pc.time_unit_seconds(m.unit)
            readings = _with_midpoint(low, high, "s", seconds) if seconds else [Reading(unit=f"<{m.unit}>")]
        elif kind == pc.DATE:
            # "2026-05 (early)": the part of the period is a qualifier, not another date.
            text = m.value if isinstance(m.value, str) else "<vague>"
            readings = [Reading(unit=re.sub(r"\s*\(.*\)$", "", text))]
        predictions.append(Prediction(m.start, m.end, m.text, kind, tuple(readings)))
    return predictions


def quantulum_predictions(quantities: Iterable[Any]) -> list[Prediction]:
    """quantulum3 Quantities (span, value, unit, uncertainty) as benchmark predictions."""
    predictions = []
    for q in quantities:
        start, end = q.span
        kind, readings = pc.q3_kind_readings(q.unit.name, float(q.value), q.unit.entity.name,
                                             q.unit.currency_code or "", q.uncertainty)
        predictions.append(Prediction(start, end, q.surface, kind, readings))
    return predictions


@dataclass
class ToolRun:
    """What one tool produced on every case, how long it took, and what it raised (filled in as it runs)."""

    name: str
    predictions: dict[tuple[str, int], list[Prediction]] = field(default_factory=dict)
    dropped: dict[tuple[str, int], list[Any]] = field(default_factory=dict)
    seconds: float = 0.0
    cases: int = 0
    chars: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)


def _guarded(run: ToolRun, suite: str, text: str, call: Callable[[], Any]) -> Any:
    """Call a tool on one input; an exception is counted, never fatal."""
    try:
        return call()
    except Exception as exc:  # noqa: BLE001  (a peer's bug must not end the benchmark)
        run.errors[suite] += 1
        if len(run.error_samples) < 5:
            run.error_samples.append(f"{suite}: {type(exc).__name__}: {exc} <- {text[:80]!r}")
        return None


Parse = Callable[[str, Any], Any]  # (text, reference date) -> the tool's raw output


def factcheck_tool() -> tuple[Parse, Callable[[Any], list[Prediction]]]:
    """factcheck's extract stage on one text, built once, and how to read its output."""
    from factcheck.extract import extract
    from factcheck.model import Source
    from factcheck.nlp import build_pipeline
    from factcheck.sources import line_starts

    nlp = build_pipeline()

    def parse(text: str, reference: Any) -> Any:
        source = Source(id="case", path=Path("case.txt"), text=text, line_starts=line_starts(text),
                        published=reference)
        return extract(source, nlp)

    return parse, lambda extraction: factcheck_predictions(extraction.mentions)


def quantulum_tool() -> tuple[Parse, Callable[[Any], list[Prediction]]]:
    with warnings.catch_warnings():
        # "classifier dependencies not installed" (reported in the header), and scikit-learn's
        # version notice when the first parse loads the pickled classifier.
        warnings.simplefilter("ignore")
        from quantulum3 import parser
        parser.parse("Warm-up: $5 million and 3 km.")
    return lambda text, _reference: parser.parse(text), quantulum_predictions


def run_tool(name: str, parse: Parse, read: Callable[[Any], list[Prediction]], cases: Sequence[Case],
             robustness: Sequence[str]) -> ToolRun:
    """One pass over every case: predictions, exceptions and the time spent in the tool."""
    run = ToolRun(name)
    parse("Warm-up: $5 million on 1 May 2020, 3 km away.", None)
    for case in cases:
        t0 = time.perf_counter()
        output = _guarded(run, case.suite, case.text, lambda: parse(case.text, case.reference))
        run.seconds += time.perf_counter() - t0
        run.cases += 1
        run.chars += len(case.text)
        if output is not None:
            run.predictions[(case.suite, case.index)] = _guarded(run, case.suite, case.text, lambda: read(output)) or []
            if name == "factcheck":
                run.dropped[(case.suite, case.index)] = list(output.dropped)
    for text in robustness:
        _guarded(run, "errors.json", text, lambda: parse(text, None))
    return run


def time_round(parse: Parse, cases: Sequence[Case]) -> float:
    """Seconds one tool spends on every case (exceptions were counted in the first pass)."""
    seconds = 0.0
    for case in cases:
        t0 = time.perf_counter()
        try:
            parse(case.text, case.reference)
        except Exception:  # noqa: BLE001
            pass
        seconds += time.perf_counter() - t0
    return seconds


def run_both(cases: Sequence[Case], robustness: Sequence[str], repeat: int) -> tuple[ToolRun, ToolRun]:
    """Both tools on the same cases; extra rounds alternate the tools and keep each one's fastest time,
    so a busy machine slows neither more than the other."""
    fc_parse, fc_read = factcheck_tool()
    q3_parse, q3_read = quantulum_tool()
    fc = run_tool("factcheck", fc_parse, fc_read, cases, robustness)
    q3 = run_tool("quantulum3", q3_parse, q3_read, cases, robustness)
    for _ in range(repeat - 1):
        fc.seconds = min(fc.seconds, time_round(fc_parse, cases))
        q3.seconds = min(q3.seconds, time_round(q3_parse, cases))
    return fc, q3


def quantulum_description() -> str:
    from importlib.metadata import version

    from quantulum3 import classifier

    return f"quantulum3 {version('quantulum3')} (unit classifier {'on' if classifier.USE_CLF else 'off'})"


# ---------------------------------------------------------------- scoring and tables

Key = tuple[str, str, str]  # tier, suite, kind


def tally(cases: Sequence[Case], run: ToolRun, check_value: bool) -> dict[Key, Counts]:
    """Counts per (tier, suite, kind); a case the tool crashed on scores as no predictions."""
    totals: dict[Key, Counts] = {}
    for case in cases:
        outcome = pc.match(case, run.predictions.get((case.suite, case.index), []), check_value)
        for kind, counts in pc.counts_by_kind(outcome).items():
            key = (case.tier, case.suite, kind)
            totals[key] = totals.get(key, Counts()) + counts
    return totals


def _fmt(x: float | None) -> str:
    return "   — " if x is None else f"{x:5.2f}"


def _row(counts: Sequence[Counts], spans: Sequence[Counts]) -> str:
    cells = []
    for c, s in zip(counts, spans):
        cells.append(f"{c.tp:4d} {c.fp:4d} {c.fn:4d} {_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)}  {_fmt(s.f1)}")
    return " | ".join(cells)


def score_tables(cases: Sequence[Case], runs: Sequence[ToolRun]) -> list[str]:
    """P/R/F1 per suite and kind, then per kind over all suites, for each tier; both tools side by side."""
    strict = [tally(cases, run, True) for run in runs]
    loose = [tally(cases, run, False) for run in runs]
    header = (f"{'suite':<24} {'kind':<9} {'exp':>4} | "
              + " | ".join(f"{name + ': tp   fp   fn     P     R    F1  spanF1':<46}" for name in TOOLS))
    lines: list[str] = []
    for tier in (pc.CORE, pc.STRETCH):
        tier_cases = [c for c in cases if c.tier == tier]
        if not tier_cases:
            continue
        title = ("CORE: all scored cases (peer suites: those every Recognizers-Text platform passes)" if tier == pc.CORE
                 else "STRETCH: cases marked NotSupported / NotSupportedByDesign "
                      "(some Recognizers-Text platform fails)")
        lines += ["", f"== {title} ({len(tier_cases)} scored cases) ==", header, "-" * len(header)]
        order = [s for s, _ in RT_FILES + Q3_FILES]
        keys = sorted({k for t in strict + loose for k in t if k[0] == tier},
                      key=lambda k: (order.index(k[1]) if k[1] in order else len(order), k[1], pc.KINDS.index(k[2])))
        for key in keys:
            counts = [t.get(key, Counts()) for t in strict]
            spans = [t.get(key, Counts()) for t in loose]
            expected = counts[0].tp + counts[0].fn
            lines.append(f"{key[1]:<24} {key[2]:<9} {expected:4d} | {_row(counts, spans)}")
        lines.append("-" * len(header))
        # quantulum3 reads no dates, so "ALL but date" is the like-for-like total.
        groups: list[tuple[str, tuple[str, ...]]] = [(kind, (kind,)) for kind in pc.KINDS]
        groups += [("ALL", pc.KINDS), ("ALL-date", tuple(k for k in pc.KINDS if k != pc.DATE))]
        for label, kinds in groups:
            def total(t: dict[Key, Counts]) -> Counts:
                return sum((v for k, v in t.items() if k[0] == tier and k[2] in kinds), Counts())
            counts = [total(t) for t in strict]
            spans = [total(t) for t in loose]
            expected = counts[0].tp + counts[0].fn
            if expected or counts[0].fp or counts[1].fp:
                lines.append(f"{'all suites':<24} {label:<9} {expected:4d} | {_row(counts, spans)}")
    lines += ["", "tp/fp/fn/P/R/F1: span overlaps, same kind, value equal (rel. 1e-6; money: same currency).",
              "spanF1: the same without the value check (found the figure, read it wrong).",
              "quantity = factcheck's power, energy and quantity kinds, compared in SI base units;"
              " count = a number with a counted noun."]
    return lines


def out_of_scope_table(cases: Sequence[Case]) -> list[str]:
    """Cases not run, and results inside scored cases that are not judged, with their reasons."""
    skipped = Counter((c.suite, c.out_of_scope) for c in cases if c.out_of_scope)
    skipped_results = Counter((c.suite, c.out_of_scope) for c in cases if c.out_of_scope for _ in c.expected)
    inner = Counter((c.suite, e.out_of_scope) for c in cases if not c.out_of_scope
                    for e in c.expected if e.out_of_scope)
    lines = ["", "== OUT OF SCOPE (neither tool scored) ==",
             f"{'suite':<24} {'reason':<34} {'cases':>6} {'results':>8}"]
    for (suite, reason), n in sorted(skipped.items()):
        lines.append(f"{suite:<24} {reason:<34} {n:6d} {skipped_results[(suite, reason)]:8d}")
    lines.append(f"{'total':<24} {'':<34} {sum(skipped.values()):6d} {sum(skipped_results.values()):8d}")
    if inner:
        lines += ["", "Results not judged inside scored cases (predictions overlapping them are ignored):"]
        for (suite, reason), n in sorted(inner.items()):
            lines.append(f"{suite:<24} {reason:<34} {'':6} {n:8d}")
    return lines


def throughput_lines(runs: Sequence[ToolRun]) -> list[str]:
    lines = ["", "== THROUGHPUT (same scored cases, one call per case, same run; fastest of the rounds) =="]
    rates = []
    for run in runs:
        cps = run.cases / run.seconds if run.seconds else 0.0
        chars = run.chars / run.seconds if run.seconds else 0.0
        rates.append(cps)
        lines.append(f"{run.name:<11} {run.cases:5d} cases {run.chars:7d} chars in {run.seconds:7.2f} s: "
                     f"{cps:8.1f} cases/s {chars:10.0f} chars/s")
    if len(rates) == 2 and rates[1]:
        lines.append(f"ratio factcheck / quantulum3: {rates[0] / rates[1]:.2f}x")
    return lines


def exception_lines(runs: Sequence[ToolRun], robustness: int) -> list[str]:
    lines = ["", f"== EXCEPTIONS (every scored case, plus quantulum3/errors.json: {robustness} inputs) =="]
    for run in runs:
        lines.append(f"{run.name}: {sum(run.errors.values())} "
                     + (", ".join(f"{s}: {n}" for s, n in sorted(run.errors.items())) or "(none)"))
        lines += [f"    {sample}" for sample in run.error_samples]
    return lines


# ---------------------------------------------------------------- factcheck's misses

def _describe(reading: Reading) -> str:
    if reading.number is None:
        return reading.unit
    value = f"{reading.number:g}" + (f"..{reading.high:g}" if reading.high is not None else "")
    return f"{value} {reading.unit}".strip()


def _shape(text: str) -> str:
    """What a span looks like with its digits generalized, to group misses of one pattern."""
    return re.sub(r"\d+(?:[.,]\d+)*", "9", text.lower().strip())


def _snippet(text: str, start: int, end: int, width: int = 60) -> str:
    left = max(0, start - width)
    right = min(len(text), end + width)
    return ("…" if left else "") + text[left:right].replace("\n", " ") + ("…" if right < len(text) else "")


@dataclass(frozen=True)
class Miss:
    kind: str
    category: str  # missed / wrong value / false positive
    cause: str  # what the tool did there instead, in a few words
    shape: str
    example: str


def _miss_cause(e: Expected, predictions: Sequence[Prediction], dropped: Sequence[Any]) -> tuple[str, str]:
    """(category, cause) of an expected result the tool did not get right."""
    same = [p for p in predictions if p.kind == e.kind and pc.overlap(e.start, e.end, p.start, p.end)]
    if same:
        exact_span = any((p.start, p.end) == (e.start, e.end) for p in same)
        return "wrong value", "value or currency differs" if exact_span else "span differs (part or more)"
    other = [p for p in predictions if pc.overlap(e.start, e.end, p.start, p.end)]
    if other:
        return "missed", f"read as {other[0].kind}"
    reasons = [d.reason for d in dropped if pc.overlap(e.start, e.end, d.start, d.end)]
    if reasons:
        return "missed", f"dropped: {reasons[0]}"
    return "missed", "nothing read"


def tool_misses(cases: Sequence[Case], run: ToolRun) -> list[Miss]:
    """Every miss, wrong value and false positive of one tool, with what it read (or dropped) there."""
    misses = []
    for case in cases:
        key = (case.suite, case.index)
        predictions = run.predictions.get(key, [])
        dropped = run.dropped.get(key, [])
        outcome: Outcome = pc.match(case, predictions, check_value=True)
        where = f"[{case.suite} #{case.index}{' stretch' if case.tier == pc.STRETCH else ''}]"

        def got(start: int, end: int) -> str:
            seen = [f"{p.kind} {p.text!r} = {' / '.join(_describe(r) for r in p.readings[:1])}"
                    for p in predictions if pc.overlap(start, end, p.start, p.end)]
            seen += [f"dropped {d.text!r} ({d.reason})" for d in dropped if pc.overlap(start, end, d.start, d.end)]
            return "; ".join(seen) or "nothing"

        for e in outcome.missed:
            category, cause = _miss_cause(e, predictions, dropped)
            expected = " | ".join(_describe(r) for r in e.readings[:3]) or "(span only)"
            example = (f"{where} {_snippet(case.text, e.start, e.end)!r}\n"
                       f"          expected {e.text!r} = {expected}; got {got(e.start, e.end)}")
            misses.append(Miss(e.kind, category, cause, _shape(e.text), example))
        for p in outcome.false:
            overlapping = [e for e in case.expected if pc.overlap(e.start, e.end, p.start, p.end)]
            cause = (f"overlaps an expected {overlapping[0].kind}" if overlapping else "nothing expected here")
            example = (f"{where} {_snippet(case.text, p.start, p.end)!r}\n"
                       f"          expected {[e.text for e in overlapping] or 'nothing here'}; "
                       f"got {got(p.start, p.end)}")
            misses.append(Miss(p.kind, "false positive", cause, _shape(p.text), example))
    return misses


def miss_lines(misses: Sequence[Miss], tool: str = "factcheck") -> list[str]:
    """Per kind: what went wrong how often, then the most common patterns with one example each."""
    lines = ["", f"== {tool.upper()}: the {TOP_MISSES} most common misses / false positives per kind "
             "(core and stretch; a pattern is the span with digits as 9) =="]
    for kind in pc.KINDS:
        of_kind = [m for m in misses if m.kind == kind]
        if not of_kind:
            continue
        by_category = Counter(m.category for m in of_kind)
        lines += ["", f"-- {kind}: " + ", ".join(f"{n} {c}" for c, n in by_category.most_common())]
        causes = Counter((m.category, m.cause) for m in of_kind)
        lines += [f"   {n:4d}  {category}: {cause}" for (category, cause), n in causes.most_common(8)]
        groups = Counter((m.category, m.cause, m.shape) for m in of_kind)
        for (category, cause, shape), n in groups.most_common(TOP_MISSES):
            example = next(m.example for m in of_kind if (m.category, m.cause, m.shape) == (category, cause, shape))
            lines.append(f"  {n:3d}x {category} ({cause}) {shape!r}\n       e.g. {example}")
    return lines


# ---------------------------------------------------------------- main

def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer-dir", type=Path, default=DEFAULT_PEER_DIR, help="the shared peer folder")
    ap.add_argument("--limit", type=int, default=None, help="only the first N cases of each file")
    ap.add_argument("--repeat", type=int, default=3, help="timing rounds; each tool's fastest counts")
    args = ap.parse_args(argv)
    if not (args.peer_dir / "README.md").exists():
        print(f"error: no peer suites in {args.peer_dir} (pass --peer-dir)", file=sys.stderr)
        return 2
    cases = load_cases(args.peer_dir, args.limit)
    scored = [c for c in cases if not c.out_of_scope]
    robustness = json.loads((args.peer_dir / ERRORS_FILE).read_text(encoding="utf-8"))
    fc, q3 = run_both(scored, robustness, max(1, args.repeat))
    runs = (fc, q3)
    lines = [f"Peer benchmark: factcheck vs {quantulum_description()}",
             f"{len(cases)} cases loaded from {args.peer_dir}; {len(scored)} scored "
             f"({sum(c.tier == pc.CORE for c in scored)} core, {sum(c.tier == pc.STRETCH for c in scored)} stretch), "
             f"{len(cases) - len(scored)} out of scope"]
    lines += score_tables(scored, runs)
    lines += out_of_scope_table(cases)
    lines += exception_lines(runs, len(robustness))
    lines += throughput_lines(runs)
    lines += miss_lines(tool_misses(scored, fc))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
