"""The HTML report in a real browser: Debian's Chromium driven by Playwright, fully offline.

Needs `pip install playwright` and a Chromium binary (never `playwright install`: the
system one is used). Without a browser the tests skip, unless CI is set: then they fail,
so a CI image that lost its browser cannot pass silently. FACTCHECK_CHROMIUM names
another binary. Run only these: `pytest -m browser`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck.pipeline import check
from factcheck.files import write_atomic
from factcheck.report import render

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# The acceptance picture of /work/shared/seeds/FINDINGS.md, as data: (fact, sources by id prefix, text on the card).
AGREEMENTS = [
    ("monthly_fee", ["000", "001", "002", "003", "004"], "$1.25 billion/month"),
    ("power", ["001", "004"], "300 MW"),
    ("contract_end", ["001", "004"], "May 2029"),
    ("total_value", ["001", "004"], "over $40 billion"),
    ("data_center", ["001", "002"], "Colossus"),
]
DERIVED = [
    ("annual_run_rate", "× 12 = $15 billion", "consistent"),
    ("total_value", "32 months", "underdetermined"),
]
CONTRADICTIONS = [
    ("hardware", ["000", "002", "003"], ["Grok chips", "H100"]),
    ("scope", ["001", "002"], ["entire output", "portions"]),
    ("provenance", ["000", "001", "002", "004"], ["leaked documents", "S-1 filing"]),
]
DISCREPANCIES = [("monthly_fee", ["000"], "a Cool Billion a Month")]
SINGLE_SOURCE = [
    ("termination_notice", "001"), ("discount_period", "001"), ("model_served", "000"),
    ("negotiations_start", "000"), ("xai_age", "000"), ("backers", "002"), ("corroborating_outlets", "003"),
]
NEVER_CONTRADICTED = ["gpus_now", "gpus_planned", "monthly_fee", "annual_run_rate", "total_value"]


def _chromium() -> str | None:
    for candidate in (os.environ.get("FACTCHECK_CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}, and CI is set: the browser tests must run in CI")
    pytest.skip(f"{reason} (set FACTCHECK_CHROMIUM or install chromium; fails instead when CI is set)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install playwright)")
    executable = _chromium()
    if executable is None:
        _unavailable("no Chromium binary found")
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Page:
    """A page on a report file that records console errors and every request it makes."""

    def __init__(self, browser: Any, path: Path, javascript: bool = True) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
        self.url = path.resolve().as_uri()
        self.errors: list[str] = []
        self.requests: list[str] = []
        # Anything not the file itself is recorded and refused: the report must work offline.
        self.context.route("**/*", lambda route: route.continue_() if route.request.url == self.url
                           else route.abort())
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type in ("error", "warning") else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url)

    def card(self, kind: str, fact: str) -> Any:
        """A finding's card, its folded group opened as an editor would click it."""
        card = self.page.locator(f'article.finding[data-kind="{kind}"][data-fact="{fact}"]')
        card.evaluate_all("els => els.forEach(el => { for (let d = el.closest('details'); d; "
                          "d = d.parentElement && d.parentElement.closest('details')) d.open = true; })")
        return card


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory, nlp: Any) -> Path:
    story = tmp_path_factory.mktemp("browser") / "story"
    story.mkdir()
    shutil.copytree(REPO / "sources", story / "sources")
    shutil.copytree(REPO / "claims", story / "claims", ignore=shutil.ignore_patterns("resolutions.yaml", ".*"))
    path = story / "report.html"
    write_atomic(path, render(check(story, nlp), "html"))
    return path


@pytest.fixture
def seed_page(browser: Any, seed_report: Path) -> Iterator[Page]:
    """A fresh page, for tests that click."""
    page = Page(browser, seed_report)
    yield page
    page.context.close()


@pytest.fixture(scope="module")
def seed_view(browser: Any, seed_report: Path) -> Iterator[Page]:
    """One page shared by the tests that only read it."""
    page = Page(browser, seed_report)
    yield page
    assert page.errors == [] and page.requests == [page.url]
    page.context.close()


def test_report_is_offline_and_error_free(seed_page: Page, tmp_path: Path) -> None:
    page = seed_page.page
    assert page.title().startswith("FAIL")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert seed_page.errors == []
    assert seed_page.requests == [seed_page.url]
    assert page.locator("header .gate").inner_text().startswith("FAIL 3 unresolved contradictions")
    assert page.locator("main").count() == 1 and page.locator("nav").count() == 1


