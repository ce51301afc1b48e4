"""Cache of extraction results, so an unchanged article is never read twice.

One SQLite file per story, `<story>/.factcheck/cache.sqlite` (ignore `.factcheck/`
in the story's version control). A row holds one article's Extraction as JSON,
keyed by everything extraction depends on:

- the article's content: body text, title and published date (the title marks
  headlines, the date resolves "earlier this month"); not its path or id, so a
  renamed file still hits and the id is re-attached on load;
- the pipeline: `PIPELINE_VERSION`, the package version, the figure pattern
  table, the extractor's source code, the Mention/Dropped schema and the spaCy
  pipeline's components;
- the catalogue (`Catalog.digest`): entity aliases are matched during extraction.

The cache is an accelerator, never a source of truth: any problem with it is a
warning and the check goes on reading the articles. A file that is not a
database or is damaged is rebuilt. Two checks may run at once (WAL journal,
busy timeout); each writes its rows in one transaction.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sqlite3
import time
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from . import __version__
from .files import is_inside, outside_target
from .model import Catalog, Dropped, Extraction, Mention, Source

# Bump when extraction changes in a way the fingerprinted inputs below would not show.
PIPELINE_VERSION = "2"  # 2: rows (lists in field order) instead of records
CACHE_DIR = ".factcheck"
CACHE_FILE = "cache.sqlite"
BUSY_TIMEOUT_S = 30.0  # a concurrent check holds the write lock for one transaction at most
# SQLite result codes that mean the file itself is bad, not merely busy.
CORRUPT_CODES = {"SQLITE_CORRUPT", "SQLITE_NOTADB"}
PLAIN_TYPES = (str, int, float, bool, type(None))
SCHEMA = "CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, payload TEXT NOT NULL, digest TEXT NOT NULL)"

T = TypeVar("T")


# ---------------------------------------------------------------- keys

def _sha(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")  # no two part lists hash alike by shifting text between parts
    return digest.hexdigest()


# The components nlp.build_pipeline() adds, named here so a warm check can key the cache
# without importing spaCy.
DEFAULT_COMPONENTS = ("figure_ruler",)


def pipeline_version(nlp_components: Sequence[str] = ()) -> str:
    """Fingerprint of the extractor: version constant, package version, patterns, code, schema, components."""
    from .extract.patterns import figure_patterns

    patterns = json.dumps(figure_patterns(), sort_keys=True, default=str)
    code_dir = Path(__file__).parent
    # The extractor's own code: a tweak to a rule changes results without changing the pattern table.
    code = [p.read_text(encoding="utf-8") for p in sorted((code_dir / "extract").glob("*.py"))]
    code.append((code_dir / "nlp.py").read_text(encoding="utf-8"))
    # The frame reader's words: an edited lexicon reads old articles anew.
    code.extend(p.read_text(encoding="utf-8") for p in sorted((code_dir / "lexicon").rglob("*.yaml")))
    # A newsroom's own lexicon files (FACTCHECK_LEXICON) read articles differently too.
    from .lexicon import extra_files

    code.extend(p.read_text(encoding="utf-8", errors="replace") for p in extra_files() if p.is_file())
    schema = repr([(f.name, str(f.type)) for cls in (Mention, Dropped) for f in dataclasses.fields(cls)])
    return _sha(PIPELINE_VERSION, __version__, patterns, _sha(*code), schema, ",".join(nlp_components))


def catalog_digest(catalog: Catalog) -> str:
    """The catalogue's content hash; an in-memory catalogue (no digest) is hashed from its facts."""
    return catalog.digest or _sha(repr(catalog.facts), repr(catalog.relations))


def article_key(source: Source, pipeline: str, catalog: str) -> str:
    """Cache key of one article: its content and what extraction depends on, not its path or id."""
    published = source.published.isoformat() if source.published else ""
    return _sha(source.text, source.title or "", published, pipeline, catalog)


# ---------------------------------------------------------------- JSON, exact round trip

def _encode(value: Any) -> Any:
    # Decimal as a tagged string keeps its exponent ("1.25E+9" stays 1.25E+9, not 1250000000).
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    return value


