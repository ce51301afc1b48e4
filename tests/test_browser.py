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
# The `browser` fixture (Debian's Chromium through Playwright, offline) is in conftest.py, shared with test_serve.




class Page:
    """A page on a report file that records console errors and every request it makes."""

    def __init__(self, browser: Any, path: Path, javascript: bool = True, width: int = 1280, height: int = 900) -> None:
        self.context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": height})
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


# ---------------------------------------------------------------- verdicts first (issue 14)

# document.documentElement.scrollHeight of the seed story's report in Chromium at 1400x900, measured
# before the verdicts-first layout (commit 32c3d06: the matrix first, then a full card per finding,
# the unmatched figures open). The page must now be at most half as long.
OLD_HEIGHT_1400 = 9882
LABELS_APART_JS = """() => {
  const out = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const boxes = Array.from(svg.querySelectorAll('text')).map(t => [t.textContent, t.getBoundingClientRect()]);
    boxes.forEach(([a, r], i) => boxes.slice(i + 1).forEach(([b, q]) => {
      if (r.left < q.right && q.left < r.right && r.top < q.bottom && q.top < r.bottom) { out.push(a + ' / ' + b); }
    }));
  }
  return out;
}"""


def _artifacts(tmp_path: Path) -> Path:
    """Where screenshots go: $FACTCHECK_ARTIFACTS when set (CI keeps them), else the test's tmp_path."""
    folder = Path(os.environ.get("FACTCHECK_ARTIFACTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _story(root: Path, articles: dict[str, str], resolutions: str = "") -> Path:
    """A story folder of Markdown articles ({id: 'publisher|published|body'}), optionally with verdicts."""
    story = root / "story"
    (story / "sources").mkdir(parents=True)
    for sid, spec in articles.items():
        publisher, published, body = spec.split("|", 2)
        date = f"published: {published}\n" if published else ""
        (story / "sources" / f"{sid}.md").write_text(
            f"---\nid: {sid}\ntitle: \"Story {sid}\"\npublisher: \"{publisher}\"\n{date}---\n{body}\n", encoding="utf-8")
    if resolutions:
        (story / "claims").mkdir()
        (story / "claims" / "resolutions.yaml").write_text(resolutions, encoding="utf-8")
    return story


def _report(story: Path, nlp: Any) -> Path:
    path = story / "report.html"
    write_atomic(path, render(check(story, nlp), "html"))
    return path


# Three outlets agree on the fee, one states another: the odd one out is the only red cell.
THREE_AGAINST_ONE = {
    **{f"s{i}": f"Outlet {i}|2026-03-0{i}|Acme will pay $2 billion per month for the chips, the company said."
       for i in (1, 2, 3)},
    "s4": "Outlet 4||Acme will pay $3 billion per month for the chips, the company said.",
}
# One share price read at three times of one day: a spread, not a conflict between outlets.
THREE_TIMES = {
    "a": "Daily Wire|2026-03-02|Acme shares rose 8% in premarket trading on Monday after the results.",
    "b": "Market Watcher|2026-03-02|Acme shares closed up 5% on Monday after the results.",
    "c": "Finance Daily|2026-03-02|Acme shares rose as much as 11% at one point on Monday after the results.",
}


def test_verdict_rows_precede_every_agreement(seed_view: Page) -> None:
    order = seed_view.page.evaluate("""() => Array.from(document.querySelectorAll('article.finding'))
        .map(a => [a.dataset.kind, a.closest('#verdicts') !== null])""")
    rows = [i for i, (_, row) in enumerate(order) if row]
    agreements = [i for i, (kind, _) in enumerate(order) if kind == "agreement"]
    assert len(rows) == 4 and agreements and max(rows) < min(agreements)
    kinds = [kind for kind, row in order if row]
    assert kinds == ["contradiction", "contradiction", "contradiction", "discrepancy"]  # blocking first


def test_first_screen_holds_the_gate_and_every_blocking_item(browser: Any, seed_report: Path,
                                                              tmp_path: Path) -> None:
    page = Page(browser, seed_report, width=1400, height=900)
    try:
        p = page.page
        bottom = "el => el.getBoundingClientRect().bottom"
        assert p.locator("header .gate").evaluate(bottom) <= 900
        blocking = p.locator("#verdicts article.finding.blocks")
        assert blocking.count() == 3  # the three contradictions of the seed story
        for row in blocking.all():
            assert row.evaluate(bottom) <= 900, row.get_attribute("id")
            # Each row says what to do: the consensus or the split, the outlier's quote, the command.
            text = row.inner_text()
            assert ("Consensus" in text or "No consensus" in text) and "factcheck resolve " + \
                row.get_attribute("id").removeprefix("finding-") + " --verdict" in text
            assert row.locator(".quote.odd mark").count() >= 1
        height = p.evaluate("document.documentElement.scrollHeight")
        assert height <= OLD_HEIGHT_1400 / 2, f"page is {height} px at 1400 wide, was {OLD_HEIGHT_1400}"
        p.screenshot(path=str(_artifacts(tmp_path) / "report-1400.png"), full_page=True)
        assert page.errors == [] and page.requests == [page.url]
    finally:
        page.context.close()


def test_no_horizontal_scroll_at_375_px(browser: Any, seed_report: Path, tmp_path: Path) -> None:
    page = Page(browser, seed_report, width=375, height=800)
    try:
        p = page.page
        assert p.evaluate("document.documentElement.scrollWidth") <= 375
        # The wide matrix scrolls inside its own container, never the page.
        assert p.locator("table.matrix").evaluate("el => el.closest('.scroll') !== null")
        p.screenshot(path=str(_artifacts(tmp_path) / "report-375.png"), full_page=True)
    finally:
        page.context.close()


def test_only_the_outlier_cell_is_marked(browser: Any, tmp_path: Path, nlp: Any) -> None:
    page = Page(browser, _report(_story(tmp_path, THREE_AGAINST_ONE), nlp))
    try:
        p = page.page
        cells = p.locator("table.matrix td.c")
        assert cells.count() == 4
        roles = {c.get_attribute("data-role"): [] for c in cells.all()}
        for i, cell in enumerate(cells.all()):
            roles[cell.get_attribute("data-role")].append(i)
        assert roles == {"consensus": [0, 1, 2], "outlier": [3]}
        assert p.locator("td.t-conflict").count() == 1 and p.locator("td.t-ok").count() == 3
        assert p.locator('td[data-role="outlier"] small').inner_text().lower() == "contradiction: outlier"
        headers = p.locator("table.matrix thead th").all_inner_texts()[1:]
        assert [h.split("\n") for h in headers] == [["Outlet 1", "2026-03-01"], ["Outlet 2", "2026-03-02"],
                                                   ["Outlet 3", "2026-03-03"], ["Outlet 4"]]
        row = p.locator("#verdicts article.finding")
        assert row.count() == 1
        assert "Consensus $2 billion/month (3 sources): Outlet 1 2026-03-01, Outlet 2 2026-03-02, Outlet 3 " \
               "2026-03-03 Outlier Outlet 4" in " ".join(row.locator(".sides").inner_text().split())
        assert row.locator(".quote.odd").count() == 1 and "$3 billion" in row.locator(".quote.odd mark").inner_text()
        assert p.locator("svg.chart path.out").count() == 1  # the chart marks the same value
    finally:
        page.context.close()


def test_a_resolved_findings_cells_carry_its_verdict(browser: Any, tmp_path: Path, nlp: Any) -> None:
    first = check(_story(tmp_path / "a", THREE_AGAINST_ONE), nlp)
    finding = next(f for f in first.findings if f.kind.value == "contradiction")
    verdict = (f"resolutions:\n  - finding: {finding.id}\n    verdict: source-error\n"
               "    note: \"Outlet 4 misread the filing\"\n")
    page = Page(browser, _report(_story(tmp_path / "b", THREE_AGAINST_ONE, verdict), nlp))
    try:
        p = page.page
        assert p.title().startswith("PASS")
        cells = p.locator(f'table.matrix td.c:has(a[href="#finding-{finding.id}"])')
        assert cells.count() == 4
        for cell in cells.all():
            assert "t-resolved" in (cell.get_attribute("class") or "").split()
            assert cell.locator("small").inner_text().lower().endswith("resolved: source-error")
        assert p.locator("td.t-conflict, td.t-warning").count() == 0
        assert p.locator("#verdicts article.finding").count() == 0
        assert p.locator(f"#finding-{finding.id}").count() == 1  # in the folded Resolved group
    finally:
        page.context.close()


def test_chart_labels_never_overlap(seed_view: Page, browser: Any, tmp_path: Path, nlp: Any) -> None:
    assert seed_view.page.locator("svg.chart text").count() >= 2
    assert seed_view.page.evaluate(LABELS_APART_JS) == []
    # Close values crowd one axis: their labels go to separate lines.
    crowded = {f"s{i}": f"Outlet {i}||Acme will pay ${v} billion per month for the chips, the company said."
               for i, v in enumerate(["2", "2", "2.1", "2.2", "2.25", "3"])}
    page = Page(browser, _report(_story(tmp_path, crowded), nlp), width=375, height=800)
    try:
        assert page.page.locator("svg.chart text").count() >= 4
        assert page.page.evaluate(LABELS_APART_JS) == []
    finally:
        page.context.close()


def test_figures_of_different_times_are_a_labelled_spread(browser: Any, tmp_path: Path, nlp: Any) -> None:
    page = Page(browser, _report(_story(tmp_path, THREE_TIMES), nlp))
    try:
        p = page.page
        chart = p.locator("svg.chart.spread")
        assert chart.count() == 1
        labels = chart.locator("text").all_text_contents()
        assert [label.split(":")[0] for label in labels] == ["premarket", "intraday", "close"]  # in order
        assert labels[0].endswith("8%") and labels[2].endswith("5%")
        assert p.evaluate(LABELS_APART_JS) == []
        ys = [t.bounding_box()["y"] for t in chart.locator("text").all()]
        assert ys == sorted(ys)  # earliest on top
    finally:
        page.context.close()
