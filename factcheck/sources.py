"""Load and validate the articles of a story folder (`sources/`)."""

from __future__ import annotations

import codecs
import errno
import hashlib
import html.parser
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from .errors import InputError
from .files import is_inside, outside_target
from .model import Source
from .yamlfile import load_yaml

SUFFIXES = (".md", ".txt", ".html", ".htm")
FRONT_MATTER_KEYS = ("id", "title", "publisher", "url", "published", "author")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")  # \Z: "$" would admit a final newline
DEFAULT_MAX_BYTES = 5_000_000


@dataclass(frozen=True)
class LoadedSources:
    sources: tuple[Source, ...]
    warnings: tuple[str, ...]


def load_sources(story: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                 read: Callable[[Path, list[str], int], Source | None] | None = None) -> LoadedSources:
    """Read every article under `story/sources/`, sorted by id.

    `read` reads one file (default `load_source`); `factcheck serve` passes one that remembers
    unchanged files, so a re-check reads only what changed.
    """
    read = read or load_source
    folder = story / "sources"
    if not story.is_dir():
        raise InputError("story folder not found", story, hint="pass a folder that holds sources/ and claims/")
    if not folder.is_dir():
        raise InputError("no sources/ folder", story, hint="create sources/ and put one article per file in it")
    warnings: list[str] = []
    by_id: dict[str, Source] = {}
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES and not p.name.startswith("."))
    except OSError as exc:
        raise InputError(f"cannot list the folder: {exc.strerror}", folder) from None
    folder_inside = is_inside(folder, story)  # resolved once: realpath per article would cost a check 0.2 s
    for path in paths:
        if (path.is_symlink() or not folder_inside) and not is_inside(path, story):
            warnings.append(f"{path}: symbolic link to a file outside the story ({outside_target(path)}), skipped "
                            "(copy the article into sources/ instead of linking it)")
            continue
        source = read(path, warnings, max_bytes)
        if source is None:
            continue
        if source.id in by_id:
            other = by_id[source.id].path
            raise InputError(f"duplicate source id '{source.id}' (also in {other})", path,
                             hint="give one of the two files another id")
        by_id[source.id] = source
    if not by_id:
        hint = (f"all {len(paths)} article files were skipped as empty" if paths
                else f"add files ending in {', '.join(SUFFIXES)}")
        raise InputError("no articles found", folder, hint=hint)
    return LoadedSources(tuple(sorted(by_id.values(), key=lambda s: s.id)), tuple(warnings))


