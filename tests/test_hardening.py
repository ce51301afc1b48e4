"""Bad input, faults and hostile text: one clear line and the right exit code, never a traceback or lost work.

Each table row is one bad input an editor could feed the tool (see docs/bad-input.md).
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from spacy.language import Language

import factcheck
from factcheck import report as report_module
from factcheck.catalog import load_resolutions
from factcheck.cli import main
from factcheck.errors import InputError, OutputError
from factcheck.pipeline import Settings, check
from factcheck.files import write_atomic
from factcheck.report import builtin_templates, render
from factcheck.resolutions import add_resolution
from factcheck.sources import load_sources
from factcheck.yamlfile import load_yaml

PACKAGE = Path(factcheck.__file__).parent
FACTCHECK_BIN = Path(sys.executable).parent / "factcheck"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def assert_one_line_error(err: str, pattern: str) -> None:
    """Exactly one line on stderr, 'error: FILE[:LINE]: message (hint)', and no traceback."""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    assert re.search(pattern, lines[0]), (pattern, lines[0])
    assert "Traceback" not in err


# --- sources/ -------------------------------------------------------------------------------------------

def _write(name: str, data: bytes) -> Callable[[Path], None]:
    def setup(story: Path) -> None:
        (story / "sources" / name).write_bytes(data)
    return setup


def _sparse(name: str, size: int) -> Callable[[Path], None]:
    def setup(story: Path) -> None:
        with open(story / "sources" / name, "wb") as fh:
            fh.truncate(size)  # sparse: costs no disk and no time
    return setup


def _symlink(name: str, target: str) -> Callable[[Path], None]:
    def setup(story: Path) -> None:
        os.symlink(target, story / "sources" / name)
    return setup


def _symlink_loop(story: Path) -> None:
    os.symlink("b.md", story / "sources" / "a.md")
    os.symlink("a.md", story / "sources" / "b.md")


def _folder_named_md(story: Path) -> None:
    (story / "sources" / "x.md").mkdir()
    (story / "sources" / "x.md" / "inner.md").write_text("An article in the wrong place.\n", encoding="utf-8")


def _duplicate_id(story: Path) -> None:
    first = story / "sources" / "000_d9addf912d9c67fc.md"
    (story / "sources" / "zzz-copy.md").write_bytes(first.read_bytes())


def _fifo(story: Path) -> None:
    os.mkfifo(story / "sources" / "pipe.md")


SOURCE_ERRORS = [
    ("nul-bytes", _write("x.txt", b"Deal\x00\x01\x02 paid $5\x00"), r"sources/x\.txt: not a text file \(contains NUL"),
    ("over-the-limit", _sparse("big.txt", 50_000_000),
     r"sources/big\.txt: file is 50,000,000 bytes, over the limit of 5,000,000 \(raise it with --max-bytes"),
    ("duplicate-id", _duplicate_id,
     r"sources/zzz-copy\.md: duplicate source id '000_d9addf912d9c67fc' \(also in .*sources/000_d9addf912d9c67fc\.md\)"),
    ("id-with-path-separator", _write("y.md", b"---\nid: ../x\n---\nThey pay $5 million.\n"),
     r"sources/y\.md:2: invalid source id '\.\./x' \(.*no path separators"),
    ("id-with-backslash", _write("y.md", b"---\nid: 'a\\\\b'\n---\nThey pay $5 million.\n"),
     r"sources/y\.md:2: invalid source id"),
    ("symlink-loop", _symlink_loop, r"sources/a\.md: symbolic link loop \(point it at a real file"),
    ("broken-symlink", _symlink("gone.md", "nowhere.md"), r"sources/gone\.md: broken symbolic link"),
    ("folder-named-x.md", _folder_named_md, r"sources/x\.md: is a folder, not an article file"),
    ("fifo", _fifo, r"sources/pipe\.md: not a regular file"),
    ("front-matter-not-closed", _write("y.md", b"---\nid: y\nThey pay $5 million.\n"),
     r"sources/y\.md:1: front matter is not closed"),
    ("front-matter-unknown-key", _write("y.md", b"---\nauthr: me\n---\nThey pay $5 million.\n"),
     r"sources/y\.md:2: unknown front matter key 'authr'"),
    ("front-matter-impossible-date", _write("y.md", b"---\npublished: 2026-13-45\n---\nThey pay $5 million.\n"),
     r"sources/y\.md:2: '2026-13-45' is not a valid date"),
    ("front-matter-malformed", _write("y.md", b"---\ntitle: [unclosed\n---\nThey pay $5 million.\n"),
     r"sources/y\.md:\d+: malformed YAML"),
    ("front-matter-object-tag", _write("y.md", b"---\ntitle: !!python/object/apply:os.getcwd []\n---\nA.\n"),
     r"sources/y\.md:2: tag tag:yaml\.org,2002:python/object/apply:os\.getcwd is not allowed"),
]


@pytest.mark.parametrize("setup, pattern", [row[1:] for row in SOURCE_ERRORS], ids=[row[0] for row in SOURCE_ERRORS])
def test_bad_source_is_one_line_and_exit_2(seed_story: Path, setup: Callable[[Path], None], pattern: str) -> None:
    setup(seed_story)
    code, out, err = run("check", str(seed_story))
    assert code == 2
    assert_one_line_error(err, pattern)
    assert not (seed_story / "report.html").exists()  # refused before any report was written


SOURCE_WARNINGS = [
    ("windows-1252", _write("x.md", "Caf\u00e9 owners say they paid \u20ac5 million.\n".encode("cp1252")),
     r"^warning: .*sources/x\.md: not UTF-8, read as Windows-1252$"),
    ("empty-file", _write("x.md", b""), r"^warning: .*sources/x\.md: empty file, skipped$"),
    ("whitespace-only", _write("x.txt", b"  \n\r\n\t\n"), r"^warning: .*sources/x\.txt: empty file, skipped$"),
    ("front-matter-only", _write("x.md", b"---\ntitle: T\n---\n"), r"^warning: .*sources/x\.md: no article text, skipped$"),
]


@pytest.mark.parametrize("setup, pattern", [row[1:] for row in SOURCE_WARNINGS],
                         ids=[row[0] for row in SOURCE_WARNINGS])
def test_doubtful_source_is_a_warning_line(seed_story: Path, setup: Callable[[Path], None], pattern: str) -> None:
    setup(seed_story)
    code, out, err = run("check", str(seed_story), "--no-html")
    assert code == 1  # the seed story's own contradictions: the warning does not change the gate
    assert [line for line in err.splitlines() if re.search(pattern, line)], err
    assert "Traceback" not in err


ACCEPTED_SOURCES = [
    ("utf-8-bom", b"\xef\xbb\xbf---\nid: bom\ntitle: T\n---\nThey pay $5 million a month.\n", "x.md", "bom"),
    ("utf-16-notepad", "Headline\nThey pay $5 million a month.\n".encode("utf-16"), "x.txt", "x"),
    ("crlf", b"Headline\r\nThey pay $5 million a month.\r\n", "x.txt", "x"),
    ("name-with-spaces", b"Headline\nThey pay $5 million a month.\n", "Deal - Wire (copy).txt", "Deal-Wire-copy"),
    ("name-without-ascii", b"Headline\nThey pay $5 million a month.\n", "\u65b0\u805e.txt", None),
]


@pytest.mark.parametrize("data, name, expected_id", [row[1:] for row in ACCEPTED_SOURCES],
                         ids=[row[0] for row in ACCEPTED_SOURCES])
def test_harmless_variants_are_read(tmp_path: Path, data: bytes, name: str, expected_id: str | None) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / name).write_bytes(data)
    loaded = load_sources(tmp_path)
    assert loaded.warnings == ()
    (source,) = loaded.sources
    assert "They pay $5 million a month." in source.text and "\r" not in source.text and "\ufeff" not in source.text
    if expected_id is not None:
        assert source.id == expected_id
    else:
        assert re.fullmatch(r"source-[0-9a-f]{12}", source.id)


def test_max_bytes_raises_the_limit(seed_story: Path) -> None:
    largest = max(p.stat().st_size for p in (seed_story / "sources").iterdir())
    article = b"Headline\n" + b"They pay $5 million a month. " * (largest // 29 + 1) + b"\n"  # the largest one
    (seed_story / "sources" / "long.txt").write_bytes(article)
    code, _, err = run("check", str(seed_story), "--no-html", "--max-bytes", str(len(article) - 1))
    assert code == 2 and f"over the limit of {len(article) - 1:,}" in err
    code, _, err = run("check", str(seed_story), "--no-html", "--max-bytes", str(len(article)))
    assert code == 1 and "error" not in err


def test_huge_file_is_refused_without_reading_it(seed_story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _sparse("big.txt", 50_000_000)(seed_story)
    real_open = Path.open

    def guarded_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        assert self.name != "big.txt", "the 50 MB article was opened before its size was checked"
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read_bytes({self})"))
    with pytest.raises(InputError, match="over the limit"):
        load_sources(seed_story)


def test_unreadable_file_is_permission_denied(seed_story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests run as root, where chmod 000 does not stop a read: simulate the refusal instead.
    (seed_story / "sources" / "locked.md").write_text("They pay $5 million.\n", encoding="utf-8")
    real_open = Path.open

    def denied(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 2
    assert_one_line_error(err, r"sources/locked\.md: permission denied \(make the file readable\)")


@pytest.mark.skipif(IS_ROOT, reason="root reads files whatever their mode")
def test_unreadable_file_for_real(seed_story: Path) -> None:
    locked = seed_story / "sources" / "locked.md"
    locked.write_text("They pay $5 million.\n", encoding="utf-8")
    locked.chmod(0)
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 2
    assert_one_line_error(err, r"locked\.md: permission denied")


def test_only_empty_files_say_so(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.md").write_bytes(b"")
    code, _, err = run("check", str(tmp_path))
    assert code == 2
    assert_one_line_error(err, r"no articles found \(all 1 article files were skipped as empty\)")


# --- claims/*.yaml --------------------------------------------------------------------------------------

def _marker_yaml(marker: Path) -> str:
    return f"facts: !!python/object/apply:os.system ['touch {marker}']\n"


CATALOG_ERRORS: list[tuple[str, str | bytes, str]] = [
    ("malformed", "facts:\n  - id: a\n    kind: [money\n", r"facts\.yaml:4: malformed YAML: expected ',' or ']'"),
    ("tab-indent", "facts:\n\t- id: a\n", r"facts\.yaml:2: malformed YAML: found character '\\t'"),
    ("wrong-type-list", "facts: 5\n", r"facts\.yaml:1: 'facts' must be a list"),
    ("wrong-type-tolerance", "facts:\n  - id: a\n    kind: money\n    tolerance: lots\n",
     r"facts\.yaml:4: tolerance must be a fraction between 0 and 1, not 'lots'"),
    ("wrong-type-kind", "facts:\n  - id: a\n    kind: [money]\n", r"facts\.yaml:3: 'kind' is \['money'\], not one of"),
    ("wrong-type-compatible", "facts:\n  - id: h\n    kind: entity\n    values:\n      - id: x\n        aliases: [X]\n"
     "    compatible: [[x, [y]]]\n", r"facts\.yaml:7: each compatible group must list value ids"),
    ("fact-is-text", "facts:\n  - monthly_fee\n", r"facts\.yaml:2: expected a mapping of keys to values"),
    ("unknown-key", "facts:\n  - id: a\n    kind: money\n    colour: red\n", r"facts\.yaml:4: unknown key 'colour'"),
    ("unknown-top-key", "fact:\n  - id: a\n", r"facts\.yaml:1: unknown key 'fact'"),
    ("duplicate-key", "facts:\n  - id: a\n    kind: money\n    kind: count\n", r"facts\.yaml:4: duplicate key 'kind'"),
    ("duplicate-fact-id", "facts:\n  - id: a\n    kind: money\n  - id: a\n    kind: count\n",
     r"facts\.yaml:4: duplicate fact id 'a'"),
    ("billion-laughs", "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nfacts: []\n", r"facts\.yaml:2: malformed YAML: anchors and aliases"),
    ("merge-key", "facts:\n  - <<: {id: a}\n    kind: money\n", r"facts\.yaml:2: unsupported mapping key"),
    ("python-object-tag", "facts: !!python/object/apply:os.system ['true']\n",
     r"facts\.yaml:1: tag tag:yaml\.org,2002:python/object/apply:os\.system is not allowed"),
    ("python-name-scalar", "facts:\n  - id: !!python/name:os.system ''\n",
     r"facts\.yaml:2: tag tag:yaml\.org,2002:python/name:os\.system is not allowed"),
    ("binary-tag", "facts: !!binary aGVsbG8=\n", r"facts\.yaml:1: tag tag:yaml\.org,2002:binary is not allowed"),
    ("set-tag", "facts: !!set {a, b}\n", r"facts\.yaml:1: tag tag:yaml\.org,2002:set is not allowed"),
    ("top-level-list", "- id: a\n  kind: money\n", r"facts\.yaml:1: the catalogue must be a mapping"),
    ("top-level-text", "hello\n", r"facts\.yaml:1: the catalogue must be a mapping"),
    ("two-documents", "facts: []\n---\nfacts: []\n", r"facts\.yaml:2: malformed YAML: but found another document"),
    ("nested-too-deep", "facts: " + "[" * 5000 + "]" * 5000 + "\n", r"facts\.yaml:1: malformed YAML: nested deeper than 64"),
    ("impossible-date", "facts:\n  - id: a\n    kind: money\n    label: 2026-02-30\n",
     r"facts\.yaml:4: '2026-02-30' is not a valid date \(correct it, or quote it"),
    ("nul-character", b"facts: []\n\x00\n", r"facts\.yaml:2: malformed YAML: character #x0000 is not allowed"),
    ("not-utf-8", "facts:\n  - id: a\n    label: Caf\u00e9\n    kind: money\n".encode("cp1252"),
     r"facts\.yaml: not UTF-8 text \(save the file as UTF-8\)"),
    ("relation-calls-code", "facts:\n  - id: a\n    kind: money\n  - id: b\n    kind: money\nrelations:\n  - fact: a\n"
     "    equals: __import__('os').system('true')\n", r"facts\.yaml:8: cannot read expression: the only function is months"),
    ("relation-power", "facts:\n  - id: a\n    kind: money\n  - id: b\n    kind: money\nrelations:\n  - fact: a\n"
     "    equals: b ** 99999\n", r"facts\.yaml:8: cannot read expression: 'Pow' is not allowed"),
    ("relation-divides-by-zero", "facts:\n  - id: a\n    kind: money\n  - id: b\n    kind: money\nrelations:\n"
     "  - fact: a\n    equals: b / 0\n", r"facts\.yaml:8: cannot read expression: division by zero"),
]


@pytest.mark.parametrize("text, pattern", [row[1:] for row in CATALOG_ERRORS], ids=[row[0] for row in CATALOG_ERRORS])
def test_bad_catalogue_is_refused_with_file_and_line(seed_story: Path, text: str | bytes, pattern: str) -> None:
    path = seed_story / "claims" / "facts.yaml"
    data = text.encode("utf-8") if isinstance(text, str) else text
    path.write_bytes(data)
    code, _, err = run("check", str(seed_story))
    assert code == 2
    assert_one_line_error(err, pattern)
    assert path.read_bytes() == data  # never rewritten
    assert not (seed_story / "report.html").exists()


ACCEPTED_CATALOGS = [
    ("zero-bytes", b"", 0),
    ("comments-only", b"# to do\n", 0),
    ("utf-8-bom", b"\xef\xbb\xbffacts:\n  - id: fee\n    kind: money\n", 1),
    ("crlf", b"facts:\r\n  - id: fee\r\n    kind: money\r\n", 1),
    ("anchor-without-alias", b"facts:\n  - &f\n    id: fee\n    kind: money\n", 1),
]


@pytest.mark.parametrize("data, facts", [row[1:] for row in ACCEPTED_CATALOGS], ids=[row[0] for row in ACCEPTED_CATALOGS])
def test_harmless_catalogue_variants_are_accepted(seed_story: Path, nlp: Language, data: bytes, facts: int) -> None:
    (seed_story / "claims" / "facts.yaml").write_bytes(data)
    result = check(seed_story, nlp, Settings(cache=False))
    assert len(result.catalog.facts) == facts


RESOLUTION_ERRORS = [
    ("resolutions-list", "- finding: x\n", r"resolutions\.yaml:1: resolutions\.yaml must be a mapping"),
    ("unknown-verdict", "resolutions:\n  - finding: x\n    verdict: fine\n", r"resolutions\.yaml:3: unknown verdict 'fine'"),
    ("resolved-twice", "resolutions:\n  - finding: x\n    verdict: rounding\n  - finding: x\n    verdict: rounding\n",
     r"resolutions\.yaml:4: finding 'x' is resolved twice"),
    ("impossible-date", "resolutions:\n  - finding: x\n    verdict: rounding\n    date: 2026-11-31\n",
     r"resolutions\.yaml:4: '2026-11-31' is not a valid date"),
    ("alias", "resolutions:\n  - &r {finding: x, verdict: rounding}\n  - *r\n", r"resolutions\.yaml:3: malformed YAML: anchors"),
]


@pytest.mark.parametrize("text, pattern", [row[1:] for row in RESOLUTION_ERRORS], ids=[row[0] for row in RESOLUTION_ERRORS])
def test_bad_resolutions_are_refused_with_file_and_line(seed_story: Path, text: str, pattern: str) -> None:
    (seed_story / "claims" / "resolutions.yaml").write_text(text, encoding="utf-8")
    code, _, err = run("check", str(seed_story))
    assert code == 2
    assert_one_line_error(err, pattern)


def test_object_tags_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    for text in (_marker_yaml(marker), f"!!python/object/apply:os.system ['touch {marker}']\n",
                 f"a: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n"):
        with pytest.raises(InputError, match="is not allowed"):
            load_yaml(text, tmp_path / "facts.yaml")
    assert not marker.exists()


UNSAFE_YAML = re.compile(r"yaml\.(load|load_all|full_load|full_load_all|unsafe_load|unsafe_load_all)\s*\("
                         r"|yaml\.C?(Unsafe|Full)?Loader\b")


def test_package_uses_safe_yaml_loaders_only() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.name}: {m.group()}" for m in UNSAFE_YAML.finditer(text)]
        if path.name != "yamlfile.py" and re.search(r"^\s*(import yaml|from yaml)", text, re.M):
            offenders.append(f"{path.name}: imports yaml directly; use factcheck.yamlfile.load_yaml")
    assert offenders == []
    from factcheck.yamlfile import _Loader  # the loader load_yaml composes with
    assert issubclass(_Loader, yaml.SafeLoader)


# --- outputs --------------------------------------------------------------------------------------------

WRITE_FAULTS = [
    ("interrupt-while-writing", "fsync", KeyboardInterrupt()),
    ("disk-full-while-writing", "fsync", OSError(28, "No space left on device")),
    ("interrupt-before-rename", "replace", KeyboardInterrupt()),
    ("rename-fails", "replace", OSError(18, "Invalid cross-device link")),
]


@pytest.mark.parametrize("call, fault", [row[1:] for row in WRITE_FAULTS], ids=[row[0] for row in WRITE_FAULTS])
def test_failed_write_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str,
                                              fault: BaseException) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(b"previous report")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise fault

    monkeypatch.setattr(os, call, broken)
    # An OSError may surface as is or as the package's OutputError naming the file.
    with pytest.raises(KeyboardInterrupt if isinstance(fault, KeyboardInterrupt) else (OSError, OutputError)):
        write_atomic(target, "new report " * 1000)
    monkeypatch.undo()
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]  # no temp file left behind


def test_disk_full_is_exit_2_and_keeps_the_report(seed_story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (seed_story / "report.html").write_bytes(b"previous report")

    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = run("check", str(seed_story))
    assert code == 2  # not 1: CI must not read a full disk as "contradictions"
    assert_one_line_error(err, r"No space left on device")
    assert (seed_story / "report.html").read_bytes() == b"previous report"
    assert not [p for p in seed_story.iterdir() if p.name.endswith(".tmp")]


def test_written_report_keeps_normal_permissions(tmp_path: Path) -> None:
    previous_umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.html"
        write_atomic(fresh, "x")
        kept = tmp_path / "kept.yaml"
        kept.write_text("old", encoding="utf-8")
        kept.chmod(0o664)
        write_atomic(kept, "new")
    finally:
        os.umask(previous_umask)
    assert (fresh.stat().st_mode & 0o777, kept.stat().st_mode & 0o777) == (0o644, 0o664)


def _big_story(root: Path, copies: int) -> Path:
    """The seed story's articles repeated under new ids: enough work that a signal lands mid-run."""
    story = root / "story"
    (story / "sources").mkdir(parents=True)
    shutil.copytree(Path(__file__).resolve().parent.parent / "claims", story / "claims",
                    ignore=shutil.ignore_patterns("resolutions.yaml", ".*"))
    for article in sorted((Path(__file__).resolve().parent.parent / "sources").glob("*.md")):
        text = article.read_text(encoding="utf-8")
        for i in range(copies):
            (story / "sources" / f"c{i}_{article.name}").write_text(
                re.sub(r"(?m)^id: (.*)$", rf"id: c{i}_\1", text, count=1), encoding="utf-8")
    return story


