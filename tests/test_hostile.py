"""Hostile files (issue "Hostile files, hostile servers, hostile caches"): one regression test per attack.

Nothing is read from outside the story, nothing is replaced that is not ours, and no input
ends in a traceback or in exit 1 (the gate's code).
"""

from __future__ import annotations

import os
import time
import signal
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.errors import OutputError
from factcheck.files import check_writable, write_all, write_atomic

REPO = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def story_with(tmp_path: Path, articles: dict[str, str]) -> Path:
    story = tmp_path / "story"
    (story / "sources").mkdir(parents=True)
    (story / "claims").mkdir()
    for name, text in articles.items():
        (story / "sources" / name).write_text(text, encoding="utf-8")
    return story


# --- 1. outputs never replace devices, FIFOs or symlinks ---------------------------------------------------

def test_output_symlink_stays_a_link_and_its_target_gets_the_report(seed_story: Path, tmp_path: Path) -> None:
    kept = tmp_path / "elsewhere" / "report.md"
    kept.parent.mkdir()
    kept.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(kept)
    code, _, err = run("check", str(seed_story), "--no-html", "--md", str(link), "-q")
    assert code == 1, err
    assert link.is_symlink() and os.readlink(link) == str(kept)
    assert kept.read_text(encoding="utf-8").startswith("#")  # the Markdown report, written through the link


def test_output_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so the writer's open does not block
    try:
        write_atomic(fifo, "through the pipe\n")
        assert os.read(reader, 100) == b"through the pipe\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def _null_device(tmp_path: Path) -> Path:
    """A private copy of /dev/null (mknod needs root), so a regression cannot replace the real one."""
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    return device


