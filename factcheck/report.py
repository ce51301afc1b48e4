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
import functools
import hashlib
import json
import re
import shlex
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
from .catalog import VERDICTS
from .model import CheckResult, CheckStatus, Claim, Evidence, Fact, Finding, FindingKind, Kind, Mention, Modality, Source, time_year
from .gate import blocks_gate, needs_verdict
from .labels import time_label, value_label

SCHEMA_VERSION = 1
FORMATS = {"html": "report.html.j2", "md": "report.md.j2", "json": None, "sarif": "report.sarif.j2",
           "junit": "report.junit.xml.j2"}
KIND_ORDER = [k.value for k in FindingKind]
KIND_LABEL = {"agreement": "agreement", "discrepancy": "discrepancy", "contradiction": "contradiction",
              "derived": "derived check", "internal": "internal inconsistency", "single_source": "single-source"}
# How findings that need a verdict are listed, after those that block the gate: contradictions, failed
# derived checks, discrepancies, then an article against itself.
VERDICT_ORDER = {"contradiction": 0, "derived": 1, "discrepancy": 2, "internal": 3}
# The verdict a resolve command suggests; the editor may pick any of catalog.VERDICTS.
SUGGESTED_VERDICT = {"discrepancy": "rounding"}
# Findings between sources that name a consensus and the sources that differ from it.
CONFLICTS = (FindingKind.CONTRADICTION, FindingKind.DISCREPANCY)
ASSERTED = (Modality.STATED, Modality.PLANNED)
# Times a figure is stated for, earliest first (the lexicon's `times`): how a chart orders readings.
# An explicit year ("year 2011") comes first, by year; "" is the article's own, unstated time.
TIME_ORDER = {t: i for i, t in enumerate(["earlier", "estimate", "forecast", "quarter", "full year", "premarket",
                                          "open", "intraday", "", "close", "after-hours"])}
MODALITY_SUFFIX = re.compile(r" \((planned|hypothetical|negated)\)$")
# The built-in chart: a 200-unit axis, 9px labels no wider than this per character (an overestimate,
# so that labels laid out apart never touch in the browser).
CHART_W, CHAR_W = 220, 6.0
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
    return _environment(templates)


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Jinja's own cache of compiled templates, in its per-user folder of the temporary directory.

    Compiling the report's templates is a third of a second of every `check`; the cache is keyed by
    the template's path and checked against its source, so an edited template is compiled afresh.
    Where no private folder can be made (a read-only /tmp), templates are compiled as before.
    """
    try:
        return jinja2.FileSystemBytecodeCache()
    except (OSError, RuntimeError):
        return None


@functools.lru_cache(maxsize=8)
def _environment(templates: Path | None) -> jinja2.Environment:
    """One environment per templates folder and process: a template is compiled once, not per report
    (Jinja reloads one whose file changed)."""
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
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["md"] = md_escape
    env.filters["tojson_compact"] = tojson_compact
    env.filters["article_html"] = article_html
    # The loops that run once per article or per figure on a big story, as Python (the same markup a
    # Jinja loop would print, a tenth of the time).
    env.filters["who_map"] = who_map
    env.filters["matrix_head"] = matrix_head
    env.filters["matrix_cells"] = matrix_cells
    env.filters["source_options"] = source_options
    env.filters["source_row"] = source_row
    env.filters["source_view"] = source_view
    env.filters["figure_row"] = figure_row
    env.filters["quote_list"] = quote_list
    env.filters["split_quotes"] = split_quotes
    env.filters["unfeatured"] = lambda evidence: [e for e in evidence if not e["featured"]]
    # surrogateescape: a file name that is not UTF-8 is percent-encoded byte for byte, not a crash.
    env.filters["uri"] = lambda path: urllib.parse.quote(str(path).encode("utf-8", "surrogateescape"), safe="/")
    return env


def strip_invalid(text: str) -> str:
    """Drop control characters from a rendered report: they break XML and mean nothing to a reader.

    Once over the output, not per printed value (a 1,000-article page prints 200,000 values); the
    same result, since escaping neither makes nor hides these characters.
    """
    return XML_INVALID.sub("", text)


try:  # markupsafe's own escaping of a str, in C, without wrapping the result in Markup
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover - a pure-Python markupsafe: the same five replacements
    def _escape_text(s: str, /) -> str:
        return s.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace("'", "&#39;") \
            .replace('"', "&#34;")


def _esc(value: object) -> str:
    """markupsafe.escape of plain data (text, numbers) as text, without building a Markup per value
    (the report prints some 100,000 of them on a 1,000-article story). Hot loops below call
    `_escape_text` directly on fields that are always text, and print integers as they are."""
    if value.__class__ is str:
        return _escape_text(value)  # type: ignore[arg-type]
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_text(str(value))


def article_html(segments: list[dict[str, Any]], source_id: str) -> Markup:
    """The reading view of one article as HTML: text escaped, each mention a marked (and linked) span."""
    sid = _esc(source_id)
    out = []
    for seg in segments:
        text = _escape_text(seg["text"])
        if "kind" in seg:
            anchor = f'id="m-{sid}-{int(seg["start"])}"'
            if seg["finding"]:
                out.append(f'<a class="m" {anchor} href="#finding-{_escape_text(seg["finding"])}">{text}</a>')
            else:
                out.append(f'<span class="m" {anchor}>{text}</span>')
        elif "gap" in seg:
            out.append(f'<span class="gap">{text}</span>')
        else:
            out.append(text)
    return Markup("".join(out))


def who_map(sources: list[dict[str, Any]]) -> dict[str, Markup]:
    """Each source's name (and date) as a page prints it beside a quote, by source id."""
    out = {}
    for s in sources:
        when = f' <time datetime="{_esc(s["published"])}">{_esc(s["published"])}</time>' if s["published"] else ""
        out[s["id"]] = Markup(f'<span class="who" title="{_esc(s["id"])}">{_esc(s["name"])}</span>{when}')
    return out


