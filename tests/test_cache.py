"""The extraction cache, parallel extraction, and a --help that does not import spaCy."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from spacy.language import Language

from factcheck import pipeline
from factcheck.cache import article_key, cache_path, catalog_digest, dumps, loads, pipeline_version
from factcheck.catalog import load_catalog
from factcheck.cli import main
from factcheck.extract import Extraction, extract_all
from factcheck.extract import run as extract_run
from factcheck.model import Catalog, CheckResult, Dropped, Kind, Mention, Modality, Period, Qualifier, Source
from factcheck.pipeline import Settings, check

REPO = Path(__file__).resolve().parent.parent


def outcome(result: CheckResult) -> tuple[object, ...]:
    """Everything a check concludes (not where the story lives)."""
    return result.mentions, result.dropped, result.claims, result.facts, result.findings, result.stale, result.gate


def spy_extract_all(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the ids of the articles the pipeline actually reads."""
    read: list[str] = []

    def spy(sources: Iterable[Source], nlp: Language, catalog: Catalog = Catalog()) -> Iterable[Extraction]:
        sources = list(sources)
        read.extend(s.id for s in sources)
        return extract_all(sources, nlp, catalog)
    monkeypatch.setattr(extract_run, "extract_all", spy)  # where the pipeline looks it up at call time
    return read


def rows(story: Path) -> int:
    with sqlite3.connect(cache_path(story)) as conn:
        count: int = conn.execute("SELECT count(*) FROM extraction").fetchone()[0]
        return count


# ---------------------------------------------------------------- round trip

RICH = Mention(source_id="x", start=3, end=17, text="about $1.25bn", sentence="It pays about $1.25bn a month.",
               sentence_start=0, kind=Kind.MONEY, value=Decimal("1.25E+9"), unit="USD", period=Period.MONTH,
               qualifier=Qualifier.APPROXIMATELY, modality=Modality.PLANNED, high=Decimal("1.50E+9"),
               subject="fee", precision=Decimal("1E+7"), in_headline=True, score=93.3333333333333, matched="bn")


@pytest.mark.parametrize("mention", [
    RICH,
    dataclasses.replace(RICH, value="2029-05", kind=Kind.DATE, unit="date", high=None, precision=None),
    dataclasses.replace(RICH, value=None, kind=Kind.ENTITY, unit="hardware", text="“Grok” chips — ünïcode"),
    dataclasses.replace(RICH, value=Decimal("0.500"), precision=Decimal("0.001")),
], ids=["decimal-exponents", "iso-text-value", "entity-unicode", "trailing-zeros"])
def test_mention_round_trip_is_exact(mention: Mention) -> None:
    extraction = Extraction("x", (mention,), (Dropped("x", 0, 4, "2024", "list number"),))
    back = loads(dumps(extraction), "x")
    assert back == extraction
    assert [str(m.value) for m in back.mentions] == [str(mention.value)]  # exponent kept, not just equal
    assert all(type(getattr(b, f.name)) is type(getattr(mention, f.name))
               for b in back.mentions for f in dataclasses.fields(Mention))


def test_seed_extractions_round_trip(seed_story: Path, nlp: Language) -> None:
    result = check(seed_story, nlp, Settings(cache=False))
    by_source: dict[str, list[Mention]] = {}
    for m in result.mentions:
        by_source.setdefault(m.source_id, []).append(m)
    for source_id, mentions in by_source.items():
        dropped = tuple(d for d in result.dropped if d.source_id == source_id)
        extraction = Extraction(source_id, tuple(mentions), dropped)
        assert loads(dumps(extraction), source_id) == extraction


# ---------------------------------------------------------------- keys

SOURCE = Source(id="a", path=Path("sources/a.md"), text="It costs $5 billion.", title="Deal",
                published=date(2026, 5, 1))
VERSION = pipeline_version(("news_sentences", "figure_ruler"))


@pytest.mark.parametrize("change, same", [
    (lambda s: dataclasses.replace(s, id="b", path=Path("elsewhere/b.md")), True),
    (lambda s: dataclasses.replace(s, body_line=9), True),
    (lambda s: dataclasses.replace(s, text="It costs $6 billion."), False),
    (lambda s: dataclasses.replace(s, title="Another headline"), False),
    (lambda s: dataclasses.replace(s, published=date(2026, 6, 1)), False),
    (lambda s: dataclasses.replace(s, published=None), False),
], ids=["id-and-path-ignored", "body-line-ignored", "text", "title", "published", "published-unknown"])
def test_article_key_follows_content(change: Callable[[Source], Source], same: bool) -> None:
    assert (article_key(change(SOURCE), VERSION, "cat") == article_key(SOURCE, VERSION, "cat")) is same


def test_key_changes_with_catalogue_and_pipeline(seed_story: Path) -> None:
    catalog = load_catalog(seed_story)
    edited = seed_story / "claims" / "facts.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert catalog_digest(load_catalog(seed_story)) != catalog_digest(catalog)
    assert catalog_digest(Catalog()) != catalog_digest(catalog)
    base = article_key(SOURCE, VERSION, catalog_digest(catalog))
    assert article_key(SOURCE, VERSION, catalog_digest(load_catalog(seed_story))) != base
    assert article_key(SOURCE, pipeline_version(("tagger",)), catalog_digest(catalog)) != base


# ---------------------------------------------------------------- hits and misses

