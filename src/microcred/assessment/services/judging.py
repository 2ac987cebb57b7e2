"""Rubric reviews by assessors and peers, moderation, decisions, sign-off, results, awards.

A submitted attempt moves through stages: peers give structured feedback
(``peer_review``), then the assessor scores the rubric (``assessment``) and
the pass rule of :mod:`microcred.frameworks.rubric` decides. A sample of
decisions (a share the organisation sets) and every borderline total go to a
second marker (``moderation``); when the two disagree a moderator decides and
that decision stands. A pass waits for a registrar when the organisation asks
for sign-off (``signoff``), else it is final at once.

A final pass is recorded first; its award is issued after that transaction
commits, in a transaction of its own, by the awards service on the authority
of the recorded pass (``awards.DecidedAward``): nobody is authorised a second
time. Signing never
holds the decision's locks, and a signing failure (a key that cannot be read,
a credential that does not verify) leaves the decision recorded and the
award awaiting: :func:`issue_awaiting_awards` (``microcred manage
issue_awaiting_awards``) issues it again, and a retry never issues twice.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext

from microcred.accounts.services import User
from microcred.assessment import notices
from microcred.assessment.models import (
    AssessmentPlan,
    AssessmentSettings,
    ComponentKind,
    CriterionScore,
    Enrolment,
    EnrolmentStatus,
    EvidenceItem,
    IdentityVerification,
    Outcome,
    Review,
    ReviewRole,
    ReviewStatus,
    Submission,
    SubmissionStatus,
)
from microcred.assessment.services import learning
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.catalogue.achievement import (
    achievement_id,
    criterion_result_id,
    level_result_id,
    total_result_id,
)
from microcred.core import public_urls
from microcred.core.words import in_sentence
from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError, NotFound
from microcred.frameworks import rubric as rules
from microcred.inputs import RowError, clean_text
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.vc import ob3_builders as ob3

__all__ = [
    "ASSESSOR_ROLES",
    "CSV_COLUMNS",
    "Feedback",
    "Moderated",
    "ReviewPage",
    "RowError",
    "access_moderation",
    "access_review",
    "access_submission_for_feedback",
    "apply_results_csv",
    "can_sign_off",
    "check_results_csv",
    "find_moderator",
    "get_awaiting_awards",
    "get_feedback",
    "get_moderation",
    "get_result_versions",
    "get_review",
    "get_review_page",
    "get_signoff_list",
    "get_submission",
    "issue_awaiting_award",
    "issue_awaiting_awards",
    "public_evidence_url",
    "score_review",
    "sign_off",
]

ASSESSOR_ROLES = (Role.ASSESSOR,)
REGISTRAR_ROLES = (Role.REGISTRAR,)
STAFF_REVIEWS = (ReviewRole.ASSESSOR, ReviewRole.SECOND, ReviewRole.MODERATOR)
# The stage a submission is in while a review of each role is open.
STAGE_OF_ROLE: dict[str, str] = {
    ReviewRole.PEER: SubmissionStatus.PEER_REVIEW,
    ReviewRole.ASSESSOR: SubmissionStatus.ASSESSMENT,
    ReviewRole.SECOND: SubmissionStatus.MODERATION,
    ReviewRole.MODERATOR: SubmissionStatus.MODERATION,
}
MAX_FEEDBACK = 10_000
CSV_COLUMNS = ("learner", "component", "value")
MAX_CSV_BYTES = 2_000_000
_SUBMISSION_RELATED = ("enrolment__version__microcredential__organisation", "enrolment__learner")

logger = logging.getLogger(__name__)


# -- reviews ---------------------------------------------------------------------------------


def access_review(actor: User, review_uuid: Any) -> Review:
    """Return the review if ``actor`` is its reviewer (and, for staff reviews, still an
    assessor of the organisation); anyone else gets :class:`NotFound`, so a peer cannot find
    what they were not given."""
    review = (
        Review.objects.select_related(*(f"submission__{path}" for path in _SUBMISSION_RELATED))
        .filter(uuid=review_uuid, reviewer_id=getattr(actor, "pk", None))
        .exclude(status=ReviewStatus.CANCELLED)
        .first()
    )
    if review is None:
        raise NotFound("No such review is assigned to you.", field="review")
    if review.role in STAFF_REVIEWS:
        organisations.access_organisation(
            actor, _organisation(review.submission).slug, roles=ASSESSOR_ROLES
        )
    return review


def get_review(review_uuid: Any) -> Review:
    """Return the review with this id without authorising: for a handler to give to
    :func:`score_review`, which authorises as it acts. Show nothing of it before then."""
    review = (
        Review.objects.select_related(*(f"submission__{path}" for path in _SUBMISSION_RELATED))
        .filter(uuid=review_uuid)
        .exclude(status=ReviewStatus.CANCELLED)
        .first()
    )
    if review is None:
        raise NotFound("No such review is assigned to you.", field="review")
    return review


@dataclass(frozen=True)
class ReviewPage:
    """What a reviewer sees: the submission's texts and evidence, the rubric, earlier reviews.

    ``learner`` is empty for peers: peers and learners are anonymous to each other.
    """

    review: Review
    submission: Submission
    learner: str
    components: list[learning.ComponentView]
    criteria: list[Any]
    pass_rule: str
    earlier: list[Feedback]
    scores: dict[int, CriterionScore]


def get_review_page(review: Review) -> ReviewPage:
    """Return what the reviewer of ``review`` (fetched with :func:`access_review`) sees."""
    submission = review.submission
    version = submission.enrolment.version
    rubric = catalogue.get_rubric(version)
    earlier: list[Feedback] = []
    learner = ""
    if review.role != ReviewRole.PEER:
        person = submission.enrolment.learner
        learner = person.get_full_name() or person.get_username()
        # Peers' feedback informs every marker ("Peer 1", "Peer 2"); the second marker
        # marks blind, and the moderator sees both markers' reviews to settle them.
        earlier = [
            item
            for item in _feedback(submission)
            if item.review_id != review.pk
            and (item.role == ReviewRole.PEER or review.role == ReviewRole.MODERATOR)
        ]
    return ReviewPage(
        review=review,
        submission=submission,
        learner=learner,
        components=learning.get_components(submission),
        criteria=list(rubric.criteria.all()) if rubric else [],
        pass_rule=rubric.pass_rule if rubric else "",
        earlier=earlier,
        scores={score.criterion_id: score for score in review.scores.select_related("level")},
    )


def score_review(
    *,
    actor: User,
    review: Review,
    scores: dict[Any, Any],
    feedback: str = "",
    outcome: str | None = None,
    now: datetime | None = None,
) -> Review:
    """Record ``actor``'s judgement: a level and feedback per rubric criterion, and overall
    feedback; then move the submission on.

    ``scores`` maps each criterion's id to ``{"level": <level id>, "feedback": <text>}``
    (``level_id`` is accepted too); every criterion needs a level. Peers give feedback
    only; for the others the pass rule gives the outcome, and ``outcome``, when given,
    must be the one the rule gives. After the last peer the submission goes to an
    assessor; after the assessor it is decided, or second-marked when sampled or
    borderline; a second marker who disagrees brings in a moderator, whose decision
    stands.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Review.objects.select_for_update().filter(pk=review.pk).first()
        if locked is None or locked.reviewer_id != getattr(actor, "pk", None):
            raise NotFound("No such review is assigned to you.", field="review")
        submission = (
            Submission.objects.select_for_update(of=("self",))
            .select_related(*_SUBMISSION_RELATED)
            .get(pk=locked.submission_id)
        )
        organisation = _organisation(submission)
        if locked.role in STAFF_REVIEWS:
            organisations.access_organisation(actor, organisation.slug, roles=ASSESSOR_ROLES)
        if locked.status != ReviewStatus.ASSIGNED:
            raise Conflict(
                gettext("This review is %(status)s; it cannot be scored again.")
                % {"status": in_sentence(locked.get_status_display())},
                code="review.not_open",
                field="review",
            )
        if submission.status != STAGE_OF_ROLE[locked.role]:
            raise Conflict(
                gettext("The submission is %(status)s; a %(role)s review is not due now.")
                % {
                    "status": in_sentence(submission.get_status_display()),
                    "role": in_sentence(locked.get_role_display()),
                },
                code="review.wrong_stage",
                field="review",
            )
        rubric = catalogue.get_rubric(submission.enrolment.version)
        if rubric is None:
            raise Conflict(
                gettext("The micro-credential has no rubric."), code="assessment.no_rubric"
            )
        chosen, notes = _clean_scores(rubric, scores)
        judgement = rules.judge(_rule(rubric), chosen)
        decided = ""
        if locked.role == ReviewRole.PEER:
            if outcome:
                raise InvalidInput(
                    gettext("Peers give feedback; the assessor decides the outcome."),
                    field="outcome",
                )
        else:
            decided = rules.outcome(
                judgement.passed,
                attempt=submission.attempt,
                max_attempts=_plan(submission).max_attempts,
            )
            if outcome and outcome != decided:
                raise InvalidInput(
                    gettext(
                        "The rubric's pass rule gives %(decided)s for these levels, "
                        "not %(outcome)s."
                    )
                    % {"decided": repr(decided), "outcome": repr(outcome)},
                    code="review.outcome_differs",
                    field="outcome",
                    data={"outcome": decided, "total": judgement.total},
                )
        CriterionScore.objects.bulk_create(
            CriterionScore(
                review=locked, criterion_id=criterion, level_id=level, feedback=notes[criterion]
            )
            for criterion, level in chosen.items()
        )
        locked.status = ReviewStatus.COMPLETED
        locked.completed_at = now
        locked.feedback = clean_text(feedback, "feedback", limit=MAX_FEEDBACK)
        locked.outcome = decided
        locked.total_points = judgement.total
        locked.save(update_fields=["status", "completed_at", "feedback", "outcome", "total_points"])
        record_event(
            actor=actor,
            action="review.complete",
            organisation=organisation,
            target=locked,
            data={
                "submission": str(submission.uuid),
                "role": locked.role,
                "outcome": decided,
                "total": judgement.total,
            },
            now=now,
        )
        if locked.role == ReviewRole.PEER:
            # Staff feedback reaches the learner with the decision.
            notices.feedback_given(locked)
        _advance(submission, locked, rubric, actor=actor, now=now)
    return locked


