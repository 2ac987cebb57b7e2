"""Read-only figures of assessment: pass rates, attempts, time to decision, moderation agreement.

They tell a QA reviewer whether an assessment can say no (issue 4, the
credential inflation watch) and whether assessors judge alike (issue 5,
moderation), per micro-credential and per assessor. Nothing here changes
state or authorises: the callers (the quality watch, the issuer quality page)
decide who sees what.

Definitions:

- an *attempt* is a submitted :class:`Submission`; it is *decided* once it
  has an outcome and a decision date (pass, fail or resubmit);
- the *pass rate* is passed attempts over decided attempts, so an assessment
  that asks everyone to resubmit once and then passes them shows 50%;
- *time to decision* runs from submission to decision (for an assessor, to
  the completion of their own review), in days, as a median so that one
  forgotten submission does not hide a quick queue;
- *moderation agreement* compares, on each submission a second marker
  judged, the second marker's outcome with the assessor's; the moderator's
  decision that may follow does not change whether they agreed.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q

from microcred.assessment.models import (
    Enrolment,
    Outcome,
    Review,
    ReviewRole,
    ReviewStatus,
    Submission,
)

__all__ = [
    "AssessmentFigures",
    "AssessorFigures",
    "AwardEnrolment",
    "MicroCredentialFigures",
    "get_assessor_figures",
    "get_award_enrolments",
    "get_microcredential_figures",
    "get_pass_rate",
]

SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class AssessmentFigures:
    """The figures of a set of attempts (of one micro-credential, or judged by one assessor)."""

    learners: int
    attempts: int
    decided: int
    passed: int
    failed: int
    resubmit: int
    median_days_to_decision: float | None
    second_marked: int
    agreed: int

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.decided if self.decided else None

    @property
    def attempts_per_learner(self) -> float | None:
        return self.attempts / self.learners if self.learners else None

    @property
    def agreement_rate(self) -> float | None:
        return self.agreed / self.second_marked if self.second_marked else None


@dataclass(frozen=True)
class MicroCredentialFigures:
    """A micro-credential's figures over all its versions, titled as its latest attempted one."""

    microcredential_id: int
    organisation: str
    organisation_name: str
    slug: str
    title: str
    figures: AssessmentFigures


@dataclass(frozen=True)
class AssessorFigures:
    assessor_id: int
    name: str
    figures: AssessmentFigures


@dataclass(frozen=True)
class AwardEnrolment:
    """The enrolment an award was earned in: when it began and whether anything was submitted."""

    award_id: int
    enrolled_at: datetime
    submitted: bool


@dataclass(frozen=True)
class _Judgement:
    """One decided (or pending) attempt, as one figure set counts it."""

    learner: int
    outcome: str
    submitted_at: datetime | None  # never None: the queries count submitted attempts only
    decided_at: datetime | None
    agreement: bool | None


def _scope(organisation: Any, path: str) -> Q:
    """Filter on the organisation found at ``path`` (every organisation when None)."""
    return Q() if organisation is None else Q(**{path: organisation})


def _summarise(judgements: Iterable[_Judgement]) -> AssessmentFigures:
    judgements = list(judgements)
    decided = [j for j in judgements if j.outcome and j.decided_at is not None]
    outcomes = [j.outcome for j in decided]
    days = [
        (j.decided_at - j.submitted_at).total_seconds() / SECONDS_PER_DAY
        for j in decided
        if j.decided_at is not None and j.submitted_at is not None
    ]
    marked = [j.agreement for j in judgements if j.agreement is not None]
    return AssessmentFigures(
        learners=len({j.learner for j in judgements}),
        attempts=len(judgements),
        decided=len(decided),
        passed=outcomes.count(Outcome.PASS),
        failed=outcomes.count(Outcome.FAIL),
        resubmit=outcomes.count(Outcome.RESUBMIT),
        median_days_to_decision=statistics.median(days) if days else None,
        second_marked=len(marked),
        agreed=sum(marked),
    )


def _marks(organisation: Any) -> dict[int, dict[str, tuple[int, str]]]:
    """Return, per submission, the latest completed assessor and second-marker review:
    ``{submission_id: {role: (reviewer_id, outcome)}}``."""
    reviews = (
        Review.objects.filter(
            _scope(organisation, "submission__enrolment__version__microcredential__organisation"),
            role__in=(ReviewRole.ASSESSOR, ReviewRole.SECOND),
            status=ReviewStatus.COMPLETED,
        )
        .exclude(outcome="")
        .order_by("completed_at", "pk")
        .values_list("submission_id", "role", "reviewer_id", "outcome")
    )
    marks: dict[int, dict[str, tuple[int, str]]] = defaultdict(dict)
    for submission_id, role, reviewer_id, outcome in reviews:
        marks[submission_id][role] = (reviewer_id, outcome)
    return marks


