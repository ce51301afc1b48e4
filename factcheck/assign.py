"""Assign stage: bind each mention to a catalogued fact, or group it into a discovered fact.

A mention fits a catalogued fact named by cues when kind, unit, period and (if
declared) modality agree; among several that fit, the one whose cue words appear
in the mention's sentence wins. A figure that an article repeats later without
cues ("Forty billion dollars.") follows the fact its earlier mention went to.
Everything else is grouped by kind, unit, period and what it quantifies into
discovered facts, so a story works with an empty catalogue; a catalogued fact
named by its frame (measure, subject, time, scope) then takes over the discovered
fact of that frame, so naming a group never regroups it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .align import Subjects, align_subjects
from .extract.links import scope_class
from .labels import time_label
from .lexicon import Lexicon, load_lexicon
from .model import DATED_TIMES, Catalog, Claim, Fact, Kind, Mention, Period, Qualifier, read_from_words, time_year

ADOPT_REACH = Decimal("0.1")  # an unframed figure joins a framed fact stated within 10% of it
NEAR_REACH = Decimal("0.02")  # a fact under another name joins one more articles state this close to it
# Durations a discovered fact compares in one unit: "three and a half minutes" and "three minutes and 27
# seconds" are one gap, "less than a week" and "five days" one wait. Months and years stay apart (a month
# is no fixed number of days), and so do hours and days ("48 hours" is rarely "two days" in a story).
DURATION_BASE: dict[str, tuple[str, Decimal]] = {"minute": ("second", Decimal(60)),
                                                 "hour": ("second", Decimal(3600)),
                                                 "week": ("day", Decimal(7))}


@dataclass(frozen=True)
class Assignment:
    claims: tuple[Claim, ...]
    facts: tuple[Fact, ...]  # catalogued facts with claims, then discovered ones
    unassigned: tuple[Mention, ...]  # vague mentions that no fact can hold


def _unit_fits(fact: Fact, mention: Mention) -> bool:
    if not fact.unit or (mention.kind == Kind.COUNT and not mention.unit):
        return True  # a count whose noun is implied ("hire 300 more") fits by cues alone
    return fact.unit.lower() == mention.unit.lower()


def _fits(fact: Fact, mention: Mention) -> bool:
    """Whether a mention may be a catalogued fact's named by cues: kind, unit, period and (if declared) modality."""
    if fact.kind != mention.kind or fact.period != mention.period or not _unit_fits(fact, mention):
        return False
    return fact.modality is None or fact.modality == mention.modality


@functools.lru_cache(maxsize=4096)
def _cue_regex(cue: str) -> re.Pattern[str]:
    """A cue as a whole-word pattern, compiled once: assignment tries every cue on every mention."""
    return re.compile(rf"(?<![\w-]){re.escape(cue)}(?![\w])")


def cue_score(fact: Fact, mention: Mention) -> float:
    """How strongly the sentence points at `fact`: the nearest cue counts most, others add a little.

    Nearness decides between two facts cued in one sentence ("Site work begins in
    late April, and ... finished by March 2028").
    """
    sentence = mention.sentence.lower()
    here = mention.start - mention.sentence_start
    weights = []
    for cue in fact.cues:
        if cue not in sentence:
            continue  # most cues are absent: a substring test is far cheaper than the word-bounded regex
        for match in _cue_regex(cue).finditer(sentence):
            distance = min(abs(match.start() - here), abs(match.end() - here))
            weights.append(10 + max(0.0, 20 - distance / 5))
    if not weights:
        return 0.0
    return max(weights) + (len(weights) - 1)


