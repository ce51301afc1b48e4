"""Derived checks across articles: a total stated over a term against a stated rate.

"$300 billion of computing power over about five years" implies $60 billion a year; an article
that says "$600 billion a year" for the same thing disagrees with it by the arithmetic, though no
two figures share a value or a period. `term_checks` finds each total whose own sentence gives
its term ("over five years", "a five-year deal worth ..."), and sets the yearly (or monthly ...)
rate it implies against every stated rate of the same currency whose frame may be the same
thing: the same measure, or one of them unstated. Pure: claims in, checks out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .lexicon import Lexicon
from .model import Claim, Kind, Mention, Modality, Period, Qualifier

# Words that make a duration the term of the amount before it: "$300 billion over (about) five years".
TERM_AFTER = re.compile(r"^\s*(?:of\s+[\w\s-]{0,40}?\s+)?(?:over|across|spanning|during|for)\s+"
                        r"(?:the\s+)?(?:next\s+|coming\s+|following\s+)?(?:about\s+|around\s+|roughly\s+|some\s+"
                        r"|nearly\s+|almost\s+)?$", re.IGNORECASE)
# A term written as an adjective before the deal: "a five-year contract worth £200m", "the 10-year deal is valued at".
TERM_BEFORE = re.compile(r"^-?\s*[a-z]*\s*(?:contract|deal|agreement|pact|partnership|lease|programme|program"
                         r"|plan|commitment)s?\b[^.;$€£¥\d]{0,30}?$", re.IGNORECASE)
IN_PERIOD = {Period.DAY: Decimal(365), Period.WEEK: Decimal(52), Period.MONTH: Decimal(12),
             Period.QUARTER: Decimal(4), Period.YEAR: Decimal(1)}
YEARS = {"year": Decimal(1), "month": Decimal(1) / Decimal(12), "week": Decimal(1) / Decimal(52)}
TOLERANCE = Decimal("0.25")  # "about five years" and rounded totals: a quarter either way is the same rate
FAR_APART = Decimal(4)  # a rate off by this factor is a misread (a month for a year, a digit), not a ramp


@dataclass(frozen=True)
class TermCheck:
    """A total over a term, the rate it implies in a stated rate's period, and that stated rate."""

    total: Claim
    term: Claim
    rates: tuple[Claim, ...]  # every stated rate of this value, one fact
    implied: Decimal
    consistent: bool
    far_apart: bool
    same_measure: bool  # both frames name the measure, and it is the same one


def _stated_number(c: Claim) -> bool:
    """A nonzero number an article states or plans (not a hypothetical or a denial)."""
    m = c.mention
    return isinstance(m.value, Decimal) and bool(m.value) and m.modality in (Modality.STATED, Modality.PLANNED)


def totals_with_terms(claims: Sequence[Claim]) -> list[tuple[Claim, Claim, Decimal]]:
    """Each (total, term, years) that one sentence states."""
    by_sentence: dict[tuple[str, int], list[Claim]] = {}
    for c in claims:
        if _stated_number(c):
            by_sentence.setdefault((c.mention.source_id, c.mention.sentence_start), []).append(c)
    out = []
    for group in by_sentence.values():
        group.sort(key=lambda c: c.mention.start)
        for i, c in enumerate(group):
            m = c.mention
            if m.kind != Kind.DURATION or m.unit not in YEARS:
                continue
            total = _governed(group, i, m)
            if total is not None:
                assert isinstance(m.value, Decimal)
                out.append((total, c, m.value * YEARS[m.unit]))
    return out


def _governed(group: list[Claim], i: int, term: Mention) -> Claim | None:
    """The total a term governs: the amount right before "over N years", or right after "an N-year deal"."""
    text = term.sentence
    s, e = term.sentence_span
    before = next((c for c in reversed(group[:i]) if c.mention.kind == Kind.MONEY), None)
    if before is not None and _is_total(before.mention) and group.index(before) == i - 1 \
            and TERM_AFTER.match(text[before.mention.sentence_span[1]:s]):
        return before
    after = next((c for c in group[i + 1:] if c.mention.kind == Kind.MONEY), None)
    adjective = text[s:e].endswith(("-year", "-month", "-week")) or text[e:e + 1] == "-"  # "a five-year deal"
    if after is not None and _is_total(after.mention) and adjective \
            and TERM_BEFORE.match(text[e:after.mention.sentence_span[0]]):
        return after
    return None


def _is_total(m: Mention) -> bool:
    """An amount of money with no rate period and no per-unit price: what a term can divide."""
    return m.kind == Kind.MONEY and m.period == Period.NONE and "/" not in m.unit


def _compatible(total: Mention, rate: Mention, lexicon: Lexicon) -> bool:
    """Same currency, and a rate whose measure is the total's, or one paid over a term (the total's unstated
    or paid over a term too); a rate of no stated measure ("$1 billion a year") may be anything."""
    if total.unit != rate.unit or not rate.measure:
        return False
    if total.measure == rate.measure:
        return True
    named, own = lexicon.measure(rate.measure), lexicon.measure(total.measure) if total.measure else None
    return bool(named and named.paid_over_term and (not total.measure or (own and own.paid_over_term)))


def term_checks(claims: Sequence[Claim], lexicon: Lexicon) -> list[TermCheck]:
    """Every total over a term set against each stated rate (one check per total's fact, rate fact and value)."""
    rates: dict[tuple[str, Decimal], list[Claim]] = {}
    for c in claims:
        m = c.mention
        if m.kind == Kind.MONEY and m.period in IN_PERIOD and _stated_number(c) and "/" not in m.unit:
            assert isinstance(m.value, Decimal)
            rates.setdefault((c.fact_id, m.value), []).append(c)
    out = []
    seen: set[tuple[str, Decimal, Decimal, str, Decimal]] = set()
    for total, term, years in sorted(totals_with_terms(claims), key=lambda t: (t[0].fact_id, t[0].mention.source_id,
                                                                               t[0].mention.start)):
        t = total.mention
        assert isinstance(t.value, Decimal)
        for (fact_id, value), group in sorted(rates.items()):
            r = group[0].mention
            key = (total.fact_id, t.value, years, fact_id, value)  # each total and term once per stated rate
            if key in seen or not _compatible(t, r, lexicon) or years <= 0:
                continue
            seen.add(key)
            implied = t.value / (years * IN_PERIOD[r.period])
            if t.qualifier in (Qualifier.OVER, Qualifier.AT_LEAST):
                consistent = value >= implied * (1 - TOLERANCE)
            elif t.qualifier in (Qualifier.UP_TO, Qualifier.UNDER):
                consistent = value <= implied * (1 + TOLERANCE)
            else:
                consistent = abs(value - implied) <= implied * TOLERANCE
            ratio = max(value, implied) / min(value, implied)
            out.append(TermCheck(total, term, tuple(group), implied, consistent, ratio >= FAR_APART,
                                 bool(t.measure) and t.measure == r.measure))
    return out
