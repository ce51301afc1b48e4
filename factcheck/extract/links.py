"""Figures read together: what one figure of a sentence says about another.

Frames are read one figure at a time (`frame.read_frame`); these passes then look at an article's
figures side by side, each a pure function of the mentions and the text:

- a converted amount in brackets states what the amount before it states ("€222m (£200m)");
- a figure compared with the one before it ("1.1% as against 0.3% in March") is the same measure at
  another time, with the same scope;
- figures a list word closes ("26,000 and 24,000 jobs respectively") are each their own item.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..lexicon import Lexicon
from ..model import Kind, Mention, Period

CONVERSION = re.compile(r"\s*\(\s*(?:about\s+|around\s+|roughly\s+|some\s+)?$")
PERIOD_AFTER = re.compile(r"^\s*\)\s*(?:per|a|an|each|every)\s+(day|week|month|quarter|year)\b"
                          r"|^\s*\)\s*(daily|weekly|monthly|quarterly|annually|yearly)\b", re.IGNORECASE)
PERIODS = {"day": Period.DAY, "daily": Period.DAY, "week": Period.WEEK, "weekly": Period.WEEK,
           "month": Period.MONTH, "monthly": Period.MONTH, "quarter": Period.QUARTER, "quarterly": Period.QUARTER,
           "year": Period.YEAR, "yearly": Period.YEAR, "annually": Period.YEAR}


def link_conversions(mentions: list[Mention], text: str) -> list[Mention]:
    """A converted amount in brackets ("€222m (£200m)") states what the amount before it states.

    It takes that figure's frame, and a rate period written after the bracket ("€600,000
    (£540,000) per week") belongs to both.
    """
    out = sorted(mentions, key=lambda m: m.start)
    for i in range(1, len(out)):
        before, m = out[i - 1], out[i]
        if before.kind != Kind.MONEY or m.kind != Kind.MONEY or before.unit == m.unit \
                or not CONVERSION.fullmatch(text[before.end:m.start]):
            continue
        after = PERIOD_AFTER.match(text[m.end:m.end + 20])
        period = PERIODS[(after.group(1) or after.group(2)).lower()] if after else (m.period or before.period)
        if before.period != Period.NONE:
            period = before.period
        out[i - 1] = replace(before, period=period)
        out[i] = replace(m, period=period, measure=before.measure or m.measure, owner=before.owner or m.owner,
                         time=before.time, scope=before.scope or m.scope, varies=before.varies,
                         attribution=before.attribution or m.attribution)
    return out


# "1.1% in April as against 0.3% in March", "2.5% compared to 2.42%": the second figure is the first's measure
# at another time, so it takes the first's scope (food, rural ...) and, when it names none, its measure.
COMPARED = re.compile(r"^\s*(?:in\s+[A-Za-z]+(?:\s+\d{4})?\s*,?\s*)?(?:,\s*)?(?:as\s+against|against|compared\s+"
                      r"(?:to|with)|versus|vs\.?|up\s+from|down\s+from|from|after\s+an?)\s+(?:about\s+|around\s+|nearly\s+"
                      r"|an?\s+[\w-]+\s+(?:low|high)\s+of\s+)?$", re.IGNORECASE)


def inherit_comparisons(mentions: list[Mention], text: str) -> list[Mention]:
    """A figure compared with the one just before it ("1.1% as against 0.3% in March") takes that one's scope."""
    out = sorted(mentions, key=lambda m: m.start)
    for i in range(1, len(out)):
        m = out[i]
        # The figure before it of its own kind: a month name ("3.1% in April from 3.2%") may stand between.
        before = next((b for b in reversed(out[:i]) if b.kind == m.kind), None)
        if before is None or before.unit != m.unit or before.sentence_start != m.sentence_start:
            continue
        between = text[before.end:m.start]
        if not COMPARED.match(between):
            continue
        scope = ", ".join(dict.fromkeys([x for x in (m.scope.split(", ") + before.scope.split(", ")) if x]))
        out[i] = replace(m, scope=scope, measure=m.measure or before.measure, owner=m.owner or before.owner,
                         varies=(m.varies or before.varies) if not m.measure else m.varies)
    return out


LISTED = "listed"  # the scope class of a figure in a list closed by "respectively"


def listed_scope(position: int, count: int) -> str:
    """The scope of the n-th of a list's figures: "listed 2 of 3"."""
    return f"{LISTED} {position} of {count}"


def scope_class(scope: str) -> str:
    """The class a scope belongs to ("listed 2 of 3" -> "listed"; others are their own class)."""
    return LISTED if scope.startswith(LISTED + " ") else scope


def listed_figures(mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Figures a list word closes ("added 26,000 and 24,000 jobs respectively") are each another item's.

    Each takes the scope of its place in the list ("listed 2 of 2"), which keeps it apart from the
    figures of the whole ("134,000 jobs") and from another list's items, and beside the same place in
    the same list retold by another article.
    """
    if not lexicon.list_words:
        return mentions
    closing = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, lexicon.list_words)) + r")(?![\w-])")
    out = sorted(mentions, key=lambda m: m.start)
    sentences: dict[int, list[int]] = {}
    for i, m in enumerate(out):
        sentences.setdefault(m.sentence_start, []).append(i)
    for start, members in sentences.items():
        sentence = out[members[0]].sentence
        after = 0
        for word in closing.finditer(sentence.lower()):
            breaks = [after, *(j + 1 for j, c in enumerate(sentence[:word.start()]) if c == ";")]
            since = max(breaks)
            before = [i for i in members if since <= out[i].start - start and out[i].end - start <= word.start()]
            after = word.end()
            if not before:
                continue
            kind = out[before[-1]].kind
            items = [i for i in before if out[i].kind == kind]
            if len(items) < 2:
                continue
            for n, i in enumerate(items, 1):
                scope = ", ".join(x for x in (listed_scope(n, len(items)), out[i].scope) if x)
                out[i] = replace(out[i], scope=scope)
    return out