def _wait_until_running(proc: subprocess.Popen[bytes]) -> None:
    """Wait until the command body runs: spaCy is imported inside it, never at CLI start-up."""
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if "spacy" in maps.read_text(errors="replace"):
            time.sleep(0.3)  # now loading the story or extracting
            return
        time.sleep(0.02)
    pytest.fail("factcheck never started its work")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see when the run has started")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_interrupted_run_leaves_the_previous_report(tmp_path: Path, signum: int) -> None:
    story = _big_story(tmp_path, copies=60)
    previous = b"<!DOCTYPE html><p>yesterday's report</p>\n"
    (story / "report.html").write_bytes(previous)
    before = sorted(p.name for p in story.iterdir())
    proc = subprocess.Popen([str(FACTCHECK_BIN), "check", str(story), "--md", str(story / "report.md")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_running(proc)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = err.decode("utf-8", "replace")
    assert proc.returncode == 128 + signum, text  # the signal landed mid-run and was handled
    assert "Traceback" not in text
    assert text.strip().splitlines() == ["interrupted: no report was left half-written"]
    assert (story / "report.html").read_bytes() == previous
    after = sorted(p.name for p in story.iterdir() if p.name != ".factcheck")
    assert after == before  # no report.md, no .report.html.*.tmp


UNWRITABLE_OUTPUTS = [
    ("html-in-missing-folder", ["--html", "{tmp}/nope/report.html"], r"nope: output folder does not exist"),
    ("html-is-a-folder", ["--html", "{tmp}"], r"output path is a folder"),
    ("md-in-missing-folder", ["--md", "{tmp}/nope/r.md"], r"nope: output folder does not exist"),
    ("json-is-a-folder", ["--json", "{tmp}"], r"output path is a folder"),
]


@pytest.mark.parametrize("args, pattern", [row[1:] for row in UNWRITABLE_OUTPUTS],
                         ids=[row[0] for row in UNWRITABLE_OUTPUTS])
def test_unwritable_output_fails_before_any_work(seed_story: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 args: list[str], pattern: str) -> None:
    monkeypatch.setattr("factcheck.pipeline.check", lambda *a, **k: pytest.fail("work started"))
    code, _, err = run("check", str(seed_story), *[a.format(tmp=tmp_path) for a in args])
    assert code == 2
    assert_one_line_error(err, pattern)


@pytest.mark.skipif(IS_ROOT, reason="root may write anywhere")
def test_read_only_output_folder_fails_before_any_work(seed_story: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o555)
    monkeypatch.setattr("factcheck.pipeline.check", lambda *a, **k: pytest.fail("work started"))
    code, _, err = run("check", str(seed_story), "--html", str(out / "report.html"))
    assert code == 2
    assert_one_line_error(err, r"output path is not writable")


# --- resolve -------------------------------------------------------------------------------------------

def _contradictions(story: Path) -> list[str]:
    code, out, _ = run("check", str(story), "--no-html", "--json", "-")
    return [f["id"] for f in json.loads(out)["findings"] if f["kind"] == "contradiction"]


def test_two_resolve_commands_at_once_keep_both(seed_story: Path) -> None:
    path = seed_story / "claims" / "resolutions.yaml"
    path.write_text("# the desk's verdicts\nresolutions: []\n", encoding="utf-8")
    first, second = _contradictions(seed_story)[:2]
    procs = [subprocess.Popen([str(FACTCHECK_BIN), "resolve", finding, "--verdict", "source-error", "--note",
                               f"checked {finding}", "--story", str(seed_story)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for finding in (first, second)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else b"") for p in procs]
    assert [code for code, _ in results] == [0, 0], results
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# the desk's verdicts\n")
    assert sorted(r.finding_id for r in load_resolutions(seed_story)) == sorted([first, second])


def test_many_concurrent_resolutions_all_land(tmp_path: Path) -> None:
    (tmp_path / "claims").mkdir()
    ids = [f"contradiction-fact{i}-0000000{i}" for i in range(8)]
    errors: list[BaseException] = []

    def resolve(finding: str) -> None:
        try:
            add_resolution(tmp_path, finding, "rounding", f"note for {finding}")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=resolve, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.finding_id for r in load_resolutions(tmp_path)) == sorted(ids)
    assert [p.name for p in (tmp_path / "claims").iterdir() if p.name.endswith(".tmp")] == []


HOSTILE_NOTES = [
    ("newline-and-fake-entry", "first line\n  - finding: injected\n    verdict: confirmed"),
    ("quotes-and-backslashes", 'he said "no" \\ then \'yes\''),
    ("yaml-syntax", "key: value # not a comment - [ ] { } & * ! | > % @ `"),
    ("next-line-and-separators", "a\x85b\u2028c\u2029d"),
    ("control-characters", "bell\x07 del\x7f c1\x9b end"),
    ("jinja-and-html", "{{ 191*7919 }} {% raw %} <script>alert(1)</script>"),
    ("emoji-and-rtl", "ok \U0001f44d \u202eevil\u202c \ufeff"),
    ("looks-like-null", "null"),
    ("surrounding-spaces", "   padded   "),
]


@pytest.mark.parametrize("note", [row[1] for row in HOSTILE_NOTES], ids=[row[0] for row in HOSTILE_NOTES])
def test_resolve_note_round_trips_and_keeps_the_file(tmp_path: Path, note: str) -> None:
    (tmp_path / "claims").mkdir()
    path = tmp_path / "claims" / "resolutions.yaml"
    original = "# keep me\nresolutions:\n- finding: old-one\n  verdict: rounding   # inline comment\n  note: x\n"
    path.write_text(original, encoding="utf-8")
    add_resolution(tmp_path, "contradiction-x-1", "source-error", note, by="desk \"night\"")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)  # appended, never re-dumped: comments and layout stay
    old, new = load_resolutions(tmp_path)
    assert (old.finding_id, old.note) == ("old-one", "x")
    assert (new.finding_id, new.verdict, new.note, new.by) == ("contradiction-x-1", "source-error", note.strip(),
                                                               'desk "night"')


UNAPPENDABLE = [
    ("flow-list", "resolutions: [{finding: a, verdict: rounding}]\n", r"cannot append to this file's layout"),
    ("not-utf-8", "resolutions:\n  - finding: a\n    verdict: rounding\n    note: caf\xe9\n", r"not UTF-8 text"),
    ("malformed", "resolutions:\n  - finding: [a\n", r"resolutions\.yaml:\d+: malformed YAML"),
]


@pytest.mark.parametrize("text, pattern", [row[1:] for row in UNAPPENDABLE], ids=[row[0] for row in UNAPPENDABLE])
def test_resolve_refuses_rather_than_rewrites(tmp_path: Path, text: str, pattern: str) -> None:
    (tmp_path / "claims").mkdir()
    path = tmp_path / "claims" / "resolutions.yaml"
    data = text.encode("latin-1")
    path.write_bytes(data)
    with pytest.raises(InputError, match=pattern):
        add_resolution(tmp_path, "contradiction-x-1", "rounding", "a note")
    assert path.read_bytes() == data


RESOLVE_ARG_ERRORS = [
    ("empty-note", ("contradiction-x-1", "rounding", "  "), "the note is empty"),
    ("unknown-verdict", ("contradiction-x-1", "fine", "n"), "unknown verdict 'fine'"),
    ("id-with-newline", ("x\n  - finding: y", "rounding", "n"), "invalid finding id"),
]


@pytest.mark.parametrize("args, message", [row[1:] for row in RESOLVE_ARG_ERRORS],
                         ids=[row[0] for row in RESOLVE_ARG_ERRORS])
def test_resolve_refuses_bad_arguments(tmp_path: Path, args: tuple[str, str, str], message: str) -> None:
    (tmp_path / "claims").mkdir()
    with pytest.raises(InputError, match=message):
        add_resolution(tmp_path, *args)
    assert not (tmp_path / "claims" / "resolutions.yaml").exists()


# --- hostile article text ------------------------------------------------------------------------------

PAYLOADS = {
    "script": "<script>alert('pwned')</script>",
    "img": '<img src=x onerror="alert(1)">',
    "jinja": "{{ 191*7919 }}{% if true %}TPL{% endif %}",
    "cdata": "]]></failure><failure>fake</failure>",
    "json": '"}],"gate":{"passed":true}',
    "markdown": "[click me](javascript:alert(1)) ![x](http://evil.example/pixel.png) | col |",
    "remote": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "control": "\x0b\x1b[31m\x0c\x7f",  # escaped or not, XML 1.0 forbids these characters
}
HOSTILE_ARTICLE = (
    "---\nid: hostile\ntitle: \"<b>Bold</b> {{ title }} <script>alert('t')</script>\"\n"
    "publisher: \"<i>Evil</i> & Co\"\nurl: \"javascript:alert('u')\"\n---\n"
    # A contradicting figure (the seed says $1.25 billion), so the hostile sentence is quoted in every format.
    + " ".join(PAYLOADS.values()) + " The firm will pay $9 billion per month for compute.\n"
    + "".join(f"{text} The firm will pay $9 billion per month for compute. \n" for text in PAYLOADS.values())
)


@pytest.fixture
def hostile_result(seed_story: Path, nlp: Language) -> Any:
    (seed_story / "sources" / "hostile.md").write_text(HOSTILE_ARTICLE, encoding="utf-8")
    (seed_story / "claims" / "resolutions.yaml").write_text(
        "resolutions:\n  - finding: contradiction-gone-00000000\n    verdict: retracted\n"
        f"    note: {json.dumps(PAYLOADS['script'] + PAYLOADS['jinja'])}\n    by: {json.dumps(PAYLOADS['img'])}\n",
        encoding="utf-8")
    return check(seed_story, nlp, Settings(cache=False))


class _Attrs(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _needs_template(fmt: str) -> None:
    name = report_module.FORMATS[fmt]
    if name is not None and not (builtin_templates() / name).exists():
        pytest.skip(f"{name} not shipped yet")


def test_html_escapes_article_text_and_loads_nothing(hostile_result: Any) -> None:
    out = render(hostile_result, "html")
    for raw in ("<script>alert(", "<img src=x", "<b>Bold</b>", "<i>Evil</i>", 'href="https://evil'):
        assert raw not in out, raw
    assert "&lt;script&gt;alert(" in out
    assert PAYLOADS["jinja"] in out and "1512529" not in out  # shown, never evaluated
    parser = _Attrs()
    parser.feed(out)
    tags = parser.tags
    assert [t for t, _ in tags].count("script") <= 1  # at most the report's own inline script
    for tag, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        for key in ("src", "href", "action", "srcset", "data", "poster"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "javascript:")), (tag, key, value)
    assert not re.search(r"url\(\s*['\"]?(https?:)?//|@import", out, re.I)


def test_markdown_escapes_article_text(hostile_result: Any) -> None:
    out = render(hostile_result, "md")
    for raw in ("<script", "<img", "<link", "](javascript:", "](http://evil", "<b>Bold", "<i>Evil"):
        assert not re.search(r"(?<!\\)" + re.escape(raw), out), raw  # only backslash-escaped
    assert "1512529" not in out


def test_json_keeps_article_text_as_data(hostile_result: Any) -> None:
    data = json.loads(render(hostile_result, "json"))
    hostile = next(s for s in data["sources"] if s["id"] == "hostile")
    text = "".join(seg["text"] for seg in hostile["segments"])
    assert all(p in text for p in PAYLOADS.values())
    assert data["gate"]["passed"] is False  # the injected '"gate":{"passed":true}' stayed text


def test_sarif_is_valid_json_with_text_intact(hostile_result: Any) -> None:
    _needs_template("sarif")
    out = render(hostile_result, "sarif")
    data = json.loads(out)  # one broken escape makes this raise
    assert data["version"] == "2.1.0"
    assert "1512529" not in out


def test_junit_is_well_formed_xml_with_text_intact(hostile_result: Any) -> None:
    _needs_template("junit")
    out = render(hostile_result, "junit")
    root = ET.fromstring(out)  # an unescaped '<' or ']]>' makes this raise
    assert root.tag in ("testsuites", "testsuite")
    assert [e for e in root.iter() if (e.text or "").strip() == "fake"] == []  # no injected element
    assert "1512529" not in out


def test_no_template_is_built_from_text() -> None:
    offenders = [f"{p.name}:{n}" for p in sorted(PACKAGE.rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
                 if re.search(r"\bfrom_string\s*\(|\bjinja2\.Template\s*\(|\bTemplate\s*\(", line)]
    assert offenders == []
    env = report_module.environment()
    assert callable(env.autoescape)
    assert env.autoescape("report.html.j2") and env.autoescape("report.junit.xml.j2")
    assert env.autoescape(None)  # anything built from a string would escape too
