"""Dates anchored by one figure: the same figure, stated with two different dates.

"A premium of about 50% to Tessel's closing share price on 7 April" and, in another article,
"a premium of about 50% to the closing price on 7 May": the premium agrees, so the date
beside it is the date of the same thing, and the two cannot both be right. A date alone is
never compared (a story's dates are mostly of different events); a date that shares its
sentence with a figure both articles state alike is. `anchored_dates` finds such pairs. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Claim, Kind, Mention, Modality

ABSOLUTE = re.compile(r"\d")  # "7 April", "2019"; not "last year" or "three years ago", which move with the date line


# "the strongest since the third quarter of 1999", "from 2011": a baseline, not the figure's own date.
BASELINE = re.compile(r"\b(?:since|from|until|till|before|after)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}$", re.IGNORECASE)


TIE_REACH = 60  # characters from a figure to the date of its own phrase ("50% to the closing price on 7 April")


def _tied(figure: Mention, date: Mention, others: list[int]) -> bool:
    """The date belongs to the figure's own phrase: after it, near, in its clause, no other figure between.

    "On 8 April, Norvik agreed to buy Tessel at a premium of 50%" dates the agreement, not the premium.
    """
    between = figure.sentence[figure.sentence_span[1]:date.sentence_span[0]]
    return (figure.end <= date.start and len(between) <= TIE_REACH and not any(c in between for c in ",;:()")
            and not any(figure.start < o < date.start for o in others))


@dataclass(frozen=True)
class AnchoredDates:
    """Two articles' dates beside one figure they state alike."""

    anchor: tuple[Claim, Claim]  # the agreeing figure in each article
    dates: tuple[Claim, Claim]  # the one date in each of their sentences


def _granularity(value: object) -> str:
    """"2019" -> year, "--04-07" -> month and day, "2015-04-07" -> full date; others are not compared."""
    text = str(value).split(" ")[0]
    if re.fullmatch(r"\d{4}", text):
        return "year"
    if re.fullmatch(r"--\d\d-\d\d", text):
        return "month-day"
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return "date"
    return ""


def anchored_dates(claims: Sequence[Claim]) -> list[AnchoredDates]:
    """Each pair of articles whose sentences give one figure alike and one absolute date each, differently."""
    dates: dict[tuple[str, int], list[Claim]] = {}
    figures: dict[tuple[str, int], list[int]] = {}
    for c in claims:
        m = c.mention
        if m.kind == Kind.DATE and m.modality == Modality.STATED and ABSOLUTE.search(m.text) \
                and not BASELINE.search(m.sentence[:m.sentence_span[0]]):
            dates.setdefault((m.source_id, m.sentence_start), []).append(c)
        elif m.kind not in (Kind.DATE, Kind.ENTITY):
            figures.setdefault((m.source_id, m.sentence_start), []).append(m.start)
    by_fact: dict[str, list[Claim]] = {}
    for c in claims:
        m = c.mention
        here = (m.source_id, m.sentence_start)
        if m.kind not in (Kind.DATE, Kind.ENTITY) and m.measure and not c.weak and m.value is not None \
                and len(dates.get(here, ())) == 1 and _tied(m, dates[here][0].mention, figures[here]):
            by_fact.setdefault(c.fact_id, []).append(c)
    out: list[AnchoredDates] = []
    seen: set[tuple[tuple[str, int], ...]] = set()
    for fact_id in sorted(by_fact):
        group = by_fact[fact_id]
        for i, x in enumerate(group):
            for y in group[i + 1:]:
                if x.mention.source_id == y.mention.source_id or x.mention.value != y.mention.value:
                    continue
                (dx,), (dy,) = dates[(x.mention.source_id, x.mention.sentence_start)], \
                    dates[(y.mention.source_id, y.mention.sentence_start)]
                kind = _granularity(dx.mention.value)
                if not kind or kind != _granularity(dy.mention.value) or dx.mention.value == dy.mention.value:
                    continue
                key = tuple(sorted(((dx.mention.source_id, dx.mention.start), (dy.mention.source_id, dy.mention.start))))
                if key in seen:
                    continue
                seen.add(key)
                out.append(AnchoredDates((x, y), (dx, dy)))
    return out
