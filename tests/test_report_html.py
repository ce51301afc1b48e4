"""The HTML report byte for byte, and the Python filters that print its per-article and per-figure loops.

Golden pages (tests/golden/sample*.html) were rendered before those loops moved from the template
into report.py, so these tests hold the move to the same markup. After a deliberate change:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_report_html.py

then review `git diff tests/golden/`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from markupsafe import Markup, escape

from factcheck.model import CheckResult
from factcheck.report import Limits, Served, _esc, render

from .test_report import sample_result

GOLDEN = Path(__file__).parent / "golden"
VARIANTS = {
    "sample.html": {},
    "sample.served.html": {"served": Served("tok", 1)},
    "sample.excerpts.html": {"limits": Limits(full_text_chars=10, excerpt_chars=5, featured_quotes=1)},
}


@pytest.fixture
def sample(tmp_path: Path) -> CheckResult:
    return sample_result(tmp_path / "sample")


@pytest.mark.parametrize("name", VARIANTS)
def test_golden_html(sample: CheckResult, name: str) -> None:
    text = render(sample, "html", **VARIANTS[name])  # type: ignore[arg-type]
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert text == golden.read_text(encoding="utf-8"), f"{name} changed: see the module docstring"


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.none(), st.booleans()))
def test_the_fast_escape_is_markupsafes(value: object) -> None:
    assert _esc(value) == str(escape(value))


def test_the_fast_escape_leaves_markup_alone() -> None:
    assert _esc(Markup("<b>&amp;</b>")) == "<b>&amp;</b>"
    assert _esc("<a href='x'>\"&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&#34;&amp;&#34;&lt;/a&gt;"


def test_paths_resolved_by_folder_match_path_resolve(tmp_path: Path) -> None:
    from factcheck.report import _rel

    story = tmp_path / "story"
    (story / "sources").mkdir(parents=True)
    (story / "elsewhere").mkdir()
    (story / "elsewhere" / "real.md").write_text("x", encoding="utf-8")
    (story / "sources" / "plain.md").write_text("x", encoding="utf-8")
    os.symlink(story / "elsewhere" / "real.md", story / "sources" / "link.md")
    os.symlink(story / "sources", tmp_path / "alias")  # a story reached through a linked folder
    folders: dict[Path, Path] = {}
    for path in [story / "sources" / "plain.md", story / "sources" / "link.md", story / "sources" / "gone.md",
                 tmp_path / "alias" / "plain.md", tmp_path / "alias" / "link.md", story / "sources" / ".."]:
        assert _rel(path, story.resolve(), folders) == _rel(path, story.resolve()), path
    assert _rel(story / "sources" / "link.md", story.resolve(), folders) == "elsewhere/real.md"


def test_templates_compile_once_across_processes(sample: CheckResult, tmp_path: Path) -> None:
    """A second process loads the compiled template from Jinja's cache; an edited template is compiled afresh."""
    import jinja2

    from factcheck.report import environment

    env = environment()
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
    render(sample, "md")
    assert env.loader is not None
    source, filename, _ = env.loader.get_source(env, "report.md.j2")
    bucket = env.bytecode_cache.get_bucket(env, "report.md.j2", filename, source)
    assert bucket.code is not None  # stored by the render above (or an earlier one) and read back
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.md.j2").write_text("edited {{ report.story }}\n", encoding="utf-8")
    assert render(sample, "md", templates=templates).startswith("edited ")
