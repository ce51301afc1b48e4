"""Reconciler judgements as a table, derived arithmetic, stable ids, and verdicts."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from factcheck.model import (
    Claim, Fact, Kind, Mention, Modality, Period, Qualifier, Relation, Resolution, Source,
)
from factcheck.reconcile import Comparison, compare, finding_id, reconcile
from factcheck.sources import line_starts


def money(value: str, *, q: Qualifier = Qualifier.EXACT, mood: Modality = Modality.STATED,
          period: Period = Period.NONE, precision: str | None = None, src: str = "a", high: str | None = None) -> Mention:
    return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=Kind.MONEY,
                   value=Decimal(value), unit="USD", period=period, qualifier=q, modality=mood,
                   precision=Decimal(precision) if precision else None, high=Decimal(high) if high else None)


TOL = Decimal("0.005")
COMPARISONS = [
    ("over-40-agrees-45", money("40e9", q=Qualifier.OVER), money("45e9"), Comparison.AGREE),
    ("over-40-agrees-40", money("40e9", q=Qualifier.OVER), money("40e9"), Comparison.AGREE),
    ("about-agrees-exact", money("1.25e9", q=Qualifier.APPROXIMATELY), money("1.25e9"), Comparison.AGREE),
    ("rounded-billion-is-rounding", money("1e9", q=Qualifier.ROUNDED, precision="1e9"), money("1.25e9"),
     Comparison.ROUNDING),
    ("coarse-1b-rounds-1.25b", money("1e9", precision="1e9"), money("1.25e9", precision="1e7"), Comparison.ROUNDING),
    ("exact-mismatch-conflicts", money("1.25e9"), money("2e9"), Comparison.CONFLICT),
    ("plan-vs-now-unrelated", money("200000", mood=Modality.PLANNED), money("100000"), Comparison.UNRELATED),
    ("hypothetical-never-conflicts", money("15e9", mood=Modality.HYPOTHETICAL), money("20e9"), Comparison.UNRELATED),
    ("range-contains", money("10e9", q=Qualifier.RANGE, high="15e9"), money("12e9"), Comparison.AGREE),
    ("up-to-excludes-more", money("5e9", q=Qualifier.UP_TO), money("9e9"), Comparison.CONFLICT),
    ("within-tolerance", money("100.2"), money("100"), Comparison.AGREE),
]


@pytest.mark.parametrize("a,b,expected", [c[1:] for c in COMPARISONS], ids=[c[0] for c in COMPARISONS])
def test_compare(a: Mention, b: Mention, expected: Comparison) -> None:
    assert compare(a, b, TOL) == expected
    assert compare(b, a, TOL) == expected  # symmetric


def sources(*ids: str) -> list[Source]:
    return [Source(id=i, path=Path(f"sources/{i}.md"), text="x" * 10, line_starts=line_starts("x" * 10)) for i in ids]


FEE = Fact(id="fee", label="Fee", kind=Kind.MONEY, unit="USD", period=Period.MONTH)
ANNUAL = Fact(id="annual", label="Annual", kind=Kind.MONEY, unit="USD", period=Period.YEAR)
TOTAL = Fact(id="total", label="Total", kind=Kind.MONEY, unit="USD")


def claim(fact: Fact, m: Mention) -> Claim:
    return Claim(m, fact.id)


def test_derived_check_writes_out_the_arithmetic() -> None:
    claims = [claim(FEE, money("1.25e9", period=Period.MONTH, src="a")),
              claim(ANNUAL, money("18e9", period=Period.YEAR, src="b"))]
    rec = reconcile([FEE, ANNUAL], claims, [Relation("annual_from_fee", "annual", "fee * 12")], sources("a", "b"))
    [derived] = [f for f in rec.findings if f.kind.value == "derived"]
    assert derived.status == "inconsistent" and derived.severity.value == "blocking"
    assert derived.arithmetic == "$1.25 billion/month × 12 = $15 billion; stated $18 billion/year"


def test_underdetermined_relation_says_what_term_is_implied() -> None:
    end = Fact(id="end", label="End", kind=Kind.DATE)
    start = Fact(id="start", label="Start", kind=Kind.DATE)
    date_end = Mention(source_id="b", start=0, end=1, text="May 2029", sentence="", sentence_start=0,
                       kind=Kind.DATE, value="2029-05", unit="date")
    claims = [claim(FEE, money("1e9", period=Period.MONTH, src="a")),
              claim(TOTAL, money("24e9", q=Qualifier.OVER, src="b")), Claim(date_end, "end")]
    rec = reconcile([FEE, TOTAL, end, start], claims,
                    [Relation("total_from_term", "total", "fee * months(start, end)")], sources("a", "b"))
    [derived] = [f for f in rec.findings if f.kind.value == "derived"]
    assert derived.status == "underdetermined"
    assert "consistent if the term is at least 24 months, i.e. if it started in or before May 2027" in derived.summary


def test_unit_implied_relation_between_discovered_rates() -> None:
    monthly = Fact(id="~money-usd-per-month", label="USD per month", kind=Kind.MONEY, unit="USD",
                   period=Period.MONTH, discovered=True)
    yearly = Fact(id="~money-usd-per-year", label="USD per year", kind=Kind.MONEY, unit="USD",
                  period=Period.YEAR, discovered=True)
    claims = [Claim(money("2e6", period=Period.MONTH, src="a"), monthly.id),
              Claim(money("2e6", period=Period.MONTH, src="b"), monthly.id),
              Claim(money("24e6", period=Period.YEAR, src="c"), yearly.id)]
    rec = reconcile([monthly, yearly], claims, [], sources("a", "b", "c"))
    derived = [f for f in rec.findings if f.kind.value == "derived"]
    assert [d.status for d in derived] == ["consistent"]


def test_resolutions_apply_and_stale_ones_are_reported() -> None:
    claims = [claim(FEE, money("1e9", period=Period.MONTH, src="a")),
              claim(FEE, money("3e9", period=Period.MONTH, src="b"))]
    first = reconcile([FEE], claims, [], sources("a", "b"))
    [contra] = [f for f in first.findings if f.kind.value == "contradiction"]
    verdicts = [Resolution(contra.id, "source-error", "b misread"), Resolution("contradiction-x-00000000", "retracted")]
    second = reconcile([FEE], claims, [], sources("a", "b"), verdicts)
    [resolved] = [f for f in second.findings if f.kind.value == "contradiction"]
    assert resolved.resolved and resolved.resolution and resolved.resolution.note == "b misread"
    assert [r.finding_id for r in second.stale] == ["contradiction-x-00000000"]


def test_finding_ids_survive_an_unrelated_article() -> None:
    base = [claim(FEE, money("1e9", period=Period.MONTH, src="a")),
            claim(FEE, money("3e9", period=Period.MONTH, src="b"))]
    before = {f.kind: f.id for f in reconcile([FEE], base, [], sources("a", "b")).findings}
    extra = base + [claim(TOTAL, money("7e9", src="c"))]
    after = {f.kind: f.id for f in reconcile([FEE, TOTAL], extra, [], sources("a", "b", "c")).findings
             if f.fact_id == "fee"}
    assert after == before
    assert finding_id.__doc__  # ids are documented as content-derived


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_findings_are_independent_of_claim_and_source_order(rnd: random.Random) -> None:
    claims = [claim(FEE, money(v, period=Period.MONTH, src=s, q=q)) for v, s, q in [
        ("1.25e9", "a", Qualifier.EXACT), ("1.25e9", "b", Qualifier.APPROXIMATELY),
        ("1e9", "c", Qualifier.ROUNDED), ("2e9", "d", Qualifier.EXACT), ("1.25e9", "e", Qualifier.EXACT)]]
    claims.append(claim(ANNUAL, money("15e9", period=Period.YEAR, src="b")))
    relations = [Relation("annual_from_fee", "annual", "fee * 12")]
    srcs = sources("a", "b", "c", "d", "e")
    expected = reconcile([FEE, ANNUAL], claims, relations, srcs).findings
    shuffled_claims, shuffled_sources = claims[:], srcs[:]
    rnd.shuffle(shuffled_claims)
    rnd.shuffle(shuffled_sources)
    facts = [FEE, ANNUAL]
    rnd.shuffle(facts)
    got = reconcile(facts, shuffled_claims, relations, shuffled_sources).findings
    assert got == expected


def test_an_upper_bound_factor_is_its_stated_value() -> None:
    """'up to $5 million/month' x 12 is $60 million: no false blocking contradiction."""
    claims = [claim(FEE, money("5e6", q=Qualifier.UP_TO, period=Period.MONTH, src="a")),
              claim(ANNUAL, money("60e6", period=Period.YEAR, src="b"))]
    rec = reconcile([FEE, ANNUAL], claims, [Relation("annual_from_fee", "annual", "fee * 12")], sources("a", "b"))
    [derived] = [f for f in rec.findings if f.kind.value == "derived"]
    assert derived.status == "consistent", derived.arithmetic


# ---------------------------------------------------------------- the day of an event

def day(value: str, src: str) -> Mention:
    return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=Kind.DATE,
                   value=value, unit="date", measure="disaster date")


DATES = [
    ("same-day", "2025-06-12", "2025-06-12", Comparison.AGREE),
    ("weekday-of-undated-article-falls-on-the-date", "Thursday", "2025-06-12", Comparison.AGREE),
    ("weekday-against-another-date", "Wednesday", "2025-06-13", Comparison.CONFLICT),
    ("year-less-date", "--06-12", "2025-06-12", Comparison.AGREE),
    ("month-holds-its-days", "2025-06", "2025-06-12", Comparison.AGREE),
    ("two-weekdays", "Thursday", "Friday", Comparison.CONFLICT),
    ("a-week-apart-is-another-event", "2025-06-05", "2025-06-12", Comparison.UNRELATED),
]


@pytest.mark.parametrize("a,b,expected", [c[1:] for c in DATES], ids=[c[0] for c in DATES])
def test_compare_days(a: str, b: str, expected: Comparison) -> None:
    assert compare(day(a, "a"), day(b, "b"), TOL) == expected
    assert compare(day(b, "b"), day(a, "a"), TOL) == expected


def test_an_event_dated_differently_is_a_warning_naming_the_consensus() -> None:
    """Four articles date the crash Thursday, one Tuesday: worth a look, never blocking (the word beside a
    day may date another event); a day apart is said to be explainable by a time zone."""
    fact = Fact(id="~date-crash", label="Crash: disaster date", kind=Kind.DATE, unit="date", discovered=True,
                measure="disaster date")
    claims = [claim(fact, day(v, s)) for v, s in
              [("2025-06-12", "a"), ("Thursday", "b"), ("2025-06-12", "c"), ("2025-06-10", "d")]]
    rec = reconcile([fact], claims, [], sources("a", "b", "c", "d"))
    kinds = sorted((f.kind.value, f.severity.value) for f in rec.findings)
    assert kinds == [("agreement", "info"), ("discrepancy", "warning")]
    odd = next(f for f in rec.findings if f.kind.value == "discrepancy")
    assert odd.outliers == ("d",) and "10 June 2025" in odd.summary and "3 sources" in odd.consensus
    late = [claim(fact, day(v, s)) for v, s in [("2025-06-12", "a"), ("2025-06-12", "b"), ("2025-06-13", "c")]]
    summary = next(f.summary for f in reconcile([fact], late, [], sources("a", "b", "c")).findings
                   if f.kind.value == "discrepancy")
    assert "a day apart" in summary


def duration(value: str, unit: str, src: str, q: Qualifier = Qualifier.EXACT) -> Mention:
    return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=Kind.DURATION,
                   value=Decimal(value), unit=unit, qualifier=q, precision=Decimal("0.5"))


def test_durations_of_one_family_are_one_fact_in_one_unit() -> None:
    """"Nearly three and a half minutes" and "three minutes and 27 seconds" are one gap; a week is 7 days;
    months stay months. Labels read as a clock."""
    from factcheck.assign import assign
    from factcheck.labels import value_label
    from factcheck.model import Catalog

    done = assign([duration("3.5", "minute", "a", Qualifier.NEARLY), duration("207", "second", "b"),
                   duration("1", "week", "c", Qualifier.UNDER), duration("5", "day", "d"),
                   duration("2", "month", "e")], Catalog())
    by_source = {c.mention.source_id: c for c in done.claims}
    assert by_source["a"].fact_id == by_source["b"].fact_id
    assert by_source["a"].mention.value == Decimal("210") and by_source["a"].mention.unit == "second"
    assert by_source["a"].mention.precision == Decimal("30")
    assert by_source["c"].fact_id == by_source["d"].fact_id and by_source["c"].mention.value == Decimal("7")
    assert by_source["e"].mention.unit == "month"
    assert [value_label(by_source[s].mention) for s in "ab"] == ["nearly 3 min 30 s", "3 min 27 s"]
    assert value_label(duration("7235", "second", "x")) == "2:00:35"
    assert value_label(duration("300", "second", "x")) == "5 min"


def test_totals_apart_by_a_sum_their_article_states_may_include_it() -> None:
    """"$19 billion" against "$16 billion" where one article lists "$3 billion in restricted stock units":
    one total may include the part (a warning); with no such sum in either article, a contradiction."""
    fact = Fact(id="~deal", label="Deal value", kind=Kind.MONEY, unit="USD", discovered=True, measure="deal value")
    rows = [("16e9", "a"), ("16e9", "b"), ("19e9", "c")]
    claims = [claim(fact, money(v, src=s)) for v, s in rows]
    part = Fact(id="~rsu", label="Stock units", kind=Kind.MONEY, unit="USD", discovered=True, measure="stock units")
    with_part = reconcile([fact, part], claims + [claim(part, money("3e9", src="c"))], [], sources("a", "b", "c"))
    odd = next(f for f in with_part.findings if f.fact_id == "~deal" and f.kind.value != "agreement")
    assert odd.severity.value == "warning" and "$3 billion" in odd.summary
    # a sum in a third article, not in either of the two compared, excuses nothing
    elsewhere = reconcile([fact, part], claims + [claim(part, money("3e9", src="d"))], [], sources("a", "b", "c", "d"))
    assert any(f.fact_id == "~deal" and f.severity.value == "blocking" for f in elsewhere.findings)


SLIPS = [
    ("bn-for-trillion", "14.1e9", "14.14e12", True),
    ("million-for-billion", "25e6", "25e9", True),
    ("per-share-and-total", "196", "26.2e9", False),
    ("a-hundredfold-is-not-a-scale-word", "1e9", "100e9", False),
]


@pytest.mark.parametrize("x,y,slip", [c[1:] for c in SLIPS], ids=[c[0] for c in SLIPS])
def test_scale_slip(x: str, y: str, slip: bool) -> None:
    from factcheck.reconcile import scale_slip
    assert scale_slip(Decimal(x), Decimal(y)) is slip


def test_a_scale_slip_is_a_contradiction_not_two_quantities() -> None:
    """"14.1bn yuan" of exports against 14.14 trillion: the same figure with the wrong scale word blocks;
    a per-share price against a total stays two quantities."""
    fact = Fact(id="~exports", label="Exports", kind=Kind.MONEY, unit="USD", discovered=True, measure="exports")
    claims = [claim(fact, money("14.14e12", src="a")), claim(fact, money("14.1e9", src="b"))]
    found = reconcile([fact], claims, [], sources("a", "b")).findings
    assert [f.severity.value for f in found] == ["blocking"]
    claims = [claim(fact, money("196", src="a")), claim(fact, money("26.2e9", src="b"))]
    assert [f.severity.value for f in reconcile([fact], claims, [], sources("a", "b")).findings] == ["warning"]


def test_different_values_are_never_an_agreement_even_without_a_measure() -> None:
    """"About 750,000 followers" and "about 720,000 followers": a rounding worth a look, not an agreement."""
    fact = Fact(id="~count-follower", label="Number of follower", kind=Kind.COUNT, unit="follower", discovered=True)

    def followers(value: str, src: str) -> Mention:
        return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=Kind.COUNT,
                       value=Decimal(value), unit="follower", qualifier=Qualifier.APPROXIMATELY)

    found = reconcile([fact], [claim(fact, followers("750000", "a")), claim(fact, followers("720000", "b"))], [],
                      sources("a", "b")).findings
    assert [(f.kind.value, f.severity.value) for f in found] == [("discrepancy", "warning")]


APART = [
    # (id, kind, a, b, severity of b against a stated by two sources)
    ("complementary-shares-are-two-sides", Kind.PERCENT, "55.3", "44.7", "warning"),
    ("shares-not-adding-up-conflict", Kind.PERCENT, "55.3", "40", "blocking"),
    ("a-region-and-the-whole", Kind.COUNT, "2001926", "87739", "warning"),
    ("a-slipped-digit-blocks", Kind.COUNT, "45000", "4500", "blocking"),
]


@pytest.mark.parametrize("kind,a,b,severity", [r[1:] for r in APART], ids=[r[0] for r in APART])
def test_values_that_are_probably_other_quantities(kind: Kind, a: str, b: str, severity: str) -> None:
    fact = Fact(id="~f", label="F", kind=kind, unit="%" if kind == Kind.PERCENT else "vote", discovered=True,
                measure="vote share")

    def figure(value: str, src: str) -> Mention:
        return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=kind,
                       value=Decimal(value), unit=fact.unit, precision=Decimal("0.1"))

    claims = [claim(fact, figure(a, "a")), claim(fact, figure(a, "b")), claim(fact, figure(b, "c"))]
    found = [f for f in reconcile([fact], claims, [], sources("a", "b", "c")).findings if f.kind.value != "agreement"]
    assert [f.severity.value for f in found] == [severity], [f.summary for f in found]


PARTIES = [
    # (id, measure, owner of a, owner of b, severity): a name beside each figure decides
    ("a-pairwise-measure-of-one-full-name-blocks", "age", "Anna Ortiz", "Anna Ortiz", "blocking"),
    ("a-pairwise-measure-beside-one-place-may-be-of-another", "age", "Florida", "Florida", "warning"),
    ("a-contested-measure-beside-two-names-may-be-two-parties", "vote share", "Lena Varga", "Unity Party", "warning"),
    ("a-contested-measure-beside-one-name-blocks", "vote share", "Lena Varga", "Lena Varga", "blocking"),
]


@pytest.mark.parametrize("measure,owner_a,owner_b,severity", [r[1:] for r in PARTIES], ids=[r[0] for r in PARTIES])
def test_whose_figure_decides_whether_it_blocks(measure: str, owner_a: str, owner_b: str, severity: str) -> None:
    kind, unit = (Kind.DURATION, "year") if measure == "age" else (Kind.PERCENT, "%")
    fact = Fact(id="~f", label="F", kind=kind, unit=unit, discovered=True, measure=measure,
                pairwise=measure == "age", subject="x")

    def figure(value: str, src: str, owner: str) -> Mention:
        return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=kind,
                       value=Decimal(value), unit=unit, measure=measure, owner=owner)

    claims = [claim(fact, figure("46", "a", owner_a)), claim(fact, figure("46", "b", owner_a)),
              claim(fact, figure("30", "c", owner_b))]
    found = [f for f in reconcile([fact], claims, [], sources("a", "b", "c")).findings if f.kind.value != "agreement"]
    assert [f.severity.value for f in found] == [severity], [f.summary for f in found]


ONE_AGAINST_ONE = [
    # (id, owner of a, owner of b, severity): with no consensus, the names beside the two figures decide
    ("no-name-in-common-may-be-two-parties", "Kestrel Media | India", "Orla Network | Norland League", "warning"),
    ("a-name-in-common-blocks", "Lintel Learning | Kestrel Media", "Kestrel Media", "blocking"),
    ("no-name-beside-one-blocks", "Kestrel Media", "", "blocking"),
    ("a-surname-and-the-full-name-are-one-name", "Lindqvist", "Mara Lindqvist", "blocking"),
]


@pytest.mark.parametrize("owner_a,owner_b,severity", [r[1:] for r in ONE_AGAINST_ONE], ids=[r[0] for r in ONE_AGAINST_ONE])
def test_one_source_against_one_with_no_name_in_common_is_a_discrepancy(owner_a: str, owner_b: str,
                                                                        severity: str) -> None:
    fact = Fact(id="~f", label="F", kind=Kind.MONEY, unit="USD", discovered=True, measure="deal value", subject="x")

    def figure(value: str, src: str, owner: str) -> Mention:
        return Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0, kind=Kind.MONEY,
                       value=Decimal(value), unit="USD", measure="deal value", owner=owner)

    claims = [claim(fact, figure("2600000000", "a", owner_a)), claim(fact, figure("3000000000", "b", owner_b))]
    found = [f for f in reconcile([fact], claims, [], sources("a", "b")).findings if f.kind.value != "agreement"]
    assert [f.severity.value for f in found] == [severity], [f.summary for f in found]


def test_each_outlier_is_judged_alone_a_rounded_one_never_spares_a_precise_one() -> None:
    """61.3% (two sources) against 62.5% blocks (two decimals differ); 65% beside it is a rounding to look at."""
    fact = Fact(id="~f", label="F", kind=Kind.PERCENT, unit="%", discovered=True, measure="turnout", subject="x")

    def share(value: str, src: str) -> Claim:
        return claim(fact, Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0,
                                   kind=Kind.PERCENT, value=Decimal(value), unit="%", measure="turnout",
                                   precision=Decimal("0.1") if "." in value else Decimal(1)))

    claims = [share("61.3", "a"), share("61.3", "b"), share("62.5", "c"), share("65", "d")]
    found = {f.kind.value: sorted(e.text for e in f.evidence if e.text != "61.3")
             for f in reconcile([fact], claims, [], sources(*"abcd")).findings if f.kind.value != "agreement"}
    assert found == {"contradiction": ["62.5"], "discrepancy": ["65"]}


def test_premiums_over_different_bases_never_block() -> None:
    """19% over Friday's close and 28% over the close before the first reports: both can be right."""
    fact = Fact(id="~f", label="F", kind=Kind.PERCENT, unit="%", discovered=True, measure="premium", subject="x")

    def share(value: str, src: str) -> Claim:
        return claim(fact, Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0,
                                   kind=Kind.PERCENT, value=Decimal(value), unit="%", measure="premium"))

    found = [f for f in reconcile([fact], [share("19", "a"), share("19", "b"), share("28", "c")], [],
                                  sources("a", "b", "c")).findings if f.kind.value != "agreement"]
    assert [(f.severity.value, "base price" in f.summary) for f in found] == [("warning", True)]


