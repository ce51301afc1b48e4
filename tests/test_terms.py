"""A total over a term against a stated rate, across articles (terms.py, derived.term_findings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.model import CheckResult, CheckStatus, FindingKind, Severity
from factcheck.pipeline import Settings, check


def story(tmp_path: Path, articles: list[str]) -> CheckResult:
    root = tmp_path / "s"
    (root / "sources").mkdir(parents=True)
    (root / "claims").mkdir()
    for i, text in enumerate(articles):
        (root / "sources" / f"{chr(97 + i)}.txt").write_text(f"Story {i}\n{text}\n", encoding="utf-8")
    return check(root, None, Settings(cache=False))


def term_findings(result: CheckResult) -> list[tuple[Severity, CheckStatus | None, str]]:
    return sorted((f.severity, f.status, f.arithmetic) for f in result.findings
                  if f.kind == FindingKind.DERIVED and " over " in f.summary)


CASES = [
    # (id, total sentence, rate sentence, expected (severity, arithmetic) or None when no check applies)
    ("over-n-years-consistent",
     "Norvik agreed to buy $300 billion of computing power from Tessel over about five years.",
     "Norvik will pay Tessel about $60 billion a year for the computing power.",
     (Severity.INFO, "$300 billion ÷ about 5 years = $60 billion/year; stated about $60 billion/year")),
    ("over-n-years-tenfold",
     "Norvik agreed to buy $300 billion of computing power from Tessel over about five years.",
     "Norvik will pay Tessel $600 billion a year for the computing power.",
     (Severity.WARNING, "$300 billion ÷ about 5 years = $60 billion/year; stated $600 billion/year")),
    ("n-year-deal-monthly",  # a deal's value and a fee: two measures the lexicon marks as paid over a term
     "Tessel signed a three-year deal worth $36 million with Norvik.",
     "Under the deal Norvik pays Tessel $3 million a month.",
     (Severity.WARNING, "$36 million ÷ 3 years = $1 million/month; stated $3 million/month")),
    ("same-measure-far-apart-blocks",
     "The club will pay a fee of £200m over five years, the club said.",
     "The club will pay a fee of £400m a year, the club said.",
     (Severity.BLOCKING, "£200 million ÷ 5 years = £40 million/year; stated £400 million/year")),
    ("other-measures-not-compared",  # a company's revenue is not what it pays over a term
     "Tessel will invest $30 billion over the next ten years.",
     "Tessel had revenue of $9 billion a year.",
     None),
    ("not-a-term",
     "It is the biggest deal in 14 years, worth $5 billion.",
     "The buyer will pay $1 billion a year.",
     None),
]


@pytest.mark.parametrize("total, rate, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_a_total_over_a_term_against_a_rate(tmp_path: Path, total: str, rate: str,
                                            expected: tuple[Severity, str] | None) -> None:
    found = term_findings(story(tmp_path, [total, rate]))
    if expected is None:
        assert found == []
    else:
        severity, arithmetic = expected
        status = CheckStatus.CONSISTENT if severity == Severity.INFO else CheckStatus.INCONSISTENT
        assert found == [(severity, status, arithmetic)]


def test_each_total_and_term_is_checked(tmp_path: Path) -> None:
    """One total with two terms in two articles: each term is set against the rate, not only the first."""
    found = term_findings(story(tmp_path, [
        "Norvik agreed to buy $300 billion of computing power from Tessel over about five years.",
        "Norvik agreed to buy $300 billion of computing power from Tessel over fifty years.",
        "Norvik will pay Tessel about $60 billion a year for the computing power.",
    ]))
    assert [(severity, arithmetic) for severity, _, arithmetic in found] == [
        (Severity.INFO, "$300 billion ÷ about 5 years = $60 billion/year; stated about $60 billion/year"),
        (Severity.WARNING, "$300 billion ÷ 50 years = $6 billion/year; stated about $60 billion/year")]