def test_matrix_shows_each_sources_value_with_a_label(seed_view: Page) -> None:
    page = seed_view.page
    # Columns name the publisher, else the title, else the id (with the published date when known).
    headers = page.locator("table.matrix thead th").all_inner_texts()
    assert headers[0] == "Fact" and [h.split("\n")[0][:20] for h in headers[1:]] == [
        "AIZyla", "Anthropic to Pay xAI", "Pulse AI", "003_7d2d774de7a3d4ad", "004_1848e55fee814e36"]
    row = page.locator('table.matrix tr[data-fact="monthly_fee"] td')
    assert all("$1.25 billion/month" in text for text in row.all_inner_texts())
    # Colour is never the only signal: every stated value carries its status in words.
    for cell in page.locator("table.matrix td.c").all():
        assert cell.locator("small").inner_text().strip() != ""
    # Only the odd one out is the contradiction: the two sources stating xAI's own chips are the consensus.
    hardware = page.locator('table.matrix tr[data-fact="hardware"] td')
    assert [t.split("\n")[-1].lower() for t in hardware.all_inner_texts()] == [
        "consensus", "–", "contradiction: outlier", "consensus", "–"]
    assert page.locator('tr[data-fact="monthly_fee"] svg.chart path.out').count() == 1  # the headline's billion
    assert "1 outlier value" in page.locator('tr[data-fact="monthly_fee"] th').inner_text()


@pytest.mark.parametrize("fact, sources, text", AGREEMENTS, ids=[a[0] for a in AGREEMENTS])
def test_agreement_cards(seed_view: Page, fact: str, sources: list[str], text: str) -> None:
    card = seed_view.card("agreement", fact)
    assert card.count() == 1
    assert [s[:3] for s in card.get_attribute("data-sources").split()] == sources
    assert text in card.inner_text()


@pytest.mark.parametrize("fact, arithmetic, status", DERIVED, ids=[d[0] for d in DERIVED])
def test_derived_cards_show_their_arithmetic(seed_view: Page, fact: str, arithmetic: str, status: str) -> None:
    card = seed_view.card("derived", fact)
    assert card.count() == 1
    assert arithmetic in card.locator(".arith").inner_text()
    assert f"derived check: {status}" in card.locator(".badge").inner_text().lower()


def test_exactly_three_contradictions(seed_view: Page) -> None:
    cards = seed_view.page.locator('article.finding[data-kind="contradiction"]')
    assert sorted(c.get_attribute("data-fact") for c in cards.all()) == sorted(c[0] for c in CONTRADICTIONS)
    for fact in NEVER_CONTRADICTED:
        assert seed_view.card("contradiction", fact).count() == 0


@pytest.mark.parametrize("fact, sources, figures", CONTRADICTIONS, ids=[c[0] for c in CONTRADICTIONS])
def test_contradiction_cards_quote_both_sides(seed_view: Page, fact: str, sources: list[str],
                                              figures: list[str]) -> None:
    card = seed_view.card("contradiction", fact)
    assert [s[:3] for s in card.get_attribute("data-sources").split()] == sources
    card.locator("details.more").evaluate_all("els => els.forEach(d => d.open = true)")
    marks = " | ".join(card.locator(".quote mark").all_inner_texts())
    for figure in figures:
        assert figure in marks
    assert "unresolved, blocks the gate" in card.locator(".meta").inner_text()
    assert card.locator(".quote").count() >= 2


@pytest.mark.parametrize("fact, sources, figure", DISCREPANCIES, ids=[d[0] for d in DISCREPANCIES])
def test_discrepancy_cards(seed_view: Page, fact: str, sources: list[str], figure: str) -> None:
    card = seed_view.card("discrepancy", fact)
    assert card.count() == 1 and figure in card.locator("mark").all_inner_texts()


@pytest.mark.parametrize("fact, source", SINGLE_SOURCE, ids=[s[0] for s in SINGLE_SOURCE])
def test_single_source_cards(seed_view: Page, fact: str, source: str) -> None:
    card = seed_view.card("single_source", fact)
    assert card.count() == 1 and card.get_attribute("data-sources")[:3] == source


CONTRAST_JS = """selectors => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number).concat([1]).slice(0, 4);
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                     return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const background = el => {  // composite translucent backgrounds up to the first opaque one
    const layers = [];
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let out = [255, 255, 255];
    for (const c of layers.reverse()) { out = out.map((v, i) => c[i] * c[3] + v * (1 - c[3])); }
    return out;
  };
  const worst = [];
  for (const sel of selectors) {
    for (const el of document.querySelectorAll(sel)) {
      const a = lum(rgba(getComputedStyle(el).color)), b = lum(background(el));
      const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
      if (ratio < 4.5) { worst.push(sel + ": " + ratio.toFixed(2)); }
    }
  }
  return worst;
}"""
TEXT_SELECTORS = ["header h1", "header .gate", "header .counts li", "header .about", "nav a", "td.c", "td.c small",
                  "td.e", "th", ".hint", ".badge", ".meta", ".arith code", ".resolution", ".quote p", "mark",
                  ".quote figcaption", ".outnote", ".m", "caption", ".filters label"]


