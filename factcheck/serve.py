"""`factcheck serve`: the report as a live page that follows the story folder and takes verdicts.

A thin layer over the library, like the CLI: `pipeline.LiveCheck` re-checks (reading only the
articles whose files changed, with the pipeline and the extractions kept in memory),
`report.render(..., served=...)` renders the same page `check` writes plus the forms and the
event-stream script, `resolutions.add_resolution` records a verdict exactly as `factcheck
resolve` does, and `importer.add_source` adds an article exactly as `factcheck add` does.
A thread polls `sources/` and `claims/` (names, sizes, modification times) and re-checks when
they change; open pages hear of a new version through server-sent events and reload.

Security (a local web app that writes files):
- it listens on 127.0.0.1 unless another host is given explicitly (then with a warning);
- every request's Host must be this server's address (127.0.0.1:PORT or localhost:PORT, or the
  explicit host), so a rebinding DNS name cannot read the page or its token;
- changes are POST only, each with the session's random token (in the page, never in a URL) and
  an Origin that is this server's own;
- a finding id must be one of the current findings that need a verdict; an uploaded file's name
  is reduced to a safe base name in a private folder; no path is taken from a request.
"""

from __future__ import annotations

import email.parser
import email.policy
import errno
import hmac
import ipaddress
import json
import os
import re
import secrets
import shutil
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from markupsafe import escape

from .cache import CACHE_DIR
from .errors import FactcheckError, InputError
from .gate import needs_verdict
from .model import CheckResult
from .pipeline import LiveCheck, Settings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
POLL_SECONDS = 0.5
KEEPALIVE_SECONDS = 15.0
MAX_FORM_BYTES = 64 * 1024
UPLOAD_SUFFIXES = (".md", ".markdown", ".txt", ".html", ".htm", ".xhtml")
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
WATCHED = ("sources", "claims")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Timing:
    """What the last re-check cost: CPU and wall seconds, checking and rendering."""

    check_cpu: float = 0.0
    check_wall: float = 0.0
    render_cpu: float = 0.0
    render_wall: float = 0.0


def fingerprint(story: Path) -> dict[str, tuple[int, int, int]]:
    """Name -> (size, modification time, inode) of every file in sources/ and claims/: what a change changes."""
    seen: dict[str, tuple[int, int, int]] = {}
    for name in WATCHED:
        try:
            entries = list(os.scandir(story / name))
        except OSError:
            seen[name] = (-1, -1, -1)  # missing or unreadable: the check says what is wrong
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue  # the resolutions lock, editors' swap files
            try:
                info = entry.stat()
            except OSError:
                info = None
            seen[f"{name}/{entry.name}"] = (info.st_size, info.st_mtime_ns, info.st_ino) if info else (-1, -1, -1)
    return seen