def matrix_head(sources: list[dict[str, Any]]) -> Markup:
    """The matrix's column headers: one per source."""
    out = []
    for s in sources:
        sid = _esc(s["id"])
        when = f'<small>{_esc(s["published"])}</small>' if s["published"] else ""
        out.append(f'<th scope="col"><a href="#source-{sid}" title="{_esc(s["title"] or s["name"])} ({sid})">'
                   f'{_esc(s["name"])}</a>{when}</th>')
    return Markup("".join(out))


def matrix_cells(cells: dict[str, dict[str, Any]], source_ids: list[str]) -> Markup:
    """One fact's row of cells, a source per column: its values and status, or a dash."""
    out = []
    for sid in source_ids:
        cell = cells.get(sid)
        if not cell:
            out.append('<td class="e">–</td>')
            continue
        role = f' data-role="{_esc(cell["role"])}"' if cell["role"] else ""
        values = _esc("; ".join(map(str, cell["values"])))
        shown = f'<a href="#finding-{_esc(cell["finding"])}">{values}</a>' if cell["finding"] else values
        out.append(f'<td class="c s-{_esc(cell["status"])} t-{_esc(cell["tone"])}"{role}>{shown}'
                   f'<small>{_esc(cell["label"])}</small></td>')
    return Markup("".join(out))


def source_options(sources: list[dict[str, Any]]) -> Markup:
    """The findings filter's choice of source."""
    return Markup("".join(
        f'<option value="{_esc(s["id"])}">{_esc(s["name"])}'
        f'{_esc(" (" + str(s["id"]) + ")") if s["name"] != s["id"] else ""}</option>' for s in sources))


def source_row(s: dict[str, Any]) -> Markup:
    """One article's row in the table of sources."""
    sid = _esc(s["id"])
    return Markup(f'<tr><th scope="row"><a href="#source-{sid}">{_esc(s["name"])}</a></th>'
                  f'<td>{_esc(s["publisher"] or "–")}</td><td>{_esc(s["title"] or "–")}</td>'
                  f'<td>{_esc(s["published"] or "–")}</td><td><code>{sid}</code></td>'
                  f'<td><code>{_esc(s["path"])}</code></td><td>{_esc(s["mentions"])}</td></tr>')


