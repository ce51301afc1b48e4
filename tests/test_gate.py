"""The gate policy in one place (factcheck/gate.py), and every consumer agreeing with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.gate import blocks_gate, gate, needs_verdict
from factcheck.model import CheckStatus, Finding, FindingKind, Resolution, Severity


def finding(kind: FindingKind, severity: Severity, status: CheckStatus = CheckStatus.NONE,
            resolved: bool = False) -> Finding:
    return Finding(id=f"{kind.value}-x", kind=kind, severity=severity, fact_id="x", fact_label="X", summary="s",
                   values=(), evidence=(), status=status,
                   resolution=Resolution("x", "accepted") if resolved else None)


CONTRADICTION = finding(FindingKind.CONTRADICTION, Severity.BLOCKING)
FAILED_ARITHMETIC = finding(FindingKind.DERIVED, Severity.BLOCKING, CheckStatus.INCONSISTENT)
DISCREPANCY = finding(FindingKind.DISCREPANCY, Severity.WARNING)
INTERNAL = finding(FindingKind.INTERNAL, Severity.WARNING)
AGREEMENT = finding(FindingKind.AGREEMENT, Severity.INFO)


@pytest.mark.parametrize("f, fail_on, blocks, verdict", [
    (CONTRADICTION, "contradiction", True, True),
    (FAILED_ARITHMETIC, "contradiction", True, True),
    (DISCREPANCY, "contradiction", False, True),
    (DISCREPANCY, "discrepancy", True, True),
    (INTERNAL, "discrepancy", False, True),
    (AGREEMENT, "discrepancy", False, False),
    (CONTRADICTION, "never", False, True),
    (finding(FindingKind.CONTRADICTION, Severity.BLOCKING, resolved=True), "contradiction", False, False),
], ids=["contradiction", "failed-arithmetic", "discrepancy", "discrepancy-strict", "internal-never-blocks",
        "agreement", "gate-off", "resolved"])
def test_blocks_and_needs_verdict(f: Finding, fail_on: str, blocks: bool, verdict: bool) -> None:
    assert blocks_gate(f, fail_on) is blocks
    assert needs_verdict(f) is verdict
    assert gate([f, AGREEMENT], fail_on).passed is not blocks


def test_terminal_summary_lists_a_blocking_derived_check(tmp_path: Path) -> None:
    story = tmp_path / "s"
    (story / "sources").mkdir(parents=True)
    (story / "claims").mkdir()
    (story / "sources" / "a.txt").write_text("Deal\nAcme will pay $1.25 billion per month.\n", encoding="utf-8")
    (story / "sources" / "b.txt").write_text("Deal\nAcme's run-rate is $20 billion a year.\n", encoding="utf-8")
    (story / "claims" / "facts.yaml").write_text(
        "facts:\n  - {id: monthly, label: Monthly fee, kind: money, unit: USD, period: month}\n"
        "  - {id: annual, label: Annual rate, kind: money, unit: USD, period: year}\n"
        "relations:\n  - {id: annual_from_monthly, fact: annual, equals: monthly * 12}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(story), "--no-html"])
    assert result.exit_code == 1
    derived = [line for line in result.stdout.splitlines() if line.strip().startswith("derived")]
    assert derived and "derived-annual-from-monthly-" in derived[0]  # listed without --verbose
    # The summary ends by teaching the next step with a blocking item's own command.
    hint = [line for line in result.stdout.splitlines() if "record a verdict:" in line]
    assert len(hint) == 1 and "factcheck resolve derived-annual-from-monthly-" in hint[0]
