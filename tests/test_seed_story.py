"""The seed story end to end: the findings are those of ../shared/seeds/FINDINGS.md."""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from factcheck.model import CheckResult, Finding
from factcheck.pipeline import Settings, check

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def result(nlp: Language) -> CheckResult:
    return check(REPO, nlp, Settings(cache=False))  # the checkout stays untouched (no .factcheck/)


def by_kind(result: CheckResult, kind: str) -> dict[str, Finding]:
    return {f.fact_id: f for f in result.findings if f.kind.value == kind}


def sources_of(f: Finding) -> list[str]:
    return [s[:3] for s in f.sources]


def test_agreements(result: CheckResult) -> None:
    agree = by_kind(result, "agreement")
    assert sorted(agree) == ["contract_end", "data_center", "monthly_fee", "power", "total_value"]
    assert sources_of(agree["monthly_fee"]) == ["000", "001", "002", "003", "004"]
    assert agree["monthly_fee"].values == ("$1.25 billion/month",)
    assert sources_of(agree["power"]) == ["001", "004"] and agree["power"].values == ("300 MW",)
    assert sources_of(agree["contract_end"]) == ["001", "004"] and agree["contract_end"].values == ("May 2029",)
    assert sources_of(agree["total_value"]) == ["001", "004"]
    assert "Forty billion dollars" in {e.text for e in agree["total_value"].evidence}
    assert sources_of(agree["data_center"]) == ["001", "002"]
    assert {e.text for e in agree["data_center"].evidence} == {"Colossus 1", "Colossus"}
    fuzzy = [e.value_label for e in agree["data_center"].evidence if e.source_id.startswith("002")]
    assert fuzzy[0] == "Colossus (Memphis, Tennessee) (matched “Colossus 1”, score 88.9)"


def test_headline_rounding_is_a_minor_discrepancy(result: CheckResult) -> None:
    [discrepancy] = [f for f in result.findings if f.kind.value == "discrepancy"]
    assert discrepancy.fact_id == "monthly_fee" and discrepancy.severity.value == "warning"
    assert "a Cool Billion a Month" in {e.text for e in discrepancy.evidence}
    assert "headline" in discrepancy.summary


def test_derived_checks(result: CheckResult) -> None:
    derived = by_kind(result, "derived")
    assert sorted(derived) == ["annual_run_rate", "total_value"]
    annual = derived["annual_run_rate"]
    assert annual.status == "consistent"
    assert annual.arithmetic == "$1.25 billion/month × 12 = $15 billion; stated $15 billion/year"
    total = derived["total_value"]
    assert total.status == "underdetermined"
    assert "consistent if the term is at least 32 months" in total.summary
    assert "start date is not stated" in total.summary


def test_contradictions(result: CheckResult) -> None:
    contra = by_kind(result, "contradiction")
    assert sorted(contra) == ["hardware", "provenance", "scope"]
    assert all(f.severity.value == "blocking" for f in contra.values())
    assert sources_of(contra["hardware"]) == ["000", "002", "003"]
    assert {"Grok chips", "NVIDIA H100 GPUs", "homegrown solutions"} <= {e.text for e in contra["hardware"].evidence}
    assert sources_of(contra["scope"]) == ["001", "002"]
    assert sources_of(contra["provenance"]) == ["000", "001", "002", "004"]


def test_non_contradictions_are_not_flagged(result: CheckResult) -> None:
    flagged = {f.fact_id for f in result.findings if f.kind.value in ("contradiction", "discrepancy")}
    assert not flagged & {"gpus_now", "gpus_planned", "annual_run_rate", "total_value"}
    gpus = {c.mention.modality.value: c.fact_id for c in result.claims if c.mention.unit == "GPU"}
    assert gpus == {"stated": "gpus_now", "planned": "gpus_planned"}


def test_single_source_claims(result: CheckResult) -> None:
    single = {fid: sources_of(f) for fid, f in by_kind(result, "single_source").items()}
    assert single == {
        "termination_notice": ["001"], "discount_period": ["001"], "model_served": ["000"],
        "negotiations_start": ["000"], "xai_age": ["000"], "backers": ["002"], "corroborating_outlets": ["003"],
        # Also uncorroborated, though FINDINGS.md files them under "not contradictions":
        "gpus_now": ["002"], "gpus_planned": ["002"],
    }


def test_gate_fails_on_the_contradictions(result: CheckResult) -> None:
    assert not result.gate.passed and result.gate.reason == "3 unresolved contradictions"


def test_findings_do_not_depend_on_source_order(nlp: Language, result: CheckResult, tmp_path: Path) -> None:
    from factcheck.pipeline import analyse
    from factcheck.extract import extract_all

    reversed_sources = list(reversed(result.sources))
    again = analyse(REPO, reversed_sources, list(extract_all(reversed_sources, nlp, result.catalog)), result.catalog)
    assert [f.id for f in again.findings] == [f.id for f in result.findings]
    assert again.findings == result.findings
