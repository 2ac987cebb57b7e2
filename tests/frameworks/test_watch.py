"""The inflation watch's figures, its participation alerts and its near-duplicate search."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.errors import InvalidInput
from microcred.frameworks import watch
from microcred.frameworks.watch import (
    BURST_MIN_AWARDS,
    BURST_WINDOW,
    MIN_ATTEMPTS,
    AwardRecord,
    CatalogueText,
    MonthCount,
    awards_per_month,
    evidence_share,
    find_bursts,
    median_days_to_award,
    near_duplicates,
    pass_rate,
    shingles,
    watch_figures,
    words,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def spread(count: int, *, every: timedelta, evidence: bool = False) -> list[AwardRecord]:
    return [AwardRecord(START + number * every, has_evidence=evidence) for number in range(count)]


def kinds(figures) -> list[str]:
    return [alert.kind for alert in figures.alerts]


# -- figures ---------------------------------------------------------------------------------


def test_awards_per_month_fills_the_empty_months_between() -> None:
    dates = [START, START + timedelta(days=1), datetime(2026, 5, 31, tzinfo=UTC)]
    assert awards_per_month(dates) == [
        MonthCount("2026-03", 2),
        MonthCount("2026-04", 0),
        MonthCount("2026-05", 1),
    ]


def test_awards_per_month_crosses_a_year() -> None:
    dates = [datetime(2025, 12, 5, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC)]
    assert [month.month for month in awards_per_month(dates)] == ["2025-12", "2026-01"]
    assert awards_per_month([]) == []


def test_pass_rate_needs_attempts() -> None:
    assert pass_rate(passed=3, attempts=4) == 0.75
    assert pass_rate(passed=3, attempts=None) is None
    assert pass_rate(passed=0, attempts=0) is None


def test_pass_rate_refuses_fewer_attempts_than_passes() -> None:
    with pytest.raises(InvalidInput) as raised:
        pass_rate(passed=5, attempts=4)
    assert raised.value.field == "attempts"


def test_evidence_share() -> None:
    records = spread(3, every=timedelta(days=1)) + spread(1, every=timedelta(days=1), evidence=True)
    assert evidence_share(records) == 0.25
    assert evidence_share([]) is None


def test_median_days_to_award() -> None:
    spans = [(START, START + timedelta(days=days)) for days in (10, 20, 60)]
    assert median_days_to_award(spans) == 20
    assert median_days_to_award([]) is None


def test_median_days_refuses_an_award_before_its_enrolment() -> None:
    with pytest.raises(InvalidInput) as raised:
        median_days_to_award([(START, START), (START, START - timedelta(days=1))])
    assert raised.value.field == "spans[1]"


# -- bursts ----------------------------------------------------------------------------------


def test_a_batch_within_a_day_is_a_burst() -> None:
    records = spread(BURST_MIN_AWARDS, every=timedelta(minutes=5))
    [burst] = find_bursts(records)
    assert (burst.awards, burst.backed) == (BURST_MIN_AWARDS, 0)
    assert (burst.start, burst.end) == (START, records[-1].issued_at)


def test_awards_spread_over_weeks_are_no_burst() -> None:
    assert find_bursts(spread(50, every=timedelta(days=1, minutes=1))) == []


def test_one_award_fewer_than_the_minimum_is_no_burst() -> None:
    assert find_bursts(spread(BURST_MIN_AWARDS - 1, every=timedelta(minutes=1))) == []


def test_overlapping_windows_merge_and_separate_batches_stay_apart() -> None:
    first = spread(BURST_MIN_AWARDS + 5, every=timedelta(hours=1))
    later = [
        AwardRecord(record.issued_at + timedelta(days=30), has_evidence=True)
        for record in spread(BURST_MIN_AWARDS, every=timedelta(minutes=1))
    ]
    bursts = find_bursts(later + first)
    assert [(burst.awards, burst.backed) for burst in bursts] == [
        (BURST_MIN_AWARDS + 5, 0),
        (BURST_MIN_AWARDS, BURST_MIN_AWARDS),
    ]


def test_the_window_edge_counts() -> None:
    every = BURST_WINDOW / (BURST_MIN_AWARDS - 1)
    assert len(find_bursts(spread(BURST_MIN_AWARDS, every=every))) == 1
    wider = every + timedelta(seconds=1)
    assert find_bursts(spread(BURST_MIN_AWARDS, every=wider)) == []


# -- alerts ----------------------------------------------------------------------------------


def test_a_burst_without_evidence_raises_an_alert() -> None:
    figures = watch_figures(spread(BURST_MIN_AWARDS, every=timedelta(minutes=2)))
    assert kinds(figures) == ["watch.burst_without_evidence"]
    assert f"{BURST_MIN_AWARDS} awards" in figures.alerts[0].message
    assert figures.alerts[0].severity == "warning"


def test_a_burst_backed_by_evidence_or_submissions_raises_none() -> None:
    with_evidence = spread(BURST_MIN_AWARDS, every=timedelta(minutes=2), evidence=True)
    assert kinds(watch_figures(with_evidence)) == []
    submitted = [
        AwardRecord(record.issued_at, has_evidence=False, has_submission=True)
        for record in spread(BURST_MIN_AWARDS, every=timedelta(minutes=2))
    ]
    assert kinds(watch_figures(submitted)) == []


def test_near_full_pass_with_no_evidence_raises_an_alert() -> None:
    records = spread(MIN_ATTEMPTS, every=timedelta(days=3))
    figures = watch_figures(records, attempts=MIN_ATTEMPTS)
    assert figures.pass_rate == 1.0
    assert kinds(figures) == ["watch.full_pass_little_evidence"]
    assert f"{MIN_ATTEMPTS} of {MIN_ATTEMPTS} attempts passed (100%)" in figures.alerts[0].message


@pytest.mark.parametrize(
    ("attempts", "evidence", "why"),
    [
        (MIN_ATTEMPTS * 2, False, "half the attempts failed"),
        (MIN_ATTEMPTS, True, "every award carries evidence"),
        (None, False, "attempts are not recorded"),
    ],
)
def test_no_pass_rate_alert(attempts: int | None, evidence: bool, why: str) -> None:
    records = spread(MIN_ATTEMPTS, every=timedelta(days=3), evidence=evidence)
    assert kinds(watch_figures(records, attempts=attempts)) == [], why


def test_passes_are_counted_apart_from_awards_issued_by_hand() -> None:
    records = spread(MIN_ATTEMPTS, every=timedelta(days=3))
    figures = watch_figures(records, attempts=MIN_ATTEMPTS, passed=MIN_ATTEMPTS // 2)
    assert (figures.passed, figures.pass_rate) == (MIN_ATTEMPTS // 2, 0.5)
    assert kinds(figures) == []
    hand_issued = watch_figures(records, attempts=2, passed=1)
    assert (hand_issued.awards, hand_issued.pass_rate) == (MIN_ATTEMPTS, 0.5)


def test_a_small_cohort_that_all_passed_raises_no_alert() -> None:
    records = spread(MIN_ATTEMPTS - 1, every=timedelta(days=3))
    assert kinds(watch_figures(records, attempts=MIN_ATTEMPTS - 1)) == []


def test_figures_of_nothing() -> None:
    figures = watch_figures([])
    assert (figures.awards, figures.per_month, figures.alerts) == (0, [], [])
    assert figures.pass_rate is figures.evidence_share is figures.median_days_to_award is None


# -- near-duplicates -------------------------------------------------------------------------

PYTHON = CatalogueText(
    "lakeside/data-analysis-python",
    "lakeside",
    "Data Analysis with Python",
    (
        "Write Python programs that clean and transform tabular data.",
        "Apply statistical methods to analyse data sets.",
        "Create visualisations that communicate findings.",
    ),
)
PYTHON_AGAIN = CatalogueText(
    "northfield/python-data",
    "northfield",
    "Data analysis in Python",
    (
        "Write Python programs to clean and transform tabular data.",
        "Apply statistical methods to analyse data sets.",
        "Create clear visualisations that communicate findings.",
    ),
)
RESEARCH = CatalogueText(
    "lakeside/research-data-management",
    "lakeside",
    "Research Data Management",
    (
        "Develop a data management plan that meets funder requirements.",
        "Apply FAIR principles to publish research data.",
        "Evaluate legal and ethical constraints on data sharing.",
    ),
)
WELL_BEING = CatalogueText(
    "northfield/student-well-being",
    "northfield",
    "Understanding Student Well-being",
    ("Identify indicators of student well-being and distress.",),
)


def test_words_drop_stop_words_and_plurals() -> None:
    assert words("Analyses of the Data sets, with Python!") == ["analyse", "data", "set", "python"]
    assert words("Analysis of glass") == ["analysis", "glass"]


def test_shingles_stay_within_each_text() -> None:
    assert shingles(["Data analysis", "Python"]) == {"data analysis", "python"}


def test_a_reworded_copy_in_another_organisation_is_a_near_duplicate() -> None:
    [duplicate] = near_duplicates([PYTHON, RESEARCH, PYTHON_AGAIN, WELL_BEING])
    assert {duplicate.first.key, duplicate.second.key} == {PYTHON.key, PYTHON_AGAIN.key}
    assert duplicate.same_title
    assert 0.45 <= duplicate.score < 1
    assert "tabular data" in duplicate.shared


def test_micro_credentials_of_one_field_are_not_duplicates() -> None:
    assert near_duplicates([PYTHON, RESEARCH, WELL_BEING]) == []


def test_identical_texts_score_one_and_the_threshold_is_a_parameter() -> None:
    copy = CatalogueText("other/copy", "other", PYTHON.title, PYTHON.outcomes)
    [duplicate] = near_duplicates([PYTHON, copy])
    assert duplicate.score == 1.0
    statistics = CatalogueText("other/stats", "other", "Statistics", (PYTHON.outcomes[1],))
    assert near_duplicates([PYTHON, statistics]) == []
    [weak] = near_duplicates([PYTHON, statistics], threshold=0.1)
    assert weak.shared == (
        "analyse data",
        "apply statistical",
        "data set",
        "method analyse",
        "statistical method",
    )


# Few words, so that random offers share many bigrams and come near one another.
VOCABULARY = ["data", "model", "python", "survey", "ethic", "report", "chart", "cloud"]
offer_texts = st.lists(
    st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6).map(" ".join),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(
    texts=st.lists(offer_texts, min_size=2, max_size=12),
    threshold=st.sampled_from([0.1, 0.25, 0.45, 0.5, 0.6, 2 / 3, 0.8, 1.0]),
)
def test_the_search_finds_exactly_the_pairs_a_comparison_of_every_pair_finds(
    texts: list[list[str]], threshold: float
) -> None:
    items = [
        CatalogueText(f"org/{n}", "org", title, tuple(outcomes))
        for n, (title, *outcomes) in enumerate(texts)
    ]
    every_pair = {
        (a.key, b.key)
        for a, b in combinations(items, 2)
        if watch.jaccard(shingles((a.title, *a.outcomes)), shingles((b.title, *b.outcomes)))
        >= threshold
    }
    found = near_duplicates(items, threshold=threshold)
    assert {(pair.first.key, pair.second.key) for pair in found} == every_pair


@settings(max_examples=100, deadline=None)
@given(
    texts=st.lists(offer_texts, min_size=2, max_size=12),
    threshold=st.sampled_from([0.25, 0.5, 0.8]),
)
def test_an_organisation_s_pairs_are_those_of_the_whole_search_it_takes_part_in(
    texts: list[list[str]], threshold: float
) -> None:
    items = [
        CatalogueText(f"{'abc'[n % 3]}/{n}", "abc"[n % 3], title, tuple(outcomes))
        for n, (title, *outcomes) in enumerate(texts)
    ]
    everyone = near_duplicates(items, threshold=threshold)
    assert near_duplicates(items, threshold=threshold, organisation="a") == [
        pair for pair in everyone if "a" in (pair.first.organisation, pair.second.organisation)
    ]


def test_a_phrase_every_offer_shares_does_not_make_every_pair_a_comparison(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """300 offers on different subjects, each with the catalogue's stock outcome (two of its
    nine bigrams): comparing each pair sharing a bigram made 44,850 comparisons."""
    compared = []
    jaccard = watch.jaccard

    def counted(first: frozenset[str], second: frozenset[str]) -> float:
        compared.append((first, second))
        return jaccard(first, second)

    monkeypatch.setattr(watch, "jaccard", counted)
    items = [
        CatalogueText(
            f"org/{n}",
            "org",
            f"Subject{n} fundamentals",
            (
                f"Explain subject{n} theory and subject{n} practice.",
                f"Apply subject{n} methods.",
                "Use data analysis.",
            ),
        )
        for n in range(300)
    ]
    assert near_duplicates(items) == []
    assert len(compared) < 300
