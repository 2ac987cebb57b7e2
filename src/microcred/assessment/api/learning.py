"""API routes of learning: enrolments, submissions and evidence for learners; assessment
plans for designers; assessor qualifications, assignment and queues for staff. Handlers call
services; errors name the field."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import ConfigDict

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.assessment import services
from microcred.catalogue import services as catalogue
from microcred.errors import NotFound
from microcred.organisations import services as organisations
from microcred.organisations.services import Role

router = Router(tags=["assessment"], auth=AUTH)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class EnrolIn(Strict):
    achievement: UUID = Field(description="The achievement id of the published version.")
    participation_form: str = Field("", description="online, onsite or blended (the version's).")


class IdentityIn(Strict):
    method: str = Field(description="none, document, supervised or institutional.")


class SubmissionSummary(Schema):
    uuid: UUID
    attempt: int
    status: str
    submitted_at: datetime | None
    due_at: datetime | None
    decided_at: datetime | None
    outcome: str


class EnrolmentOut(Schema):
    uuid: UUID
    achievement: UUID
    title: str
    organisation: str
    status: str
    identity_verification: str
    participation_form: str
    prerequisites_met: list[dict[str, str]]
    enrolled_at: datetime
    due: str
    submissions: list[SubmissionSummary]
    award: str | None


class EvidenceOut(Schema):
    uuid: UUID
    component: str
    kind: str
    description: str
    filename: str
    content_type: str
    size: int
    url: str
    public: bool
    download: str


class ComponentOut(Schema):
    key: str
    kind: str
    label: str
    instructions: str
    required: bool
    text: str
    answers: list[dict[str, str]]
    evidence: list[EvidenceOut]
    result: dict[str, Any] | None


class SubmissionOut(SubmissionSummary):
    learner: str | None = Field(description="Hidden from peers: reviews are anonymous.")
    title: str
    texts: dict[str, str]
    components: list[ComponentOut]


class TextsIn(Strict):
    texts: dict[str, str] = Field(
        description="Text by key: a goal's key, or <reflection key>.<prompt number from 1>."
    )


class PublicIn(Strict):
    public: bool


class PlanIn(Strict):
    components: list[dict[str, Any]]
    peer_reviews: int = 0
    max_attempts: int = 3
    file_types: list[str] = []
    max_file_mb: int = 10
    decision_days: int = 14
    prerequisite_achievements: list[str] = []


class PlanOut(Schema):
    components: list[dict[str, Any]]
    peer_reviews: int
    max_attempts: int
    file_types: list[str]
    max_file_mb: int
    decision_days: int
    prerequisite_achievements: list[str]


class QualificationIn(Strict):
    user: str = Field(description="Username or email of a member with the assessor role.")
    microcredential: str = Field("", description="Slug; empty for all micro-credentials.")
    trained_on: date | None = None
    valid_until: date | None = None
    notes: str = ""


class QualificationOut(Schema):
    id: int
    user: str
    microcredential: str | None
    trained_on: date | None
    valid_until: date | None
    notes: str


class AssignIn(Strict):
    assessor: str = Field(description="Username or email of a qualified assessor.")


class ReviewAssignmentOut(Schema):
    uuid: UUID
    submission: UUID
    title: str
    role: str
    status: str
    assigned_at: datetime
    due_at: datetime | None


# -- shapes ----------------------------------------------------------------------------------


def _summary(submission: Any) -> dict[str, Any]:
    return {
        "uuid": submission.uuid,
        "attempt": submission.attempt,
        "status": submission.status,
        "submitted_at": submission.submitted_at,
        "due_at": submission.due_at,
        "decided_at": submission.decided_at,
        "outcome": submission.outcome,
    }


def _enrolment(entry: services.DashboardEntry) -> dict[str, Any]:
    enrolment = entry.enrolment
    version = enrolment.version
    return {
        "uuid": enrolment.uuid,
        "achievement": version.achievement_uuid,
        "title": version.title,
        "organisation": version.microcredential.organisation.slug,
        "status": enrolment.status,
        "identity_verification": enrolment.identity_verification,
        "participation_form": enrolment.participation_form,
        "prerequisites_met": enrolment.prerequisites_met,
        "enrolled_at": enrolment.enrolled_at,
        "due": entry.due,
        "submissions": [_summary(s) for s in enrolment.submissions.all()],
        "award": f"/credentials/{enrolment.award.uuid}" if enrolment.award else None,
    }


def _evidence(item: Any) -> dict[str, Any]:
    return {
        "uuid": item.uuid,
        "component": item.component,
        "kind": item.kind,
        "description": item.description,
        "filename": item.filename,
        "content_type": item.content_type,
        "size": item.size,
        "url": item.url,
        "public": item.public,
        "download": f"/evidence/{item.uuid}/file" if item.kind == "file" else item.url,
    }


def _submission(request: AuthenticatedHttpRequest, submission: Any) -> dict[str, Any]:
    learner = submission.enrolment.learner
    return {
        **_summary(submission),
        "learner": learner.get_username()
        if services.can_see_learner(request.auth, submission)
        else None,
        "title": submission.enrolment.version.title,
        "texts": submission.texts,
        "components": [
            {
                "key": c.key,
                "kind": c.kind,
                "label": c.label,
                "instructions": c.instructions,
                "required": c.required,
                "text": c.text,
                "answers": [{"key": k, "prompt": p, "text": t} for k, p, t in c.answers],
                "evidence": [_evidence(item) for item in c.evidence],
                "result": c.result,
            }
            for c in services.get_components(submission)
        ],
    }


def _plan(plan: Any) -> dict[str, Any]:
    return {
        name: getattr(plan, name)
        for name in (
            "components",
            "peer_reviews",
            "max_attempts",
            "file_types",
            "max_file_mb",
            "decision_days",
            "prerequisite_achievements",
        )
    }


def _qualification(q: Any) -> dict[str, Any]:
    return {
        "id": q.pk,
        "user": q.user.get_username(),
        "microcredential": q.microcredential.slug if q.microcredential else None,
        "trained_on": q.trained_on,
        "valid_until": q.valid_until,
        "notes": q.notes,
    }


def _review(review: Any) -> dict[str, Any]:
    return {
        "uuid": review.uuid,
        "submission": review.submission.uuid,
        "title": review.submission.enrolment.version.title,
        "role": review.role,
        "status": review.status,
        "assigned_at": review.assigned_at,
        "due_at": review.due_at,
    }


# -- learners --------------------------------------------------------------------------------


@router.post("/enrolments", response={201: EnrolmentOut}, summary="Enrol in a published version")
def enrol(request: AuthenticatedHttpRequest, payload: EnrolIn) -> Status:
    version = catalogue.get_version_by_achievement(payload.achievement)
    enrolment = services.enrol(
        actor=request.auth,
        version=version,
        participation_form=payload.participation_form,
    )
    entry = next(e for e in services.get_dashboard(request.auth) if e.enrolment == enrolment)
    return Status(201, _enrolment(entry))


@router.get(
    "/enrolments",
    response=list[EnrolmentOut],
    summary="Your enrolments: attempts, what is due, what was decided, awards",
)
def list_enrolments(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [_enrolment(entry) for entry in services.get_dashboard(request.auth)]


@router.post(
    "/enrolments/{uuid}/identity-verification",
    response=EnrolmentOut,
    summary="Record how the learner's identity was verified (assessor, registrar, owner)",
)
def record_identity_verification(
    request: AuthenticatedHttpRequest, uuid: UUID, payload: IdentityIn
) -> dict[str, Any]:
    enrolment = services.record_identity_verification(
        actor=request.auth, enrolment=services.get_enrolment(uuid), method=payload.method
    )
    entry = next(e for e in services.get_dashboard(enrolment.learner) if e.enrolment == enrolment)
    return _enrolment(entry)


@router.get(
    "/submissions/{uuid}",
    response=SubmissionOut,
    summary="A submission (its learner, its reviewers, the organisation's assessors)",
)
def get_submission(request: AuthenticatedHttpRequest, uuid: UUID) -> dict[str, Any]:
    return _submission(request, services.access_submission(request.auth, uuid))


@router.patch("/submissions/{uuid}", response=SubmissionOut, summary="Save texts in your draft")
def save_submission(
    request: AuthenticatedHttpRequest, uuid: UUID, payload: TextsIn
) -> dict[str, Any]:
    submission = services.access_submission(request.auth, uuid)
    saved = services.save_submission(actor=request.auth, submission=submission, texts=payload.texts)
    return _submission(request, saved)


@router.post(
    "/submissions/{uuid}/submit",
    response=SubmissionOut,
    summary="Submit your draft; 422 names the missing component",
)
def submit_submission(request: AuthenticatedHttpRequest, uuid: UUID) -> dict[str, Any]:
    submission = services.access_submission(request.auth, uuid)
    return _submission(
        request, services.submit_submission(actor=request.auth, submission=submission)
    )


# Optional, and kept even when empty (so an empty upload is refused by name, not ignored).
OPTIONAL_FILE = File(None)


@router.post(
    "/submissions/{uuid}/evidence",
    response={201: EvidenceOut},
    summary="Add a file (multipart) or a link to a component of your draft",
)
def add_evidence(
    request: AuthenticatedHttpRequest,
    uuid: UUID,
    component: Form[str],
    url: Form[str] = "",
    description: Form[str] = "",
    public: Form[bool] = False,
    file: UploadedFile | None = OPTIONAL_FILE,
) -> Status:
    submission = services.access_submission(request.auth, uuid)
    item = services.add_evidence(
        actor=request.auth,
        submission=submission,
        component=component,
        file=file,
        url=url,
        description=description,
        public=public,
    )
    return Status(201, _evidence(item))


@router.patch(
    "/evidence/{uuid}", response=EvidenceOut, summary="Show evidence on your credential, or not"
)
def set_evidence_public(
    request: AuthenticatedHttpRequest, uuid: UUID, payload: PublicIn
) -> dict[str, Any]:
    item = services.access_evidence(request.auth, uuid)
    return _evidence(
        services.set_evidence_public(actor=request.auth, item=item, public=payload.public)
    )


@router.delete("/evidence/{uuid}", response={204: None}, summary="Remove evidence from a draft")
def remove_evidence(request: AuthenticatedHttpRequest, uuid: UUID) -> Status:
    services.remove_evidence(actor=request.auth, item=services.access_evidence(request.auth, uuid))
    return Status(204, None)


# -- designers -------------------------------------------------------------------------------

PLAN = "/orgs/{org}/microcredentials/{slug}/versions/{number}/assessment-plan"


@router.get(PLAN, response=PlanOut, summary="A version's assessment plan (members)")
def get_plan(request: AuthenticatedHttpRequest, org: str, slug: str, number: int) -> dict[str, Any]:
    version = catalogue.access_version(request.auth, org, slug, number)
    plan = services.get_plan(version)
    if plan is None:
        raise NotFound(f"Version {number} has no assessment plan yet.", field="plan")
    return _plan(plan)


@router.put(PLAN, response=PlanOut, summary="Set a draft version's assessment plan (designer)")
def put_plan(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int, payload: PlanIn
) -> dict[str, Any]:
    version = catalogue.access_version(
        request.auth, org, slug, number, roles=catalogue.DESIGN_ROLES
    )
    return _plan(services.save_plan(actor=request.auth, version=version, **payload.dict()))


# -- staff -----------------------------------------------------------------------------------


@router.get(
    "/orgs/{org}/assessors",
    response=list[QualificationOut],
    summary="Assessor qualifications of an organisation (owner)",
)
def list_qualifications(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisations.access_organisation(request.auth, org, roles=(Role.OWNER,))
    return [_qualification(q) for q in services.get_qualifications(organisation)]


@router.post(
    "/orgs/{org}/assessors",
    response={201: QualificationOut},
    summary="Record an assessor's qualification (owner)",
)
def qualify_assessor(
    request: AuthenticatedHttpRequest, org: str, payload: QualificationIn
) -> Status:
    organisation = organisations.access_organisation(request.auth, org, roles=(Role.OWNER,))
    qualification = services.qualify_assessor(
        actor=request.auth, organisation=organisation, **payload.dict()
    )
    return Status(201, _qualification(qualification))


@router.delete(
    "/orgs/{org}/assessors/{qualification}",
    response={204: None},
    summary="End an assessor's qualification (owner)",
)
def end_qualification(request: AuthenticatedHttpRequest, org: str, qualification: int) -> Status:
    organisation = organisations.access_organisation(request.auth, org, roles=(Role.OWNER,))
    services.end_qualification(
        actor=request.auth,
        qualification=services.get_qualification(organisation, qualification),
    )
    return Status(204, None)


@router.post(
    "/submissions/{uuid}/assessor",
    response={201: ReviewAssignmentOut},
    summary="Assign a qualified assessor by hand (owner)",
)
def assign_assessor(request: AuthenticatedHttpRequest, uuid: UUID, payload: AssignIn) -> Status:
    submission = services.access_submission(request.auth, uuid)
    review = services.assign_assessor(
        actor=request.auth, submission=submission, assessor=payload.assessor
    )
    return Status(201, _review(review))


@router.get(
    "/orgs/{org}/assessment/queue",
    response=list[ReviewAssignmentOut],
    summary="Your open reviews in an organisation, soonest due first (assessor)",
)
def queue(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisations.access_organisation(request.auth, org, roles=(Role.ASSESSOR,))
    return [_review(review) for review in services.get_queue(request.auth, organisation)]
