"""The story-level step between extraction and assignment: what an article's figures mean once the
whole story is read.

Extraction reads (and caches) one article at a time; two readings need the other articles: "last
year" in an article with no date line, and a bare "$" a local outlet wrote for the wire's US dollar.
Pure: the same mentions and sources give the same result.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from .extract.frame import LAST_YEAR
from .lexicon import Lexicon
from .model import Mention, Source


def in_story(mentions: Sequence[Mention], sources: Sequence[Source], lexicon: Lexicon) -> tuple[Mention, ...]:
    """Every story-level reading, in order: the year of "last year", then the local dollar."""
    return dollars_in_story(dated_in_story(mentions, sources), frozenset(dict(lexicon.local_dollars).values()))


def dated_in_story(mentions: Sequence[Mention], sources: Sequence[Source]) -> tuple[Mention, ...]:
    """"Last year" in an article with no date line: the year before the one most of the story's articles
    are dated (a story's coverage is days apart); with no dated article, an earlier value."""
    years = Counter(s.published.year for s in sources if s.published)
    year = max(sorted(years), key=lambda y: years[y]) if years else None
    return tuple(replace(m, time=f"year {year - 1}" if year else "earlier") if m.time == LAST_YEAR else m
                 for m in mentions)


BARE_DOLLAR = re.compile(r"^\$\s?\d")  # "$26", not "NZ$26" or "26 dollars"


def dollars_in_story(mentions: Sequence[Mention], local_dollars: frozenset[str]) -> tuple[Mention, ...]:
    """A bare "$" a local outlet's figure was read in its country's dollars, where another article of the story
    gives the same number in US dollars, is US dollars: wire copy ("priced at $26" in the NZ Herald and the BBC),
    and so is every other bare "$" of that article ("a high of $50.09" in the same copy)."""
    usd = {(m.kind, m.value) for m in mentions if m.unit == "USD"}
    guessed = [m for m in mentions if m.unit in local_dollars and BARE_DOLLAR.match(m.text)]
    # An article whose bare "$" is once the wire's US dollar writes US dollars with it throughout.
    wire = {m.source_id for m in guessed if (m.kind, m.value) in usd}
    return tuple(replace(m, unit="USD") if m.source_id in wire and m.unit in local_dollars
                 and BARE_DOLLAR.match(m.text) else m for m in mentions)


def published_years(sources: Sequence[Source]) -> dict[str, int]:
    """Each dated article's year of publication, by source id: an undated figure is of its article's present."""
    return {s.id: s.published.year for s in sources if s.published}
