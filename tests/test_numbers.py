"""Properties: every supported way of writing an amount reads back as the same value."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from spacy.language import Language

from factcheck.extract import extract
from factcheck.extract.numbers import parse_number
from factcheck.model import Kind, Source
from factcheck.sources import line_starts

ONES = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def words(n: int) -> str:
    """English words for 0 <= n < 1000, the way newsrooms write them ("one hundred twenty-five")."""
    if n < 20:
        return ONES[n]
    if n < 100:
        return TENS[n // 10] + ("-" + ONES[n % 10] if n % 10 else "")
    rest = n % 100
    return ONES[n // 100] + " hundred" + (" " + words(rest) if rest else "")


def article(text: str) -> Source:
    return Source(id="p", path=Path("p.txt"), text=text, line_starts=line_starts(text))


SCALES = {"million": 6, "billion": 9}
ABBREVIATIONS = {"million": ["m", "mn", "mln"], "billion": ["B", "bn"]}


@st.composite
def amounts(draw: st.DrawFn) -> tuple[str, Decimal]:
    """An amount and one way to write it."""
    whole = draw(st.integers(min_value=1, max_value=999))
    cents = draw(st.integers(min_value=0, max_value=99))
    scale = draw(st.sampled_from(sorted(SCALES)))
    mantissa = Decimal(whole) + (Decimal(cents) / 100 if cents else 0)
    value = mantissa * Decimal(10) ** SCALES[scale]
    m = f"{mantissa.normalize():f}"
    style = draw(st.sampled_from(["symbol-word", "symbol-abbr", "code", "word-dollars", "digits", "spelled"]))
    if style == "symbol-word":
        text = f"${m} {scale}"
    elif style == "symbol-abbr":
        text = f"${m}{draw(st.sampled_from(ABBREVIATIONS[scale]))}"
    elif style == "code":
        text = f"USD {m} {scale}"
    elif style == "word-dollars":
        text = f"{m} {scale} dollars"
    elif style == "digits":
        text = f"${value:,.0f}" if value == value.to_integral_value() else f"${m} {scale}"
    else:
        value = Decimal(whole) * Decimal(10) ** SCALES[scale]
        text = f"{words(whole).capitalize()} {scale} dollars"
    return text, value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amounts())
def test_every_style_reads_back_the_same_value(nlp: Language, case: tuple[str, Decimal]) -> None:
    text, value = case
    mentions = extract(article(f"The company will pay {text} for the plant."), nlp).mentions
    assert [(m.kind, m.value, m.unit) for m in mentions] == [(Kind.MONEY, value, "USD")], text


@given(st.integers(min_value=0, max_value=999))
def test_spelled_numbers_parse(n: int) -> None:
    parsed = parse_number(words(n).replace("-", " - ").split())
    assert parsed is not None and parsed.value == n


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_extractor_never_raises_on_arbitrary_unicode(nlp: Language, text: str) -> None:
    result = extract(article(text), nlp)
    for m in result.mentions:
        assert 0 <= m.start <= m.end <= len(text)
        assert text[m.start:m.end] == m.text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["$", "1", "5", ".", ",", "billion", "B", "-", "a", "month", "per", "%", " ", "over",
                                 "May", "2029", "GPUs", "MW", "the", "\n", "(", ")", "between", "and", "to"]),
                max_size=40))
def test_extractor_never_raises_on_figure_like_noise(nlp: Language, tokens: list[str]) -> None:
    text = " ".join(tokens)
    extract(article(text), nlp)


def test_half_alone_is_no_number() -> None:
    from factcheck.extract.numbers import parse_number

    assert parse_number(["half"]) is None
