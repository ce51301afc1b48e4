"""The peer benchmark's mapping, matching and P/R/F1 arithmetic, on tiny hand-made cases of each peer schema.

Self-contained: never reads ../shared/peer and never imports quantulum3.
"""

from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import bench_peer  # noqa: E402
import peer_cases as pc  # noqa: E402
from peer_cases import Case, Counts, Prediction, Reading  # noqa: E402


def pred(text: str, surface: str, kind: str, *readings: Reading) -> Prediction:
    start = text.index(surface)
    return Prediction(start, start + len(surface), surface, kind, readings)


def score(cases: list[Case], predictions: dict[int, list[Prediction]], tier: str = pc.CORE) -> Counts:
    total = Counts()
    for case in cases:
        if case.tier != tier or case.out_of_scope:
            continue
        for counts in pc.counts_by_kind(pc.match(case, predictions.get(case.index, []))).values():
            total += counts
    return total


# ---------------------------------------------------------------- Recognizers-Text *Model.json (Start, End inclusive)

CURRENCY_TEXT = ["It paid $ 75 million and 3 euros.", "Shares rose 5% on 300 orders.", "10 $ 30 $"]
CURRENCY_DATA: list[dict[str, Any]] = [
    {"Input": CURRENCY_TEXT[0], "Results": [
        {"Text": "$ 75 million", "TypeName": "currency", "Start": 8, "End": 19,
         "Resolution": {"value": "75000000", "unit": "Dollar"}},
        {"Text": "3 euros", "TypeName": "currency", "Start": 25, "End": 31,
         "Resolution": {"value": "3", "unit": "Euro", "isoCurrency": "EUR"}}]},
    {"Input": CURRENCY_TEXT[1], "Results": []},  # a negative case: any money read here is false
    {"Input": CURRENCY_TEXT[2], "NotSupported": "javascript", "Results": [
        {"Text": "10 $", "TypeName": "currency", "Start": 0, "End": 3,
         "Resolution": {"value": "10", "unit": "Dollar"}}]},
]
CURRENCY_PREDICTIONS = {
    0: [pred(CURRENCY_TEXT[0], "$ 75 million", pc.MONEY, Reading(75e6, None, "USD")),  # right
        pred(CURRENCY_TEXT[0], "3 euros", pc.MONEY, Reading(3.0, None, "USD"))],  # wrong currency: fp + fn
    1: [pred(CURRENCY_TEXT[1], "5%", pc.PERCENT, Reading(5.0)),  # the suite annotates no percent: not judged
        pred(CURRENCY_TEXT[1], "300", pc.MONEY, Reading(300.0, None, "USD"))],  # false positive
}


def test_rt_model_schema_offsets_and_units() -> None:
    cases = pc.rt_cases("CurrencyModel", CURRENCY_DATA)
    assert [e.text for e in cases[0].expected] == ["$ 75 million", "3 euros"]
    assert cases[0].expected[0].readings == (Reading(75e6, None, "USD"),)
    assert cases[0].expected[1].readings == (Reading(3.0, None, "EUR"),)
    assert [c.tier for c in cases] == [pc.CORE, pc.CORE, pc.STRETCH]


def test_rt_model_schema_scores() -> None:
    cases = pc.rt_cases("CurrencyModel", CURRENCY_DATA)
    core = score(cases, CURRENCY_PREDICTIONS)
    assert core == Counts(tp=1, fp=2, fn=1)
    assert core.precision == pytest.approx(1 / 3)
    assert (core.recall, core.f1) == (0.5, 0.4)
    assert score(cases, CURRENCY_PREDICTIONS, pc.STRETCH) == Counts(tp=0, fp=0, fn=1)


# ---------------------------------------------------------------- DateExtractor.json (Start, Length; spans only)

DATE_TEXT = ["i'll go back on 4/22", "i'll go back today", "i'll pay $5 in 2019"]
DATE_DATA: list[dict[str, Any]] = [
    {"Input": DATE_TEXT[0], "Results": [{"Text": "4/22", "Type": "date", "Start": 16, "Length": 4}]},
    {"Input": DATE_TEXT[1], "Results": [{"Text": "today", "Type": "date", "Start": 13, "Length": 5}]},
    {"Input": DATE_TEXT[2], "Results": []},
]
DATE_PREDICTIONS = {
    0: [pred(DATE_TEXT[0], "on 4/22", pc.DATE, Reading(unit="--04-22"))],  # overlap is enough: no value to check
    2: [pred(DATE_TEXT[2], "$5", pc.MONEY, Reading(5.0, None, "USD")),  # not annotated here: not judged
        pred(DATE_TEXT[2], "2019", pc.DATE, Reading(unit="2019"))],  # false positive
}


def test_date_extractor_schema_scores() -> None:
    cases = pc.rt_cases("DateExtractor", DATE_DATA)
    assert [e.text for c in cases for e in c.expected] == ["4/22", "today"]
    counts = score(cases, DATE_PREDICTIONS)
    assert counts == Counts(tp=1, fp=1, fn=1)
    assert (counts.precision, counts.recall, counts.f1) == (0.5, 0.5, 0.5)


# ---------------------------------------------------------------- quantulum3 (surfaces, no offsets)

Q3_TEXT = ["It weighs 2 kilograms and costs $3.", "Treatment was 44 mg to 50 mg.",
           "Its 30 C outside and 12 people came."]
