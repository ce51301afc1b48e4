"""The editor's controls in claims/frames.yaml: mark a figure as context, name a frame's subject or measure."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.errors import InputError
from factcheck.pipeline import Settings, check

ARTICLES = {
    "a.txt": "Tarnwell deal\nThe Tarnwell plant will need 1,200 megawatts of power, its owner said.\n",
    "b.txt": "Tarnwell plant approved\nA rival plant upstate will need 900 megawatts of power.\n",
    "c.txt": "Tarnwell\nThe death toll rose to 12 on Monday.\nOfficials counted 15 victims.\n",
}


def story(tmp_path: Path, frames: str | None = None) -> Path:
    root = tmp_path / "s"
    (root / "sources").mkdir(parents=True)
    (root / "claims").mkdir()
    for name, text in ARTICLES.items():
        (root / "sources" / name).write_text(text, encoding="utf-8")
    if frames is not None:
        (root / "claims" / "frames.yaml").write_text(frames, encoding="utf-8")
    return root


def power_conflicts(root: Path, warnings: list[str] | None = None) -> list[str]:
    result = check(root, None, Settings(cache=False), warnings=warnings)
    return [f.summary for f in result.findings if f.kind.value == "contradiction"]


def test_background_figure_conflicts_until_marked_as_context(tmp_path: Path) -> None:
    assert power_conflicts(story(tmp_path))  # the rival plant's 900 MW is read as this story's
    marked = story(tmp_path / "m", "context:\n  - source: b\n    figure: 900 megawatts\n"
                                   "    note: another plant\n")
    assert power_conflicts(marked) == []
    result = check(marked, None, Settings(cache=False))
    reasons = [d.reason for d in result.dropped if d.text == "900 megawatts"]
    assert reasons == ["marked as context (claims/frames.yaml:2): another plant"]  # listed, not swallowed


def test_naming_a_measure_groups_a_figure(tmp_path: Path) -> None:
    root = story(tmp_path, "frames:\n  - source: c\n    figure: 15 victims\n    measure: deaths\n")
    result = check(root, None, Settings(cache=False))
    fifteen = next(m for m in result.mentions if m.text == "15 victims")
    assert fifteen.measure == "deaths" and fifteen.varies
    twelve = next(c.fact_id for c in result.claims if c.mention.text == "12")
    assert next(c.fact_id for c in result.claims if c.mention is fifteen) == twelve


def test_a_note_that_matches_nothing_is_a_warning(tmp_path: Path) -> None:
    root = story(tmp_path, "context:\n  - source: b\n    figure: 901 megawatts\n")
    code = CliRunner().invoke(main, ["check", str(root), "--no-html", "-q"])
    assert "claims/frames.yaml:2: no figure '901 megawatts' in source 'b'" in code.stderr


@pytest.mark.parametrize("text, message, line", [
    ("context:\n  - source: b\n", "'figure' must be non-empty text", 2),
    ("frames:\n  - {source: b, figure: x}\n", "names neither subject nor measure", 2),
    ("context:\n  - {source: b, figure: x, measure: deaths}\n", "measure", 2),
    ("contexts: []\n", "contexts", 1),
])
def test_bad_frames_file_is_one_line_with_its_line(tmp_path: Path, text: str, message: str, line: int) -> None:
    root = story(tmp_path, text)
    with pytest.raises(InputError, match=message) as info:
        check(root, None, Settings(cache=False))
    assert info.value.line == line and str(info.value.path).endswith("claims/frames.yaml")