def assign(mentions: tuple[Mention, ...] | list[Mention], catalog: Catalog,
           lexicon: Lexicon | None = None, published: Mapping[str, int] | None = None) -> Assignment:
    """Bind mentions to facts. Pure: the same mentions and catalogue give the same result.

    `published` is each article's year of publication, by source id, where known.
    """
    subjects = align_subjects(mentions, lexicon or load_lexicon())
    # Facts the catalogue names by their frame take what discovery groups under that frame (renamed at
    # the end), so a catalogue `catalog suggest` wrote compares exactly what no catalogue compares.
    cued = [f for f in catalog.facts if f.kind != Kind.ENTITY and not f.measure]
    claims: list[Claim] = []
    leftovers: list[Mention] = []
    unassigned: list[Mention] = []
    for mention in mentions:
        if mention.kind == Kind.ENTITY:
            claims.append(Claim(mention, mention.unit, mention.score))
            continue
        if mention.value is None:
            unassigned.append(mention)
            continue
        candidates = [f for f in cued if _fits(f, mention)]
        scored = sorted(((cue_score(f, mention) if f.cues else 1.0, i, f)
                         for i, f in enumerate(candidates)),
                        key=lambda t: (-t[0], t[1]))
        # A fact with cues needs one in the sentence: kind and unit alone would pull in
        # "the 2.1-kilometre viaduct" next door as the bridge's length. A rate (USD per
        # month) is specific enough on its own when only one fact can hold it.
        if scored and (scored[0][0] > 0 or (len(scored) == 1 and scored[0][2].period != Period.NONE)):
            best_score, _, best = scored[0]
            claims.append(Claim(mention, best.id, min(100.0, best_score)))
        else:
            leftovers.append(in_base_unit(mention))
    # Echoes: a value the same article already gave for a fact, repeated without cues.
    # The first claim per (source, kind, unit, period, value), kept up to date as claims are
    # added: a dict lookup instead of scanning every claim, which is quadratic on big stories.
    first: dict[tuple[object, ...], Claim] = {}
    for c in claims:
        if c.mention.kind != Kind.ENTITY:
            first.setdefault(_echo_key(c.mention), c)
    # An article's headline gives "$460 million" bare, its body says what it is ("a contract worth $460
    # million"): the bare echo joins the fact of the same figure that says what it measures.
    measured: dict[tuple[object, ...], Mention] = {}
    for mention in leftovers:
        if mention.measure:
            measured.setdefault(_echo_key(mention), mention)
    for mention in leftovers:
        # A figure that says what it measures is grouped by its own frame; only a bare repeat echoes.
        # Nor does a figure of another marked time: "10.1% in July" is no echo of September's 10.1%.
        dated = marked_time(mention.time)
        echo = None if mention.measure or dated else first.get(_echo_key(mention))
        twin = None if dated else measured.get(_echo_key(mention))
        if echo is None and not mention.measure and twin is not None:
            claims.append(Claim(mention, discovered_fact(twin, subjects).id, 50.0))
        elif echo is not None:
            claims.append(Claim(mention, echo.fact_id, 50.0))
        else:
            fact = discovered_fact(mention, subjects)
            claims.append(Claim(mention, fact.id, 0.0))
        first.setdefault(_echo_key(mention), claims[-1])
    used = {c.fact_id for c in claims}
    known = {f.id for f in catalog.facts if f.id in used}
    discovered: dict[str, Fact] = {}
    for claim in claims:
        if claim.fact_id not in known and claim.fact_id not in discovered:
            fact = discovered_fact(claim.mention, subjects)
            if fact.id != claim.fact_id:  # an echo: the fact is its measured twin's
                twin = measured[_echo_key(claim.mention)]
                fact = discovered_fact(twin, subjects)
            discovered[claim.fact_id] = fact
    claims = merge_unstated_years(claims, discovered, published or {})
    claims = adopt_unframed(claims, discovered, subjects)
    claims = adopt_lone_subjects(claims, discovered)
    claims = named_by_catalogue(claims, discovered, catalog, subjects)
    used = {c.fact_id for c in claims}
    facts = [f for f in catalog.facts if f.id in used]  # the catalogue's order, frame facts included
    discovered = {k: f for k, f in discovered.items() if k in used}
    claims.sort(key=lambda c: (c.fact_id, c.mention.source_id, c.mention.start))
    return Assignment(tuple(claims), tuple(facts) + tuple(sorted(discovered.values(), key=lambda f: f.id)),
                      tuple(unassigned))


