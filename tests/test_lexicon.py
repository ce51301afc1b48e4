"""Currencies and units are data: adding one is an edit of a lexicon file, never of code.

A newsroom names its own files in FACTCHECK_LEXICON; they extend the built-in ones
(factcheck/lexicon/en/*.yaml). The patterns are built at import, so each case runs in
a fresh process, as a user's would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.lexicon import LEXICON_ENV, load_lexicon

EXTRA = """\
currencies:
  - {code: ZAR, before: [r], after: [rand]}
units:
  - {unit: furlong, kind: quantity, words: {furlong: '1', furlongs: '1'}}
"""
TEXT = "Track deal\nThe course, 12 furlongs long, was sold for R2.5bn on Monday.\n"


def extract(tmp_path: Path, extra: str | None) -> str:
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != LEXICON_ENV}
    if extra is not None:
        (tmp_path / "newsroom.yaml").write_text(extra, encoding="utf-8")
        env[LEXICON_ENV] = str(tmp_path / "newsroom.yaml")
    done = subprocess.run([sys.executable, "-c", "import factcheck; factcheck.main()", "extract", str(article)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_currency_and_a_unit_are_one_data_edit_each(tmp_path: Path) -> None:
    before = rows(extract(tmp_path, None))
    assert ("money", "ZAR") not in before and ("quantity", "furlong") not in before  # "12 furlongs" is a count
    after = rows(extract(tmp_path, EXTRA))
    assert ("money", "ZAR") in after and ("quantity", "furlong") in after


def rows(table: str) -> set[tuple[str, str]]:
    """(kind, unit) of each row of `factcheck extract`'s table."""
    lines = table.splitlines()
    header = lines[0].split()
    kind, unit = header.index("kind"), header.index("unit")
    return {(cells[kind], cells[unit]) for cells in (line.split() for line in lines[1:]) if len(cells) > unit}


def test_a_missing_lexicon_file_is_a_clear_error(tmp_path: Path) -> None:
    env = {**os.environ, LEXICON_ENV: str(tmp_path / "nope.yaml")}
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "import factcheck; factcheck.main()", "extract", str(article)], capture_output=True,
                          text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "nope.yaml" in done.stderr and LEXICON_ENV in done.stderr


@pytest.mark.parametrize("code, mark", [("MYR", "rm"), ("EUR", "€"), ("GBP", "£"), ("HKD", "hk$")])
def test_built_in_currencies_come_from_the_data_file(code: str, mark: str) -> None:
    assert any(c.code == code and mark in c.before for c in load_lexicon().currencies)


def test_an_extra_lexicon_file_is_part_of_the_cache_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from factcheck.cache import pipeline_version

    extra = tmp_path / "newsroom.yaml"
    extra.write_text(EXTRA, encoding="utf-8")
    plain = pipeline_version()
    monkeypatch.setenv(LEXICON_ENV, str(extra))
    with_extra = pipeline_version()
    extra.write_text(EXTRA.replace("rand", "rands"), encoding="utf-8")
    assert len({plain, with_extra, pipeline_version()}) == 3  # an edit of the newsroom's file re-reads articles


@pytest.mark.parametrize("text, expect", [
    ("currencies:\n  - {code: ZAR, before: [r\n", "newsroom.yaml:3: malformed YAML"),
    ("currencies:\n  - {before: [r]}\n", "newsroom.yaml:2: a currency needs code"),
    ("units:\n  - {unit: furlong, kind: length, words: {furlong: '1'}}\n", "newsroom.yaml:2: unknown kind 'length'"),
    ("scales: {mio: six}\n", "newsroom.yaml:1: 'scales' must map words to whole numbers"),
    ("qualifiers:\n  roughly: [give or take]\n", "newsroom.yaml:2: unknown qualifier 'roughly'"),
    ("cause_words: pushed\n", "newsroom.yaml:1: 'cause_words' must be a list of words"),
    ("measures:\n  - {name: ridership, estimated: 'no', words: [riders]}\n",
     "newsroom.yaml:2: 'estimated' must be true or false"),
    ("measures:\n  - {name: ridership, words: [riders], alone: [carried]}\n",
     "newsroom.yaml:2: 'alone' must map words to measure names"),
], ids=["syntax", "missing-code", "unknown-kind", "scale-not-a-number", "unknown-qualifier", "word-list-not-a-list",
        "flag-not-a-boolean", "alone-not-a-mapping"])
def test_a_bad_newsroom_lexicon_names_its_line(tmp_path: Path, text: str, expect: str) -> None:
    (tmp_path / "newsroom.yaml").write_text(text, encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text(TEXT, encoding="utf-8")
    env = {**os.environ, LEXICON_ENV: str(tmp_path / "newsroom.yaml")}
    done = subprocess.run([sys.executable, "-c", "import factcheck; factcheck.main()", "extract", str(article)],
                          capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 2 and expect in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1  # one line, no traceback


def test_scales_and_qualifiers_are_data_too(tmp_path: Path) -> None:
    text = "Deal\nThe fund raised €5 mio, a shade under €6 million.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "newsroom.yaml").write_text("scales: {mio: 6}\nqualifiers:\n  under: [\"a shade under\"]\n",
                                            encoding="utf-8")

    def run(extra: bool) -> str:
        env = {k: v for k, v in os.environ.items() if k != LEXICON_ENV}
        if extra:
            env[LEXICON_ENV] = str(tmp_path / "newsroom.yaml")
        done = subprocess.run([sys.executable, "-c", "import factcheck; factcheck.main()", "extract",
                               str(tmp_path / "a.txt")], capture_output=True, text=True, env=env, cwd=tmp_path,
                              timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    before, after = run(False), run(True)
    assert "5000000" not in before and "5000000" in after  # "€5 mio" is five million with the scale
    under = [line for line in after.splitlines() if line.rstrip().endswith("€6 million")]
    assert under and " under " in under[0], after


def test_built_in_word_lists_hold_words_not_yaml_booleans() -> None:
    """YAML 1.1 reads a bare On, No or Yes as a boolean: a word list must quote them ("On a monthly basis")."""
    import yaml

    from factcheck.lexicon import WORD_LISTS, lexicon_files

    for path in lexicon_files("en"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in WORD_LISTS:
            assert all(isinstance(w, str) for w in data.get(key) or []), (path.name, key)
    assert {"On", "No", "Yes"} <= load_lexicon().not_names
