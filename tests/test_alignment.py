"""Alignment across articles when a frame leaves a slot unstated (assign.adopt_unframed, merge_unstated_years).

Invented three-article stories in the shapes the real dev set showed: a bare converted
amount beside framed ones, a figure with no year beside the same figure with one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.model import CheckResult, FindingKind, Severity
from factcheck.pipeline import Settings, check


def story(tmp_path: Path, articles: dict[str, str]) -> CheckResult:
    root = tmp_path / "s"
    (root / "sources").mkdir(parents=True)
    (root / "claims").mkdir()
    for name, text in articles.items():
        (root / "sources" / name).write_text(text, encoding="utf-8")
    return check(root, None, Settings(cache=False))


def findings_quoting(result: CheckResult, text: str) -> list[tuple[FindingKind, Severity]]:
    return [(f.kind, f.severity) for f in result.findings
            if f.kind != FindingKind.AGREEMENT and any(e.text == text for e in f.evidence)]


D = (FindingKind.DISCREPANCY, Severity.WARNING)
# Three-article stories as data: the articles, a figure's text, and the findings (other than agreements)
# that quote it. Invented in the shapes the real dev sets showed.
STORIES = [
    ("a-bare-amount-joins-the-framed-fact-near-it-and-never-blocks", [
        "Corvel signs\nHarbourside paid a transfer fee of £200m for Corvel.",
        "Record move\nThe transfer fee of £200m is a record for Harbourside.",
        "Corvel joins\nCorvel moved from Lintford to Harbourside for £196m."], "£196m", [D]),
    ("a-bare-amount-far-from-every-framed-fact-stays-apart", [
        "Corvel signs\nHarbourside paid a transfer fee of £200m for Corvel.",
        "Record move\nThe transfer fee of £200m is a record for Harbourside.",
        "Corvel joins\nCorvel moved from Lintford to Harbourside, a club worth £90m."], "£90m", []),
    ("an-earlier-tally-is-the-same-tally-read-earlier", [  # one tally at two times: a discrepancy
        "Ferry\nThe toll was 81, police said, revising down a previous toll of 94.",
        "Ferry sinking\nAt least 90 people were killed when the ferry sank, officials said.",
        "Ferry update\nThe death toll rose to 90 on Friday, officials said."], "94", [D]),
    ("agencies-measure-a-depth-each-their-own-way", [  # one cited agency, one uncited: not a contradiction
        "Quake\nThe quake struck 10 kilometers below ground, according to the Geological Survey.",
        "Quake hits\nThe quake hit at a depth of 12 km, officials said.",
        "Quake strikes\nThe epicentre was at a depth of 12 km."], "10 kilometers", [D]),
    ("a-listed-item-is-never-the-whole", [  # "respectively": each figure is one sector's
        "Jobs\nThe report stated that 134,000 jobs were created in the month of September.",
        "Payrolls\nUnemployment fell in September even as employers added 134,000 jobs.",
        "Sectors\nClinics and shipping have also continued their strong gains, adding 26,000 and 24,000 jobs "
        "respectively in September."],
     "24,000 jobs", []),
    ("the-whole-out-of-which-a-share-is-counted-is-its-own-figure", [
        "Result\nNorland's leader won 26 million votes out of the 50 million valid votes.",
        "Count\nThe leader won 26 million votes, the election board said.",
        "Vote\nThe leader received 26 million votes in the election."], "50 million valid votes", []),
    ("shares-of-a-vote-beside-different-names-never-block", [  # perhaps two parties' shares
        "Vote\nLena Varga received 7.3 percent of the vote in Norland's election.",
        "Result\nThe Unity Party attracted 42.4 percent of the vote in Norland's election.",
        "Count\nTurnout in Norland's election was 87%."], "7.3 percent", [D]),
    ("a-figure-of-no-month-joins-the-month-the-story-gives-it", [  # so 2.5% against 2.56% is seen
        "Prices\nInflation rose to 2.92 per cent in April. Fuel inflation was 2.56 per cent in April.",
        "CPI\nInflation rose to 2.92 per cent in April, the office said.",
        "Inflation\nFuel inflation stood at 2.5 per cent, the office said."], "2.5 per cent", [D]),
    ("times-since-a-record-are-compared-but-never-block", [  # which record each sentence means may differ
        "Turnout\nTurnout was the highest in 22 years, officials said.",
        "Vote\nTurnout was the highest in 22 years, the agency said.",
        "Election\nIt was the highest turnout in almost a quarter of a century."], "a quarter of a century", [D]),
    ("close-times-in-a-loose-group-are-compared-among-themselves", [  # another runner's time is stated most
        "Race\nThe winner crossed in 2:01:39, and the runner-up came in at 2:06:23.",
        "Marathon\nThe course record fell: 2:01:39. Second place was 2:06:23.",
        "Result\nSecond place went in 2:06:23.",
        "Record\nThe new record stands at 2:01:40."], "2:01:40", [D]),
    ("shares-of-one-noun-are-compared-but-never-block", [  # a share no lexicon measure names
        "Assistant\nThe assistant runs on 12.5% of smart speakers in the US.",
        "Assistant grows\nThe assistant is now on 12.5% of smart speakers, the firm said.",
        "Assistant record\nThe assistant reached 15.2% of smart speakers, the firm said."], "15.2%", [D]),
]


@pytest.mark.parametrize("articles, figure, expected", [c[1:] for c in STORIES], ids=[c[0] for c in STORIES])
def test_how_a_figure_aligns_across_articles(tmp_path: Path, articles: list[str], figure: str,
                                             expected: list[tuple[FindingKind, Severity]]) -> None:
    result = story(tmp_path, {f"{chr(97 + i)}.txt": text + "\n" for i, text in enumerate(articles)})
    assert findings_quoting(result, figure) == expected, [f.summary for f in result.findings]


@pytest.mark.parametrize("extra, joined", [
    ("", True),
    ("Its 2020 revenue was $1.1 billion.\n", False),  # two years in the story (in two articles): which one?
], ids=["one-year-joins", "two-years-stay-apart"])
def test_a_figure_with_no_year_joins_the_one_fact_with_a_year(tmp_path: Path, extra: str, joined: bool) -> None:
    result = story(tmp_path, {
        "a.txt": "Acme results\nAcme reported revenue of $1.3 billion for 2021.\n" + extra,
        "b.txt": "Acme\nAcme's revenue was $1.3 billion, the company said.\n",
        "c.txt": "Acme up\nAcme said its 2021 revenue came to $1.3 billion.\n" + extra,
    })
    agreement = [f for f in result.findings if f.kind == FindingKind.AGREEMENT and "$1.3 billion" in f.summary]
    assert len(agreement) == 1
    assert (len(agreement[0].sources) == 3) is joined


@pytest.mark.parametrize("year, joined", [("2021", True), ("2022", True), ("2018", False)],
                         ids=["the-articles-year", "a-year-before", "years-before-is-background"])
def test_a_figure_with_no_year_is_of_its_articles_present(tmp_path: Path, year: str, joined: bool) -> None:
    """An undated figure joins the one fact with a year only if that year is not long before the article."""
    dated = "---\npublished: 2022-03-01\n---\n"
    result = story(tmp_path, {
        "a.md": dated + f"Acme results\nAcme reported revenue of $1.3 billion for {year}.\n",
        "b.md": dated + "Acme\nAcme's revenue was $1.3 billion, the company said.\n",
        "c.md": dated + f"Acme up\nAcme said its {year} revenue came to $1.3 billion.\n",
    })
    agreement = [f for f in result.findings if f.kind == FindingKind.AGREEMENT and "$1.3 billion" in f.summary]
    assert (len(agreement) == 1 and len(agreement[0].sources) == 3) is joined, [f.summary for f in result.findings]


@pytest.mark.parametrize("noun, flagged", [("sign-ups", True), ("members", True), ("people", False)],
                         ids=["sign-ups", "members", "people"])
def test_one_number_of_two_named_nouns_is_a_discrepancy(tmp_path: Path, noun: str, flagged: bool) -> None:
    result = story(tmp_path, {
        "a.txt": "Loop grows\nThe Loop app has 40 million users, its maker said.\n",
        "b.txt": "Loop\nLoop reached 40 million users on Friday.\n",
        "c.txt": f"Loop app\nThe Loop app passed 40 million {noun} on Friday.\n",
    })
    nouns = [f for f in result.findings if "the same number counts" in f.summary]
    assert [(f.kind, f.severity) for f in nouns] == ([(FindingKind.DISCREPANCY, Severity.WARNING)] if flagged else [])


@pytest.mark.parametrize("dates, kind", [
    (("", ""), FindingKind.DISCREPANCY),  # no dates: a revision cannot be ruled out
    (("2026-07-27", "2026-08-26"), FindingKind.DISCREPANCY),  # published a month apart: a revision
    (("2026-07-27", "2026-07-27"), FindingKind.CONTRADICTION),  # the same day's release: one of them is wrong
], ids=["no-dates", "other-days", "same-day"])
def test_a_revised_statistic_may_differ_between_releases(tmp_path: Path, dates: tuple[str, str],
                                                          kind: FindingKind) -> None:
    def article(day: str, value: str) -> str:
        head = f"---\npublished: {day}\n---\n" if day else ""
        return f"{head}Norland economy\nThe Norland economy grew {value} in the quarter, official data showed.\n"

    result = story(tmp_path, {"a.md": article(dates[0], "0.6%"), "b.md": article(dates[0], "0.6%"),
                              "c.md": article(dates[1], "0.7%")})
    found = [f.kind for f in result.findings if f.kind != FindingKind.AGREEMENT and "0.7%" in f.summary]
    assert found == [kind], [f.summary for f in result.findings]


def test_two_tallies_as_of_the_same_date_contradict(tmp_path: Path) -> None:
    result = story(tmp_path, {
        "a.txt": "Outbreak\nAs of 25 September, the ministry reports 23 deaths in Tarrow.\n",
        "b.txt": "Outbreak update\nAs of 25 September, health officials count 23 deaths in Tarrow.\n",
        "c.txt": "Tarrow outbreak\nAs of 25 September, the outbreak had killed 31 people in Tarrow.\n",
    })
    assert [f.kind for f in result.findings if f.kind != FindingKind.AGREEMENT] == [FindingKind.CONTRADICTION]


@pytest.mark.parametrize("other, kind", [
    ("7 May", FindingKind.CONTRADICTION),  # the same premium to the close of another day: one is wrong
    ("7 April", None),  # the same date: nothing to say
], ids=["other-date", "same-date"])
def test_one_figure_with_two_dates_beside_it(tmp_path: Path, other: str, kind: FindingKind | None) -> None:
    result = story(tmp_path, {
        "a.txt": "Offer\nThe offer is a premium of 50% to Tessel's closing share price on 7 April.\n",
        "b.txt": "Bid\nThe bid is a premium of 50% to Tessel's closing share price on 7 April, Norvik said.\n",
        "c.txt": f"Deal\nThe offer is a premium of 50% to Tessel's closing share price on {other}.\n",
    })
    dated = [f.kind for f in result.findings if " dated " in f.summary]
    assert dated == ([kind] if kind else []), [f.summary for f in result.findings]


@pytest.mark.parametrize("a, b", [
    ("The economy grew 0.6%, the strongest since 1999.", "The economy grew 0.6% in 2016."),  # a baseline
    ("On 8 April, Norvik agreed to buy Tessel at a premium of 50%.",  # the agreement's date, before the figure
     "The offer is a premium of 50% to Tessel's closing share price on 7 April."),
], ids=["baseline", "date-of-another-event"])
def test_a_date_not_of_the_figures_own_phrase_anchors_nothing(tmp_path: Path, a: str, b: str) -> None:
    result = story(tmp_path, {"a.txt": f"Story\n{a}\n", "b.txt": f"Report\n{b}\n"})
    assert [f for f in result.findings if " dated " in f.summary] == []


@pytest.mark.parametrize("third, joined", [
    ("Games\nHarbor Games' 46% premium delighted investors.\n", True),  # a description read as a name
    ("Dunmore\nDunmore paid a 46% premium. Dunmore's turnover was $2 billion.\n", False),  # a party of its own
    ("Dunmore\nDunmore paid a 45.5% premium. Dunmore's turnover was $2 billion.\n", True),  # within 2%: one figure
], ids=["a-name-read-wrongly-joins", "a-party-with-other-facts-stays-apart", "a-party-within-two-percent-joins"])
def test_a_lone_subject_joins_the_shared_fact_weakly(tmp_path: Path, third: str, joined: bool) -> None:
    result = story(tmp_path, {
        "a.txt": "Deal\nNorvik paid a premium of 45% for Tessel.\n",
        "b.txt": "Bid\nNorvik offered Tessel holders a premium of 45%.\n",
        "c.txt": third,
    })
    premium = [c for c in result.claims if c.mention.text in ("46%", "45.5%")]
    shared = {c.fact_id for c in result.claims if c.mention.text == "45%"}
    assert premium and (premium[0].fact_id in shared and premium[0].weak) is joined, [
        (c.mention.text, c.fact_id, c.weak) for c in result.claims]


def test_a_tally_beside_the_consensus_in_its_own_article_never_blocks(tmp_path: Path) -> None:
    """One article gives the consensus and another value of the same day and year: another reading or count."""
    result = story(tmp_path, {
        "a.md": "---\nid: a\npublished: 2024-01-18\n---\nToll\nIn 2023 the storm left 1 million people "
                "homeless and displaced 4 million people.\n",
        "b.md": "---\nid: b\npublished: 2024-01-18\n---\nStorm\nIn 2023 the storm left 1 million people "
                "homeless, the agency said.\n",
    })
    assert findings_quoting(result, "4 million people") == [D], [f.summary for f in result.findings]


def test_a_second_quantity_beside_the_consensus_is_compared_among_its_own_figures(tmp_path: Path) -> None:
    """Two articles give the deal value and, beside it, its value with debt: the two totals are compared."""
    result = story(tmp_path, {
        "a.txt": "Deal\nNorvik will buy Tessel for $85.4 billion, or $108.7 billion including debt.\n",
        "b.txt": "Takeover\nThe deal is valued at $85.4 billion; with debt the deal is valued at $109 billion.\n",
        "c.txt": "Merger\nNorvik agreed to buy Tessel for $85.4 billion.\n",
    })
    second = [f for f in result.findings if {e.text for e in f.evidence} >= {"$108.7 billion", "$109 billion"}]
    assert [(f.kind, f.severity) for f in second] == [D], [f.summary for f in result.findings]
    assert not [f for f in result.findings if f.kind == FindingKind.INTERNAL]  # a second quantity, not a slip


def test_an_articles_own_other_figure_is_its_own_finding(tmp_path: Path) -> None:
    """One article's stray figure beside the consensus: an internal finding naming that article alone."""
    result = story(tmp_path, {
        "a.txt": "Deal\nNorvik will buy Tessel for $85.4 billion. The deal is valued at $96.1 billion.\n",
        "b.txt": "Takeover\nThe deal is valued at $85.4 billion.\n",
        "c.txt": "Merger\nNorvik agreed to buy Tessel for $85.4 billion.\n",
    })
    internal = [f for f in result.findings if f.kind == FindingKind.INTERNAL]
    assert [(f.severity, {e.source_id for e in f.evidence}) for f in internal] == [(Severity.WARNING, {"a"})], [
        f.summary for f in result.findings]


