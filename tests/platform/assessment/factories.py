"""Factories for the assessment tests: assessed versions, learners, enrolments, submissions,
evidence, assessors and reviews.

Rows are built directly with the models, so a test of one service does not depend on
the others; the version is designed through the catalogue's services, then marked
published directly (the quality workflow has tests of its own).
"""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from microcred.accounts.models import User
from microcred.assessment.models import (
    AssessmentPlan,
    AssessorQualification,
    Enrolment,
    EvidenceItem,
    Review,
    Submission,
    SubmissionStatus,
)
from microcred.catalogue.models import MicroCredential, MicroCredentialVersion, VersionStatus
from microcred.organisations.models import Organisation, Role
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_organisation, make_user

_numbers = itertools.count(1)

# The smallest valid PDF header is enough for the content check of uploads.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


PNG = _png()


def default_components() -> list[dict[str, Any]]:
    """A goal, an artefact and a reflection with two prompts, all required."""
    return [
        {
            "key": "goal",
            "kind": "goal",
            "label": "Your learning goal",
            "instructions": "What do you want to be able to do at the end?",
            "required": True,
        },
        {
            "key": "artefact",
            "kind": "artefact",
            "label": "An assessment you designed",
            "instructions": "Upload the assessment and describe it.",
            "required": True,
        },
        {
            "key": "reflection",
            "kind": "reflection",
            "label": "Reflection",
            "instructions": "Answer each prompt in a paragraph or two.",
            "required": True,
            "prompts": ["What worked well?", "What would you change next time?"],
        },
    ]


def make_plan(version: MicroCredentialVersion, **fields: Any) -> AssessmentPlan:
    """Give ``version`` an assessment plan (the default components unless told), even a
    published one: factories bypass the freeze."""
    fields.setdefault("components", default_components())
    plan, _ = AssessmentPlan.objects.update_or_create(version=version, defaults=fields)
    return plan


def make_assessed_version(
    organisation: Organisation | None = None,
    *,
    plan: dict[str, Any] | None = None,
    published: bool = True,
    **overrides: Any,
) -> MicroCredentialVersion:
    """Return a version with the catalogue's complete fields (rubric of two criteria) and an
    assessment plan, published unless ``published=False``."""
    organisation = organisation or make_organisation()
    overrides.setdefault("title", f"Classroom assessment {next(_numbers)}")
    version = make_draft(organisation, **overrides)
    make_plan(version, **(plan or {}))
    if published:
        version.status = VersionStatus.PUBLISHED
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
    return version


def make_learner(**fields: Any) -> User:
    fields.setdefault("first_name", "Lea")
    fields.setdefault("last_name", f"Learner {next(_numbers)}")
    return make_user(**fields)


def make_enrolment(
    version: MicroCredentialVersion, learner: User | None = None, **fields: Any
) -> Enrolment:
    fields.setdefault("enrolled_at", timezone.now())
    fields.setdefault("participation_form", version.participation_form)
    return Enrolment.objects.create(version=version, learner=learner or make_learner(), **fields)


def complete_texts(plan: AssessmentPlan) -> dict[str, str]:
    """Texts for every goal and every reflection prompt of ``plan`` (``key.<n>``, from 1)."""
    texts: dict[str, str] = {}
    for component in plan.components:
        if component["kind"] == "goal":
            texts[component["key"]] = "I want to design fair assessments for my class."
        elif component["kind"] == "reflection":
            for number, _ in enumerate(component.get("prompts", []), start=1):
                texts[f"{component['key']}.{number}"] = f"My answer to prompt {number}."
    return texts


def make_submission(
    enrolment: Enrolment,
    submitted: bool = True,
    *,
    attempt: int | None = None,
    texts: dict[str, str] | None = None,
    evidence: bool = True,
    **fields: Any,
) -> Submission:
    """Return an attempt with texts for every component (and a PDF for every artefact
    component when ``evidence``), submitted unless told otherwise.

    A submitted attempt is in peer review when the plan asks for peers, else with the
    assessor; no reviewers are assigned (use :func:`make_review`).
    """
    plan = AssessmentPlan.objects.filter(version=enrolment.version).first()
    now = timezone.now()
    if attempt is None:
        attempt = enrolment.submissions.count() + 1
    if texts is None:
        texts = complete_texts(plan) if plan else {}
    if submitted:
        peers = plan is not None and plan.peer_reviews > 0
        fields.setdefault(
            "status", SubmissionStatus.PEER_REVIEW if peers else SubmissionStatus.ASSESSMENT
        )
        fields.setdefault("submitted_at", now)
        days = plan.decision_days if plan else 14
        fields.setdefault("due_at", now + timedelta(days=days))
    fields.setdefault("created_at", now)
    submission = Submission.objects.create(
        enrolment=enrolment, attempt=attempt, texts=texts, **fields
    )
    if evidence and plan:
        for component in plan.components:
            if component["kind"] == "artefact":
                make_evidence(submission, component["key"])
    return submission


def make_evidence(
    submission: Submission,
    component: str = "artefact",
    *,
    content: bytes = PDF,
    filename: str = "assessment.pdf",
    content_type: str = "application/pdf",
    url: str = "",
    public: bool = False,
    description: str = "The assessment I designed.",
) -> EvidenceItem:
    """Return a file evidence item stored in the evidence storage, or a link when ``url``."""
    item = EvidenceItem(
        submission=submission,
        component=component,
        description=description,
        public=public,
        created_at=timezone.now(),
    )
    if url:
        item.kind = "link"
        item.url = url
    else:
        item.kind = "file"
        item.filename = filename
        item.content_type = content_type
        item.size = len(content)
        item.file.save(filename, ContentFile(content), save=False)
    item.save()
    return item


def make_assessor(
    organisation: Organisation,
    microcredential: MicroCredential | None = None,
    *,
    valid_until: date | None = None,
    user: User | None = None,
    **fields: Any,
) -> User:
    """Return a user with the assessor role in ``organisation`` and a qualification valid for
    a year (for ``microcredential`` only, when given)."""
    user = add_member(organisation, user or make_user(**fields), Role.ASSESSOR)
    AssessorQualification.objects.create(
        organisation=organisation,
        user=user,
        microcredential=microcredential,
        trained_on=timezone.localdate() - timedelta(days=30),
        valid_until=valid_until or timezone.localdate() + timedelta(days=365),
        created_at=timezone.now(),
    )
    return user


def make_review(
    submission: Submission, reviewer: User, role: str = "assessor", **fields: Any
) -> Review:
    """Assign ``reviewer`` to ``submission`` in ``role`` (assessor, peer, second, moderator)."""
    now = timezone.now()
    fields.setdefault("assigned_at", now)
    fields.setdefault("due_at", submission.due_at or now + timedelta(days=14))
    return Review.objects.create(submission=submission, reviewer=reviewer, role=role, **fields)
