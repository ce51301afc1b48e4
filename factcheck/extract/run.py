"""Run the extract stage over articles: spaCy pipeline, figure readings, entity aliases."""

from __future__ import annotations

import re
from typing import Iterable

from spacy.language import Language

from ..lexicon import Lexicon, load_lexicon
from ..model import Catalog, Dropped, Extraction, Kind, Mention, Source
from .entities import find_entities
from .figures import read_figures
from .vocab import WEEKDAYS
from .frame import dated_last_year, with_frame
from .links import inherit_comparisons, link_conversions, listed_figures


LONG_RUN = re.compile(r"\S{128,}")


def tokenizable(text: str) -> str:
    """`text` with a space every 64 characters of any run of 128+ without one; same length, same offsets.

    spaCy's tokenizer strips affixes off a whitespace-free run one at a time, rescanning the
    rest each time: "$" x 16,000 took 47 s. No figure is that long, so the run is cut.
    """
    return LONG_RUN.sub(lambda m: "".join(c if (i + 1) % 64 else " " for i, c in enumerate(m.group())), text)


def is_weekday(mention: Mention) -> bool:
    """A date read from a weekday name ("on Thursday", "late Friday")."""
    return mention.kind == Kind.DATE and mention.text.split()[-1].lower() in WEEKDAYS


def extract(source: Source, nlp: Language, catalog: Catalog = Catalog()) -> Extraction:
    """All mentions of one article."""
    return next(iter(extract_all([source], nlp, catalog)))


def extract_all(sources: Iterable[Source], nlp: Language, catalog: Catalog = Catalog(),
                batch_size: int = 32, lexicon: Lexicon | None = None) -> Iterable[Extraction]:
    """Mentions of many articles, parsed in batches, each figure with its frame; yields in input order."""
    sources = list(sources)
    lexicon = lexicon or load_lexicon()
    docs = nlp.pipe((tokenizable(s.text) for s in sources), batch_size=batch_size)
    for source, doc in zip(sources, docs):
        figures, dropped = read_figures(doc, source, lexicon=lexicon)
        figures = inherit_comparisons(link_conversions([with_frame(m, lexicon) for m in figures], source.text),
                                      source.text)
        figures = listed_figures(figures, lexicon)
        figures = [dated_last_year(m, source) for m in figures]
        # A weekday is a figure only when it dates the story's event ("crashed on Thursday"): "said on
        # Tuesday" is in every wire story and dates nothing an editor compares.
        undated = {id(m) for m in figures if is_weekday(m) and not m.measure}
        dropped = [*dropped, *(Dropped(source.id, m.start, m.end, m.text, "a weekday that dates no event")
                               for m in figures if id(m) in undated)]
        figures = [m for m in figures if id(m) not in undated]
        entities = find_entities(doc, source, catalog, nlp.tokenizer)
        mentions = sorted([*figures, *entities], key=lambda m: (m.start, m.end, m.kind, m.unit))
        yield Extraction(source.id, tuple(mentions), tuple(dropped))