def test_unchanged_articles_are_not_read_again(seed_story: Path, nlp: Language,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    first = check(seed_story, nlp)
    assert rows(seed_story) == len(first.sources)
    read = spy_extract_all(monkeypatch)
    second = check(seed_story, nlp)
    assert read == []
    assert outcome(second) == outcome(first)

    article = sorted((seed_story / "sources").iterdir())[1]
    article.write_text(article.read_text(encoding="utf-8") + "\nIt also pays $7 million a week.\n", encoding="utf-8")
    third = check(seed_story, nlp)
    assert read == [s.id for s in third.sources if s.path == article]
    assert len(third.mentions) > len(first.mentions)
    assert rows(seed_story) == len(first.sources)  # the old version's row is gone


def test_catalogue_edit_reads_every_article(seed_story: Path, nlp: Language, monkeypatch: pytest.MonkeyPatch) -> None:
    check(seed_story, nlp)
    read = spy_extract_all(monkeypatch)
    facts = seed_story / "claims" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    result = check(seed_story, nlp)
    assert sorted(read) == sorted(s.id for s in result.sources)


def test_no_cache_writes_nothing(seed_story: Path, nlp: Language) -> None:
    check(seed_story, nlp, Settings(cache=False))
    assert not cache_path(seed_story).exists()


@pytest.mark.parametrize("settings", [Settings(cache=True), Settings(cache=True, jobs=2),
                                      Settings(cache=False, jobs=2)],
                         ids=["cached", "cached-jobs-2", "uncached-jobs-2"])
def test_results_identical_to_a_plain_run(seed_story: Path, nlp: Language, settings: Settings) -> None:
    plain = outcome(check(seed_story, nlp, Settings(cache=False, jobs=1)))
    assert outcome(check(seed_story, nlp, settings)) == plain
    assert outcome(check(seed_story, nlp, settings)) == plain  # second run: from the cache when enabled


def test_jobs_split_work_across_processes(seed_story: Path, nlp: Language) -> None:
    sources = check(seed_story, nlp, Settings(cache=False)).sources
    catalog = load_catalog(seed_story)
    serial = pipeline.extract_many(sources, nlp, catalog, jobs=1)
    seen: list[tuple[int, int]] = []
    parallel = pipeline.extract_many(sources, nlp, catalog, jobs=2, progress=lambda i, n: seen.append((i, n)))
    assert parallel == serial
    assert [e.source_id for e in parallel] == [s.id for s in sources]
    assert seen[-1] == (len(sources), len(sources)) and len(seen) == 2  # two workers, one chunk each


# ---------------------------------------------------------------- damage and concurrency

@pytest.mark.parametrize("garbage", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000],
                         ids=["text", "bad-header"])
def test_corrupt_cache_is_rebuilt_with_a_warning(seed_story: Path, nlp: Language, garbage: bytes) -> None:
    expected = outcome(check(seed_story, nlp, Settings(cache=False)))
    cache_path(seed_story).parent.mkdir(parents=True)
    cache_path(seed_story).write_bytes(garbage)
    warnings: list[str] = []
    assert outcome(check(seed_story, nlp, warnings=warnings)) == expected
    assert any("cache is damaged" in w and "rebuilding" in w for w in warnings), warnings
    assert rows(seed_story) == 5
    again: list[str] = []
    assert outcome(check(seed_story, nlp, warnings=again)) == expected
    assert again == []


def test_corrupt_cache_through_the_cli(seed_story: Path) -> None:
    cache_path(seed_story).parent.mkdir(parents=True)
    cache_path(seed_story).write_bytes(b"garbage" * 1000)
    result = CliRunner().invoke(main, ["check", str(seed_story), "--no-html"])
    assert result.exit_code == 1, result.output
    assert "cache is damaged" in result.output and "FAIL: 3 unresolved contradictions" in result.output


def test_two_checks_at_once_do_not_corrupt_the_cache(seed_story: Path) -> None:
    command = [sys.executable, "-m", "factcheck.cli", "check", str(seed_story), "--no-html", "--json", "-"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [1, 1], outputs
    assert outputs[0][0] == outputs[1][0] and b'"gate"' in outputs[0][0]
    assert all(b"cache" not in err for _, err in outputs), outputs
    with sqlite3.connect(cache_path(seed_story)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert rows(seed_story) == 5
    third = subprocess.run(command, capture_output=True, timeout=120)
    assert third.stdout == outputs[0][0] and third.stderr == b""


# ---------------------------------------------------------------- command line

@pytest.mark.parametrize("args", [["--jobs", "2"], ["--no-cache"], ["-j", "0", "--no-cache"]],
                         ids=["jobs-2", "no-cache", "jobs-all-cpus"])
def test_cli_options_keep_the_report(seed_story: Path, args: list[str]) -> None:
    runner = CliRunner()
    base = runner.invoke(main, ["check", str(seed_story), "--no-html", "--json", "-", "--no-cache"])
    result = runner.invoke(main, ["check", str(seed_story), "--no-html", "--json", "-", *args])
    assert (result.exit_code, result.output) == (base.exit_code, base.output)
    assert base.exit_code == 1
    assert cache_path(seed_story).exists() is ("--no-cache" not in args)


def test_cli_rejects_negative_jobs(seed_story: Path) -> None:
    result = CliRunner().invoke(main, ["check", str(seed_story), "--jobs", "-1"])
    assert result.exit_code == 2 and "--jobs" in result.output


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]], ids=["main", "check"])
def test_help_does_not_import_spacy(args: list[str]) -> None:
    code = ("import sys; from click.testing import CliRunner; from factcheck.cli import main; "
            f"r = CliRunner().invoke(main, {args!r}); print(r.exit_code, 'spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert out.stdout.split() == ["0", "False"], out.stderr
