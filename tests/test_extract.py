"""Figure extraction, case by case, on the blank English pipeline (no statistical model)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from spacy.language import Language

from factcheck.extract import extract
from factcheck.model import Mention, Source
from factcheck.sources import line_starts

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "figures.yaml").read_text(encoding="utf-8"))


def source(text: str) -> Source:
    return Source(id="t", path=Path("t.txt"), text=text, line_starts=line_starts(text))


def as_dict(m: Mention) -> dict[str, Any]:
    return {"kind": m.kind.value, "value": None if m.value is None else str(m.value), "unit": m.unit,
            "period": m.period.value, "qualifier": m.qualifier.value, "modality": m.modality.value,
            "high": None if m.high is None else str(m.high), "subject": m.subject}


def same(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    for key, want in expected.items():
        have = got[key]
        if key in ("value", "high") and want is not None and have is not None:
            try:
                if Decimal(want) != Decimal(have):
                    return False
                continue
            except ArithmeticError:
                pass
        if have != want:
            return False
    return True


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_figures(case: dict[str, Any], nlp: Language) -> None:
    got = [as_dict(m) for m in extract(source(case["text"]), nlp).mentions]
    assert len(got) == len(case["figures"]), got
    for want, have in zip(case["figures"], got):
        assert same(want, have), (want, have)


def test_dropped_numbers_are_listed_with_a_reason(nlp: Language) -> None:
    result = extract(source("Claude 3 is here. 01 Intro. 3 min read"), nlp)
    reasons = sorted(d.reason for d in result.dropped)
    assert reasons == ["a list number, not a figure", "page furniture", "part of a name (model or product number)"]
    assert result.mentions == ()


def test_mention_spans_point_at_the_text(nlp: Language) -> None:
    text = "Anthropic will pay xAI $1.25B per month for compute."
    m = extract(source(text), nlp).mentions[0]
    assert text[m.start:m.end] == m.text == "$1.25B per month"
    assert m.sentence == text


def test_matcher_window_covers_the_longest_pattern() -> None:
    """The prefilter's window must reach from any trigger to both ends of the longest pattern."""
    from factcheck.extract.patterns import figure_patterns
    from factcheck.nlp import WINDOW

    assert WINDOW >= max(len(p["pattern"]) for p in figure_patterns()) - 1
