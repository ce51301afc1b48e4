"""Import one article (a file or an http(s) URL) into a story as `sources/<id>.md`.

Plain text and Markdown are kept as they are; an HTML page is reduced to its
main text with trafilatura, and its title, date and publisher are read from the
page's own markup. A value the article does not give stays null: nothing is
guessed from a copyright line, a file date or a host name.
"""

from __future__ import annotations

import codecs
import http.client
import json
import re
import threading
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, replace
from datetime import date
from email.message import Message
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import write_atomic
from .sources import DEFAULT_MAX_BYTES, ID_PATTERN, SUFFIXES, id_from_name, parse_date, read_text, split_front_matter

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MARKDOWN_SUFFIXES = (".md", ".markdown")
# A page whose extracted text has fewer words than this is navigation, not an article.
MIN_ARTICLE_WORDS = 8
SLUG_MAX = 60
USER_AGENT = "factcheck-import/1 (+https://pypi.org/project/factcheck)"


@dataclass(frozen=True)
class ImportSettings:
    """Limits of an import; passed in, never kept in module state."""

    timeout: float = 20.0  # seconds for the whole download, connecting included
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class Article:
    """An article ready to be written: front matter values and body text."""

    body: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    author: str | None = None  # kept when a Markdown input or a text header had it
    name: str = ""  # file name or URL path the id falls back to when there is no title


@dataclass(frozen=True)
class Overrides:
    """Values the editor gives on the command line; they win over what the article says."""

    id: str | None = None
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None


@dataclass(frozen=True)
class Fetched:
    """Raw bytes of a download with what the server said about them."""

    data: bytes
    content_type: str
    charset: str | None
    url: str


def is_url(location: str) -> bool:
    return location.lower().startswith(("http://", "https://"))


def add_source(story: Path, location: str, overrides: Overrides = Overrides(),
               settings: ImportSettings = ImportSettings(), warnings: list[str] | None = None) -> Path:
    """Import the article at `location` (a path or an http(s) URL) into `story/sources/`; return the new file."""
    folder = story / "sources"
    if not folder.is_dir():
        raise InputError("no sources/ folder", story, hint="run 'factcheck init' there first, or pass --story")
    published = parse_published(overrides.published)
    warnings = [] if warnings is None else warnings
    if overrides.id:  # refuse a taken id before any download
        _refuse_taken(folder, validate_id(overrides.id))
    if is_url(location):
        article = article_from_download(fetch(location, settings), warnings)
    else:
        article = article_from_file(Path(location), settings, warnings)
    article = replace(
        article,
        title=_clean(overrides.title) or article.title,
        publisher=_clean(overrides.publisher) or article.publisher,
        url=_clean(overrides.url) or article.url,
        published=published or article.published,
    )
    source_id = validate_id(overrides.id) if overrides.id else derive_id(article)
    _refuse_taken(folder, source_id)
    target = folder / f"{source_id}.md"
    text = render_source(source_id, article)
    # Never write a file the loader could not read back.
    split_front_matter(text, target)
    write_atomic(target, text)
    return target


def _refuse_taken(folder: Path, source_id: str) -> None:
    taken = existing_ids(folder)
    if source_id in taken:
        raise InputError(f"a source with id '{source_id}' already exists ({taken[source_id].name})", folder,
                         hint="pass --id with another id; existing sources are never overwritten")


def parse_published(value: str | None) -> date | None:
    if value is None or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--published must be a date like 2026-05-01, not {value!r}",
                         hint="write YYYY-MM-DD") from None


def validate_id(source_id: str) -> str:
    """An editor's id, refused unless it is a plain file name stem."""
    if not ID_PATTERN.match(source_id) or ".." in source_id:
        raise InputError(f"invalid source id '{source_id}'",
                         hint="use letters, digits, '.', '_' or '-' only, starting with a letter or digit, "
                              "no path separators or '..'")
    return source_id


