"""The editor's and CI's loop around a story folder: create one, and say what a check found.

`init_story` lays out a new story folder. The rest turns a CheckResult into
what a terminal or a CI runner shows: a summary (styled; click strips the
styles when stdout is not a terminal), GitHub Actions workflow commands, and
whether a progress bar is worth drawing.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import click

from .errors import InputError, OutputError
from .model import CheckResult, Finding
from .gate import blocks_gate, needs_verdict
from .files import write_atomic

# Below this many articles a check takes a few seconds at most: no progress bar.
PROGRESS_MIN_SOURCES = 50

FACTS_TEMPLATE = """\
# The story's catalogue: what the articles state, so the report can compare it.
# It may stay empty: figures are then grouped by kind, unit and rate period, and the
# articles are still compared. 'factcheck catalog suggest --force' writes a starter
# catalogue from the articles in sources/. Keys: see the README, "The catalogue".
#
# facts:
#   - id: contract_value          # a lower-case name; relations use it
#     label: Value of the contract
#     kind: money                 # money, power, energy, count, percent, date, duration, quantity, entity
#     unit: USD
#     cues: [contract, worth, deal]   # words near a figure that tie it to this fact
#
#   - id: monthly_fee
#     label: Monthly fee
#     kind: money
#     unit: USD
#     period: month               # none, day, week, month, quarter, year
#     cues: [pay, fee]
#
#   - id: annual_fee
#     label: Annual fee
#     kind: money
#     unit: USD
#     period: year
#
#   - id: jobs_planned
#     label: Jobs the project will create
#     kind: count
#     unit: job
#     modality: planned           # stated or planned: only such mentions belong here
#
#   - id: site
#     label: Where it is built
#     kind: entity
#     exclusive: true             # two different values from two articles contradict
#     values:
#       - id: north_bank
#         label: The north bank
#         aliases: ["north bank", "northern shore"]
#
# relations:
#   - id: annual_from_monthly
#     fact: annual_fee
#     equals: monthly_fee * 12    # names, numbers, + - * / and months(start, end)