def source_view(s: dict[str, Any]) -> Markup:
    """One article's reading view: a folded summary line, then the text with its mentions marked."""
    sid = _esc(s["id"])
    when = f' {_esc(s["published"])}' if s["published"] else ""
    title = f' {_esc(s["title"])}' if s["title"] and s["title"] != s["name"] else ""
    plural = "s" if s["mentions"] != 1 else ""
    return Markup(f'  <details class="source" id="source-{sid}">\n'
                  f'    <summary><strong>{_esc(s["name"])}</strong>{when}{title} <span class="soft">· {sid} · '
                  f'{_esc(s["mentions"])} mention{plural}</span></summary>\n'
                  f'<div class="article">{article_html(s["segments"], s["id"])}</div>\n  </details>')


def figure_row(u: dict[str, Any], why: str = "") -> Markup:
    """A row of the table of figures in no finding; `why` says which list it comes from."""
    reason = {"uncatalogued": f'uncatalogued, one source: {u.get("value")}',
              "dropped": f'not a figure: {u.get("reason")}'}.get(why, u.get("reason"))
    return Markup(f'<tr><td>{_esc(u["source_id"])}</td><td>{_esc(u["line"])}</td><td>{_esc(u["text"])}</td>'
                  f'<td>{_esc(reason)}</td></tr>')


def split_quotes(evidence: list[dict[str, Any]], row: bool, outliers: list[str]) -> tuple[list[Any], list[Any]]:
    """A card's featured quotes: those shown, and those folded (a row shows each outlier's first differing quote)."""
    shown: list[dict[str, Any]] = []
    folded: list[dict[str, Any]] = []
    seen: set[str] = set()
    for e in evidence:
        if not e["featured"]:
            continue
        if row and outliers and (not e["outlier"] or e["source_id"] in seen):
            folded.append(e)
        else:
            shown.append(e)
            seen.add(e["source_id"])
    return shown, folded