class LiveStory:
    """The served story: the live check, the last page, and the version open pages compare with theirs."""

    def __init__(self, story: Path, settings: Settings = Settings(), templates: Path | None = None,
                 log: Callable[[str], None] | None = None) -> None:
        self.story = story
        self.settings = settings
        self.templates = templates
        self.log = log or (lambda line: None)
        self.token = secrets.token_urlsafe(32)
        self.live = LiveCheck(story, settings)
        self.lock = threading.Lock()  # one check or write at a time
        self.changed = threading.Condition()
        self.version = 0
        self.page = b""
        self.result: CheckResult | None = None
        self.error = ""
        self.timing = Timing()
        self.seen: dict[str, tuple[int, int, int]] = {}
        self.stopping = threading.Event()

    # ------------------------------------------------------------ checking

    def recheck(self) -> None:
        """Check the story again and render the page; a problem becomes the page (the server keeps running)."""
        from .report import Served, render

        with self.lock:
            seen = fingerprint(self.story)  # before reading: a change made meanwhile is seen next time
            version = self.version + 1
            cpu, wall = time.process_time(), time.perf_counter()
            warnings: list[str] = []
            result: CheckResult | None = None
            try:
                result = self.live.run(warnings)
                checked_cpu, checked_wall = time.process_time(), time.perf_counter()
                page = render(result, "html", self.templates, served=Served(self.token, version)).encode("utf-8")
                self.timing = Timing(checked_cpu - cpu, checked_wall - wall, time.process_time() - checked_cpu,
                                     time.perf_counter() - checked_wall)
                self.error = ""
            except FactcheckError as exc:
                self.error = f"error: {exc}"
                page = self.problem_page(version, self.error)
            except Exception as exc:  # a bug: say so on the page and in the terminal, keep serving
                self.error = f"internal error, please report: {type(exc).__name__}: {exc}"
                traceback.print_exc()
                page = self.problem_page(version, self.error)
            with self.changed:
                self.seen = seen
                self.page = page
                if result is not None:
                    self.result = result
                self.version = version
                self.changed.notify_all()
        if self.error:
            self.log(self.error)
        else:
            assert result is not None
            self.log(f"checked: {'PASS' if result.gate.passed else 'FAIL'}: {result.gate.reason} "
                     f"({self.timing.check_cpu + self.timing.render_cpu:.2f} s CPU)")
            for warning in warnings:
                self.log(f"warning: {warning}")

    def problem_page(self, version: int, message: str) -> bytes:
        """A page that says what is wrong and reloads itself once the story is fixed."""
        from .report import _assets, environment

        assets = _assets(environment(self.templates), served=True)
        return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
                f'<meta http-equiv="Content-Security-Policy" content="{escape(assets["csp"])}">'
                f'<meta name="factcheck-version" content="{version}"><title>factcheck: error</title>'
                f'<style>{assets["css"]}</style><style>{assets["serve_css"]}</style></head>\n<body>'
                f'<header class="banner fail"><h1>factcheck serve: {escape(self.story.name)}</h1>'
                f'<p class="gate">{escape(message)}</p><p class="fc-live" role="status">fix the file: the page '
                f'reloads when it changes</p></header><script>{assets["serve_js"]}</script></body></html>\n'
                ).encode("utf-8")

    def watch(self, interval: float = POLL_SECONDS) -> None:
        """Build the pipeline, then poll the story folder until stopped; re-check when sources/ or claims/ change."""
        with self.lock:
            self.live.prepare()
        while not self.stopping.wait(interval):
            try:
                if fingerprint(self.story) != self.seen:
                    self.recheck()
            except Exception:  # never let the watcher die silently
                traceback.print_exc()

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()

    # ------------------------------------------------------------ changes from the page

    def open_findings(self) -> set[str]:
        """Ids of the findings that need a verdict now: the only ids a form may name."""
        result = self.result
        return {f.id for f in result.findings if needs_verdict(f)} if result is not None else set()

    def resolve(self, finding: str, verdict: str, note: str, by: str) -> str:
        """Record a verdict as `factcheck resolve` does, then re-check; returns the finding's id."""
        from .resolutions import add_resolution

        known = self.open_findings()
        if finding not in known:
            raise InputError(f"no open finding '{finding[:80]}' in the current report",
                             hint="reload the page: the story may have changed")
        add_resolution(self.story, finding, verdict, note, by, known_ids=known)
        self.recheck()
        return finding

    def add(self, url: str, upload: tuple[str, bytes] | None, publisher: str) -> Path:
        """Add an article as `factcheck add` does (a URL, or an uploaded file), then re-check."""
        from .importer import ImportSettings, Overrides, add_source, is_url

        overrides = Overrides(publisher=publisher.strip() or None)
        settings = ImportSettings(max_bytes=self.settings.max_bytes)
        warnings: list[str] = []
        if upload is None:
            if not is_url(url.strip()):
                raise InputError("give an http(s) URL or choose a file", hint="paste the article's address")
            path = add_source(self.story, url.strip(), overrides, settings, warnings)
        else:
            name, data = upload
            folder = self.story / CACHE_DIR / "uploads" / secrets.token_hex(8)
            folder.mkdir(parents=True)
            try:
                staged = folder / safe_upload_name(name)
                staged.write_bytes(data)
                path = add_source(self.story, str(staged), overrides, settings, warnings)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        for warning in warnings:
            self.log(f"warning: {warning}")
        self.recheck()
        return path