def _decoder(hint: Any) -> Callable[[Any], Any]:
    """How to turn a field's JSON back into its value, decided once per field from its type hint."""
    candidates = typing.get_args(hint) or (hint,)
    enum = next((c for c in candidates if isinstance(c, type) and issubclass(c, Enum)), None)
    members = {m.value: m for m in enum} if enum is not None else {}  # a dict lookup is 3x cheaper than Enum(v)
    tuple_hint = next((c for c in candidates if typing.get_origin(c) is tuple), None)
    inner = _decoder(typing.get_args(tuple_hint)[0]) if tuple_hint is not None and typing.get_args(tuple_hint) \
        else (lambda v: v)

    def decode(value: Any) -> Any:
        if isinstance(value, dict):
            if "$decimal" in value:
                number = Decimal(value["$decimal"])
                if not number.is_finite():
                    raise ValueError("a cached figure is not a finite number")  # read the article again
                return number
            if "$date" in value:
                return date.fromisoformat(value["$date"])
        if isinstance(value, list):
            return tuple(inner(v) for v in value)
        if enum is not None and isinstance(value, str):
            return members[value] if value in members else enum(value)
        return value

    if enum is not None and tuple_hint is None:
        def decode_member(value: Any) -> Any:
            """An enum field's value is a member's name in nearly every record: one dict lookup."""
            if value.__class__ is str:
                member = members.get(value)
                if member is not None:
                    return member
            return decode(value)
        return decode_member
    return decode


def _plain(hint: Any) -> bool:
    """Whether JSON gives the field back as it was (text, numbers, flags): no decoding needed."""
    return all(c in PLAIN_TYPES for c in typing.get_args(hint) or (hint,))


def decoders(cls: type) -> dict[str, Callable[[Any], Any]]:
    """Decoders of the fields that need one; build once per load, not per record (a warm check reads all)."""
    return {name: _decoder(hint) for name, hint in typing.get_type_hints(cls).items() if not _plain(hint)}


def to_row(item: Mention | Dropped) -> list[Any]:
    """A mention or dropped number as a JSON-ready list of its fields in declaration order, without its
    source id: the cache's format (the field names and types are part of the key, so positions are fixed)."""
    return [_encode(getattr(item, name)) for name in _field_order(type(item))]  # type: ignore[arg-type]


@functools.lru_cache(maxsize=None)
def _field_order(cls: type) -> tuple[str, ...]:
    """The fields a row of `cls` holds, in order (all but source_id)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name != "source_id")


def _from_rows(cls: type[T], rows: Any, source_id: str, fields: Mapping[str, Callable[[Any], Any]]) -> tuple[T, ...]:
    """The items a list of rows (to_row) holds. A row of the wrong length is another schema's: ValueError."""
    names = _field_order(cls)  # type: ignore[arg-type]
    width = len(names)
    decode = [(names.index(name), fn) for name, fn in fields.items() if name in names]
    new = object.__new__
    out = []
    for row in rows:
        if row.__class__ is not list or len(row) != width:
            raise ValueError("a cached row does not match the schema")
        for i, fn in decode:
            row[i] = fn(row[i])
        # The frozen instance filled directly: the dataclass __init__ would set each of its 26
        # fields through object.__setattr__, the largest cost of a warm check's thousands of mentions.
        data = dict(zip(names, row))
        data["source_id"] = source_id
        item = new(cls)
        item.__dict__.update(data)
        out.append(item)
    return tuple(out)


def dumps(extraction: Extraction) -> str:
    # Rows, not records: without 26 field names per mention the JSON is half as long and parses twice as fast.
    return json.dumps({"mentions": [to_row(m) for m in extraction.mentions],
                       "dropped": [to_row(d) for d in extraction.dropped]},
                      ensure_ascii=False, separators=(",", ":"))


def loads(payload: str, source_id: str, mention_fields: Mapping[str, Callable[[Any], Any]] | None = None,
          dropped_fields: Mapping[str, Callable[[Any], Any]] | None = None) -> Extraction:
    data = json.loads(payload)
    mention_fields = decoders(Mention) if mention_fields is None else mention_fields
    dropped_fields = decoders(Dropped) if dropped_fields is None else dropped_fields
    # The rows are json.loads' own fresh lists: decoded in place, not copied.
    return Extraction(source_id, _from_rows(Mention, data["mentions"], source_id, mention_fields),
                      _from_rows(Dropped, data["dropped"], source_id, dropped_fields))


# ---------------------------------------------------------------- the store

def cache_path(story: Path) -> Path:
    return story / CACHE_DIR / CACHE_FILE


def _is_corrupt(exc: sqlite3.Error) -> bool:
    """A damaged file, or a cache another version wrote (another table layout): either way, rebuild it once."""
    name = getattr(exc, "sqlite_errorname", "")
    return (name in CORRUPT_CODES or "not a database" in str(exc) or "malformed" in str(exc)
            or "no such column" in str(exc) or "has no column" in str(exc))


def payload_digest(key: str, payload: str) -> str:
    """What a row must carry to be trusted: a hand-edited or copied payload is a miss, never a result."""
    return _sha("payload", key, payload)


