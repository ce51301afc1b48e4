"""`factcheck serve` as a process: the live page in Chromium, and the server's refusals over plain HTTP.

Each test serves its own copy of the seed story under tmp_path on a free port of 127.0.0.1
(`--port 0`; the address is read from the line the server prints).
"""

from __future__ import annotations

import html
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
FACTCHECK = [sys.executable, "-c", "from factcheck.cli import main; main()"]
NEW_ARTICLE = """---
id: zz_wire
title: "Anthropic and xAI compute pact"
publisher: Wire
url: null
published: 2026-05-02
---
Anthropic and xAI compute pact

Anthropic will pay xAI $2 billion per month for compute, according to people familiar with the deal.
"""
NEW_FINDING = "contradiction-monthly-fee-573125ec"  # what NEW_ARTICLE adds to the seed story


@dataclass
class Served:
    process: subprocess.Popen[str]
    url: str
    story: Path

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.url).port or 0)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait(5)


def story_copy(tmp_path: Path) -> Path:
    story = tmp_path / "story"
    story.mkdir()
    shutil.copytree(REPO / "sources", story / "sources")
    shutil.copytree(REPO / "claims", story / "claims")
    return story


def serve(story: Path, *options: str) -> Served:
    process = subprocess.Popen([*FACTCHECK, "serve", str(story), "--port", "0", "--interval", "0.2", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=story.parent)
    assert process.stdout is not None
    line = process.stdout.readline()  # printed once the first check is done
    if not line.startswith("serving "):
        process.kill()
        raise AssertionError(f"serve did not start: {line!r} {process.stderr.read() if process.stderr else ''}")
    return Served(process, line.split(" at ", 1)[1].split()[0], story)


@pytest.fixture()
def served(tmp_path: Path) -> Iterator[Served]:
    running = serve(story_copy(tmp_path))
    yield running
    running.stop()


def request(served: Served, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None,
            host: str | None = None) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
    try:
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{served.port}")
        for key, value in (headers or {}).items():
            conn.putheader(key, value)
        conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def token_of(page: bytes) -> str:
    marker = b'name="factcheck-token" content="'
    start = page.index(marker) + len(marker)
    return page[start:page.index(b'"', start)].decode()


def contents(path: Path) -> bytes | None:
    return path.read_bytes() if path.exists() else None


def form(fields: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    return urllib.parse.urlencode(fields).encode(), {"Content-Type": "application/x-www-form-urlencoded"}


# ---------------------------------------------------------------- security, over plain HTTP


def test_refuses_posts_without_token_or_from_another_origin_or_host(served: Served) -> None:
    resolutions = served.story / "claims" / "resolutions.yaml"
    before = contents(resolutions)
    status, page = request(served, "GET", "/")
    assert status == 200
    token = token_of(page)
    origin = f"http://127.0.0.1:{served.port}"
    verdict = {"finding": "contradiction-hardware-210c231f", "verdict": "source-error", "note": "n", "by": "t"}

    body, headers = form(verdict)  # no token
    assert request(served, "POST", "/resolve", body, {**headers, "Origin": origin})[0] == 403
    body, headers = form({**verdict, "token": "x" * len(token)})  # a wrong one
    assert request(served, "POST", "/resolve", body, {**headers, "Origin": origin})[0] == 403
    body, headers = form({**verdict, "token": token})
    assert request(served, "POST", "/resolve", body, {**headers, "Origin": "http://evil.example"})[0] == 403
    assert request(served, "POST", "/resolve", body, headers)[0] == 403  # no Origin at all
    # DNS rebinding: the right token and an Origin that matches the Host, but the Host is not ours.
    assert request(served, "POST", "/resolve", body, {**headers, "Origin": f"http://evil.example:{served.port}"},
                   host=f"evil.example:{served.port}")[0] == 403
    assert request(served, "GET", "/", host=f"evil.example:{served.port}")[0] == 403  # the token stays unread
    body, headers = form({"url": "https://example.com/a", "token": token})
    assert request(served, "POST", "/add", body, {**headers, "Origin": "http://evil.example"})[0] == 403
    assert request(served, "PUT", "/resolve", body, {**headers, "Origin": origin})[0] == 405
    assert contents(resolutions) == before
    assert sorted(p.name for p in (served.story / "sources").iterdir()) == \
        sorted(p.name for p in (REPO / "sources").iterdir())

    # An id that is not a current open finding is refused too, and writes nothing.
    body, headers = form({**verdict, "token": token, "finding": "../../etc/passwd"})
    status, answer = request(served, "POST", "/resolve", body, {**headers, "Origin": origin})
    assert status == 400 and b"no open finding" in answer
    assert contents(resolutions) == before

    # localhost is this server too; the right request is accepted.
    status, answer = request(served, "POST", "/resolve", body.replace(b"..%2F..%2Fetc%2Fpasswd", b"x"),
                             {**headers, "Origin": f"http://localhost:{served.port}"}, host=f"localhost:{served.port}")
    assert status == 400  # "x" is no finding either
    body, headers = form({**verdict, "token": token})
    status, answer = request(served, "POST", "/resolve", body, {**headers, "Origin": f"http://localhost:{served.port}"},
                             host=f"localhost:{served.port}")
    assert status == 200, answer
    assert "contradiction-hardware-210c231f" in resolutions.read_text()


def _outside_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))  # no packet is sent
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_listens_on_loopback_only_by_default_and_a_busy_port_is_one_line_and_exit_2(served: Served) -> None:
    assert served.url.startswith("http://127.0.0.1:")
    outside = _outside_address()
    if outside is not None:
        with pytest.raises(OSError):
            socket.create_connection((outside, served.port), timeout=2).close()
    second = subprocess.run([*FACTCHECK, "serve", str(served.story), "--port", str(served.port)],
                            capture_output=True, text=True, timeout=60, cwd=served.story.parent)
    assert second.returncode == 2
    assert second.stderr.strip().count("\n") == 0 and "in use" in second.stderr, second.stderr


