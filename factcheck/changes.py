"""Derived checks inside one sentence: a level before, a change and the level after.

"Turnout rose 18.3 percentage points to 57.1 per cent, up from 38.8 per cent" states its
own arithmetic: 57.1 - 38.8 = 18.3. `sentence_changes` finds such triples among one
article's claims and says whether the numbers add up; it needs no catalogue, only the
frames (a change's measure ends in "change", or its unit is percentage points) and the
words that lead a level ("to 57.1%") and a starting point ("from 38.8%"). Pure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .model import Claim, Kind, Mention, Modality

AFTER_LEAD = re.compile(r"\bto\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+)?$", re.IGNORECASE)
BEFORE_LEAD = re.compile(r"\bfrom\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+)?$", re.IGNORECASE)
REACH = 120  # characters between the change and its levels: one clause, not the next sentence's figures


@dataclass(frozen=True)
class Change:
    """A stated change with the levels it links, and whether they add up."""

    before: Claim
    change: Claim
    after: Claim
    computed: Decimal  # what the levels give, in the change's unit
    relative: bool  # a change in % of levels that are not percentages ("revenue rose 12% to $5bn from ...")
    consistent: bool


def is_change(m: Mention) -> bool:
    return m.measure.endswith(" change") or m.unit == "pp"


def sentence_changes(claims: Sequence[Claim]) -> list[Change]:
    """Every (before, change, after) triple stated in one sentence, checked."""
    by_sentence: dict[tuple[str, int], list[Claim]] = {}
    for c in claims:
        m = c.mention
        if m.kind != Kind.ENTITY and isinstance(m.value, Decimal) and m.modality == Modality.STATED:
            by_sentence.setdefault((m.source_id, m.sentence_start), []).append(c)
    out = []
    for group in by_sentence.values():
        group = sorted(group, key=lambda c: c.mention.start)
        for c in group:
            if not is_change(c.mention):
                continue
            after = _led(group, c, AFTER_LEAD)
            before = _led(group, c, BEFORE_LEAD)
            if after is None or before is None or after is before:
                continue
            checked = _check(before.mention, c.mention, after.mention)
            if checked is not None:
                computed, relative, ok = checked
                out.append(Change(before, c, after, computed, relative, ok))
    return out


def _led(group: list[Claim], change: Claim, lead: re.Pattern[str]) -> Claim | None:
    """The level right after `lead` words, in the change's clause and after the change."""
    m = change.mention
    for c in group:
        o = c.mention
        if o.start <= m.start or o.start - m.end > REACH or c is change:
            continue
        before_text = o.sentence[:o.start - o.sentence_start]
        if lead.search(before_text[-40:]):
            return c
    return None


def _check(before: Mention, change: Mention, after: Mention) -> tuple[Decimal, bool, bool] | None:
    assert isinstance(before.value, Decimal) and isinstance(change.value, Decimal) and isinstance(after.value, Decimal)
    if (before.kind, before.unit) != (after.kind, after.unit):
        return None
    if change.unit == "pp":
        if after.kind != Kind.PERCENT:
            return None
        computed, relative = after.value - before.value, False
    elif change.kind == Kind.PERCENT and after.kind != Kind.PERCENT:
        if not before.value:
            return None
        computed, relative = (after.value - before.value) / before.value * 100, True
    elif (change.kind, change.unit) == (after.kind, after.unit):
        computed, relative = after.value - before.value, False
    else:
        return None  # "rose 2% to 10.1% from 9.9%": points or per cent of it, the words do not say
    # The levels and the change are each rounded to their last digit: allow for that, no more.
    slack = sum((m.precision or Decimal(0)) for m in (before, change, after)) / 2
    if relative:
        slack = (change.precision or Decimal(1)) + abs(computed) * Decimal("0.02")
    return computed, relative, abs(abs(computed) - abs(change.value)) <= slack
