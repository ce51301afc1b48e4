"""The CLI as an editor and CI use it: exit codes, outputs, help, and bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main

RESOLVE_ALL = """resolutions:
{entries}"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def contradiction_ids(story: Path) -> list[str]:
    code, out, _ = run("check", str(story), "--no-html", "--json", "-")
    return [f["id"] for f in json.loads(out)["findings"] if f["kind"] == "contradiction"]


def test_check_fails_on_unresolved_contradictions(seed_story: Path) -> None:
    code, out, err = run("check", str(seed_story))
    assert code == 1
    assert out.startswith("FAIL: 3 unresolved contradictions")
    assert (seed_story / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_resolving_every_contradiction_passes(seed_story: Path) -> None:
    ids = contradiction_ids(seed_story)
    assert len(ids) == 3
    entries = "".join(f"  - finding: {i}\n    verdict: source-error\n    note: checked\n" for i in ids)
    (seed_story / "claims" / "resolutions.yaml").write_text(RESOLVE_ALL.format(entries=entries), encoding="utf-8")
    code, out, _ = run("check", str(seed_story))
    assert code == 0, out
    assert out.startswith("PASS")


def test_resolve_command_appends_and_keeps_comments(seed_story: Path) -> None:
    path = seed_story / "claims" / "resolutions.yaml"
    path.write_text("# kept: the desk's notes\nresolutions: []\n", encoding="utf-8")
    hardware = next(i for i in contradiction_ids(seed_story) if "hardware" in i)
    code, out, _ = run("resolve", hardware, "--verdict", "source-error", "--note", "Grok is a model", "--by", "desk",
                       "--story", str(seed_story))
    assert code == 0, out
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# kept: the desk's notes\nresolutions:\n  - finding: " + hardware)
    code, out, _ = run("check", str(seed_story), "--no-html")
    assert code == 1 and "2 unresolved contradictions" in out
    code, _, err = run("resolve", hardware, "--verdict", "confirmed", "--note", "again", "--story", str(seed_story))
    assert code == 2 and "already resolved" in err


def test_stale_resolution_is_reported(seed_story: Path) -> None:
    (seed_story / "claims" / "resolutions.yaml").write_text(
        "resolutions:\n  - finding: contradiction-gone-00000000\n    verdict: retracted\n", encoding="utf-8")
    code, out, _ = run("check", str(seed_story), "--no-html")
    assert "stale resolution contradiction-gone-00000000 (resolutions.yaml line 2)" in out


def test_explain_prints_quotes_and_arithmetic(seed_story: Path) -> None:
    code, out, _ = run("check", str(seed_story), "--no-html", "--json", "-")
    derived = next(f["id"] for f in json.loads(out)["findings"] if f["fact_id"] == "annual_run_rate")
    code, out, _ = run("explain", derived, str(seed_story))
    assert code == 0
    assert "arithmetic: $1.25 billion/month × 12 = $15 billion; stated $15 billion/year" in out
    code, _, err = run("explain", "contradiction-nothing-1234abcd", str(seed_story))
    assert code == 2 and err.startswith("error: ")


def test_extract_prints_a_table_and_json(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Deal\nThe firm will pay $1.25 billion per month. Claude 3 runs.\n", encoding="utf-8")
    code, out, _ = run("extract", str(article))
    assert code == 0
    assert "money" in out and "1250000000" in out and "not figures:" in out
    code, out, _ = run("extract", str(article), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert rows[0]["kind"] == "money" and rows[0]["line"] == 2
    assert rows[-1]["dropped"] == "3"


def test_markdown_and_json_outputs(seed_story: Path, tmp_path: Path) -> None:
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    code, _, _ = run("check", str(seed_story), "--no-html", "--md", str(md), "--json", str(js))
    assert code == 1
    assert "### Needs a verdict (4)" in md.read_text(encoding="utf-8")  # 3 contradictions, 1 discrepancy
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["schema_version"] == 1 and data["gate"]["passed"] is False


def all_commands() -> list[list[str]]:
    out: list[list[str]] = [[]]
    for name, command in sorted(main.commands.items()):
        out.append([name])
        for sub in sorted(getattr(command, "commands", {})):
            out.append([name, sub])
    return out


@pytest.mark.parametrize("command", all_commands(), ids=lambda c: " ".join(c) or "main")
def test_every_command_has_help(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 5


def test_eval_prints_scores_per_story() -> None:
    from tests.conftest import REPO

    code, out, _ = run("eval", str(REPO / "tests" / "gold" / "harbor-bridge"))
    assert code == 0
    assert out.startswith("== harbor-bridge\nkind        gold  pred match right      P      R     F1")
    assert "\nall " in out


# Bad input: one line naming the file (and line), exit 2, nothing written.
BAD_INPUT = [
    ("missing-folder", None, None, "story folder not found"),
    ("empty-sources", "sources/", None, "no articles found"),
    ("bad-front-matter", "sources/a.md", "---\ntitle: [unclosed\n---\nBody $5 million.\n", "a.md:3: malformed YAML"),
    ("unknown-front-matter-key", "sources/a.md", "---\ntitel: x\n---\nBody.\n", "a.md:2: unknown front matter key"),
    ("catalog-wrong-key", "claims/facts.yaml", "facts:\n  - id: fee\n    kind: money\n    unti: USD\n",
     "facts.yaml:4: unknown key 'unti'"),
    ("catalog-wrong-type", "claims/facts.yaml", "facts:\n  - id: fee\n    kind: cash\n",
     "facts.yaml:3: 'kind' is 'cash'"),
    ("catalog-duplicate-key", "claims/facts.yaml", "facts:\n  - id: fee\n    id: fee2\n    kind: money\n",
     "facts.yaml:3: duplicate key 'id'"),
    ("resolution-bad-verdict", "claims/resolutions.yaml", "resolutions:\n  - finding: x\n    verdict: maybe\n",
     "resolutions.yaml:3: unknown verdict 'maybe'"),
]


@pytest.mark.parametrize("name,path,content,message", BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, name: str, path: str | None, content: str | None,
                                          message: str) -> None:
    story = tmp_path / "story"
    if name != "missing-folder":
        (story / "sources").mkdir(parents=True)
        (story / "claims").mkdir()
        if name != "empty-sources":
            (story / "sources" / "ok.txt").write_text("Title\nIt costs $5 million.\n", encoding="utf-8")
        if path and content:
            (story / path).write_text(content, encoding="utf-8")
    code, out, err = run("check", str(story))
    assert code == 2
    assert len(err.strip().splitlines()) == 1, err
    assert message in err
    assert not (story / "report.html").exists()


def test_unwritable_output_fails_before_work(seed_story: Path) -> None:
    code, _, err = run("check", str(seed_story), "--html", str(seed_story / "missing" / "r.html"))
    assert code == 2 and "output folder does not exist" in err
