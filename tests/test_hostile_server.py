"""`factcheck add` against a hostile or flaky server (hostile files, item 8): exit 2, one line, nothing saved."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

BODY = b"<html><body><h1>Plant approved</h1><p>The plant will draw 45 megawatts.</p></body></html>"


def _answer(kind: str) -> bytes:
    if kind == "many-headers":
        return b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(150)) + b"\r\n" + BODY
    if kind == "bad-status":
        return b"HTCPCP/1.0 418 TEAPOT\r\n\r\n"
    if kind == "long-header":
        return b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n" + BODY
    if kind == "short-body":
        return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n" + BODY
    if kind == "unicode-escape":
        body = b"<html><body><h1>Plant</h1><p>The plant will draw 45 megawatts\\x00 today.</p></body></html>"
        return (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=unicode_escape\r\nContent-Length: %d\r\n\r\n"
                % len(body)) + body
    raise AssertionError(kind)


@pytest.fixture
def hostile() -> Iterator[tuple[str, dict[str, str]]]:
    """A raw TCP server: the path names what it answers; /slow trickles one byte a second."""
    listener = socket.create_server(("127.0.0.1", 0))
    state = {"stop": ""}

    def serve(conn: socket.socket) -> None:
        with conn:
            request = conn.recv(65536).decode("latin-1")
            path = request.split(" ")[1] if " " in request else "/"
            try:
                if path == "/slow":
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
                    for byte in BODY * 100:
                        if state["stop"]:
                            return
                        conn.sendall(bytes([byte]))
                        time.sleep(0.2)
                else:
                    conn.sendall(_answer(path.strip("/")))
            except OSError:
                pass

    def accept() -> None:
        while not state["stop"]:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", state
    state["stop"] = "yes"
    listener.close()


@pytest.fixture
def story(tmp_path: Path) -> Path:
    root = tmp_path / "s"
    (root / "sources").mkdir(parents=True)
    return root


@pytest.mark.parametrize("kind, message", [
    ("many-headers", "not valid HTTP"),
    ("bad-status", "not valid HTTP"),
    ("long-header", "not valid HTTP"),
    ("short-body", "ended early"),
])
def test_broken_answers_are_one_line_exit_2_and_nothing_saved(hostile: tuple[str, dict[str, str]], story: Path,
                                                              kind: str, message: str) -> None:
    base, _ = hostile
    result = CliRunner().invoke(main, ["add", f"{base}/{kind}", "--story", str(story)])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in result.stderr
    assert list((story / "sources").iterdir()) == []


def test_a_trickling_server_is_cut_at_the_total_deadline(hostile: tuple[str, dict[str, str]], story: Path) -> None:
    base, _ = hostile
    started = time.monotonic()
    result = CliRunner().invoke(main, ["add", f"{base}/slow", "--story", str(story), "--timeout", "1.5"])
    assert result.exit_code == 2 and "timed out after 1.5 s" in result.stderr
    assert time.monotonic() - started < 5  # each byte came within the socket timeout; the deadline still held
    assert list((story / "sources").iterdir()) == []


def test_a_program_codec_is_not_a_charset(hostile: tuple[str, dict[str, str]], story: Path) -> None:
    base, _ = hostile
    result = CliRunner().invoke(main, ["add", f"{base}/unicode-escape", "--story", str(story)])
    assert result.exit_code == 0, result.output
    (saved,) = (story / "sources").iterdir()
    assert "\x00" not in saved.read_text(encoding="utf-8")
    assert CliRunner().invoke(main, ["check", str(story), "--no-html", "-q"]).exit_code in (0, 1)