# Figures written apart that are one fact: the articles, and the figures' texts that must share it.
ONE_FACT = [
    ("a-fact-two-articles-give-under-another-name-joins-when-close", [  # compared weakly, never blocking
        "Vote\nTomas Brandt won the election with 52.5 percent of the vote.",
        "Result\nTomas Brandt won 52.5 percent of the vote, officials said.",
        "Count\nTomas Brandt took 52.5 percent of the vote.",
        "Tally\nWith most ballots counted, Ivo Marek said Brandt won 52.51 percent of the vote.",
        "Board\nWith all ballots counted, Ivo Marek said Brandt won 52.51 percent of the vote."],
     ("52.5 percent", "52.51 percent")),
    ("a-ticker-in-brackets-names-the-company-before-it", [  # "TSL's revenue" is Tessel's
        "Deal\nNorvik will buy Tessel Inc. (TSL) for $85.4 billion. Tessel's revenue was $9.8 billion.",
        "Takeover\nTSL's revenue was $9.1 billion, the filing shows.",
        "Merger\nNorvik agreed to buy Tessel. Tessel's revenue was $9.8 billion.",
        "Bid\nTSL's revenue was $9.1 billion, its report shows."],
     ("$9.1 billion", "$9.8 billion")),
]


@pytest.mark.parametrize("articles, texts", [c[1:] for c in ONE_FACT], ids=[c[0] for c in ONE_FACT])
def test_figures_written_apart_share_one_fact(tmp_path: Path, articles: list[str], texts: tuple[str, ...]) -> None:
    result = story(tmp_path, {f"{chr(97 + i)}.txt": text + "\n" for i, text in enumerate(articles)})
    facts = {c.fact_id for c in result.claims if c.mention.text in texts}
    assert len(facts) == 1, [(c.mention.source_id, c.mention.text, c.fact_id, c.weak) for c in result.claims]
    assert not [f for f in result.findings if f.severity == Severity.BLOCKING], [f.summary for f in result.findings]