def quote_list(evidence: list[dict[str, Any]]) -> Markup:
    """The quotes a finding's card folds, one line each with its link."""
    return Markup("".join(
        f'<li><a href="#{_escape_text(e["anchor"])}">{_escape_text(e["path"])}:{int(e["line"])}</a> '
        f'“{_escape_text(e["text"])}” {_escape_text(e["value"])}</li>' for e in evidence))


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
    story = result.story.resolve()
    folders: dict[Path, Path] = {}
    paths = {s.id: _rel(s.path, story, folders) for s in result.sources}  # resolved once per file, not per quote
    fact_map = {f.id: f for f in result.facts}
    claims_by_fact: dict[str, list[Claim]] = defaultdict(list)
    claim_of: dict[tuple[str, int, int], Claim] = {}
    for c in result.claims:
        claims_by_fact[c.fact_id].append(c)
        claim_of.setdefault((c.mention.source_id, c.mention.start, c.mention.end), c)
    mentions_by_source: dict[str, list[Mention]] = defaultdict(list)
    for m in result.mentions:
        mentions_by_source[m.source_id].append(m)
    counts = Counter(f.kind.value for f in result.findings)
    unresolved = Counter(f.kind.value for f in result.findings if not f.resolved)
    fail_on = result.gate.fail_on

    sides = _Sides(fact_map, claims_by_fact, claim_of)
    cells_best: dict[tuple[str, str], tuple[tuple[int, int], Finding, _Cell]] = {}
    mention_finding: dict[tuple[str, int, int], str] = {}
    side_of: dict[str, _Side] = {}
    for order, f in enumerate(result.findings):
        side = side_of[f.id] = sides.of(f)
        blocking = blocks_gate(f, fail_on)
        seen: set[tuple[str, str]] = set()
        cell_of: dict[bool, _Cell] = {}  # a source's cell depends on it only by whether it is an outlier
        for e in f.evidence:
            claim = claim_of.get((e.source_id, e.start, e.end))
            key = (claim.fact_id if claim else f.fact_id, e.source_id)
            mention_finding.setdefault((e.source_id, e.start, e.end), f.id)
            if key in seen:
                continue
            seen.add(key)
            odd = e.source_id in side.outliers
            cell = cell_of.get(odd)
            if cell is None:
                cell = cell_of[odd] = _cell(f, e.source_id, side, blocking)
            rank = (cell.rank, order)
            best = cells_best.get(key)
            if best is None or rank < best[0]:
                cells_best[key] = (rank, f, cell)

    facts = []
    for fact in result.facts:
        by_source: dict[str, set[str]] = defaultdict(set)
        labels: dict[tuple[object, ...], str] = {}  # thousands of articles repeat a handful of values
        for c in claims_by_fact[fact.id]:
            m = c.mention
            label_key = _label_key(m)
            label = labels.get(label_key)
            if label is None:
                label = labels[label_key] = value_label(m, fact)
            by_source[m.source_id].add(label)
        if fact.discovered and len(by_source) < 2:
            continue  # an uncatalogued figure from one article is listed below, not a row
        cells = {}
        for sid, values in sorted(by_source.items()):
            found = cells_best.get((fact.id, sid))
            if found is None:
                cells[sid] = {"values": sorted(values), "status": "listed", "detail": "", "finding": "",
                              "role": "", "tone": "plain", "label": "listed"}
                continue
            _, f, cell = found
            cells[sid] = {"values": sorted(values), "status": f.kind.value, "detail": str(f.status),
                          "finding": f.id, "role": cell.role, "tone": cell.tone, "label": cell.label}
        facts.append({
            "id": fact.id, "label": fact.label, "kind": fact.kind.value, "unit": fact.unit,
            "period": fact.period.value, "discovered": fact.discovered, "tolerance": float(fact.tolerance),
            "cells": cells, "chart": _chart(fact, claims_by_fact[fact.id], sides.odd_values),
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
    findings = [_finding_data(f, paths, fail_on, limits, anchors, side_of[f.id]) for f in result.findings]
    verdicts = sorted((f for f in findings if f["needs_verdict"]),
                      key=lambda f: (not f["blocks_gate"], VERDICT_ORDER.get(f["kind"], len(VERDICT_ORDER))))
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "factcheck", "version": __version__},
        "story": story.name,
        "gate": {"passed": result.gate.passed, "reason": result.gate.reason, "fail_on": fail_on},
        "warnings": list(result.warnings),
        "counts": {k: counts.get(k, 0) for k in KIND_ORDER},
        "unresolved": {k: unresolved.get(k, 0) for k in KIND_ORDER},
        "catalog": {"path": _rel(result.catalog.path, story) if result.catalog.path else None,
                    "facts": len(result.catalog.facts), "relations": len(result.catalog.relations)},
        "reading_view": {"mode": "excerpts" if excerpts else "full", "context_chars": limits.excerpt_chars,
                         "full_text_chars": limits.full_text_chars},
        "sources": [{
            "id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url, "name": s.publisher or s.title or s.id,
            "published": s.published.isoformat() if s.published else None, "path": paths[s.id],
            "mentions": len(mentions_by_source[s.id]),
            "segments": segments[s.id],
        } for s in result.sources],
        "facts": facts,
        "findings": findings,
        "verdicts": [f["id"] for f in verdicts],
        "stale": [{"finding": r.finding_id, "verdict": r.verdict, "note": r.note, "by": r.by, "line": r.line}
                  for r in result.stale],
        "uncatalogued": other,
        "vague": vague,
        "dropped": dropped,
    }


def resolve_command(finding: Finding) -> str:
    """The command that records a verdict on `finding`, ready to paste (the note still to write)."""
    verdict = SUGGESTED_VERDICT.get(finding.kind.value, "source-error")
    assert verdict in VERDICTS
    return f'factcheck resolve {shlex.quote(finding.id)} --verdict {verdict} --note "…"'


@dataclass(frozen=True)
class _Side:
    """Who a finding sets against whom: the consensus value and its sources, the outlier sources and quotes."""

    consensus: str = ""
    agreeing: tuple[str, ...] = ()
    outliers: tuple[str, ...] = ()
    odd: frozenset[tuple[str, int, int]] = frozenset()  # the outliers' differing quotes: (source, start, end)


@dataclass(frozen=True)
class _Cell:
    rank: int  # which finding a (fact, source) cell shows when several quote it: the lowest
    tone: str  # conflict, warning, ok, resolved, info, plain: the cell's colour
    role: str  # outlier, consensus or ""
    label: str  # the status in words


