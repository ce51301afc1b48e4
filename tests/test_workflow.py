"""The editor's and CI's loop around a story folder: init, add, catalog suggest, check, explain, resolve."""

from __future__ import annotations

import http.server
import io
import re
import shutil
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factcheck.catalog import load_catalog, load_resolutions
from factcheck.cli import ProgressBar, main
from factcheck.model import Kind, Period
from factcheck.sources import load_sources
from factcheck.workflow import FACTS_TEMPLATE, escape_data, escape_property, show_progress, workflow_command

REPO = Path(__file__).resolve().parent.parent
HTML = Path(__file__).parent / "fixtures" / "html"
ANSI = re.compile(r"\x1b\[")


def run(*args: str, color: bool = False) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False, color=color)
    return result.exit_code, result.stdout, result.stderr


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: proof that nothing was written."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def front_matter(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    data = yaml.safe_load(text[4:text.index("\n---\n")])
    assert isinstance(data, dict)
    return data


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A new, empty story made by `factcheck init`."""
    code, out, err = run("init", str(tmp_path / "story"))
    assert code == 0, err
    return tmp_path / "story"


# A tiny web server on 127.0.0.1 (port 0: any free port), serving path -> (content type, body).
class _Handler(http.server.BaseHTTPRequestHandler):
    pages: dict[str, tuple[str, bytes]] = {}

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        page = self.pages.get(self.path)
        if page is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", page[0])
        self.send_header("Content-Length", str(len(page[1])))
        self.end_headers()
        self.wfile.write(page[1])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    pages = {
        "/news/radio": ("text/html; charset=utf-8", (HTML / "radio.html").read_bytes()),
        "/news/gazette.html": ("text/html", (HTML / "gazette.html").read_bytes()),
        "/wire.txt": ("text/plain; charset=utf-8", b"Wire: plant approved\nThe plant will draw 45 megawatts.\n"),
        "/nav": ("text/html",
                 b"<html><head><title>Home</title></head><body><nav><a href='/'>Home</a></nav></body></html>"),
        "/big": ("text/plain", b"The plant will draw 45 megawatts. " * 100),
        "/scan.pdf": ("application/pdf", b"%PDF-1.7\x00\x00binary"),
    }
    handler = type("Handler", (_Handler,), {"pages": pages})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- init -----------------------------------------------------------------------------------------------------


def test_init_lays_out_a_story_whose_claims_load(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "new"))
    assert code == 0
    story = tmp_path / "new"
    assert (story / "sources").is_dir()
    facts = (story / "claims" / "facts.yaml").read_text(encoding="utf-8")
    assert "#   - id: contract_value" in facts  # commented examples
    assert load_catalog(story).facts == ()
    assert load_resolutions(story) == ()
    assert f"created {story / 'claims' / 'facts.yaml'}" in out


@pytest.mark.parametrize("existing", ["sources", "claims/facts.yaml", "claims/resolutions.yaml"])
def test_init_refuses_anything_that_exists_and_writes_nothing(tmp_path: Path, existing: str) -> None:
    path = tmp_path / existing
    if existing == "sources":
        path.mkdir()
    else:
        path.parent.mkdir()
        path.write_text("# mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    code, out, err = run("init", str(tmp_path))
    assert code == 2
    assert err.startswith(f"error: {path}: already exists; nothing was written")
    assert len(err.strip().splitlines()) == 1
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing.split("/")[0]]


# --- add ------------------------------------------------------------------------------------------------------

ADD_CASES = [
    pytest.param(
        "wire.txt", "Plant approved\nThe plant will draw 45 megawatts.\n", [],
        {"id": "plant-approved", "title": "Plant approved", "publisher": None, "url": None, "published": None},
        "Plant approved\nThe plant will draw 45 megawatts.\n", id="txt"),
    pytest.param(
        "notes.md", "# Council backs plant\n\nThe plant will draw *45 megawatts*.\n", ["--published", "2026-04-14"],
        {"id": "council-backs-plant", "title": "Council backs plant", "publisher": None, "url": None,
         "published": "2026-04-14"},
        "# Council backs plant\n\nThe plant will draw *45 megawatts*.\n", id="md-as-is"),
    pytest.param(
        "fm.md", "---\ntitle: Kept title\npublisher: The Ledger\n---\nBody line with 45 megawatts.\n",
        ["--url", "https://ledger.example/a"],
        {"id": "kept-title", "title": "Kept title", "publisher": "The Ledger", "url": "https://ledger.example/a",
         "published": None},
        "Body line with 45 megawatts.\n", id="md-front-matter-kept"),
    pytest.param(
        "page.txt", "Über den Fluss: €2bn\nText.\n", ["--id", "wire-0414", "--publisher", "Wire"],
        {"id": "wire-0414", "title": "Über den Fluss: €2bn", "publisher": "Wire", "url": None, "published": None},
        "Über den Fluss: €2bn\nText.\n", id="explicit-id-and-unicode-title"),
]


@pytest.mark.parametrize("name, content, options, meta, body", ADD_CASES)
def test_add_text_and_markdown_as_they_are(story: Path, tmp_path: Path, name: str, content: str,
                                           options: list[str], meta: dict[str, object], body: str) -> None:
    article = tmp_path / name
    article.write_text(content, encoding="utf-8")
    code, out, err = run("add", str(article), "--story", str(story), *options)
    assert code == 0, err
    target = story / "sources" / f"{meta['id']}.md"
    assert out == f"added {target}\n"
    got = front_matter(target)
    assert {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in got.items()} == meta
    assert list(got) == ["id", "title", "publisher", "url", "published"]
    assert target.read_text(encoding="utf-8").split("\n---\n", 1)[1] == body
    (source,) = load_sources(story).sources
    assert source.id == meta["id"]


HTML_CASES = [
    pytest.param("gazette.html", "port-quillan-signs-640-million-desalination-deal",
                 {"title": "Port Quillan signs $640 million desalination deal", "publisher": "Quillan Gazette",
                  "url": "https://gazette.example/2026/04/desalination-deal", "published": "2026-04-14"},
                 "contract worth $640 million", id="gazette-all-metadata"),
    pytest.param("coastline.html", "mariseal-wins-quillan-water-plant-at-460-million",
                 {"title": "Mariseal wins Quillan water plant at $460 million",
                  "publisher": "Coastline Business Daily", "url": None, "published": "2026-04-15"},
                 "contract worth $460 million", id="coastline-no-url"),
    pytest.param("radio.html", "desalination-plant-approved-for-port-quillan",
                 {"title": "Desalination plant approved for Port Quillan", "publisher": None, "url": None,
                  "published": None},
                 "it will use 45 megawatts", id="radio-nothing-invented"),
]


@pytest.mark.parametrize("name, source_id, meta, phrase", HTML_CASES)
def test_add_html_keeps_the_article_text_and_the_page_metadata(story: Path, name: str, source_id: str,
                                                               meta: dict[str, object], phrase: str) -> None:
    code, out, err = run("add", str(HTML / name), "--story", str(story))
    assert code == 0, err
    target = story / "sources" / f"{source_id}.md"
    got = front_matter(target)
    assert {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in got.items()} == {"id": source_id, **meta}
    body = target.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert body.startswith(f"{meta['title']}\n")  # the headline leads, as the loader expects
    assert phrase in body
    for furniture in ("Subscribe", "Copyright", "Most read", "Log in", "Listen live", "analytics", "font-family"):
        assert furniture not in body


PARAGRAPH = "<p>The council approved a contract worth $640 million with Mariseal Water on Monday night.</p>"
GUESSES = [
    pytest.param(f"<html><head><title>Plant approved</title></head><body><article>{PARAGRAPH}</article>"
                 "<footer>Copyright 2025 Quillan Gazette</footer></body></html>", id="copyright-year-is-no-date"),
    pytest.param('<html><head><title>Plant approved</title><link rel="canonical" href="https://news.example/a">'
                 f"</head><body><article>{PARAGRAPH}</article></body></html>", id="host-name-is-no-publisher"),
]


@pytest.mark.parametrize("page", GUESSES)
def test_add_html_never_guesses_metadata(story: Path, tmp_path: Path, page: str) -> None:
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    assert run("add", str(path), "--story", str(story))[0] == 0
    got = front_matter(story / "sources" / "plant-approved.md")
    assert got["published"] is None and got["publisher"] is None


def test_add_downloads_a_page_from_a_url(story: Path, server: str) -> None:
    code, out, err = run("add", f"{server}/news/radio", "--story", str(story), "--publisher", "Orvane Radio News")
    assert code == 0, err
    got = front_matter(story / "sources" / "desalination-plant-approved-for-port-quillan.md")
    assert got["url"] == f"{server}/news/radio"  # the page names no canonical URL: the address it came from
    assert got["publisher"] == "Orvane Radio News"
    assert got["published"] is None
    code, out, err = run("add", f"{server}/news/gazette.html", "--story", str(story))
    assert code == 0, err
    got = front_matter(story / "sources" / "port-quillan-signs-640-million-desalination-deal.md")
    assert got["url"] == "https://gazette.example/2026/04/desalination-deal"  # the page's own canonical URL
    code, out, err = run("add", f"{server}/wire.txt", "--story", str(story))
    assert code == 0, err
    assert front_matter(story / "sources" / "wire-plant-approved.md")["title"] == "Wire: plant approved"
    assert len(load_sources(story).sources) == 3


def _nul_file(tmp: Path) -> str:
    path = tmp / "scan.txt"
    path.write_bytes(b"%PDF-1.7\x00\x00binary")
    return str(path)


def _nav_page(tmp: Path) -> str:
    path = tmp / "nav.html"
    path.write_text("<html><head><title>Home</title></head><body><nav><a href='/'>Home</a> <a href='/x'>World</a>"
                    "</nav><script>var a = 1;</script></body></html>", encoding="utf-8")
    return str(path)


def _existing(tmp: Path) -> str:
    path = tmp / "again.txt"
    path.write_text("Plant approved\nA second copy.\n", encoding="utf-8")
    return str(path)


BAD_ADD = [
    pytest.param(lambda tmp, url: f"http://127.0.0.1:{closed_port()}/story", [], "cannot download",
                 id="unreachable-url"),
    pytest.param(lambda tmp, url: _nav_page(tmp), [], "no article text found in the page", id="html-without-article"),
    pytest.param(lambda tmp, url: f"{url}/nav", [], "no article text found in the page", id="url-without-article"),
    pytest.param(lambda tmp, url: _nul_file(tmp), [], "not a text file (contains NUL bytes)", id="nul-bytes"),
    pytest.param(lambda tmp, url: f"{url}/scan.pdf", [], "not a text file (contains NUL bytes)", id="url-nul-bytes"),
    pytest.param(lambda tmp, url: _existing(tmp), [], "a source with id 'plant-approved' already exists",
                 id="derived-id-exists"),
    pytest.param(lambda tmp, url: _existing(tmp), ["--id", "plant-approved"],
                 "a source with id 'plant-approved' already exists", id="given-id-exists"),
    pytest.param(lambda tmp, url: _existing(tmp), ["--id", "../escape"], "invalid source id '../escape'",
                 id="id-with-path"),
    pytest.param(lambda tmp, url: _existing(tmp), ["--id", "a..b"], "invalid source id 'a..b'", id="id-with-dotdot"),
    pytest.param(lambda tmp, url: _existing(tmp), ["--published", "April 14"], "--published must be a date",
                 id="bad-date"),
    pytest.param(lambda tmp, url: f"{url}/missing", [], "download failed: HTTP 404", id="http-404"),
    pytest.param(lambda tmp, url: f"{url}/big", ["--max-bytes", "1000"], "over the limit of 1,000 bytes",
                 id="download-too-big"),
    pytest.param(lambda tmp, url: str(tmp / "nowhere.html"), [], "file not found", id="missing-file"),
]


@pytest.mark.parametrize("location, options, message", BAD_ADD)
def test_add_refuses_bad_input_with_one_line_and_writes_nothing(story: Path, tmp_path: Path, server: str,
                                                                location: object, options: list[str],
                                                                message: str) -> None:
    first = tmp_path / "first.txt"
    first.write_text("Plant approved\nThe plant will draw 45 megawatts.\n", encoding="utf-8")
    assert run("add", str(first), "--story", str(story))[0] == 0
    before = snapshot(story)
    where = location(tmp_path, server)  # type: ignore[operator]
    code, out, err = run("add", where, "--story", str(story), *options)
    assert code == 2
    assert err.startswith("error: ") and message in err, err
    assert len(err.strip().splitlines()) == 1
    assert out == ""
    assert snapshot(story) == before


def test_add_without_a_story_folder_says_run_init(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Title\nBody.\n", encoding="utf-8")
    code, _, err = run("add", str(article), "--story", str(tmp_path / "nope"))
    assert code == 2 and "no sources/ folder" in err and "factcheck init" in err


# --- catalog suggest ------------------------------------------------------------------------------------------


@pytest.fixture
def quillan(story: Path) -> Path:
    """The three invented HTML articles added to a new story."""
    for name in ("gazette.html", "coastline.html", "radio.html"):
        assert run("add", str(HTML / name), "--story", str(story))[0] == 0
    return story


def test_catalog_suggest_writes_a_catalogue_that_loads(quillan: Path) -> None:
    code, out, err = run("catalog", "suggest", str(quillan))
    assert code == 0, err
    path = quillan / "claims" / "facts.yaml"
    assert out == f"wrote {path}\n"
    catalog = load_catalog(quillan)
    by_id = {f.id: f for f in catalog.facts}
    deal = by_id["deal_value"]  # a fact named by its frame: it takes figures by measure, not by cue words
    assert (deal.kind, deal.unit, deal.measure, deal.cues) == (Kind.MONEY, "USD", "deal value", ())
    power = next(f for f in catalog.facts if f.kind == Kind.POWER)
    assert (power.unit, power.period, power.measure) == ("MW", Period.NONE, "power demand")
    text = path.read_text(encoding="utf-8")
    assert "#   # stated by one article only so far" in text
    assert "#   period: month" in text  # the monthly payment only one article states, commented out
    assert "#     equals: fee_month * 12" in text


def test_catalog_suggest_never_overwrites_an_edited_catalogue_without_force(quillan: Path, tmp_path: Path) -> None:
    path = quillan / "claims" / "facts.yaml"
    path.write_text("facts: []  # the desk's own\n", encoding="utf-8")
    code, _, err = run("catalog", "suggest", str(quillan))
    assert code == 2 and "a catalogue already exists" in err and "--force" in err
    assert path.read_text(encoding="utf-8") == "facts: []  # the desk's own\n"
    elsewhere = tmp_path / "suggested.yaml"
    assert run("catalog", "suggest", str(quillan), "--output", str(elsewhere))[0] == 0
    assert "deal_value" in elsewhere.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8") == "facts: []  # the desk's own\n"
    assert run("catalog", "suggest", str(quillan), "--force")[0] == 0
    assert any(f.id == "deal_value" for f in load_catalog(quillan).facts)


def test_catalog_suggest_keeps_entity_facts_of_the_existing_catalogue(quillan: Path) -> None:
    (quillan / "claims" / "facts.yaml").write_text(
        "facts:\n  - id: builder\n    label: Who builds it\n    kind: entity\n    exclusive: true\n    values:\n"
        "      - id: mariseal\n        label: Mariseal Water\n        aliases: [\"Mariseal Water\"]\n",
        encoding="utf-8")
    assert run("catalog", "suggest", str(quillan), "--force")[0] == 0
    builder = load_catalog(quillan).fact("builder")
    assert builder is not None and builder.exclusive and builder.values[0].aliases == ("Mariseal Water",)


SUGGEST_CASES = [  # two articles -> active (id, modality), held-back ids, exit code of the check that follows
    # No measure in the frames ("carries 40,000 vehicles"): held back for the editor to name, never compared
    # by cue words alone (unedited suggestions raised false contradictions on real stories that way).
    pytest.param("The bridge carries 40,000 vehicles a day.\nTraffic is expected to reach 65,000 vehicles a day.",
                 "The bridge carries 40,000 vehicles a day.\nTraffic is expected to reach 65,000 vehicles a day.",
                 set(), {"count_vehicle_per_day", "count_vehicle_per_day_planned"}, 0,
                 id="unframed-held-back-for-the-editor"),
    pytest.param("The plant is expected to draw 45 megawatts.", "The plant draws 45 megawatts.",
                 {("power_demand", None)}, set(), 0, id="same-value-planned-and-stated-stays-one-fact"),
    pytest.param("The contract is worth $640 million, the council said.", "The firm won a contract worth $460 million.",
                 {("deal_value", None)}, set(), 1, id="one-measure-one-fact"),
    # Far-apart values of one measure are what a check is for: the frames, not the spread, decide.
    pytest.param("The contract is worth $640 million, the council said.", "The firm won a contract worth $46 million.",
                 {("deal_value", None)}, set(), 1, id="values-far-apart-compared-by-frame"),
    pytest.param("The plant draws 45 megawatts.", "The plant will open in June 2034.",
                 set(), {"power_demand", "date_date_planned"}, 0, id="one-article-only-held-back"),
]


@pytest.mark.parametrize("first, second, active, held, exit_code", SUGGEST_CASES)
def test_catalog_suggest_keeps_apart_what_should_not_be_compared(
        tmp_path: Path, first: str, second: str, active: set[tuple[str, str | None]], held: set[str],
        exit_code: int) -> None:
    story = tmp_path / "s"
    (story / "sources").mkdir(parents=True)
    (story / "claims").mkdir()
    for name, text in (("a", first), ("b", second)):
        (story / "sources" / f"{name}.txt").write_text(f"Article {name}\n{text}\n", encoding="utf-8")
    assert run("catalog", "suggest", str(story))[0] == 0
    catalog = load_catalog(story)
    assert {(f.id, f.modality.value if f.modality else None) for f in catalog.facts} == active
    text = (story / "claims" / "facts.yaml").read_text(encoding="utf-8")
    assert set(re.findall(r"^# - id: (\w+)", text, re.MULTILINE)) >= held
    assert run("check", str(story), "--no-html")[0] == exit_code


# --- a new story from nothing, exactly as docs/new-story.md tells it -----------------------------------------


def test_new_story_from_nothing_as_the_docs_tell_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    downloads = tmp_path / "Downloads"
    shutil.copytree(HTML, downloads)
    monkeypatch.chdir(tmp_path)
    doc = (REPO / "docs" / "new-story.md").read_text(encoding="utf-8")
    steps = ["factcheck init quillan-water", "cd quillan-water", "factcheck add ~/Downloads/gazette.html",
             "factcheck add ~/Downloads/coastline.html", "factcheck add ~/Downloads/radio.html",
             "factcheck catalog suggest", "factcheck check"]
    positions = [doc.index(step) for step in steps]
    assert positions == sorted(positions), "docs/new-story.md lists the steps in another order"

    assert run("init", "quillan-water")[0] == 0
    monkeypatch.chdir(tmp_path / "quillan-water")
    for name in ("gazette.html", "coastline.html", "radio.html"):
        assert run("add", str(downloads / name))[0] == 0
    assert run("catalog", "suggest")[0] == 0
    code, out, _ = run("check")
    assert code == 1
    assert Path("report.html").is_file()
    contradiction = re.search(r"contradiction +(contradiction-\S+)  .*\$460 million \(.*\) against \$640 million", out)
    assert contradiction, out

    finding_id = contradiction.group(1)
    code, out, _ = run("explain", finding_id)
    assert code == 0
    quoted = set(re.findall(r"^  (\S+) line \d+", out, re.MULTILINE))
    assert len(quoted) >= 2, out  # the finding compares the figures of several articles
    assert {"port-quillan-signs-640-million-desalination-deal",
            "mariseal-wins-quillan-water-plant-at-460-million"} <= quoted

    code, out, _ = run("resolve", finding_id, "--verdict", "source-error", "--note", "The company filing says $640m",
                       "--by", "desk")
    assert code == 0 and "recorded source-error" in out
    code, out, _ = run("check")
    assert code == 0 and out.startswith("PASS")


# --- check: the CI gate ---------------------------------------------------------------------------------------


def _power_story(tmp: Path, first: int, second: int) -> Path:
    story = tmp / f"power-{first}-{second}"
    (story / "sources").mkdir(parents=True)
    for name, mw in (("a", first), ("b", second)):
        (story / "sources" / f"{name}.txt").write_text(f"Plant {name}\nThe plant will draw {mw} megawatts.\n",
                                                       encoding="utf-8")
    return story


FAIL_ON = [  # (megawatts in two articles, --fail-on, exit code)
    pytest.param(45, 60, "contradiction", 1, id="contradiction-fails-by-default"),
    pytest.param(45, 60, "discrepancy", 1, id="contradiction-fails-on-discrepancy"),
    pytest.param(45, 60, "never", 0, id="contradiction-passes-with-never"),
    pytest.param(45, 44, "contradiction", 0, id="discrepancy-passes-by-default"),
    pytest.param(45, 44, "discrepancy", 1, id="discrepancy-fails-on-discrepancy"),
    pytest.param(45, 44, "never", 0, id="discrepancy-passes-with-never"),
    pytest.param(45, 45, "discrepancy", 0, id="agreement-passes"),
]


@pytest.mark.parametrize("first, second, fail_on, expected", FAIL_ON)
def test_fail_on_sets_the_exit_code(tmp_path: Path, first: int, second: int, fail_on: str, expected: int) -> None:
    code, out, _ = run("check", str(_power_story(tmp_path, first, second)), "--no-html", "--fail-on", fail_on)
    assert code == expected, out


def test_github_format_prints_workflow_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    story = _power_story(tmp_path, 45, 60)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("check", story.name, "--no-html", "--format", "github")
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("::")]
    assert len(errors) == 2, out
    for line, (name, mw) in zip(errors, (("a", 45), ("b", 60))):
        assert re.fullmatch(
            rf"::error file={story.name}/sources/{name}\.txt,line=2,title=factcheck contradiction%3A Power demand \(MW\)::"
            rf"Power demand \(MW\): 60 MW \(b\) against 45 MW \(1 source\) \[contradiction-power-mw-power-demand-[0-9a-f]+\]"
            rf"%0A“The plant will draw {mw} "
            rf"megawatts\.”", line), line
    assert "FAIL: 1 unresolved contradiction" in out

    discrepant = _power_story(tmp_path, 45, 44)
    code, out, _ = run("check", discrepant.name, "--no-html", "--format", "github")
    assert code == 0
    assert [line.split(" ", 1)[0] for line in out.splitlines() if line.startswith("::")] == ["::warning"] * 2
    code, out, _ = run("check", discrepant.name, "--no-html", "--format", "github", "--fail-on", "discrepancy")
    assert code == 1
    assert [line.split(" ", 1)[0] for line in out.splitlines() if line.startswith("::")] == ["::error"] * 2


def test_github_format_and_json_on_stdout_are_refused(tmp_path: Path) -> None:
    code, _, err = run("check", str(_power_story(tmp_path, 45, 60)), "--json", "-", "--format", "github")
    assert code == 2 and "both print to stdout" in err


ESCAPES = [
    pytest.param("50% of 10", "50%25 of 10", "50%25 of 10", id="percent"),
    pytest.param("a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac", id="newlines"),
    pytest.param("Power: 45, 60", "Power: 45, 60", "Power%3A 45%2C 60", id="colon-comma-only-in-properties"),
    pytest.param("%0A", "%250A", "%250A", id="escape-is-not-undone"),
]


@pytest.mark.parametrize("raw, data, prop", ESCAPES)
def test_workflow_command_escaping(raw: str, data: str, prop: str) -> None:
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
    assert workflow_command("warning", raw, file="s/a,b.md", line=3, title=raw) == \
        f"::warning file=s/a%2Cb.md,line=3,title={prop}::{data}"
    assert workflow_command("error", raw) == f"::error::{data}"


# --- terminal output ------------------------------------------------------------------------------------------


def test_summary_is_plain_when_piped_and_styled_on_a_terminal(tmp_path: Path) -> None:
    story = _power_story(tmp_path, 45, 60)
    code, piped, _ = run("check", str(story), "--no-html")
    assert code == 1 and not ANSI.search(piped)
    assert piped.startswith("FAIL: 1 unresolved contradiction\n")
    code, styled, _ = run("check", str(story), "--no-html", color=True)
    assert code == 1 and ANSI.search(styled)
    assert re.sub(r"\x1b\[[0-9;]*m", "", styled) == piped


def test_verbose_lists_every_finding_and_the_dropped_numbers(tmp_path: Path) -> None:
    story = tmp_path / "v"
    (story / "sources").mkdir(parents=True)
    (story / "sources" / "a.txt").write_text("A\nThe plant will draw 45 megawatts. Top 10 in 2025.\n", encoding="utf-8")
    (story / "sources" / "b.txt").write_text("B\nIt will draw 45 megawatts.\n", encoding="utf-8")
    code, quiet_out, _ = run("check", str(story), "--no-html")
    assert code == 0 and "agreement-power" not in quiet_out
    code, out, _ = run("check", str(story), "--no-html", "--verbose")
    assert re.search(r"agreement +agreement-power-mw-\S+ .*\[a, b\]", out), out
    assert re.search(r"^\d+ numbers dropped as not figures", out, re.MULTILINE), out
    code, out, err = run("check", str(story), "--no-html", "--quiet")
    assert code == 0 and out == ""


PROGRESS = [  # (sources, stderr is a terminal, machine output, bar drawn)
    pytest.param(51, True, False, True, id="long-run-on-a-terminal"),
    pytest.param(50, True, False, False, id="short-run"),
    pytest.param(500, False, False, False, id="stderr-piped"),
    pytest.param(500, True, True, False, id="json-on-stdout"),
]


@pytest.mark.parametrize("count, tty, machine, shown", PROGRESS)
def test_progress_bar_only_for_long_runs_someone_watches(count: int, tty: bool, machine: bool, shown: bool) -> None:
    assert show_progress(count, tty, machine) is shown


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("silent, total, drawn", [(False, 60, True), (True, 60, False), (False, 3, False)],
                         ids=["drawn", "quiet-or-json", "few-sources"])
def test_progress_bar_draws_on_stderr(monkeypatch: pytest.MonkeyPatch, silent: bool, total: int, drawn: bool) -> None:
    fake = _Terminal()
    monkeypatch.setattr(sys, "stderr", fake)
    with ProgressBar(silent) as progress:
        for i in range(1, total + 1):
            progress(i, total)
    assert ("reading articles" in fake.getvalue()) is drawn


# --- pre-commit hook and CI example ---------------------------------------------------------------------------


def test_pre_commit_hook_runs_the_check() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "factcheck"
    assert hook["entry"].split()[:2] == ["factcheck", "check"] and "--no-html" in hook["entry"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    help_text = CliRunner().invoke(main, ["check", "--help"]).stdout
    for option in hook["entry"].split()[2:]:
        assert option in help_text  # the hook only uses options that exist


def test_ci_example_is_a_valid_workflow() -> None:
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(.*?)```", text, re.DOTALL)
    assert block
    workflow = yaml.safe_load(block.group(1))
    steps = workflow["jobs"]["factcheck"]["steps"]
    run_lines = " ".join(s.get("run", "") for s in steps)
    assert "factcheck check" in run_lines and "--format github" in run_lines and "--sarif report.sarif" in run_lines
    uploads = [s for s in steps if "upload" in s.get("uses", "")]
    assert len(uploads) == 2 and all("always()" in s["if"] for s in uploads)


def test_init_template_is_what_catalog_suggest_may_replace(story: Path) -> None:
    assert (story / "claims" / "facts.yaml").read_text(encoding="utf-8") == FACTS_TEMPLATE


def test_add_reads_a_text_header_into_front_matter(story: Path, tmp_path: Path) -> None:
    article = tmp_path / "headed.txt"
    article.write_text("title: Plant approved\npublisher: Quillan Gazette\nurl: https://example.com/a\n"
                       "published: Oct 6, 2025\n\nPlant approved\nThe plant will draw 45 megawatts.\n",
                       encoding="utf-8")
    assert run("add", str(article), "--story", str(story))[0] == 0
    (saved,) = (story / "sources").iterdir()
    from factcheck.sources import load_source

    source = load_source(saved, [])
    assert source is not None
    assert (source.title, source.publisher, source.url, str(source.published)) == (
        "Plant approved", "Quillan Gazette", "https://example.com/a", "2025-10-06")
    assert source.text.startswith("Plant approved\nThe plant") and "publisher:" not in source.text


def test_add_refuses_a_header_date_it_cannot_read(story: Path, tmp_path: Path) -> None:
    article = tmp_path / "headed.txt"
    article.write_text("title: T\npublished: last Tuesday\n\nBody text.\n", encoding="utf-8")
    code, _, err = run("add", str(article), "--story", str(story))
    assert code == 2 and "cannot read 'last Tuesday' as a date" in err
    assert list((story / "sources").iterdir()) == []
