"""Align stage: one name per subject across a story, so that like figures meet.

Articles name one company, person or place in many ways ("Acme", "Acme Corp.",
"Acme's"); a figure whose sentence names no one belongs to the story's main
subject (the name most articles give figures to). `align_subjects` is pure: the
same mentions give the same names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .extract.frame import SUBJECT_SEPARATOR
from .lexicon import Lexicon
from .model import Kind, Mention

SAME_NAME_SCORE = 90.0


@dataclass(frozen=True)
class Subjects:
    """Each written subject's canonical name, and the story's main subject."""

    canonical: dict[str, str]  # each written name -> its cluster's name
    main: str
    weight: dict[str, int] = field(default_factory=dict)  # cluster -> sources naming it
    people_words: frozenset[str] = frozenset()  # count units that are people, whatever the word

    core: frozenset[str] = frozenset()  # names half the articles or more give figures to: the story's parties
    separating_scopes: frozenset[str] = frozenset()  # scopes that make another quantity ("per share", "food")
    pairwise_measures: frozenset[str] = frozenset()  # measures between two things (a distance)
    measure_units: dict[str, str] = field(default_factory=dict)  # what a measure counts ("19 probable" deaths: person)
    per_share_measures: frozenset[str] = frozenset()  # prices of one share: "per share" adds nothing
    revised_measures: frozenset[str] = frozenset()  # official statistics estimated again later
    estimated_measures: frozenset[str] = frozenset()  # an event's property each agency measures (a quake's depth)

    def of(self, mention: Mention) -> str:
        """The aligned subject of a figure.

        A possessive names it ("Acme's revenue"). Otherwise a figure whose clause names one of
        the story's parties, or no one, belongs to the story itself: "Port Quillan signed a
        contract with Mariseal Water worth $640 million" and "Mariseal Water won a $460 million
        contract" are one deal. A figure naming only someone else (a background company) is theirs.
        """
        names = candidates(mention)
        heads = [h for h in (self.canonical.get(n, "") for n in names) if h]
        if len(names) == 1 and re.search(r"['’]s?$", names[0]) and heads:
            return heads[0]
        if not heads or any(h in self.core for h in heads):
            return self.main
        return heads[0]  # the nearest name: "turnout in Norland was 70%, higher than in Estmark" is Norland's


def candidates(mention: Mention) -> list[str]:
    """The subject names a figure's frame offers, preferred first."""
    return [n for n in mention.owner.split(SUBJECT_SEPARATOR) if n] if mention.owner else []


def _nearest_names(a: Mention, b: Mention) -> tuple[str, str] | None:
    """The name each of two figures is written nearest to, when both have one."""
    x, y = candidates(a)[:1], candidates(b)[:1]
    return (x[0], y[0]) if x and y else None


def other_parties(a: Mention, b: Mention, lexicon: Lexicon) -> tuple[str, str] | None:
    """The names two figures are written beside, when they are two different names (else None)."""
    names = _nearest_names(a, b)
    if names is None or same_name(normalize_name(names[0], lexicon), normalize_name(names[1], lexicon)):
        return None
    return names


def no_shared_name(a: Mention, b: Mention, lexicon: Lexicon) -> tuple[str, str] | None:
    """The names two figures are written nearest to, when no name beside one is beside the other (else None)."""
    names = _nearest_names(a, b)
    if names is None:
        return None
    xs, ys = ([normalize_name(n, lexicon) for n in candidates(m)] for m in (a, b))
    return None if any(same_name(x, y) for x in xs for y in ys) else names


def one_full_name(a: Mention, b: Mention, lexicon: Lexicon) -> bool:
    """Whether two figures are written beside one name of two words or more ("Mara Lindqvist, 46", "..., 48")."""
    names = _nearest_names(a, b)
    if names is None:
        return False
    x, y = (normalize_name(n, lexicon) for n in names)
    return " " in x and x == y


def normalize_name(name: str, lexicon: Lexicon) -> str:
    """"Acme Corp." -> "acme"; "the Bank of Norland's" -> "bank of norland"."""
    words = re.sub(r"['’]s?(?=\s|$)", "", name).lower().replace(",", " ").split()
    while words and words[-1] in lexicon.name_suffixes:
        words.pop()
    while words and words[0] in lexicon.name_suffixes:
        words.pop(0)
    return " ".join(words)


