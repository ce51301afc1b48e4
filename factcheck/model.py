"""The values that flow between pipeline stages, defined once.

Source --extract--> Mention --assign--> Claim --reconcile--> Finding --render--> report

Every class here is a frozen dataclass: a stage never mutates what an earlier
stage produced, which keeps stages pure and results safe to cache.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path


class Kind(StrEnum):
    """What a mention measures."""

    MONEY = "money"
    POWER = "power"
    ENERGY = "energy"
    COUNT = "count"
    PERCENT = "percent"
    DATE = "date"
    DURATION = "duration"
    QUANTITY = "quantity"  # any other physical dimension (length, mass, ...)
    ENTITY = "entity"  # a name or framing matched from the catalogue


class Qualifier(StrEnum):
    """How exactly a figure is stated; widens the value into an interval."""

    EXACT = "exact"
    APPROXIMATELY = "approximately"
    OVER = "over"
    AT_LEAST = "at_least"
    UP_TO = "up_to"
    UNDER = "under"
    NEARLY = "nearly"
    ROUNDED = "rounded"
    RANGE = "range"
    VAGUE = "vague"  # "multi-billion dollar": an order of magnitude, never a number


class Modality(StrEnum):
    """Whether the article asserts the figure as fact now."""

    STATED = "stated"
    PLANNED = "planned"  # plan, target or expectation
    HYPOTHETICAL = "hypothetical"
    NEGATED = "negated"


class Period(StrEnum):
    """The rate period of a figure; NONE for a one-off amount."""

    NONE = "none"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"




class FindingKind(StrEnum):
    AGREEMENT = "agreement"
    DISCREPANCY = "discrepancy"
    CONTRADICTION = "contradiction"
    DERIVED = "derived"
    INTERNAL = "internal"  # one article's own figures disagree: never blocking by itself
    SINGLE_SOURCE = "single_source"


class CheckStatus(StrEnum):
    """The outcome of a derived (arithmetic) check; NONE for every other finding."""

    NONE = ""
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNDERDETERMINED = "underdetermined"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    BLOCKING = "blocking"


@dataclass(frozen=True)
class Source:
    """One article: its metadata and body text."""

    id: str
    path: Path
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    body_line: int = 1  # line of the file on which `text` starts
    # Offsets in `text` where each line starts, for offset -> file line.
    line_starts: tuple[int, ...] = field(default=(0,), compare=False, repr=False)

    def line_of(self, offset: int) -> int:
        """The 1-based line of the source file holding character `offset` of the body."""
        return self.body_line + bisect.bisect_right(self.line_starts, offset) - 1

    @property
    def headline_end(self) -> int:
        """Offset where the first line of the body ends (the headline of a .txt article)."""
        return self.line_starts[1] - 1 if len(self.line_starts) > 1 else len(self.text)


DATED_TIMES = ("year ", "month ")  # a figure's own year or month, as the frame writes them ("year 2011", "month 04")


def time_year(time: str) -> int | None:
    """The year of a frame's time written "year 2011", else None."""
    return int(time[5:]) if time.startswith("year ") and time[5:].isdigit() else None

# A measure read from a sentence's own words where no lexicon measure fits: "12.5% of smart speakers" is a
# "share of speaker". It aligns figures loosely: compared, never blocking, and free to join a fact the
# lexicon names.
SHARE_PREFIX = "share of "
SIZE_PREFIX = "size of "  # "a 6,825-ton ferry": a quantity written as the size of the noun after it


def read_from_words(measure: str) -> bool:
    """Whether a frame's measure was read from the sentence's own words, not named by the lexicon."""
    return measure.startswith((SHARE_PREFIX, SIZE_PREFIX))


@dataclass(frozen=True)
class Frame:
    """What a figure measures: whose number, which quantity, when, over what, on whose word."""

    subject: str = ""  # the organisation, person, place or product the figure belongs to, as written
    measure: str = ""  # the quantity: "deaths", "share price change", "revenue" ("" when unread)
    time: str = ""  # "premarket", "close", "earlier" ... ("" : the article's own time)
    scope: str = ""  # "first", "total", "per share", "after tax" ...
    attribution: str = ""  # who the article says the figure comes from
    varies: bool = False  # the measure is a running tally or market reading


@dataclass(frozen=True)
class Mention:
    """A figure or framing as one article states it, normalized."""

    source_id: str
    start: int  # character offsets into Source.text
    end: int
    text: str
    sentence: str
    sentence_start: int
    kind: Kind
    value: Decimal | str | None  # Decimal for numbers, ISO text for dates, canonical id for entities
    unit: str  # USD, MW, GPU, %, month, date, or the entity fact's id
    period: Period = Period.NONE
    qualifier: Qualifier = Qualifier.EXACT
    modality: Modality = Modality.STATED
    high: Decimal | None = None  # upper bound of a range
    subject: str = ""  # what the figure quantifies: head noun, or product for counts
    precision: Decimal | None = None  # place value of the last stated digit ("$1 billion" -> 1e9)
    in_headline: bool = False
    score: float = 100.0  # alias match score for entities (rapidfuzz, 0-100)
    matched: str = ""  # the catalogue alias an entity matched
    # The frame (extract/frame.py), flat so that the cache stores it as plain fields.
    owner: str = ""
    measure: str = ""
    time: str = ""
    scope: str = ""
    attribution: str = ""
    varies: bool = False

    @property
    def frame(self) -> Frame:
        return Frame(self.owner, self.measure, self.time, self.scope, self.attribution, self.varies)

    @property
    def sentence_span(self) -> tuple[int, int]:
        """The mention's offsets within its sentence."""
        return self.start - self.sentence_start, self.end - self.sentence_start


