"""Reconcile stage: compare the claims on each fact and say what agrees, what conflicts, and how badly.

Comparison uses value, unit, period, qualifier, tolerance and modality:
- "over $40B" agrees with "$45B" (a bound holds any value inside it);
- "a billion" against "$1.25 billion" is a rounding discrepancy, not a conflict;
- a plan and a present fact never conflict (they are different facts);
- different periods meet only through relations (declared, or month x 12 = year).

Findings' ids and quotes are built in `findings.py`; arithmetic checks live in `derived.py`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

from .align import no_shared_name, one_full_name, other_parties
from .anchored import anchored_dates
from .assign import conflict_capable, is_bound, marked_time, named_noun, scopes
from .derived import derived_findings
from .extract.frame import AS_OF, BASE_PREFIX, FROM_BEFORE
from .extract.vocab import WEEKDAYS
from .findings import evidence, finding_id, make_finding, reference, source_count
from .labels import amount_label, value_label
from .lexicon import load_lexicon
from .model import (
    CheckStatus, Claim, Fact, Finding, FindingKind, Kind, Mention, Modality, Period, Qualifier, Relation, Resolution,
    DATED_TIMES, Severity, Source, read_from_words,
)

__all__ = ["Comparison", "Reconciliation", "compare", "evidence", "finding_id", "reconcile", "reference"]
# Uncatalogued figures of these kinds conflict only when they say what they measure, alike.
SUBJECT_BOUND = (Kind.PERCENT, Kind.QUANTITY)

# Differences below this share of the value are discrepancies (warnings), above it contradictions.
MINOR_DIFFERENCE = Decimal("0.10")
APPROXIMATE = Decimal("0.10")
HUNDREDFOLD = Decimal(100)  # values this far apart are different quantities, not one misreported
APPROXIMATE_REACH = Decimal("0.5")  # "about $60 billion" may be $50 billion, never $600 billion
OVER_BOUND_REACH = Decimal("1.25")  # "more than 600" is 655, not 1,000: a writer who knew would say so


class Comparison(Enum):
    """How two claims on one fact relate."""

    AGREE = "agree"
    ROUNDING = "rounding"
    CONFLICT = "conflict"
    UNRELATED = "unrelated"  # a plan against a fact, a hypothetical: never a conflict


@dataclass(frozen=True)
class Reconciliation:
    findings: tuple[Finding, ...]
    stale: tuple[Resolution, ...]


# ---------------------------------------------------------------- values

def interval(m: Mention, tolerance: Decimal) -> tuple[Decimal, Decimal | None]:
    """The values a numeric mention admits; None as the upper end means unbounded."""
    assert isinstance(m.value, Decimal)
    v = m.value
    q = m.qualifier
    if q == Qualifier.RANGE and m.high is not None:
        return v, m.high
    if q in (Qualifier.OVER, Qualifier.AT_LEAST):
        return v * (1 - tolerance), v * OVER_BOUND_REACH
    if q in (Qualifier.UP_TO, Qualifier.UNDER):
        return Decimal(0), v * (1 + tolerance)
    if q == Qualifier.NEARLY:
        return v * (1 - APPROXIMATE), v * (1 + tolerance)
    if q == Qualifier.APPROXIMATELY:
        return v * (1 - APPROXIMATE), v * (1 + APPROXIMATE)
    if q == Qualifier.ROUNDED and m.precision:
        return v - m.precision / 2, v + m.precision / 2
    return v * (1 - tolerance), v * (1 + tolerance)


def _contains(outer: tuple[Decimal, Decimal | None], value: Decimal) -> bool:
    lo, hi = outer
    return lo <= value and (hi is None or value <= hi)


def _rounds_to(precise: Decimal, coarse: Mention) -> bool:
    """Whether `precise`, rounded to the coarse mention's last digit, gives the coarse value."""
    if not coarse.precision or coarse.precision <= 0 or not isinstance(coarse.value, Decimal):
        return False
    step = coarse.precision
    if (precise / step).adjusted() > 20:  # beyond any rounding a writer does, and beyond quantize's precision
        return False
    rounded = (precise / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return rounded == coarse.value


def compare(a: Mention, b: Mention, tolerance: Decimal, strict_modality: bool = True,
            exact: bool = False) -> Comparison:
    """How two claims on one fact relate.

    With `strict_modality` (discovered facts) a plan and a present figure are
    different facts and never conflict; a catalogued fact that declares no
    modality says the editor means one figure, whatever the tense.
    """
    if a.modality in (Modality.HYPOTHETICAL, Modality.NEGATED) or b.modality in (Modality.HYPOTHETICAL,
                                                                                   Modality.NEGATED):
        return Comparison.AGREE if a.value == b.value else Comparison.UNRELATED
    if a.kind == Kind.ENTITY or a.kind == Kind.DATE:
        if same_value(a, b):
            return Comparison.AGREE
        if a.kind == Kind.DATE and days_apart(a, b) > MISDATED_REACH:
            return Comparison.UNRELATED  # "crashed on 12 June" and "the crash of 2 March": two crashes
        return Comparison.UNRELATED if strict_modality and a.modality != b.modality else Comparison.CONFLICT
    assert isinstance(a.value, Decimal) and isinstance(b.value, Decimal)
    ia, ib = interval(a, tolerance), interval(b, tolerance)
    if _contains(ia, b.value) and _contains(ib, a.value):
        # With `exact`, two different values are never the same statement: "104F" and "104.5F",
        # "about 400,000" and "about 429,000" are within tolerance, and a rounding worth a look.
        return Comparison.ROUNDING if exact and a.value != b.value and not (is_bound(a) or is_bound(b)) \
            else Comparison.AGREE
    if (is_bound(a) and _contains(ia, b.value)) or (is_bound(b) and _contains(ib, a.value)):
        return Comparison.AGREE
    if strict_modality and a.modality != b.modality:
        return Comparison.UNRELATED
    if _contains(ia, b.value) or _contains(ib, a.value) or _rounds_to(a.value, b) or _rounds_to(b.value, a):
        return Comparison.ROUNDING
    return Comparison.CONFLICT


def same_value(a: Mention, b: Mention) -> bool:
    if a.kind == Kind.DATE and isinstance(a.value, str) and isinstance(b.value, str):
        return same_date(a.value.split(" ")[0], b.value.split(" ")[0])
    return a.value == b.value


WEEKDAY_NAMES = tuple(day.title() for day in WEEKDAYS)  # as an undated article's weekday is written


MISDATED_REACH = 6  # days: a misdated event is a weekday or a day off; a week apart is another week's event


def days_apart(a: Mention, b: Mention) -> int:
    """Days between two dates of one day each; between two weekdays, the nearer way round ("Sunday" and
    "Monday": 1); 0 when either is not one day (a month, a year)."""
    x, y = (str(m.value).split(" ")[0] for m in (a, b))
    if x in WEEKDAY_NAMES or y in WEEKDAY_NAMES:
        days = [WEEKDAY_NAMES.index(v) if v in WEEKDAY_NAMES else _weekday_of(v) for v in (x, y)]
        if days[0] < 0 or days[1] < 0:
            return 0
        d = abs(days[0] - days[1])
        return min(d, 7 - d)
    try:
        return abs((datetime.date.fromisoformat(x) - datetime.date.fromisoformat(y)).days)
    except ValueError:
        return 0


def _weekday_of(value: str) -> int:
    try:
        return datetime.date.fromisoformat(value).weekday()
    except ValueError:
        return -1


def same_date(x: str, y: str) -> bool:
    """Whether two dates as the extractor writes them can be one day: "2025-06" and "2025-06-12" can;
    a weekday of an undated article ("Thursday") is the same as a date that falls on it; a date
    without its year ("--06-12") the same as one with."""
    if x in WEEKDAY_NAMES or y in WEEKDAY_NAMES:
        day, other = (x, y) if x in WEEKDAY_NAMES else (y, x)
        if other in WEEKDAY_NAMES or not re.fullmatch(r"\d{4}-\d\d-\d\d", other):
            return other == day or other not in WEEKDAY_NAMES  # a weekday against a month or a year: unknown
        return _weekday_of(other) == WEEKDAY_NAMES.index(day)
    if x.startswith("--") != y.startswith("--"):  # "--06-12" against "2025-06-12": compare month and day
        x, y = (x[2:], y[5:]) if x.startswith("--") else (x[5:], y[2:])
    return x.startswith(y) or y.startswith(x)


def relative_difference(a: Mention, b: Mention) -> Decimal:
    if not isinstance(a.value, Decimal) or not isinstance(b.value, Decimal):
        return Decimal(1)
    top = max(abs(a.value), abs(b.value))
    return abs(a.value - b.value) / top if top else Decimal(0)


def reconcile_fact(fact: Fact, claims: list[Claim], facts: dict[str, Fact],
                   sources: dict[str, Source], amounts: Mapping[str, frozenset[Amount]] | None = None) -> list[Finding]:
    """The findings on one fact, from all its claims; `amounts` are the sums each article states (`stated_amounts`)."""
    if not any(c.mention.modality in (Modality.STATED, Modality.PLANNED) for c in claims):
        return []  # only denied or hypothetical figures: nobody claims anything
    if fact.kind == Kind.ENTITY:
        return _reconcile_entity(fact, claims, facts, sources)
    if fact.measure and (fact.discovered or source_count(claims) > 1):
        # Facts named by their frame, discovered or catalogued, are judged by their frames; a catalogued
        # one stated by a single source is listed as single-source like any catalogued fact.
        return _reconcile_aligned(fact, claims, facts, sources, amounts or {})
    return _reconcile_numeric(fact, claims, facts, sources)


def _reconcile_numeric(fact: Fact, claims: list[Claim], facts: dict[str, Fact],
                       sources: dict[str, Source]) -> list[Finding]:
    if fact.discovered and not conflict_capable(fact):
        # A group too loose to hold one quantity ("Duration in seconds": a winner's time, the runner-up's,
        # the margin) is compared within runs of close values: "2:01:40" beside six "2:01:39" is a rounding
        # worth a look even where the story's most stated time is another runner's.
        chains = _value_chains(claims, fact.tolerance)
        if len(chains) > 1:
            return [f for chain in chains for f in _reconcile_numeric_values(fact, chain, facts, sources)]
    return _reconcile_numeric_values(fact, claims, facts, sources)


def _value_chains(claims: list[Claim], tolerance: Decimal) -> list[list[Claim]]:
    """Claims in runs of values each close to the next (within CLOSE_LINK, or a rounding or bound of it, as
    `compare` reads them: "about 45 minutes" and "43 minutes and 23 seconds"); claims of no number in one run."""
    numbered = sorted((c for c in claims if isinstance(c.mention.value, Decimal) and c.mention.value > 0),
                      key=lambda c: (c.mention.value, c.mention.source_id, c.mention.start))
    others = [c for c in claims if not (isinstance(c.mention.value, Decimal) and c.mention.value > 0)]
    chains: list[list[Claim]] = [others] if others else []
    run: list[Claim] = []
    for c in numbered:
        last = run[-1].mention if run else None
        if last is not None and isinstance(last.value, Decimal) and isinstance(c.mention.value, Decimal) \
                and c.mention.value > last.value * CLOSE_LINK \
                and compare(last, c.mention, tolerance, strict_modality=False) == Comparison.CONFLICT:
            chains.append(run)
            run = []
        run.append(c)
    return chains + ([run] if run else [])


def _reconcile_numeric_values(fact: Fact, claims: list[Claim], facts: dict[str, Fact],
                              sources: dict[str, Source]) -> list[Finding]:
    ref = reference(claims)
    agree: list[Claim] = []
    rounding: list[Claim] = []
    conflict: list[Claim] = []
    # Against one reference, a claim's comparison depends only on how it states its value: thousands
    # of articles repeat a few values, so each distinct statement is compared once.
    compared: dict[tuple[object, ...], Comparison] = {}
    for c in claims:
        m = c.mention
        stated = (type(m.value), str(m.value), m.modality, m.qualifier, str(m.high), str(m.precision))
        rel = compared.get(stated)
        if rel is None:
            rel = compared[stated] = compare(ref.mention, m, fact.tolerance, strict_modality=fact.discovered,
                                             exact=fact.discovered)
        if rel == Comparison.CONFLICT and fact.discovered and fact.kind in SUBJECT_BOUND \
                and not (ref.mention.subject and ref.mention.subject == c.mention.subject):
            rel = Comparison.UNRELATED  # "a 12% stake" and "shares rose 4%" are different facts
        if rel == Comparison.AGREE:
            agree.append(c)
        elif rel == Comparison.ROUNDING:
            rounding.append(c)
        elif rel == Comparison.CONFLICT and conflict_capable(fact):
            conflict.append(c)
    ref_label = value_label(ref.mention, fact)
    findings: list[Finding] = []
    n_sources = source_count(claims)
    if n_sources == 1:
        if not fact.discovered:
            labels = sorted({value_label(c.mention, fact) for c in claims})
            findings.append(make_finding(FindingKind.SINGLE_SOURCE, Severity.INFO, fact,
                                     f"{fact.label}: {', '.join(labels)}, stated only by {claims[0].mention.source_id}",
                                     labels, claims, facts, sources))
        return findings
    if source_count(agree) >= 2:
        findings.append(make_finding(FindingKind.AGREEMENT, Severity.INFO, fact,
                                 f"{fact.label}: {ref_label}, stated by {source_count(agree)} sources",
                                 [ref_label], agree, facts, sources))
    elif not fact.discovered and not conflict and not rounding:
        labels = sorted({value_label(c.mention, fact) for c in claims})
        findings.append(make_finding(FindingKind.SINGLE_SOURCE, Severity.INFO, fact,
                                 f"{fact.label}: values never stated by two sources alike", labels, claims,
                                 facts, sources))
    if rounding:
        labels = sorted({value_label(c.mention, fact) for c in rounding})
        where = " (in a headline)" if all(c.mention.in_headline for c in rounding) else ""
        rounding_sources = {r.mention.source_id for r in rounding}
        # A headline rounding its own body quotes the body's figure; else every source of the precise value.
        own = [c for c in agree if c.mention.source_id in rounding_sources]
        findings.append(make_finding(
            FindingKind.DISCREPANCY, Severity.WARNING, fact,
            f"{fact.label}: {', '.join(labels)} rounds {ref_label}{where}",
            [ref_label, *labels], rounding + (own[:1] or agree or [ref]), facts, sources))
    if conflict:
        labels = sorted({value_label(c.mention, fact) for c in conflict})
        worst = max(relative_difference(ref.mention, c.mention) for c in conflict)
        # A discovered fact whose frames name no measure is a weak alignment ("Number of person"): worth
        # a look, never blocking.
        weak = fact.discovered and not fact.measure
        kind, severity = ((FindingKind.CONTRADICTION, Severity.BLOCKING) if worst > MINOR_DIFFERENCE and not weak
                          else (FindingKind.DISCREPANCY, Severity.WARNING))
        findings.append(make_finding(kind, severity, fact,
                                 f"{fact.label}: {', '.join(labels)} against {ref_label}",
                                 [ref_label, *labels], conflict + [c for c in agree], facts, sources))
    return findings


COMPLEMENT_REACH = Decimal("1.5")  # points by which two shares of a two-way split may miss 100% (blank votes, rounding)
REVISION_REACH = Decimal("0.2")  # points by which GDP growth or unemployment is commonly revised
FORECAST_SPREAD = 2  # two forecasts this far apart are of different periods more often than at odds


def both_can_be_true(fact: Fact, a: Mention, b: Mention, published: Mapping[str, object]) -> str:
    """Why two differing figures of aligned frames may both be right ("" when they cannot).

    A running tally or market reading (a toll, a share price) is read at different times
    unless both name the same time on the same day; differing explicit times, attributed
    sources or scopes, and approximate wording are all reconcilable.
    """
    if a.time != b.time and (a.time and b.time or marked_time(a.time) or marked_time(b.time)):
        return f"different times ({a.time or 'unstated'} / {b.time or 'unstated'})"
    if fact.kind == Kind.DATE and days_apart(a, b) == 1:
        return "a day apart: an event late at night, or dated in another time zone"
    if fact.varies:
        dated = a.time == b.time and a.time.startswith(AS_OF)  # "as of 25 September" in both: the same reading
        if not dated and not (a.time and a.time == b.time and published.get(a.source_id) == published.get(b.source_id)
                              and published.get(a.source_id) is not None):
            return "reported at different times"
    if a.time == b.time and marked_time(a.time) and not a.time.startswith(DATED_TIMES) \
            and isinstance(a.value, Decimal) and isinstance(b.value, Decimal) and min(abs(a.value), abs(b.value)) > 0 \
            and max(abs(a.value), abs(b.value)) / min(abs(a.value), abs(b.value)) >= FORECAST_SPREAD:
        return f"{a.time}s {FORECAST_SPREAD}x apart: probably of different periods (a quarter, a year)"
    lexicon = load_lexicon()  # cached: one load per process
    if a.time == b.time and a.time in lexicon.past_times:
        return f"{a.time} values: possibly of different past moments"  # "a 7.4 quake in 1970", "in 1974"
    vintage = lexicon.vintage_times
    if a.time != b.time and (a.time in vintage or b.time in vintage):
        return f"a preliminary or revised estimate ({a.time or 'unstated'} / {b.time or 'unstated'})"
    if fact.revised and published.get(a.source_id) and published.get(b.source_id) \
            and published.get(a.source_id) != published.get(b.source_id):
        return "published on different days: an official estimate may have been revised"
    if fact.revised and not (published.get(a.source_id) and published.get(b.source_id)) \
            and isinstance(a.value, Decimal) and isinstance(b.value, Decimal) and abs(a.value - b.value) <= REVISION_REACH:
        return "an official estimate is often revised by this much, and a publication date is missing"
    if any(m.qualifier == Qualifier.RANGE and FROM_BEFORE.search(m.sentence[:m.sentence_span[0]]) for m in (a, b)):
        return "a change from one value to another, not a range"  # "from 47.4% to 61.5%"
    if fact.pairwise and not one_full_name(a, b, load_lexicon()):
        return f"a {fact.measure} of one of several places or people: the sentences may not name the same one"
    if a.kind == Kind.PERCENT and isinstance(a.value, Decimal) and isinstance(b.value, Decimal) \
            and abs(a.value + b.value - 100) <= COMPLEMENT_REACH:
        return "the two add up to 100%: probably the two sides of one vote or split"  # "55.3% No", "44.7% Yes"
    if a.attribution and b.attribution and a.attribution.lower() != b.attribution.lower():
        return f"different sources cited ({a.attribution} / {b.attribution})"
    named = lexicon.measure(fact.measure)
    parties = other_parties(a, b, lexicon) if named is not None and named.contested else None
    if parties:
        return f"written beside different names ({parties[0]} / {parties[1]}): perhaps two parties' {fact.measure}"
    if named is not None and named.based:
        return f"a {fact.measure} over a base price: the two may be over different days' prices"
    if named is not None and named.estimated and not (a.attribution and a.attribution.lower() == b.attribution.lower()):
        return f"agencies measure the {fact.measure} each their own way, and these do not cite the same one"
    base_a, base_b = ({x for x in scopes(m) if x.startswith(BASE_PREFIX)} for m in (a, b))
    if base_a and base_b and base_a != base_b:  # "61.5% of registered voters" / "68.5% of eligible voters"
        return f"shares of different wholes ({', '.join(sorted(base_a))} / {', '.join(sorted(base_b))})"
    plain_a, plain_b = scopes(a) - {"total"} - base_a, scopes(b) - {"total"} - base_b
    if plain_a != plain_b:  # an unstated scope is the whole; a base stated once is no difference
        return f"different scope ({', '.join(sorted(plain_a)) or 'unstated'} / {', '.join(sorted(plain_b)) or 'unstated'})"
    if isinstance(a.value, Decimal) and isinstance(b.value, Decimal) and min(abs(a.value), abs(b.value)) > 0 \
            and max(abs(a.value), abs(b.value)) / min(abs(a.value), abs(b.value)) >= HUNDREDFOLD \
            and not scale_slip(a.value, b.value):
        return "a hundredfold apart: probably different quantities (per share and in total)"
    if a.kind in (Kind.COUNT, Kind.QUANTITY) and isinstance(a.value, Decimal) and isinstance(b.value, Decimal) \
            and min(abs(a.value), abs(b.value)) > 0 and not power_of_ten_apart(a.value, b.value) \
            and max(abs(a.value), abs(b.value)) / min(abs(a.value), abs(b.value)) >= TENFOLD:
        return "an order of magnitude apart, and no slipped digit: probably a part (a region, a group) and the whole"
    loose = (Qualifier.APPROXIMATELY, Qualifier.NEARLY, Qualifier.ROUNDED, Qualifier.VAGUE)
    numeric = isinstance(a.value, Decimal) and isinstance(b.value, Decimal)
    if (a.qualifier in loose or b.qualifier in loose) and (not numeric or relative_difference(a, b) <= APPROXIMATE_REACH):
        return "approximate wording"
    return ""


Amount = tuple[str, Decimal]  # (currency, value): a sum an article states


def stated_amounts(claims: Sequence[Claim]) -> dict[str, frozenset[Amount]]:
    """The sums of money each article states, whatever fact they went to."""
    out: dict[str, set[Amount]] = {}
    for c in claims:
        m = c.mention
        if m.kind == Kind.MONEY and isinstance(m.value, Decimal) and m.value > 0:
            out.setdefault(m.source_id, set()).add((m.unit, m.value))
    return {k: frozenset(v) for k, v in out.items()}


def stated_difference(a: Mention, b: Mention, amounts: Mapping[str, frozenset[Amount]]) -> str:
    """Two totals apart by a sum one of their articles states: one may include that part.

    "$19 billion" and "$16 billion" for one deal, where an article lists "$3 billion in restricted
    stock units": a total with and without a part, not a misreported sum. Only the two articles'
    own sums count, so a round number elsewhere in the story does not excuse a real conflict.
    """
    if a.kind != Kind.MONEY or not isinstance(a.value, Decimal) or not isinstance(b.value, Decimal):
        return ""
    gap = abs(a.value - b.value)
    for unit, value in sorted(amounts.get(a.source_id, frozenset()) | amounts.get(b.source_id, frozenset())):
        if unit == a.unit and value not in (a.value, b.value) and abs(value - gap) <= PART_TOLERANCE * value:
            return f"they differ by {amount_label(value, unit, Kind.MONEY)}, a sum one of the articles states: one may include it"
    return ""


PART_TOLERANCE = Decimal("0.02")
TENFOLD = Decimal(10)
SLIP_TOLERANCE = Decimal("0.01")  # how near a power of ten two values' ratio is for a slipped digit or scale word


def powers_of_ten_apart(x: Decimal, y: Decimal) -> int | None:
    """The power of ten two values are apart by, to within 1 % ("4,500" and "45,000": 1), or None."""
    small, big = sorted((abs(x), abs(y)))
    if small <= 0:
        return None
    ratio = big / small
    digits = len(str(int(ratio))) - 1
    return next((k for k in (digits, digits + 1) if abs(ratio / Decimal(10) ** k - 1) <= SLIP_TOLERANCE), None)


def power_of_ten_apart(x: Decimal, y: Decimal) -> bool:
    """Whether two values differ by a power of ten ("4,500" for "45,000"): a slipped digit or scale."""
    return powers_of_ten_apart(x, y) is not None


def scale_slip(x: Decimal, y: Decimal) -> bool:
    """Two values a thousand, a million or a billion times apart to within rounding: the same figure
    written with the wrong scale word ("14.1bn yuan" for 14.14 trillion), not two quantities."""
    return powers_of_ten_apart(x, y) in (3, 6, 9)


NEAR_LINK = Decimal("1.5")  # values within this ratio of a neighbour are one quantity told differently
CLOSE_LINK = Decimal("1.02")  # ... in a group that holds several quantities, only values this close


def _near_clusters(ref: Claim, soft: list[Claim]) -> list[tuple[list[Claim], bool]]:
    """Outliers that may be right, with each group of near values far from the consensus split out.

    Discovery groups a story's figures by frame, so one group can hold several quantities ("0.9%" and
    "0.95%" beside a 52.5% vote share): values are chained to neighbours within NEAR_LINK of each other,
    and a chain away from the consensus stated by two sources or more, with two values or more, is a
    finding of its own (True marks the one set against the consensus). Lone far values stay beside the
    consensus, where other rules say what they probably are (a region and the whole, a slipped digit).
    """
    size: dict[int, Decimal] = {}
    for c in [ref, *soft]:
        if not isinstance(c.mention.value, Decimal) or not c.mention.value:
            return [(soft, True)]  # dates and zeros: one finding, as before
        size[id(c)] = abs(c.mention.value)
    ordered = sorted([ref, *soft], key=lambda c: (size[id(c)], c.mention.source_id))
    chains: list[list[Claim]] = [[ordered[0]]]
    for c in ordered[1:]:
        if size[id(c)] <= size[id(chains[-1][-1])] * NEAR_LINK:
            chains[-1].append(c)
        else:
            chains.append([c])
    apart = [chain for chain in chains if all(c is not ref for c in chain)
             and len({c.mention.source_id for c in chain}) >= 2 and len({size[id(c)] for c in chain}) >= 2]
    split = {id(c) for chain in apart for c in chain}
    beside = [c for c in soft if id(c) not in split]
    return [(beside, True)] + [(sorted(chain, key=lambda c: (c.mention.source_id, c.mention.start)), False)
                               for chain in apart]


def _precise_difference(a: Mention, b: Mention) -> bool:
    """Percentages stated to a decimal that differ: an official rate is not rounded two ways."""
    return a.kind == Kind.PERCENT and all(m.precision is not None and m.precision < 1 for m in (a, b))


def _reconcile_aligned(fact: Fact, claims: list[Claim], facts: dict[str, Fact],
                       sources: dict[str, Source], amounts: Mapping[str, frozenset[Amount]]) -> list[Finding]:
    """Findings on a fact discovered from frames: sources compared with the consensus, outliers named.

    Only figures of different articles disagree: a source that states the consensus value
    somewhere is not an outlier, and an article whose own figures conflict (with no other
    source involved) is an internal inconsistency, never blocking.
    """
    findings: list[Finding] = []
    published = {sid: s.published for sid, s in sources.items()}
    # A plan and a present figure never conflict, but an estimate or a forecast is a plan whichever
    # way it is worded ("analysts expect", "analysts had predicted"): those are compared together.
    together = fact.time in ("estimate", "forecast")
    modalities = [(Modality.STATED, Modality.PLANNED)] if together else [(Modality.STATED,), (Modality.PLANNED,)]
    for modality in modalities:
        group = [c for c in claims if c.mention.modality in modality
                 and (isinstance(c.mention.value, Decimal) or fact.kind == Kind.DATE and c.mention.value is not None)]
        if not group:
            continue
        ref = reference(group)
        by_source: dict[str, list[Claim]] = {}
        for c in group:
            by_source.setdefault(c.mention.source_id, []).append(c)
        agree: list[Claim] = []
        rounding: list[Claim] = []
        conflict: list[Claim] = []
        internal: list[Claim] = []
        also_agreeing: set[str] = set()  # articles that state the consensus beside their other values
        for source_id, own in sorted(by_source.items()):
            rels = [(compare(ref.mention, c.mention, fact.tolerance, strict_modality=not together, exact=True), c)
                    for c in own]
            agreeing = [c for r, c in rels if r == Comparison.AGREE]
            if agreeing and fact.varies:
                # A tally an article updates ("rose from 11 to 23"): its other values are readings at other
                # times, set against the other outlets' like any outlier (never blocking: see `why_of`).
                agree.extend(agreeing)
                also_agreeing.add(source_id)
                conflict.extend(c for r, c in rels if r == Comparison.CONFLICT)
                rounding.extend(c for r, c in rels if r == Comparison.ROUNDING)
                continue
            if agreeing:
                agree.extend(agreeing)
                # Both exact and stated flatly: an article giving "about $1.08 billion" beside "$1.96 billion"
                # is usually giving two different things, not contradicting itself.
                odd = [c for r, c in rels if r == Comparison.CONFLICT and c.mention.qualifier == Qualifier.EXACT]
                # An article dating one kind of event twice ("struck on Sunday", an aftershock "struck on
                # Monday") tells of two events, not one misdated.
                if odd and not fact.varies and fact.kind != Kind.DATE and any(a.mention.qualifier == Qualifier.EXACT for a in agreeing):
                    internal.extend(odd + [a for a in agreeing if a.mention.qualifier == Qualifier.EXACT][:1])
                # "About $70B" in its headline beside "$68.7 billion" in its body: a rounding worth a look,
                # as it is when another article rounds.
                rounding.extend(c for r, c in rels if r == Comparison.ROUNDING)
                continue
            near = [c for r, c in rels if r == Comparison.ROUNDING]
            far = [c for r, c in rels if r == Comparison.CONFLICT]
            if near:
                rounding.extend(near)
                if fact.varies:
                    conflict.extend(far)
                continue
            if far:
                conflict.extend(far)
        ref_label = value_label(ref.mention, fact)
        n_agree = source_count(agree)
        if n_agree >= 2:
            findings.append(make_finding(FindingKind.AGREEMENT, Severity.INFO, fact,
                                     f"{fact.label}: {ref_label}, stated by {n_agree} sources",
                                     [ref_label], agree, facts, sources))
        consensus = f"{ref_label} ({n_agree} source{'s' * (n_agree != 1)})"
        if rounding:
            labels = sorted({value_label(c.mention, fact) for c in rounding})
            where = " (in a headline)" if all(c.mention.in_headline for c in rounding) else ""
            findings.append(replace(make_finding(
                FindingKind.DISCREPANCY, Severity.WARNING, fact,
                f"{fact.label}: {', '.join(labels)} rounds {ref_label}{where}",
                [ref_label, *labels], rounding + (agree or [ref]), facts, sources),
                consensus=consensus, outliers=tuple(sorted({c.mention.source_id for c in rounding}))))
        if conflict and source_count(conflict + agree + rounding) < 2:
            conflict = []  # one article's readings only: nothing between sources
        if conflict:
            # Outliers that cannot be right alongside the consensus block; those that can (other times,
            # scopes, sources cited, approximate wording, weak alignment) are a discrepancy beside them.
            read_noun = read_from_words(fact.measure)  # "12.5% of speakers": no lexicon measure says so
            why_of = {id(c): both_can_be_true(fact, ref.mention, c.mention, published)
                      or stated_difference(ref.mention, c.mention, amounts)
                      or ("aligned only by value: its sentence names no measure" if c.weak or ref.weak else "")
                      # Its own article gives the consensus too: another reading, or another quantity.
                      or ("its article also states the consensus value" if c.mention.source_id in also_agreeing
                          else "")
                      # One article against one, with no name in common: perhaps two parties' figures.
                      or (f"one source against one, written beside different names ({' / '.join(parties)})"
                          if n_agree <= 1 and (parties := no_shared_name(ref.mention, c.mention, load_lexicon()))
                          else "")
                      or ("aligned only by the sentence's own words: what they measure may differ" if read_noun else "")
                      # An event word beside a day is a weak tie: the two sentences may date two events.
                      or ("dated by a word beside it: the sentences may date different events"
                          if fact.kind == Kind.DATE else "")
                      for c in conflict}
            # A minor difference of a rounded figure is worth a look, not a block; each outlier is judged alone.
            hard = [c for c in conflict if not why_of[id(c)]
                    and (relative_difference(ref.mention, c.mention) > MINOR_DIFFERENCE
                         or _precise_difference(ref.mention, c.mention))]
            soft = [c for c in conflict if c not in hard]
            parts = [(FindingKind.CONTRADICTION, Severity.BLOCKING, hard, True)] \
                + [(FindingKind.DISCREPANCY, Severity.WARNING, cluster, with_ref)
                   for cluster, with_ref in ([(soft, True)] if fact.varies else _near_clusters(ref, soft))]
            for kind, severity, part, with_ref in parts:
                if not part:
                    continue
                labels = sorted({value_label(c.mention, fact) for c in part})
                outliers = tuple(sorted({c.mention.source_id for c in part}))
                if not with_ref:  # a near group of its own, far from the consensus: probably another quantity
                    findings.append(make_finding(
                        kind, severity, fact, f"{fact.label}: {', '.join(labels)} ({', '.join(outliers)}) differ; "
                        f"far from {consensus}, perhaps another quantity", labels, part, facts, sources))
                    continue
                why = "; ".join(sorted({why_of[id(c)] for c in part} - {""}))
                summary = (f"{fact.label}: {', '.join(labels)} ({', '.join(outliers)}) against {consensus}"
                           + (f"; both can be true: {why}" if why else ""))
                # One source against one: no consensus to name, and no outlier (the report says "split").
                split = n_agree <= 1 and len(outliers) == 1
                findings.append(replace(make_finding(kind, severity, fact, summary, [ref_label, *labels],
                                                 part + agree, facts, sources),
                                        consensus="" if split else consensus, outliers=() if split else outliers))
        reported = {id(c) for c in [*agree, *rounding, *conflict]}
        second, explained = _second_quantities(fact, [c for c in group if id(c) not in reported], consensus,
                                               facts, sources)
        findings.extend(second)
        # An article's own other figure is an inconsistency of its own, unless another article states it too
        # beside the consensus (then it is a second quantity, compared above).
        odd_of: dict[str, list[Claim]] = {}
        for c in internal:
            odd_of.setdefault(c.mention.source_id, []).append(c)
        settled = explained | {id(a) for a in agree}
        for owner, own in sorted(odd_of.items()):
            if conflict or all(id(c) in settled for c in own):
                continue
            labels = sorted({value_label(c.mention, fact) for c in own})
            findings.append(make_finding(FindingKind.INTERNAL, Severity.WARNING, fact,
                                     f"{fact.label}: {owner} states {' and '.join(labels)} in one article",
                                     labels, own, facts, sources))
    return findings


def _second_quantities(fact: Fact, leftover: list[Claim], consensus: str, facts: dict[str, Fact],
                       sources: dict[str, Source]) -> tuple[list[Finding], set[int]]:
    """Figures the consensus comparison set aside, compared among themselves across articles.

    Two articles that each give a deal's value and, beside it, its value with debt ("$108.7 billion",
    "$109 billion") state a second quantity of the group: its figures are never set against the consensus
    (each article states that too), but close ones are compared with each other, never blocking.
    Returns the findings and the claims (by id) they compare.
    """
    out: list[Finding] = []
    explained: set[int] = set()
    for run in _value_chains(leftover, fact.tolerance):
        if source_count(run) < 2 or not all(isinstance(c.mention.value, Decimal) for c in run):
            continue
        explained.update(id(c) for c in run)
        ref = reference(run)
        rels = [(compare(ref.mention, c.mention, fact.tolerance, strict_modality=False, exact=True), c) for c in run]
        agree = [c for r, c in rels if r == Comparison.AGREE]
        agreeing = {a.mention.source_id for a in agree}
        other = [c for r, c in rels if r in (Comparison.ROUNDING, Comparison.CONFLICT)
                 and c.mention.source_id not in agreeing]
        ref_label = value_label(ref.mention, fact)
        if source_count(agree) >= 2:
            out.append(make_finding(FindingKind.AGREEMENT, Severity.INFO, fact,
                                    f"{fact.label}: {ref_label}, stated by {source_count(agree)} sources",
                                    [ref_label], agree, facts, sources))
        if other:
            labels = sorted({value_label(c.mention, fact) for c in other})
            out.append(make_finding(
                FindingKind.DISCREPANCY, Severity.WARNING, fact,
                f"{fact.label}: {', '.join(labels)} against {ref_label}; both beside the consensus {consensus}, "
                "perhaps another quantity of it", [ref_label, *labels], other + agree, facts, sources))
    return out, explained


def same_number_other_rate(facts: Sequence[Fact], by_fact: dict[str, list[Claim]], fact_map: dict[str, Fact],
                           sources: dict[str, Source]) -> list[Finding]:
    """"700 million weekly users" against "700 million a month": one number, two periods or currencies, blocking.

    One number of two counted nouns ("users", "sign-ups") is a discrepancy: often synonyms.
    """
    siblings: dict[tuple[str, str, str], list[Fact]] = {}
    for f in facts:
        if f.discovered and f.measure:
            siblings.setdefault((f.kind.value, f.measure, f.subject), []).append(f)
    out = []
    noun_findings: set[tuple[tuple[str, str, str], object]] = set()
    for key, group in siblings.items():
        for i, f in enumerate(group):
            for g in group[i + 1:]:
                if (f.unit, f.period) == (g.unit, g.period) or f.kind != g.kind:
                    continue
                if f.period != g.period and Period.NONE in (f.period, g.period):
                    continue  # "100 million monthly users" and "100 million users": a measure's name, not a rate
                if f.kind == Kind.MONEY and f.unit == g.unit:
                    continue  # $1.25B a month and $15B a year: relations compare those
                if "/" in f.unit or "/" in g.unit:
                    continue  # "$58.24 a barrel" and "$58.24": a price per unit is another quantity
                if f.unit != g.unit and f.kind not in (Kind.MONEY, Kind.COUNT):
                    continue  # "5 GW" against "5 GWh" is another quantity, not a slip
                asserted = (Modality.STATED, Modality.PLANNED)
                pairs = [(a, b) for a in by_fact.get(f.id, []) for b in by_fact.get(g.id, [])
                         if a.mention.source_id != b.mention.source_id and a.mention.value == b.mention.value
                         and a.mention.modality in asserted and b.mention.modality in asserted
                         and not is_bound(a.mention) and not is_bound(b.mention)
                         and a.mention.qualifier != Qualifier.VAGUE and b.mention.qualifier != Qualifier.VAGUE
                         and not marked_time(a.mention.time) and not marked_time(b.mention.time)
                         and (f.unit != g.unit or a.mention.scope == b.mention.scope)]
                if not pairs:
                    continue
                a, b = pairs[0]
                la, lb = value_label(a.mention, f), value_label(b.mention, g)
                summary = f"{f.label}: the same number stated as {la} ({a.mention.source_id}) and {lb} " \
                          f"({b.mention.source_id})"
                # "100 million users" against "100 million sign-ups": often synonyms, but sign-ups are not
                # users; worth a look, never a block.
                nouns = f.kind == Kind.COUNT and f.unit != g.unit
                if nouns and (not (named_noun(f.measure, f.unit) and named_noun(g.measure, g.unit))
                              or (key, a.mention.value) in noun_findings):
                    continue  # only nouns the lexicon names apart ("users", "sign-ups"), not "bikes" and "bicycles"
                if nouns:
                    noun_findings.add((key, a.mention.value))
                kind, severity = ((FindingKind.DISCREPANCY, Severity.WARNING) if nouns
                                  else (FindingKind.CONTRADICTION, Severity.BLOCKING))
                quoted = [a, b]
                if nouns:
                    # Every article giving this number under either noun: the editor sees who says which.
                    quoted = [c for c in [*by_fact.get(f.id, []), *by_fact.get(g.id, [])]
                              if c.mention.value == a.mention.value and c.mention.modality in asserted]
                    names = {n: sorted({c.mention.source_id for c in quoted if c.fact_id == fid})
                             for n, fid in ((f.unit, f.id), (g.unit, g.id))}
                    summary = f"{f.label}: the same number counts " + " and ".join(
                        f"{n} ({', '.join(ids)})" for n, ids in names.items()) + \
                        "; both can be true: other words for one count, or two counts"
                out.append(replace(make_finding(kind, severity, f, summary, [la, lb], quoted, fact_map, sources),
                                   outliers=(b.mention.source_id,)))
    return out


def _reconcile_entity(fact: Fact, claims: list[Claim], facts: dict[str, Fact],
                      sources: dict[str, Source]) -> list[Finding]:
    def group(value: str) -> str:
        for g in fact.compatible:
            if value in g:
                return "+".join(g)
        return value

    # Plans assert too ("X will become chief executive" against "Y will lead the group").
    asserted = [c for c in claims if c.mention.modality in (Modality.STATED, Modality.PLANNED)]
    groups = {group(str(c.mention.value)) for c in asserted}
    stated_sources = {(str(c.mention.value), c.mention.source_id) for c in asserted
                      if c.mention.modality == Modality.STATED}
    # A value one source states as present fact and another only as future is a conflict of timing.
    timing = [c for c in claims if c.mention.modality == Modality.PLANNED
              and any(v == str(c.mention.value) and s != c.mention.source_id for v, s in stated_sources)]
    labels = sorted({value_label(c.mention, fact) for c in claims})
    if fact.exclusive and (len(groups) > 1 or timing):
        names = {v.id: v.label for v in fact.values}
        values = sorted({" = ".join(names.get(v, v) for v in g.split("+")) for g in groups})
        summary = f"{fact.label}: sources disagree ({' / '.join(values)})"
        if timing and len(groups) <= 1:
            summary = f"{fact.label}: stated as present by one source, as future by another"
        return [make_finding(FindingKind.CONTRADICTION, Severity.BLOCKING, fact, summary, labels, claims, facts, sources)]
    if source_count(claims) == 1:
        return [make_finding(FindingKind.SINGLE_SOURCE, Severity.INFO, fact,
                         f"{fact.label}: {', '.join(labels)}, stated only by {claims[0].mention.source_id}",
                         labels, claims, facts, sources)]
    findings = []
    by_value: dict[str, list[Claim]] = {}
    for c in claims:
        by_value.setdefault(str(c.mention.value), []).append(c)
    for value, value_claims in sorted(by_value.items()):
        label = value_label(value_claims[0].mention, fact).replace(" (planned)", "")
        if source_count(value_claims) >= 2:
            findings.append(make_finding(FindingKind.AGREEMENT, Severity.INFO, fact,
                                     f"{fact.label}: {label}, stated by {source_count(value_claims)} sources",
                                     [label], value_claims, facts, sources))
        else:
            findings.append(make_finding(FindingKind.SINGLE_SOURCE, Severity.INFO, fact,
                                     f"{fact.label}: {label}, stated only by {value_claims[0].mention.source_id}",
                                     [label], value_claims, facts, sources))
    return findings


def anchored_date_findings(claims: Sequence[Claim], facts: dict[str, Fact],
                           sources: dict[str, Source]) -> list[Finding]:
    """One figure stated alike with different dates beside it (`anchored.py`), one finding per fact and dates.

    The date of a figure that does not vary ("a premium of 50% to the close on 7 April") is one
    date: two of them contradict. A running figure's (a toll "of 233 on 3 June") may be read again.
    """
    grouped: dict[tuple[str, tuple[str, ...]], list[Claim]] = {}
    for pair in anchored_dates(claims):
        (x, y), (dx, dy) = pair.anchor, pair.dates
        labels = tuple(sorted({value_label(dx.mention, None), value_label(dy.mention, None)}))
        group = grouped.setdefault((x.fact_id, labels), [])
        group.extend(c for c in (dx, x, dy, y) if c not in group)
    out = []
    for (fact_id, labels), group in sorted(grouped.items()):
        fact = facts.get(fact_id)
        if fact is None:
            continue
        anchor = next(c for c in group if c.mention.kind != Kind.DATE)
        by_date: dict[str, list[str]] = {}
        for c in group:
            if c.mention.kind == Kind.DATE:
                by_date.setdefault(value_label(c.mention, None), []).append(c.mention.source_id)
        # A running figure may be read again on another day, and a share of a noun the lexicon does not
        # name is loosely aligned: worth a look, not a block. Two dates stated by as many articles each
        # still contradict; only which one is the outlier is unknown.
        counts = sorted(len(set(who)) for who in by_date.values())
        tie = counts.count(counts[0]) > 1
        soft = fact.varies or read_from_words(fact.measure)
        kind, severity = ((FindingKind.DISCREPANCY, Severity.WARNING) if soft
                          else (FindingKind.CONTRADICTION, Severity.BLOCKING))
        dated = "; ".join(f"{label} by {', '.join(sorted(set(who)))}" for label, who in sorted(by_date.items()))
        summary = f"{fact.label}: {value_label(anchor.mention, fact)} dated {dated}"
        minority = min(by_date.values(), key=lambda who: (len(set(who)), sorted(who)))
        label, who = max(by_date.items(), key=lambda kv: (len(set(kv[1])), kv[0]))
        consensus = "" if tie else f"{label} ({len(set(who))} source{'s' * (len(set(who)) != 1)})"
        out.append(replace(make_finding(kind, severity, fact, summary, list(labels), group, facts, sources),
                           consensus=consensus, outliers=() if tie else tuple(sorted(set(minority)))))
    return out


# ---------------------------------------------------------------- the stage

def reconcile(facts: Sequence[Fact], claims: Sequence[Claim], relations: Sequence[Relation],
              sources: Sequence[Source], resolutions: Sequence[Resolution] = ()) -> Reconciliation:
    """All findings of a story, sorted, with the editors' verdicts applied. Pure."""
    fact_map = {f.id: f for f in facts}
    source_map = {s.id: s for s in sources}
    by_fact: dict[str, list[Claim]] = {}
    for c in sorted(claims, key=lambda c: (c.fact_id, c.mention.source_id, c.mention.start)):
        by_fact.setdefault(c.fact_id, []).append(c)
    findings: list[Finding] = []
    amounts = stated_amounts(claims)
    for fact in facts:
        if by_fact.get(fact.id):
            findings.extend(reconcile_fact(fact, by_fact[fact.id], fact_map, source_map, amounts))
    findings.extend(same_number_other_rate(facts, by_fact, fact_map, source_map))
    findings.extend(anchored_date_findings(claims, fact_map, source_map))
    findings.extend(derived_findings(facts, claims, relations, by_fact, fact_map, source_map))
    # Arithmetic that checks out corroborates a fact that only one source states.
    by_evidence = {(c.mention.source_id, c.mention.start, c.mention.end): c.fact_id for c in claims}
    consistent = [f for f in findings if f.kind == FindingKind.DERIVED and f.status == CheckStatus.CONSISTENT]
    corroborated = {f.fact_id for f in consistent} | {
        by_evidence.get((e.source_id, e.start, e.end), f.fact_id)
        for f in consistent if len(f.sources) > 1 for e in f.evidence}
    findings = [f for f in findings if not (f.kind == FindingKind.SINGLE_SOURCE and f.fact_id in corroborated)]
    verdicts = {r.finding_id: r for r in resolutions}
    resolved = [replace(f, resolution=verdicts.get(f.id)) for f in findings]
    ids = {f.id for f in resolved}
    stale = tuple(r for r in resolutions if r.finding_id not in ids)
    order = {k: i for i, k in enumerate(FindingKind)}
    resolved.sort(key=lambda f: (order[f.kind], f.fact_id, f.id))
    return Reconciliation(tuple(resolved), stale)
