"""The whole check as one library call: load, extract, assign, reconcile, gate."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from typing import TYPE_CHECKING

from .assign import assign
from .cache import DEFAULT_COMPONENTS, ExtractionCache, article_key, cache_path, cached_extractions, catalog_digest, dumps, \
    pipeline_version
from .catalog import load_catalog, load_resolutions
from .story import in_story, published_years
from .gate import gate
from .lexicon import load_lexicon
from .notes import apply_notes
from .model import Catalog, CheckResult, Extraction, Resolution, Source
from .reconcile import reconcile
from .sources import DEFAULT_MAX_BYTES, load_sources

if TYPE_CHECKING:
    from spacy.language import Language

Progress = Callable[[int, int], None]


AUTO_ARTICLES_PER_WORKER = 200


@dataclass(frozen=True)
class Settings:
    """What a check may vary; passed in, never kept in module state."""

    fail_on: str = "contradiction"
    max_bytes: int = DEFAULT_MAX_BYTES
    jobs: int = 0  # worker processes for extraction; 0: one per CPU when there is enough to read
    cache: bool = True  # reuse extractions of unchanged articles from <story>/.factcheck/cache.sqlite


def analyse(story: Path, sources: Sequence[Source], extractions: Sequence[Extraction], catalog: Catalog,
            settings: Settings = Settings(), resolutions: Sequence[Resolution] | None = None,
            warnings: list[str] | None = None) -> CheckResult:
    """Apply the editor's figure notes, assign, reconcile and gate; reads resolutions.yaml unless given them."""
    lexicon = load_lexicon()
    noted = apply_notes([m for e in extractions for m in e.mentions], [d for e in extractions for d in e.dropped],
                        catalog.notes, lexicon)
    if warnings is not None:
        warnings.extend(f"{story / 'claims' / 'frames.yaml'}:{n.line}: no figure '{n.figure}' in source "
                        f"'{n.source_id}' (write the figure as the article does, e.g. '$2.5bn')" for n in noted.unused)
    mentions, dropped = in_story(noted.mentions, sources, lexicon), noted.dropped
    assignment = assign(mentions, catalog, lexicon, published_years(sources))
    verdicts = load_resolutions(story) if resolutions is None else resolutions
    result = reconcile(assignment.facts, assignment.claims, catalog.relations, sources, verdicts)
    return CheckResult(
        story=story, sources=tuple(sources), catalog=catalog, mentions=mentions, dropped=dropped,
        claims=assignment.claims, facts=assignment.facts, findings=result.findings, stale=result.stale,
        gate=gate(result.findings, settings.fail_on),
    )


def check(story: Path, nlp: Language | None = None, settings: Settings = Settings(),
          progress: Progress | None = None, warnings: list[str] | None = None) -> CheckResult:
    """Check a story folder end to end; without `nlp`, the rule pipeline is built only if an article must be read."""
    warnings = warnings if warnings is not None else []
    loaded = load_sources(story, settings.max_bytes)
    warnings.extend(loaded.warnings)
    catalog = load_catalog(story)
    resolutions = load_resolutions(story)  # read before the slow part, so a bad file fails fast
    extractions = extract_story(story, loaded.sources, nlp, catalog, settings, progress, warnings)
    result = analyse(story, loaded.sources, extractions, catalog, settings, resolutions, warnings)
    return replace(result, warnings=tuple(warnings))


def extract_story(story: Path, sources: Sequence[Source], nlp: Language | None, catalog: Catalog,
                  settings: Settings = Settings(), progress: Progress | None = None,
                  warnings: list[str] | None = None, memo: dict[str, Extraction] | None = None,
                  version: str | None = None) -> list[Extraction]:
    """Extractions of every source, in order: from the cache when unchanged, else read (in `jobs` processes).

    `memo` (key -> Extraction, kept by the caller between checks) is asked before the cache file and
    left holding exactly the current articles; `version` is the extractor's fingerprint when known.
    """
    warnings = warnings if warnings is not None else []
    if not settings.cache:
        return extract_many(sources, nlp, catalog, settings.jobs, progress)
    version = version or pipeline_version(nlp.pipe_names if nlp is not None else DEFAULT_COMPONENTS)
    digest = catalog_digest(catalog)
    keys = [article_key(s, version, digest) for s in sources]
    remembered: dict[str, Extraction] = {}
    if memo is not None:
        # A renamed article has another id: its mentions carry the old one, so it goes to the cache file.
        remembered = {s.id: memo[k] for s, k in zip(sources, keys) if k in memo and memo[k].source_id == s.id}
    unknown = [(s, k) for s, k in zip(sources, keys) if s.id not in remembered]
    with ExtractionCache(cache_path(story), warnings) as cache:
        found = cached_extractions([s for s, _ in unknown], [k for _, k in unknown], cache) if unknown else {}
        found.update(remembered)
        misses = [s for s in sources if s.id not in found]
        if progress and found:
            progress(len(found), len(sources))
        done = len(found)

        def advance(count: int, _total: int) -> None:
            if progress:
                progress(done + count, len(sources))
        fresh = extract_many(misses, nlp, catalog, settings.jobs, advance)
        key_of = dict(zip((s.id for s in sources), keys))
        if misses:
            cache.put_many(((key_of[e.source_id], dumps(e)) for e in fresh), keep=keys)
    found.update((e.source_id, e) for e in fresh)
    if memo is not None:
        memo.clear()
        memo.update((k, found[s.id]) for s, k in zip(sources, keys))
    return [found[s.id] for s in sources]