def _clean_scores(rubric: Any, scores: Any) -> tuple[dict[int, int], dict[int, str]]:
    """Return criterion id to level id and to feedback; raise InvalidInput naming the field."""
    if not isinstance(scores, dict):
        raise InvalidInput(gettext("scores must map each criterion to a level."), field="scores")
    given = {str(key): value for key, value in scores.items()}
    criteria = {str(criterion.pk): criterion for criterion in rubric.criteria.all()}
    if unknown := sorted(set(given) - set(criteria)):
        raise InvalidInput(
            gettext("Criterion %(criterion)s is not a criterion of this rubric.")
            % {"criterion": unknown[0]},
            field=f"scores.{unknown[0]}",
        )
    chosen: dict[int, int] = {}
    notes: dict[int, str] = {}
    for key, criterion in criteria.items():
        path = f"scores.{key}"
        score = given.get(key)
        if score is None:
            raise InvalidInput(
                gettext("Choose a level for %(criterion)s.") % {"criterion": repr(criterion.name)},
                field=f"{path}.level",
            )
        if not isinstance(score, dict):
            score = {"level": score}
        level = score.get("level", score.get("level_id"))
        levels = {str(item.pk): item.pk for item in criterion.levels.all()}
        if level in (None, ""):
            raise InvalidInput(
                gettext("Choose a level for %(criterion)s.") % {"criterion": repr(criterion.name)},
                field=f"{path}.level",
            )
        if str(level) not in levels:
            raise InvalidInput(
                gettext("Choose one of the levels of %(criterion)s.")
                % {"criterion": repr(criterion.name)},
                field=f"{path}.level",
            )
        chosen[criterion.pk] = levels[str(level)]
        notes[criterion.pk] = clean_text(
            score.get("feedback"), f"{path}.feedback", limit=MAX_FEEDBACK
        )
    return chosen, notes


