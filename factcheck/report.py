"""Render stage: one findings model, every format through Jinja templates.

`report_data` turns a CheckResult into plain JSON-able data (the documented
JSON schema, docs/report-schema.md); every template renders from that same
dict. Article text is data, never markup: HTML and XML templates autoescape,
Markdown goes through `md_escape`, SARIF through `tojson_compact`, and the
HTML page's Content-Security-Policy admits only its own script and style by
hash, so even a template mistake cannot run a script an article smuggled in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import __version__
from .errors import InputError
from .model import CheckResult, Claim, Evidence, Fact, Finding, FindingKind, Kind, Mention, Source
from .gate import blocks_gate
from .labels import value_label

SCHEMA_VERSION = 1
FORMATS = {"html": "report.html.j2", "md": "report.md.j2", "json": None, "sarif": "report.sarif.j2",
           "junit": "report.junit.xml.j2"}
KIND_ORDER = [k.value for k in FindingKind]
# Which finding colours a matrix cell when several touch it: the one an editor must act on first.
CELL_PRIORITY = {"contradiction": 0, "discrepancy": 1, "agreement": 2, "derived": 3, "single_source": 4}
# Characters XML 1.0 forbids; an article may carry them, a report must not.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Limits:
    """How much a report shows in full before it summarises, so a 1,000-article report stays readable."""

    full_text_chars: int = 1_000_000  # total article text above which the reading view shows excerpts
    excerpt_chars: int = 90  # context kept either side of a mention in an excerpt
    featured_quotes: int = 12  # quotes per finding shown in full in HTML and Markdown; JSON keeps all


def builtin_templates() -> Path:
    """Templates ship inside the wheel (factcheck/templates); in a checkout they sit at the top level."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


def environment(templates: Path | None = None) -> jinja2.Environment:
    """A Jinja environment: the editor's templates first, the built-in ones as fallback."""
    if templates is not None and not templates.is_dir():
        raise InputError("templates folder not found", templates, hint="pass a folder of .j2 templates")
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        # HTML and XML escape; Markdown escapes with |md and SARIF (JSON) with |tojson_compact.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html.j2", "xml.j2"),
                                            disabled_extensions=("md.j2", "sarif.j2", "css", "js"),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_strip_invalid,
    )
    env.filters["md"] = md_escape
    env.filters["tojson_compact"] = tojson_compact
    # surrogateescape: a file name that is not UTF-8 is percent-encoded byte for byte, not a crash.
    env.filters["uri"] = lambda path: urllib.parse.quote(str(path).encode("utf-8", "surrogateescape"), safe="/")
    return env


def _strip_invalid(value: Any) -> Any:
    """Drop control characters from every printed value: they break XML and mean nothing to a reader."""
    if isinstance(value, Markup):
        return Markup(XML_INVALID.sub("", str(value)))
    if isinstance(value, str):
        return XML_INVALID.sub("", value)
    return value