def _cell(f: Finding, source_id: str, side: _Side, blocking: bool) -> _Cell:
    """How one source's cell reads for one finding: only an outlier's cell is red; a verdict shows."""
    kind = f.kind
    role = "outlier" if source_id in side.outliers else ("consensus" if kind in CONFLICTS else "")
    if f.resolution is not None:
        return _Cell(2, "resolved", role, f"resolved: {f.resolution.verdict}")
    if kind in CONFLICTS:
        if role == "consensus":
            return _Cell(3, "ok", role, "consensus")
        tone = "conflict" if kind == FindingKind.CONTRADICTION or blocking else "warning"
        what = "outlier" if side.agreeing else "sources split"
        return _Cell(0 if tone == "conflict" else 1, tone, role, f"{KIND_LABEL[kind.value]}: {what}")
    if kind == FindingKind.DERIVED:
        status = f"{KIND_LABEL['derived']}: {f.status}"
        if blocking:
            return _Cell(0, "conflict", role, f"{status}, blocks the gate")
        if f.status == CheckStatus.INCONSISTENT:
            return _Cell(1, "warning", role, status)
        return _Cell(5, "info", role, status)
    if kind == FindingKind.AGREEMENT:
        return _Cell(4, "ok", role, "agreement")
    if kind == FindingKind.INTERNAL:
        return _Cell(1, "warning", role, KIND_LABEL["internal"])
    if blocking:
        return _Cell(0, "conflict", role, f"{KIND_LABEL.get(kind.value, kind.value)}, blocks the gate")
    return _Cell(6, "plain", role, KIND_LABEL.get(kind.value, kind.value))


class _Sides:
    """The consensus and outliers of each conflict finding, and the chart values the outliers state.

    A finding from the frames names its outliers (`Finding.outliers`); for the others (catalogued
    facts, entity facts) they are worked out here the same way: the value (compatible entity values
    as one) most of the fact's sources state is the consensus, and a source stating another value in
    the finding is an outlier. With no single most-stated value the sources are split: all are outliers.
    """

    def __init__(self, facts: dict[str, Fact], claims_by_fact: dict[str, list[Claim]],
                 claim_of: dict[tuple[str, int, int], Claim]) -> None:
        self.facts = facts
        self.claims_by_fact = claims_by_fact
        self.claim_of = claim_of
        self.support_of: dict[str, dict[object, set[str]]] = {}
        self.odd_values: dict[tuple[str, Decimal], bool] = {}  # (fact, value) -> every finding on it resolved

    def key(self, fact_id: str, m: Mention) -> tuple[str, object]:
        fact = self.facts.get(fact_id)
        if isinstance(m.value, str) and fact is not None:
            for group in fact.compatible:
                if m.value in group:
                    return fact_id, tuple(group)
        return fact_id, m.value

    def support(self, fact_id: str) -> dict[object, set[str]]:
        """Sources asserting each value of a fact: counted once per fact, not per finding."""
        found = self.support_of.get(fact_id)
        if found is None:
            found = self.support_of[fact_id] = defaultdict(set)
            for c in self.claims_by_fact.get(fact_id, []):
                if c.mention.modality in ASSERTED:
                    found[self.key(fact_id, c.mention)].add(c.mention.source_id)
        return found

    def of(self, f: Finding) -> _Side:
        if f.kind not in CONFLICTS:
            return _Side(f.consensus, (), tuple(f.outliers))
        keyed: list[tuple[object, Evidence]] = []
        for e in f.evidence:
            claim = self.claim_of.get((e.source_id, e.start, e.end))
            keyed.append((self.key(claim.fact_id, claim.mention) if claim else (f.fact_id, e.value_label), e))
        keys = list(dict.fromkeys(k for k, _ in keyed))
        support: dict[object, set[str]] = {k: set() for k in keys}
        for k, e in keyed:
            support[k].add(e.source_id)
        for k in keys:
            assert isinstance(k, tuple)
            support[k] |= self.support(k[0]).get(k, set())
        named = set(f.outliers)
        if named:
            ranked = sorted((k for k in keys if support[k] - named), key=lambda k: (-len(support[k] - named),
                                                                                     keys.index(k)))
            top = ranked[0] if ranked else None
            outliers = named
        else:
            most = max(len(v) for v in support.values())
            tops = [k for k in keys if len(support[k]) == most]
            top = tops[0] if len(tops) == 1 else None
            outliers = {e.source_id for k, e in keyed if k != top}
        odd = [e for k, e in keyed if e.source_id in outliers and k != top] or \
            [e for _, e in keyed if e.source_id in outliers]
        for e in odd:
            claim = self.claim_of.get((e.source_id, e.start, e.end))
            if claim is not None and isinstance(claim.mention.value, Decimal):
                key = (claim.fact_id, claim.mention.value)
                self.odd_values[key] = self.odd_values.get(key, True) and f.resolved
        agreeing = tuple(sorted(support[top] - outliers)) if top is not None else ()
        consensus = f.consensus
        if not consensus and top is not None:
            labels = dict.fromkeys(MODALITY_SUFFIX.sub("", e.value_label) for k, e in keyed if k == top)
            consensus = f"{' = '.join(labels)} ({len(agreeing)} source{'s' * (len(agreeing) != 1)})"
        return _Side(consensus, agreeing, tuple(sorted(outliers)),
                     frozenset((e.source_id, e.start, e.end) for e in odd))