def test_text_contrast_meets_wcag_aa(seed_view: Page) -> None:
    assert seed_view.page.evaluate(CONTRAST_JS, TEXT_SELECTORS) == []


def test_filter_shows_only_contradictions(seed_page: Page) -> None:
    page = seed_page.page
    total = page.locator("article.finding").count()
    page.get_by_label("contradiction (3)").click()
    visible = page.locator("article.finding:visible")
    assert visible.count() == 3
    assert {c.get_attribute("data-kind") for c in visible.all()} == {"contradiction"}
    assert page.locator(".filters .shown").inner_text() == f"Showing 3 of {total} findings."
    page.emulate_media(media="print")  # a printed report is complete whatever the screen filter
    assert page.locator("article.finding:visible").count() == total
    assert not page.locator("form.filters").is_visible() and not page.locator("nav").is_visible()
    page.emulate_media(media="screen")
    page.get_by_label("all", exact=True).first.click()
    assert page.locator("article.finding:not([hidden])").count() == total
    page.get_by_label("agreement (5)").click()  # a folded kind opens when it is filtered for
    assert page.locator("article.finding:visible").count() == 5


def test_anchor_from_matrix_to_card_to_reading_view(seed_page: Page) -> None:
    page = seed_page.page
    page.locator('table.matrix tr[data-fact="hardware"] td.s-contradiction a').first.click()
    card_id = page.evaluate("location.hash").lstrip("#")
    assert card_id.startswith("finding-contradiction-hardware-")
    card = page.locator(f"#{card_id}")
    assert card.evaluate("el => el.matches(':target')") and card.is_visible()
    box, viewport = card.bounding_box(), page.viewport_size
    assert box is not None and viewport is not None and -1 <= box["y"] < viewport["height"]
    quote_link = card.locator(".quote figcaption a").first
    target = quote_link.get_attribute("href").lstrip("#")
    quote_link.click()
    mention = page.locator(f'[id="{target}"]')
    assert mention.is_visible()  # its collapsed article opened
    assert mention.get_attribute("href") == f"#{card_id}" or mention.evaluate("el => el.tagName") == "DETAILS"
    assert seed_page.errors == []


def test_readable_without_javascript(browser: Any, seed_report: Path) -> None:
    page = Page(browser, seed_report, javascript=False)
    try:
        # What needs a verdict is on screen; the rest is folded, one click away, with no script.
        rows = page.page.locator("#verdicts article.finding")
        assert rows.count() == 4 and rows.count() == page.page.locator("#verdicts article.finding:visible").count()
        folded = page.page.locator("details.group article.finding")
        assert rows.count() + folded.count() == page.page.locator("article.finding").count() == 20
        page.page.locator("details.group > summary").first.click()
        assert page.page.locator("details.group[open] article.finding:visible").count() > 0
        assert not page.page.locator("form.filters").is_visible()
        assert page.page.locator("table.matrix td.c").count() > 0
        page.page.locator('a[href^="#finding-contradiction-hardware-"]').first.click()
        assert page.page.locator("article.finding:target").count() == 1
    finally:
        page.context.close()


PAYLOAD = ("<script>window.__pwned=1;document.title='pwned'</script> "
           "<img src=x onerror=\"window.__pwned=2\"> {{ 1234567*2 }}")


def test_article_markup_never_runs(browser: Any, tmp_path: Path, nlp: Any) -> None:
    story = tmp_path / "hostile"
    (story / "sources").mkdir(parents=True)
    for name, value in (("one.txt", "$2"), ("two.txt", "$3")):
        (story / "sources" / name).write_text(
            f"{PAYLOAD}\nAcme will pay {value} billion per month {PAYLOAD} for chips.\n", encoding="utf-8")
    path = tmp_path / "hostile.html"
    write_atomic(path, render(check(story, nlp), "html"))
    page = Page(browser, path)
    try:
        p = page.page
        p.locator("details.source").evaluate_all("els => els.forEach(d => d.open = true)")
        p.wait_for_timeout(200)  # an injected onerror handler would have fired by now
        assert p.evaluate("typeof window.__pwned") == "undefined"
        assert p.title().startswith("FAIL") and "pwned" not in p.title()
        assert p.locator("main img").count() == 0 and p.locator("script").count() == 1
        assert PAYLOAD in p.locator("article.finding .quote").first.inner_text()
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.context.close()