def slugify(text: str) -> str:
    """A lower-case ASCII slug: 'Port Quillan signs $640m deal' -> 'port-quillan-signs-640m-deal'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        cut = slug[:SLUG_MAX]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return slug


def derive_id(article: Article) -> str:
    """The id of an article: a slug of its title, else of its file or URL name."""
    for candidate in (article.title or "", article.name):
        slug = slugify(candidate)
        if slug and ID_PATTERN.match(slug):
            return slug
    raise InputError("cannot derive an id from the article's title or name", hint="pass --id")


def existing_ids(folder: Path) -> dict[str, Path]:
    """Ids already used in `sources/`: file stems, and ids declared in Markdown front matter."""
    ids: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in SUFFIXES or path.name.startswith("."):
            continue
        ids.setdefault(path.stem, path)
        ids.setdefault(id_from_name(path.stem), path)  # the id the loader gives a file without one
        if path.suffix.lower() == ".md":
            try:
                meta, _, _ = split_front_matter(read_text(path, []), path)
            except InputError:
                continue  # a broken article is reported by 'factcheck check', not here
            if meta.get("id"):
                ids.setdefault(str(meta["id"]), path)
    return ids


def render_source(source_id: str, article: Article) -> str:
    """The Markdown file: YAML front matter (unknown values null) and the body."""
    def scalar(value: str | None) -> str:
        # A JSON string is a valid YAML double-quoted scalar.
        return "null" if value is None else json.dumps(value, ensure_ascii=False)

    lines = ["---", f"id: {source_id}", f"title: {scalar(article.title)}",
             f"publisher: {scalar(article.publisher)}", f"url: {scalar(article.url)}",
             f"published: {article.published.isoformat() if article.published else 'null'}"]
    if article.author:
        lines.append(f"author: {scalar(article.author)}")
    body = article.body.strip("\n")
    return "\n".join(lines) + "\n---\n" + body + "\n"


def article_from_file(path: Path, settings: ImportSettings, warnings: list[str]) -> Article:
    if not path.exists():
        raise InputError("file not found", path, hint="pass the path of an article or an http(s) URL")
    if path.is_dir():
        raise InputError("is a folder, not an article", path, hint="pass one file")
    text = read_text(path, warnings, settings.max_bytes)
    suffix = path.suffix.lower()
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_html(text)):
        return article_from_html(text, path, name=path.stem)
    if suffix in MARKDOWN_SUFFIXES:
        return article_from_markdown(text, path)
    return article_from_text(text, path)


HEADER_LINE = re.compile(r"^(title|publisher|url|published|date|author)\s*:\s*(.*)$", re.IGNORECASE)


def read_text_header(text: str) -> tuple[dict[str, str], str]:
    """`key: value` lines at the top of a plain-text article (title, publisher, url, published or date,
    author), and the body after them. Without such lines, nothing and the text as it is."""
    lines = text.lstrip("\n").split("\n")
    header: dict[str, str] = {}
    for count, line in enumerate(lines):
        match = HEADER_LINE.match(line.strip())
        if not match:
            if header and not line.strip():
                count += 1  # the blank line that ends the header
            elif not header:
                return {}, text
            return header, "\n".join(lines[count:])
        key = match.group(1).lower()
        header["published" if key == "date" else key] = match.group(2).strip()
    return header, ""


def article_from_text(text: str, where: Path | str, name: str = "") -> Article:
    """Plain text; a header of `key: value` lines becomes front matter, else the title is the first line."""
    name = name or Path(str(where)).stem
    if not text.strip():
        raise _error("the article is empty", where, hint="pass a file with the article's text")
    header, body = read_text_header(text)
    if header:
        if not body.strip():
            raise _error("the article has a header but no text", where, hint="add the article's text below it")
        published = header.get("published")
        date_value = parse_date(published) if published else None
        if published and date_value is None:
            raise _error(f"published: cannot read {published!r} as a date", where,
                         hint="write it like 2025-10-06 or Oct 6, 2025")
        title = header.get("title") or body.lstrip("\n").split("\n", 1)[0].strip()
        return Article(body=body, title=_clean(title), publisher=_clean(header.get("publisher")),
                       url=_clean(header.get("url")), published=date_value, author=_clean(header.get("author")),
                       name=name)
    first = text.lstrip("\n").split("\n", 1)[0].strip()
    return Article(body=text, title=_clean(first), name=name)


def article_from_markdown(text: str, path: Path) -> Article:
    """Markdown as it is; front matter it already has is kept, the title is otherwise its first line."""
    meta, body, _ = split_front_matter(text, path)
    if not body.strip():
        raise InputError("the article is empty", path, hint="pass a file with the article's text")
    first = body.lstrip("\n").split("\n", 1)[0].strip().lstrip("#").strip()
    published = meta.get("published")
    return Article(
        body=body,
        title=_clean(_opt(meta.get("title"))) or _clean(first),
        publisher=_clean(_opt(meta.get("publisher"))),
        url=_clean(_opt(meta.get("url"))),
        published=published if isinstance(published, date) else None,
        author=_clean(_opt(meta.get("author"))),
        name=str(meta.get("id") or path.stem),
    )


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:512].lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in head


def article_from_html(markup: str, where: Path | str, name: str = "") -> Article:
    """The main text of a page, and the title, date, publisher and canonical URL its markup states."""
    from trafilatura import bare_extraction  # slow to import; only `add` of a page needs it

    # extensive_search=False: only dates the markup states, never a year read from a copyright line.
    doc: Any = bare_extraction(markup, with_metadata=True, include_comments=False, include_tables=True,
                               date_extraction_params={"extensive_search": False, "original_date": True})
    text = (doc.text or "") if doc is not None else ""
    if len(re.findall(r"\w+", text)) < MIN_ARTICLE_WORDS:
        raise _error("no article text found in the page", where,
                         hint="save the article's text as a .txt file and add that instead")
    title = _clean(doc.title)
    url = _clean(doc.url)
    publisher = _clean(doc.sitename)
    if publisher and url and publisher.lower() == (urllib.parse.urlsplit(url).hostname or "").removeprefix("www."):
        publisher = None  # trafilatura's fallback to the host name: not something the page states
    body = text.strip("\n")
    # The loader treats the first body line as the headline, so a page's title leads the body.
    if title and body.split("\n", 1)[0].strip() != title:
        body = f"{title}\n{body}"
    return Article(body=body, title=title, publisher=publisher, url=url, published=_iso_date(doc.date),
                   name=name)


def article_from_download(fetched: Fetched, warnings: list[str]) -> Article:
    """An article from downloaded bytes, read by what the server says it is (or what it looks like)."""
    text = decode(fetched.data, fetched.charset, fetched.url, warnings)
    name = Path(urllib.parse.urlsplit(fetched.url).path).stem or (urllib.parse.urlsplit(fetched.url).hostname or "")
    kind = fetched.content_type
    if kind in ("text/html", "application/xhtml+xml") or (kind not in ("text/plain", "text/markdown")
                                                          and looks_like_html(text)):
        article = article_from_html(text, fetched.url, name=name)
    elif kind == "text/markdown" or fetched.url.lower().endswith(MARKDOWN_SUFFIXES):
        article = article_from_markdown(text, Path(name or "article"))
    else:
        article = article_from_text(text, fetched.url, name=name)
    return article if article.url else replace(article, url=fetched.url)


# Charsets a web page may declare and we decode with; anything else ("unicode_escape", "rot13",
# "zlib") is a codec for programs, not a text encoding, and is ignored for UTF-8.
SAFE_CHARSETS = {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "ascii", "latin-1", "iso8859-15", "cp1250", "cp1251",
                 "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "shift_jis", "euc_jp", "gb2312", "gbk",
                 "gb18030", "big5", "euc_kr", "koi8-r", "koi8-u", "iso8859-2", "iso8859-5", "iso8859-7",
                 "iso8859-9"}


def safe_charset(charset: str | None) -> str | None:
    """The declared charset when it is a text encoding we trust, else None (UTF-8 is tried)."""
    if not charset:
        return None
    try:
        name = codecs.lookup(charset).name
    except LookupError:
        return None
    return name if name in SAFE_CHARSETS else None


def decode(data: bytes, charset: str | None, where: str, warnings: list[str]) -> str:
    """Text of downloaded bytes: the declared charset if it is a text encoding, else UTF-8, else Windows-1252."""
    if b"\x00" in data:
        raise _error("not a text file (contains NUL bytes)", where, hint="download the article as HTML or text")
    for encoding in [e for e in (safe_charset(charset), "utf-8-sig") if e]:
        try:
            text = data.decode(encoding)
            break
        except (UnicodeDecodeError, LookupError):
            continue
    else:
        text = data.decode("cp1252", errors="replace")
        warnings.append(f"{where}: not UTF-8, read as Windows-1252")
    text = CONTROL_CHARS.sub("", text)  # a NUL in a saved article would make 'check' refuse the whole story
    return text.replace("\r\n", "\n").replace("\r", "\n")


CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def fetch(url: str, settings: ImportSettings) -> Fetched:
    """Download `url` within a total deadline of `settings.timeout` seconds; any failure is one InputError.

    The download runs in a daemon thread so that a server trickling a byte at a time (each read
    within the socket timeout) cannot hold the command past the deadline.
    """
    outcome: list[Fetched | BaseException] = []

    def run() -> None:
        try:
            outcome.append(_fetch(url, settings))
        except BaseException as exc:  # handed to the caller's thread
            outcome.append(exc)

    worker = threading.Thread(target=run, name="factcheck-fetch", daemon=True)
    worker.start()
    worker.join(settings.timeout)
    if not outcome:
        raise _error(f"download timed out after {settings.timeout:g} s", url,
                     hint="try again, or save the page and add the file")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise result
    return result


def _fetch(url: str, settings: ImportSettings) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,text/plain,*/*"})
    try:
        with urllib.request.urlopen(request, timeout=settings.timeout) as response:  # noqa: S310 (http(s) only)
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > settings.max_bytes:
                raise _error(f"the page is {int(declared):,} bytes, over the limit of {settings.max_bytes:,} bytes",
                                 url, hint="save the article's text to a file and add that")
            data = response.read(settings.max_bytes + 1)
            if len(data) > settings.max_bytes:
                raise _error(f"the page is over the limit of {settings.max_bytes:,} bytes", url,
                                 hint="save the article's text to a file and add that")
            if declared and declared.isdigit() and len(data) < int(declared):
                raise _error(f"the download ended early: {len(data):,} of {int(declared):,} bytes", url,
                             hint="try again; a truncated article is never saved")
            headers: Message = response.headers
            final_url = response.geturl() or url
    except InputError:
        raise
    except http.client.IncompleteRead as exc:
        raise _error(f"the download ended early: {len(exc.partial):,} bytes and then nothing", url,
                     hint="try again; a truncated article is never saved") from None
    except http.client.HTTPException as exc:  # a bad status line, 100+ headers, a 70 KB header line
        detail = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise _error(f"the server's answer is not valid HTTP ({type(exc).__name__}: {detail})", url,
                     hint="check the address, or save the page and add the file") from None
    except urllib.error.HTTPError as exc:
        raise _error(f"download failed: HTTP {exc.code} {exc.reason}", url, hint="check the address") from None
    except urllib.error.URLError as exc:
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise _error(f"cannot download: {reason}", url,
                         hint="check the address and the network, or save the page and add the file") from None
    except TimeoutError:
        raise _error(f"download timed out after {settings.timeout:g} s", url,
                         hint="try again, or save the page and add the file") from None
    except (OSError, ValueError) as exc:
        raise _error(f"cannot download: {exc}", url, hint="check the address") from None
    return Fetched(data=data, content_type=headers.get_content_type(), charset=headers.get_content_charset(),
                   url=final_url)


def _error(message: str, where: Path | str, hint: str = "") -> InputError:
    """An InputError naming a file, or a URL (kept out of `path`, where a Path would fold its '//')."""
    if isinstance(where, str) and is_url(where):
        return InputError(f"{where}: {message}", hint=hint)
    return InputError(message, where, hint=hint)


def _opt(value: object) -> str | None:
    return None if value is None else str(value)


def _clean(value: str | None) -> str | None:
    """One line of text without control characters, or None when nothing is left."""
    if value is None:
        return None
    text = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return text or None


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None
