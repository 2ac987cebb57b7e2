"""API routes of judging: scoring reviews, the learner's feedback, moderation, sign-off and
instructor results from CSV. Handlers call services; errors name the field."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.assessment import services
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.errors import NotFound

router = Router(tags=["assessment"], auth=AUTH)


class ScoreIn(Schema):
    model_config = ConfigDict(extra="forbid")

    level: int = Field(description="The id of one of the criterion's levels.")
    feedback: str = Field("", max_length=10_000)


class ScoresIn(Schema):
    model_config = ConfigDict(extra="forbid")

    scores: dict[str, ScoreIn] = Field(
        description="A level and feedback for every criterion of the rubric, by criterion id."
    )
    feedback: str = Field("", max_length=10_000, description="Overall feedback.")
    outcome: Literal["pass", "fail", "resubmit"] | None = Field(
        None,
        description="Optional, for assessors: must be what the rubric's pass rule gives. "
        "Peers give no outcome.",
    )


class LevelOut(Schema):
    id: int
    name: str
    points: int
    description: str


class CriterionOut(Schema):
    id: int
    name: str
    description: str
    minimum_level: int | None
    levels: list[LevelOut]


class ReviewedEvidenceOut(Schema):
    uuid: UUID
    kind: str
    filename: str
    url: str
    description: str


class ReviewedComponentOut(Schema):
    key: str
    kind: str
    label: str
    text: str
    answers: list[dict[str, str]]
    evidence: list[ReviewedEvidenceOut]
    result: str | None


class CriterionScoreOut(Schema):
    criterion: str
    level: str
    feedback: str


class FeedbackOut(Schema):
    label: str = Field(description="The reviewer's role and number, such as Peer 1; no name.")
    role: str
    feedback: str
    outcome: str
    total: int | None
    scores: list[CriterionScoreOut]


class ReviewDetailOut(Schema):
    uuid: UUID
    role: str
    status: str
    due_at: datetime | None
    submission: UUID
    attempt: int
    title: str
    learner: str = Field(description="Empty for peers: peer review is anonymous.")
    pass_rule: str
    components: list[ReviewedComponentOut]
    criteria: list[CriterionOut]
    earlier: list[FeedbackOut]
    outcome: str
    total_points: int | None


class DecisionOut(Schema):
    uuid: UUID
    attempt: int
    status: str
    outcome: str
    total_points: int | None
    award: str | None = Field(description="The credential's address, once issued.")


class SignoffOut(DecisionOut):
    learner: str
    title: str
    decided_at: datetime | None


class ModerationReviewOut(Schema):
    role: str
    reviewer: str
    status: str
    outcome: str
    total_points: int | None


class ModeratedOut(Schema):
    submission: UUID
    title: str
    attempt: int
    status: str
    agreed: bool | None
    needs_moderator: bool
    reviews: list[ModerationReviewOut]


class ResultsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    achievement: UUID = Field(description="The achievement id of the published version.")
    csv: str = Field(
        max_length=2_000_000,
        description="CSV text with the header learner,component,value (learner: email or "
        "user name; component: a result component's key).",
    )
    check_only: bool = Field(False, description="Only check the rows; change nothing.")


class RowErrorOut(Schema):
    line: int
    column: str
    message: str


class ResultsOut(Schema):
    applied: int
    errors: list[RowErrorOut]


def _components(components: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "kind": c.kind,
            "label": c.label,
            "text": c.text,
            "answers": [{"key": key, "prompt": p, "answer": a} for key, p, a in c.answers],
            "evidence": [
                {
                    "uuid": item.uuid,
                    "kind": item.kind,
                    "filename": item.filename,
                    "url": item.url,
                    "description": item.description,
                }
                for item in c.evidence
            ],
            "result": str(c.result["value"]) if c.result else None,
        }
        for c in components
    ]


def _review(review: Any) -> dict[str, Any]:
    page = services.get_review_page(review)
    return {
        "uuid": review.uuid,
        "role": review.role,
        "status": review.status,
        "due_at": review.due_at,
        "submission": page.submission.uuid,
        "attempt": page.submission.attempt,
        "title": page.submission.enrolment.version.title,
        "learner": page.learner,
        "pass_rule": page.pass_rule,
        "components": _components(page.components),
        "criteria": [
            {
                "id": c.pk,
                "name": c.name,
                "description": c.description,
                "minimum_level": c.minimum_level_id,
                "levels": [
                    {"id": v.pk, "name": v.name, "points": v.points, "description": v.description}
                    for v in c.levels.all()
                ],
            }
            for c in page.criteria
        ],
        "earlier": page.earlier,
        "outcome": review.outcome,
        "total_points": review.total_points,
    }


def _moderation_review(review: Any) -> dict[str, Any]:
    return {
        "role": review.role,
        "reviewer": review.reviewer.get_username(),
        "status": review.status,
        "outcome": review.outcome,
        "total_points": review.total_points,
    }


def _decision(submission: Any) -> dict[str, Any]:
    award = submission.enrolment.award
    return {
        "uuid": submission.uuid,
        "attempt": submission.attempt,
        "status": submission.status,
        "outcome": submission.outcome,
        "total_points": submission.total_points,
        "award": awards.credential_url(award) if award else None,
    }


@router.get(
    "/reviews/{uuid}",
    response=ReviewDetailOut,
    summary="A review assigned to you: the submission, the rubric, earlier reviews",
)
def get_review(request: AuthenticatedHttpRequest, uuid: UUID) -> dict[str, Any]:
    return _review(services.access_review(request.auth, uuid))


@router.post(
    "/reviews/{uuid}/scores",
    response=ReviewDetailOut,
    summary="Score the rubric: a level and feedback per criterion, overall feedback",
)
def score_review(
    request: AuthenticatedHttpRequest, uuid: UUID, payload: ScoresIn
) -> dict[str, Any]:
    scored = services.score_review(
        actor=request.auth,
        review=services.get_review(uuid),
        scores={key: score.dict() for key, score in payload.scores.items()},
        feedback=payload.feedback,
        outcome=payload.outcome,
    )
    return _review(scored)


@router.get(
    "/submissions/{uuid}/feedback",
    response=list[FeedbackOut],
    summary="Feedback on your attempt, without reviewers' names (learner)",
)
def get_feedback(request: AuthenticatedHttpRequest, uuid: UUID) -> list[Any]:
    submission = services.access_submission_for_feedback(request.auth, uuid)
    return services.get_feedback(request.auth, submission)


@router.get(
    "/orgs/{org}/assessment/moderation",
    response=list[ModeratedOut],
    summary="Second-marked attempts and their reviews (assessor)",
)
def moderation(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    return [
        {
            "submission": row.submission.uuid,
            "title": row.submission.enrolment.version.title,
            "attempt": row.submission.attempt,
            "status": row.submission.status,
            "agreed": row.agreed,
            "needs_moderator": row.needs_moderator,
            "reviews": [_moderation_review(review) for review in row.reviews],
        }
        for row in services.get_moderation(actor=request.auth, organisation_slug=org)
    ]


@router.post(
    "/submissions/{uuid}/moderator",
    response={201: ModerationReviewOut},
    summary="Assign a moderator when the markers disagree and none is assigned (assessor)",
)
def find_moderator(request: AuthenticatedHttpRequest, uuid: UUID) -> Status:
    submission = services.access_moderation(request.auth, uuid)
    review = services.find_moderator(actor=request.auth, submission=submission)
    return Status(201, _moderation_review(review))


@router.get(
    "/orgs/{org}/assessment/signoff",
    response=list[SignoffOut],
    summary="Passes awaiting sign-off before their award is issued (registrar)",
)
def signoff_list(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    return [
        {
            **_decision(submission),
            "learner": submission.enrolment.learner.get_full_name()
            or submission.enrolment.learner.get_username(),
            "title": submission.enrolment.version.title,
            "decided_at": submission.decided_at,
        }
        for submission in services.get_signoff_list(actor=request.auth, organisation_slug=org)
    ]


@router.post(
    "/submissions/{uuid}/signoff",
    response=DecisionOut,
    summary="Sign off a pass and issue its award (registrar)",
)
def sign_off(request: AuthenticatedHttpRequest, uuid: UUID) -> dict[str, Any]:
    submission = services.get_submission(uuid)
    return _decision(services.sign_off(actor=request.auth, submission=submission))


@router.post(
    "/orgs/{org}/assessment/results",
    response=ResultsOut,
    summary="Enter exam or coursework results from CSV; all rows or none (assessor)",
)
def upload_results(
    request: AuthenticatedHttpRequest, org: str, payload: ResultsIn
) -> dict[str, Any]:
    version = catalogue.get_version_by_achievement(payload.achievement)
    if version.microcredential.organisation.slug != org:
        raise NotFound(f"No published achievement {payload.achievement}.", field="achievement")
    if payload.check_only:
        errors = services.check_results_csv(
            actor=request.auth, version=version, content=payload.csv
        )
        return {"applied": 0, "errors": [error.as_dict() for error in errors]}
    applied = services.apply_results_csv(actor=request.auth, version=version, content=payload.csv)
    return {"applied": applied, "errors": []}