def _rule(rubric: Any) -> rules.Rule:
    return rules.Rule(
        criteria=tuple(
            rules.Criterion(
                id=criterion.pk,
                levels=tuple(
                    rules.Level(level.pk, level.points) for level in criterion.levels.all()
                ),
                minimum_level=criterion.minimum_level_id,
            )
            for criterion in rubric.criteria.all()
        ),
        pass_points=rubric.pass_points,
    )


def _advance(
    submission: Submission, review: Review, rubric: Any, *, actor: User, now: datetime
) -> None:
    """Move ``submission`` to its next stage after ``review`` was completed."""
    if review.role == ReviewRole.PEER:
        peers = submission.reviews.filter(role=ReviewRole.PEER).exclude(
            status=ReviewStatus.CANCELLED
        )
        done = peers.filter(status=ReviewStatus.COMPLETED).count()
        if done == peers.count() and done >= _plan(submission).peer_reviews:
            submission.status = SubmissionStatus.ASSESSMENT
            submission.save(update_fields=["status"])
            learning.assign_reviewers(submission, now=now)
    elif review.role == ReviewRole.ASSESSOR:
        policy = _settings(_organisation(submission))
        sampled = rules.in_sample(str(submission.uuid), policy.moderation_share)
        borderline = rules.is_borderline(
            review.total_points or 0,
            pass_points=rubric.pass_points,
            margin=policy.borderline_margin,
        )
        if (sampled or borderline) and learning.assign_second_marker(
            submission, now=now
        ) is not None:
            submission.status = SubmissionStatus.MODERATION
            submission.second_marking = True
            submission.save(update_fields=["status", "second_marking"])
            record_event(
                actor=actor,
                action="submission.second_marking",
                organisation=_organisation(submission),
                target=submission,
                data={"sampled": sampled, "borderline": borderline},
                now=now,
            )
        else:
            _decide(submission, review, actor=actor, now=now)
    elif review.role == ReviewRole.SECOND:
        first = _completed(submission, ReviewRole.ASSESSOR)
        assert first is not None, "a second marker is asked only after a completed assessment"
        if first.outcome == review.outcome:
            _decide(submission, first, actor=actor, now=now)
        elif learning.assign_moderator(submission, now=now) is None:
            # Nobody is free now: the attempt waits in moderation until a moderator is found
            # (find_moderator), and the second marker's work is kept.
            record_event(
                actor=actor,
                action="submission.awaits_moderator",
                organisation=_organisation(submission),
                target=submission,
                now=now,
            )
    else:
        _decide(submission, review, actor=actor, now=now)


