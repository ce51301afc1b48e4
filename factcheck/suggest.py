"""Suggest a starter catalogue (`claims/facts.yaml`) from the figures the current articles state.

The figures are grouped the way a story with no catalogue groups them (discovered
facts: kind, unit, rate period and what they quantify). Each group becomes a
catalogue entry whose cue words are the words that stand next to its figures in
the articles. A group that lumps unrelated amounts together (every one-off
dollar figure of the story) is split by the word its figures share across
articles, because as one catalogued fact its members would contradict each
other. Facts only one article states are written commented out, and so is a
monthly-to-yearly relation, since only an editor can tell whether it holds.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .align import align_subjects
from .assign import assign, conflict_capable
from .story import in_story, published_years
from .lexicon import load_lexicon
from .catalog import load_catalog, parse_catalog
from .errors import InputError
from .extract import extract_all
from .model import Catalog, Fact, Kind, Mention, Modality, Period
from .reconcile import SUBJECT_BOUND
from .files import write_atomic
from .sources import DEFAULT_MAX_BYTES, load_sources
from .workflow import FACTS_TEMPLATE
from .yamlfile import load_yaml

WINDOW = 6  # words either side of a figure that may become its cues
MAX_CUES = 5
# Words that say how a figure is stated, not what it is: never cues.
NOT_CUES = frozenset({
    "about", "almost", "around", "nearly", "over", "under", "more", "less", "than", "least", "most", "some",
    "per", "each", "every", "said", "says", "say", "according", "also", "just", "roughly", "approximately",
    "million", "billion", "trillion", "thousand", "hundred", "dozen", "percent", "cent",
    "day", "days", "week", "weeks", "month", "months", "year", "years", "annually", "monthly", "yearly",
    "daily", "weekly", "quarter", "quarterly", "annual",
})
# Words that link a figure to its thing ("worth $2 billion"): good cues, poor names for a fact.
LINK_WORDS = frozenset({"worth", "valued", "priced", "totalling", "totaling", "amounting", "reaching", "costing"})
Tokenize = Callable[[str], Doc]


# A group whose largest value is more than this times its smallest is probably several facts.
MAX_SPREAD = Decimal(2)


@dataclass(frozen=True)
class Group:
    """Figures that look like one fact: a discovered fact, narrowed by modality and a shared word."""

    fact: Fact
    members: tuple[Mention, ...]
    word: str = ""  # the word that split it out of a lump, if any
    modality: Modality | None = None

    @property
    def sources(self) -> frozenset[str]:
        return frozenset(m.source_id for m in self.members)


@dataclass(frozen=True)
class SuggestedFact:
    """One catalogue entry: a fact, the articles that state it, its figures as written, and why it is held back."""

    fact: Fact
    sources: tuple[str, ...]
    examples: tuple[str, ...]
    held: str = ""  # non-empty: written commented out, with this reason


@dataclass(frozen=True)
class Suggestion:
    facts: tuple[SuggestedFact, ...]  # written as entries
    held: tuple[SuggestedFact, ...]  # written commented out, each with its reason
    entities: tuple[Fact, ...]  # entity facts of the existing catalogue, kept as they are
    source_count: int


def suggest_catalog(story: Path, nlp: Language, output: Path | None = None, force: bool = False,
                    max_bytes: int = DEFAULT_MAX_BYTES, today: date | None = None,
                    warnings: list[str] | None = None) -> Path:
    """Write a starter catalogue for `story` (default `claims/facts.yaml`); refuse to overwrite unless `force`."""
    target = output or story / "claims" / "facts.yaml"
    if target.exists() and not force and not untouched_template(target):
        raise InputError("a catalogue already exists", target,
                         hint="pass --force to replace it, or --output to write the suggestion elsewhere")
    if not target.parent.is_dir():
        raise InputError("the folder for the catalogue does not exist", target.parent,
                         hint="run 'factcheck init' or create claims/")
    loaded = load_sources(story, max_bytes)
    if warnings is not None:
        warnings.extend(loaded.warnings)
    try:
        existing = load_catalog(story)
    except InputError as exc:
        if not force:
            raise
        # The editor asked to replace it: a broken catalogue only loses its entity facts.
        existing = Catalog()
        if warnings is not None:
            warnings.append(f"{exc}; its entity facts are not kept")
    # Entity facts need their aliases from an editor; keep the existing ones so their mentions are found.
    entities = tuple(f for f in existing.facts if f.kind == Kind.ENTITY)
    extractions = list(extract_all(loaded.sources, nlp, Catalog(facts=entities)))
    mentions = [m for m in in_story([m for e in extractions for m in e.mentions], loaded.sources, load_lexicon())
                if m.kind != Kind.ENTITY]
    suggestion = suggest(mentions, entities, len(loaded.sources), nlp.tokenizer, published_years(loaded.sources))
    text = render_catalog(suggestion, today or date.today())
    # Never write a catalogue that would not load.
    parse_catalog(load_yaml(text, target))
    write_atomic(target, text)
    return target


def untouched_template(path: Path) -> bool:
    """Whether `path` is still the empty catalogue 'factcheck init' wrote: replacing it loses nothing."""
    try:
        return path.is_file() and path.read_text(encoding="utf-8") == FACTS_TEMPLATE
    except (OSError, UnicodeDecodeError):
        return False


def suggest(mentions: Sequence[Mention], entities: Sequence[Fact], source_count: int,
            tokenize: Tokenize, published: Mapping[str, int] | None = None) -> Suggestion:
    """Catalogue entries for the discovered facts of `mentions`. Pure.

    Facts whose frames name a measure become entries that take figures by their frame
    (`measure`, and `subject`, `time`, `scope` where they set them apart), so an unedited
    suggestion compares exactly what the discovered facts compare. Groups whose figures
    do not say what they measure are written commented out, for the editor to name.
    """
    lexicon = load_lexicon()
    assignment = assign(tuple(mentions), Catalog(), lexicon, published)
    main = align_subjects(mentions, lexicon).main
    by_fact: dict[str, list[Mention]] = defaultdict(list)
    for claim in assignment.claims:
        by_fact[claim.fact_id].append(claim.mention)
    facts = {f.id: f for f in assignment.facts}
    framed = [Group(facts[fid], tuple(by_fact[fid])) for fid in sorted(by_fact) if facts[fid].measure]
    unframed = [fid for fid in sorted(by_fact) if not facts[fid].measure]
    windows = {m: context_words(m, tokenize) for fid in unframed for m in by_fact[fid]}
    groups = merge_restatements([g for fact_id in unframed
                                 for g in split_group(facts[fact_id], by_fact[fact_id], windows)])
    used_ids: set[str] = set()
    out: list[SuggestedFact] = []
    for group in framed:
        f = group.fact
        new_id = _unique(catalog_id("_".join(p for p in (f.measure, "" if f.subject == main else f.subject,
                                                          f.period.value if f.period != Period.NONE else "",
                                                          f.scope, f.time) if p)), used_ids)
        fact = Fact(id=new_id, label=f.label, kind=f.kind, unit=f.unit, period=f.period, measure=f.measure,
                    subject="" if f.subject == main else f.subject, time=f.time, scope=f.scope)
        out.append(SuggestedFact(fact=fact, sources=tuple(sorted(group.sources)),
                                 examples=tuple(dict.fromkeys(m.text for m in group.members)),
                                 held="stated by one article only so far" if len(group.sources) < 2 else ""))
    for group in groups:
        siblings = [m for g in groups if g is not group and _same_slot(g, group) for m in g.members]
        leading = [group.word] if group.word else []
        cues = leading + [c for c in rank_cues(group.members, siblings, windows) if c not in leading]
        planned = group.modality == Modality.PLANNED
        suffix = "".join(f"_{part}" for part in (group.word, "planned" if planned else "") if part)
        new_id = _unique(catalog_id(group.fact.id + suffix), used_ids)
        label = group.fact.label + (f" ({group.word})" if group.word else "") \
            + (" (planned)" if planned else "")
        fact = Fact(id=new_id, label=label, kind=group.fact.kind, unit=group.fact.unit, period=group.fact.period,
                    cues=tuple(cues[:MAX_CUES]), modality=group.modality)
        out.append(SuggestedFact(fact=fact, sources=tuple(sorted(group.sources)),
                                 examples=tuple(dict.fromkeys(m.text for m in group.members)),
                                 held=held_reason(group) or UNFRAMED))
    out.sort(key=lambda e: (-len(e.sources), e.fact.kind.value, e.fact.id))
    return Suggestion(facts=tuple(e for e in out if not e.held), held=tuple(e for e in out if e.held),
                      entities=tuple(entities), source_count=source_count)


UNFRAMED = ("its figures do not say what they measure: add 'measure: ...' (as 'factcheck extract' shows) "
            "or keep the cues, then uncomment")


def _unique(base: str, used: set[str]) -> str:
    new_id, n = base, 2
    while new_id in used:
        new_id, n = f"{base}_{n}", n + 1
    used.add(new_id)
    return new_id


def split_group(fact: Fact, members: Sequence[Mention], windows: dict[Mention, dict[str, int]]) -> list[Group]:
    """Narrow a discovered fact to groups that can safely be one catalogued fact.

    A catalogued fact compares whatever lands in it, while a discovered one keeps
    plans apart from present figures and leaves lumps and unnamed percentages
    uncompared. So: plans and present figures become separate facts; percentages
    and quantities are grouped by what they measure; a lump that reconcile would not
    compare is split by the word its figures share across articles.
    """
    groups: list[Group] = []
    for modality, part in modality_parts(members):
        if fact.kind in SUBJECT_BOUND:
            for subject in sorted({m.subject.lower() for m in part if m.subject}):
                same = tuple(m for m in part if m.subject.lower() == subject)
                groups.append(Group(fact, same, subject, modality))
        elif conflict_capable(fact) or fact.kind == Kind.DATE:
            groups.append(Group(fact, tuple(part), "", modality))
        else:
            groups.extend(Group(fact, tuple(ms), word, modality) for word, ms in split_by_shared_word(part, windows))
    return groups


def modality_parts(members: Sequence[Mention]) -> list[tuple[Modality | None, list[Mention]]]:
    """Present figures and plans apart when their values differ ("40,000 a day now, 65,000 planned").

    When both state the same values they stay one fact of any modality, so an article
    that writes "will draw 45 MW" still agrees with one that writes "draws 45 MW".
    Hypothetical and negated figures are left out: they state nothing to compare.
    """
    stated = [m for m in members if m.modality == Modality.STATED]
    planned = [m for m in members if m.modality == Modality.PLANNED]
    if stated and planned and {m.value for m in stated} == {m.value for m in planned}:
        return [(None, stated + planned)]
    return [(modality, part) for modality, part in ((Modality.STATED, stated), (Modality.PLANNED, planned)) if part]


def held_reason(group: Group) -> str:
    """Why a group is written commented out, or '' when it can be an entry."""
    if len(group.sources) < 2:
        return "stated by one article only so far"
    if group.fact.kind == Kind.DATE:
        return "dates: check that these are one date (not a start and an end) before uncommenting"
    values = [m.value for m in group.members if isinstance(m.value, Decimal) and m.value > 0]
    if values and max(values) > MAX_SPREAD * min(values):
        return "its values differ more than twofold: probably several facts; split it before uncommenting"
    return ""


def merge_restatements(groups: Sequence[Group]) -> list[Group]:
    """Merge a group whose values all occur in a larger group of the same slot into that group.

    A headline and a body sentence often state the same figure with different
    words around it; as two facts they would report every conflict twice.
    """
    ordered = sorted(groups, key=lambda g: (-len(g.sources), -len(g.members)))
    kept: list[Group] = []
    for group in ordered:
        values = {m.value for m in group.members}
        home = next((i for i, k in enumerate(kept)
                     if _same_slot(k, group) and values <= {m.value for m in k.members}), None)
        if home is None:
            kept.append(group)
        else:
            kept[home] = replace(kept[home], members=kept[home].members + group.members)
    return kept


def _same_slot(a: Group, b: Group) -> bool:
    """Groups a figure could fit both of: cues are what tells them apart."""
    return (a.fact.kind == b.fact.kind and a.fact.unit.lower() == b.fact.unit.lower()
            and a.fact.period == b.fact.period and a.modality == b.modality)


def catalog_id(discovered_id: str) -> str:
    """A catalogue id (lower-case slug starting with a letter) from a discovered id like '~money-usd-per_month'."""
    slug = re.sub(r"[^a-z0-9]+", "_", discovered_id.lower()).strip("_")
    return slug if slug[:1].isalpha() else f"fact_{slug}"


def context_words(mention: Mention, tokenize: Tokenize) -> dict[str, int]:
    """Content words within WINDOW words of the figure, each with its distance in words."""
    doc = tokenize(mention.sentence)
    start, end = mention.sentence_span
    words = [t for t in doc if t.is_alpha]
    before = [t for t in words if t.idx + len(t.text) <= start]
    after = [t for t in words if t.idx >= end]
    out: dict[str, int] = {}
    for distance, token in [*enumerate(reversed(before[-WINDOW:]), 1), *enumerate(after[:WINDOW], 1)]:
        word = token.lower_
        if len(word) < 3 or token.is_stop or word in NOT_CUES or word == mention.unit.lower():
            continue
        out[word] = min(distance, out.get(word, distance))
    return out


def rank_cues(members: Sequence[Mention], siblings: Sequence[Mention],
              windows: dict[Mention, dict[str, int]]) -> list[str]:
    """Words near this fact's figures, most shared first; words as common near rival facts go last."""
    here: Counter[str] = Counter()
    nearness: Counter[str] = Counter()
    for m in members:
        for word, distance in windows[m].items():
            here[word] += 1
            nearness[word] += WINDOW + 1 - distance
    elsewhere: Counter[str] = Counter(w for m in siblings for w in windows[m])
    ranked = sorted(here, key=lambda w: (-(here[w] - elsewhere[w]), -nearness[w], w))
    return [w for w in ranked if here[w] > elsewhere[w]]


