"""API routes of quality assurance: check, submit, review and decide; handlers call services.

Checking a saved version needs membership of its organisation, submitting
the designer's role, reviewing a QA reviewer's of the organisation (or of
the agency invited to review). Checking a posted specification needs an
account (it costs work, and no data of anyone is shown). The public QA
report of a published version needs no account.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.accounts.services import User
from microcred.catalogue import services as catalogue
from microcred.organisations import services as organisations
from microcred.quality import report, services
from microcred.quality.models import QAReview

router = Router(tags=["quality"], auth=AUTH)
VERSION = "/orgs/{org}/microcredentials/{slug}/versions/{number}"


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class FindingOut(Schema):
    rule_id: str
    severity: str
    message: str
    field: str | None
    source: str
    profile: str | None


class ChecklistAnswer(Strict):
    met: bool = Field(description="Whether the item is met.")
    note: str = ""


class CommentIn(Strict):
    field: str = Field(description="The element commented on, such as outcomes or eqf_level.")
    text: str


class DecisionIn(Strict):
    decision: Literal["approve", "return"]
    checklist: dict[str, ChecklistAnswer] = Field(
        description="Every checklist item of the review's profiles, by id."
    )
    comments: list[CommentIn] = []
    note: str = Field("", description="Required changes (needed to return it).")


class InviteIn(Strict):
    agency: str = Field(description="Slug of the QA agency invited to review the version.")


class CheckIn(Strict):
    specification: dict[str, Any] = Field(
        description="A specification as JSON (the format of `microcred qa check`)."
    )
    profiles: list[str] | None = Field(
        None, description="Profile ids to check against; the platform's required ones if absent."
    )
    today: date | None = Field(None, description="The date review dates are judged on.")


class ChecklistItemOut(Schema):
    id: str
    text: str


class WalkedItemOut(Schema):
    id: str
    text: str
    met: bool
    note: str


class CommentOut(Schema):
    field: str
    text: str


class QAReviewOut(Schema):
    version: int
    attempt: int
    status: str
    profiles: list[str]
    findings: list[FindingOut]
    items: list[ChecklistItemOut] = Field(description="The checklist a reviewer walks.")
    checklist: list[WalkedItemOut] = Field(description="The internal reviewer's answers.")
    submitted_by: str | None
    submitted_at: datetime
    reviewer: str | None
    reviewed_at: datetime | None
    decision_note: str
    comments: list[CommentOut]
    external_agency: str | None
    invited_at: datetime | None
    external_reviewer: str | None
    external_reviewed_at: datetime | None
    external_checklist: list[WalkedItemOut]
    external_comments: list[CommentOut]
    external_note: str
    decided_at: datetime | None
    published_at: datetime | None


class QueueEntryOut(Schema):
    organisation: str
    microcredential: str
    title: str
    version: int
    stage: str = Field(description="internal_review, external_review or external_invitation.")
    attempt: int
    submitted_at: datetime


class DueOut(Schema):
    microcredential: str
    title: str
    version: int
    review_date: date
    published_at: datetime | None
    due_notified_at: datetime | None


class AccreditationIn(Strict):
    name: str
    body: str
    url: str = ""
    valid_until: str = Field("", description="YYYY-MM-DD, or empty.")


class SettingsIn(Strict):
    profiles: list[str] | None = Field(
        None, description="Profiles its versions must meet, beyond the platform's required ones."
    )
    qa_process: str | None = None
    accreditations: list[AccreditationIn] | None = None


class SettingsOut(Schema):
    profiles: list[str]
    required_profiles: list[str]
    applied_profiles: list[str]
    qa_process: str
    accreditations: list[dict[str, str]]
    vetted_at: datetime | None


def _review(review: QAReview) -> dict[str, Any]:
    return {
        "version": review.version.number,
        "attempt": review.attempt,
        "status": review.status,
        "profiles": review.profiles,
        "findings": review.findings,
        "items": [
            {"id": item_id, "text": text}
            for item_id, text in services.get_checklist(review.profiles)
        ],
        "checklist": review.checklist,
        "submitted_by": _name(review.submitted_by),
        "submitted_at": review.submitted_at,
        "reviewer": _name(review.reviewer),
        "reviewed_at": review.reviewed_at,
        "decision_note": review.decision_note,
        "comments": review.comments,
        "external_agency": review.external_agency.slug if review.external_agency else None,
        "invited_at": review.invited_at,
        "external_reviewer": _name(review.external_reviewer),
        "external_reviewed_at": review.external_reviewed_at,
        "external_checklist": review.external_checklist,
        "external_comments": review.external_comments,
        "external_note": review.external_note,
        "decided_at": review.decided_at,
        "published_at": review.published_at,
    }


def _settings(organisation: Any) -> dict[str, Any]:
    row = services.get_quality_settings(organisation)
    return {
        "profiles": row.profiles,
        "required_profiles": services.required_profiles(),
        "applied_profiles": services.get_profiles_for(organisation),
        "qa_process": row.qa_process,
        "accreditations": row.accreditations,
        "vetted_at": row.vetted_at,
    }


def _name(user: User | None) -> str | None:
    return str(user) if user is not None else None


@router.post(
    "/qa/check",
    response=list[FindingOut],
    summary="Check a specification that is not saved against quality profiles",
)
def check_specification(request: HttpRequest, payload: CheckIn) -> list[dict[str, Any]]:
    return services.check_specification(
        payload.specification, profiles=payload.profiles, today=payload.today
    )


@router.get(
    "/orgs/{org}/qa/queue",
    response=list[QueueEntryOut],
    summary="Reviews waiting for the organisation (QA reviewer)",
)
def review_queue(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisations.access_organisation(request.auth, org, roles=services.REVIEW_ROLES)
    return [
        {
            "organisation": entry.review.version.microcredential.organisation.slug,
            "microcredential": entry.review.version.microcredential.slug,
            "title": entry.review.version.title,
            "version": entry.review.version.number,
            "stage": entry.stage,
            "attempt": entry.review.attempt,
            "submitted_at": entry.review.submitted_at,
        }
        for entry in services.get_review_queue(organisation)
    ]


@router.get(
    "/orgs/{org}/qa/due",
    response=list[DueOut],
    summary="Published versions whose review date has come (QA reviewer)",
)
def reviews_due(
    request: AuthenticatedHttpRequest, org: str, today: date | None = None
) -> list[dict[str, Any]]:
    organisation = organisations.access_organisation(request.auth, org, roles=services.REVIEW_ROLES)
    return [
        {
            "microcredential": review.version.microcredential.slug,
            "title": review.version.title,
            "version": review.version.number,
            "review_date": review.version.review_date,
            "published_at": review.version.published_at,
            "due_notified_at": review.due_notified_at,
        }
        for review in services.get_reviews_due(today or timezone.localdate(), organisation)
    ]


@router.get("/orgs/{org}/qa/settings", response=SettingsOut, summary="Quality settings (member)")
def get_settings(request: AuthenticatedHttpRequest, org: str) -> dict[str, Any]:
    return _settings(organisations.access_organisation(request.auth, org))


@router.put(
    "/orgs/{org}/qa/settings", response=SettingsOut, summary="Change quality settings (owner)"
)
def update_settings(
    request: AuthenticatedHttpRequest, org: str, payload: SettingsIn
) -> dict[str, Any]:
    organisation = organisations.access_organisation(request.auth, org)
    given = payload.model_dump(exclude_unset=True)
    services.update_quality_settings(actor=request.auth, organisation=organisation, **given)
    return _settings(organisation)


@router.get(VERSION + "/checks", response=list[FindingOut], summary="Run the quality checks")
def check_version(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int
) -> list[dict[str, Any]]:
    version = catalogue.access_version(request.auth, org, slug, number)
    return services.get_findings(version)


@router.post(
    VERSION + "/submit",
    response={201: QAReviewOut},
    summary="Submit a draft for quality review (designer); blocking findings return it",
)
def submit_version(request: AuthenticatedHttpRequest, org: str, slug: str, number: int) -> Status:
    version = catalogue.access_version(
        request.auth, org, slug, number, roles=catalogue.DESIGN_ROLES
    )
    return Status(201, _review(services.submit_version(actor=request.auth, version=version)))


@router.get(VERSION + "/review", response=QAReviewOut, summary="The version's latest review")
def get_review(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int
) -> dict[str, Any]:
    return _review(services.access_review(request.auth, org, slug, number))


@router.post(
    VERSION + "/review/decision",
    response=QAReviewOut,
    summary="Approve or return a version in review (QA reviewer, not an author)",
)
def decide_review(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int, payload: DecisionIn
) -> dict[str, Any]:
    review = services.access_review(request.auth, org, slug, number)
    return _review(
        services.decide_review(
            actor=request.auth,
            review=review,
            decision=payload.decision,
            checklist={key: answer.model_dump() for key, answer in payload.checklist.items()},
            comments=[comment.model_dump() for comment in payload.comments],
            note=payload.note,
        )
    )


@router.post(
    VERSION + "/review/invite",
    response=QAReviewOut,
    summary="Invite a QA agency to review the version (QA reviewer)",
)
def invite_agency(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int, payload: InviteIn
) -> dict[str, Any]:
    review = services.access_review(request.auth, org, slug, number)
    return _review(
        services.invite_external_review(actor=request.auth, review=review, agency=payload.agency)
    )


class CheckResultOut(Schema):
    rule_id: str
    profile: str
    severity: str
    message: str = Field(description="What the rule found; for a passed check, what it reports.")
    field: str
    source: str
    passed: bool


class ProfileResultOut(Schema):
    id: str
    name: str
    source: str
    met: bool = Field(description="No rule of the profile found a blocking error.")
    checks: list[CheckResultOut]


class ChecklistResultOut(Schema):
    id: str
    text: str
    met: bool
    note: str


class HumanReviewOut(Schema):
    stage: Literal["internal", "external"]
    reviewer: str = Field(description="The reviewer's role and organisation, never a name.")
    organisation: str
    organisation_slug: str
    reviewed_on: date | None
    decision: str
    note: str
    checklist: list[ChecklistResultOut]


class QAReportOut(Schema):
    url: str
    title: str
    organisation: str
    organisation_slug: str
    slug: str
    number: int
    status: Literal["published", "withdrawn"]
    catalogue_url: str
    achievement_id: str
    reviewed: bool = Field(description="False for a version published before reviews existed.")
    attempt: int | None = Field(description="The submission that was approved.")
    submitted_on: date | None
    approved_on: date | None
    published_on: date | None
    next_review: date | None
    profiles: list[ProfileResultOut]
    internal_review: HumanReviewOut | None
    external_review: HumanReviewOut | None


@router.get(
    "/qa/{org}/{slug}/v{number}",
    auth=None,
    response=QAReportOut,
    summary="The public QA report of a published version (no account needed)",
)
def qa_report(request: HttpRequest, org: str, slug: str, number: int) -> dict[str, Any]:
    return report.get_report(organisation=org, slug=slug, number=number).as_dict()