facts: []
"""

RESOLUTIONS_TEMPLATE = """\
# Editors' verdicts on findings; `factcheck resolve` appends here.
# A verdict keeps its finding in the report, marked resolved, and lets CI pass.
#
# resolutions:
#   - finding: contradiction-contract_value-0a1b2c3d
#     verdict: source-error   # source-error, rounding, different-scope, different-fact, confirmed, retracted, accepted
#     note: "The wire story corrected the figure on May 2"
#     by: desk
#     date: 2026-05-02
resolutions: []
"""


@dataclass(frozen=True)
class Created:
    """What `init_story` made."""

    story: Path
    paths: tuple[Path, ...]


def init_story(story: Path) -> Created:
    """Create `story/` with sources/ and a commented claims/ catalogue; refuse if any of them exists."""
    sources = story / "sources"
    claims = story / "claims"
    files = {claims / "facts.yaml": FACTS_TEMPLATE, claims / "resolutions.yaml": RESOLUTIONS_TEMPLATE}
    if story.exists() and not story.is_dir():
        raise InputError("exists and is not a folder", story, hint="pass a new or existing folder")
    for path in (sources, *files):
        if path.exists() or path.is_symlink():
            raise InputError("already exists; nothing was written", path,
                             hint="this looks like a story folder already: run 'factcheck check' there")
    made: list[Path] = []
    try:
        for folder in (story, sources, claims):
            if not folder.is_dir():
                folder.mkdir(parents=True)
                made.append(folder)
        for path, text in files.items():
            write_atomic(path, text)
            made.append(path)
    except OSError as exc:
        raise OutputError(f"cannot create the story folder: {exc.strerror or exc}", exc.filename or story,
                          hint="check the path and its permissions") from None
    return Created(story, tuple(made))


def show_progress(source_count: int, stderr_is_terminal: bool, machine_output: bool) -> bool:
    """Draw a progress bar only for a long run that a person watches, never into JSON or a pipe."""
    return stderr_is_terminal and not machine_output and source_count > PROGRESS_MIN_SOURCES


def _count_line(result: CheckResult) -> str:
    counts = Counter(f.kind.value for f in result.findings)
    return (f"{len(result.sources)} sources, {len(result.mentions)} mentions, {len(result.findings)} findings: "
            + ", ".join(f"{counts.get(k, 0)} {k.replace('_', '-')}" for k in
                        ("agreement", "discrepancy", "contradiction", "derived", "single_source")))


_KIND_COLOURS = {"contradiction": "red", "discrepancy": "yellow", "agreement": "green", "derived": "cyan",
                 "single_source": "blue"}


def _finding_line(f: Finding, verbose: bool) -> str:
    kind = click.style(f"{f.kind.value:<13}", fg=_KIND_COLOURS.get(f.kind.value), bold=not f.resolved)
    line = f"  {kind} {f.id}  {printable(f.summary)}"
    if verbose:
        status = f"resolved ({f.resolution.verdict}); " if f.resolution else ""
        line += click.style(f"  [{status}{', '.join(f.sources)}]", dim=True)
    return line


def summary(result: CheckResult, outputs: Mapping[str, Path], verbose: bool = False) -> str:
    """The terminal summary: gate, counts, unresolved problems (every finding with `verbose`)."""
    passed = result.gate.passed
    head = click.style("PASS" if passed else "FAIL", fg="green" if passed else "red", bold=True)
    lines = [f"{head}: {result.gate.reason}", _count_line(result)]
    waiting = [f for f in result.findings if needs_verdict(f)]
    for f in result.findings:
        if needs_verdict(f) or verbose:  # every item that blocks the gate, derived checks included
            lines.append(_finding_line(f, verbose))
    if waiting:  # teach the next step once, with the first item's own command
        from .report import resolve_command

        first = next((f for f in waiting if blocks_gate(f, result.gate.fail_on)), waiting[0])
        lines.append(click.style(f"  record a verdict: {resolve_command(first)}", dim=True))
    for r in result.stale:
        lines.append(click.style(f"  stale resolution {r.finding_id} (resolutions.yaml line {r.line}): no such finding",
                                 fg="yellow"))
    if verbose:
        reasons = Counter(d.reason for d in result.dropped)
        detail = "; ".join(f"{n} {reason}" for reason, n in sorted(reasons.items(), key=lambda t: (-t[1], t[0])))
        lines.append(f"{len(result.dropped)} numbers dropped as not figures" + (f": {detail}" if detail else ""))
    for path in outputs.values():
        lines.append(click.style(f"wrote {path}", dim=True))
    return "\n".join(lines)


CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Article text made safe for a terminal: no ESC/OSC sequences or other control characters."""
    return CONTROL.sub("", text)


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does (control characters dropped)."""
    return printable(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',', which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(level: str, message: str, file: str | None = None, line: int | None = None,
                     title: str | None = None) -> str:
    """One GitHub Actions workflow command, e.g. `::error file=a.md,line=3,title=T::message`."""
    props = [(k, v) for k, v in (("file", file), ("line", None if line is None else str(line)), ("title", title))
             if v is not None]
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{level}{' ' + joined if joined else ''}::{escape_data(message)}"


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to `cwd` when it lies below it: annotations need repository-relative paths."""
    try:
        return Path(os.path.relpath(path.resolve(), cwd.resolve())).as_posix() if path.is_absolute() \
            else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def github_annotations(result: CheckResult, cwd: Path) -> Iterable[str]:
    """Workflow commands for the unresolved problems: one per article line that states a conflicting value."""
    paths = {s.id: s.path for s in result.sources}
    for f in result.findings:
        if not needs_verdict(f):
            continue
        level = "error" if blocks_gate(f, result.gate.fail_on) else "warning"
        title = f"factcheck {f.kind.value}: {f.fact_label}"
        message = f"{f.summary} [{f.id}]"
        seen: set[tuple[str, int]] = set()
        for e in f.evidence:
            if (e.source_id, e.line) in seen or e.source_id not in paths:
                continue
            seen.add((e.source_id, e.line))
            yield workflow_command(level, f"{message}\n“{e.sentence}”", display_path(paths[e.source_id], cwd),
                                   e.line, title)
        if not seen:
            yield workflow_command(level, message, title=title)
    resolutions = result.story / "claims" / "resolutions.yaml"
    for r in result.stale:
        yield workflow_command("warning", f"resolution of {r.finding_id} names no current finding; remove it",
                               display_path(resolutions, cwd), r.line, "factcheck stale resolution")
