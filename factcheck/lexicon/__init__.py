"""Language data as files: the words that tell what a figure measures, loaded once into one object.

Each language is a folder (`lexicon/en/`) of YAML files. A second language is a second
folder, not a rewrite: the readers in `extract/frame.py` take a `Lexicon` and know no words.
"""

from __future__ import annotations

import functools
import os
import hashlib
from decimal import Decimal
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import Kind, Qualifier
from ..yamlfile import load_package_data, load_yaml

LEXICON_DIR = Path(__file__).parent
LEXICON_ENV = "FACTCHECK_LEXICON"


@dataclass(frozen=True)
class Measure:
    """One quantity a figure can measure, and the words that name it."""

    name: str
    words: tuple[str, ...]
    kinds: tuple[Kind, ...] = ()
    varies: bool = False  # a running tally or market reading: reported differently at different times
    # What a bare number of this measure counts ("the toll rose to 436": person; "a magnitude of 6.1": magnitude).
    unit: str = ""
    decimals: bool = False  # a scale ("a magnitude of 6.1"), not a count of whole things
    revised: bool = False  # an official statistic estimated again later: other days, other values
    units: tuple[str, ...] = ()  # the only units its figures have ("°C", "°F" for a temperature), if any
    facets: tuple[str, ...] = ()  # counted nouns that are different things ("users", "sign-ups")
    per_share: bool = False  # a price of one share: "per share" does not set it apart
    pairwise: bool = False  # between two things (a distance): a subject names only one of them
    rate: bool = False  # itself a rate of change (inflation, growth): "prices jumped 14.5%" states its level
    # Money paid out over a term: a deal's value over five years and a fee per year may be one sum.
    paid_over_term: bool = False
    # Measured by several agencies, each its own way (a quake's depth): values differ unless one agency is cited.
    estimated: bool = False
    # Every party of a contest has its own figure (a vote share, seats): two figures written beside two
    # different names may be two parties', so they never block.
    contested: bool = False
    # A share over a base the sentence may not name (an offer's premium over a day's close, or over the price
    # before the first reports): two values may be over different bases, so they never block.
    based: bool = False
    # Words that name this measure only beside another of its words; alone they name another measure
    # ("a deal valued at $41bn" is a deal's value, "the company is valued at $104bn" its market value).
    alone: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Currency:
    """A currency: its ISO 4217 code, marks written before an amount, words after it, minor units."""

    code: str
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    minor: tuple[str, ...] = ()  # a hundredth: "cents", "pence", "p"
    # A country's word before a currency noun that names this currency ("Indian rupees", "Swiss francs").
    adjectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    """A physical unit: its canonical name, kind, and each written form with its factor to it."""

    unit: str
    kind: Kind
    words: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True)
