"""Reports: golden files per format, schema validity, text never becomes markup, overrides, determinism.

Golden files live in tests/golden/ and are rendered from a hand-built CheckResult
(`sample_result`), so they change only when the report changes, not when the
extractor does. After an intended change to a template or to report.py:

    UPDATE_GOLDEN=1 /tmp/venv/bin/python -m pytest tests/test_report.py -k golden

then review `git diff tests/golden/` like any other change.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from factcheck.errors import InputError
from factcheck.model import (
    Catalog, CheckResult, CheckStatus, Claim, Dropped, Evidence, Fact, Finding, FindingKind, Gate, Kind, Mention,
    Period, Qualifier, Resolution, Severity, Source,
)
from factcheck.report import Limits, md_escape, render, report_data
from factcheck.sources import line_starts

GOLDEN = Path(__file__).parent / "golden"
SCHEMAS = Path(__file__).parent / "schemas"
TEXT_FORMATS = ["md", "json", "sarif", "junit"]
GOLDEN_NAMES = {"md": "sample.md", "json": "sample.json", "sarif": "sample.sarif", "junit": "sample.junit.xml"}

# ---------------------------------------------------------------- a hand-built result

ARTICLES = {
    # id: (file name, lines of front matter before the body, body)
    "alpha": ("alpha.md", 5, "Acme will pay $2 billion per month for chips.\n"
                             "That is $24 billion a year. The cluster runs on Falcon chips.\n"),
    "beta": ("beta.txt", 0, "Acme deal\nAcme pays about $2 billion a month, on Osprey GPUs. "
                            "A <b>bold</b> & {{ braces }} | pipe.\n"),
    "gamma": ("gamma.md", 4, "Acme pays $1.5 billion monthly.\nEither side may leave with 90 days' notice. "
                             "It is a multi-billion deal.\n"),
}


def _source(story: Path, sid: str) -> Source:
    name, front, body = ARTICLES[sid]
    return Source(id=sid, path=story / "sources" / name, text=body, title=body.split("\n")[0][:30],
                  publisher="Wire" if sid == "alpha" else None, body_line=front + 1, line_starts=line_starts(body))


def _mention(src: Source, needle: str, kind: Kind, value: Decimal | str | None, unit: str,
             period: Period = Period.NONE, qualifier: Qualifier = Qualifier.EXACT) -> Mention:
    start = src.text.index(needle)
    dot = src.text.rfind(". ", 0, start)
    s_start = max(src.text.rfind("\n", 0, start) + 1, dot + 2 if dot >= 0 else 0)
    s_end = min(i for i in (src.text.find(". ", start), src.text.find("\n", start), len(src.text)) if i >= 0)
    sentence = src.text[s_start:s_end + 1].strip()
    s_start = src.text.index(sentence, s_start)
    return Mention(source_id=src.id, start=start, end=start + len(needle), text=needle, sentence=sentence,
                   sentence_start=s_start, kind=kind, value=value, unit=unit, period=period, qualifier=qualifier)


def _evidence(src: Source, m: Mention, label: str) -> Evidence:
    return Evidence(source_id=src.id, line=src.line_of(m.start), start=m.start, end=m.end, text=m.text,
                    sentence=m.sentence, sentence_start=m.sentence_start, value_label=label)


def sample_result(story: Path) -> CheckResult:
    """Two money facts related by x12, a resolved entity contradiction, an open money one, a single source."""
    a, b, g = (_source(story, s) for s in ("alpha", "beta", "gamma"))
    month = Period.MONTH
    m_a = _mention(a, "$2 billion", Kind.MONEY, Decimal("2e9"), "USD", month)
    m_b = _mention(b, "about $2 billion", Kind.MONEY, Decimal("2e9"), "USD", month, Qualifier.APPROXIMATELY)
    m_g = _mention(g, "$1.5 billion", Kind.MONEY, Decimal("1.5e9"), "USD", month)
    m_y = _mention(a, "$24 billion", Kind.MONEY, Decimal("24e9"), "USD", Period.YEAR)
    h_a = _mention(a, "Falcon chips", Kind.ENTITY, "falcon", "hardware")
    h_b = _mention(b, "Osprey GPUs", Kind.ENTITY, "osprey", "hardware")
    n_g = _mention(g, "90 days", Kind.DURATION, Decimal(90), "day")
    vague = _mention(g, "multi-billion", Kind.MONEY, None, "USD", qualifier=Qualifier.VAGUE)
    facts = (
        Fact("monthly_fee", "Monthly fee", Kind.MONEY, "USD", month),
        Fact("annual", "Annual run-rate", Kind.MONEY, "USD", Period.YEAR),
        Fact("hardware", "Hardware", Kind.ENTITY, exclusive=True),
        Fact("notice", "Notice period", Kind.DURATION, "day"),
    )
    claims = (Claim(m_a, "monthly_fee"), Claim(m_b, "monthly_fee"), Claim(m_g, "monthly_fee"), Claim(m_y, "annual"),
              Claim(h_a, "hardware"), Claim(h_b, "hardware"), Claim(n_g, "notice"))
    resolution = Resolution("contradiction-hardware-0000bbbb", "source-error", "Falcon is the model, not a chip",
                            "desk", "2026-11-23", 2)
    findings = (
        Finding("agreement-monthly-fee-0000aaaa", FindingKind.AGREEMENT, Severity.INFO, "monthly_fee", "Monthly fee",
                "Monthly fee: $2 billion/month, stated by 2 sources", ("$2 billion/month",),
                (_evidence(a, m_a, "$2 billion/month"), _evidence(b, m_b, "about $2 billion/month"))),
        Finding("contradiction-monthly-fee-0000cccc", FindingKind.CONTRADICTION, Severity.BLOCKING, "monthly_fee",
                "Monthly fee", "Monthly fee: sources disagree ($1.5 billion/month / $2 billion/month)",
                ("$1.5 billion/month", "$2 billion/month"),
                (_evidence(a, m_a, "$2 billion/month"), _evidence(g, m_g, "$1.5 billion/month"))),
        Finding("contradiction-hardware-0000bbbb", FindingKind.CONTRADICTION, Severity.BLOCKING, "hardware",
                "Hardware", "Hardware: sources disagree (Falcon chips / Osprey GPUs)", ("falcon", "osprey"),
                (_evidence(a, h_a, "Falcon chips"), _evidence(b, h_b, "Osprey GPUs")), resolution=resolution),
        Finding("derived-annual-0000dddd", FindingKind.DERIVED, Severity.INFO, "annual", "Annual run-rate",
                "Annual run-rate: consistent with monthly_fee × 12", ("$24 billion/year",),
                (_evidence(a, m_a, "$2 billion/month"), _evidence(a, m_y, "$24 billion/year")),
                arithmetic="$2 billion/month × 12 = $24 billion; stated $24 billion/year", status="consistent"),
        Finding("single-source-notice-0000eeee", FindingKind.SINGLE_SOURCE, Severity.INFO, "notice", "Notice period",
                "Notice period: 90 day, stated only by gamma", ("90 day",), (_evidence(g, n_g, "90 day"),)),
    )
    return CheckResult(
        story=story, sources=(a, b, g), catalog=Catalog(facts, (), story / "claims" / "facts.yaml"),
        mentions=tuple(sorted((m_a, m_b, m_g, m_y, h_a, h_b, n_g, vague), key=lambda m: (m.source_id, m.start))),
        dropped=(Dropped("gamma", 0, 4, "Acme", "a name, not a figure"),), claims=claims, facts=facts,
        findings=findings, stale=(Resolution("contradiction-gone-00000000", "retracted", "old", "", "", 5),),
        gate=Gate(False, "1 unresolved contradiction", "contradiction"),
    )


@pytest.fixture
def sample(tmp_path: Path) -> CheckResult:
    return sample_result(tmp_path / "sample")


# ---------------------------------------------------------------- golden files


@pytest.mark.parametrize("fmt", TEXT_FORMATS, ids=TEXT_FORMATS)
def test_golden(sample: CheckResult, fmt: str) -> None:
    text = render(sample, fmt)
    golden = GOLDEN / GOLDEN_NAMES[fmt]
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8", newline="\n")
    assert golden.exists(), f"{golden} missing: run with UPDATE_GOLDEN=1 and review the new file"
    assert text == golden.read_text(encoding="utf-8"), f"{fmt} report changed: see the module docstring"


def test_markdown_lists_what_needs_a_verdict_before_the_rest(sample: CheckResult) -> None:
    text = render(sample, "md")
    order = [text.index(h) for h in ("**1 unresolved contradiction**", "### Needs a verdict (1)", "### Resolved (1)",
                                     "### Other findings (3)", "### Stale resolutions (1)")]
    assert order == sorted(order)
    assert "2 contradiction (1 unresolved)" in text[order[0]:order[1]]  # the counts, on one line under the gate
    needs = text[order[1]:order[2]]
    assert "#### contradiction: Monthly fee — **blocks the gate**" in needs
    assert "- Consensus: \\$2 billion/month \\(2 sources\\): **Wire**, **Acme deal**" in needs  # publisher, else title
    assert "- Outlier: **Acme pays \\$1.5 billion monthly**" in needs
    # The outlier's quote comes first, then the consensus'; gamma's body starts on line 5 of its file.
    assert needs.index("- outlier **Acme pays") < needs.index("`sources/gamma.md:5`") < needs.index("- **Wire** `")
    assert '`factcheck resolve contradiction-monthly-fee-0000cccc --verdict source-error --note "…"`' in needs
    assert "source-error by desk: Falcon is the model, not a chip" in text[order[2]:order[3]]


# ---------------------------------------------------------------- JSON, SARIF and JUnit validity


def test_json_has_a_versioned_schema_and_every_finding(sample: CheckResult) -> None:
    data = json.loads(render(sample, "json"))
    assert data["schema_version"] == 1
    assert data["gate"] == {"passed": False, "reason": "1 unresolved contradiction", "fail_on": "contradiction"}
    assert [f["id"] for f in data["findings"]] == [f.id for f in sample.findings]
    blocking = {f["id"]: f["blocks_gate"] for f in data["findings"]}
    assert blocking == {"agreement-monthly-fee-0000aaaa": False, "contradiction-monthly-fee-0000cccc": True,
                        "contradiction-hardware-0000bbbb": False, "derived-annual-0000dddd": False,
                        "single-source-notice-0000eeee": False}
    monthly = next(f for f in data["facts"] if f["id"] == "monthly_fee")
    # One status per (fact, source): only the outlier's cell is the contradiction; the consensus is not.
    assert monthly["cells"]["gamma"] == {"values": ["$1.5 billion/month"], "status": "contradiction",
                                         "detail": "", "finding": "contradiction-monthly-fee-0000cccc",
                                         "role": "outlier", "tone": "conflict", "label": "contradiction: outlier"}
    assert {sid: (c["role"], c["tone"]) for sid, c in monthly["cells"].items() if sid != "gamma"} == {
        "alpha": ("consensus", "ok"), "beta": ("", "ok")}  # beta is quoted by the agreement only
    contradiction = next(f for f in data["findings"] if f["id"] == "contradiction-monthly-fee-0000cccc")
    assert contradiction["consensus"] == "$2 billion/month (2 sources)"
    assert (contradiction["agreeing"], contradiction["outliers"]) == (["alpha", "beta"], ["gamma"])
    assert [e["outlier"] for e in contradiction["evidence"]] == [False, True]
    assert contradiction["resolve"] == ('factcheck resolve contradiction-monthly-fee-0000cccc '
                                        '--verdict source-error --note "…"')
    # A resolved finding's cells carry its verdict, whichever side they are on.
    hardware = next(f for f in data["facts"] if f["id"] == "hardware")
    assert {c["tone"] for c in hardware["cells"].values()} == {"resolved"}
    assert hardware["cells"]["alpha"]["label"] == "resolved: source-error"
    assert data["verdicts"] == ["contradiction-monthly-fee-0000cccc"]
    chart = monthly["chart"]
    assert [(p["value"], p["count"], p["outlier"]) for p in chart["points"]] == [
        ("$1.5 billion/month", 1, True), ("$2 billion/month", 2, False)]
    assert chart["band"]["x1"] < chart["points"][1]["x"] < chart["band"]["x2"] < 100
    alpha = next(s for s in data["sources"] if s["id"] == "alpha")
    assert "".join(seg["text"] for seg in alpha["segments"]) == ARTICLES["alpha"][2]


def _require(module: str) -> Any:
    """A validator's library; missing, the test skips locally but fails in CI (env CI set)."""
    if os.environ.get("CI"):
        import importlib

        return importlib.import_module(module)
    return pytest.importorskip(module, reason=f"{module} not installed (pip install '.[test]')")