def test_ctrl_c_stops_with_130(served: Served) -> None:
    # An open event stream must not keep the server alive.
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
    conn.request("GET", "/events")
    assert conn.getresponse().status == 200
    assert served.stop() == 130
    conn.close()


# ---------------------------------------------------------------- the live page in Chromium


# `browser`: the offline Chromium of conftest.py (skips, or fails under CI, without one).


def test_live_page_follows_the_folder_and_takes_verdicts(browser: Any, served: Served) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(served.url)
    assert page.locator(f"#finding-{NEW_FINDING}").count() == 0

    # A new article in sources/: the open page shows its finding without a manual reload.
    (served.story / "sources" / "zz_wire.md").write_text(NEW_ARTICLE, encoding="utf-8")
    page.wait_for_selector(f"#verdicts #finding-{NEW_FINDING}", timeout=30_000)

    # Every blocking finding resolved through its form; each reloads the page, resolved.
    resolutions = served.story / "claims" / "resolutions.yaml"
    blocking = page.eval_on_selector_all("#verdicts article.blocks", "els => els.map(e => e.id.slice(8))")
    assert NEW_FINDING in blocking
    for finding in blocking:
        row = page.locator(f"#verdicts #finding-{finding}")
        row.locator("select[name=verdict]").select_option("source-error")
        row.locator("input[name=note]").fill(f"checked {finding} by phone")
        row.locator("input[name=by]").fill("desk")
        row.locator("button[type=submit]").click()
        page.wait_for_selector(f"#findings #finding-{finding}[data-status=resolved]", state="attached",
                               timeout=30_000)
        assert f"finding: {finding}" in resolutions.read_text(encoding="utf-8")
    assert page.locator("header.banner.pass").count() == 1
    assert "checked contradiction-hardware-210c231f by phone" in page.content()
    assert not problems, problems  # no CSP violation, no script error

    # A plain check agrees: the last blocker is resolved, so the gate passes.
    check = subprocess.run([*FACTCHECK, "check", str(served.story), "--no-html"], capture_output=True, text=True,
                           timeout=120, cwd=served.story.parent)
    assert check.returncode == 0, check.stdout + check.stderr
    page.close()


@pytest.mark.browser
def test_adding_a_source_from_the_page(browser: Any, served: Served, tmp_path: Path) -> None:
    upload = tmp_path / "wire report.txt"
    upload.write_text("Anthropic and xAI compute pact\n\nAnthropic will pay xAI $2 billion per month for compute.\n",
                      encoding="utf-8")
    page = browser.new_page()
    page.goto(served.url)
    page.locator("form.fc-add input[name=file]").set_input_files(str(upload))
    page.locator("form.fc-add input[name=publisher]").fill("Wire")
    page.locator("form.fc-add button[type=submit]").click()
    page.wait_for_selector("#verdicts article.k-contradiction[data-fact=monthly_fee]", timeout=30_000)
    added = [p for p in (served.story / "sources").iterdir() if p.name not in os.listdir(REPO / "sources")]
    assert len(added) == 1 and added[0].suffix == ".md"
    assert "publisher: " in added[0].read_text(encoding="utf-8")
    assert not (served.story / ".factcheck" / "uploads").exists() or \
        not any((served.story / ".factcheck" / "uploads").iterdir())
    page.close()


def test_served_page_is_the_static_page_plus_the_live_parts(tmp_path: Path) -> None:
    """Without `served`, render is unchanged; with it, only the forms, token, script and CSP are added."""
    from factcheck.pipeline import Settings, check
    from factcheck.report import Served as ServedInfo, render

    story = story_copy(tmp_path)
    result = check(story, settings=Settings(cache=False))
    static = html.unescape(render(result, "html"))
    live = html.unescape(render(result, "html", served=ServedInfo("tok", 3)))
    assert "fc-post" not in static and "EventSource" not in static and "connect-src" not in static
    assert "connect-src 'self'" in live and 'content="tok"' in live and "EventSource" in live
    static_csp = static.split('Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    live_csp = live.split('Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    added = set(live_csp.replace(";", " ").split()) - set(static_csp.replace(";", " ").split())
    assert {a for a in added if not a.startswith("'sha256-")} == {"connect-src", "'self'"}