def named_by_catalogue(claims: list[Claim], discovered: dict[str, Fact], catalog: Catalog,
                       subjects: Subjects) -> list[Claim]:
    """Claims of a discovered fact whose frame a catalogue fact names go to that fact (of its modality, if it
    declares one): the catalogue renames and labels what discovery grouped, it does not regroup it."""
    named = {(f.kind.value, f.unit.lower(), f.period.value, f.measure, f.subject or subjects.main, f.scope, f.time): f
             for f in catalog.facts if f.measure}
    if not named:
        return claims
    target = {}
    for d in discovered.values():
        if d.measure:
            fact = named.get((d.kind.value, d.unit.lower(), d.period.value, d.measure, d.subject, d.scope, d.time))
            if fact is not None:
                target[d.id] = fact
    out = []
    for c in claims:
        fact = target.get(c.fact_id)
        if fact is not None and (fact.modality is None or fact.modality == c.mention.modality):
            c = replace(c, fact_id=fact.id)
        out.append(c)
    return out


def merge_unstated_years(claims: list[Claim], discovered: dict[str, Fact],
                         published: Mapping[str, int]) -> list[Claim]:
    """A figure whose sentence names no year joins the one fact that differs from its own only by a year.

    "Revenue of $2.37 billion to $2.39 billion" and "fiscal 2021 revenue of $2.37 billion" are one
    guidance; with two years in the story ("2020 revenue", "2021 revenue") it is left alone, and so
    it is when one article alone gives the year.
    """
    by_rest: dict[tuple[object, ...], list[Fact]] = {}
    for f in discovered.values():
        if f.measure and f.time.startswith(DATED_TIMES):
            by_rest.setdefault(_without_time(f), []).append(f)
    values = _values(claims, discovered)
    stating = _sources_per_fact(claims)
    story_time = _story_times(discovered, stating)
    target = {}
    for f in discovered.values():
        # A year one article gives ("the last outbreak, in 2012, killed 17") is background, not the story's,
        # unless it is the time the story gives the measure ("2.56% in April" for fuel, when inflation is April's).
        dated = [d for d in by_rest.get(_without_time(f), [])
                 if len(stating.get(d.id, ())) >= 2 or story_time.get(d.measure) == d.time]
        # Near in value too: "turnout in 2011 was 61.1%" is the earlier election's, not this one's 68.3%.
        if f.measure and not f.time and len(dated) == 1 and _near_values(values.get(f.id, []),
                                                                         values.get(dated[0].id, [])) \
                and not _long_before(dated[0].time, stating.get(f.id, set()), published):
            target[f.id] = dated[0].id
    return [replace(c, fact_id=target[c.fact_id]) if c.fact_id in target else c for c in claims]


def _long_before(time: str, sources: set[str], published: Mapping[str, int]) -> bool:
    """Whether a year is two or more before every article that states an undated figure: an undated figure
    is the article's present ("will raise $16 billion" in 2012 is not another firm's 2008 offering)."""
    year = time_year(time)
    years = [published[s] for s in sources if s in published]
    return year is not None and bool(years) and year <= min(years) - 2


def _story_times(discovered: dict[str, Fact], stating: dict[str, set[str]]) -> dict[str, str]:
    """The year or month most articles (two or more) give each measure ("April" for the month's inflation);
    none where two times are given as often."""
    sources_by_time: dict[tuple[str, str], set[str]] = {}
    for f in discovered.values():
        if f.measure and f.time.startswith(DATED_TIMES):
            sources_by_time.setdefault((f.measure, f.time), set()).update(stating.get(f.id, ()))
    counts: dict[str, list[tuple[int, str]]] = {}
    for (measure, time), who in sources_by_time.items():
        if len(who) >= 2:
            counts.setdefault(measure, []).append((len(who), time))
    out = {}
    for measure, ranked in counts.items():
        ranked.sort(reverse=True)
        if len(ranked) == 1 or ranked[0][0] > ranked[1][0]:
            out[measure] = ranked[0][1]
    return out


def _values(claims: list[Claim], discovered: dict[str, Fact]) -> dict[str, list[Decimal]]:
    values: dict[str, list[Decimal]] = {}
    for c in claims:
        if c.fact_id in discovered and isinstance(c.mention.value, Decimal):
            values.setdefault(c.fact_id, []).append(c.mention.value)
    return values


def _sources_per_fact(claims: list[Claim]) -> dict[str, set[str]]:
    stating: dict[str, set[str]] = {}
    for c in claims:
        stating.setdefault(c.fact_id, set()).add(c.mention.source_id)
    return stating