@dataclass(frozen=True)
class Dropped:
    """A number the extractor saw and deliberately did not treat as a figure."""

    source_id: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True)
class Extraction:
    """What the extract stage read in one article."""

    source_id: str
    mentions: tuple[Mention, ...]
    dropped: tuple[Dropped, ...]


@dataclass(frozen=True)
class EntityValue:
    """One canonical value of an entity fact with the aliases that name it."""

    id: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    """One thing the story states, from the catalogue or discovered."""

    id: str
    label: str
    kind: Kind
    unit: str = ""
    period: Period = Period.NONE
    cues: tuple[str, ...] = ()
    modality: Modality | None = None  # only mentions of this modality belong here
    tolerance: Decimal = Decimal("0.005")  # relative difference still counted as agreement
    values: tuple[EntityValue, ...] = ()
    exclusive: bool = False  # entity facts: at most one value can be true
    compatible: tuple[tuple[str, ...], ...] = ()  # groups of values that do not conflict
    min_score: float = 90.0  # least rapidfuzz score for an alias match
    discovered: bool = False
    line: int = 0  # line of the catalogue entry, for error messages
    # Discovered from frames: what the figures measure and whose they are (empty for catalogued facts).
    measure: str = ""
    subject: str = ""
    varies: bool = False  # a running tally or market reading
    pairwise: bool = False  # a measure between two things (a distance): its subject names only one
    revised: bool = False  # an official statistic estimated again later: other publication days, other values
    time: str = ""  # a marked time all its figures share: "estimate", "forecast", "earlier", "year 2011"
    scope: str = ""  # a separating scope all its figures share: "per share"


@dataclass(frozen=True)
class Relation:
    """Arithmetic between facts: `fact = expression`, e.g. annual = monthly * 12."""

    id: str
    fact: str
    expression: str
    line: int = 0


@dataclass(frozen=True)
class Catalog:
    facts: tuple[Fact, ...] = ()
    relations: tuple[Relation, ...] = ()
    path: Path | None = None
    digest: str = ""  # content hash, part of the cache key
    notes: tuple[FigureNote, ...] = ()  # claims/frames.yaml, applied after extraction (not in the cache key)

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fact_id), None)


@dataclass(frozen=True)
class FigureNote:
    """An editor's word on one figure (claims/frames.yaml): context to ignore, or the frame to use."""

    source_id: str
    figure: str  # the figure as written in the article ("10 GW")
    occurrence: int = 0  # which one when the article writes it more than once; 0: every one
    context: bool = False  # background: shown, never compared
    subject: str = ""
    measure: str = ""
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Claim:
    """A mention bound to the fact it states."""

    mention: Mention
    fact_id: str
    score: float = 100.0  # how well cues matched (0-100)
    # Bound only because its frame left the measure unstated and one fact of the story fits it:
    # worth comparing, never enough for a blocking finding.
    weak: bool = False


@dataclass(frozen=True)
class Resolution:
    """An editor's verdict on a finding."""

    finding_id: str
    verdict: str
    note: str = ""
    by: str = ""
    when: str = ""
    line: int = 0


@dataclass(frozen=True)
class Evidence:
    """A quote supporting a finding, located in its source."""

    source_id: str
    line: int
    start: int
    end: int
    text: str  # the figure as written
    sentence: str
    sentence_start: int
    value_label: str  # the normalized value as shown to an editor
    modality: Modality = Modality.STATED
    in_headline: bool = False


@dataclass(frozen=True)
class Finding:
    id: str
    kind: FindingKind
    severity: Severity
    fact_id: str
    fact_label: str
    summary: str
    values: tuple[str, ...]  # normalized values involved, sorted
    evidence: tuple[Evidence, ...]
    arithmetic: str = ""  # derived checks: the calculation written out
    status: CheckStatus = CheckStatus.NONE  # derived checks only
    resolution: Resolution | None = None
    consensus: str = ""  # the value most sources state, with their number
    outliers: tuple[str, ...] = ()  # the sources whose value differs from the consensus

    @property
    def resolved(self) -> bool:
        return self.resolution is not None

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({e.source_id for e in self.evidence}))


@dataclass(frozen=True)
class Gate:
    """The CI verdict."""

    passed: bool
    reason: str
    fail_on: str = "contradiction"


@dataclass(frozen=True)
class CheckResult:
    """Everything a report shows."""

    story: Path
    sources: tuple[Source, ...]
    catalog: Catalog
    mentions: tuple[Mention, ...]
    dropped: tuple[Dropped, ...]
    claims: tuple[Claim, ...]
    facts: tuple[Fact, ...]  # catalogued and discovered facts that have claims
    findings: tuple[Finding, ...]
    stale: tuple[Resolution, ...]
    gate: Gate
    warnings: tuple[str, ...] = ()  # sources skipped or read with a doubt: shown in every report