def _label_key(m: Mention) -> tuple[object, ...]:
    """Everything value_label reads of a mention (for one fact): mentions alike here read alike."""
    return (m.kind, str(m.value), m.unit, str(m.high), m.qualifier, m.period, m.modality,
            m.text if m.value is None else "")


def _rel(path: Path | None, story: Path, folders: dict[Path, Path] | None = None) -> str:
    """A path relative to the (resolved) story folder, with forward slashes, as SARIF and JUnit locate files.

    `folders` remembers resolved folders: a file that is not a symbolic link resolves to its resolved
    folder and its name, one lstat instead of one per path component (1,000 articles share a folder).
    """
    if path is None:
        return ""
    try:
        if folders is None or path.name in ("", ".", "..") or path.is_symlink():
            resolved = path.resolve()
        else:
            folder = folders.get(path.parent)
            if folder is None:
                folder = folders[path.parent] = path.parent.resolve()
            resolved = folder / path.name
        return resolved.relative_to(story).as_posix()
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


def _finding_data(f: Finding, paths: dict[str, str], fail_on: str, limits: Limits,
                  anchors: set[tuple[str, int]], side: _Side) -> dict[str, Any]:
    featured = _featured(f.evidence, limits.featured_quotes)
    verdict = needs_verdict(f)
    return {
        "id": f.id, "kind": f.kind.value, "severity": f.severity.value, "fact_id": f.fact_id,
        "fact_label": f.fact_label, "summary": f.summary, "values": list(f.values), "arithmetic": f.arithmetic,
        "status": f.status, "resolved": f.resolved, "blocks_gate": blocks_gate(f, fail_on),
        "needs_verdict": verdict, "resolve": resolve_command(f) if verdict else "",
        "sources": list(f.sources), "consensus": side.consensus, "agreeing": list(side.agreeing),
        "outliers": list(side.outliers),
        "resolution": None if f.resolution is None else {
            "verdict": f.resolution.verdict, "note": f.resolution.note, "by": f.resolution.by,
            "date": f.resolution.when},
        "evidence": [_quote_data(i, e, paths, featured, side.odd, anchors) for i, e in enumerate(f.evidence)],
    }