def _agreement(marks: dict[str, tuple[int, str]]) -> bool | None:
    """Whether the second marker agreed with the assessor; None unless both judged."""
    if ReviewRole.ASSESSOR not in marks or ReviewRole.SECOND not in marks:
        return None
    return marks[ReviewRole.ASSESSOR][1] == marks[ReviewRole.SECOND][1]


def get_microcredential_figures(organisation: Any = None) -> list[MicroCredentialFigures]:
    """Return the figures of each micro-credential of ``organisation`` (None: the platform)
    that has a submitted attempt, by organisation and title."""
    attempts = (
        Submission.objects.filter(
            _scope(organisation, "enrolment__version__microcredential__organisation"),
            submitted_at__isnull=False,
        )
        .order_by("enrolment__version__number", "pk")
        .values_list(
            "id",
            "enrolment__learner_id",
            "enrolment__version__microcredential_id",
            "enrolment__version__microcredential__organisation__slug",
            "enrolment__version__microcredential__organisation__name",
            "enrolment__version__microcredential__slug",
            "enrolment__version__title",
            "outcome",
            "submitted_at",
            "decided_at",
        )
    )
    marks = _marks(organisation)
    grouped: dict[int, list[_Judgement]] = defaultdict(list)
    names: dict[int, tuple[str, str, str, str]] = {}
    for pk, learner, microcredential, *name, outcome, submitted, decided in attempts:
        organisation_slug, organisation_name, slug, title = name
        names[microcredential] = (organisation_slug, organisation_name, slug, title)
        grouped[microcredential].append(
            _Judgement(learner, outcome, submitted, decided, _agreement(marks.get(pk, {})))
        )
    found = [
        MicroCredentialFigures(key, *names[key], _summarise(judgements))
        for key, judgements in grouped.items()
    ]
    return sorted(found, key=lambda row: (row.organisation, row.title.casefold(), row.title))


def get_assessor_figures(organisation: Any = None) -> list[AssessorFigures]:
    """Return, per assessor, the figures of the attempts they judged as the assessor, by name.

    Their time to decision ends when their review is completed; their
    agreement counts the submissions a second marker judged after them.
    """
    reviews = (
        Review.objects.filter(
            _scope(organisation, "submission__enrolment__version__microcredential__organisation"),
            role=ReviewRole.ASSESSOR,
            status=ReviewStatus.COMPLETED,
            submission__submitted_at__isnull=False,
        )
        .exclude(outcome="")
        .select_related("reviewer", "submission__enrolment")
    )
    marks = _marks(organisation)
    grouped: dict[int, list[_Judgement]] = defaultdict(list)
    names: dict[int, str] = {}
    for review in reviews:
        reviewer = review.reviewer
        names[reviewer.pk] = reviewer.get_full_name() or reviewer.get_username()
        submission = review.submission
        judged = marks.get(submission.pk, {})
        agreement = (
            _agreement(judged)
            if judged.get(ReviewRole.ASSESSOR, (None,))[0] == reviewer.pk
            else None
        )
        grouped[reviewer.pk].append(
            _Judgement(
                submission.enrolment.learner_id,
                review.outcome,
                submission.submitted_at,
                review.completed_at,
                agreement,
            )
        )
    found = [
        AssessorFigures(key, names[key], _summarise(judgements))
        for key, judgements in grouped.items()
    ]
    return sorted(found, key=lambda row: (row.name.casefold(), row.assessor_id))


def get_pass_rate(organisation: Any) -> float | None:
    """Return the share of the organisation's decided attempts that passed (None: none decided)."""
    decided = Submission.objects.filter(
        enrolment__version__microcredential__organisation=organisation,
        submitted_at__isnull=False,
        decided_at__isnull=False,
    ).exclude(outcome="")
    total = decided.count()
    return decided.filter(outcome=Outcome.PASS).count() / total if total else None


def get_award_enrolments(organisation: Any = None) -> dict[int, AwardEnrolment]:
    """Return, by award id, the enrolment each award of ``organisation`` (None: the platform)
    was earned in; awards issued by hand, outside an enrolment, are absent."""
    submitted = Submission.objects.filter(enrolment=OuterRef("pk"), submitted_at__isnull=False)
    rows = (
        Enrolment.objects.filter(
            _scope(organisation, "version__microcredential__organisation"), award__isnull=False
        )
        .annotate(submitted=Exists(submitted))
        .values_list("award_id", "enrolled_at", "submitted")
    )
    return {award: AwardEnrolment(award, enrolled, has) for award, enrolled, has in rows}