def _decide(submission: Submission, review: Review, *, actor: User, now: datetime) -> None:
    """Take ``review``'s outcome; a pass waits for the registrar when the organisation asks."""
    submission.outcome = review.outcome
    submission.total_points = review.total_points
    submission.feedback = review.feedback
    submission.decided_at = now
    submission.save(update_fields=["outcome", "total_points", "feedback", "decided_at"])
    policy = _settings(_organisation(submission))
    if submission.outcome == Outcome.PASS and policy.registrar_signoff:
        submission.status = SubmissionStatus.SIGNOFF
        submission.save(update_fields=["status"])
        record_event(
            actor=actor,
            action="submission.awaits_signoff",
            organisation=_organisation(submission),
            target=submission,
            now=now,
        )
        return
    _finish(submission, actor=actor, now=now)


def _finish(submission: Submission, *, actor: User, now: datetime) -> None:
    """Close the attempt: a pass is recorded and its award issued once this transaction
    commits, a resubmit opens the next attempt with the texts copied, a fail closes the
    enrolment."""
    submission.status = SubmissionStatus.DECIDED
    submission.save(update_fields=["status"])
    enrolment = Enrolment.objects.select_for_update().get(pk=submission.enrolment_id)
    submission.enrolment = enrolment
    if submission.outcome == Outcome.PASS:
        enrolment.status = EnrolmentStatus.PASSED
        enrolment.save(update_fields=["status"])
        submission_id = submission.pk
        transaction.on_commit(lambda: _issue_after_decision(submission_id))
    elif submission.outcome == Outcome.RESUBMIT:
        Submission.objects.create(
            enrolment=enrolment,
            attempt=submission.attempt + 1,
            texts=dict(submission.texts),
            created_at=now,
        )
    else:
        enrolment.status = EnrolmentStatus.FAILED
        enrolment.save(update_fields=["status"])
    record_event(
        actor=actor,
        action="submission.decide",
        organisation=_organisation(submission),
        target=submission,
        data={
            "outcome": submission.outcome,
            "attempt": submission.attempt,
            "total": submission.total_points,
        },
        now=now,
    )
    notices.decision_made(submission)


# -- the award of a pass --------------------------------------------------------------------


def _issue_after_decision(submission_id: int) -> None:
    """Issue a pass's award once the decision is committed; a failure is logged, the pass
    stays recorded and :func:`issue_awaiting_awards` retries it."""
    submission = Submission.objects.select_related(*_SUBMISSION_RELATED).get(pk=submission_id)
    try:
        issue_awaiting_award(submission)
    except MicrocredError:
        logger.exception(
            "The award of the pass of submission %s was not issued; the decision stands. "
            "Issue it again with `microcred manage issue_awaiting_awards`.",
            submission.uuid,
        )


def issue_awaiting_award(submission: Submission) -> Any | None:
    """Issue the award of ``submission``'s recorded pass in a transaction of its own, and
    return it; return None when the attempt is not a pass awaiting its award.

    Nobody is authorised here: the recorded pass is the authority (an assessor decided
    it, or a registrar signed it off, each authorised when they acted). Idempotent: the
    award's key is the learner, the version and the attempt.
    """
    with transaction.atomic():
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related(*_SUBMISSION_RELATED)
            .get(pk=submission.pk)
        )
        enrolment = Enrolment.objects.select_for_update().get(pk=locked.enrolment_id)
        locked.enrolment = enrolment
        if not _awaits_award(locked):
            return None
        award = awards.issue_decided_award(_decided_award(locked))
        enrolment.award = award
        enrolment.save(update_fields=["award"])
        notices.award_issued(enrolment)
    return award


def get_awaiting_awards(organisation: Any = None) -> QuerySet[Submission]:
    """Return the recorded passes whose award is not issued (signing failed), oldest decision
    first; of ``organisation`` only when given. The caller authorises."""
    submissions = Submission.objects.filter(
        status=SubmissionStatus.DECIDED,
        outcome=Outcome.PASS,
        enrolment__status=EnrolmentStatus.PASSED,
        enrolment__award__isnull=True,
    ).select_related(*_SUBMISSION_RELATED)
    if organisation is not None:
        submissions = submissions.filter(
            enrolment__version__microcredential__organisation=organisation
        )
    return submissions.order_by("decided_at", "pk")


def issue_awaiting_awards(organisation: Any = None) -> tuple[list[Any], list[MicrocredError]]:
    """Issue the award of every recorded pass still awaiting one; return the awards issued
    and the errors of those that failed again (each pass in its own transaction)."""
    issued: list[Any] = []
    failed: list[MicrocredError] = []
    for submission in get_awaiting_awards(organisation):
        try:
            award = issue_awaiting_award(submission)
        except MicrocredError as error:
            failed.append(error)
        else:
            if award is not None:
                issued.append(award)
    return issued, failed


