"""Command line: parse options, call one library function, map its errors to exit codes.

Exit codes: 0 no unresolved contradiction, 1 unresolved contradictions (the CI
gate), 2 bad input or usage. spaCy is imported inside commands, so `--help`
stays instant.
"""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import FactcheckError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_GATE, EXIT_USAGE = 0, 1, 2


def handle_errors(func: F) -> F:
    """Turn the package's errors into one line on stderr and their exit code: the only place that does."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except FactcheckError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted: no report was changed", err=True)
            sys.exit(130)
    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="factcheck")
def main() -> None:
    """Check that several articles about one story agree on their figures.

    A story folder holds sources/ (one article per file: .md with YAML front
    matter, .txt or .html) and claims/ (facts.yaml, the catalogue of what the
    story states, and resolutions.yaml, the editors' verdicts).

    \b
    Typical loop:
      factcheck check            # read every article, write report.html
      factcheck explain ID       # one finding with its quotes and arithmetic
      factcheck resolve ID --verdict source-error --note "..."

    Exit codes: 0 pass, 1 unresolved contradictions, 2 bad input or usage.
    """


@main.command()
@click.argument("story", type=click.Path(path_type=Path), default=".")
@click.option("--html", "html_path", type=click.Path(path_type=Path), default=None,
              help="Where to write the HTML report  [default: STORY/report.html]")
@click.option("--md", "md_path", type=click.Path(path_type=Path), help="Also write a Markdown report (for a PR comment).")
@click.option("--json", "json_path", type=click.Path(path_type=Path),
              help="Also write the JSON report; '-' prints it to stdout instead of the summary.")
@click.option("--sarif", "sarif_path", type=click.Path(path_type=Path), help="Also write SARIF 2.1.0 (code scanning).")
@click.option("--junit", "junit_path", type=click.Path(path_type=Path), help="Also write JUnit XML (CI test reports).")
@click.option("--no-html", is_flag=True, help="Do not write the HTML report.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of Jinja templates overriding the built-in ones (missing ones fall back).")
@click.option("--fail-on", type=click.Choice(["contradiction", "discrepancy", "never"]), default="contradiction",
              show_default=True, help="What makes the exit code 1.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Refuse articles larger than this.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@handle_errors
def check(story: Path, html_path: Path | None, md_path: Path | None, json_path: Path | None,
          sarif_path: Path | None, junit_path: Path | None, no_html: bool, templates: Path | None,
          fail_on: str, max_bytes: int, quiet: bool) -> None:
    """Read every article of STORY (default: this folder), reconcile, and write the report.

    \b
    Examples:
      factcheck check                       # the story in this folder
      factcheck check stories/deal --md report.md --fail-on discrepancy
      factcheck check --json - | jq .gate   # machine-readable
    """
    from .nlp import build_pipeline
    from .pipeline import Settings, check as run_check
    from .report import check_writable, render, write_atomic

    outputs: dict[str, Path] = {}
    if not no_html:
        outputs["html"] = html_path or story / "report.html"
    for fmt, path in (("md", md_path), ("json", json_path), ("sarif", sarif_path), ("junit", junit_path)):
        if path is not None and str(path) != "-":
            outputs[fmt] = path
    if story.is_dir():
        for path in outputs.values():
            check_writable(path)  # before any work: a bad path costs nothing
    warnings: list[str] = []
    result = run_check(story, build_pipeline(), Settings(fail_on=fail_on, max_bytes=max_bytes), warnings=warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    for fmt, path in outputs.items():
        write_atomic(path, render(result, fmt, templates))
    if json_path is not None and str(json_path) == "-":
        click.echo(render(result, "json", templates), nl=False)
    elif not quiet:
        click.echo(summary(result, outputs))
    sys.exit(EXIT_OK if result.gate.passed else EXIT_GATE)


def summary(result: Any, outputs: dict[str, Path]) -> str:
    """A short terminal summary: gate, counts, unresolved contradictions."""
    from collections import Counter

    counts = Counter(f.kind.value for f in result.findings)
    lines = [f"{'PASS' if result.gate.passed else 'FAIL'}: {result.gate.reason}",
             f"{len(result.sources)} sources, {len(result.mentions)} mentions, {len(result.findings)} findings: "
             + ", ".join(f"{counts.get(k, 0)} {k.replace('_', '-')}" for k in
                         ("agreement", "discrepancy", "contradiction", "derived", "single_source"))]
    for f in result.findings:
        if f.kind.value in ("contradiction", "discrepancy") and not f.resolved:
            lines.append(f"  {f.kind.value:<13} {f.id}  {f.summary}")
    for r in result.stale:
        lines.append(f"  stale resolution {r.finding_id} (resolutions.yaml line {r.line}): no such finding")
    for fmt, path in outputs.items():
        lines.append(f"wrote {path}")
    return "\n".join(lines)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option("--dropped/--no-dropped", default=True, show_default=True, help="List numbers that were not figures.")
@click.option("--catalog", "catalog_story", type=click.Path(path_type=Path, file_okay=False),
              help="Story folder whose claims/facts.yaml supplies entity aliases.")
@handle_errors
def extract(path: Path, as_json: bool, dropped: bool, catalog_story: Path | None) -> None:
    """Print the figures the tool reads in one article (PATH), and the numbers it dropped."""
    from .catalog import load_catalog
    from .errors import InputError
    from .extract import extract as run_extract
    from .model import Catalog
    from .nlp import build_pipeline
    from .sources import load_source

    if not path.exists():
        raise InputError("file not found", path, hint="pass the path of one article")
    warnings: list[str] = []
    source = load_source(path, warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if source is None:
        return
    catalog = load_catalog(catalog_story) if catalog_story else Catalog()
    result = run_extract(source, build_pipeline(), catalog)
    if as_json:
        for m in result.mentions:
            click.echo(json.dumps(mention_json(m, source.line_of(m.start)), ensure_ascii=False, sort_keys=True))
        if dropped:
            for d in result.dropped:
                click.echo(json.dumps({"dropped": d.text, "reason": d.reason, "line": source.line_of(d.start),
                                       "start": d.start, "end": d.end}, ensure_ascii=False, sort_keys=True))
        return
    rows = [("line", "kind", "value", "unit", "period", "qualifier", "modality", "text")]
    for m in result.mentions:
        rows.append((str(source.line_of(m.start)), m.kind.value, "" if m.value is None else str(m.value), m.unit,
                     m.period.value, m.qualifier.value, m.modality.value, m.text))
    click.echo(table(rows))
    if dropped and result.dropped:
        click.echo("\nnot figures:")
        click.echo(table([("line", "text", "reason")] + [(str(source.line_of(d.start)), d.text, d.reason)
                                                         for d in result.dropped]))


def mention_json(m: Any, line: int) -> dict[str, Any]:
    return {"source": m.source_id, "line": line, "start": m.start, "end": m.end, "text": m.text,
            "kind": m.kind.value, "value": None if m.value is None else str(m.value), "high": None if m.high is None
            else str(m.high), "unit": m.unit, "period": m.period.value, "qualifier": m.qualifier.value,
            "modality": m.modality.value, "subject": m.subject}


def table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


@main.command()
@click.argument("finding_id")
@click.argument("story", type=click.Path(path_type=Path), default=".")
@handle_errors
def explain(finding_id: str, story: Path) -> None:
    """Print one finding (FINDING_ID from the report) with its quotes and arithmetic."""
    from .errors import InputError
    from .nlp import build_pipeline
    from .pipeline import check as run_check

    result = run_check(story, build_pipeline())
    found = next((f for f in result.findings if f.id == finding_id), None)
    if found is None:
        close = [f.id for f in result.findings if f.id.split("-")[:-1] == finding_id.split("-")[:-1]]
        hint = f"did you mean {close[0]}?" if close else "run 'factcheck check' to list finding ids"
        raise InputError(f"no finding '{finding_id}'", story, hint=hint)
    click.echo(f"{found.kind.value} ({found.severity.value}) {found.id}")
    click.echo(f"fact: {found.fact_label} [{found.fact_id}]")
    click.echo(found.summary)
    if found.arithmetic:
        click.echo(f"arithmetic: {found.arithmetic}")
    if found.resolution:
        r = found.resolution
        click.echo(f"resolved: {r.verdict}" + (f" by {r.by}" if r.by else "") + (f": {r.note}" if r.note else ""))
    for e in found.evidence:
        click.echo(f"  {e.source_id} line {e.line} [{e.start}:{e.end}] {e.value_label}")
        click.echo(f"    “{e.sentence}”")


@main.command()
@click.argument("finding_id")
@click.option("--verdict", required=True, type=click.Choice(
    ["source-error", "rounding", "different-scope", "different-fact", "confirmed", "retracted", "accepted"]),
    help="What the editor decided.")
@click.option("--note", required=True, help="Why; shown in the report next to the finding.")
@click.option("--by", default="", help="Who decided.")
@click.option("--story", type=click.Path(path_type=Path, file_okay=False), default=Path("."), show_default=True,
              help="Story folder.")
@handle_errors
def resolve(finding_id: str, verdict: str, note: str, by: str, story: Path) -> None:
    """Record a verdict on FINDING_ID in claims/resolutions.yaml, keeping existing entries and comments."""
    from .nlp import build_pipeline
    from .pipeline import check as run_check
    from .resolutions import add_resolution

    result = run_check(story, build_pipeline())
    path = add_resolution(story, finding_id, verdict, note, by, known_ids={f.id for f in result.findings})
    click.echo(f"recorded {verdict} for {finding_id} in {path}")


if __name__ == "__main__":  # pragma: no cover
    main()