def split_by_shared_word(members: Sequence[Mention],
                         windows: dict[Mention, dict[str, int]]) -> list[tuple[str, list[Mention]]]:
    """Split a lump of unrelated figures by the word next to them that most articles share.

    Greedy: the word found near figures of the most articles forms a group, its
    figures leave the pool, repeat. Figures no two articles share a word for stay
    uncatalogued (discovered at check time, as before).
    """
    pool = list(members)
    parts: list[tuple[str, list[Mention]]] = []
    while True:
        reach: dict[str, set[str]] = defaultdict(set)
        count: Counter[str] = Counter()
        nearness: Counter[str] = Counter()
        for m in pool:
            for word, distance in windows[m].items():
                reach[word].add(m.source_id)
                count[word] += 1
                nearness[word] += WINDOW + 1 - distance
        best = sorted((w for w in reach if len(reach[w]) >= 2),
                      key=lambda w: (-len(reach[w]), w in LINK_WORDS, -nearness[w], -count[w], w))
        if not best:
            return parts
        word = best[0]
        parts.append((word, [m for m in pool if word in windows[m]]))
        pool = [m for m in pool if word not in windows[m]]


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def render_fact(fact: Fact) -> list[str]:
    lines = [f"  - id: {fact.id}", f"    label: {_q(fact.label)}", f"    kind: {fact.kind.value}"]
    if fact.unit:
        lines.append(f"    unit: {_q(fact.unit)}")
    if fact.period != Period.NONE:
        lines.append(f"    period: {fact.period.value}")
    if fact.cues:
        lines.append(f"    cues: [{', '.join(_q(c) for c in fact.cues)}]")
    if fact.kind == Kind.ENTITY:
        if fact.exclusive:
            lines.append("    exclusive: true")
        if fact.min_score != 90.0:
            lines.append(f"    min_score: {fact.min_score:g}")
        lines.append("    values:")
        for value in fact.values:
            lines += [f"      - id: {_q(value.id)}", f"        label: {_q(value.label)}",
                      f"        aliases: [{', '.join(_q(a) for a in value.aliases)}]"]
        if fact.compatible:
            lines.append("    compatible:")
            lines += [f"      - [{', '.join(_q(v) for v in group)}]" for group in fact.compatible]
    if fact.modality is not None:
        lines.append(f"    modality: {fact.modality.value}")
    for key in ("measure", "subject", "time", "scope"):
        if getattr(fact, key):
            lines.append(f"    {key}: {_q(getattr(fact, key))}")
    return lines


