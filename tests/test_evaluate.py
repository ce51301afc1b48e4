"""Tests of the gold-mention scorer (factcheck.evaluate) and of the extractor against the gold stories."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from factcheck.catalog import load_catalog
from factcheck.errors import InputError
from factcheck.evaluate import (
    GoldMention, evaluate_story, format_errors, format_table, load_gold, load_gold_findings, score,
)
from factcheck.model import Kind, Mention, Modality, Period, Qualifier
from factcheck.sources import load_sources

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "gold"
TEXT = "Anthropic will pay xAI $1.25 billion per month through May 2029 for 300 megawatts."
MIN_F1 = 0.90


def gold_mention(surface: str, kind: Kind, value: Decimal | str | None, unit: str, **kw: object) -> GoldMention:
    """A gold mention of TEXT in source 's'."""
    return GoldMention(source_id="s", surface=surface, kind=kind, value=value, unit=unit, **kw)  # type: ignore[arg-type]


def predicted(surface: str, kind: Kind, value: Decimal | str | None, unit: str, text: str = TEXT,
              **kw: object) -> Mention:
    """A predicted mention of `surface` in `text`."""
    start = text.index(surface)
    return Mention(source_id="s", start=start, end=start + len(surface), text=surface, sentence=text,
                   sentence_start=0, kind=kind, value=value, unit=unit, **kw)  # type: ignore[arg-type]


FEE = gold_mention("$1.25 billion per month", Kind.MONEY, Decimal("1250000000"), "USD", period=Period.MONTH)
END = gold_mention("May 2029", Kind.DATE, "2029-05", "date")
POWER = gold_mention("300 megawatts", Kind.POWER, Decimal(300), "MW")

# (gold, predicted, expected (gold, predicted, correct) totals, expected error types)
CASES = [
    pytest.param([FEE], [predicted("$1.25 billion", Kind.MONEY, Decimal("1.25E+9"), "USD", period=Period.MONTH)],
                 (1, 1, 1), [], id="correct-match"),
    pytest.param([FEE], [predicted("$1.25 billion per month", Kind.MONEY, Decimal("1250000000.0000001"), "USD",
                                   period=Period.MONTH)],
                 (1, 1, 1), [], id="within-relative-tolerance"),
    pytest.param([FEE], [predicted("$1.25 billion per month", Kind.MONEY, Decimal("1000000000"), "USD",
                                   period=Period.MONTH)],
                 (1, 1, 0), ["wrong"], id="wrong-value"),
    pytest.param([FEE], [predicted("$1.25 billion", Kind.MONEY, Decimal("1250000000"), "USD")],
                 (1, 1, 0), ["wrong"], id="wrong-period"),
    pytest.param([FEE], [predicted("$1.25 billion per month", Kind.MONEY, Decimal("1250000000"), "USD",
                                   period=Period.MONTH, modality=Modality.PLANNED)],
                 (1, 1, 0), ["wrong"], id="wrong-modality"),
    pytest.param([FEE], [predicted("$1.25 billion per month", Kind.MONEY, Decimal("1250000000"), "USD",
                                   period=Period.MONTH, qualifier=Qualifier.APPROXIMATELY)],
                 (1, 1, 0), ["wrong"], id="wrong-qualifier"),
    pytest.param([END], [predicted("May 2029", Kind.DATE, "2029-05", "date")], (1, 1, 1), [], id="date-match"),
    pytest.param([END], [predicted("May 2029", Kind.DATE, "2029-05-31", "date")], (1, 1, 0), ["wrong"],
                 id="date-wrong-value"),
    pytest.param([FEE, END], [predicted("May 2029", Kind.DATE, "2029-05", "date")], (2, 1, 1), ["missed"],
                 id="miss"),
    pytest.param([END], [predicted("May 2029", Kind.DATE, "2029-05", "date"),
                         predicted("300 megawatts", Kind.POWER, Decimal(300), "MW")], (1, 2, 1), ["spurious"],
                 id="spurious"),
    pytest.param([POWER], [predicted("300 megawatts", Kind.COUNT, Decimal(300), "megawatt")], (1, 1, 0),
                 ["wrong_kind"], id="wrong-kind"),
    pytest.param([END], [predicted("May 2029", Kind.DATE, "2029-05", "date"),
                         predicted("xAI", Kind.ENTITY, "xai", "party")], (1, 1, 1), [], id="entity-ignored"),
    pytest.param([END], [predicted("May 2029", Kind.DATE, "2029-05", "date"),
                         predicted("May", Kind.DATE, "--05", "date")], (1, 2, 1), ["spurious"],
                 id="one-to-one-largest-overlap"),
]


@pytest.mark.parametrize(("gold", "preds", "totals", "errors"), CASES)
def test_score(gold: list[GoldMention], preds: list[Mention], totals: tuple[int, int, int],
               errors: list[str]) -> None:
    scores = score({"s": gold}, {"s": preds}, {"s": TEXT})
    assert (scores.total.gold, scores.total.predicted, scores.total.correct) == totals
    assert sorted(e.error for e in scores.errors) == sorted(errors)


def test_rates_and_table() -> None:
    scores = score({"s": [FEE, END]}, {"s": [predicted("May 2029", Kind.DATE, "2029-05", "date"),
                                             predicted("300 megawatts", Kind.POWER, Decimal(300), "MW")]},
                   {"s": TEXT})
    date, money, power = scores.kind("date"), scores.kind("money"), scores.kind("power")
    assert date is not None and (date.precision, date.recall, date.f1) == (1.0, 1.0, 1.0)
    assert money is not None and (money.precision, money.recall, money.f1) == (1.0, 0.0, 0.0)
    assert power is not None and (power.precision, power.recall, power.f1) == (0.0, 1.0, 0.0)
    assert scores.total.precision == 0.5 and scores.total.recall == 0.5
    table = format_table(scores)
    assert table.splitlines()[0].split()[:3] == ["kind", "gold", "pred"]
    assert "all" in table
    wrong = score({"s": [FEE]}, {"s": [predicted("$1.25 billion", Kind.MONEY, Decimal(10) ** 9, "USD",
                                                 period=Period.MONTH)]}, {"s": TEXT})
    assert wrong.errors[0].fields == ("value",)
    assert "expected money 1250000000 USD/month" in format_errors(wrong)


def test_occurrence_picks_the_nth_surface() -> None:
    text = "May 2029 or May 2029"
    second = gold_mention("May 2029", Kind.DATE, "2029-05", "date", occurrence=2)
    scores = score({"s": [second]}, {"s": [Mention("s", 12, 20, "May 2029", text, 0, Kind.DATE, "2029-05", "date")]},
                   {"s": text})
    assert scores.total.correct == 1


def test_surface_not_in_article_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not found"):
        score({"s": [gold_mention("$2 billion", Kind.MONEY, Decimal(2e9), "USD")]}, {}, {"s": TEXT})


@pytest.mark.parametrize(("yaml_text", "message", "line"), [
    pytest.param("mentions:\n  s:\n    - {surface: x, kind: money, unit: USD, colour: red}\n", "unknown key 'colour'", 3,
                 id="unknown-key"),
    pytest.param("mentions:\n  s:\n    - surface: x\n      kind: cash\n      unit: USD\n", "'kind' is 'cash'", 4,
                 id="bad-kind"),
    pytest.param("mentions:\n  s:\n    - {surface: x, kind: money}\n", "needs 'unit'", 3, id="missing-unit"),
    pytest.param("mentions:\n  s:\n    - {surface: x, kind: money, unit: USD, value: lots}\n", "must be a number", 3,
                 id="bad-value"),
    pytest.param("mentions: [1, 2\n", "malformed YAML", 2, id="malformed"),
])
def test_load_gold_errors(tmp_path: Path, yaml_text: str, message: str, line: int) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        load_gold(path)
    assert info.value.path == path and info.value.line == line


def test_load_gold_reads_values(tmp_path: Path) -> None:
    path = tmp_path / "gold.yaml"
    path.write_text("mentions:\n  s:\n    - {surface: 'x', kind: date, value: 2029-05-31, unit: date}\n"
                    "    - {surface: 'y', kind: money, value: 1.25e9, unit: USD, period: month, high: null}\n",
                    encoding="utf-8")
    gold = load_gold(path)["s"]
    assert gold[0].value == "2029-05-31" and gold[0].line == 3
    assert gold[1].value == Decimal("1.25e9") and gold[1].period == Period.MONTH


# ---------------------------------------------------------------- the gold stories

STORIES = sorted(p for p in GOLD.iterdir() if (p / "sources").is_dir())


@pytest.mark.parametrize("story", STORIES, ids=lambda p: p.name)
def test_gold_story_is_consistent(story: Path) -> None:
    """Every gold surface is in its article, every article is annotated, every finding names a catalogued fact."""
    gold = load_gold(story / "gold.yaml")
    texts = {s.id: s.text for s in load_sources(story).sources}
    assert set(gold) == set(texts)
    assert 3 <= len(texts) <= 5
    score(gold, {}, texts)  # raises when a surface is not found
    facts = {f.id for f in load_catalog(story).facts}
    findings = load_gold_findings(story / "gold.yaml")
    # Discovered facts ("~...") need no catalogue entry.
    assert findings and {f.fact for f in findings if not f.fact.startswith("~")} <= facts
    assert sum(f.kind == "contradiction" for f in findings) >= 1


def test_seed_gold_is_consistent() -> None:
    gold = load_gold(GOLD / "seeds" / "gold.yaml")
    texts = {s.id: s.text for s in load_sources(ROOT).sources}
    assert set(gold) == set(texts)
    score(gold, {}, texts)
    facts = {f.id for f in load_catalog(ROOT).facts}
    assert {f.fact for f in load_gold_findings(GOLD / "seeds" / "gold.yaml")} <= facts


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    from factcheck.nlp import build_pipeline
    return build_pipeline()


def _story_params() -> list[object]:
    return [pytest.param(name, id=name) for name in ["seeds", *(p.name for p in STORIES)]]


@pytest.mark.parametrize("name", _story_params())
def test_extractor_f1_per_kind(name: str, nlp, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    if name == "seeds":
        scores = evaluate_story(ROOT, nlp, GOLD / "seeds" / "gold.yaml")
    else:
        scores = evaluate_story(GOLD / name, nlp)
    low = {k.kind: round(k.f1, 2) for k in scores.kinds if k.f1 < MIN_F1}
    assert not low, f"F1 below {MIN_F1}: {low}\n{format_errors(scores)}"


@pytest.mark.parametrize("story", STORIES, ids=lambda p: p.name)
def test_planted_contradictions_found_and_nothing_unlisted(story: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    """Every contradiction the gold plants is found, and no finding is raised that the gold does not list."""
    from factcheck.pipeline import Settings, check

    result = check(story, nlp, Settings(cache=False))  # gold folders stay untouched
    got = {(f.kind.value, f.fact_id) for f in result.findings}
    gold = {(f.kind, f.fact) for f in load_gold_findings(story / "gold.yaml")}
    planted = {g for g in gold if g[0] == "contradiction"}
    assert planted <= got, f"missed: {sorted(planted - got)}"
    assert got <= gold, f"not in the gold: {sorted(got - gold)}"


# With an empty catalogue only discovered facts exist: the numeric contradictions must still
# be found, and nothing else may be called a contradiction (entity framings need a catalogue).
EMPTY_CATALOGUE = [
    ("harbor-bridge", ["count: jobs"]),  # discovered facts, named by kind and the measure their frames read
    ("vaccine-plant", ["percent: stake"]),
    ("chip-fab", ["power: power demand"]),
    ("seeds", []),
]


@pytest.mark.parametrize("name,expected", EMPTY_CATALOGUE, ids=[e[0] for e in EMPTY_CATALOGUE])
def test_empty_catalogue_finds_numeric_contradictions_only(name: str, expected: list[str], nlp,  # type: ignore[no-untyped-def]
                                                           tmp_path: Path) -> None:
    import shutil

    from factcheck.pipeline import check

    source_dir = ROOT / "sources" if name == "seeds" else GOLD / name / "sources"
    shutil.copytree(source_dir, tmp_path / "sources")
    result = check(tmp_path, nlp)
    facts = {f.id: f for f in result.facts}
    assert sorted(f"{facts[f.fact_id].kind.value}: {facts[f.fact_id].measure}" for f in result.findings
                  if f.kind.value == "contradiction") == expected


RECALL = Path(__file__).parent / "fixtures" / "recall-trial"


@pytest.mark.parametrize("catalogue,expected", [
    (True, [("contradiction", "bikes_recalled"), ("contradiction", "cause"), ("discrepancy", "recall_cost")]),
    (False, [("contradiction", "~count-bike-units-vantor"), ("discrepancy", "~money-usd-fee-vantor")]),
], ids=["editor-catalogue", "no-catalogue"])
def test_blind_trial_story_raises_its_planted_conflicts_only(catalogue: bool, expected: list[tuple[str, str]],  # type: ignore[no-untyped-def]
                                                            nlp, tmp_path: Path) -> None:
    import shutil

    from factcheck.pipeline import Settings, check

    shutil.copytree(RECALL / "sources", tmp_path / "sources")
    if catalogue:
        shutil.copytree(RECALL / "claims", tmp_path / "claims")
    result = check(tmp_path, nlp, Settings(cache=False))
    got = sorted((f.kind.value, f.fact_id) for f in result.findings
                 if f.kind.value in ("contradiction", "discrepancy"))
    assert got == expected