class Lexicon:
    """Every word list the frame reader uses, for one language."""

    language: str
    measures: tuple[Measure, ...]
    change_words: frozenset[str]
    times: tuple[tuple[str, tuple[str, ...]], ...]
    scopes: tuple[tuple[str, tuple[str, ...]], ...]
    count_scopes: tuple[tuple[str, tuple[str, ...]], ...]  # scopes of counts only ("4 confirmed" deaths)
    marked_times: frozenset[str]  # times that make a figure another quantity (an estimate, an earlier value)
    past_times: frozenset[str]  # undated earlier values: two of them may be of different past moments

    @functools.cached_property
    def currency_codes(self) -> frozenset[str]:
        """ISO codes of the lexicon's currencies: "USD" in a sentence is a unit, never a name."""
        return frozenset(c.code for c in self.currencies)

    @functools.cached_property
    def first_times(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Time classes read before the others: marked times and vintages outrank a period."""
        return tuple((n, p) for n, p in self.times if n in self.marked_times | self.vintage_times)

    @functools.cached_property
    def quarter_times(self) -> frozenset[str]:
        """The period times that name a quarter: they outrank a month ("the quarter ended in June")."""
        return frozenset(n for n in self.period_times if "quarter" in n)

    @functools.cached_property
    def period_time_classes(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The time classes that name a period ("quarter", "full year")."""
        return tuple((n, p) for n, p in self.times if n in self.period_times)

    @property
    def past_time(self) -> str:
        """The time of a figure a change starts from ("from 45.1% to 57.4%")."""
        return min(self.past_times) if self.past_times else ""
    period_times: frozenset[str]  # times that name a period ("quarter", "full year"): a forecast's scope
    vintage_times: frozenset[str]  # a preliminary or revised estimate: reconcilable with any other time
    times_before_only: frozenset[str]  # time phrases that date only a figure after them ("up from 38.8%")
    separating_scopes: frozenset[str]
    adjacent_scopes: frozenset[str]  # scopes written right beside their figure ("$196 per share")
    attribution_before: tuple[str, ...]
    attribution_after: frozenset[str]
    not_names: frozenset[str]
    name_suffixes: frozenset[str]
    news_agencies: frozenset[str] = frozenset()  # names that attribute a figure, never own one
    # Last words of an institution's name: "World Health Organization" keeps its common first words.
    institution_heads: frozenset[str] = frozenset()
    following_scopes: frozenset[str] = frozenset()  # adjacent scopes written after it ("$4 billion in cash")
    preceding_scopes: frozenset[str] = frozenset()  # adjacent scopes written before it ("out of 50 million")
    people_words: frozenset[str] = frozenset()  # count units that count people ("bodies", "victims", "dead")
    level_words: frozenset[str] = frozenset()  # words that lead a tally's level: "rose to 436", "reached 652"
    # Times of a trading day ("premarket", "close"): they date market readings only, never a deal's premium.
    session_times: frozenset[str] = frozenset()
    apposition_measure: str = ""  # what a bare number set off after a name measures ("Mara Lindqvist, 46": age)
    list_words: tuple[str, ...] = ()  # words that close a list of figures of as many items ("respectively")
    # Words that make a scope word the cause of a figure, not its scope: "food prices accelerated inflation to 2.9%".
    cause_words: tuple[str, ...] = ()
    common_words: frozenset[str] = frozenset()  # lexicon words: capitalised at a sentence start, still not a name
    plain_words: frozenset[str] = frozenset()  # words that open a sentence capitalised and alone are no name
    currencies: tuple[Currency, ...] = ()
    units: tuple[Unit, ...] = ()
    number_words: tuple[tuple[str, int], ...] = ()  # "forty": 40
    scales: tuple[tuple[str, int], ...] = ()  # "billion": 9, "bn": 9 (a power of ten)
    scale_words: tuple[str, ...] = ()  # the scales written out ("thousand", "million" ...)
    number_names: frozenset[str] = frozenset()  # number and scale words: "Sixty six" opening a sentence is no name
    ordinals: tuple[tuple[str, int], ...] = ()  # "fourth": 4, ranking with a superlative ("the fourth largest")
    superlatives: tuple[str, ...] = ()  # "largest", "busiest": what a rank ranks by
    plural_scales: tuple[tuple[str, int], ...] = ()  # "thousands": 1000
    qualifiers: tuple[tuple[str, str], ...] = ()  # ("more than", "over"), in the order they are tried
    denominators: tuple[tuple[str, tuple[str, ...]], ...] = ()  # "$58.24 a barrel": barrel
    local_dollars: tuple[tuple[str, str], ...] = ()  # web domain of a country -> the dollar "$" means there
    digest: str = ""  # content of the files, part of the extraction cache key

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name == name), None)

    @functools.cached_property
    def unit_measures(self) -> dict[tuple[Kind, str], str]:
        """The one measure a figure of this kind and unit can only be, where one alone has that unit ("rank")."""
        owners: dict[tuple[Kind, str], list[str]] = {}
        for m in self.measures:
            if len(m.units) == 1:
                for kind in m.kinds:
                    owners.setdefault((kind, m.units[0]), []).append(m.name)
        return {key: names[0] for key, names in owners.items() if len(names) == 1}

    @functools.cached_property
    def one_word_measures(self) -> dict[str, tuple[Measure, ...]]:
        """Measures that are no rate, by each one-word name they have, in the lexicon's order ("sales": revenue)."""
        out: dict[str, list[Measure]] = {}
        for m in self.measures:
            if not m.rate:
                for word in m.words:
                    if " " not in word:
                        out.setdefault(word, []).append(m)
        return {w: tuple(ms) for w, ms in out.items()}

    def measure_named(self, word: str) -> Measure | None:
        """The first measure with a unit that `word` names ("population", "magnitude")."""
        word = word.lower()
        return next((m for m in self.measures if m.unit and word in m.words), None)