def safe_upload_name(name: str) -> str:
    """A base name the importer may read: no folders, no odd characters, an article's suffix."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or f".{suffix.lower()}" not in UPLOAD_SUFFIXES:
        raise InputError(f"cannot add a file named {base[:80]!r}", hint=f"add a {', '.join(UPLOAD_SUFFIXES)} file")
    stem = UNSAFE_NAME.sub("-", stem).strip("-.")[:100] or "article"
    return f"{stem}.{suffix.lower()}"


# ---------------------------------------------------------------- HTTP


class Forbidden(Exception):
    """A request this server refuses (403), with the reason it logs."""


class Handler(BaseHTTPRequestHandler):
    server: StoryServer
    server_version = "factcheck-serve"
    sys_version = ""

    # ------------------------------------------------------------ plumbing

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Frame-Options", "DENY")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode("utf-8"), "application/json; charset=utf-8")

    def _check_host(self) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            raise Forbidden(f"Host {self.headers.get('Host', '')!r} is not this server")

    def _check_post(self, fields: dict[str, str]) -> None:
        if self.headers.get("Origin", "") not in self.server.origins:
            raise Forbidden(f"Origin {self.headers.get('Origin', '')!r} is not this server")
        if not hmac.compare_digest(fields.get("token", "").encode("utf-8", "replace"),
                                   self.server.live.token.encode("utf-8")):
            raise Forbidden("missing or wrong token")

    # ------------------------------------------------------------ methods

    def do_GET(self) -> None:
        try:
            self._check_host()
        except Forbidden as exc:
            return self._refuse(exc)
        path = self.path.split("?", 1)[0]
        live = self.server.live
        if path == "/":
            return self._send(HTTPStatus.OK, live.page, "text/html; charset=utf-8")
        if path == "/events":
            return self._events()
        if path == "/status":
            result = live.result
            return self._json(HTTPStatus.OK, {
                "version": live.version, "error": live.error,
                "passed": result.gate.passed if result else None,
                "check_cpu": live.timing.check_cpu, "render_cpu": live.timing.render_cpu})
        self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain; charset=utf-8")

    do_HEAD = do_GET

    def do_POST(self) -> None:
        try:
            self._check_host()
            fields, upload = self._read_form()
            self._check_post(fields)
        except Forbidden as exc:
            return self._refuse(exc)
        except InputError as exc:
            return self._json(HTTPStatus.BAD_REQUEST, {"ok": False, "error": str(exc)})
        live = self.server.live
        path = self.path.split("?", 1)[0]
        try:
            if path == "/resolve":
                finding = live.resolve(fields.get("finding", ""), fields.get("verdict", ""), fields.get("note", ""),
                                       fields.get("by", ""))
                return self._json(HTTPStatus.OK, {"ok": True, "version": live.version,
                                                  "anchor": f"finding-{finding}", "message": "recorded"})
            if path == "/add":
                added = live.add(fields.get("url", ""), upload, fields.get("publisher", ""))
                return self._json(HTTPStatus.OK, {"ok": True, "version": live.version,
                                                  "anchor": f"source-{added.stem}", "message": f"added {added.name}"})
        except FactcheckError as exc:
            return self._json(HTTPStatus.BAD_REQUEST, {"ok": False, "error": str(exc)})
        self._json(HTTPStatus.NOT_FOUND, {"ok": False, "error": "no such action"})

    def do_PUT(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, b"POST only\n", "text/plain; charset=utf-8", {"Allow": "GET, POST"})

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self, exc: Forbidden) -> None:
        self.server.note(f"refused {self.command} {self.path[:80]}: {exc}")
        self._send(HTTPStatus.FORBIDDEN, b"forbidden\n", "text/plain; charset=utf-8")

    def _read_form(self) -> tuple[dict[str, str], tuple[str, bytes] | None]:
        """The POST body's fields, and an uploaded file (name, bytes) if any."""
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            raise InputError("a POST needs a Content-Length") from None
        if length < 0 or length > self.server.live.settings.max_bytes + MAX_FORM_BYTES:
            raise InputError(f"the request is {length:,} bytes, over the limit", hint="add a smaller file")
        body = self.rfile.read(length)
        kind = self.headers.get("Content-Type", "")
        if kind.startswith("application/x-www-form-urlencoded"):
            from urllib.parse import parse_qsl

            return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)), None
        if not kind.startswith("multipart/form-data"):
            raise InputError("send the form as multipart/form-data or urlencoded")
        head = f"Content-Type: {kind}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        fields: dict[str, str] = {}
        upload: tuple[str, bytes] | None = None
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            filename = part.get_filename()
            if not isinstance(name, str) or not isinstance(data, bytes):
                continue
            if filename is not None:
                if data:
                    upload = (filename, data)
            else:
                fields[name] = data.decode("utf-8", "replace")
        return fields, upload

    def _events(self) -> None:
        """Server-sent events: the current version at once, then each new one; a comment keeps it open."""
        live = self.server.live
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        last = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not live.stopping.is_set():
                with live.changed:
                    if live.version == last:
                        live.changed.wait(KEEPALIVE_SECONDS)
                    version = live.version
                if live.stopping.is_set():
                    break
                if version != last:
                    self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                    last = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except OSError:
            pass  # the page went away


