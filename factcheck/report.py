"""Render stage: one findings model, every format through Jinja templates.

`report_data` turns a CheckResult into plain JSON-able data (the documented
JSON schema); every template renders from that same dict. Article text is data:
HTML and XML templates autoescape, Markdown goes through `md_escape`.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import jinja2

from . import __version__
from .errors import InputError, OutputError
from .model import CheckResult, Finding, FindingKind, Kind, Mention

SCHEMA_VERSION = 1
FORMATS = {"html": "report.html.j2", "md": "report.md.j2", "json": None, "sarif": "report.sarif.j2",
           "junit": "report.junit.xml.j2"}
KIND_ORDER = [k.value for k in FindingKind]
CELL_PRIORITY = {"contradiction": 0, "discrepancy": 1, "derived": 2, "agreement": 3, "single_source": 4}


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
                                            disabled_extensions=("md.j2", "sarif.j2"),
                                            default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md_escape
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True)
    return env


def md_escape(text: object) -> str:
    """Escape Markdown and HTML specials so article text renders as text in a PR comment."""
    out = str(text)
    for ch in "\\`*_{}[]<>()#+!|~":
        out = out.replace(ch, "\\" + ch)
    return out.replace("\n", " ")


def _mention_cell(m: Mention, label: str) -> dict[str, Any]:
    return {"value": label, "text": m.text, "modality": m.modality.value}


def report_data(result: CheckResult) -> dict[str, Any]:
    """The report as plain data: what JSON prints and every template reads."""
    sources = {s.id: s for s in result.sources}
    fact_map = {f.id: f for f in result.facts}
    counts = Counter(f.kind.value for f in result.findings)
    unresolved = Counter(f.kind.value for f in result.findings if not f.resolved)
    findings = [_finding_data(f, result) for f in result.findings]
    cell_status: dict[tuple[str, str], str] = {}
    cell_finding: dict[tuple[str, str], str] = {}
    mention_finding: dict[tuple[str, int, int], str] = {}
    for f in result.findings:
        for e in f.evidence:
            key = (f.fact_id, e.source_id)
            kind = f.kind.value
            if key not in cell_status or CELL_PRIORITY[kind] < CELL_PRIORITY[cell_status[key]]:
                cell_status[key], cell_finding[key] = kind, f.id
            mention_finding.setdefault((e.source_id, e.start, e.end), f.id)
    from .reconcile import value_label  # the one place value labels are made

    facts = []
    for fact in result.facts:
        cells: dict[str, list[dict[str, Any]]] = {}
        for c in result.claims:
            if c.fact_id == fact.id:
                cells.setdefault(c.mention.source_id, []).append(_mention_cell(c.mention, value_label(c.mention, fact)))
        if fact.discovered and len(cells) < 2:
            continue  # an uncatalogued figure from one article is listed below, not a row
        facts.append({
            "id": fact.id, "label": fact.label, "kind": fact.kind.value, "unit": fact.unit,
            "period": fact.period.value, "discovered": fact.discovered,
            "cells": {sid: {"values": sorted({v["value"] for v in vals}),
                            "status": cell_status.get((fact.id, sid), "listed"),
                            "finding": cell_finding.get((fact.id, sid), "")}
                      for sid, vals in sorted(cells.items())},
            "chart": _chart(fact.id, result),
        })
    claimed = {(c.mention.source_id, c.mention.start, c.mention.end) for c in result.claims
               if not c.fact_id.startswith("~") or any(f["id"] == c.fact_id for f in facts)}
    other = [
        {"source_id": c.mention.source_id, "line": sources[c.mention.source_id].line_of(c.mention.start),
         "text": c.mention.text, "value": value_label(c.mention, fact_map.get(c.fact_id)), "fact": c.fact_id}
        for c in result.claims if (c.mention.source_id, c.mention.start, c.mention.end) not in claimed
    ]
    vague = [
        {"source_id": m.source_id, "line": sources[m.source_id].line_of(m.start), "text": m.text,
         "kind": m.kind.value, "reason": "vague or relative, no value to compare"}
        for m in result.mentions if m.value is None
    ]
    dropped = [
        {"source_id": d.source_id, "line": sources[d.source_id].line_of(d.start) if d.source_id in sources else 0,
         "text": d.text, "reason": d.reason}
        for d in result.dropped
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "factcheck", "version": __version__},
        "story": result.story.resolve().name,
        "gate": {"passed": result.gate.passed, "reason": result.gate.reason, "fail_on": result.gate.fail_on},
        "counts": {k: counts.get(k, 0) for k in KIND_ORDER},
        "unresolved": {k: unresolved.get(k, 0) for k in KIND_ORDER},
        "catalog": {"path": _rel(result.catalog.path, result.story) if result.catalog.path else None,
                    "facts": len(result.catalog.facts), "relations": len(result.catalog.relations)},
        "sources": [{
            "id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url,
            "published": s.published.isoformat() if s.published else None, "path": _rel(s.path, result.story),
            "mentions": sum(1 for m in result.mentions if m.source_id == s.id),
            "segments": _segments(s.text, [m for m in result.mentions if m.source_id == s.id], s.id, mention_finding),
        } for s in result.sources],
        "facts": facts,
        "findings": findings,
        "stale": [{"finding": r.finding_id, "verdict": r.verdict, "note": r.note, "by": r.by, "line": r.line}
                  for r in result.stale],
        "uncatalogued": other,
        "vague": vague,
        "dropped": dropped,
    }


def _rel(path: Path | None, story: Path) -> str:
    if path is None:
        return ""
    try:
        return path.resolve().relative_to(story.resolve()).as_posix()
    except ValueError:
        return path.name


def _finding_data(f: Finding, result: CheckResult) -> dict[str, Any]:
    sources = {s.id: s for s in result.sources}
    return {
        "id": f.id, "kind": f.kind.value, "severity": f.severity.value, "fact_id": f.fact_id,
        "fact_label": f.fact_label, "summary": f.summary, "values": list(f.values), "arithmetic": f.arithmetic,
        "status": f.status, "resolved": f.resolved,
        "resolution": None if f.resolution is None else {
            "verdict": f.resolution.verdict, "note": f.resolution.note, "by": f.resolution.by,
            "date": f.resolution.when},
        "evidence": [{
            "source_id": e.source_id, "path": _rel(sources[e.source_id].path, result.story) if e.source_id in sources else "",
            "line": e.line, "start": e.start, "end": e.end, "text": e.text, "value": e.value_label,
            "modality": e.modality.value, "in_headline": e.in_headline,
            "before": e.sentence[:max(0, e.start - e.sentence_start)],
            "figure": e.sentence[max(0, e.start - e.sentence_start):max(0, e.end - e.sentence_start)],
            "after": e.sentence[max(0, e.end - e.sentence_start):],
        } for e in f.evidence],
    }


def _segments(text: str, mentions: list[Mention], source_id: str,
              links: dict[tuple[str, int, int], str]) -> list[dict[str, Any]]:
    """The article as plain and highlighted pieces, for the reading view."""
    out: list[dict[str, Any]] = []
    pos = 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue
        if m.start > pos:
            out.append({"text": text[pos:m.start]})
        out.append({"text": text[m.start:m.end], "kind": m.kind.value,
                    "finding": links.get((source_id, m.start, m.end), "")})
        pos = m.end
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def _chart(fact_id: str, result: CheckResult) -> dict[str, Any] | None:
    """Points for the per-fact SVG chart: each source's value on one axis, scaled 0-100."""
    points = [(c.mention.source_id, c.mention.value, c.mention.high) for c in result.claims
              if c.fact_id == fact_id and c.mention.kind not in (Kind.ENTITY, Kind.DATE)
              and c.mention.value is not None]
    if not points:
        return None
    values = [float(v) for _, v, _ in points] + [float(h) for _, _, h in points if h is not None]
    top = max(values) * 1.1 or 1.0
    seen: dict[str, float] = {}
    for sid, v, _ in points:
        seen.setdefault(sid, float(v))  # type: ignore[arg-type]
    return {"max": top, "points": [{"source": sid, "x": round(100 * v / top, 2)} for sid, v in sorted(seen.items())]}


def render(result: CheckResult, fmt: str, templates: Path | None = None) -> str:
    """The report in `fmt` (html, md, json, sarif, junit)."""
    data = report_data(result)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    name = FORMATS.get(fmt)
    if name is None:
        raise InputError(f"unknown report format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    try:
        return environment(templates).get_template(name).render(report=data)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno,
                         "fix the template or remove it to use the built-in one") from None


def check_writable(path: Path) -> None:
    """Fail before any work when `path` cannot be written."""
    parent = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise OutputError("output path is a folder", path, hint="name a file")
    if not parent.is_dir():
        raise OutputError("output folder does not exist", parent, hint="create it or choose another path")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputError("output path is not writable", path, hint="choose another path or fix permissions")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file and rename, so a reader never sees half a report."""
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
