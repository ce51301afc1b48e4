"""Command line: parse options, call one library function, map its errors to exit codes.

Exit codes: 0 no unresolved contradiction, 1 unresolved contradictions (the CI
gate), 2 bad input or usage. spaCy is imported inside commands, so `--help`
stays instant.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__
from .errors import FactcheckError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_GATE, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM, unwound like Ctrl-C so a half-written report's temp file is removed."""


def _on_signal(signum: int, frame: object) -> None:
    # A second signal must not interrupt the cleanup and print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise Interrupted(signum)


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot raise again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def handle_errors(func: F) -> F:
    """Turn the package's errors into one line on stderr and their exit code: the only place that does."""
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        main_thread = threading.current_thread() is threading.main_thread()  # signal() works only there
        previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)} if main_thread else {}
        try:
            return func(*args, **kwargs)
        except FactcheckError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except BrokenPipeError:
            # The reader went away (`factcheck explain ID | head`): end quietly, as a killed writer does.
            _silence_stdout()
            sys.exit(128 + signal.SIGPIPE)
        except OSError as exc:
            # Disk full, read-only file system...: the environment, not a contradiction, so not exit 1.
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"error: {where}{exc.strerror or exc} (free space or fix permissions, then run again)",
                       err=True)
            sys.exit(EXIT_USAGE)
        except KeyboardInterrupt as exc:
            signum = exc.args[0] if isinstance(exc, Interrupted) else signal.SIGINT
            click.echo("interrupted: no report was left half-written", err=True)
            sys.exit(128 + signum)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own usage errors and exits keep their codes
        except Exception as exc:
            # A bug, never a verdict: exit 1 means "contradictions", so an unexpected error has its own code.
            show = bool(kwargs.get("verbose") or os.environ.get("FACTCHECK_DEBUG"))
            click.echo(f"internal error, please report: {type(exc).__name__}: {exc}"
                       + ("" if show else " (FACTCHECK_DEBUG=1 or --verbose shows the traceback)"), err=True)
            if show:
                traceback.print_exc()
            sys.exit(EXIT_INTERNAL)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
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

    Exit codes: 0 pass, 1 unresolved contradictions, 2 bad input or usage,
    3 internal error (a bug: please report it), 130/143 interrupted.
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
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, show_default=True,
              help="Read articles in this many processes (0: one per CPU once there are hundreds to read).")
@click.option("--no-cache", is_flag=True,
              help="Read every article again instead of reusing STORY/.factcheck/cache.sqlite.")
@click.option("--format", "output_format", type=click.Choice(["text", "github"]), default="text", show_default=True,
              help="github: also print GitHub Actions annotations (::error for contradictions, ::warning "
                   "for discrepancies) on stdout.")