@pytest.mark.parametrize("kind, unit", [(Kind.COUNT, "person"), (Kind.QUANTITY, "barrel")], ids=["count", "quantity"])
def test_an_order_of_magnitude_apart_is_a_part_and_the_whole(kind: Kind, unit: str) -> None:
    """One country's 720,000 barrels a day against the group's 32.5 million: a part and the whole, not a block."""
    fact = Fact(id="~f", label="F", kind=kind, unit=unit, discovered=True, measure="production", subject="x")

    def figure(value: str, src: str) -> Claim:
        return claim(fact, Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0,
                                   kind=kind, value=Decimal(value), unit=unit, measure="production"))

    found = [f for f in reconcile([fact], [figure("32500000", "a"), figure("720000", "b")], [], sources("a", "b")).findings
             if f.kind.value != "agreement"]
    assert [(f.severity.value, "part" in f.summary) for f in found] == [("warning", True)], [f.summary for f in found]


def test_outliers_that_may_be_right_are_reported_by_quantity() -> None:
    """Weakly aligned values far apart are several quantities lumped by discovery: a near group of two sources
    away from the consensus is a finding of its own, a lone far value stays beside the consensus; a running
    tally keeps all its readings in one finding."""
    from dataclasses import replace as with_

    def share(value: str, src: str) -> Claim:
        return with_(claim(fact, Mention(source_id=src, start=0, end=1, text=value, sentence=value, sentence_start=0,
                                         kind=Kind.PERCENT, value=Decimal(value), unit="%", measure="vote share")),
                     weak=True)

    fact = Fact(id="~f", label="F", kind=Kind.PERCENT, unit="%", discovered=True, measure="vote share")
    claims = [share("52.5", "a"), share("52.5", "b"), share("52.59", "c"), share("0.9", "d"), share("0.95", "e"),
              share("30.7", "f")]
    found = [sorted(e.text for e in f.evidence) for f in reconcile([fact], claims, [], sources(*"abcdef")).findings
             if f.kind.value == "discrepancy"]
    assert sorted(found) == [["0.9", "0.95"], ["30.7", "52.5", "52.5"], ["52.5", "52.5", "52.59"]]  # 52.59 rounds
    tally = with_(fact, varies=True)
    found = [f for f in reconcile([tally], claims, [], sources(*"abcdef")).findings if f.kind.value == "discrepancy"]
    assert all("52.5" in {e.text for e in f.evidence} for f in found)  # nothing split off the consensus
    assert any({e.text for e in f.evidence} >= {"0.9", "0.95", "30.7"} for f in found)
