"""The whole check as one library call: load, extract, assign, reconcile, gate."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spacy.language import Language

from .assign import assign
from .catalog import load_catalog, load_resolutions
from .extract import Extraction, extract_all
from .model import Catalog, CheckResult, Finding, FindingKind, Gate, Source
from .reconcile import reconcile
from .sources import DEFAULT_MAX_BYTES, load_sources

FAIL_ON = ("contradiction", "discrepancy", "never")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Settings:
    """What a check may vary; passed in, never kept in module state."""

    fail_on: str = "contradiction"
    max_bytes: int = DEFAULT_MAX_BYTES


def gate(findings: Sequence[Finding], fail_on: str = "contradiction") -> Gate:
    """Pass unless an unresolved finding at or above `fail_on` remains."""
    blocking = [f for f in findings if not f.resolved and f.severity.value == "blocking"]
    warnings = [f for f in findings if not f.resolved and f.kind == FindingKind.DISCREPANCY]
    if fail_on == "never":
        return Gate(True, "gate disabled (--fail-on never)", fail_on)
    if blocking:
        return Gate(False, f"{len(blocking)} unresolved contradiction{'s' * (len(blocking) != 1)}", fail_on)
    if fail_on == "discrepancy" and warnings:
        return Gate(False, f"{len(warnings)} unresolved discrepanc{'ies' if len(warnings) != 1 else 'y'}", fail_on)
    return Gate(True, "no unresolved contradictions" if fail_on == "contradiction"
                else "no unresolved contradictions or discrepancies", fail_on)


def analyse(story: Path, sources: Sequence[Source], extractions: Sequence[Extraction], catalog: Catalog,
            settings: Settings = Settings()) -> CheckResult:
    """Assign, reconcile and gate already-extracted mentions. Pure apart from reading resolutions."""
    mentions = tuple(m for e in extractions for m in e.mentions)
    dropped = tuple(d for e in extractions for d in e.dropped)
    assignment = assign(mentions, catalog)
    result = reconcile(assignment.facts, assignment.claims, catalog.relations, sources, load_resolutions(story))
    return CheckResult(
        story=story, sources=tuple(sources), catalog=catalog, mentions=mentions, dropped=dropped,
        claims=assignment.claims, facts=assignment.facts, findings=result.findings, stale=result.stale,
        gate=gate(result.findings, settings.fail_on),
    )


def check(story: Path, nlp: Language, settings: Settings = Settings(), progress: Progress | None = None,
          warnings: list[str] | None = None) -> CheckResult:
    """Check a story folder end to end."""
    loaded = load_sources(story, settings.max_bytes)
    if warnings is not None:
        warnings.extend(loaded.warnings)
    catalog = load_catalog(story)
    load_resolutions(story)  # fail on a bad resolutions file before the slow part
    extractions = []
    for i, extraction in enumerate(extract_all(loaded.sources, nlp, catalog), 1):
        extractions.append(extraction)
        if progress:
            progress(i, len(loaded.sources))
    return analyse(story, loaded.sources, extractions, catalog, settings)