def tojson_compact(value: object) -> str:
    """One JSON value on one line: the only way a value enters the SARIF template."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def md_escape(text: object) -> str:
    """Escape Markdown and HTML specials so article text renders as text in a PR comment."""
    out = str(text)
    for ch in "\\`*_{}[]<>()#+!|~&@$":
        out = out.replace(ch, "\\" + ch)
    return re.sub(r"\s+", " ", out)  # one line: a quote must not break the list it sits in


# ---------------------------------------------------------------- the model


def report_data(result: CheckResult, limits: Limits = Limits()) -> dict[str, Any]:
    """The report as plain data: what JSON prints and every template reads."""
    sources = {s.id: s for s in result.sources}
    paths = {s.id: _rel(s.path, result.story) for s in result.sources}  # resolve() once per file, not per quote
    fact_map = {f.id: f for f in result.facts}
    claims_by_fact: dict[str, list[Claim]] = defaultdict(list)
    for c in result.claims:
        claims_by_fact[c.fact_id].append(c)
    mentions_by_source: dict[str, list[Mention]] = defaultdict(list)
    for m in result.mentions:
        mentions_by_source[m.source_id].append(m)
    counts = Counter(f.kind.value for f in result.findings)
    unresolved = Counter(f.kind.value for f in result.findings if not f.resolved)

    cells_best: dict[tuple[str, str], Finding] = {}
    mention_finding: dict[tuple[str, int, int], str] = {}
    for f in result.findings:
        for e in f.evidence:
            key = (f.fact_id, e.source_id)
            best = cells_best.get(key)
            if best is None or CELL_PRIORITY[f.kind.value] < CELL_PRIORITY[best.kind.value]:
                cells_best[key] = f
            mention_finding.setdefault((e.source_id, e.start, e.end), f.id)

    facts = []
    for fact in result.facts:
        by_source: dict[str, set[str]] = defaultdict(set)
        for c in claims_by_fact[fact.id]:
            by_source[c.mention.source_id].add(value_label(c.mention, fact))
        if fact.discovered and len(by_source) < 2:
            continue  # an uncatalogued figure from one article is listed below, not a row
        cells = {}
        for sid, values in sorted(by_source.items()):
            found = cells_best.get((fact.id, sid))
            cells[sid] = {"values": sorted(values), "status": found.kind.value if found else "listed",
                          "detail": found.status if found else "", "finding": found.id if found else ""}
        facts.append({
            "id": fact.id, "label": fact.label, "kind": fact.kind.value, "unit": fact.unit,
            "period": fact.period.value, "discovered": fact.discovered, "tolerance": float(fact.tolerance),
            "cells": cells, "chart": _chart(fact, claims_by_fact[fact.id]),
        })
    in_rows = {f["id"] for f in facts}
    other = [
        {"source_id": c.mention.source_id, "line": sources[c.mention.source_id].line_of(c.mention.start),
         "text": c.mention.text, "value": value_label(c.mention, fact_map.get(c.fact_id)), "fact": c.fact_id}
        for c in result.claims if c.fact_id not in in_rows and c.mention.source_id in sources
        and (c.fact_id not in fact_map or fact_map[c.fact_id].discovered)
    ]
    vague = [
        {"source_id": m.source_id, "line": sources[m.source_id].line_of(m.start), "text": m.text,
         "kind": m.kind.value, "reason": "vague or relative, no value to compare"}
        for m in result.mentions if m.value is None and m.source_id in sources
    ]
    dropped = [
        {"source_id": d.source_id, "line": sources[d.source_id].line_of(d.start) if d.source_id in sources else 0,
         "text": d.text, "reason": d.reason}
        for d in result.dropped
    ]
    excerpts = sum(len(s.text) for s in result.sources) > limits.full_text_chars
    segments = {s.id: _segments(s, mentions_by_source[s.id], mention_finding,
                                limits.excerpt_chars if excerpts else None) for s in result.sources}
    # Where a quote links to in the reading view: its highlighted mention, else the article.
    anchors = {(sid, seg["start"]) for sid, segs in segments.items() for seg in segs if "start" in seg}
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "factcheck", "version": __version__},
        "story": result.story.resolve().name,
        "gate": {"passed": result.gate.passed, "reason": result.gate.reason, "fail_on": result.gate.fail_on},
        "warnings": list(result.warnings),
        "counts": {k: counts.get(k, 0) for k in KIND_ORDER},
        "unresolved": {k: unresolved.get(k, 0) for k in KIND_ORDER},
        "catalog": {"path": _rel(result.catalog.path, result.story) if result.catalog.path else None,
                    "facts": len(result.catalog.facts), "relations": len(result.catalog.relations)},
        "reading_view": {"mode": "excerpts" if excerpts else "full", "context_chars": limits.excerpt_chars,
                         "full_text_chars": limits.full_text_chars},
        "sources": [{
            "id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
            "published": s.published.isoformat() if s.published else None, "path": paths[s.id],
            "mentions": len(mentions_by_source[s.id]),
            "segments": segments[s.id],
        } for s in result.sources],
        "facts": facts,
        "findings": [_finding_data(f, paths, result, limits, anchors) for f in result.findings],
        "stale": [{"finding": r.finding_id, "verdict": r.verdict, "note": r.note, "by": r.by, "line": r.line}
                  for r in result.stale],
        "uncatalogued": other,
        "vague": vague,
        "dropped": dropped,
    }


def _rel(path: Path | None, story: Path) -> str:
    """A path relative to the story folder, with forward slashes, as SARIF and JUnit locate files."""
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(story.resolve()).as_posix()
    except ValueError:
        return path.name


def _featured(evidence: tuple[Evidence, ...], limit: int) -> set[int]:
    """Which quotes a card shows in full: each distinct value first, then each source, then the rest."""
    chosen: list[int] = []
    seen_values: set[str] = set()
    seen_pairs: set[tuple[str, str]] = set()
    for i, e in enumerate(evidence):
        if e.value_label not in seen_values:
            seen_values.add(e.value_label)
            seen_pairs.add((e.source_id, e.value_label))
            chosen.append(i)
    for i, e in enumerate(evidence):
        if (e.source_id, e.value_label) not in seen_pairs:
            seen_pairs.add((e.source_id, e.value_label))
            chosen.append(i)
    taken = set(chosen)
    chosen += [i for i in range(len(evidence)) if i not in taken]
    # Every distinct value stays featured even past the limit: a contradiction must show both sides.
    return set(chosen[:max(limit, len(seen_values))])


def _finding_data(f: Finding, paths: dict[str, str], result: CheckResult, limits: Limits,
                  anchors: set[tuple[str, int]]) -> dict[str, Any]:
    featured = _featured(f.evidence, limits.featured_quotes)
    return {
        "id": f.id, "kind": f.kind.value, "severity": f.severity.value, "fact_id": f.fact_id,
        "fact_label": f.fact_label, "summary": f.summary, "values": list(f.values), "arithmetic": f.arithmetic,
        "status": f.status, "resolved": f.resolved, "blocks_gate": blocks_gate(f, result.gate.fail_on),
        "sources": list(f.sources), "consensus": f.consensus, "outliers": list(f.outliers),
        "resolution": None if f.resolution is None else {
            "verdict": f.resolution.verdict, "note": f.resolution.note, "by": f.resolution.by,
            "date": f.resolution.when},
        "evidence": [{
            "source_id": e.source_id, "path": paths.get(e.source_id, ""), "line": e.line, "start": e.start, "end": e.end, "text": e.text, "value": e.value_label,
            "modality": e.modality.value, "in_headline": e.in_headline, "featured": i in featured,
            "anchor": f"m-{e.source_id}-{e.start}" if (e.source_id, e.start) in anchors else f"source-{e.source_id}",
            "before": e.sentence[:max(0, e.start - e.sentence_start)],
            "figure": e.sentence[max(0, e.start - e.sentence_start):max(0, e.end - e.sentence_start)],
            "after": e.sentence[max(0, e.end - e.sentence_start):],
        } for i, e in enumerate(f.evidence)],
    }


def _segments(source: Source, mentions: list[Mention], links: dict[tuple[str, int, int], str],
              context: int | None) -> list[dict[str, Any]]:
    """The article as plain and highlighted pieces for the reading view.

    With `context` set, only that many characters either side of each mention
    are kept and each cut is a `gap` segment: the large-story reading view.
    """
    text = source.text
    out: list[dict[str, Any]] = []
    pos = 0

    def plain(start: int, end: int) -> None:
        if start >= end:
            return
        if context is None or end - start <= 2 * context + 20:
            out.append({"text": text[start:end]})
            return
        if start > 0:
            out.append({"text": text[start:start + context]})
        out.append({"text": " … ", "gap": True})
        if end < len(text):
            out.append({"text": text[end - context:end]})

    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue  # overlapping mentions: the longer, earlier one is highlighted
        plain(pos, m.start)
        out.append({"text": text[m.start:m.end], "kind": m.kind.value, "line": source.line_of(m.start),
                    "start": m.start, "finding": links.get((source.id, m.start, m.end), "")})
        pos = m.end
    plain(pos, len(text))
    return out


def _chart(fact: Fact, claims: list[Claim]) -> dict[str, Any] | None:
    """Points for the per-fact SVG chart: distinct values on one axis, the tolerance band, outliers.

    The axis spans the values (padded), so a 25 % difference is visible even
    on billions. The band is the tolerance around the value most sources state.
    """
    if fact.kind in (Kind.ENTITY, Kind.DATE):
        return None
    by_value: dict[Decimal, set[str]] = defaultdict(set)
    labels: dict[Decimal, str] = {}
    for c in claims:
        v = c.mention.value
        if isinstance(v, Decimal):
            by_value[v].add(c.mention.source_id)
            labels.setdefault(v, value_label(c.mention, fact))
    if not by_value:
        return None
    # Consensus: most sources, then the smaller value, so the choice never depends on claim order.
    consensus = min(by_value, key=lambda v: (-len(by_value[v]), v))
    band_lo, band_hi = sorted((consensus * (1 - fact.tolerance), consensus * (1 + fact.tolerance)))
    # At least +-10 % around the consensus, so the band's width reads as a share of the value.
    span = abs(consensus) * Decimal("0.1") or Decimal(1)
    lo, hi = min(min(by_value), band_lo, consensus - span), max(max(by_value), band_hi, consensus + span)
    pad = (hi - lo) * Decimal("0.05")
    lo, hi = lo - pad, hi + pad

    def x(v: Decimal) -> float:
        return round(float((v - lo) / (hi - lo)) * 100, 2)

    points = [{"x": x(v), "value": labels[v], "sources": sorted(ids), "count": len(ids),
               "outlier": not band_lo <= v <= band_hi}
              for v, ids in sorted(by_value.items())]
    return {"consensus": labels[consensus], "band": {"x1": x(band_lo), "x2": x(band_hi)},
            "min": labels[min(by_value)], "max": labels[max(by_value)], "points": points,
            "outliers": sum(1 for p in points if p["outlier"])}


# ---------------------------------------------------------------- rendering


def render(result: CheckResult, fmt: str, templates: Path | None = None, limits: Limits = Limits()) -> str:
    """The report in `fmt` (html, md, json, sarif, junit)."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    data = report_data(result, limits)
    name = FORMATS[fmt]
    if name is None:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    env = environment(templates)
    try:
        assets = _assets(env) if fmt == "html" else {}
        return env.get_template(name).render(report=data, assets=assets)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno,
                         "fix the template or remove it to use the built-in one") from None
    except jinja2.TemplateError as exc:
        if templates is None:
            raise  # a broken built-in template is our bug, not the user's
        raise InputError(f"template error in {name}: {exc}", templates,
                         hint="fix the template or remove it to use the built-in one") from None


def _assets(env: jinja2.Environment) -> dict[str, str]:
    """The page's stylesheet and script, with the CSP hashes that allow exactly them and nothing else."""
    css = env.get_template("report.css").render()
    js = env.get_template("report.js").render()

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    csp = f"default-src 'none'; style-src {digest(css)}; script-src {digest(js)}; img-src data:; base-uri 'none'; " \
          "form-action 'none'"
    return {"css": css, "js": js, "csp": csp}