@click.option("--strict", is_flag=True,
              help="Treat warnings (a source skipped as empty, unreadable or linked from outside the story) as "
                   "errors: exit 2, so that a lost article can never turn a FAIL into a PASS unnoticed.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option("-v", "--verbose", is_flag=True, help="List every finding and count the numbers dropped as not figures.")
@handle_errors
def check(story: Path, html_path: Path | None, md_path: Path | None, json_path: Path | None,
          sarif_path: Path | None, junit_path: Path | None, no_html: bool, templates: Path | None,
          fail_on: str, max_bytes: int, jobs: int, no_cache: bool, output_format: str, strict: bool, quiet: bool,
          verbose: bool) -> None:
    """Read every article of STORY (default: this folder), reconcile, and write the report.

    \b
    Examples:
      factcheck check                       # the story in this folder
      factcheck check stories/deal --md report.md --fail-on discrepancy
      factcheck check --json - | jq .gate   # machine-readable
      factcheck check --format github --no-html   # in a GitHub Actions step
    """
    from .pipeline import Settings, check as run_check
    from .files import check_writable, write_all
    from .report import render
    from .workflow import github_annotations, summary

    json_stdout = json_path is not None and str(json_path) == "-"
    if json_stdout and output_format == "github":
        raise click.UsageError("--json - and --format github both print to stdout; write the JSON to a file")

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
    settings = Settings(fail_on=fail_on, max_bytes=max_bytes, jobs=jobs, cache=not no_cache)
    # No pipeline is built here: a check served from the cache never loads spaCy. A check allocates
    # many small long-lived objects (spaCy, mentions, the report); the cyclic collector's default
    # thresholds rescan them dozens of times for nothing, so it runs rarely (refcounting frees the rest).
    gc.freeze()
    gc.set_threshold(100_000, 50, 50)
    with ProgressBar(quiet or json_stdout) as progress:
        result = run_check(story, None, settings, progress=progress, warnings=warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    if strict and warnings:
        from .errors import InputError

        raise InputError(f"{len(warnings)} warning{'s' * (len(warnings) != 1)} with --strict; no report written",
                         story, hint="fix or remove the sources named above, or run without --strict")
    # Render everything before replacing anything: either every output is new or none is.
    write_all([(path, render(result, fmt, templates)) for fmt, path in outputs.items()])
    if json_stdout:
        click.echo(render(result, "json", templates), nl=False)
    else:
        if output_format == "github":
            for command in github_annotations(result, Path.cwd()):
                click.echo(command)
        if not quiet:
            click.echo(summary(result, outputs, verbose))
    sys.exit(EXIT_OK if result.gate.passed else EXIT_GATE)


class ProgressBar:
    """The `progress` callback of a check: a bar on stderr for long runs a person watches, else nothing."""

    def __init__(self, silent: bool) -> None:
        self.silent = silent
        self.bar: Any = None

    def __enter__(self) -> ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        from .workflow import show_progress

        if self.bar is None:
            if self.silent or not show_progress(total, sys.stderr.isatty(), machine_output=False):
                return
            self.bar = click.progressbar(length=total, label="reading articles", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


@main.command()
@click.argument("story", type=click.Path(path_type=Path), default=".")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: any free one; the address is printed).")
@click.option("--host", default=None,
              help="Address to listen on  [default: 127.0.0.1]. Anything but loopback lets others on the network "
                   "read the story and is allowed only when given, with a warning.")
@click.option("--templates", type=click.Path(path_type=Path, file_okay=False),
              help="Folder of Jinja templates overriding the built-in ones (missing ones fall back).")
@click.option("--fail-on", type=click.Choice(["contradiction", "discrepancy", "never"]), default="contradiction",
              show_default=True, help="What fails the gate shown on the page.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Refuse articles (and uploads) larger than this.")
@click.option("--interval", type=click.FloatRange(min=0.05), default=0.5, show_default=True,
              help="Seconds between looks at sources/ and claims/ for changes.")
@click.option("-v", "--verbose", is_flag=True, help="Log every request.")
@handle_errors
def serve(story: Path, port: int, host: str | None, templates: Path | None, fail_on: str, max_bytes: int,
          interval: float, verbose: bool) -> None:
    """Serve STORY's report as a live page on http://127.0.0.1:PORT/: it re-checks when sources/ or
    claims/ change (reading only what changed), reloads open pages, takes verdicts from a form on each
    finding that needs one (written to claims/resolutions.yaml as 'factcheck resolve' does), and adds
    articles from a URL or a file (as 'factcheck add' does). Ctrl-C stops it (exit 130).

    \b
    Examples:
      factcheck serve                        # the story in this folder, http://127.0.0.1:8000/
      factcheck serve stories/deal --port 0  # any free port
    """
    from .errors import InputError
    from .pipeline import Settings
    from .serve import DEFAULT_HOST, is_loopback, start

    if templates is not None and not templates.is_dir():
        raise InputError("templates folder not found", templates, hint="pass a folder of .j2 templates")
    if not story.is_dir():
        raise InputError("story folder not found", story, hint="pass a folder that holds sources/ and claims/")
    if not (story / "sources").is_dir():
        raise InputError("no sources/ folder", story, hint="create sources/ and put one article per file in it")
    if host is not None and not is_loopback(host):
        click.echo(f"warning: listening on {host}: anyone who can reach it can read the story; only its pages "
                   "can write verdicts (each holds this session's token)", err=True)
    gc.freeze()
    running = start(story, host or DEFAULT_HOST, port, Settings(fail_on=fail_on, max_bytes=max_bytes), templates,
                    interval, verbose, log=lambda line: click.echo(line, err=True))
    click.echo(f"serving {story} at {running.server.url} (Ctrl-C stops)")
    sys.stdout.flush()
    try:
        running.server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt as exc:
        signum = exc.args[0] if isinstance(exc, Interrupted) and exc.args else signal.SIGINT
        running.close()
        click.echo("stopped", err=True)
        sys.exit(128 + signum)


@main.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of a table.")
@click.option("--dropped/--no-dropped", default=True, show_default=True, help="List numbers that were not figures.")
@click.option("--catalog", "catalog_story", type=click.Path(path_type=Path, file_okay=False),
              help="Story folder whose claims/facts.yaml supplies entity aliases.")
@handle_errors
def extract(path: Path, as_json: bool, dropped: bool, catalog_story: Path | None) -> None:
    """Print the figures the tool reads in one article (PATH), each with its frame, and the numbers it dropped.

    The frame says what a figure measures: the measure ("deaths", "share price change"),
    whose it is (the subject; several candidates are separated by |), the time and scope
    it is stated for, and whom the article attributes it to. Figures are compared across
    articles only when their frames align.
    """
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
    rows = [("line", "kind", "value", "unit", "period", "qualifier", "modality", "measure", "subject", "time",
             "scope", "attribution", "text")]
    for m in result.mentions:
        rows.append((str(source.line_of(m.start)), m.kind.value, "" if m.value is None else str(m.value), m.unit,
                     m.period.value, m.qualifier.value, m.modality.value, m.measure or "-", m.owner or "-",
                     m.time or "-", m.scope or "-", m.attribution or "-", m.text))
    click.echo(table(rows))
    if dropped and result.dropped:
        click.echo("\nnot figures:")
        click.echo(table([("line", "text", "reason")] + [(str(source.line_of(d.start)), d.text, d.reason)
                                                         for d in result.dropped]))


def mention_json(m: Any, line: int) -> dict[str, Any]:
    return {"source": m.source_id, "line": line, "start": m.start, "end": m.end, "text": m.text,
            "kind": m.kind.value, "value": None if m.value is None else str(m.value), "high": None if m.high is None
            else str(m.high), "unit": m.unit, "period": m.period.value, "qualifier": m.qualifier.value,
            "modality": m.modality.value, "subject": m.subject,
            "frame": {"subject": m.owner, "measure": m.measure, "time": m.time, "scope": m.scope,
                      "attribution": m.attribution, "varies": m.varies}}


def table(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


@main.command()
@click.argument("finding_id")
@click.argument("story", type=click.Path(path_type=Path), default=".")
@handle_errors
def explain(finding_id: str, story: Path) -> None:
    """Print one finding (FINDING_ID from the report) with its quotes and arithmetic."""
    from .errors import InputError
    from .pipeline import check as run_check

    result = run_check(story)
    found = next((f for f in result.findings if f.id == finding_id), None)
    if found is None:
        close = [f.id for f in result.findings if f.id.split("-")[:-1] == finding_id.split("-")[:-1]]
        hint = f"did you mean {close[0]}?" if close else "run 'factcheck check' to list finding ids"
        raise InputError(f"no finding '{finding_id}'", story, hint=hint)
    from .workflow import printable

    def echo(line: str) -> None:
        click.echo(printable(line))  # article text reaches the terminal: no escape sequences

    echo(f"{found.kind.value} ({found.severity.value}) {found.id}")
    echo(f"fact: {found.fact_label} [{found.fact_id}]")
    echo(found.summary)
    if found.arithmetic:
        echo(f"arithmetic: {found.arithmetic}")
    if found.resolution:
        r = found.resolution
        echo(f"resolved: {r.verdict}" + (f" by {r.by}" if r.by else "") + (f": {r.note}" if r.note else ""))
    for e in found.evidence:
        echo(f"  {e.source_id} line {e.line} [{e.start}:{e.end}] {e.value_label}")
        echo(f"    “{e.sentence}”")


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
    from .pipeline import check as run_check
    from .resolutions import add_resolution

    result = run_check(story)
    path = add_resolution(story, finding_id, verdict, note, by, known_ids={f.id for f in result.findings})
    click.echo(f"recorded {verdict} for {finding_id} in {path}")


@main.command()
@click.argument("story", type=click.Path(path_type=Path), default=".")
@handle_errors
def init(story: Path) -> None:
    """Create a story folder STORY (default: this folder): sources/ and a commented claims/ catalogue.

    Refuses, writing nothing, when sources/ or a claims file already exists.
    """
    from .workflow import init_story

    created = init_story(story)
    for path in created.paths:
        click.echo(f"created {path}{'/' if path.is_dir() else ''}")
    import shlex

    here = str(story) in ("", ".")
    # "./-dash", not "-dash": cd would read a leading dash as an option.
    target = str(story) if story.is_absolute() or not str(story).startswith("-") else f"./{story}"
    click.echo(f"next: {'' if here else f'cd {shlex.quote(target)} && '}factcheck add FILE_OR_URL")


@main.command()
@click.argument("location", metavar="FILE_OR_URL")
@click.option("--id", "source_id", help="Id (and file name) of the source  [default: a slug of the title]")
@click.option("--title", help="Headline, if the article does not state it (or states it wrongly).")
@click.option("--publisher", help="Who published the article.")
@click.option("--published", metavar="YYYY-MM-DD", help="Publication date; resolves 'earlier this month'.")
@click.option("--url", help="Where the article was published.")
@click.option("--story", type=click.Path(path_type=Path, file_okay=False), default=Path("."), show_default=True,
              help="Story folder.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=5_000_000, show_default=True,
              help="Refuse articles (and downloads) larger than this.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds the whole download may take, connecting included.")
@handle_errors
def add(location: str, source_id: str | None, title: str | None, publisher: str | None, published: str | None,
        url: str | None, story: Path, max_bytes: int, timeout: float) -> None:
    """Import an article (a .txt, .md or .html file, or an http(s) URL) as STORY/sources/<id>.md.

    \b
    HTML is reduced to the article's main text; title, date and publisher come
    from the page where it states them and stay null otherwise. An existing
    source is never overwritten.

    \b
    Examples:
      factcheck add ~/Downloads/deal.html
      factcheck add https://example.com/news/deal --publisher "Example News"
      factcheck add notes.txt --id wire-0501 --published 2026-05-01
    """
    from .importer import ImportSettings, Overrides, add_source

    warnings: list[str] = []
    path = add_source(story, location, Overrides(source_id, title, publisher, url, published),
                      ImportSettings(timeout=timeout, max_bytes=max_bytes), warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"added {path}")


@main.group()
def catalog() -> None:
    """Work with the story's catalogue (claims/facts.yaml)."""


@catalog.command("suggest")
@click.argument("story", type=click.Path(path_type=Path), default=".")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write it  [default: STORY/claims/facts.yaml]")
@click.option("--force", is_flag=True, help="Replace an existing catalogue.")
@handle_errors
def catalog_suggest(story: Path, output: Path | None, force: bool) -> None:
    """Write a starter catalogue from the figures the articles of STORY state.

    Facts that two or more articles state become entries with kind, unit, rate
    period and cue words from their sentences; entity facts of an existing
    catalogue are kept. Review it, then run 'factcheck check'.
    """
    from .nlp import build_pipeline
    from .suggest import suggest_catalog

    warnings: list[str] = []
    path = suggest_catalog(story, build_pipeline(), output, force, warnings=warnings)
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"wrote {path}")


@main.command("eval")
@click.argument("gold_dir", type=click.Path(path_type=Path, exists=True, file_okay=False))
@click.option("--errors/--no-errors", default=False, show_default=True,
              help="List every miss and wrong field (mention gold), or every missed conflict and false "
                   "blocking finding (findings gold).")
@click.option("--suggested-catalogue", is_flag=True,
              help="Findings gold: check each story with the catalogue 'factcheck catalog suggest' writes, "
                   "unedited (in a temporary copy), instead of none.")
@click.option("--values", is_flag=True,
              help="Mention gold written in units as printed (tests/sentences): value and value+unit "
                   "precision, recall and F1 per folder.")
@handle_errors
def evaluate(gold_dir: Path, errors: bool, suggested_catalogue: bool, values: bool) -> None:
    """Score the tool against hand-written gold: mentions per kind, or findings per story.

    GOLD_DIR is a story folder with gold.yaml, or a folder of such stories.
    A gold.yaml with `mentions:` scores the extractor (precision, recall, F1
    per kind); one with `figures:` (real stories, tests/real) scores the
    findings of a check with no catalogue: gold conflicts raised, at the gold's
    severity, false blocking contradictions, agreements found. A gold folder
    without sources/ scores the story in the current directory.

    \b
    Examples:
      factcheck eval tests/gold
      factcheck eval tests/real --errors
      factcheck eval tests/sentences --values
    """
    from .evaluate import evaluate_story, format_errors, format_table
    from .evaluate_findings import (
        check_with_suggested_catalogue, format_findings_table, is_findings_gold, load_findings_gold, score_story,
    )
    from .nlp import build_pipeline
    from .pipeline import Settings, check as run_check

    folders = [gold_dir] if (gold_dir / "gold.yaml").exists() else sorted(
        p for p in gold_dir.iterdir() if (p / "gold.yaml").exists())
    if not folders:
        from .errors import InputError

        raise InputError("no gold.yaml found", gold_dir, hint="pass a folder holding gold.yaml or story folders")
    nlp = build_pipeline()
    if values:
        from .evaluate_values import evaluate_values, format_values_table

        value_scores = [evaluate_values(folder, nlp) for folder in folders]
        click.echo(format_values_table(value_scores))
        if errors:
            for section in value_scores:
                for miss in section.misses:
                    click.echo(f"{section.name}: {miss}")
        return
    finding_scores = []
    for folder in folders:
        story = folder if (folder / "sources").is_dir() else Path(".")
        if is_findings_gold(folder / "gold.yaml"):
            gold = load_findings_gold(folder / "gold.yaml")
            if suggested_catalogue:
                result = check_with_suggested_catalogue(story, nlp)
            else:
                result = run_check(story, nlp, Settings(cache=False))
            score = score_story(folder.name, gold, result)
            finding_scores.append(score)
            if errors:
                for missed in score.missed:
                    click.echo(f"{folder.name}: missed conflict {missed}")
                for false in score.false:
                    click.echo(f"{folder.name}: false blocking {false}")
            continue
        scores = evaluate_story(story, nlp, folder / "gold.yaml")
        click.echo(f"== {folder.name}\n{format_table(scores)}")
        if errors:
            click.echo(format_errors(scores))
    if finding_scores:
        click.echo(format_findings_table(finding_scores))


if __name__ == "__main__":  # pragma: no cover
    main()
