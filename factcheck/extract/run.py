"""Run the extract stage over articles: spaCy pipeline, figure readings, entity aliases."""

from __future__ import annotations

from typing import Iterable

from spacy.language import Language

from ..lexicon import Lexicon, load_lexicon
from ..model import Catalog, Extraction, Source
from .entities import find_entities
from .figures import read_figures
from .frame import link_conversions, with_frame


def extract(source: Source, nlp: Language, catalog: Catalog = Catalog()) -> Extraction:
    """All mentions of one article."""
    return next(iter(extract_all([source], nlp, catalog)))


def extract_all(sources: Iterable[Source], nlp: Language, catalog: Catalog = Catalog(),
                batch_size: int = 32, lexicon: Lexicon | None = None) -> Iterable[Extraction]:
    """Mentions of many articles, parsed in batches, each figure with its frame; yields in input order."""
    sources = list(sources)
    lexicon = lexicon or load_lexicon()
    docs = nlp.pipe((s.text for s in sources), batch_size=batch_size)
    for source, doc in zip(sources, docs):
        figures, dropped = read_figures(doc, source, lexicon=lexicon)
        figures = link_conversions([with_frame(m, lexicon) for m in figures], source.text)
        entities = find_entities(doc, source, catalog, nlp.tokenizer)
        mentions = sorted([*figures, *entities], key=lambda m: (m.start, m.end, m.kind, m.unit))
        yield Extraction(source.id, tuple(mentions), tuple(dropped))