def lexicon_files(language: str = "en") -> list[Path]:
    folder = LEXICON_DIR / language
    if not folder.is_dir():
        raise InputError(f"no lexicon for language '{language}'", folder, hint="use 'en'")
    return sorted(folder.glob("*.yaml"))


def _mapping(data: dict[str, Any], key: str) -> dict[Any, Any]:
    """A mapping the loader merged as {key: [value, ...]}: the last value a file gives wins."""
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in (data.get(key) or {}).items()}


def extra_files() -> tuple[Path, ...]:
    """A newsroom's own lexicon files, named by FACTCHECK_LEXICON (separated as PATH is): a local currency or
    unit is an edit of one of them. They are read once per process, with the built-in files."""
    return tuple(Path(p) for p in os.environ.get(LEXICON_ENV, "").split(os.pathsep) if p.strip())


# What each entry of a list must name, in a newsroom's own lexicon file.
REQUIRED = {"measures": ("measure", ("name",)), "currencies": ("currency", ("code",)),
            "units": ("unit", ("unit", "kind", "words"))}


# Lists of plain words a newsroom file may extend, and the yes/no flags of a measure.
WORD_LISTS = ("change_words", "level_words", "cause_words", "session_times", "plain_words", "people_words",
              "not_names", "news_agencies", "name_suffixes", "marked_times", "past_times", "vintage_times",
              "times_before_only", "period_times", "attribution_before", "attribution_after", "separating_scopes", "adjacent_scopes",
              "institution_heads", "following_scopes", "preceding_scopes", "list_words")
MEASURE_FLAGS = ("varies", "decimals", "revised", "per_share", "pairwise", "rate", "paid_over_term", "estimated",
                 "contested", "based")


def _checked_extra(text: str, path: Path) -> Any:
    """A newsroom's lexicon file, read with line numbers so that a bad entry is named where it is."""
    doc = load_yaml(text, path)
    data = doc.data
    if not isinstance(data, dict):
        raise doc.error((), "a lexicon file must be a mapping", "start with 'measures:', 'currencies:' or 'units:'")
    for key, (what, fields) in REQUIRED.items():
        entries = data.get(key) or []
        if not isinstance(entries, list):
            raise doc.error((key,), f"'{key}' must be a list", "write one '- {...}' entry per line")
        for i, entry in enumerate(entries):
            missing = [f for f in fields if not isinstance(entry, dict) or not entry.get(f)]
            if missing:
                raise doc.error((key, i), f"a {what} needs {', '.join(missing)}",
                                "see factcheck/lexicon/en/units.yaml or frames.yaml for the shape")
            kinds = [entry["kind"]] if key == "units" else entry.get("kinds", [])
            bad = [k for k in kinds if k not in {kind.value for kind in Kind}]
            if bad:
                raise doc.error((key, i), f"unknown kind {bad[0]!r}", f"use one of {', '.join(k.value for k in Kind)}")
    for key in ("number_words", "scales", "plural_scales"):
        table = data.get(key) or {}
        for word, value in (table.items() if isinstance(table, dict) else [(key, None)]):
            if isinstance(value, bool) or not isinstance(value, int):
                raise doc.error((key, word) if isinstance(table, dict) else (key,),
                                f"'{key}' must map words to whole numbers", "write e.g. 'mio: 6' (scales are powers of ten)")
    for key in WORD_LISTS:
        words = data.get(key)
        if words is not None and (not isinstance(words, list) or not all(isinstance(w, str) for w in words)):
            raise doc.error((key,), f"'{key}' must be a list of words", f"write e.g. '{key}: [word, \"two words\"]'")
    for i, entry in enumerate(data.get("measures") or []):
        for flag in MEASURE_FLAGS:
            if flag in entry and not isinstance(entry[flag], bool):
                raise doc.error(("measures", i, flag), f"'{flag}' must be true or false", f"write '{flag}: true'")
        alone = entry.get("alone")
        if alone is not None and not (isinstance(alone, dict) and all(isinstance(w, str) and isinstance(m, str)
                                                                       for w, m in alone.items())):
            raise doc.error(("measures", i, "alone"), "'alone' must map words to measure names",
                            "write e.g. 'alone: {\"valued at\": market value}'")
    qualifiers = data.get("qualifiers") or {}
    known = {q.value for q in Qualifier}
    for name in (qualifiers if isinstance(qualifiers, dict) else ["?"]):
        if name not in known:
            raise doc.error(("qualifiers", name) if isinstance(qualifiers, dict) else ("qualifiers",),
                            f"unknown qualifier {name!r}", f"use one of {', '.join(sorted(known))}")
    return data