def _quote_data(i: int, e: Evidence, paths: dict[str, str], featured: set[int],
                odd: frozenset[tuple[str, int, int]], anchors: set[tuple[str, int]]) -> dict[str, Any]:
    """One quote of a finding as report data: where it is, its value, and its sentence cut around the figure."""
    sid, start, end, sentence = e.source_id, e.start, e.end, e.sentence
    a, b = max(0, start - e.sentence_start), max(0, end - e.sentence_start)
    return {
        "source_id": sid, "path": paths.get(sid, ""), "line": e.line, "start": start, "end": end, "text": e.text,
        "value": e.value_label, "modality": e.modality.value, "in_headline": e.in_headline, "featured": i in featured,
        "outlier": (sid, start, end) in odd,
        "anchor": f"m-{sid}-{start}" if (sid, start) in anchors else f"source-{sid}",
        "before": sentence[:a], "figure": sentence[a:b], "after": sentence[b:],
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


def _chart(fact: Fact, claims: list[Claim], odd: dict[tuple[str, Decimal], bool]) -> dict[str, Any] | None:
    """Points for the per-fact SVG chart: distinct values on one axis, the tolerance band, outliers.

    The axis spans the values (padded), so a 25 % difference is visible even on billions. The band
    is the tolerance around the value most sources state. A point is an outlier when a finding
    names a source stating it as one (the same judgement the cells show). When the figures' frames
    give different times or scopes the chart is a `spread`: one row per (time, value), earliest
    first, labelled with the time. Labels are laid out so that none overlaps another.
    """
    if fact.kind in (Kind.ENTITY, Kind.DATE):
        return None
    numeric = [c.mention for c in claims if isinstance(c.mention.value, Decimal)]
    if not numeric:
        return None
    times = {m.time for m in numeric}
    scopes = {m.scope for m in numeric}
    spread = len(times) > 1 or len(scopes) > 1
    by_point: dict[tuple[Decimal, str, str], set[str]] = defaultdict(set)
    by_value: dict[Decimal, set[str]] = defaultdict(set)
    labels: dict[Decimal, str] = {}
    for m in numeric:
        assert isinstance(m.value, Decimal)
        by_value[m.value].add(m.source_id)
        by_point[(m.value, m.time if len(times) > 1 else "", m.scope if len(scopes) > 1 else "")].add(m.source_id)
        if m.value not in labels:
            labels[m.value] = value_label(m, fact)
    # Consensus: not an outlier's value, then most sources, then the smaller value (never claim order).
    consensus = min(by_value, key=lambda v: ((fact.id, v) in odd, -len(by_value[v]), v))
    band_lo, band_hi = sorted((consensus * (1 - fact.tolerance), consensus * (1 + fact.tolerance)))
    # At least +-10 % around the consensus, so the band's width reads as a share of the value.
    span = abs(consensus) * Decimal("0.1") or Decimal(1)
    lo, hi = min(min(by_value), band_lo, consensus - span), max(max(by_value), band_hi, consensus + span)
    pad = (hi - lo) * Decimal("0.05")
    lo, hi = lo - pad, hi + pad

    def x(v: Decimal) -> float:
        return round(float((v - lo) / (hi - lo)) * 100, 2)

    def when(time: str, scope: str) -> str:
        return ", ".join(t for t in (time_label(time), scope) if t) \
            or ("time unstated" if len(times) > 1 else "scope unstated")

    keys = sorted(by_point, key=lambda k: (_time_rank(k[1]), k[2], k[0])) if spread else sorted(by_point)
    points = []
    for row, (v, time, scope) in enumerate(keys):
        ids = by_point[(v, time, scope)]
        resolved = odd.get((fact.id, v))
        point = {"x": x(v), "value": labels[v], "sources": sorted(ids), "count": len(ids),
                 "outlier": resolved is not None, "resolved": bool(resolved),
                 "time": when(time, scope) if spread else "", "row": row if spread else 0}
        count = f" ({len(ids)})" if len(ids) > 1 else ""
        point["label"] = f"{point['time']}: {labels[v]}{count}" if spread else f"{labels[v]}{count}"
        points.append(point)
    lanes = _layout(points, spread)
    return {"consensus": labels[consensus], "band": {"x1": x(band_lo), "x2": x(band_hi)},
            "min": labels[min(by_value)], "max": labels[max(by_value)], "points": points,
            "outliers": len({p["value"] for p in points if p["outlier"]}), "spread": spread,
            "rows": len(points) if spread else 1, "lanes": lanes,
            "axis": _spread_axis(points) if spread else 10}


def _time_rank(time: str) -> tuple[int, int, str]:
    dated = time_year(time)
    if dated is not None:
        return 0, dated * 100, time
    if time.startswith("month ") and time[6:].replace("-", "").isdigit():
        # "month 2019-04" by its year and month; "month 04", of an unstated year, after every dated one
        year, _, month = time[6:].rpartition("-")
        return 0, int(year or 9999) * 100 + int(month), time
    return 1, TIME_ORDER.get(time, len(TIME_ORDER)), time


def _text_width(text: str) -> float:
    return len(text) * CHAR_W + 2


def _spread_axis(points: list[dict[str, Any]]) -> float:
    """Where a spread chart's axis starts: right of its widest row label (at most half the chart)."""
    return round(min(CHART_W / 2, max(_text_width(p["label"]) for p in points) + 8), 1)


def _layout(points: list[dict[str, Any]], spread: bool) -> int:
    """Place each point's label: `lx` (left edge, chart units) and `lane` (row below the axis).

    A spread chart puts each label at the left of its own row. Otherwise labels sit under their
    points, pushed inside the chart, each in the first lane where it overlaps no other label.
    Returns the number of lanes.
    """
    if spread:
        for p in points:
            p["lx"], p["lane"] = 0, p["row"]
        return len(points)
    ends: list[float] = []  # right edge of the last label in each lane
    for p in points:
        width = _text_width(p["label"])
        centre = 10 + p["x"] * 2
        left = max(0.0, min(centre - width / 2, CHART_W - width))
        lane = next((i for i, end in enumerate(ends) if left >= end + 4), len(ends))
        if lane == len(ends):
            ends.append(0.0)
        ends[lane] = left + width
        p["lx"], p["lane"] = round(left, 1), lane
    return len(ends)


# ---------------------------------------------------------------- rendering


@dataclass(frozen=True)
class Served:
    """What a page `factcheck serve` delivers adds: the session's token, the check's version, the verdicts."""

    token: str
    version: int
    verdicts: tuple[str, ...] = VERDICTS
    suggested: Any = None  # finding kind -> the verdict its form preselects

    def template_data(self) -> dict[str, Any]:
        return {"token": self.token, "version": self.version, "verdicts": list(self.verdicts),
                "suggested": dict(self.suggested or SUGGESTED_VERDICT)}


def render(result: CheckResult, fmt: str, templates: Path | None = None, limits: Limits = Limits(),
           served: Served | None = None) -> str:
    """The report in `fmt` (html, md, json, sarif, junit); `served` adds the live page's forms and script."""
    if fmt not in FORMATS:
        raise InputError(f"unknown report format '{fmt}'", hint=f"use one of {', '.join(FORMATS)}")
    data = report_data(result, limits)
    name = FORMATS[fmt]
    if name is None:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    env = environment(templates)
    try:
        assets = _assets(env, served is not None) if fmt == "html" else {}
        return strip_invalid(env.get_template(name).render(
            report=data, assets=assets, serve=served.template_data() if served is not None else None))
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"template error: {exc.message}", exc.filename or name, exc.lineno,
                         "fix the template or remove it to use the built-in one") from None
    except jinja2.TemplateError as exc:
        if templates is None:
            raise  # a broken built-in template is our bug, not the user's
        raise InputError(f"template error in {name}: {exc}", templates,
                         hint="fix the template or remove it to use the built-in one") from None


def _assets(env: jinja2.Environment, served: bool = False) -> dict[str, str]:
    """The page's stylesheet and script, with the CSP hashes that allow exactly them and nothing else.

    A served page adds its own style and script, and may connect to the server that sent it
    (`connect-src 'self'`: the event stream and the forms' requests); nothing else.
    """
    css = env.get_template("report.css").render()
    js = env.get_template("report.js").render()

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"

    if not served:
        csp = f"default-src 'none'; style-src {digest(css)}; script-src {digest(js)}; img-src data:; " \
              "base-uri 'none'; form-action 'none'"
        return {"css": css, "js": js, "csp": csp}
    serve_css = env.get_template("report.serve.css").render()
    serve_js = env.get_template("report.serve.js").render()
    csp = f"default-src 'none'; style-src {digest(css)} {digest(serve_css)}; script-src {digest(js)} " \
          f"{digest(serve_js)}; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'"
    return {"css": css, "js": js, "csp": csp, "serve_css": serve_css, "serve_js": serve_js}
