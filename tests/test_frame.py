"""The frame reader on a table of sentences (tests/cases/frames.yaml): no spaCy needed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck.extract.frame import read_frame
from factcheck.lexicon import load_lexicon
from factcheck.model import Frame, Kind

CASES = yaml.safe_load((Path(__file__).parent / "cases" / "frames.yaml").read_text(encoding="utf-8"))
LEXICON = load_lexicon()


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_frame(case: dict[str, Any]) -> None:
    sentence, figure = case["sentence"], case["figure"]
    start = sentence.index(figure)
    got = read_frame(sentence, start, start + len(figure), Kind(case["kind"]), LEXICON, case.get("unit", ""),
                     total=case.get("total", False))  # an amount no share is priced at
    assert got == Frame(**case["frame"])


def test_a_measure_is_one_data_edit(tmp_path: Path) -> None:
    """Adding a measure is an edit of a lexicon file, not of code."""
    sentence = "The ferry carried 412 passengers across the strait."
    start = sentence.index("412")
    assert read_frame(sentence, start, start + 3, Kind.COUNT, LEXICON).measure == ""
    extra = tmp_path / "extra.yaml"
    extra.write_text("measures:\n  - {name: ridership, varies: true, kinds: [count], words: [carried]}\n",
                     encoding="utf-8")
    lexicon = load_lexicon("en", (extra,))
    assert read_frame(sentence, start, start + 3, Kind.COUNT, lexicon).measure == "ridership"


def test_a_converted_amount_in_brackets_shares_the_frame_and_the_period() -> None:
    from factcheck.extract.links import link_conversions
    from factcheck.model import Mention, Period

    text = "He will earn 45m euros (£40.7m) a year before tax."
    euros = Mention("s", 13, 22, "45m euros", text, 0, Kind.MONEY, None, "EUR", measure="salary", scope="before tax")
    pounds = Mention("s", 24, 30, "£40.7m", text, 0, Kind.MONEY, None, "GBP")
    a, b = link_conversions([pounds, euros], text)
    assert (a.period, b.period) == (Period.YEAR, Period.YEAR)
    assert (b.measure, b.scope) == ("salary", "before tax")


def test_a_compared_figure_takes_the_scope_of_the_one_before() -> None:
    """"Food inflation was 1.1% as against 0.3% in March": 0.3% is food inflation too, a month earlier."""
    from factcheck.extract.links import inherit_comparisons
    from factcheck.model import Mention

    text = "Food inflation was 1.1% as against 0.3% in March."
    food = Mention("s", 19, 23, "1.1%", text, 0, Kind.PERCENT, None, "%", measure="inflation", scope="food")
    march = Mention("s", 35, 39, "0.3%", text, 0, Kind.PERCENT, None, "%", time="month 03")
    _, b = inherit_comparisons([march, food], text)
    assert (b.measure, b.scope, b.time) == ("inflation", "food", "month 03")
    after = "Prices rose 2.67% in October after a 6.30% rise in September."
    monthly = Mention("s", 12, 17, "2.67%", after, 0, Kind.PERCENT, None, "%", measure="inflation", scope="month on month")
    earlier = Mention("s", 37, 42, "6.30%", after, 0, Kind.PERCENT, None, "%", time="month 09")
    assert inherit_comparisons([monthly, earlier], after)[1].scope == "month on month"  # "after a" compares too
    other = Mention("s", 35, 39, "0.3%", text.replace("as against", "and rent"), 0, Kind.PERCENT, None, "%")
    assert inherit_comparisons([food, other], other.sentence)[1].scope == ""


def test_figures_a_list_word_closes_are_each_their_own_item() -> None:
    """"26,000 and 24,000 jobs respectively" are two sectors' figures, never the month's 134,000 jobs."""
    from factcheck.extract.links import listed_figures
    from factcheck.model import Mention

    text = "Health care and transport added 26,000 and 24,000 jobs respectively; employers added 134,000 jobs."

    def figure(surface: str) -> Mention:
        start = text.index(surface)
        return Mention("s", start, start + len(surface), surface, text, 0, Kind.COUNT, None, "job", measure="jobs")

    first, second, whole = listed_figures([figure("134,000 jobs"), figure("24,000 jobs"), figure("26,000")], LEXICON)
    assert (first.scope, second.scope, whole.scope) == ("listed 1 of 2", "listed 2 of 2", "")
    alone = text.replace(" respectively", "")
    assert [m.scope for m in listed_figures([replace(figure("26,000"), sentence=alone)], LEXICON)] == [""]


@pytest.mark.parametrize("published, time", [(date(2016, 6, 13), "year 2015"), (None, "last year")],
                         ids=["dated-article", "undated-article-waits-for-its-story"])
def test_last_year_is_the_year_before_the_article(published: date | None, time: str) -> None:
    from factcheck.extract.run import extract
    from factcheck.model import Source
    from factcheck.nlp import build_pipeline

    text = "The network bought the video site for $1.5 billion last year."
    found = extract(Source(id="s", path=Path("s.md"), text=text, published=published), build_pipeline())
    assert [m.time for m in found.mentions if m.text == "$1.5 billion"] == [time]


def test_an_undated_article_takes_its_last_year_from_the_story() -> None:
    """"Grew 6.9% last year" in an undated article of a story dated 2016: 2015; in a story with no dates at all,
    an earlier value."""
    from factcheck.story import dated_in_story
    from factcheck.model import Mention
    from factcheck.model import Source

    m = Mention("u", 0, 4, "6.9%", "China grew 6.9% last year.", 0, Kind.PERCENT, None, "%", time="last year")
    dated = [Source(id=i, path=Path(f"{i}.md"), text="", published=d)
             for i, d in (("a", date(2016, 1, 19)), ("b", date(2016, 1, 20)), ("c", date(2015, 12, 30)), ("u", None))]
    assert [x.time for x in dated_in_story([m], dated)] == ["year 2015"]
    assert [x.time for x in dated_in_story([m], [Source(id="u", path=Path("u.md"), text="")])] == ["earlier"]


def test_a_base_year_before_a_level_is_not_the_level_s_time() -> None:
    sentence = "Imports fell 13.2 percent on the previous year to 10.45 trillion yuan."
    start = sentence.index("10.45 trillion yuan")
    frame = read_frame(sentence, start, start + len("10.45 trillion yuan"), Kind.MONEY, LEXICON)
    assert (frame.measure, frame.time) == ("imports", "")
