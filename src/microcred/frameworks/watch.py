"""Credential inflation watch: figures and alerts that show a badge given for participation.

A micro-credential certifies assessed learning (Australia's National
Microcredentials Framework excludes participation-only badges; the EU Council
Recommendation 2022/C 243/02, Annex I, asks for the type of assessment). When
almost everyone who tries passes, when awards carry no evidence, or when they
are issued in a burst with nothing submitted, the credential may be handed out
for turning up. Nothing here judges: the figures and alerts point a QA
reviewer at what to look into.

Everything takes plain data (dates, counts, flags), so the platform can feed
it from whatever records it has: on the platform, awards come from the awards
app and attempts and enrolment dates from the assessment app
(``microcred.quality.watch`` gathers them).

Thresholds, and why:

- ``NEAR_FULL_PASS_RATE`` (0.95): an assessment that can be failed fails some
  learners; nineteen passes in twenty tries is where a rate stops telling
  assessed learning from completion.
- ``MIN_ATTEMPTS`` (20): a small cohort can all pass on merit; below twenty
  attempts a high rate is not a signal.
- ``LITTLE_EVIDENCE_SHARE`` (0.2): fewer than one award in five backed by
  evidence means the awards mostly rest on nothing a verifier can see.
- ``BURST_WINDOW`` (24 hours) and ``BURST_MIN_AWARDS`` (10): ten or more
  awards within a day is a batch, as at the end of an event; a batch is
  normal after an examination, so a burst raises an alert only when its
  awards carry little evidence or submissions.
- ``DUPLICATE_THRESHOLD`` (0.45): the Jaccard similarity of word bigrams that
  two texts keep when one rewords a few words of the other; unrelated
  micro-credentials in one field share a few bigrams and stay well below it.
"""

from __future__ import annotations

import math
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import combinations, pairwise

from microcred.errors import InvalidInput
from microcred.text import sentence

NEAR_FULL_PASS_RATE = 0.95
MIN_ATTEMPTS = 20
LITTLE_EVIDENCE_SHARE = 0.2
BURST_WINDOW = timedelta(hours=24)
BURST_MIN_AWARDS = 10
DUPLICATE_THRESHOLD = 0.45

WARNING = "warning"
ADVICE = "advice"

# Words that carry no meaning of their own; without them "analysis of data" and
# "data analysis" share more than their function words.
STOP_WORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it"}
    | {"its", "of", "on", "or", "that", "the", "their", "this", "to", "using", "with"}
)
WORD = re.compile(r"[^\W_]+")


# -- figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardRecord:
    """One award as the watch sees it.

    ``has_submission`` is None when the source of the records keeps no
    submissions, so that "unknown" is not read as "none".
    """

    issued_at: datetime
    has_evidence: bool
    has_submission: bool | None = None

    @property
    def backed(self) -> bool:
        """Whether anything a reviewer can inspect stands behind the award."""
        return self.has_evidence or bool(self.has_submission)


@dataclass(frozen=True)
class MonthCount:
    month: str
    awards: int


@dataclass(frozen=True)
class Burst:
    """A run of awards in which every award has ``BURST_MIN_AWARDS`` or more within the window."""

    start: datetime
    end: datetime
    awards: int
    backed: int


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str
    message: str


@dataclass(frozen=True)
class Figures:
    awards: int
    per_month: list[MonthCount]
    attempts: int | None
    passed: int
    pass_rate: float | None
    evidence_share: float | None
    median_days_to_award: float | None
    bursts: list[Burst]
    alerts: list[Alert]