def test_a_news_agency_in_brackets_is_a_credit_not_an_alias() -> None:
    from factcheck.align import bracketed_aliases
    from factcheck.lexicon import load_lexicon

    aliases = bracketed_aliases(["Tessel Inc. (TSL) rose.", "Norvik said (AP) that it would buy it.",
                                 "The Norland Health Agency (NHA) said 12 died.", "Yes (61.6%) won."], load_lexicon())
    assert aliases == {"tsl": "tessel", "nha": "norland health agency"}


def test_a_rounding_quotes_every_source_of_the_figure_it_rounds(tmp_path: Path) -> None:
    result = story(tmp_path, {
        "a.txt": "Usage\nUsers spent 43 minutes and 23 seconds a day in the app.\n",
        "b.txt": "App\nThe average user spends 43 minutes and 23 seconds in it.\n",
        "c.txt": "Time\nIt holds users for 43 minutes and 23 seconds.\n",
        "d.txt": "Daily\nUsers spend about 45 minutes a day in the app.\n",
    })
    rounding = [f for f in result.findings if any(e.text == "45 minutes" for e in f.evidence)]
    assert [f.kind for f in rounding] == [FindingKind.DISCREPANCY], result.findings
    assert {e.source_id for e in rounding[0].evidence} == {"a", "b", "c", "d"}


