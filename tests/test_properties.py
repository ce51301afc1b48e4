"""Properties of the whole pipeline: it never raises on what the web gives an editor, and its output is stable.

Hypothesis generates arbitrary Unicode articles (mixed with figure-like phrases so the
extractor's paths are exercised) and arbitrary valid catalogues. Example counts stay modest.
"""

from __future__ import annotations

import json
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
from spacy.language import Language

from factcheck.catalog import load_catalog
from factcheck.errors import InputError
from factcheck.extract import extract_all
from factcheck.model import CheckResult
from factcheck.pipeline import Settings, analyse, check
from factcheck.report import render
from factcheck.sources import html_to_text, load_sources
from factcheck.yamlfile import dump_yaml

REPO = Path(__file__).resolve().parent.parent
FORMATS = ("html", "md", "json", "sarif", "junit")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Phrases the extractor has rules for, so generated articles reach money, rates, units, dates, plans.
FRAGMENTS = [
    "$1.25 billion", "per month", "a year", "about", "over", "more than", "up to", "nearly", "€40bn",
    "100,000 GPUs", "200,000", "GPUs", "300 MW", "1.2 GW", "5 GWh", "12%", "percent", "2026", "May 2026",
    "earlier this month", "by 2027", "for three years", "36 months", "will", "plans to", "could", "not",
    "a cool billion", "multi-billion dollar", "Claude 3", "H100s", "Grok chips", "one", "twelve", "half",
    "1.5-2 million", "between 3 and 4", "hundreds of", "$0", "zero", "0 MW", "-", "(", ")", "\n", ". ", ", ", " ", "\u00a0",
]
WORDS = ["pay", "payment", "fee", "deal", "revenue", "power", "chips", "gpus", "run-rate", "total", "capacity"]
UNITS = {"money": ["USD", "EUR", ""], "power": ["MW", ""], "energy": ["MWh", ""], "count": ["GPU", ""],
         "percent": [""], "date": [""], "duration": [""], "quantity": ["km", "kg", ""]}
PERIODS = ["none", "day", "week", "month", "quarter", "year"]

articles = st.lists(st.one_of(st.text(max_size=60), st.sampled_from(FRAGMENTS)), max_size=25).map("".join)


@st.composite
def catalogues(draw: st.DrawFn) -> dict[str, Any]:
    """A valid claims/facts.yaml as data: facts of every kind, entity values, relations between facts."""
    ids = draw(st.lists(st.sampled_from(["fee", "annual", "total", "power", "gpus", "share", "start", "end",
                                         "term", "hardware", "site"]), min_size=1, max_size=5, unique=True))
    facts: list[dict[str, Any]] = []
    for fact_id in ids:
        kind = draw(st.sampled_from(sorted(UNITS) + ["entity"]))
        fact: dict[str, Any] = {"id": fact_id, "label": draw(st.text(min_size=1, max_size=20).filter(str.strip)),
                                "kind": kind}
        if kind == "entity":
            value_ids = draw(st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
            fact["values"] = [{"id": v, "aliases": draw(st.lists(
                st.one_of(st.sampled_from(["NVIDIA H100 GPUs", "H100s", "Grok chips", "Colossus 1", "the plant"]),
                          st.text(min_size=1, max_size=15).filter(str.strip)), min_size=1, max_size=3))}
                for v in value_ids]
            fact["exclusive"] = draw(st.booleans())
            if len(value_ids) > 1 and draw(st.booleans()):
                fact["compatible"] = [value_ids[:2]]
            if draw(st.booleans()):
                fact["min_score"] = draw(st.integers(1, 100))
        else:
            unit = draw(st.sampled_from(UNITS[kind]))
            if unit:
                fact["unit"] = unit
            fact["period"] = draw(st.sampled_from(PERIODS))
            fact["tolerance"] = draw(st.sampled_from([0, 0.005, 0.1, 0.5]))
        if draw(st.booleans()):
            fact["modality"] = draw(st.sampled_from(["stated", "planned", "any"]))
        fact["cues"] = draw(st.lists(st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=12)
                                               .filter(str.strip)), max_size=4))
        facts.append(fact)
    numeric = [f["id"] for f in facts if f["kind"] != "entity"]
    relations = []
    if numeric:
        target = draw(st.sampled_from(numeric))
        a, b = draw(st.sampled_from(numeric)), draw(st.sampled_from(numeric))
        expression = draw(st.sampled_from([f"{a} * 12", f"{a} / {b}", f"{a} * {b}", f"months({a}, {b})",
                                           f"{a} * months({a}, {b})", f"{a} + {b} - 3", f"{a} / 4"]))
        relations.append({"id": "r1", "fact": target, "equals": expression})
    return {"facts": facts, "relations": relations}