def _awaits_award(submission: Submission) -> bool:
    enrolment = submission.enrolment
    return (
        submission.status == SubmissionStatus.DECIDED
        and submission.outcome == Outcome.PASS
        and enrolment.status == EnrolmentStatus.PASSED
        and enrolment.award_id is None
    )


def _decided_award(submission: Submission) -> awards.DecidedAward:
    """Return ``submission``'s recorded pass as the authority for its award: the deciding
    review's rubric levels as Results, the public evidence, how the learner was assessed,
    identified and supervised, and the key (learner, version, attempt) of the award."""
    enrolment = submission.enrolment
    version = enrolment.version
    learner = enrolment.learner
    identifier = achievement_id(version)
    deciding = _deciding_review(submission)
    assert deciding is not None, "a recorded pass was decided by a completed review"
    results = [
        ob3.build_result(
            result_description=criterion_result_id(identifier, score.criterion),
            achieved_level=level_result_id(identifier, score.criterion, score.level),
        )
        for score in deciding.scores.select_related("criterion", "level").order_by(
            "criterion__position"
        )
    ]
    rubric = catalogue.get_rubric(version)
    total = str(submission.total_points or 0)
    score = None
    if rubric is not None and rubric.pass_points is not None:
        results.append(
            ob3.build_result(result_description=total_result_id(identifier), value=total)
        )
    else:
        score = {"score": total}
    evidence = [
        ob3.build_evidence(
            id=public_evidence_url(item),
            name=item.filename or item.url,
            description=item.description,
        )
        for item in submission.evidence.filter(public=True).order_by("created_at")
    ]
    return awards.DecidedAward(
        decision=str(submission.uuid),
        version=version,
        learner=learner,
        learner_name=learner.get_full_name() or learner.get_username(),
        decided_by=_decider(submission),
        results=results,
        score=score,
        evidence=evidence,
        narrative=_assessment_narrative(submission),
        idempotency_key=f"assessment:{learner.pk}:{version.achievement_uuid}:{submission.attempt}",
    )


def _decider(submission: Submission) -> User | None:
    """Return who made the pass final: the registrar who signed it off, else the reviewer
    whose completed review decided it (the assessor, an agreeing second marker, the
    moderator)."""
    if submission.signed_off_by_id:
        return submission.signed_off_by
    last = (
        submission.reviews.filter(role__in=STAFF_REVIEWS, status=ReviewStatus.COMPLETED)
        .select_related("reviewer")
        .order_by("-completed_at", "-pk")
        .first()
    )
    return last.reviewer if last else None


def _assessment_narrative(submission: Submission) -> str:
    """Return how this learner was assessed: the Annex I elements that belong to an award."""
    enrolment = submission.enrolment
    version = enrolment.version
    # Signed content: English whatever language the page that caused the award was in.
    with translation.override("en"):
        verification = str(IdentityVerification(enrolment.identity_verification).label).lower()
    lines = [
        f"Type of assessment: {version.assessment_type}",
        f"Supervision: {'supervised' if version.supervised else 'unsupervised'}",
        f"Identity verification: {verification}",
        f"Attempt: {submission.attempt}",
    ]
    if enrolment.participation_form:
        lines.append(f"Form of participation: {enrolment.participation_form}")
    return "\n".join(f"- {line}" for line in lines)


def public_evidence_url(item: EvidenceItem) -> str:
    """Return the public page of an evidence item the learner made public; a link is itself."""
    if item.url:
        return item.url
    return public_urls.public_evidence_url(item.uuid)


def _deciding_review(submission: Submission) -> Review | None:
    return _completed(submission, ReviewRole.MODERATOR) or _completed(
        submission, ReviewRole.ASSESSOR
    )


def _completed(submission: Submission, role: str) -> Review | None:
    return (
        submission.reviews.filter(role=role, status=ReviewStatus.COMPLETED)
        .order_by("-completed_at")
        .first()
    )