def test_one_source_against_one_names_no_consensus(tmp_path: Path) -> None:
    """"$60 billion a year" in one article, "$600 billion a year" in another: split, no outlier to name."""
    result = story(tmp_path, {
        "a.txt": "Deal\nNorvik will pay Tessel about $60 billion a year, people familiar said.\n",
        "b.txt": "Lab deal\nNorvik will pay Tessel $600 billion a year for computing power.\n",
    })
    split = [f for f in result.findings if f.kind == FindingKind.CONTRADICTION]
    assert [(f.consensus, f.outliers) for f in split] == [("", ())], [f.summary for f in result.findings]


def test_a_date_contradiction_names_the_date_most_articles_give(tmp_path: Path) -> None:
    result = story(tmp_path, {
        "a.txt": "Offer\nThe offer is a premium of 50% to Tessel's closing share price on 7 April.\n",
        "b.txt": "Bid\nThe bid is a premium of 50% to Tessel's closing share price on 7 April, Norvik said.\n",
        "c.txt": "Deal\nThe offer is a premium of 50% to Tessel's closing share price on 7 May.\n",
    })
    dated = [f for f in result.findings if " dated " in f.summary]
    assert [(f.consensus, f.outliers) for f in dated] == [("April 7 (2 sources)", ("c",))]