def read_text(path: Path, warnings: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode a file as UTF-8, else Windows-1252 with a warning; refuse binaries, folders and oversized files."""
    info = _stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not an article file", path,
                         hint="move the articles inside it into sources/ or rename it")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a device, pipe or socket)", path, hint="remove it from sources/")
    # Size is checked before reading, so a huge file is never loaded into memory.
    if info.st_size > max_bytes:
        raise _too_big(path, info.st_size, max_bytes)
    try:
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)  # bounded: the file may have grown since stat
    except PermissionError:
        raise InputError("permission denied", path, hint="make the file readable") from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path, hint="check the path") from None
    if len(raw) > max_bytes:
        raise _too_big(path, len(raw), max_bytes)
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        # UTF-32's little-endian mark begins with UTF-16's: test it first, or the text reads as garbage.
        try:
            return _newlines(raw.decode("utf-32"))
        except UnicodeDecodeError:
            pass
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Notepad's "Unicode": marked, so decoding it is no guess. Its NUL bytes are not binary.
        try:
            return _newlines(raw.decode("utf-16"))
        except UnicodeDecodeError:
            pass
    if b"\x00" in raw:
        raise InputError("not a text file (contains NUL bytes)", path, hint="convert it to text or remove it")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        warnings.append(f"{path}: not UTF-8, read as Windows-1252")
    return _newlines(text)


def _stat(path: Path) -> os.stat_result:
    """stat() following symbolic links, with each failure as one line the editor can act on."""
    try:
        return path.stat()
    except PermissionError:
        raise InputError("permission denied", path, hint="make the file readable") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise InputError("symbolic link loop", path, hint="point it at a real file or remove it") from None
        if path.is_symlink():
            raise InputError("broken symbolic link (its target is missing)", path,
                             hint="point it at a real file or remove it") from None
        raise InputError(f"cannot read file: {exc.strerror}", path, hint="check the path") from None


def _too_big(path: Path, size: int, max_bytes: int) -> InputError:
    return InputError(f"file is {size:,} bytes, over the limit of {max_bytes:,}", path,
                      hint="raise it with --max-bytes or split the article")


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_source(path: Path, warnings: list[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Source | None:
    """One article, or None (with a warning) when it is empty."""
    text = read_text(path, warnings, max_bytes)
    if not text.strip():
        warnings.append(f"{path}: empty file, skipped")
        return None
    suffix = path.suffix.lower()
    meta: dict[str, object] = {}
    body_line = 1
    body = text
    if suffix == ".md":
        meta, body, body_line = split_front_matter(text, path)
    elif suffix in (".html", ".htm"):
        meta, body = html_to_text(text)
    else:
        first = text.lstrip("\n").split("\n", 1)[0].strip()
        meta = {"title": first or None}
    source_id = str(meta["id"]) if meta.get("id") else id_from_name(path.stem)
    if not ID_PATTERN.match(source_id):
        raise InputError(f"invalid source id '{source_id}'", path, 2 if "id" in meta else None,
                         "use letters, digits, '.', '_' or '-' only, no path separators")
    if not body.strip():
        warnings.append(f"{path}: no article text, skipped")
        return None
    return Source(
        id=source_id,
        path=path,
        text=body,
        title=_opt_str(meta.get("title")),
        publisher=_opt_str(meta.get("publisher")),
        url=_opt_str(meta.get("url")),
        published=meta.get("published") if isinstance(meta.get("published"), date) else None,  # type: ignore[arg-type]
        body_line=body_line,
        line_starts=line_starts(body),
    )


def id_from_name(stem: str) -> str:
    """A valid id from a file name ("Deal - Reuters" -> "Deal-Reuters"): pages saved from the web keep theirs."""
    slug = re.sub(r"[^A-Za-z0-9._]+", "-", stem).strip("-._")[:128]
    return slug or "source-" + hashlib.sha256(stem.encode("utf-8", "surrogateescape")).hexdigest()[:12]


def line_starts(text: str) -> tuple[int, ...]:
    return (0, *(m.end() for m in re.finditer("\n", text)))


WRITTEN_DATES = ("%b %d, %Y", "%B %d, %Y", "%d %B %Y", "%d %b %Y", "%b. %d, %Y", "%B %d %Y", "%b %d %Y")


def parse_date(text: str) -> date | None:
    """A date as YAML writers and people write it: ISO, ISO with a time and zone, "Oct 6, 2025"."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        pass
    for fmt in WRITTEN_DATES:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, object], str, int]:
    """Split `---` YAML front matter from a Markdown body and validate its keys."""
    opening = re.match(r"---[ \t]*\n", text)  # "--- " with a trailing space is still front matter
    if not opening:
        return {}, text, 1
    closing = re.compile(r"\n---[ \t]*(?:\n|\Z)").search(text, opening.end() - 1)
    if closing is None:
        raise InputError("front matter is not closed", path, 1, "end it with a line holding only ---")
    end = closing.start()
    body_start = closing.end()
    body_line = text.count("\n", 0, body_start) + 1
    simple = simple_front_matter(text[opening.end():end + 1])
    if simple is not None:
        return simple, text[body_start:], body_line
    doc = load_yaml(text[opening.end():end + 1], path, first_line=2)
    meta = doc.data if doc.data is not None else {}
    if not isinstance(meta, dict):
        raise InputError("front matter must be a mapping of keys to values", path, 2,
                         "write lines like 'title: ...'")
    for key, value in meta.items():
        if key not in FRONT_MATTER_KEYS:
            raise doc.error((key,), f"unknown front matter key '{key}'", f"use {', '.join(FRONT_MATTER_KEYS)}")
        if key == "published":
            if isinstance(value, str):
                value = meta[key] = parse_date(value) or value  # '2025-10-06', '2025-10-06T09:00:00+02:00', 'Oct 6, 2025'
            if isinstance(value, datetime):
                meta[key] = value.date()
            elif value is not None and not isinstance(value, date):
                raise doc.error((key,), f"published must be a date like 2026-05-01, not {value!r}",
                                "write YYYY-MM-DD or null")
        elif value is not None and not isinstance(value, (str, int, float)):
            raise doc.error((key,), f"{key} must be text", "quote the value")
    return meta, text[body_start:], body_line


