"""Score the extractor against hand-written gold mentions (`gold.yaml`).

A gold mention names its figure by the text it is written as (`surface`, and
`occurrence` when that text appears more than once); offsets are found in the
article body at scoring time. Each gold mention is matched one-to-one to the
predicted mention of the same kind that overlaps it most (greedy, largest
overlap first). A match is correct only when value, high bound, unit, period,
qualifier and modality all agree. Predicted entity mentions are not scored.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from spacy.language import Language

from .catalog import load_catalog
from .errors import InputError
from .extract import extract_all
from .model import Kind, Mention, Modality, Period, Qualifier
from .sources import load_sources
from .yamlfile import YamlDoc, load_yaml

MENTION_KEYS = {"surface", "kind", "value", "unit", "period", "qualifier", "modality", "high", "occurrence"}
REQUIRED_KEYS = ("surface", "kind", "unit")
FINDING_KEYS = {"kind", "fact"}
FINDING_KINDS = ("agreement", "discrepancy", "contradiction", "derived", "single_source")
RELATIVE_TOLERANCE = Decimal("1e-6")
SCORED_KINDS = tuple(k for k in Kind if k != Kind.ENTITY)
FIELDS = ("value", "high", "unit", "period", "qualifier", "modality")


@dataclass(frozen=True)
class GoldMention:
    """One figure as a careful annotator reads it."""

    source_id: str
    surface: str
    kind: Kind
    value: Decimal | str | None
    unit: str
    period: Period = Period.NONE
    qualifier: Qualifier = Qualifier.EXACT
    modality: Modality = Modality.STATED
    high: Decimal | None = None
    occurrence: int = 1
    path: Path | None = None
    line: int = 0


@dataclass(frozen=True)
class GoldFinding:
    """A finding an editor expects the report to show."""

    kind: str
    fact: str
    line: int = 0


@dataclass(frozen=True)
class KindScore:
    """Counts and rates for one mention kind (or all kinds)."""

    kind: str
    gold: int
    predicted: int
    matched: int  # overlapping pairs of the same kind, right or wrong
    correct: int

    @property
    def precision(self) -> float:
        """Correct over predicted; 1.0 when nothing was predicted."""
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        """Correct over gold; 1.0 when there is no gold."""
        return self.correct / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class ScoreError:
    """One disagreement between gold and prediction."""

    source_id: str
    kind: str
    error: str  # missed | spurious | wrong | wrong_kind
    text: str  # the gold surface, or the predicted text for a spurious mention
    start: int
    expected: str = ""
    got: str = ""
    fields: tuple[str, ...] = ()  # for wrong: the fields that disagree


@dataclass(frozen=True)
class Scores:
    """Per-kind scores, the total, and every error."""

    kinds: tuple[KindScore, ...]
    total: KindScore
    errors: tuple[ScoreError, ...]

    def kind(self, kind: str) -> KindScore | None:
        """The score of one kind, or None when neither gold nor prediction has it."""
        return next((k for k in self.kinds if k.kind == kind), None)


# ---------------------------------------------------------------- loading


def load_gold(path: Path) -> dict[str, list[GoldMention]]:
    """Gold mentions by source id from a gold YAML file; InputError names file and line."""
    doc = _load(path)
    data = doc.data or {}
    mentions = data.get("mentions") or {}
    if not isinstance(mentions, dict):
        raise doc.error(("mentions",), "'mentions' must map source ids to lists", "write '<source id>:' lines")
    out: dict[str, list[GoldMention]] = {}
    for source_id, entries in mentions.items():
        if entries is None:
            out[str(source_id)] = []
            continue
        if not isinstance(entries, list):
            raise doc.error(("mentions", source_id), f"mentions of '{source_id}' must be a list",
                            "write one '- {surface: ...}' entry per figure")
        out[str(source_id)] = [_gold_mention(doc, str(source_id), i, e) for i, e in enumerate(entries)]
    return out


def load_gold_findings(path: Path) -> tuple[GoldFinding, ...]:
    """The expected findings (`findings:`) of a gold YAML file."""
    doc = _load(path)
    data = doc.data or {}
    entries = data.get("findings") or []
    if not isinstance(entries, list):
        raise doc.error(("findings",), "'findings' must be a list", "write one '- {kind: ..., fact: ...}' per finding")
    out = []
    for i, entry in enumerate(entries):
        kp: tuple[str | int, ...] = ("findings", i)
        doc.check_keys(kp, entry, FINDING_KEYS)
        kind, fact = entry.get("kind"), entry.get("fact")
        if kind not in FINDING_KINDS:
            raise doc.error(kp + ("kind",), f"finding kind is {kind!r}", f"use one of {', '.join(FINDING_KINDS)}")
        if not isinstance(fact, str) or not fact:
            raise doc.error(kp + ("fact",), "'fact' must be a fact id", "use an id from claims/facts.yaml")
        out.append(GoldFinding(kind=kind, fact=fact, line=doc.line(kp)))
    return tuple(out)


def _load(path: Path) -> YamlDoc:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("gold file not found", path, hint="write gold.yaml with 'mentions:'") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read gold file: {exc}", path) from None
    doc = load_yaml(text, path)
    if doc.data is not None and not isinstance(doc.data, dict):
        raise doc.error((), "gold must be a mapping with 'mentions' (and 'findings')", "start with 'mentions:'")
    if isinstance(doc.data, dict):
        doc.check_keys((), doc.data, {"mentions", "findings"})
    return doc


def _number(doc: YamlDoc, kp: tuple[str | int, ...], value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise doc.error(kp, f"'{kp[-1]}' must be a number or null, not {value!r}")
    try:
        return Decimal(str(value).replace(",", "").replace("_", ""))
    except InvalidOperation:
        raise doc.error(kp, f"'{kp[-1]}' must be a number or null, not {value!r}") from None


def _gold_mention(doc: YamlDoc, source_id: str, i: int, entry: Any) -> GoldMention:
    kp: tuple[str | int, ...] = ("mentions", source_id, i)
    doc.check_keys(kp, entry, MENTION_KEYS)
    for key in REQUIRED_KEYS:
        if entry.get(key) in (None, ""):
            raise doc.error(kp, f"gold mention needs '{key}'", f"add '{key}: ...'")
    surface = entry["surface"]
    if not isinstance(surface, str):
        raise doc.error(kp + ("surface",), "'surface' must be text", "quote it")
    kind = doc.enum(kp + ("kind",), entry["kind"], Kind)
    if kind == Kind.ENTITY:
        raise doc.error(kp + ("kind",), "entity framings are not annotated as gold mentions",
                        "remove the entry; entities are scored through findings")
    raw = entry.get("value")
    value: Decimal | str | None
    if kind == Kind.DATE:
        if isinstance(raw, (datetime.date, datetime.datetime)):
            raw = raw.isoformat()[:10]
        value = None if raw is None else str(raw)
    else:
        value = _number(doc, kp + ("value",), raw)
    occurrence = entry.get("occurrence", 1)
    if isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1:
        raise doc.error(kp + ("occurrence",), "occurrence must be a whole number from 1", "1 is the first")
    return GoldMention(
        source_id=source_id,
        surface=surface,
        kind=kind,
        value=value,
        unit=str(entry["unit"]),
        period=doc.enum(kp + ("period",), entry.get("period", "none"), Period),
        qualifier=doc.enum(kp + ("qualifier",), entry.get("qualifier", "exact"), Qualifier),
        modality=doc.enum(kp + ("modality",), entry.get("modality", "stated"), Modality),
        high=_number(doc, kp + ("high",), entry.get("high")),
        occurrence=occurrence,
        path=doc.path,
        line=doc.line(kp),
    )


def locate(gold: GoldMention, text: str) -> tuple[int, int]:
    """Character offsets of a gold mention in its article body; InputError if the surface is not there."""
    start = -1
    for _ in range(gold.occurrence):
        start = text.find(gold.surface, start + 1)
        if start == -1:
            found = text.count(gold.surface)
            what = "not found" if not found else f"found {found} time(s), not {gold.occurrence}"
            raise InputError(f"surface {gold.surface!r} {what} in source '{gold.source_id}'", gold.path,
                             gold.line or None, "copy the text exactly from the article body")
    return start, start + len(gold.surface)


# ---------------------------------------------------------------- scoring


def same_value(expected: Decimal | str | None, got: Decimal | str | None) -> bool:
    """Numbers equal within a relative 1e-6; dates and None by string equality."""
    if expected is None or got is None:
        return expected is None and got is None
    if isinstance(expected, Decimal) and isinstance(got, Decimal):
        if expected == got:
            return True
        return abs(expected - got) <= RELATIVE_TOLERANCE * max(abs(expected), abs(got))
    return str(expected) == str(got)


def wrong_fields(gold: GoldMention, predicted: Mention) -> tuple[str, ...]:
    """The fields on which a matched prediction disagrees with gold."""
    wrong = []
    if not same_value(gold.value, predicted.value):
        wrong.append("value")
    if (gold.high is not None or predicted.high is not None) and not same_value(gold.high, predicted.high):
        wrong.append("high")
    if gold.unit.casefold() != predicted.unit.casefold():
        wrong.append("unit")
    if gold.period != predicted.period:
        wrong.append("period")
    if gold.qualifier != predicted.qualifier:
        wrong.append("qualifier")
    if gold.modality != predicted.modality:
        wrong.append("modality")
    return tuple(wrong)


def describe(item: GoldMention | Mention) -> str:
    """Short form of a reading: 'money 1250000000 USD/month approximately planned'."""
    value = "null" if item.value is None else (_plain(item.value) if isinstance(item.value, Decimal) else item.value)
    if item.high is not None:
        value = f"{value}..{_plain(item.high)}"
    rate = f"/{item.period.value}" if item.period != Period.NONE else ""
    return f"{item.kind.value} {value} {item.unit}{rate} {item.qualifier.value} {item.modality.value}"


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


@dataclass
class _Tally:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    correct: int = 0


def score(gold: Mapping[str, Sequence[GoldMention]], predicted: Mapping[str, Sequence[Mention]],
          texts: Mapping[str, str]) -> Scores:
    """Match gold to predicted mentions per source and count what is right, wrong, missed and spurious."""
    for source_id in gold:
        if source_id not in texts:
            first = next(iter(gold[source_id]), None)
            raise InputError(f"gold names source '{source_id}', which the story does not have",
                             first.path if first else None, first.line if first else None,
                             "use the id from the article's front matter or file name")
    tallies: dict[str, _Tally] = {}
    errors: list[ScoreError] = []
    for source_id in sorted(set(gold) | set(predicted)):
        golds = list(gold.get(source_id, ()))
        preds = [m for m in predicted.get(source_id, ()) if m.kind != Kind.ENTITY]
        text = texts.get(source_id, "")
        spans = [locate(g, text) for g in golds]
        for g in golds:
            tallies.setdefault(g.kind.value, _Tally()).gold += 1
        for p in preds:
            tallies.setdefault(p.kind.value, _Tally()).predicted += 1
        pairs = _greedy(golds, spans, preds, same_kind=True)
        used_g = {gi for gi, _ in pairs}
        used_p = {pi for _, pi in pairs}
        for gi, pi in pairs:
            g, p = golds[gi], preds[pi]
            tally = tallies[g.kind.value]
            tally.matched += 1
            fields = wrong_fields(g, p)
            if fields:
                errors.append(ScoreError(source_id, g.kind.value, "wrong", g.surface, spans[gi][0],
                                         describe(g), f"{describe(p)} ({p.text!r})", fields))
            else:
                tally.correct += 1
        # Leftovers that overlap across kinds are reported once as wrong_kind (a miss and a spurious).
        rest_g = [gi for gi in range(len(golds)) if gi not in used_g]
        rest_p = [pi for pi in range(len(preds)) if pi not in used_p]
        cross = _greedy([golds[gi] for gi in rest_g], [spans[gi] for gi in rest_g],
                        [preds[pi] for pi in rest_p], same_kind=False)
        for a, b in cross:
            gi, pi = rest_g[a], rest_p[b]
            g, p = golds[gi], preds[pi]
            used_g.add(gi)
            used_p.add(pi)
            errors.append(ScoreError(source_id, g.kind.value, "wrong_kind", g.surface, spans[gi][0],
                                     describe(g), f"{describe(p)} ({p.text!r})", ("kind",)))
        for gi, g in enumerate(golds):
            if gi not in used_g:
                errors.append(ScoreError(source_id, g.kind.value, "missed", g.surface, spans[gi][0],
                                         describe(g), ""))
        for pi, p in enumerate(preds):
            if pi not in used_p:
                errors.append(ScoreError(source_id, p.kind.value, "spurious", p.text, p.start, "",
                                         describe(p)))
    order = {k.value: i for i, k in enumerate(SCORED_KINDS)}
    kinds = tuple(KindScore(k, t.gold, t.predicted, t.matched, t.correct)
                  for k, t in sorted(tallies.items(), key=lambda kv: order.get(kv[0], len(order))))
    total = KindScore("all", sum(k.gold for k in kinds), sum(k.predicted for k in kinds),
                      sum(k.matched for k in kinds), sum(k.correct for k in kinds))
    errors.sort(key=lambda e: (e.source_id, e.start, e.error))
    return Scores(kinds=kinds, total=total, errors=tuple(errors))


def _greedy(golds: Sequence[GoldMention], spans: Sequence[tuple[int, int]], preds: Sequence[Mention],
            same_kind: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), largest character overlap first."""
    candidates = []
    for gi, (g, span) in enumerate(zip(golds, spans)):
        for pi, p in enumerate(preds):
            if same_kind and p.kind != g.kind:
                continue
            overlap = _overlap(span, (p.start, p.end))
            if overlap > 0:
                candidates.append((-overlap, abs(span[0] - p.start), gi, pi))
    candidates.sort()
    pairs: list[tuple[int, int]] = []
    taken_g: set[int] = set()
    taken_p: set[int] = set()
    for _, _, gi, pi in candidates:
        if gi not in taken_g and pi not in taken_p:
            pairs.append((gi, pi))
            taken_g.add(gi)
            taken_p.add(pi)
    return pairs