def find_moderator(*, actor: User, submission: Submission, now: datetime | None = None) -> Review:
    """Assign a moderator to an attempt whose markers disagree and that has none yet, once a
    qualified assessor is free; for the organisation's assessors."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(actor, submission, roles=ASSESSOR_ROLES)
        if not _needs_moderator(locked):
            raise Conflict(
                gettext("This attempt needs no moderator: its markers agree, or one is assigned."),
                code="assessment.no_moderation_needed",
                field="submission",
            )
        review = learning.assign_moderator(locked, now=now)
        if review is None:
            raise Conflict(
                gettext(
                    "No qualified assessor is free to moderate: each marks this attempt already "
                    "or is not qualified today."
                ),
                code="assessment.no_moderator",
                field="submission",
            )
    return review


def _needs_moderator(submission: Submission) -> bool:
    reviews = submission.reviews.exclude(status=ReviewStatus.CANCELLED)
    first = _completed(submission, ReviewRole.ASSESSOR)
    second = _completed(submission, ReviewRole.SECOND)
    return (
        submission.status == SubmissionStatus.MODERATION
        and first is not None
        and second is not None
        and first.outcome != second.outcome
        and not reviews.filter(role=ReviewRole.MODERATOR).exists()
    )


# -- sign-off -----------------------------------------------------------------------------


def sign_off(*, actor: User, submission: Submission, now: datetime | None = None) -> Submission:
    """Sign off a pass as a registrar: the decision is final, and its award is issued once
    the sign-off is committed."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(actor, submission, roles=REGISTRAR_ROLES)
        if locked.status != SubmissionStatus.SIGNOFF:
            raise Conflict(
                gettext(
                    "This attempt is %(status)s; only a pass awaiting sign-off can be signed off."
                )
                % {"status": in_sentence(locked.get_status_display())},
                code="submission.not_awaiting_signoff",
                field="submission",
            )
        locked.signed_off_by = actor
        locked.signed_off_at = now
        locked.save(update_fields=["signed_off_by", "signed_off_at"])
        _finish(locked, actor=actor, now=now)
    # The award, issued once the sign-off committed, if signing worked (and no outer
    # transaction holds the commit back).
    locked.enrolment.refresh_from_db(fields=["award"])
    return locked


def get_signoff_list(*, actor: User, organisation_slug: str) -> QuerySet[Submission]:
    """Return the organisation's passes awaiting sign-off, oldest decision first."""
    organisation = organisations.access_organisation(
        actor, organisation_slug, roles=REGISTRAR_ROLES
    )
    return (
        Submission.objects.filter(
            status=SubmissionStatus.SIGNOFF,
            enrolment__version__microcredential__organisation=organisation,
        )
        .select_related(*_SUBMISSION_RELATED)
        .order_by("decided_at")
    )


def can_sign_off(actor: User, organisation: Any) -> bool:
    """Whether to offer ``actor`` the organisation's sign-off list; signing off checks again."""
    try:
        organisations.access_organisation(actor, organisation.slug, roles=REGISTRAR_ROLES)
    except (NotFound, Forbidden):
        return False
    return True


def get_submission(submission_uuid: Any) -> Submission:
    """Return the submission with this id without authorising: for a handler to give to an
    action that authorises as it acts (:func:`sign_off`). Show nothing of it before then."""
    submission = (
        Submission.objects.select_related(*_SUBMISSION_RELATED).filter(uuid=submission_uuid).first()
    )
    if submission is None:
        raise NotFound("No such submission.", field="submission")
    return submission


# -- moderation -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moderated:
    submission: Submission
    reviews: list[Review]

    @property
    def needs_moderator(self) -> bool:
        """Whether the markers disagree and nobody moderates yet."""
        roles = {review.role for review in self.reviews}
        return self.agreed is False and ReviewRole.MODERATOR not in roles

    @property
    def agreed(self) -> bool | None:
        """Whether the second marker agreed with the assessor; None while one is missing."""
        outcomes = {
            review.role: review.outcome
            for review in self.reviews
            if review.status == ReviewStatus.COMPLETED
        }
        if ReviewRole.ASSESSOR not in outcomes or ReviewRole.SECOND not in outcomes:
            return None
        return outcomes[ReviewRole.ASSESSOR] == outcomes[ReviewRole.SECOND]


def access_moderation(actor: User, submission_uuid: Any) -> Submission:
    """Return a second-marked submission for an assessor of its organisation."""
    submission = (
        Submission.objects.select_related(*_SUBMISSION_RELATED)
        .filter(uuid=submission_uuid, second_marking=True)
        .first()
    )
    if submission is None:
        raise NotFound("No such submission in moderation.", field="submission")
    organisations.access_organisation(actor, _organisation(submission).slug, roles=ASSESSOR_ROLES)
    return submission


def get_moderation(*, actor: User, organisation_slug: str) -> list[Moderated]:
    """Return the organisation's second-marked attempts, those in moderation first, with
    the assessor's, the second marker's and the moderator's reviews."""
    organisation = organisations.access_organisation(actor, organisation_slug, roles=ASSESSOR_ROLES)
    submissions = (
        Submission.objects.filter(
            second_marking=True, enrolment__version__microcredential__organisation=organisation
        )
        .select_related(*_SUBMISSION_RELATED)
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(role__in=STAFF_REVIEWS)
                .exclude(status=ReviewStatus.CANCELLED)
                .select_related("reviewer"),
            )
        )
        .order_by("decided_at", "submitted_at")
    )
    rows = [Moderated(item, list(item.reviews.all())) for item in submissions]
    return sorted(rows, key=lambda row: row.submission.status != SubmissionStatus.MODERATION)


# -- feedback for the learner -------------------------------------------------------------------


