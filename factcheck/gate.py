"""The gate policy, in one place: which findings fail CI, and which need an editor's verdict.

Every consumer (the exit code, the terminal summary, GitHub annotations, the HTML, JUnit and
SARIF reports) asks these functions rather than working it out again.
"""

from __future__ import annotations

from collections.abc import Sequence

from .model import CheckStatus, Finding, FindingKind, Gate, Severity

FAIL_ON = ("contradiction", "discrepancy", "never")


def blocks_gate(finding: Finding, fail_on: str = "contradiction") -> bool:
    """Whether this finding alone fails the gate."""
    if finding.resolved or fail_on == "never":
        return False
    return finding.severity == Severity.BLOCKING or (fail_on == "discrepancy"
                                                     and finding.kind == FindingKind.DISCREPANCY)


def needs_verdict(finding: Finding) -> bool:
    """Unresolved findings an editor should rule on: conflicts, failed arithmetic, an article against itself."""
    if finding.resolved:
        return False
    return (finding.kind in (FindingKind.CONTRADICTION, FindingKind.DISCREPANCY, FindingKind.INTERNAL)
            or finding.status == CheckStatus.INCONSISTENT or finding.severity == Severity.BLOCKING)


def gate(findings: Sequence[Finding], fail_on: str = "contradiction") -> Gate:
    """Pass unless an unresolved finding at or above `fail_on` remains."""
    if fail_on == "never":
        return Gate(True, "gate disabled (--fail-on never)", fail_on)
    blocking = [f for f in findings if f.severity == Severity.BLOCKING and blocks_gate(f, fail_on)]
    if blocking:
        return Gate(False, f"{len(blocking)} unresolved contradiction{'s' * (len(blocking) != 1)}", fail_on)
    warnings = [f for f in findings if blocks_gate(f, fail_on)]
    if warnings:
        return Gate(False, f"{len(warnings)} unresolved discrepanc{'ies' if len(warnings) != 1 else 'y'}", fail_on)
    return Gate(True, "no unresolved contradictions" if fail_on == "contradiction"
                else "no unresolved contradictions or discrepancies", fail_on)
