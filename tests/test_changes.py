"""Derived checks inside one sentence (factcheck/changes.py): a before, a change and an after, no catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.model import CheckStatus, FindingKind, Severity
from factcheck.pipeline import Settings, check

CASES = [
    # (sentence, status or None when no check applies)
    ("Turnout among young voters rose by 18.3 percentage points to 57.1 per cent, up from 38.8 per cent.",
     CheckStatus.CONSISTENT),
    ("Turnout among young voters rose by 15 percentage points to 61.5 per cent, up from 47.4 per cent.",
     CheckStatus.INCONSISTENT),
    ("Payrolls at Tarrow Mills rose by 16,000 jobs to 167,000 jobs from 151,000 jobs.", CheckStatus.CONSISTENT),
    ("Revenue at Tarrow Mills rose 12% to $5.6 billion from $5 billion.", CheckStatus.CONSISTENT),
    ("Revenue at Tarrow Mills rose 30% to $5.6 billion from $5 billion.", CheckStatus.INCONSISTENT),
    ("Inflation rose 0.2% to 10.1% from 9.9%.", None),  # points or per cent of it: the words do not say
]


@pytest.mark.parametrize("sentence, status", CASES, ids=["pp-adds-up", "pp-does-not", "counts", "relative",
                                                         "relative-off", "ambiguous-percent"])
def test_a_sentence_checks_its_own_change(tmp_path: Path, sentence: str, status: CheckStatus | None) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "a.txt").write_text(f"Report\n{sentence}\n", encoding="utf-8")
    result = check(tmp_path, None, Settings(cache=False))
    derived = [f for f in result.findings if f.kind == FindingKind.DERIVED]
    if status is None:
        assert derived == []
        return
    assert [f.status for f in derived] == [status], [f.summary for f in result.findings]
    assert derived[0].severity == (Severity.INFO if status == CheckStatus.CONSISTENT else Severity.WARNING)
    assert "stated" in derived[0].arithmetic and len(derived[0].evidence) == 3