def load_lexicon(language: str = "en", extra: tuple[Path, ...] | None = None) -> Lexicon:
    """The lexicon of `language`, with `extra` files (default: FACTCHECK_LEXICON's) merged in after it."""
    return _load_lexicon(language, extra_files() if extra is None else extra)


@functools.lru_cache(maxsize=8)
def _load_lexicon(language: str, extra: tuple[Path, ...]) -> Lexicon:
    """Cached per process: the files are read once and a Lexicon is immutable; their lists extend the built-in ones."""
    for path in extra:
        if not path.is_file():
            raise InputError(f"lexicon file named by {LEXICON_ENV} not found", path,
                             hint=f"fix or unset {LEXICON_ENV}")
    data: dict[str, Any] = {}
    texts = []
    for path in [*lexicon_files(language), *extra]:
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        part = (load_package_data(text, path) if path not in extra else _checked_extra(text, path)) or {}
        if not isinstance(part, dict):
            raise InputError("a lexicon file must be a mapping", path, hint="start with 'measures:' or another key")
        for key, value in part.items():
            if isinstance(value, list):
                data.setdefault(key, []).extend(value)
            elif isinstance(value, dict):
                merged = data.setdefault(key, {})
                for k, v in value.items():
                    merged.setdefault(k, []).extend(v if isinstance(v, list) else [v])
            else:
                data[key] = value
    measures = tuple(Measure(name=str(m["name"]), words=tuple(str(w).lower() for w in m.get("words", [])),
                             kinds=tuple(Kind(k) for k in m.get("kinds", [])), varies=bool(m.get("varies")),
                             unit=str(m.get("unit") or ""), decimals=bool(m.get("decimals")),
                             rate=bool(m.get("rate")), pairwise=bool(m.get("pairwise")),
                             per_share=bool(m.get("per_share")), revised=bool(m.get("revised")),
                             paid_over_term=bool(m.get("paid_over_term")), estimated=bool(m.get("estimated")),
                             contested=bool(m.get("contested")), based=bool(m.get("based")),
                             facets=tuple(str(w).lower() for w in m.get("facets", [])),
                             units=tuple(str(u) for u in m.get("units", [])),
                             alone=tuple((str(w).lower(), str(o)) for w, o in (m.get("alone") or {}).items()))
                     for m in data.get("measures", []))
    return Lexicon(
        language=language,
        measures=measures,
        change_words=frozenset(str(w).lower() for w in data.get("change_words", [])),
        times=tuple((str(k), tuple(str(w).lower() for w in v)) for k, v in data.get("times", {}).items()),
        marked_times=frozenset(str(t) for t in data.get("marked_times", [])),
        past_times=frozenset(str(t) for t in data.get("past_times", [])),
        period_times=frozenset(str(t) for t in data.get("period_times", [])),
        vintage_times=frozenset(str(t) for t in data.get("vintage_times", [])),
        times_before_only=frozenset(str(t).lower() for t in data.get("times_before_only", [])),
        scopes=tuple((str(k), tuple(str(w).lower() for w in v)) for k, v in data.get("scopes", {}).items()),
        count_scopes=tuple((str(k), tuple(str(w).lower() for w in v))
                           for k, v in data.get("count_scopes", {}).items()),
        separating_scopes=frozenset(str(s) for s in data.get("separating_scopes", [])),
        adjacent_scopes=frozenset(str(s) for s in data.get("adjacent_scopes", [])),
        following_scopes=frozenset(str(s) for s in data.get("following_scopes", [])),
        preceding_scopes=frozenset(str(s) for s in data.get("preceding_scopes", [])),
        attribution_before=tuple(str(w).lower() for w in data.get("attribution_before", [])),
        attribution_after=frozenset(str(w).lower() for w in data.get("attribution_after", [])),
        not_names=frozenset(str(w) for w in data.get("not_names", [])),
        news_agencies=frozenset(str(w) for w in data.get("news_agencies", [])),
        institution_heads=frozenset(str(w) for w in data.get("institution_heads", [])),
        name_suffixes=frozenset(str(w).lower() for w in data.get("name_suffixes", [])),
        people_words=frozenset(str(w).lower() for w in data.get("people_words", []))
        | frozenset(w for m in measures if Kind.COUNT in m.kinds and m.varies and m.unit == "person" for w in m.words),
        level_words=frozenset(str(w).lower() for w in data.get("level_words", [])),
        cause_words=tuple(str(w).lower() for w in data.get("cause_words", [])),
        session_times=frozenset(str(t) for t in data.get("session_times", [])),
        list_words=tuple(str(w).lower() for w in data.get("list_words", [])),
        apposition_measure=str(data.get("apposition_measure") or ""),
        plain_words=frozenset(str(w).lower() for w in data.get("plain_words", [])),
        common_words=frozenset(w for m in measures for w in m.words if " " not in w)
        | frozenset(str(w).lower() for ws in data.get("scopes", {}).values() for w in ws if " " not in str(w))
        | frozenset(str(w).lower() for w in data.get("change_words", [])),
        number_words=tuple((str(k).lower(), int(v)) for k, v in _mapping(data, "number_words").items()),
        scales=tuple((str(k).lower(), int(v)) for k, v in _mapping(data, "scales").items()),
        scale_words=tuple(str(w).lower() for w in data.get("scale_words", [])),
        number_names=frozenset(str(k).lower() for k in _mapping(data, "number_words"))
        | frozenset(str(w).lower() for w in data.get("scale_words", [])),
        ordinals=tuple((str(k).lower(), int(v)) for k, v in _mapping(data, "ordinals").items()),
        superlatives=tuple(str(w).lower() for w in data.get("superlatives", [])),
        plural_scales=tuple((str(k).lower(), int(v)) for k, v in _mapping(data, "plural_scales").items()),
        # Longest first, so "no more than" is tried before "more than".
        qualifiers=tuple(sorted(((str(p).lower(), str(q)) for q, ps in data.get("qualifiers", {}).items() for p in ps),
                                key=lambda pq: -len(pq[0].split()))),
        currencies=tuple(Currency(code=str(c["code"]).upper(),
                                  before=tuple(str(w).lower() for w in c.get("before", [])),
                                  after=tuple(str(w).lower() for w in c.get("after", [])),
                                  minor=tuple(str(w).lower() for w in c.get("minor", [])),
                                  adjectives=tuple(str(w).lower() for w in c.get("adjectives", [])))
                         for c in data.get("currencies", [])),
        units=tuple(Unit(unit=str(u["unit"]), kind=Kind(u["kind"]),
                         words=tuple((str(w).lower(), Decimal(str(f))) for w, f in (u.get("words") or {}).items()))
                    for u in data.get("units", [])),
        denominators=tuple((str(k), tuple(str(w) for w in v)) for k, v in data.get("denominators", {}).items()),
        local_dollars=tuple((str(k).lower(), str(v[0] if isinstance(v, list) else v).upper())
                            for k, v in data.get("local_dollars", {}).items()),
        digest=hashlib.sha256("\x00".join(texts).encode()).hexdigest(),
    )