def test_an_agencys_estimate_belongs_to_the_event_not_the_town_named_beside_it(tmp_path: Path) -> None:
    """"10 km deep, 70 km west of Puerto Norte" and "15 km deep, 25 km off Cabo Sur": one quake's depth,
    compared (a warning: agencies measure it each their own way); the distances stay the towns'."""
    result = story(tmp_path, {
        "a.txt": "Quake\nThe quake struck at a depth of 10 km, 70 km west of Puerto Norte, the USGS said.\n",
        "b.txt": "Aftershock\nThe quake was 15 km deep, 25 km off Cabo Sur, the geophysical institute said.\n",
    })
    depth = {c.fact_id for c in result.claims if c.mention.measure == "depth"}
    assert len(depth) == 1, [(c.mention.text, c.fact_id) for c in result.claims]
    found = [f for f in result.findings if f.fact_id in depth]
    assert [(f.kind, f.severity) for f in found] == [(FindingKind.DISCREPANCY, Severity.WARNING)]


@pytest.mark.parametrize("wire, unit", [("Norvik priced its shares at $26 on Wednesday.", "USD"),
                                        ("Norvik priced its shares at $31 on Wednesday.", "NZD")],
                         ids=["wire-copy-number-is-us-dollars", "a-number-of-its-own-stays-local"])
