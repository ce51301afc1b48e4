"""Score a report's *findings* against real-story gold written blind (`gold.yaml` with `figures:`).

The gold lists every figure of every article (its surface, what it measures) and the
relations a careful fact-checker sees between figures of different outlets:
`agreement`, `discrepancy` (both can be true: other times, rounding, scope) and
`contradiction` (cannot both be true). A tool finding *covers* a gold figure when
one of its quotes overlaps the figure's text in the same article. Then, per story:

- a gold conflict (discrepancy or contradiction) is *raised* when one non-agreement
  finding covers two of its figures from different sources whose gold values differ,
  and raised *at the gold's severity* when that finding's severity matches
  (contradiction -> blocking, discrepancy -> warning);
- a blocking finding is *false* unless it raises a gold contradiction; it is
  *within one article* when all of its quotes come from one source;
- a gold agreement is *found* when an agreement finding covers two of its figures
  from different sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError
from .model import CheckResult, Finding, FindingKind, Severity
from .yamlfile import YamlDoc, load_yaml

if TYPE_CHECKING:
    from spacy.language import Language

CONFLICT_STATUSES = ("contradiction", "discrepancy")
GOLD_STATUSES = ("agreement", "contradiction", "discrepancy", "self")


@dataclass(frozen=True)
class GoldFigure:
    id: str
    source: str
    surface: str
    occurrence: int
    value: str  # as written in gold, compared as text after number normalization
    measure: str = ""
    background: bool = False


@dataclass(frozen=True)
class GoldRelation:
    id: str
    status: str
    figures: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class StoryGold:
    path: Path
    figures: dict[str, GoldFigure]
    relations: tuple[GoldRelation, ...]


@dataclass(frozen=True)
class StoryFindingScore:
    """What one story's report got right and wrong, by the gold's relations."""

    story: str
    conflicts: int
    raised: int
    at_severity: int
    blocking: int
    false_blocking: int
    within_article_blocking: int
    agreements: int
    agreements_found: int
    missed: tuple[str, ...] = ()
    false: tuple[str, ...] = ()  # summaries of false blocking findings


def is_findings_gold(path: Path) -> bool:
    """Whether a gold.yaml is real-story findings gold (`figures:`) rather than mention gold."""
    try:
        head = path.read_text(encoding="utf-8")[:20000]
    except (OSError, UnicodeDecodeError):
        return False
    return any(line.startswith("figures:") for line in head.splitlines())


def load_findings_gold(path: Path) -> StoryGold:
    """Figures and relations of a real-story gold file; InputError names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", path) from None
    doc = load_yaml(text, path)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "gold must be a mapping with 'figures' and 'findings'", "start with 'figures:'")
    doc.check_keys((), data, {"story", "figures", "findings", "traps"})
    figures: dict[str, GoldFigure] = {}
    for i, entry in enumerate(data.get("figures") or []):
        kp: tuple[str | int, ...] = ("figures", i)
        if not isinstance(entry, dict) or not entry.get("id") or not entry.get("source") or not entry.get("surface"):
            raise doc.error(kp, "a gold figure needs id, source and surface", "add them")
        occurrence = entry.get("occurrence", 1)
        if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
            raise doc.error(kp + ("occurrence",), "occurrence must be a whole number from 1", "1 is the first")
        figure = GoldFigure(id=str(entry["id"]), source=str(entry["source"]), surface=str(entry["surface"]),
                            occurrence=occurrence,
                            # Same number in another unit or period is another value ("£2.5bn" vs "$2.5bn").
                            value=" ".join((_value_text(entry.get("value")), str(entry.get("unit") or ""),
                                            str(entry.get("period") or "none"))),
                            measure=str(entry.get("measure") or ""), background=bool(entry.get("background")))
        if figure.id in figures:
            raise doc.error(kp + ("id",), f"figure id '{figure.id}' is used twice", "give each figure its own id")
        figures[figure.id] = figure
    relations = tuple(_relation(doc, i, e, figures) for i, e in enumerate(data.get("findings") or []))
    return StoryGold(path=path, figures=figures, relations=relations)


def _relation(doc: YamlDoc, i: int, entry: Any, figures: dict[str, GoldFigure]) -> GoldRelation:
    kp: tuple[str | int, ...] = ("findings", i)
    if not isinstance(entry, dict):
        raise doc.error(kp, "a gold finding must be a mapping", "write '- {id: ..., status: ..., figures: [...]}'")
    status = entry.get("status")
    if status not in GOLD_STATUSES:
        raise doc.error(kp + ("status",), f"status is {status!r}", f"use one of {', '.join(GOLD_STATUSES)}")
    ids = entry.get("figures") or []
    for fid in ids:
        if fid not in figures:
            raise doc.error(kp + ("figures",), f"no figure '{fid}'", "use an id from 'figures:'")
    return GoldRelation(id=str(entry.get("id") or f"finding-{i + 1}"), status=str(status),
                        figures=tuple(str(x) for x in ids), note=str(entry.get("note") or ""))


def _value_text(value: Any) -> str:
    if value is None:
        return ""
    try:
        return format(Decimal(str(value)).normalize(), "f")
    except InvalidOperation:
        return str(value)


def locate_figure(figure: GoldFigure, text: str, path: Path) -> tuple[int, int]:
    start = -1
    for _ in range(figure.occurrence):
        start = text.find(figure.surface, start + 1)
        if start == -1:
            raise InputError(f"surface {figure.surface!r} of figure '{figure.id}' not found "
                             f"{figure.occurrence} time(s) in source '{figure.source}'", path,
                             hint="copy the text exactly from the article body")
    return start, start + len(figure.surface)