def extract_many(sources: Sequence[Source], nlp: Language | None, catalog: Catalog, jobs: int = 1,
                 progress: Progress | None = None) -> list[Extraction]:
    """Extractions in input order; with jobs > 1 in worker processes, each building its pipeline once."""
    if jobs <= 0:
        # Starting a worker costs about a second of pipeline building; worth it only for a big read.
        jobs = min(os.cpu_count() or 1, len(sources) // AUTO_ARTICLES_PER_WORKER)
    jobs = min(jobs, len(sources), os.cpu_count() or 1)  # more processes than CPUs only cost start-up time
    if not sources:
        return []
    if jobs <= 1:
        from .nlp import build_pipeline  # first: it imports spaCy the lean way (nlp._import_spacy_without_cli)
        from .extract import extract_all

        extractions = []
        for i, extraction in enumerate(extract_all(sources, nlp or build_pipeline(), catalog), 1):
            extractions.append(extraction)
            if progress:
                progress(i, len(sources))
        return extractions
    import multiprocessing  # here, not at the top: a warm check starts no worker
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # Interleaved chunks balance long and short articles; one chunk per worker builds one pipeline.
    chunks = [list(sources[i::jobs]) for i in range(jobs)]
    # fork shares the already-imported spaCy with the workers; spawn where fork does not exist.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    by_id: dict[str, Extraction] = {}
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(_extract_chunk, chunk, catalog) for chunk in chunks]
        for future in as_completed(futures):
            by_id.update((e.source_id, e) for e in future.result())
            if progress:
                progress(len(by_id), len(sources))
    return [by_id[s.id] for s in sources]


def _extract_chunk(sources: list[Source], catalog: Catalog) -> list[Extraction]:
    """Worker: build the rule pipeline once, read a chunk of articles."""
    from .nlp import build_pipeline
    from .extract import extract_all

    return list(extract_all(sources, build_pipeline(), catalog))


class LiveCheck:
    """A check kept in memory between runs, for `factcheck serve`.

    The pipeline is built on the first article that must be read and kept; an article whose file
    is unchanged (same size, modification time and inode) is not read again, and its extraction
    is taken from memory rather than decoded from the cache file. Claims are read every time
    (they are small and the editor's verdicts must show at once).
    """

    def __init__(self, story: Path, settings: Settings = Settings()) -> None:
        self.story = story
        self.settings = settings
        self.nlp: Language | None = None
        self.version = pipeline_version(DEFAULT_COMPONENTS)
        self.extractions: dict[str, Extraction] = {}
        self.files: dict[Path, tuple[tuple[int, int, int, int], Source | None, tuple[str, ...]]] = {}

    def _read(self, path: Path, warnings: list[str], max_bytes: int) -> Source | None:
        from .sources import load_source

        try:
            info = path.stat()
        except OSError:
            return load_source(path, warnings, max_bytes)  # says what is wrong with it
        stamp = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)
        known = self.files.get(path)
        if known is not None and known[0] == stamp:
            warnings.extend(known[2])
            return known[1]
        own: list[str] = []
        source = load_source(path, own, max_bytes)
        self.files[path] = (stamp, source, tuple(own))
        warnings.extend(own)
        return source

    def run(self, warnings: list[str] | None = None) -> CheckResult:
        """Check the story again, reading only what changed since the last run."""
        warnings = warnings if warnings is not None else []
        loaded = load_sources(self.story, self.settings.max_bytes, read=self._read)
        present = {s.path for s in loaded.sources}
        self.files = {p: v for p, v in self.files.items() if p in present or v[1] is None}
        warnings.extend(loaded.warnings)
        catalog = load_catalog(self.story)
        resolutions = load_resolutions(self.story)
        if self.nlp is None and self._needs_reading(loaded.sources, catalog):
            from .nlp import build_pipeline

            self.nlp = build_pipeline()
        extractions = extract_story(self.story, loaded.sources, self.nlp, catalog, self.settings, None, warnings,
                                    memo=self.extractions, version=self.version)
        result = analyse(self.story, loaded.sources, extractions, catalog, self.settings, resolutions, warnings)
        return replace(result, warnings=tuple(warnings))

    def prepare(self) -> None:
        """Build the pipeline now (a server does it once, after its first check), so that the first
        changed article costs its reading, not spaCy's import."""
        if self.nlp is None:
            from .nlp import build_pipeline

            self.nlp = build_pipeline()

    def _needs_reading(self, sources: Sequence[Source], catalog: Catalog) -> bool:
        """Whether some article is in neither memory nor the cache file (then the pipeline is built, once)."""
        digest = catalog_digest(catalog)
        keys = [article_key(s, self.version, digest) for s in sources]
        unknown = [k for k in keys if k not in self.extractions]
        if not unknown:
            return False
        with ExtractionCache(cache_path(self.story), []) as cache:
            return len(cache.get_many(unknown)) < len(set(unknown))