def _connect(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the cache; retries while another check is creating it."""
    # Two checks starting together can both try to switch a new file to WAL; SQLite answers
    # "database is locked" at once there, without waiting on the busy timeout.
    for attempt in range(50):
        try:
            return _open(path)
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc) or attempt == 49:
                raise
            time.sleep(0.1)
    raise AssertionError("unreachable")  # pragma: no cover


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        conn.execute("PRAGMA journal_mode = WAL")  # readers never block the one writer
        conn.execute("PRAGMA synchronous = NORMAL")  # WAL keeps the file consistent; a lost row is a miss
        conn.execute(SCHEMA)
        conn.execute("SELECT count(*), max(digest) FROM extraction").fetchone()  # a cache of another schema fails here
    except BaseException:
        conn.close()
        raise
    return conn


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class ExtractionCache:
    """An open cache file; every failure becomes a warning and a miss, never an error."""

    def __init__(self, path: Path, warnings: list[str]) -> None:
        self.path = path
        self.warnings = warnings
        self.conn: sqlite3.Connection | None = None
        story = path.parent.parent
        if path.is_symlink() or path.parent.is_symlink() or not is_inside(path.parent, story):
            # Following it would add a table to, and switch to WAL, a database that is not ours.
            warnings.append(f"{path}: the cache is a symbolic link ({outside_target(path)}); not used "
                            f"(remove the link: the cache is rebuilt in {path.parent})")
            return
        try:
            self.conn = _connect(path)
        except sqlite3.Error as exc:
            if _is_corrupt(exc):
                self._rebuild(exc)
            else:
                self._disable(exc)
        except OSError as exc:
            self._disable(exc)

    def __enter__(self) -> ExtractionCache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _disable(self, exc: BaseException) -> None:
        self.close()
        self.warnings.append(f"{self.path}: cache unavailable ({exc}); reading every article")

    def _rebuild(self, exc: BaseException) -> None:
        self.close()
        self.warnings.append(f"{self.path}: cache is damaged or from another version ({exc}); rebuilding it")
        try:
            _remove(self.path)
            self.conn = _connect(self.path)
        except (sqlite3.Error, OSError) as again:
            self._disable(again)

    def _failed(self, exc: sqlite3.Error) -> None:
        if _is_corrupt(exc):
            self._rebuild(exc)
        else:
            self._disable(exc)

    def get_many(self, keys: Iterable[str]) -> dict[str, str]:
        """Payloads of the keys present in the cache."""
        if self.conn is None:
            return {}
        wanted = list(dict.fromkeys(keys))
        found: dict[str, str] = {}
        try:
            for i in range(0, len(wanted), 500):  # stay under SQLite's bound-parameter limit
                chunk = wanted[i:i + 500]
                rows = self.conn.execute(
                    f"SELECT key, payload, digest FROM extraction WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                found.update((k, p) for k, p, d in rows.fetchall() if d == payload_digest(k, p))
        except sqlite3.Error as exc:
            self._failed(exc)
            return {}
        return found

    def put_many(self, rows: Iterable[tuple[str, str]], keep: Iterable[str] | None = None) -> None:
        """Store payloads in one transaction; with `keep`, drop rows of articles no longer in the story."""
        if self.conn is None:
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany("INSERT OR REPLACE INTO extraction (key, payload, digest) VALUES (?, ?, ?)",
                                      ((k, p, payload_digest(k, p)) for k, p in rows))
                if keep is not None:
                    # Old versions of edited articles and old catalogues would otherwise pile up.
                    self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS keep (key TEXT PRIMARY KEY)")
                    self.conn.execute("DELETE FROM temp.keep")
                    self.conn.executemany("INSERT OR IGNORE INTO temp.keep (key) VALUES (?)", ((k,) for k in keep))
                    self.conn.execute("DELETE FROM extraction WHERE key NOT IN (SELECT key FROM temp.keep)")
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self._failed(exc)


def cached_extractions(sources: Sequence[Source], keys: Sequence[str], cache: ExtractionCache) -> dict[str, Extraction]:
    """Extractions found in the cache, by source id; an unreadable row is a miss."""
    payloads = cache.get_many(keys)
    found: dict[str, Extraction] = {}
    mention_fields, dropped_fields = decoders(Mention), decoders(Dropped)
    for source, key in zip(sources, keys):
        payload = payloads.get(key)
        if payload is None:
            continue
        try:
            found[source.id] = loads(payload, source.id, mention_fields, dropped_fields)
        except (ValueError, KeyError, TypeError, ArithmeticError):
            continue  # written by another schema: read the article again
    return found