def test_a_local_dollar_guess_yields_to_the_story(tmp_path: Path, wire: str, unit: str) -> None:
    """A bare "$26" at a New Zealand outlet is New Zealand dollars, unless another article gives the same
    number in US dollars: then it is the wire's figure, and no contradiction of currencies."""
    result = story(tmp_path, {
        "a.md": "---\nurl: https://www.nzherald.co.nz/business/norvik-ipo\n---\nIPO\n" + wire
                + " The shares hit a high of $50.09.\n",
        "b.txt": "IPO\nNorvik priced its shares at US$26 each.\n",
    })
    local = [c.mention for c in result.claims if c.mention.source_id == "a" and c.mention.kind.value == "money"]
    assert [m.unit for m in local] == [unit, unit]  # the article's other bare "$" goes with it
    assert not [f for f in result.findings if f.severity == Severity.BLOCKING and "NZD" in f.summary]


def test_a_suggested_catalogue_renames_what_discovery_grouped(tmp_path: Path, nlp: object) -> None:
    """A frame fact of the catalogue takes the claims discovery grouped under its frame, weak ones included,
    so the unedited suggestion gives the same verdicts as no catalogue, under the catalogue's ids."""
    from factcheck.evaluate_findings import check_with_suggested_catalogue

    articles = {
        "a.txt": "Deal\nNorvik paid a premium of 45% for Tessel.\n",
        "b.txt": "Bid\nNorvik offered Tessel holders a premium of 45%.\n",
        "c.txt": "Games\nHarbor Games' 46% premium delighted investors.\n",
    }
    bare = story(tmp_path / "bare", articles)
    named = check_with_suggested_catalogue(tmp_path / "bare" / "s", nlp)  # type: ignore[arg-type]
    assert [(f.kind, f.severity, f.summary.split(":", 1)[1]) for f in bare.findings] == \
        [(f.kind, f.severity, f.summary.split(":", 1)[1]) for f in named.findings]
    assert {c.fact_id for c in named.claims if c.mention.text == "46%"} == {"premium"}
    assert [c.weak for c in named.claims if c.mention.text == "46%"] == [True]