# ---------------------------------------------------------------- findings


@dataclass(frozen=True)
class FindingScores:
    """Expected (kind, fact) findings the report shows, misses, and extras on catalogued facts."""

    expected: int
    found: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]
    unexpected: tuple[tuple[str, str], ...]

    @property
    def recall(self) -> float:
        """Share of expected findings the report shows."""
        return len(self.found) / self.expected if self.expected else 1.0


def score_findings(gold: Iterable[GoldFinding], findings: Iterable[Any],
                   known_facts: Iterable[str] = ()) -> FindingScores:
    """Compare expected findings with a report's (anything with .kind and .fact_id); extras only on `known_facts`."""
    want = {(g.kind, g.fact) for g in gold}
    got = {(str(getattr(f.kind, "value", f.kind)), f.fact_id) for f in findings}
    known = set(known_facts)
    return FindingScores(
        expected=len(want),
        found=tuple(sorted(want & got)),
        missed=tuple(sorted(want - got)),
        unexpected=tuple(sorted(x for x in got - want if not known or x[1] in known)),
    )


# ---------------------------------------------------------------- running


def evaluate_story(story_dir: Path, nlp: Language, gold_path: Path | None = None) -> Scores:
    """Extract a story folder's articles and score them against its gold file."""
    gold = load_gold(gold_path or story_dir / "gold.yaml")
    sources = load_sources(story_dir).sources
    catalog = load_catalog(story_dir)
    predicted = {e.source_id: list(e.mentions) for e in extract_all(sources, nlp, catalog)}
    return score(gold, predicted, {s.id: s.text for s in sources})


def format_table(scores: Scores) -> str:
    """A plain-text table of per-kind gold, predicted, correct, precision, recall and F1."""
    header = f"{'kind':<10} {'gold':>5} {'pred':>5} {'match':>5} {'right':>5} {'P':>6} {'R':>6} {'F1':>6}"
    lines = [header, "-" * len(header)]
    for k in (*scores.kinds, scores.total):
        if k is scores.total:
            lines.append("-" * len(header))
        lines.append(f"{k.kind:<10} {k.gold:>5} {k.predicted:>5} {k.matched:>5} {k.correct:>5} "
                     f"{k.precision:>6.2f} {k.recall:>6.2f} {k.f1:>6.2f}")
    return "\n".join(lines)


def format_errors(scores: Scores, limit: int | None = None) -> str:
    """One line per error: source, kind, error type, text, expected and got."""
    lines = []
    for e in scores.errors[:limit]:
        detail = f" [{', '.join(e.fields)}]" if e.fields else ""
        lines.append(f"{e.source_id} {e.kind} {e.error}{detail}: {e.text!r}"
                     f"{'  expected ' + e.expected if e.expected else ''}{'  got ' + e.got if e.got else ''}")
    return "\n".join(lines)