def awards_per_month(dates: Iterable[datetime]) -> list[MonthCount]:
    """Return the awards of each calendar month from the first to the last, empty months too."""
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for moment in dates:
        counts[(moment.year, moment.month)] += 1
    if not counts:
        return []
    (year, month), last = min(counts), max(counts)
    months = []
    while (year, month) <= last:
        months.append(MonthCount(f"{year:04d}-{month:02d}", counts[(year, month)]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def pass_rate(*, passed: int, attempts: int | None) -> float | None:
    """Return passed / attempts, or None when attempts are not known or there were none."""
    if attempts is None or attempts == 0:
        return None
    if attempts < passed:
        raise InvalidInput(
            sentence(
                "attempts (%(attempts)s) cannot be fewer than passes (%(passed)s).",
                attempts=attempts,
                passed=passed,
            ),
            field="attempts",
        )
    return passed / attempts


def evidence_share(records: Sequence[AwardRecord]) -> float | None:
    """Return the share of awards whose credential carries evidence, or None without awards."""
    if not records:
        return None
    return sum(record.has_evidence for record in records) / len(records)


def median_days_to_award(spans: Iterable[tuple[datetime, datetime]]) -> float | None:
    """Return the median days from enrolment to award over ``(enrolled, awarded)`` pairs."""
    days = []
    for number, (enrolled, awarded) in enumerate(spans):
        if awarded < enrolled:
            raise InvalidInput(
                sentence(
                    "spans[%(number)s]: the award (%(awarded)s) precedes the enrolment "
                    "(%(enrolled)s).",
                    number=number,
                    awarded=awarded.isoformat(),
                    enrolled=enrolled.isoformat(),
                ),
                field=f"spans[{number}]",
            )
        days.append((awarded - enrolled).total_seconds() / 86_400)
    return statistics.median(days) if days else None


def find_bursts(
    records: Iterable[AwardRecord],
    *,
    window: timedelta = BURST_WINDOW,
    minimum: int = BURST_MIN_AWARDS,
) -> list[Burst]:
    """Return the bursts: ``minimum`` or more awards within ``window``, overlapping runs merged."""
    ordered = sorted(records, key=lambda record: record.issued_at)
    runs: list[list[int]] = []
    end = 0
    for first in range(len(ordered)):
        end = max(end, first)
        while end < len(ordered) and ordered[end].issued_at - ordered[first].issued_at <= window:
            end += 1
        if end - first < minimum:
            continue
        if runs and first <= runs[-1][1]:
            runs[-1][1] = end - 1
        else:
            runs.append([first, end - 1])
    return [
        Burst(
            start=ordered[first].issued_at,
            end=ordered[last].issued_at,
            awards=last - first + 1,
            backed=sum(record.backed for record in ordered[first : last + 1]),
        )
        for first, last in runs
    ]


def participation_alerts(
    *, passed: int, attempts: int | None, evidence: float | None, bursts: Sequence[Burst]
) -> list[Alert]:
    """Return the alerts for a pattern of awards that suggests a badge given for participation."""
    alerts = []
    rate = pass_rate(passed=passed, attempts=attempts)
    if (
        rate is not None
        and attempts is not None
        and attempts >= MIN_ATTEMPTS
        and rate >= NEAR_FULL_PASS_RATE
        and (evidence or 0.0) < LITTLE_EVIDENCE_SHARE
    ):
        alerts.append(
            Alert(
                "watch.full_pass_little_evidence",
                WARNING,
                sentence(
                    "%(passed)s of %(attempts)s attempts passed (%(rate)s) and only "
                    "%(evidence)s of awards carry evidence: check that the assessment can "
                    "be failed and that awards rest on evidence.",
                    passed=passed,
                    attempts=attempts,
                    rate=format(rate, ".0%"),
                    evidence=format(evidence or 0.0, ".0%"),
                ),
            )
        )
    for burst in bursts:
        if burst.backed / burst.awards < LITTLE_EVIDENCE_SHARE:
            alerts.append(
                Alert(
                    "watch.burst_without_evidence",
                    WARNING,
                    sentence(
                        "%(awards)s awards from %(start)s to %(end)s, %(backed)s with evidence "
                        "or a submission: awards in a batch with nothing submitted look like "
                        "attendance certificates.",
                        awards=burst.awards,
                        start=format(burst.start, "%Y-%m-%d %H:%M"),
                        end=format(burst.end, "%Y-%m-%d %H:%M"),
                        backed=burst.backed,
                    ),
                )
            )
    return alerts


def watch_figures(
    records: Sequence[AwardRecord],
    *,
    attempts: int | None = None,
    passed: int | None = None,
    spans: Iterable[tuple[datetime, datetime]] = (),
) -> Figures:
    """Return every figure and alert for one micro-credential or organisation.

    ``attempts`` counts decided assessment attempts, passed or not (None
    while not recorded), and ``passed`` those that passed; without it every
    award counts as one passed attempt. Awards issued by hand, outside the
    assessment, are why the two can differ. ``spans`` pairs each award with
    its learner's enrolment date.
    """
    passed = len(records) if passed is None else passed
    evidence = evidence_share(records)
    bursts = find_bursts(records)
    return Figures(
        awards=len(records),
        per_month=awards_per_month(record.issued_at for record in records),
        attempts=attempts,
        passed=passed,
        pass_rate=pass_rate(passed=passed, attempts=attempts),
        evidence_share=evidence,
        median_days_to_award=median_days_to_award(spans),
        bursts=bursts,
        alerts=participation_alerts(
            passed=passed, attempts=attempts, evidence=evidence, bursts=bursts
        ),
    )


# -- near-duplicates -------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogueText:
    """What a catalogued micro-credential says: its title and its learning outcomes."""

    key: str
    organisation: str
    title: str
    outcomes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Duplicate:
    """Two micro-credentials that say nearly the same thing, and the phrases they share."""

    first: CatalogueText
    second: CatalogueText
    score: float
    same_title: bool
    shared: tuple[str, ...]


def words(text: str) -> list[str]:
    """Return the meaningful words of ``text``, case-folded, plurals made singular."""
    found = []
    for word in WORD.findall(text.casefold()):
        if word in STOP_WORDS:
            continue
        # A light stemmer: "assessments" and "assessment" are the same thing said twice.
        if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "is", "us")):
            word = word[:-1]
        found.append(word)
    return found