Q3_DATA: list[dict[str, Any]] = [
    {"req": Q3_TEXT[0], "res": [{"value": 2, "unit": "kilogram", "surface": "2 kilograms"},
                                {"value": 3, "unit": "dollar", "surface": "$3"}]},
    {"req": Q3_TEXT[1], "res": [{"value": 47, "unit": "milligram", "surface": "44 mg to 50 mg", "uncertainty": 3}]},
    {"req": Q3_TEXT[2], "res": [{"value": 30, "unit": "degree Celsius", "surface": "30 C"},
                                {"value": 12, "unit": "dimensionless", "surface": "12"}]},
]


def mention(text: str, surface: str, kind: str, value: str, unit: str, high: str | None = None) -> SimpleNamespace:
    """A stand-in for factcheck's Mention with the fields the benchmark reads."""
    start = text.index(surface)
    return SimpleNamespace(start=start, end=start + len(surface), text=surface, kind=kind, value=Decimal(value),
                           unit=unit, high=Decimal(high) if high else None)


Q3_MENTIONS = {
    0: [mention(Q3_TEXT[0], "2 kilograms", "quantity", "2", "kg"), mention(Q3_TEXT[0], "$3", "money", "3", "USD")],
    # factcheck keeps the range; quantulum3's suite states its midpoint: either reading matches.
    1: [mention(Q3_TEXT[1], "44 mg to 50 mg", "quantity", "0.000044", "kg", "0.000050")],
    2: [mention(Q3_TEXT[2], "30 C", "quantity", "30", "kg"),  # overlaps the out-of-scope temperature: not judged
        mention(Q3_TEXT[2], "12 people", "count", "12", "people")],
}


def test_quantulum_schema_locates_surfaces_and_scopes() -> None:
    cases = pc.q3_cases("q3:quantities", Q3_DATA)
    temperature, people = cases[2].expected
    assert (temperature.start, temperature.out_of_scope) == (4, "temperature")
    assert (people.text, people.kind, people.out_of_scope) == ("12", pc.COUNT, "")
    assert Reading(47e-6, None, "kg") in cases[1].expected[0].readings


def test_quantulum_schema_scores_factcheck_mentions() -> None:
    cases = pc.q3_cases("q3:quantities", Q3_DATA)
    predictions = {i: bench_peer.factcheck_predictions(ms) for i, ms in Q3_MENTIONS.items()}
    assert score(cases, predictions) == Counts(tp=4, fp=0, fn=0)
    predictions[0] = predictions[0][:1]  # lose the money: recall 3/4, precision stays 1
    counts = score(cases, predictions)
    assert (counts.precision, counts.recall) == (1.0, 0.75)
    assert counts.f1 == pytest.approx(float(Fraction(2 * 3, 2 * 3 + 1)))


# ---------------------------------------------------------------- normalization tables

@pytest.mark.parametrize(("name", "dimension", "factor"), [
    ("Kilometer per hour", "m*s^-1", 1 / 3.6),
    ("megawatt hour", "J", 3.6e9),
    ("square kilometre", "m^2", 1e6),
    ("joule per square metre per year", "J*m^-2*s^-1", 1 / 31557600),
    ("inverse femtobarn", "unit:inverse femtobarn", 1.0),
], ids=["speed", "energy", "area", "chained-per", "unknown"])
def test_unit_factors(name: str, dimension: str, factor: float) -> None:
    (got_dimension, got_factor), = pc.unit_factors(name)
    assert got_dimension == dimension
    assert math.isclose(got_factor, factor, rel_tol=1e-9)


@pytest.mark.parametrize(("values", "names"), [
    ([{"timex": "(2017-01-01,2017-04-01,P3M)", "type": "daterange", "start": "2017-01-01", "end": "2017-04-01"}],
     ["2017-Q1"]),
    ([{"timex": "XXXX-08", "type": "daterange", "start": "2016-08-01"}], ["--08", "2016-08"]),
    ([{"timex": "2016-W45", "type": "daterange", "start": "2016-11-07", "end": "2016-11-14"}], ["<2016-W45>"]),
], ids=["quarter", "month-without-year", "week-inexpressible"])
def test_date_readings(values: list[dict[str, str]], names: list[str]) -> None:
    assert [r.unit for r in pc.date_readings({"values": values})] == names


def test_bare_number_is_out_of_scope_but_counted_noun_is_scored() -> None:
    data = [{"Input": "I saw 300 cars and 12.", "Results": [
        {"Text": "300", "TypeName": "number", "Start": 6, "End": 8, "Resolution": {"value": "300"}},
        {"Text": "12", "TypeName": "number", "Start": 19, "End": 20, "Resolution": {"value": "12"}}]}]
    case, = pc.rt_cases("NumberModel", data)
    assert [e.out_of_scope for e in case.expected] == ["", "bare number (no counted noun)"]
    # A count read over the out-of-scope "12" is neither right nor wrong.
    predictions = [pred(case.text, "300 cars", pc.COUNT, Reading(300.0)),
                   pred(case.text, "12", pc.COUNT, Reading(12.0))]
    assert pc.counts_by_kind(pc.match(case, predictions)) == {pc.COUNT: Counts(tp=1)}


def test_out_of_scope_suite_is_listed_not_scored() -> None:
    data = [{"Input": "She was five years old.", "Results": [
        {"Text": "five years old", "TypeName": "age", "Start": 8, "End": 21,
         "Resolution": {"value": "5", "unit": "Year"}}]}]
    case, = pc.rt_cases("AgeModel", data)
    assert case.out_of_scope == "age"