@contextmanager
def story_folder(texts: list[str], catalogue: dict[str, Any] | None = None) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp)
        (story / "sources").mkdir()
        for i, text in enumerate(texts):
            (story / "sources" / f"a{i}.txt").write_text(text, encoding="utf-8")
        if catalogue is not None:
            (story / "claims").mkdir()
            (story / "claims" / "facts.yaml").write_text(dump_yaml(catalogue), encoding="utf-8")
        yield story


def render_all(result: CheckResult) -> dict[str, str]:
    out = {fmt: render(result, fmt) for fmt in FORMATS}
    json.loads(out["json"])
    json.loads(out["sarif"])
    ET.fromstring(out["junit"])
    return out


@SETTINGS
@given(texts=st.lists(articles, min_size=1, max_size=3))
def test_pipeline_never_raises_on_arbitrary_articles(nlp: Language, texts: list[str]) -> None:
    with story_folder(texts, None) as story:
        try:
            first = check(story, nlp, Settings(cache=False))
        except InputError as exc:
            # The only refusals arbitrary text may earn: a NUL byte (binary), or every article empty.
            nul = exc.message.startswith("not a text file") and any("\x00" in t for t in texts)
            assert nul or (exc.message == "no articles found" and not any(t.strip() for t in texts)), exc
            return
        second = check(story, nlp, Settings(cache=False))
        assert render_all(first) == render_all(second)  # byte-identical across runs


@SETTINGS
@given(catalogue=catalogues(), texts=st.lists(articles.map(lambda t: t.replace("\x00", "")), max_size=2))
def test_pipeline_never_raises_on_valid_catalogues(nlp: Language, catalogue: dict[str, Any], texts: list[str]) -> None:
    seed = [p.read_text(encoding="utf-8") for p in sorted((REPO / "sources").glob("*.md"))[:2]]
    with story_folder([*seed, *texts], catalogue) as story:
        assert len(load_catalog(story).facts) == len(catalogue["facts"])  # valid by construction: accepted
        result = check(story, nlp, Settings(cache=False))
        render_all(result)


@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_findings_do_not_depend_on_source_order(nlp: Language, data: st.DataObject) -> None:
    story = REPO
    loaded = load_sources(story)
    catalog = load_catalog(story)
    pairs = list(zip(loaded.sources, extract_all(loaded.sources, nlp, catalog)))
    baseline = analyse(story, [s for s, _ in pairs], [e for _, e in pairs], catalog)
    shuffled = data.draw(st.permutations(pairs))
    result = analyse(story, [s for s, _ in shuffled], [e for _, e in shuffled], catalog)
    assert result.findings == baseline.findings
    assert result.gate == baseline.gate


@SETTINGS
@given(markup=st.lists(st.one_of(st.text(max_size=30), st.sampled_from(
    ["<p>", "</p>", "<script>", "</script>", "<![CDATA[", "]]>", "<!--", "-->", "<title>", "</title>", "<br/>",
     "<meta property='og:title' content='", "'>", "&amp;", "&#x", ";", "<svg>", "</svg>", "<", ">", "\""])),
    max_size=30).map("".join))
def test_html_reader_never_raises(markup: str) -> None:
    meta, body = html_to_text(markup)
    assert isinstance(body, str) and set(meta) == {"title", "publisher", "url"}