def _near_values(ours: list[Decimal], theirs: list[Decimal], reach: Decimal = ADOPT_REACH) -> bool:
    """Some value of one list within `reach` of some value of the other."""
    return any(abs(v - w) <= reach * max(abs(v), abs(w)) for v in ours for w in theirs)


def _without_time(f: Fact) -> tuple[object, ...]:
    return (f.kind, f.unit, f.period, f.measure, f.subject, f.scope)


def adopt_unframed(claims: list[Claim], discovered: dict[str, Fact], subjects: Subjects) -> list[Claim]:
    """A figure whose frame names no measure joins the one framed fact it fits, as a weak claim.

    A figure of no marked time (not "up from 13.1%") fits a fact of its kind, unit and period,
    of its subject (or the story's), of no estimate, forecast or earlier time, stated by some source within ADOPT_REACH of its value:
    "£198m" bare in one article beside "a transfer fee of £200m" in others. With two such
    facts it joins the one more articles state, or none on a tie; a weak claim never blocks.
    """
    framed: dict[tuple[object, ...], list[Fact]] = {}
    for f in discovered.values():
        if f.measure and not read_from_words(f.measure) and f.time not in load_lexicon().marked_times:
            framed.setdefault((f.kind, f.unit.lower(), f.period), []).append(f)
    values = _values(claims, discovered)
    stating = _sources_per_fact(claims)
    out = []
    for c in claims:
        fact = discovered.get(c.fact_id)
        m = c.mention
        read_noun = bool(fact and read_from_words(fact.measure))  # "69.1% of eligible voters"
        if fact is None or (fact.measure and not read_noun) or not isinstance(m.value, Decimal) or not m.value \
                or marked_time(m.time):
            out.append(c)
            continue
        subject = subjects.of(m)
        fits = [f for f in framed.get((m.kind, _key_unit(m, subjects).lower(), m.period), [])
                if subject == subjects.main or f.subject in (subject, subjects.main)]
        near = sorted((-len(stating.get(f.id, ())), f.id) for f in fits if _near_values([m.value], values.get(f.id, [])))
        # One fact, or one that more articles state than any other ("£200m" in five against two).
        if near and (len(near) == 1 or near[0][0] < near[1][0]):
            c = replace(c, fact_id=near[0][1], weak=True)
        out.append(c)
    return out


def adopt_lone_subjects(claims: list[Claim], discovered: dict[str, Fact]) -> list[Claim]:
    """A fact one article gives under a subject of its own joins the fact others give it under another, weakly.

    A subject read from a sentence is often a description or a wrong name ("the search giant's $2.1
    billion deal", "a 46% premium for the app maker"): when one article alone states a framed fact,
    and exactly one fact of the same measure, scope and time but another subject is stated by two or
    more articles within ADOPT_REACH of its value, its figures join that fact as weak claims (compared,
    never blocking). A subject the story gives other facts too (a province with a turnout and a change)
    is a distinct party, not a wrong name, and stays apart, unless its figure is within 2% of the
    shared one (NEAR_REACH; "52.51 per cent" under a rival's name beside "52.5 percent"): so does a fact
    two articles give that close to one more articles give. Such close figures of two parties are rare,
    and joined they are only compared, never blocking.
    """
    stating = _sources_per_fact(claims)
    values = _values(claims, discovered)
    facts_of_subject: dict[str, int] = {}
    for f in discovered.values():
        if f.measure and f.subject:
            facts_of_subject[f.subject] = facts_of_subject.get(f.subject, 0) + 1
    by_frame: dict[tuple[object, ...], list[Fact]] = {}
    for f in discovered.values():
        if f.measure and not f.varies and not f.pairwise:
            by_frame.setdefault((f.kind, f.unit, f.period, f.measure, f.scope, f.time), []).append(f)
    target: dict[str, str] = {}
    for group in by_frame.values():
        shared = [f for f in group if len(stating.get(f.id, ())) >= 2]
        for f in group:
            n = len(stating.get(f.id, ()))
            if n == 1 and facts_of_subject.get(f.subject, 0) <= 1:
                near = [g for g in shared if _near_values(values.get(f.id, []), values.get(g.id, []))]
            elif n in (1, 2):
                near = [g for g in shared if g is not f and len(stating.get(g.id, ())) > n
                        and _near_values(values.get(f.id, []), values.get(g.id, []), NEAR_REACH)]
            else:
                continue
            if len(near) == 1:
                target[f.id] = near[0].id
    return [replace(c, fact_id=target[c.fact_id], weak=True) if c.fact_id in target else c for c in claims]


