"""Findings on real multi-outlet coverage (tests/real, gold written blind), scored as `factcheck eval` does.

These are floors measured when frames landed, so that a change that makes real stories
worse fails; raise them as the tool improves (numbers in the README). The hard rule of
the issue holds exactly: no blocking finding between two figures of one article.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spacy.language import Language

from factcheck.evaluate_findings import StoryFindingScore, load_findings_gold, score_story, total
from factcheck.pipeline import Settings, check

REAL = Path(__file__).parent / "real"
STORIES = sorted(p for p in REAL.iterdir() if (p / "gold.yaml").exists())


@pytest.fixture(scope="module")
def scores(nlp: Language) -> list[StoryFindingScore]:
    return [score_story(s.name, load_findings_gold(s / "gold.yaml"), check(s, nlp, Settings(cache=False)))
            for s in STORIES]


def test_dev_set_is_real_and_wide() -> None:
    assert len(STORIES) >= 8
    for story in STORIES:
        assert len(list((story / "sources").glob("*.md"))) >= 5, story.name


def test_no_blocking_finding_within_one_article(scores: list[StoryFindingScore]) -> None:
    assert total(scores).within_article_blocking == 0


def test_real_stories_do_not_get_worse(scores: list[StoryFindingScore]) -> None:
    t = total(scores)
    assert t.raised >= 45 and t.at_severity >= 42, t
    assert t.false_blocking == 0, [f for s in scores for f in s.false]
    assert t.agreements_found >= 58, t


def scores_of(folder: Path, nlp: Language) -> list[StoryFindingScore]:
    return [score_story(s.name, load_findings_gold(s / "gold.yaml"), check(s, nlp, Settings(cache=False)))
            for s in sorted(p for p in folder.iterdir() if (p / "gold.yaml").exists())]


@pytest.fixture(scope="module")
def tuned_heldout_scores(nlp: Language) -> list[StoryFindingScore]:
    return scores_of(REAL.parent / "heldout-real", nlp)


# Sets scored once on first contact (their READMEs), then read and tuned on: floors on raised and at
# severity, and never a false block. (folder, raised, at severity)
# (set, gold conflicts raised at least, at the gold's severity at least, false blocking at most). The two
# false blocks left are named in the sets' READMEs: a part against a sum no article states ("$13 billion debt
# facility" against "$25.5 billion in debt and margin lending"), and a blog's swapped currencies seen as
# "the same number in two currencies", which the gold pairs otherwise.
TUNED_AFTER_FIRST_CONTACT = [("heldout-dec", 18, 15, 0), ("heldout-blind", 26, 21, 0), ("heldout-late", 15, 14, 0),
                             ("heldout-night", 9, 9, 0), ("heldout-dawn", 22, 19, 0), ("heldout-eve", 13, 10, 0),
                             ("heldout-noon", 9, 9, 1), ("heldout-dusk", 15, 12, 1),
                             ("heldout-morn", 13, 10, 0), ("heldout-sun", 18, 15, 2),
                             ("heldout-tide", 16, 14, 0), ("heldout-vale", 8, 7, 0),
                             ("heldout-frost", 14, 13, 0), ("heldout-glen", 13, 12, 0),
                             ("heldout-hill", 14, 10, 0), ("heldout-isle", 15, 13, 0),
                             ("heldout-jade", 13, 13, 0),
                             ("heldout-kiln", 8, 6, 0)]


@pytest.mark.parametrize("folder, raised, at_severity, false_blocking", TUNED_AFTER_FIRST_CONTACT,
                         ids=[row[0] for row in TUNED_AFTER_FIRST_CONTACT])
def test_sets_read_after_first_contact_do_not_get_worse(nlp: Language, folder: str, raised: int,
                                                        at_severity: int, false_blocking: int) -> None:
    scores = scores_of(REAL.parent / folder, nlp)
    t = total(scores)
    assert t.raised >= raised and t.at_severity >= at_severity, t
    assert t.false_blocking <= false_blocking and t.within_article_blocking == 0, [f for s in scores for f in s.false]


def test_stories_first_held_out_then_tuned_on_do_not_get_worse(tuned_heldout_scores: list[StoryFindingScore]) -> None:
    """tests/heldout-real was read after its first-contact score (README): now a second dev set with floors."""
    t = total(tuned_heldout_scores)
    assert t.raised >= 37 and t.at_severity >= 33, t
    assert t.false_blocking == 0 and t.within_article_blocking == 0, [f for s in tuned_heldout_scores for f in s.false]


def test_a_conflict_counts_only_when_differing_figures_of_two_sources_are_covered(tmp_path: Path) -> None:
    from factcheck.evaluate_findings import GoldFigure, GoldRelation, StoryGold, _differing_pair

    figs = {"a": GoldFigure("a", "s1", "5", 1, "5 person none"), "b": GoldFigure("b", "s2", "5", 1, "5 person none"),
            "c": GoldFigure("c", "s2", "7", 1, "7 person none"), "d": GoldFigure("d", "s1", "7", 1, "7 person none")}
    gold = StoryGold(tmp_path, figs, (GoldRelation("r", "contradiction", ("a", "b", "c")),))
    assert not _differing_pair({"a", "b"}, gold)  # same value
    assert not _differing_pair({"c", "b"}, gold)  # one source
    assert _differing_pair({"a", "c"}, gold)
    assert not _differing_pair({"a", "d"}, gold)  # one article's own figures


def test_unedited_suggested_catalogue_raises_no_more_false_blocking(scores: list[StoryFindingScore],
                                                                    nlp: Language) -> None:
    """The issue's rule: `catalog suggest` used unedited never adds false blocking contradictions."""
    from factcheck.evaluate_findings import check_with_suggested_catalogue

    with_catalogue = [score_story(story.name, load_findings_gold(story / "gold.yaml"),
                                  check_with_suggested_catalogue(story, nlp)) for story in STORIES]
    assert total(with_catalogue).false_blocking <= total(scores).false_blocking