@dataclass(frozen=True)
class Feedback:
    """One completed review as the learner sees it: a role and number, never a name."""

    review_id: int
    label: str
    role: str
    feedback: str
    outcome: str
    total: int | None
    scores: list[dict[str, str]] = field(default_factory=list)


def access_submission_for_feedback(actor: User, submission_uuid: Any) -> Submission:
    """Return the learner's own submission; anyone else gets :class:`NotFound`."""
    submission = (
        Submission.objects.select_related(*_SUBMISSION_RELATED)
        .filter(uuid=submission_uuid, enrolment__learner_id=getattr(actor, "pk", None))
        .first()
    )
    if submission is None:
        raise NotFound("No such submission.", field="submission")
    return submission


def get_feedback(actor: User, submission: Submission) -> list[Feedback]:
    """Return the feedback the learner may see on their attempt: each peer's as soon as it is
    given, the assessor's (or the moderator's) once decided; no reviewer is named."""
    if submission.enrolment.learner_id != getattr(actor, "pk", None):
        raise NotFound("No such submission.", field="submission")
    decided = bool(submission.outcome)
    deciding = _deciding_review(submission) if decided else None
    return [
        item
        for item in _feedback(submission)
        if item.role == ReviewRole.PEER or (deciding is not None and item.review_id == deciding.pk)
    ]


def _feedback(submission: Submission) -> list[Feedback]:
    reviews = (
        submission.reviews.filter(status=ReviewStatus.COMPLETED)
        .prefetch_related(
            Prefetch(
                "scores",
                queryset=CriterionScore.objects.select_related("criterion", "level").order_by(
                    "criterion__position"
                ),
            )
        )
        .order_by("completed_at")
    )
    items = []
    peers = 0
    for review in reviews:
        label = review.get_role_display()
        if review.role == ReviewRole.PEER:
            peers += 1
            label = gettext("Peer %(number)s") % {"number": peers}
        items.append(
            Feedback(
                review_id=review.pk,
                label=label,
                role=review.role,
                feedback=review.feedback,
                outcome=review.get_outcome_display() if review.outcome else "",
                total=review.total_points,
                scores=[
                    {
                        "criterion": score.criterion.name,
                        "level": score.level.name,
                        "feedback": score.feedback,
                    }
                    for score in review.scores.all()
                ],
            )
        )
    return items


# -- instructor results from CSV ----------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    line: int
    enrolment: Enrolment
    component: str
    value: Decimal


def get_result_versions(*, actor: User, organisation_slug: str) -> list[Any]:
    """Return the organisation's published versions whose plan asks for instructor results."""
    organisation = organisations.access_organisation(actor, organisation_slug, roles=ASSESSOR_ROLES)
    plans = AssessmentPlan.objects.filter(
        version__microcredential__organisation=organisation, version__status="published"
    ).select_related("version__microcredential")
    return [
        plan.version
        for plan in plans
        if any(c.get("kind") == ComponentKind.RESULT for c in plan.components)
    ]


def check_results_csv(*, actor: User, version: Any, content: bytes | str) -> list[RowError]:
    """Return every problem of a CSV of instructor results, with its line; empty when valid.

    The CSV has a header with the columns ``learner`` (the enrolled learner's email
    address or user name), ``component`` (the key of a result component of the plan) and
    ``value`` (a number within the component's minimum and maximum).
    """
    return _read_results(actor, version, content)[1]


def apply_results_csv(
    *, actor: User, version: Any, content: bytes | str, now: datetime | None = None
) -> int:
    """Enter every result of the CSV on each learner's open attempt, and return how many.

    Every row is checked first; if any is wrong nothing changes and :class:`InvalidInput`
    (code ``results.invalid_rows``) lists each problem with its line in ``data["errors"]``.
    """
    now = now or timezone.now()
    with transaction.atomic():
        rows, errors = _read_results(actor, version, content, lock=True)
        if errors:
            raise InvalidInput(
                gettext(
                    "%(count)s problem(s) in the file; nothing was applied. "
                    "Line %(line)s: %(message)s"
                )
                % {"count": len(errors), "line": errors[0].line, "message": errors[0].message},
                code="results.invalid_rows",
                field="file",
                data={"errors": [error.as_dict() for error in errors]},
            )
        for row in rows:
            submission = _open_attempt(row.enrolment, now=now)
            submission.results[row.component] = {
                "value": _number(row.value),
                "entered_by": actor.get_username(),
                "entered_at": now.isoformat(),
            }
            submission.save(update_fields=["results"])
        record_event(
            actor=actor,
            action="results.apply",
            organisation=version.microcredential.organisation,
            target=version,
            data={"rows": len(rows)},
            now=now,
        )
    return len(rows)