def _key_unit(mention: Mention, subjects: Subjects) -> str:
    """The unit a fact of this figure is keyed by: every count of people is "person"."""
    if mention.kind == Kind.COUNT and mention.measure in subjects.measure_units \
            and not named_noun(mention.measure, mention.unit):
        # "19 probable" deaths, "35 patients" admitted: the tally's unit; but "sign-ups" stay sign-ups
        return subjects.measure_units[mention.measure]
    if mention.kind == Kind.COUNT and (mention.unit.lower() in subjects.people_words or not mention.unit):
        return "person"  # "398 dead", "398 bodies": one count of people
    if mention.kind == Kind.COUNT:
        return mention.unit.replace("-", "")  # "sign-ups" and "signups" are one noun
    return mention.unit


def in_base_unit(mention: Mention) -> Mention:
    """A duration in the unit its family is compared in (DURATION_BASE); any other figure as it is."""
    if mention.kind != Kind.DURATION or mention.unit not in DURATION_BASE or not isinstance(mention.value, Decimal):
        return mention
    unit, factor = DURATION_BASE[mention.unit]
    return replace(mention, value=mention.value * factor, unit=unit,
                   high=mention.high * factor if isinstance(mention.high, Decimal) else mention.high,
                   precision=mention.precision * factor if mention.precision else mention.precision)


def _echo_key(mention: Mention) -> tuple[object, ...]:
    return mention.source_id, mention.kind, mention.unit, mention.period, mention.value


def discovery_key(mention: Mention, subjects: Subjects | None = None) -> tuple[str, ...]:
    """What makes two uncatalogued figures the same fact.

    With a measure read from the sentence (its frame): kind, unit, period, measure,
    the aligned subject, a separating scope ("per share") and whether it is an earlier
    value ("a year ago"). Without one, the old grouping: kind, unit, period and a head noun.
    """
    if mention.measure and subjects is not None:
        separating = subjects.separating_scopes - ({"per share"} if mention.measure in subjects.per_share_measures
                                                   else set())  # "$461.16 per share" is a share price
        scope = ", ".join(sorted(s for s in scopes(mention) if scope_class(s) in separating))
        earlier = mention.time if marked_time(mention.time) else ""
        if mention.varies and (earlier.startswith(DATED_TIMES) or earlier in load_lexicon().past_times):
            earlier = ""  # a tally in 2015 and one today are one tally read at two times: a discrepancy
        unit = _key_unit(mention, subjects)
        # A running tally (a toll, cases) belongs to the story's event, whichever place a sentence names.
        # So do the day of the event itself ("the plane crashed on Thursday") and what agencies estimate of
        # it ("a depth of 10 km, 70 km west of Puerto Norte" is the quake's depth, not the town's).
        subject = subjects.main if (mention.varies and mention.kind == Kind.COUNT or mention.kind == Kind.DATE
                                    or mention.measure in subjects.estimated_measures) else subjects.of(mention)
        return (mention.kind.value, unit, mention.period.value, mention.measure, subject, scope, earlier)
    subject = mention.subject.lower()
    if mention.kind == Kind.MONEY and mention.period != Period.NONE:
        subject = ""  # a recurring amount is rarely ambiguous within one story
    if mention.kind in (Kind.COUNT, Kind.POWER, Kind.ENERGY, Kind.PERCENT, Kind.QUANTITY):
        subject = ""  # the unit (or counted noun) already says what it is
    return mention.kind.value, mention.unit.lower(), mention.period.value, subject