def same_name(a: str, b: str) -> bool:
    """Whether two normalised names are one name ("zoom" and "zoom video communications")."""
    if a == b:
        return True
    wa, wb = a.split(), b.split()
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    if short and long_[:len(short)] == short:
        return True  # "zoom" and "zoom video communications"
    if len(short) == 1 and len(long_) == 2 and long_[-1] == short[0] and len(short[0]) > 3:
        return True  # a person's surname and full name: "zuckerberg" and "mark zuckerberg"
    return fuzz.ratio(a, b) >= SAME_NAME_SCORE


# "Tessel Inc. (TSL)", "Norvik (LSE: NVK)", "the Norland Health Agency (NHA)": a name and,
# in brackets, its ticker or acronym (an exchange may come first).
BRACKETED_ALIAS = re.compile(r"([A-Z][\w&.'’-]*(?:\s+(?:of\s+|the\s+|and\s+)?[A-Z][\w&.'’-]*){0,5})\s+"
                             r"\((?:[A-Za-z]{2,8}\s*:\s*)?([A-Z]{2,5})\)")


def bracketed_aliases(sentences: Sequence[str], lexicon: Lexicon) -> dict[str, str]:
    """Tickers and acronyms a story writes in brackets after a name, each to that name (normalised)."""
    aliases: dict[str, str] = {}
    agencies = {a.lower() for a in lexicon.news_agencies}
    for sentence in sentences:
        if "(" not in sentence:
            continue  # most sentences: no bracket, no alias
        for match in BRACKETED_ALIAS.finditer(sentence):
            name, alias = normalize_name(match.group(1), lexicon), match.group(2).lower()
            if name and name != alias and alias not in agencies:  # "Reuters (AP)" is a credit, not a name
                aliases.setdefault(alias, name)
    return aliases


def align_subjects(mentions: Sequence[Mention], lexicon: Lexicon) -> Subjects:
    """Group the written subjects of a story's figures into canonical names."""
    figures = [m for m in mentions if m.kind != Kind.ENTITY and m.owner]
    aliases = bracketed_aliases(list(dict.fromkeys(m.sentence for m in mentions)), lexicon)
    normal: dict[str, str] = {}  # a story writes a few hundred names thousands of times: normalise each once
    for m in figures:
        for name in candidates(m):
            if name not in normal:
                key = normalize_name(name, lexicon)
                normal[name] = aliases.get(key, key)  # "TSL" is the "Tessel" the story names beside it
    sources_per_name: dict[str, set[str]] = {}
    for m in figures:
        for name in candidates(m):
            key = normal[name]
            if key:
                sources_per_name.setdefault(key, set()).add(m.source_id)
    # Most widely used names first, so that a cluster is named by its commonest form.
    order = sorted(sources_per_name, key=lambda k: (-len(sources_per_name[k]), len(k), k))
    heads: list[str] = []
    head_of: dict[str, str] = {}
    for key in order:
        head = next((h for h in heads if same_name(h, key)), None)
        if head is None:
            heads.append(key)
            head = key
        head_of[key] = head
    canonical = {name: head_of.get(key, "") for name, key in normal.items()}
    sources_per_head: dict[str, set[str]] = {}
    for key, sources in sources_per_name.items():
        sources_per_head.setdefault(head_of[key], set()).update(sources)
    weight = {head: len(sources) for head, sources in sources_per_head.items()}
    main = min(weight, key=lambda h: (-weight[h], h)) if weight else ""
    n_sources = len({m.source_id for m in mentions})
    core = frozenset(h for h, w in weight.items() if w >= max(2, (n_sources + 1) // 2)) | ({main} if main else set())
    return Subjects(canonical=canonical, main=main, weight=dict(weight), core=core, people_words=lexicon.people_words,
                    separating_scopes=lexicon.separating_scopes,
                    pairwise_measures=frozenset(m.name for m in lexicon.measures if m.pairwise),
                    # A tally's counts are one count whatever the noun ("19 probable" deaths); other measures'
                    # nouns tell facts apart ("450 new jobs" created is not "hire 300 more").
                    measure_units={m.name: m.unit for m in lexicon.measures if m.unit and m.varies},
                    per_share_measures=frozenset(m.name for m in lexicon.measures if m.per_share),
                    revised_measures=frozenset(m.name for m in lexicon.measures if m.revised),
                    estimated_measures=frozenset(m.name for m in lexicon.measures if m.estimated))