# Front matter as tools write it: one `key: value` line per known key, each value null, an ISO date,
# a quoted string without escapes, or a plain word-led string. Read without YAML (a third of loading
# a story); anything else (comments, escapes, numbers, booleans, odd characters) goes to YAML.
SIMPLE_LINE = re.compile(r"(id|title|publisher|url|published|author): ([^\n]*)\n")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
QUOTED = re.compile(r'"[^"\\]*"|\'[^\']*\'')
# A plain scalar YAML reads as this same text: led by a letter, no comment, no "key: value", no
# trailing blank, no character a YAML reader refuses or treats as a line break.
PLAIN = re.compile(r"[A-Za-z](?:[^#:\s]|:(?=\S)| (?=[^\s#])|#)*")
NOT_PLAIN_WORDS = {"yes", "no", "true", "false", "on", "off", "null", "y", "n"}
# Characters YAML's reader refuses, and the line breaks and marks it treats specially.
YAML_SPECIAL = re.compile("[^\x09\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def simple_front_matter(yaml_text: str) -> dict[str, object] | None:
    """The front matter as YAML would read it, if it is simple (see SIMPLE_LINE); else None."""
    if YAML_SPECIAL.search(yaml_text.replace("\n", "")):
        return None
    meta: dict[str, object] = {}
    pos = 0
    while pos < len(yaml_text):
        line = SIMPLE_LINE.match(yaml_text, pos)
        if line is None or line.group(1) in meta:
            return None
        pos = line.end()
        raw = line.group(2)
        value: object
        if raw == "null":
            value = None
        elif ISO_DATE.fullmatch(raw):
            if line.group(1) != "published":
                return None  # a date where text belongs: YAML's reading names the line
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                return None  # YAML says what is wrong with it
        elif QUOTED.fullmatch(raw):
            value = raw[1:-1]
        elif PLAIN.fullmatch(raw) and raw.lower() not in NOT_PLAIN_WORDS and raw[-1] not in " \t":
            value = raw
        else:
            return None
        if line.group(1) == "published" and isinstance(value, str):
            value = parse_date(value)
            if value is None:
                return None  # not a date: YAML's reading names the line
        meta[line.group(1)] = value
    return meta


def _opt_str(value: object) -> str | None:
    return None if value is None else str(value)


class _TextExtractor(html.parser.HTMLParser):
    # Not "form": ASP.NET pages wrap the whole article in one <form>; its controls are skipped instead.
    SKIP = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "select",
            "button", "textarea", "option"}
    BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article",
             "blockquote", "pre", "ul", "ol", "table"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.title = ""
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skip += 1
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            a = dict(attrs)
            key = (a.get("property") or a.get("name") or "").lower()
            if key and a.get("content"):
                self.meta[key] = a["content"] or ""
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skip:
            self.skip -= 1
        elif tag == "title":
            self.in_title = False
        if tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title += data
        elif not self.skip:
            self.parts.append(data)


def html_to_text(markup: str) -> tuple[dict[str, object], str]:
    """Readable text and metadata of an HTML page (scripts, styles and navigation dropped)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    raw = "".join(parser.parts)
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in raw.split("\n")]
    body = "\n".join(line for line in lines if line)
    meta: dict[str, object] = {
        "title": parser.meta.get("og:title") or parser.title.strip() or None,
        "publisher": parser.meta.get("og:site_name"),
        "url": parser.meta.get("og:url"),
    }
    return meta, body
