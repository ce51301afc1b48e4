"""Front matter read without YAML (sources.simple_front_matter) reads exactly as YAML would, or defers to it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from factcheck import sources
from factcheck.errors import InputError
from factcheck.sources import split_front_matter

REPO = Path(__file__).resolve().parent.parent
PATH = Path("a.md")


def _by_yaml(text: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    with monkeypatch.context() as patch:
        patch.setattr(sources, "simple_front_matter", lambda _text: None)
        return _outcome(text)


def _outcome(text: str) -> Any:
    try:
        meta, body, line = split_front_matter(text, PATH)
    except InputError as exc:
        return ("error", str(exc))
    return meta, {k: type(v) for k, v in meta.items()}, body, line


def _same(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text) == _by_yaml(text, monkeypatch), text


VALUES = [
    "null", "Null", "~", "", "2026-03-24", "2026-13-45", "2026-3-4", "'2026-03-24'", '"2026-03-24"', "Oct 6, 2025",
    '"Oct 6, 2025"', "2026-03-24T09:00:00+02:00", "12345", "1.5", "0x1f", "yes", "no", "on", "off", "true", "False",
    "y", "n", "Reuters", "a000001", "The Times: London", "a: b", "x #comment", "x#y", "a:b", "https://ex.com/a#b?c=d",
    '"quoted title"', "'single'", "'it''s'", '"esc \\" aped"', '"tab\there"', '"a" b', "' lead'", '"trail "',
    "trail ", "two  spaces", "Ünïcødé – dash", "emoji 😀", "nbsp\u00a0here", "line\u2028sep", "nel\u0085x",
    "bom\ufeffx", "del\x7fx", "&anchor x", "*alias", "!!python/object x", "[1, 2]", "{a: 1}", "- item", "? q",
    "| block", "> fold", "%TAG", "@at", "`tick", "-5", ".inf", ".nan", "<<", "=", "ok, then", "a - b", "a [b]",
]


@pytest.mark.parametrize("key", ["id", "title", "publisher", "url", "published", "author"])
@pytest.mark.parametrize("value", VALUES)
def test_each_value_reads_as_yaml_reads_it(key: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(f"---\n{key}: {value}\n---\nBody text.\n", monkeypatch)


@pytest.mark.parametrize("front", [
    "", "id: a\nid: b\n", "id: a\n\ntitle: b\n", "# comment\nid: a\n", "id:  a\n", "id:a\n", "other: x\n",
    "id: a\n  title: b\n", "title: >\n  folded\n", "id: a\ntitle: \"T\"\npublisher: null\nurl: null\npublished: 2026-01-02\n",
    "Id: a\n", "id: a # note\n",
])
def test_whole_front_matter_reads_as_yaml_reads_it(front: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _same(f"---\n{front}---\nBody\n", monkeypatch)


def test_the_repository_articles_read_as_yaml_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    files = [p for p in REPO.glob("**/*.md") if ".venv" not in p.parts and p.read_text(encoding="utf-8").startswith("---")]
    assert len(files) > 100
    for path in files:
        _same(path.read_text(encoding="utf-8"), monkeypatch)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["id", "title", "publisher", "url", "published", "author"]),
                          st.one_of(st.sampled_from(VALUES), st.text(max_size=20))), max_size=6))
def test_generated_front_matter_reads_as_yaml_reads_it(lines: list[tuple[str, str]]) -> None:
    text = "---\n" + "".join(f"{k}: {v.replace(chr(10), ' ').replace(chr(13), ' ')}\n" for k, v in lines) + "---\nBody\n"
    with pytest.MonkeyPatch.context() as patch:
        _same(text, patch)


def test_front_matter_as_tools_write_it_needs_no_yaml() -> None:
    front = 'id: a000001\ntitle: "Musk\'s xAI: a deal"\npublisher: Reuters\nurl: https://x.com/a#b\npublished: 2026-03-24\n'
    assert sources.simple_front_matter(front) == {"id": "a000001", "title": "Musk's xAI: a deal", "publisher": "Reuters",
                                                  "url": "https://x.com/a#b", "published": date(2026, 3, 24)}