def _sarif_validator() -> Any:
    jsonschema = _require("jsonschema")
    schema = json.loads((SCHEMAS / "sarif-2.1.0-subset.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


def sarif_errors(text: str) -> list[str]:
    log = json.loads(text)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _sarif_validator().iter_errors(log)]
    for result in log["runs"][0]["results"]:
        for loc in result.get("locations", []) + result.get("relatedLocations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            if uri.startswith("/") or ":" in uri or " " in uri:
                errors.append(f"{uri}: not a relative URI reference")
    return errors


def test_sarif_is_valid_2_1_0_and_locates_each_finding(sample: CheckResult) -> None:
    text = render(sample, "sarif")
    assert sarif_errors(text) == []
    results = json.loads(text)["runs"][0]["results"]
    by_id = {r["partialFingerprints"]["factcheckFinding/v1"]: r for r in results}
    open_one = by_id["contradiction-monthly-fee-0000cccc"]
    assert (open_one["level"], open_one["kind"]) == ("error", "fail")
    region = open_one["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "sources/alpha.md" and region["region"]["startLine"] == 6
    assert open_one["relatedLocations"][0]["physicalLocation"]["region"]["startLine"] == 5
    assert by_id["contradiction-hardware-0000bbbb"]["suppressions"][0]["status"] == "accepted"
    assert by_id["agreement-monthly-fee-0000aaaa"]["level"] == "none"


@pytest.mark.parametrize("broken, message", [
    (lambda log: log.pop("$schema"), "'$schema' is a required property"),
    (lambda log: log.update(version="2.0.0"), "'2.0.0' is not one of ['2.1.0']"),
    (lambda log: log["runs"][0]["results"][0].update(level="fatal"), "'fatal' is not one of"),
    (lambda log: log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"].pop("startLine"),
     "'startLine' is a required property"),
    (lambda log: log["runs"][0]["results"][0].update(findingId="x"), "Additional properties are not allowed"),
], ids=["no-schema", "wrong-version", "bad-level", "no-start-line", "unknown-property"])
def test_sarif_validator_rejects_broken_logs(sample: CheckResult, broken: Any, message: str) -> None:
    log = json.loads(render(sample, "sarif"))
    broken(log)
    assert any(message in e for e in sarif_errors(json.dumps(log)))


def junit_errors(text: str) -> list[str]:
    etree = _require("lxml.etree")
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit.xsd")))
    doc = etree.fromstring(text.encode("utf-8"))
    return [] if schema.validate(doc) else [str(e) for e in schema.error_log]


def test_junit_is_valid_and_fails_exactly_what_blocks_the_gate(sample: CheckResult) -> None:
    text = render(sample, "junit")
    assert junit_errors(text) == []
    root = ET.fromstring(text)
    assert (root.get("tests"), root.get("failures")) == ("5", "1")
    failures = root.findall(".//testcase/failure/..")
    assert [c.get("name", "").split(":")[0] for c in failures] == ["contradiction-monthly-fee-0000cccc"]
    failure_text = failures[0].findtext("failure") or ""
    assert "sources/alpha.md:6: $2 billion/month" in failure_text
    assert "sources/gamma.md:5: $1.5 billion/month" in failure_text
    resolved = next(c for c in root.iter("testcase") if c.get("name", "").startswith("contradiction-hardware"))
    assert (resolved.findtext("system-out") or "").startswith("resolved: source-error by desk")


def test_junit_schema_rejects_an_unknown_attribute(sample: CheckResult) -> None:
    text = render(sample, "junit").replace('<testcase classname=', '<testcase file="x" classname=', 1)
    assert junit_errors(text)


# ---------------------------------------------------------------- HTML without a browser


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name == "id" and value:
                self.ids.append(value)
            if name == "href" and value:
                self.hrefs.append(value)


def test_html_is_self_contained_with_working_anchors(sample: CheckResult) -> None:
    html = render(sample, "html")
    page = _Collect()
    page.feed(html)
    assert len(page.ids) == len(set(page.ids)), "duplicate ids"
    for f in sample.findings:
        assert f"finding-{f.id}" in page.ids
    local = [h for h in page.hrefs if h.startswith("#")]
    assert {h[1:] for h in local} <= set(page.ids), "a link points at no element"
    assert [h for h in page.hrefs if not h.startswith("#") and h != "data:,"] == []
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "a network reference"
    assert page.tags.count("script") == 1 and page.tags.count("style") == 1
    assert "script-src 'sha256-" in html.replace("&#39;", "'")
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
    assert "Resolved source-error by desk on 2026-11-23: Falcon is the model, not a chip" in text
    assert "Arithmetic $2 billion/month × 12 = $24 billion; stated $24 billion/year" in text
    assert "FAIL 1 unresolved contradiction" in text and "3 sources read" in text


def test_reading_view_collapses_to_excerpts_for_large_stories(sample: CheckResult) -> None:
    data = report_data(sample, Limits(full_text_chars=10, excerpt_chars=8))
    assert data["reading_view"]["mode"] == "excerpts"
    gamma = next(s for s in data["sources"] if s["id"] == "gamma")
    text = "".join(seg["text"] for seg in gamma["segments"])
    assert "$1.5 billion" in text and "90 days" in text and " … " in text
    assert "Either side may leave" not in text  # far from any mention
    assert len(text) < len(ARTICLES["gamma"][2])


def test_a_failed_derived_check_that_blocks_looks_blocking_everywhere(sample: CheckResult) -> None:
    derived = sample.findings[3]
    failed = replace(derived, severity=Severity.BLOCKING, status=CheckStatus.INCONSISTENT,
                     summary="Annual run-rate: inconsistent with monthly_fee × 12")
    result = replace(sample, findings=(*sample.findings[:3], failed, sample.findings[4]),
                     gate=Gate(False, "2 unresolved contradictions", "contradiction"))
    data = report_data(result)
    # Verdicts in the order an editor takes them: the contradiction, then the failed arithmetic.
    assert data["verdicts"] == ["contradiction-monthly-fee-0000cccc", "derived-annual-0000dddd"]
    annual = next(f for f in data["facts"] if f["id"] == "annual")
    assert (annual["cells"]["alpha"]["tone"], annual["cells"]["alpha"]["label"]) == (
        "conflict", "derived check: inconsistent, blocks the gate")
    html = render(result, "html")
    verdicts = html[html.index('<section id="verdicts"'):html.index('<section id="matrix"')]
    assert verdicts.index('id="finding-contradiction-monthly-fee-0000cccc"') < verdicts.index(
        'class="finding row k-derived st-unresolved blocks" id="finding-derived-annual-0000dddd"')
    assert "factcheck resolve derived-annual-0000dddd --verdict source-error" in verdicts
    md = render(result, "md")
    assert md.index("#### contradiction: Monthly fee") < md.index(
        "#### derived check (inconsistent): Annual run-rate — **blocks the gate**") < md.index("### Resolved")


def test_cards_feature_every_value_and_fold_the_rest(sample: CheckResult) -> None:
    agreement = sample.findings[0]
    again = replace(agreement.evidence[0], start=agreement.evidence[0].start + 1)  # same source, same value
    many = replace(sample, findings=(replace(agreement, evidence=(*agreement.evidence, again)), *sample.findings[1:]))
    data = report_data(many, Limits(featured_quotes=1))
    assert [e["featured"] for e in data["findings"][0]["evidence"]] == [True, True, False]
    contradiction = next(f for f in data["findings"] if f["id"] == "contradiction-monthly-fee-0000cccc")
    assert [e["featured"] for e in contradiction["evidence"]] == [True, True]  # both sides, past the limit
    derived = next(f for f in data["findings"] if f["id"] == "derived-annual-0000dddd")
    assert sum(e["featured"] for e in derived["evidence"]) == 2  # two distinct values
    html = render(many, "html", limits=Limits(featured_quotes=1))
    assert html.count('<figure class="quote') == sum(e["featured"] for f in data["findings"] for e in f["evidence"])
    assert "1 more quote</summary>" in html


# ---------------------------------------------------------------- article text stays text

PAYLOAD = ("<script>window.__pwned=1;document.title='pwned'</script> "
           "<img src=x onerror=\"window.__pwned=2\"> {{ 1234567*2 }} {% raw %} `code` **bold** [link](http://x.test)")


def hostile_story(root: Path) -> Path:
    """Two articles whose figure sentences carry markup, template syntax and Markdown."""
    story = root / "hostile"
    (story / "sources").mkdir(parents=True)
    (story / "sources" / "one.md").write_text(
        f"---\nid: one\ntitle: \"{PAYLOAD.replace(chr(34), chr(39))}\"\n---\n"
        f"Acme will pay $2 billion per month {PAYLOAD} for the chips.\n", encoding="utf-8")
    (story / "sources" / "two.txt").write_text(
        f"Second {PAYLOAD}\nAcme will pay $3 billion per month {PAYLOAD} for the chips.\n", encoding="utf-8")
    return story


@pytest.fixture
def hostile(tmp_path: Path, nlp: Any) -> CheckResult:
    from factcheck.pipeline import check

    result = check(hostile_story(tmp_path), nlp)
    quotes = [e.sentence for f in result.findings for e in f.evidence]
    assert any("<script>" in q for q in quotes), "precondition: the payload sits in a finding's quote"
    return result


def test_hostile_text_is_escaped_in_html(hostile: CheckResult) -> None:
    html = render(hostile, "html")
    assert "<script>window" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.__pwned=1" in html and "&lt;img src=x onerror=" in html
    assert "{{ 1234567*2 }}" in html and "2469134" not in html
    page = _Collect()
    page.feed(html)
    assert page.tags.count("script") == 1 and "img" not in page.tags


def test_hostile_text_is_escaped_in_markdown(hostile: CheckResult) -> None:
    md = render(hostile, "md")
    assert not re.search(r"(?<!\\)<(script|img|/script)", md) and "](http" not in md
    assert md_escape("{{ 1234567*2 }}") in md and "\\<script\\>" in md


def strings(value: Any) -> list[str]:
    """Every string in a parsed JSON document."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in strings(k) + strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@pytest.mark.parametrize("fmt", ["json", "sarif"], ids=["json", "sarif"])
def test_hostile_text_is_data_in_json_formats(hostile: CheckResult, fmt: str) -> None:
    text = render(hostile, fmt)
    assert any(PAYLOAD in s for s in strings(json.loads(text)))  # parsed back exactly, nothing evaluated
    if fmt == "sarif":
        assert sarif_errors(text) == []


def test_hostile_text_is_character_data_in_junit(hostile: CheckResult) -> None:
    text = render(hostile, "junit")
    root = ET.fromstring(text)
    assert {el.tag for el in root.iter()} <= {"testsuites", "testsuite", "properties", "property", "testcase",
                                              "failure", "system-out"}
    assert any(PAYLOAD in (el.text or "") for el in root.iter("failure"))
    assert junit_errors(text) == []


def test_control_characters_never_reach_xml(tmp_path: Path, nlp: Any) -> None:
    from factcheck.pipeline import check

    story = hostile_story(tmp_path)
    (story / "sources" / "three.txt").write_text("Third\nAcme will pay $3 billion per month\x07\x1b now.\n",
                                                 encoding="utf-8")
    assert junit_errors(render(check(story, nlp), "junit")) == []


# ---------------------------------------------------------------- CLI: formats, overrides, determinism


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_check_writes_every_format_byte_identical_on_rerun(seed_story: Path, tmp_path: Path) -> None:
    """Same input, same bytes: also from a copy elsewhere on disk, so no absolute path or time leaks in."""
    moved = tmp_path / "elsewhere" / seed_story.name
    shutil.copytree(seed_story, moved)
    outputs = {}
    for run_no, story in ((1, seed_story), (2, moved)):
        out = tmp_path / f"run{run_no}"
        out.mkdir()
        code, _, err = run("check", str(story), "--html", str(out / "r.html"), "--md", str(out / "r.md"),
                           "--json", str(out / "r.json"), "--sarif", str(out / "r.sarif"),
                           "--junit", str(out / "r.xml"))
        assert code == 1, err
        outputs[run_no] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert list(outputs[1]) == ["r.html", "r.json", "r.md", "r.sarif", "r.xml"]
    assert outputs[1] == outputs[2]
    assert sarif_errors(outputs[1]["r.sarif"].decode()) == []
    assert junit_errors(outputs[1]["r.xml"].decode()) == []


def test_templates_override_with_fallback(seed_story: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.md.j2").write_text("custom {{ report.gate.reason | md }} {{ report.findings | length }}\n",
                                       encoding="utf-8")
    code, _, err = run("check", str(seed_story), "--templates", str(mine), "--md", str(tmp_path / "r.md"),
                       "--html", str(tmp_path / "r.html"))
    assert code == 1, err
    assert re.fullmatch(r"custom \d+ unresolved contradictions? \d+\n", (tmp_path / "r.md").read_text("utf-8"))
    assert (tmp_path / "r.html").read_text("utf-8").startswith("<!DOCTYPE html>")  # built-in fallback


@pytest.mark.parametrize("template, expect", [
    ("{% for x in %}\n", "report.md.j2:1: template error"),
    ("{{ report.no_such_key }}\n", "template error in report.md.j2"),
], ids=["syntax", "undefined"])
def test_broken_override_template_is_exit_2(seed_story: Path, tmp_path: Path, template: str, expect: str) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "report.md.j2").write_text(template, encoding="utf-8")
    code, _, err = run("check", str(seed_story), "--templates", str(mine), "--md", str(tmp_path / "r.md"),
                       "--no-html")
    assert code == 2
    assert expect in err and err.count("\n") == 1


def test_unknown_format_is_an_input_error(sample: CheckResult) -> None:
    with pytest.raises(InputError, match="unknown report format 'pdf'"):
        render(sample, "pdf")


def test_missing_templates_folder_is_an_input_error(sample: CheckResult, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="templates folder not found"):
        render(sample, "md", templates=tmp_path / "nope")


def test_copy_of_builtin_templates_renders_the_same(sample: CheckResult, tmp_path: Path) -> None:
    from factcheck.report import builtin_templates

    mine = tmp_path / "copy"
    shutil.copytree(builtin_templates(), mine)
    for fmt in ("html", "md", "sarif", "junit"):
        assert render(sample, fmt, templates=mine) == render(sample, fmt)


def test_schema_document_names_every_json_key(sample: CheckResult) -> None:
    doc = (Path(__file__).parent.parent / "docs" / "report-schema.md").read_text(encoding="utf-8")
    keys: set[str] = set()

    def walk(value: Any, inside_cells: bool = False) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if not inside_cells:
                    keys.add(k)
                walk(v, k == "cells")  # cells are keyed by source id; their values are documented objects
        elif isinstance(value, list):
            for v in value:
                walk(v)

    data = report_data(sample, Limits(full_text_chars=10))  # excerpts: the `gap` segments too
    walk(data)
    missing = sorted(k for k in keys if f"`{k}`" not in doc)
    assert missing == []
    assert "`schema_version` 1" in doc and data["schema_version"] == 1


def test_a_story_with_nothing_to_report_renders_every_format(sample: CheckResult) -> None:
    empty = replace(sample, findings=(), facts=(), claims=(), mentions=(), dropped=(), stale=(),
                    catalog=Catalog(), gate=Gate(True, "no unresolved contradictions"))
    assert "No findings" in render(empty, "html")
    assert sarif_errors(render(empty, "sarif")) == [] and junit_errors(render(empty, "junit")) == []
    assert json.loads(render(empty, "json"))["findings"] == []
    assert render(empty, "md").startswith("## factcheck: sample — ✅ PASS")