def _about(entry: SuggestedFact) -> str:
    examples = "; ".join(entry.examples[:4])
    return f"  # {len(entry.sources)} article{'s' * (len(entry.sources) != 1)} ({', '.join(entry.sources)}): {examples}"


def render_catalog(suggestion: Suggestion, today: date) -> str:
    """The suggestion as commented YAML an editor can review and edit."""
    lines = [
        f"# Starter catalogue suggested by 'factcheck catalog suggest' on {today.isoformat()}",
        f"# from the figures of {suggestion.source_count} article{'s' * (suggestion.source_count != 1)}.",
        "# Review it: rename ids and labels to say what each fact is, drop cue words that",
        "# do not tell facts apart, and add entity facts (names, framings) with their aliases.",
        "# Then run 'factcheck check'. Keys: see the README, section 'The catalogue'.",
        "",
    ]
    active = list(suggestion.facts)
    if not active and not suggestion.entities:
        lines.append("# No figure is stated by two or more articles yet.")
        lines.append("facts: []")
    else:
        lines.append("facts:")
        for entry in active:
            lines += [_about(entry), *render_fact(entry.fact), ""]
        for fact in suggestion.entities:
            lines += ["  # kept from the previous catalogue", *render_fact(fact), ""]
    if suggestion.held:
        lines.append("# Held back, each for the reason given; uncomment an entry once you have checked it:")
        for entry in suggestion.held:
            lines += [f"#   # {entry.held}", "#" + _about(entry)[1:],
                      *("#" + line[1:] for line in render_fact(entry.fact)), "#"]
    relation = _yearly_relation([*active, *suggestion.held])
    if relation:
        lines += ["", "# The report can check arithmetic between facts; uncomment this (and the facts it",
                  "# names, if they are commented out above) when it holds:", *relation]
    return "\n".join(lines).rstrip("\n") + "\n"


def _yearly_relation(active: Sequence[SuggestedFact]) -> list[str]:
    """A commented relation `yearly = monthly * 12` when exactly one fact of each period shares a unit."""
    for unit in sorted({e.fact.unit for e in active if e.fact.kind == Kind.MONEY}):
        monthly = [e.fact for e in active if e.fact.unit == unit and e.fact.period == Period.MONTH]
        yearly = [e.fact for e in active if e.fact.unit == unit and e.fact.period == Period.YEAR]
        if len(monthly) == 1 and len(yearly) == 1:
            return ["# relations:", f"#   - id: {yearly[0].id}_from_monthly", f"#     fact: {yearly[0].id}",
                    f"#     equals: {monthly[0].id} * 12"]
    return []