def test_output_device_is_written_through_not_replaced(tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    check_writable(device)
    write_atomic(device, "gone\n")
    assert stat.S_ISCHR(device.lstat().st_mode)
    link = tmp_path / "null-link"
    link.symlink_to(device)
    write_atomic(link, "gone\n")
    assert link.is_symlink() and stat.S_ISCHR(device.lstat().st_mode)


def test_check_html_to_a_device(seed_story: Path, tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    code, _, err = run("check", str(seed_story), "--html", str(device), "-q")
    assert code == 1, err
    assert stat.S_ISCHR(device.lstat().st_mode)


def test_outputs_are_one_transaction(tmp_path: Path) -> None:
    good, bad = tmp_path / "a.html", tmp_path / "missing" / "b.md"
    good.write_text("old", encoding="utf-8")
    with pytest.raises(OutputError):
        write_all([(good, "new"), (bad, "new")])
    assert good.read_text(encoding="utf-8") == "old"  # the second could not be written, so neither is
    assert [p.name for p in tmp_path.iterdir()] == ["a.html"]  # and no temp file is left


def test_unwritable_output_place_fails_before_the_run_naming_the_path(seed_story: Path) -> None:
    code, _, err = run("check", str(seed_story), "--html", "/proc/x.html")
    assert code == 2
    assert "/proc/x.html" in err and ".tmp" not in err


def test_stale_temp_files_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    stale, young = tmp_path / ".report.html.abc.tmp", tmp_path / ".report.html.def.tmp"
    for temp in (stale, young):
        temp.write_text("half", encoding="utf-8")
    os.utime(stale, (1, 1))
    write_atomic(target, "new")
    assert not stale.exists()
    assert young.exists()  # may belong to a check running right now


def test_resolve_through_a_symlinked_resolutions_file_keeps_the_link(seed_story: Path, tmp_path: Path) -> None:
    real = seed_story / "claims" / "verdicts" / "resolutions.yaml"
    real.parent.mkdir()
    real.write_text("resolutions:\n", encoding="utf-8")
    (seed_story / "claims" / "resolutions.yaml").symlink_to("verdicts/resolutions.yaml")
    finding = _first_contradiction(seed_story)
    code, _, err = run("resolve", finding, "--story", str(seed_story), "--verdict", "accepted", "--note", "n")
    assert code == 0, err
    assert (seed_story / "claims" / "resolutions.yaml").is_symlink()
    assert finding in real.read_text(encoding="utf-8")


def test_resolve_keeps_crlf_line_endings(seed_story: Path) -> None:
    path = seed_story / "claims" / "resolutions.yaml"
    path.write_bytes(b"# verdicts\r\nresolutions:\r\n")
    finding = _first_contradiction(seed_story)
    code, _, err = run("resolve", finding, "--story", str(seed_story), "--verdict", "accepted", "--note", "n")
    assert code == 0, err
    data = path.read_bytes()
    assert finding.encode() in data
    assert data.count(b"\r\n") == data.count(b"\n")  # every line still ends in CRLF


def _first_contradiction(story: Path) -> str:
    from factcheck.pipeline import check

    return next(f.id for f in check(story).findings if f.kind.value == "contradiction")


# --- 2. nothing is read from outside the story --------------------------------------------------------------

@pytest.mark.parametrize("target", ["/etc/passwd", "../../outside.txt"], ids=["etc-passwd", "relative-escape"])
def test_source_symlink_out_of_the_story_is_refused_with_a_warning(seed_story: Path, target: str) -> None:
    outside = seed_story.parent / "outside.txt"
    outside.write_text("Secret: root:x:0 paid $9 billion a month.\n", encoding="utf-8")
    (seed_story / "sources" / "p.txt").symlink_to(target)
    code, _, err = run("check", str(seed_story), "--json", str(seed_story / "r.json"), "-q")
    assert code == 1
    assert "sources/p.txt: symbolic link to a file outside the story" in err
    report = (seed_story / "report.html").read_text(encoding="utf-8") + (seed_story / "r.json").read_text()
    assert "root:x:0" not in report and "Secret" not in report


def test_source_symlink_inside_the_story_is_read(seed_story: Path) -> None:
    (seed_story / "archive").mkdir()
    (seed_story / "archive" / "a.txt").write_text("Headline\nThey pay $7 million a month.\n", encoding="utf-8")
    (seed_story / "sources" / "a.txt").symlink_to("../archive/a.txt")
    code, out, err = run("extract", str(seed_story / "sources" / "a.txt"))
    assert code == 0 and "7000000" in out.replace(",", "")
    code, _, err = run("check", str(seed_story), "--no-html", "-q")
    assert "outside the story" not in err


@pytest.mark.parametrize("name", ["facts.yaml", "resolutions.yaml"])
def test_claims_symlink_out_of_the_story_is_refused(seed_story: Path, tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("resolutions: []\n", encoding="utf-8")
    target = seed_story / "claims" / name
    target.unlink(missing_ok=True)
    target.symlink_to(outside)
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 2
    assert f"claims/{name}: symbolic link to a file outside the story" in err


@pytest.mark.parametrize("make", ["fifo", "dev-zero"])
def test_claims_file_that_is_not_regular_is_refused(seed_story: Path, make: str) -> None:
    path = seed_story / "claims" / "resolutions.yaml"
    path.unlink(missing_ok=True)
    if make == "fifo":
        os.mkfifo(path)  # reading it would hang the check
    else:
        (seed_story / "zero").symlink_to("/dev/zero")
        path.symlink_to("../zero")
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 2
    assert "claims/resolutions.yaml:" in err


def test_symlinked_cache_is_not_used(seed_story: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (seed_story / ".factcheck").symlink_to(other)
    code, _, err = run("check", str(seed_story), "--no-html", "-q")
    assert code == 1
    assert "cache is a symbolic link" in err
    assert list(other.iterdir()) == []  # nothing created in the database it points at


# --- 3. a huge figure is a dropped number, and a bug is never exit 1 -------------------------------------

HUGE = "Acme pays $10000000000000000000000000000000000000 per month for compute.\n"


def test_huge_figure_simply_works(tmp_path: Path) -> None:
    story = story_with(tmp_path, {"a.txt": "Deal\n" + HUGE + "Acme pays $1.25 billion per month.\n",
                                  "b.txt": "Deal\nAcme pays $1.25 billion per month.\n"})
    code, out, err = run("check", str(story), "--no-html")
    assert code == 0, err
    assert "Traceback" not in err
    code, out, _ = run("extract", str(story / "sources" / "a.txt"))
    assert code == 0
    assert "too large to be a figure" in out


def test_rounding_of_huge_values_does_not_raise() -> None:
    from decimal import Decimal

    from factcheck.model import Kind, Mention
    from factcheck.reconcile import _rounds_to

    coarse = Mention("a", 0, 1, "x", "x", 0, Kind.MONEY, Decimal("1e9"), "USD", precision=Decimal(1))
    assert _rounds_to(Decimal("1e40"), coarse) is False


def test_unexpected_error_exits_3_with_one_line(seed_story: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import factcheck.pipeline

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(factcheck.pipeline, "check", boom)
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 3
    assert err.strip().splitlines() == [
        "internal error, please report: ZeroDivisionError: planted (FACTCHECK_DEBUG=1 or --verbose shows the traceback)"]
    code, _, err = run("check", str(seed_story), "--no-html", "--verbose")
    assert code == 3 and "Traceback" in err


def test_usage_errors_keep_click_codes(seed_story: Path) -> None:
    code, _, err = run("check", str(seed_story), "--json", "-", "--format", "github")
    assert code == 2 and "internal error" not in err


# --- 5. a <form>-wrapped article is read; a skipped one is a warning everywhere, --strict refuses -----------

def test_form_wrapped_article_is_read(tmp_path: Path) -> None:
    story = story_with(tmp_path, {"a.txt": "Deal\nAcme pays $1.25 billion per month.\n"})
    (story / "sources" / "b.html").write_text(
        "<html><body><form id='aspnetForm'><div><h1>Deal</h1><p>Acme pays $1.5 billion per month.</p>"
        "<select><option>$9 per month</option></select></div></form></body></html>", encoding="utf-8")
    code, out, err = run("check", str(story), "--no-html")
    assert code == 1 and "no article text" not in err  # its contradiction is not lost
    assert "$9" not in out


def test_skipped_source_is_in_the_report_and_strict_refuses(tmp_path: Path) -> None:
    story = story_with(tmp_path, {"a.txt": "Deal\nAcme pays $1.25 billion per month.\n", "b.txt": "  \n"})
    code, _, err = run("check", str(story), "--md", str(tmp_path / "r.md"))
    assert code == 0 and "empty file, skipped" in err
    assert "empty file, skipped" in (story / "report.html").read_text(encoding="utf-8")
    assert "empty file, skipped" in (tmp_path / "r.md").read_text(encoding="utf-8")
    (story / "report.html").unlink()
    code, _, err = run("check", str(story), "--strict")
    assert code == 2 and "1 warning with --strict" in err
    assert not (story / "report.html").exists()


# --- 9. names and encodings --------------------------------------------------------------------------------

def test_non_utf8_file_name_does_not_crash_machine_outputs(tmp_path: Path) -> None:
    story = story_with(tmp_path, {"a.txt": "Deal\nAcme pays $1.25 billion per month.\n"})
    name = os.fsencode(str(story / "sources")) + b"/b\xff.txt"
    with open(name, "wb") as fh:
        fh.write(b"Deal\nAcme pays $1.5 billion per month.\n")
    out = tmp_path / "out"
    out.mkdir()
    code, _, err = run("check", str(story), "--json", str(out / "r.json"), "--sarif", str(out / "r.sarif"),
                       "--junit", str(out / "r.xml"))
    assert code == 1, err
    assert "internal error" not in err and (out / "r.json").exists()


def test_utf32_article_with_its_bom_is_read(tmp_path: Path) -> None:
    from factcheck.sources import load_sources

    story = story_with(tmp_path, {})
    (story / "sources" / "a.txt").write_bytes("Deal\nAcme pays $1.25 billion per month.\n".encode("utf-32"))
    (source,) = load_sources(story).sources
    assert "Acme pays $1.25 billion per month." in source.text


@pytest.mark.parametrize("front, ok", [("---\nid: 'abc\\n'\n---\n", False), ("--- \ntitle: T\n---  \n", True)],
                         ids=["id-with-final-newline", "front-matter-trailing-space"])
def test_ids_and_front_matter_edges(tmp_path: Path, front: str, ok: bool) -> None:
    from factcheck.errors import InputError
    from factcheck.sources import load_sources

    story = story_with(tmp_path, {})
    (story / "sources" / "a.md").write_text(front + "Acme pays $1.25 billion per month.\n", encoding="utf-8")
    if ok:
        (source,) = load_sources(story).sources
        assert source.title == "T" and source.text.startswith("Acme")
    else:
        with pytest.raises(InputError, match="invalid source id"):
            load_sources(story)


@pytest.mark.parametrize("published", ["'2025-10-06'", "2025-10-06T09:30:00+02:00", "Oct 6, 2025", "6 October 2025"])
def test_published_accepts_the_ways_dates_are_written(tmp_path: Path, published: str) -> None:
    import datetime

    from factcheck.sources import load_sources

    story = story_with(tmp_path, {})
    (story / "sources" / "a.md").write_text(f"---\npublished: {published}\n---\nText.\n", encoding="utf-8")
    (source,) = load_sources(story).sources
    assert source.published == datetime.date(2025, 10, 6)


# --- 11. relations -------------------------------------------------------------------------------------------

def test_relation_with_a_sum_is_checked(tmp_path: Path) -> None:
    from factcheck.pipeline import Settings, check

    story = story_with(tmp_path, {"a.txt": "Fleet\nAcme flies 148 aircraft and Brio flies 96 aircraft.\n",
                                  "b.txt": "Fleet\nTogether they fly 250 aircraft.\n"})
    (story / "claims" / "facts.yaml").write_text(
        "facts:\n  - {id: ours, label: Ours, kind: count, unit: aircraft, cues: [acme]}\n"
        "  - {id: theirs, label: Theirs, kind: count, unit: aircraft, cues: [brio]}\n"
        "  - {id: combined, label: Combined, kind: count, unit: aircraft, cues: [together]}\n"
        "relations:\n  - {id: fleet_sum, fact: combined, equals: ours + theirs}\n", encoding="utf-8")
    derived = [f for f in check(story, None, Settings(cache=False)).findings if f.kind.value == "derived"]
    assert [(f.status.value, f.arithmetic) for f in derived] == [
        ("inconsistent", "148 aircrafts + 96 aircrafts = 244 aircrafts; stated 250 aircrafts")]  # plural(): a known wart


def test_a_runaway_relation_is_refused_with_its_line(tmp_path: Path) -> None:
    story = story_with(tmp_path, {"a.txt": "Deal\nAcme pays $1.25 billion per month.\n"})
    chain = " * ".join(["2"] * 1000)
    (story / "claims" / "facts.yaml").write_text(
        "facts:\n  - {id: fee, label: Fee, kind: money, unit: USD}\n"
        f"relations:\n  - {{id: r, fact: fee, equals: '{chain}'}}\n", encoding="utf-8")
    code, _, err = run("check", str(story), "--no-html")
    assert code == 2 and "claims/facts.yaml:4" in err and "Traceback" not in err


# --- 12. smaller ---------------------------------------------------------------------------------------------

def test_control_characters_never_reach_the_terminal(seed_story: Path) -> None:
    from factcheck.workflow import escape_data, printable

    assert printable("a\x1b]0;owned\x07b\x1b[31mc") == "a]0;ownedb[31mc"
    assert "\x1b" not in escape_data("x\x1b[2Jy")


def test_init_of_a_dash_name_prints_a_safe_cd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("init", "--", "-dash")
    assert code == 0 and "cd ./-dash &&" in out


def test_a_yaml_boolean_where_text_belongs_says_so(seed_story: Path) -> None:
    (seed_story / "claims" / "resolutions.yaml").write_text(
        "resolutions:\n  - {finding: x, verdict: accepted, note: n, by: yes}\n", encoding="utf-8")
    code, _, err = run("check", str(seed_story), "--no-html")
    assert code == 2 and "YAML reads yes, no, on and off as true or false" in err


def test_ing_forms_of_change_verbs_are_read_whole(nlp: Any) -> None:
    # rstrip("ing") stripped letters: "bringing" became "br" and was no change verb.
    from factcheck.extract import extract
    from factcheck.model import Source

    text = "Deal\nThe firm is bringing its fleet to 300 aircraft.\n"
    (mention,) = [m for m in extract(Source("s", Path("s.txt"), text), nlp).mentions if m.kind.value == "count"]
    assert mention.modality.value == "planned"


# --- 7. the cache is not trusted blindly -------------------------------------------------------------------

def _cache(story: Path) -> Path:
    return story / ".factcheck" / "cache.sqlite"


@pytest.mark.parametrize("payload", ['{"mentions":[],"dropped":[]}', None], ids=["emptied", "nan"])
def test_an_edited_cache_row_is_a_miss(seed_story: Path, payload: str | None) -> None:
    import sqlite3

    assert run("check", str(seed_story), "--no-html", "-q")[0] == 1
    conn = sqlite3.connect(_cache(seed_story))
    if payload is None:  # a figure's value replaced by NaN, digest left as it was
        (key, old), *_ = conn.execute("SELECT key, payload FROM extraction").fetchall()
        conn.execute("UPDATE extraction SET payload = ? WHERE key = ?",
                     (re.sub(r'"\$decimal":"[^"]+"', '"$decimal":"NaN"', old, count=1), key))
    else:
        conn.execute("UPDATE extraction SET payload = ?", (payload,))
    conn.commit()
    conn.close()
    code, _, err = run("check", str(seed_story), "--no-html", "-q")
    assert code == 1 and "Traceback" not in err and "internal error" not in err  # read again, still FAIL


def test_a_cache_of_another_schema_is_rebuilt_once(seed_story: Path) -> None:
    import sqlite3

    _cache(seed_story).parent.mkdir()
    conn = sqlite3.connect(_cache(seed_story))
    conn.execute("CREATE TABLE extraction (key TEXT PRIMARY KEY, payload TEXT NOT NULL)")
    conn.commit()
    conn.close()
    _, _, err = run("check", str(seed_story), "--no-html", "-q")
    assert "rebuilding it" in err
    _, _, err = run("check", str(seed_story), "--no-html", "-q")
    assert "cache" not in err  # once, not on every run


def test_ctrl_c_at_start_exits_130_without_a_traceback(seed_story: Path) -> None:
    import subprocess
    import sys as _sys

    binary = Path(_sys.executable).parent / "factcheck"
    # The interpreter's own start (before any line of ours runs) is out of reach; from the entry
    # point on, a signal ends the command with 128 + its number and no traceback.
    for delay in (0.15, 0.3, 0.6):
        proc = subprocess.Popen([str(binary), "check", str(seed_story), "--no-html"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (130, 1), (delay, proc.returncode, err)  # 1 only if it finished first
        assert b"Traceback" not in err, err
        if proc.returncode == 1:
            assert b"interrupted" not in err