def discovered_fact(mention: Mention, subjects: Subjects | None = None) -> Fact:
    key = discovery_key(mention, subjects)
    kind, unit, period = key[:3]
    if len(key) > 4:
        measure, subject, scope, earlier = key[3:]
        parts = [kind, unit] + ([] if period == "none" else [f"per-{period}"]) + [measure, subject, scope, earlier]
        label = frame_label(mention, subject, scope, earlier)
        varies = mention.varies
    else:
        subject = key[3]
        parts = [kind, unit] + ([] if period == "none" else [f"per-{period}"]) + ([subject] if subject else [])
        label, measure, varies = _discovered_label(mention, subject), "", False
        unit = mention.unit  # the key lower-cases it; the fact keeps it as written ("MW")
    fact_id = "~" + "-".join(re.sub(r"[^a-z0-9]+", "_", p.lower()).strip("_") for p in parts if p)
    return Fact(id=fact_id, label=label, kind=mention.kind, unit=unit, period=mention.period,
                discovered=True, tolerance=Decimal("0.005"), measure=measure,
                subject=subject, varies=varies, time=key[6] if len(key) > 4 else "",
                pairwise=subjects is not None and measure in subjects.pairwise_measures,
                revised=subjects is not None and measure in subjects.revised_measures,
                scope=key[5] if len(key) > 4 else "")


def marked_time(time: str) -> bool:
    """Times that make a figure another quantity than an undated one: the lexicon's marked times
    (an estimate, a forecast, an earlier value) and an explicit year."""
    return time.startswith(DATED_TIMES) or time in load_lexicon().marked_times  # cached: one load per process


@functools.lru_cache(maxsize=1024)
def named_noun(measure: str, unit: str) -> bool:
    """Whether the lexicon names `unit` as a facet of `measure` ("sign-up" of users), not a synonym ("patient")."""
    found = load_lexicon().measure(measure)  # cached: one load per process
    words = {w.replace("-", "") for w in found.facets} if found else set()
    unit = unit.replace("-", "").lower()
    return unit in words or unit + "s" in words


def scopes(mention: Mention) -> set[str]:
    """The scope classes of a figure's frame ("adjusted, per share" -> {"adjusted", "per share"})."""
    return {s for s in mention.scope.split(", ") if s}


def frame_label(mention: Mention, subject: str, scope: str, earlier: str) -> str:
    """"Acme: share price change (%)", "Deaths (person)", "Acme: revenue per quarter (USD), a year earlier"."""
    rate = f" per {mention.period.value}" if mention.period != Period.NONE else ""
    unit = mention.unit or mention.kind.value
    text = f"{mention.measure}{rate} ({unit})"
    if scope:
        text += f", {scope}"
    if earlier:
        text += ", earlier value" if earlier == "earlier" else f", {time_label(earlier)}"
    return f"{subject.title() if subject.islower() else subject}: {text}" if subject else text[:1].upper() + text[1:]


def _discovered_label(mention: Mention, subject: str) -> str:
    kind = mention.kind
    rate = f" per {mention.period.value}" if mention.period != Period.NONE else ""
    if kind == Kind.COUNT:
        return f"Number of {mention.unit}"
    if kind == Kind.MONEY:
        return f"{mention.unit} amount{rate}" + (f" ({subject})" if subject else "")
    if kind == Kind.DATE:
        return f"Date ({subject})" if subject else "Date"
    if kind == Kind.DURATION:
        return f"Duration in {mention.unit}s" + (f" ({subject})" if subject else "")
    return f"{kind.value.capitalize()} in {mention.unit}{rate}"


def conflict_capable(fact: Fact) -> bool:
    """Whether disagreement inside a discovered fact is strong enough to call a conflict."""
    if not fact.discovered:
        return True
    if fact.kind == Kind.MONEY:
        return fact.period != Period.NONE or bool(fact.subject)
    if fact.kind == Kind.DATE:
        return False  # "by March 2028" and "by 2030" in one story are rarely the same deadline
    if fact.kind == Kind.DURATION:
        return bool(fact.subject)
    return bool(fact.unit)  # counts of an implied noun may be of different things


def is_bound(mention: Mention) -> bool:
    """Bounds (over, at least, up to, a range) agree with any value inside them."""
    return mention.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST, Qualifier.UP_TO, Qualifier.UNDER,
                                 Qualifier.NEARLY, Qualifier.RANGE)