def covered(finding: Finding, spans: dict[str, tuple[str, int, int]]) -> set[str]:
    """Gold figure ids whose text one of the finding's quotes overlaps."""
    out = set()
    for fid, (source, start, end) in spans.items():
        for e in finding.evidence:
            if e.source_id == source and e.start < end and start < e.end:
                out.add(fid)
                break
    return out


def _differing_pair(ids: Iterable[str], gold: StoryGold) -> bool:
    """Two figures from different sources with different gold values."""
    figs = [gold.figures[i] for i in ids]
    return any(a.source != b.source and a.value != b.value for a in figs for b in figs)


def _two_sources(ids: Iterable[str], gold: StoryGold) -> bool:
    return len({gold.figures[i].source for i in ids}) >= 2


def score_story(name: str, gold: StoryGold, result: CheckResult) -> StoryFindingScore:
    """Compare one story's findings with its gold relations."""
    texts = {s.id: s.text for s in result.sources}
    spans: dict[str, tuple[str, int, int]] = {}
    for fid, figure in gold.figures.items():
        if figure.source not in texts:
            raise InputError(f"figure '{fid}' names source '{figure.source}', which the story does not have",
                             gold.path, hint="use the id from the article's front matter")
        start, end = locate_figure(figure, texts[figure.source], gold.path)
        spans[fid] = (figure.source, start, end)
    findings = [f for f in result.findings if f.kind != FindingKind.SINGLE_SOURCE]
    cover = {f.id: covered(f, spans) for f in findings}
    conflicts = [r for r in gold.relations if r.status in CONFLICT_STATUSES and _differing_pair(r.figures, gold)]
    agreements = [r for r in gold.relations if r.status == "agreement" and _two_sources(r.figures, gold)]
    raised = at_severity = 0
    missed = []
    for rel in conflicts:
        hits = [f for f in findings if f.kind != FindingKind.AGREEMENT
                and _differing_pair(cover[f.id] & set(rel.figures), gold)]
        if hits:
            raised += 1
            want = Severity.BLOCKING if rel.status == "contradiction" else Severity.WARNING
            at_severity += any(f.severity == want for f in hits)
        else:
            missed.append(rel.id)
    blocking = [f for f in findings if f.severity == Severity.BLOCKING]
    gold_contradictions = [r for r in conflicts if r.status == "contradiction"]
    false = [f for f in blocking
             if not any(_differing_pair(cover[f.id] & set(r.figures), gold) for r in gold_contradictions)]
    within = [f for f in blocking if len(f.sources) == 1]
    found_agreements = sum(
        any(f.kind == FindingKind.AGREEMENT and _two_sources(cover[f.id] & set(r.figures), gold) for f in findings)
        for r in agreements)
    return StoryFindingScore(
        story=name, conflicts=len(conflicts), raised=raised, at_severity=at_severity, blocking=len(blocking),
        false_blocking=len(false), within_article_blocking=len(within), agreements=len(agreements),
        agreements_found=found_agreements, missed=tuple(missed),
        false=tuple(f"{f.id}: {f.summary}" for f in false))


def total(scores: Sequence[StoryFindingScore]) -> StoryFindingScore:
    return StoryFindingScore(
        story="total", conflicts=sum(s.conflicts for s in scores), raised=sum(s.raised for s in scores),
        at_severity=sum(s.at_severity for s in scores), blocking=sum(s.blocking for s in scores),
        false_blocking=sum(s.false_blocking for s in scores),
        within_article_blocking=sum(s.within_article_blocking for s in scores),
        agreements=sum(s.agreements for s in scores), agreements_found=sum(s.agreements_found for s in scores))


def format_findings_table(scores: Sequence[StoryFindingScore]) -> str:
    """Per story and in total: conflicts raised (any severity / at the gold's), false blocking, agreements."""
    header = (f"{'story':<32} {'conflicts':>9} {'raised':>7} {'at-sev':>7} {'blocking':>8} {'false':>6} "
              f"{'in-one':>6} {'agree':>6} {'found':>6}")
    lines = [header, "-" * len(header)]
    for s in [*scores, total(scores)]:
        if s.story == "total":
            lines.append("-" * len(header))
        lines.append(f"{s.story:<32} {s.conflicts:>9} {s.raised:>7} {s.at_severity:>7} {s.blocking:>8} "
                     f"{s.false_blocking:>6} {s.within_article_blocking:>6} {s.agreements:>6} {s.agreements_found:>6}")
    t = total(scores)
    if t.conflicts:
        lines.append(f"raised {t.raised / t.conflicts:.0%} of gold conflicts, {t.at_severity / t.conflicts:.0%} "
                     f"at the gold's severity; {t.false_blocking} false blocking in {len(scores)} stories")
    return "\n".join(lines)


def check_with_suggested_catalogue(story: Path, nlp: Language) -> CheckResult:
    """Check a copy of `story` whose claims/facts.yaml is the one `catalog suggest` writes, unedited."""
    import shutil
    import tempfile

    from .pipeline import Settings, check
    from .suggest import suggest_catalog

    with tempfile.TemporaryDirectory(prefix="factcheck-eval-") as tmp:
        copy = Path(tmp) / story.name
        shutil.copytree(story / "sources", copy / "sources")
        (copy / "claims").mkdir()
        suggest_catalog(copy, nlp)
        return check(copy, nlp, Settings(cache=False))