class StoryServer(ThreadingHTTPServer):
    """The HTTP server of one live story; request threads are daemons, so Ctrl-C never waits on a page."""

    daemon_threads = True
    allow_reuse_address = True  # TIME_WAIT only: a port another server listens on still fails

    def __init__(self, live: LiveStory, host: str, port: int, verbose: bool = False,
                 log: Callable[[str], None] | None = None) -> None:
        self.live = live
        self.verbose = verbose
        self.log = log or (lambda line: None)
        if ":" in host.strip("[]"):
            self.address_family = socket.AF_INET6
        try:
            super().__init__((host.strip("[]"), port), Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise InputError(f"port {port} on {host} is in use (another factcheck serve?)",
                                 hint="stop it or pass --port with another number") from None
            raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                             hint="pass another --host or --port") from None
        self.port = int(self.server_address[1])
        names = {"127.0.0.1", "localhost", host.strip("[]")}
        shown = {f"[{n}]" if ":" in n else n for n in names}
        self.hosts = {f"{n}:{self.port}" for n in shown}
        self.origins = {f"http://{h}" for h in self.hosts}

    @property
    def url(self) -> str:
        host = str(self.server_address[0])
        return f"http://{'[' + host + ']' if ':' in host else host}:{self.port}/"

    def note(self, line: str) -> None:
        self.log(line)


@dataclass
class Running:
    """A started server: its story, the HTTP server, and the watcher thread."""

    live: LiveStory
    server: StoryServer
    watcher: threading.Thread

    def close(self) -> None:
        self.live.stop()
        self.server.server_close()


def start(story: Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, settings: Settings = Settings(),
          templates: Path | None = None, interval: float = POLL_SECONDS, verbose: bool = False,
          log: Callable[[str], None] | None = None) -> Running:
    """Bind (failing fast on a busy port), check the story once, and start watching it; serve with
    `running.server.serve_forever()`."""
    log = log or (lambda line: print(line, file=sys.stderr, flush=True))
    live = LiveStory(story, settings, templates, log)
    server = StoryServer(live, host, port, verbose, log)
    try:
        live.recheck()
    except BaseException:
        server.server_close()
        raise
    watcher = threading.Thread(target=live.watch, args=(interval,), name="factcheck-watch", daemon=True)
    watcher.start()
    return Running(live, server, watcher)