def _read_results(
    actor: User, version: Any, content: bytes | str, *, lock: bool = False
) -> tuple[list[_Row], list[RowError]]:
    organisations.access_organisation(
        actor, version.microcredential.organisation.slug, roles=ASSESSOR_ROLES
    )
    if isinstance(content, bytes):
        if len(content) > MAX_CSV_BYTES:
            raise InvalidInput(gettext("The file is larger than 2 MB."), field="file")
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(gettext("The file is not UTF-8 text."), field="file") from None
    reader = csv.DictReader(io.StringIO(content))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if missing := [column for column in CSV_COLUMNS if column not in header]:
        message = gettext("The column %(column)s is missing.")
        return [], [RowError(1, column, message % {"column": repr(column)}) for column in missing]
    reader.fieldnames = header
    plan = AssessmentPlan.objects.filter(version=version).first()
    components = {
        c["key"]: c for c in (plan.components if plan else []) if c["kind"] == ComponentKind.RESULT
    }
    enrolments = (
        Enrolment.objects.filter(version=version)
        .select_related("learner")
        .prefetch_related("submissions")
    )
    if lock:
        enrolments = enrolments.select_for_update(of=("self",))
    learners: dict[str, Enrolment] = {}
    for candidate in enrolments:
        learners[candidate.learner.email.lower()] = candidate
        learners[candidate.learner.get_username().lower()] = candidate
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple[int, str], int] = {}
    for record in reader:
        line = reader.line_num
        learner = (record.get("learner") or "").strip()
        key = (record.get("component") or "").strip()
        raw = (record.get("value") or "").strip()
        enrolment = learners.get(learner.lower())
        problems = []
        if enrolment is None:
            problems.append(
                (
                    "learner",
                    gettext("No learner %(learner)s is enrolled in %(version)s.")
                    % {"learner": repr(learner), "version": version},
                )
            )
        elif enrolment.status != EnrolmentStatus.ACTIVE or _decided(enrolment):
            problems.append(
                (
                    "learner",
                    gettext("%(learner)s has no attempt open for results.") % {"learner": learner},
                )
            )
        component = components.get(key)
        if component is None:
            known = ", ".join(components) or gettext("none")
            problems.append(
                (
                    "component",
                    gettext("%(key)s is not a result component (known: %(known)s).")
                    % {"key": repr(key), "known": known},
                )
            )
        value = None
        try:
            value = Decimal(raw)
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(("value", gettext("%(value)s is not a number.") % {"value": repr(raw)}))
        if value is not None and component is not None:
            low = Decimal(str(component.get("minimum", 0)))
            high = Decimal(str(component.get("maximum", 100)))
            if not low <= value <= high:
                problems.append(
                    (
                        "value",
                        gettext("%(value)s is outside %(low)s to %(high)s.")
                        % {"value": raw, "low": _number(low), "high": _number(high)},
                    )
                )
        if enrolment is not None and component is not None:
            if (enrolment.pk, key) in seen:
                problems.append(
                    (
                        "learner",
                        gettext("The same result is also on line %(line)s.")
                        % {"line": seen[(enrolment.pk, key)]},
                    )
                )
            seen[(enrolment.pk, key)] = line
        errors += [RowError(line, column, message) for column, message in problems]
        if not problems and enrolment is not None and value is not None:
            rows.append(_Row(line, enrolment, key, value))
    if not rows and not errors:
        errors.append(RowError(1, "", gettext("The file has no rows.")))
    return rows, errors


def _decided(enrolment: Enrolment) -> bool:
    """Whether the learner's latest attempt has an outcome (uses the prefetched attempts)."""
    attempts = sorted(enrolment.submissions.all(), key=lambda item: item.attempt)
    return bool(attempts) and bool(attempts[-1].outcome)


def _open_attempt(enrolment: Enrolment, *, now: datetime) -> Submission:
    """Return the learner's latest attempt, which is not decided, or start the first."""
    latest = enrolment.submissions.order_by("-attempt").first()
    return latest or Submission.objects.create(enrolment=enrolment, attempt=1, created_at=now)


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


# -- helpers ---------------------------------------------------------------------------------


def _lock(actor: User, submission: Submission, *, roles: tuple[str, ...]) -> Submission:
    """Lock the attempt until the transaction ends, once the actor has one of ``roles`` in its
    organisation: staff decisions on one attempt then happen one after the other."""
    locked = (
        Submission.objects.select_for_update(of=("self",))
        .select_related(*_SUBMISSION_RELATED)
        .get(pk=submission.pk)
    )
    organisations.access_organisation(actor, _organisation(locked).slug, roles=roles)
    return locked


def _organisation(submission: Submission) -> Any:
    return submission.enrolment.version.microcredential.organisation


def _plan(submission: Submission) -> AssessmentPlan:
    return AssessmentPlan.objects.filter(
        version_id=submission.enrolment.version_id
    ).first() or AssessmentPlan(version_id=submission.enrolment.version_id)


def _settings(organisation: Any) -> AssessmentSettings:
    """Return the organisation's assessment policy; the model's defaults when none is saved."""
    return AssessmentSettings.objects.filter(organisation=organisation).first() or (
        AssessmentSettings(organisation=organisation)
    )
