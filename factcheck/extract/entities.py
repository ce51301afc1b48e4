"""Entity and framing mentions: the catalogue's aliases found in the text with rapidfuzz.

An alias is scored against every window of the same number of words that
contains one of its words, so "Harbor 1" finds "the Harbor cluster"
(score 85.7) while "Atlas chips" does not fire on a bare "Atlas".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy
from rapidfuzz import fuzz
from spacy.tokens import Doc

from ..model import Catalog, Fact, Kind, Mention, Qualifier, Source
from . import context, vocab
from .figures import in_headline, sentence_of


def _word_index(doc: Doc) -> tuple[list[int], list[str]]:
    """Token indices of the words (no punctuation or spaces) and their lower-case forms.

    Read through Doc.to_array: creating a Token object per token costs more than the matching.
    """
    rows = doc.to_array(["LOWER", "IS_PUNCT", "IS_SPACE"])
    words = numpy.flatnonzero((rows[:, 1] == 0) & (rows[:, 2] == 0))  # the filter in C, not per row in Python
    strings = doc.vocab.strings
    return words.tolist(), [strings[h] for h in rows[words, 0].tolist()]


def find_entities(doc: Doc, source: Source, catalog: Catalog, tokenize: Callable[[str], Doc]) -> list[Mention]:
    """Mentions of the catalogue's entity values; `tokenize` is the pipeline's tokenizer."""
    facts = [f for f in catalog.facts if f.kind == Kind.ENTITY]
    if not facts:
        return []
    words, lowers = _word_index(doc)
    index: dict[str, list[int]] = {}
    for pos, lower in enumerate(lowers):
        index.setdefault(lower, []).append(pos)
    out: list[Mention] = []
    for fact in facts:
        out.extend(_fact_mentions(doc, source, fact, words, lowers, index, tokenize))
    return out


def align(alias: list[str], window: list[str]) -> tuple[float, int, int]:
    """Score how well `window` words spell `alias` words in order; and the matched window slice.

    Each alias word counts by its length, so a missing "1" in "Harbor 1" costs
    little and a missing "homegrown" in "homegrown solutions" costs half. Words
    the window adds between matched ones cost 5 points each.
    """
    total = sum(len(w) for w in alias)
    got = 0.0
    k = 0
    first = last = -1
    for word in alias:
        for j in range(k, len(window)):
            sim = 100.0 if window[j] == word else fuzz.ratio(word, window[j])
            if sim >= 85:
                got += len(word) * sim / 100
                first = j if first < 0 else first
                last, k = j, j + 1
                break
    if first < 0:
        return 0.0, 0, 0
    matched = sum(1 for _ in alias)  # upper bound of words that can match
    gaps = max(0, (last - first + 1) - matched)
    return max(0.0, 100 * got / total - 5 * gaps), first, last + 1


def _fact_mentions(doc: Doc, source: Source, fact: Fact, words: list[int], lowers: list[str],
                   index: dict[str, list[int]], tokenize: Callable[[str], Doc]) -> list[Mention]:
    best: dict[tuple[int, int], tuple[float, str, str]] = {}  # word window -> (score, value id, alias)
    for value in fact.values:
        for alias in value.aliases:
            alias_tokens = [t.lower_ for t in tokenize(alias) if not (t.is_punct or t.is_space)]
            n = len(alias_tokens)
            anchors = {w for w in alias_tokens if w not in vocab.STOPWORDS}
            for anchor in anchors:
                for pos in index.get(anchor, ()):
                    lo, hi = max(0, pos - n + 1), min(len(words), pos + n)
                    window_words = lowers[lo:hi]
                    score, a, b = align(alias_tokens, window_words)
                    window = (lo + a, lo + b)
                    if score >= fact.min_score and score > best.get(window, (0.0, "", ""))[0]:
                        best[window] = (score, value.id, alias)
    # Overlapping windows: keep the best-scoring, then the earliest.
    chosen: list[tuple[int, int, float, str, str]] = []
    for (a, b), (score, value_id, alias) in sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0])):
        if all(b <= c or a >= d for c, d, *_ in chosen):
            chosen.append((a, b, score, value_id, alias))
    mentions = []
    for a, b, score, value_id, alias in sorted(chosen):
        start_tok, end_tok = words[a], words[b - 1] + 1
        span = doc[start_tok:end_tok]
        sent_start, sent_end = context.sentence_bounds(doc, start_tok, end_tok)
        sentence_text, offset = sentence_of(source.text, doc, sent_start, sent_end)
        mentions.append(Mention(
            source_id=source.id,
            start=span.start_char,
            end=span.end_char,
            text=source.text[span.start_char:span.end_char],
            sentence=sentence_text,
            sentence_start=offset,
            kind=Kind.ENTITY,
            value=value_id,
            unit=fact.id,
            qualifier=Qualifier.EXACT,
            modality=context.modality(doc, span.start, span.end, sent_start, sent_end),
            in_headline=in_headline(source, span.start_char),
            score=round(float(score), 1),
            matched=alias,
        ))
    return mentions