def shingles(texts: Iterable[str]) -> frozenset[str]:
    """Return the word bigrams of each text (a one-word text gives its word), never across texts."""
    found: set[str] = set()
    for text in texts:
        meaningful = words(text)
        if len(meaningful) == 1:
            found.add(meaningful[0])
        found.update(f"{a} {b}" for a, b in pairwise(meaningful))
    return frozenset(found)


def jaccard(first: frozenset[str], second: frozenset[str]) -> float:
    """Return the Jaccard index: shared shingles over all shingles, 0 for two empty sets."""
    union = first | second
    return len(first & second) / len(union) if union else 0.0


def _prefix_length(size: int, threshold: float) -> int:
    """Return how many of a set's rarest bigrams a similar set must share one of.

    floor, not ceil, of threshold * size: a prefix one longer than the bound is still exact,
    and a product such as 0.6 * 5 = 3.0000000000000004 cannot make it one shorter.
    """
    return min(size, size - math.floor(threshold * size) + 1)


def near_duplicates(
    items: Sequence[CatalogueText],
    *,
    threshold: float = DUPLICATE_THRESHOLD,
    organisation: str | None = None,
) -> list[Duplicate]:
    """Return pairs whose title and outcomes reach ``threshold`` similarity, most similar first;
    with ``organisation``, only the pairs in which one of its offers takes part.

    Exact, and only pairs that share one of their rarer bigrams are compared (prefix
    filtering, as in Bayardo, Ma and Srikant's All-Pairs): with each set's bigrams ordered
    from the rarest in the catalogue, two sets of Jaccard index at least t share one of the
    first n - ceil(t * n) + 1 bigrams of each (n its size). Comparing every pair that shares
    any bigram was quadratic in a catalogue's common phrases ("data analysis"): 23 s and
    1 GB for 4,000 offers.
    """
    sets = [shingles((item.title, *item.outcomes)) for item in items]
    frequency = Counter(shingle for found in sets for shingle in found)
    holders: dict[str, list[int]] = defaultdict(list)
    for index, found in enumerate(sets):
        rarest_first = sorted(found, key=lambda shingle: (frequency[shingle], shingle))
        for shingle in rarest_first[: _prefix_length(len(found), threshold)]:
            holders[shingle].append(index)
    candidates: set[tuple[int, int]] = set()
    for indexes in holders.values():
        if organisation is None:
            candidates.update(combinations(indexes, 2))
            continue
        for own in indexes:
            if items[own].organisation == organisation:
                candidates.update(
                    (min(own, other), max(own, other)) for other in indexes if other != own
                )
    duplicates = []
    for a, b in sorted(candidates):
        score = jaccard(sets[a], sets[b])
        if score >= threshold:
            duplicates.append(
                Duplicate(
                    first=items[a],
                    second=items[b],
                    score=score,
                    same_title=words(items[a].title) == words(items[b].title),
                    shared=tuple(sorted(sets[a] & sets[b])),
                )
            )
    return sorted(duplicates, key=lambda duplicate: -duplicate.score)
