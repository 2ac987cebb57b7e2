"""Enrolment, submissions and evidence, assessor qualifications and assignment.

The plan of a version says what a submission holds; a learner enrols in a published
version, drafts and submits attempts, and the submission is handed to peers and a
qualified assessor. Evidence files are checked by their content, not their name
(:mod:`microcred.assessment.uploads`), and stored in ``STORAGES["evidence"]``: outside
the web root, with no public URL, read only through :func:`access_evidence`.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, pgettext

from microcred.accounts.services import User, UserOrAnonymous, find_user, is_platform_admin
from microcred.assessment import notices
from microcred.assessment.models import (
    AssessmentPlan,
    AssessorQualification,
    ComponentKind,
    Enrolment,
    EnrolmentStatus,
    EvidenceItem,
    EvidenceKind,
    IdentityVerification,
    Review,
    ReviewRole,
    ReviewStatus,
    Submission,
    SubmissionStatus,
)
from microcred.assessment.uploads import FILE_TYPES, check_upload
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.catalogue.services import MicroCredentialVersion, ParticipationForm
from microcred.core.words import in_sentence
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, Role

__all__ = [
    "FILE_TYPES",
    "ComponentView",
    "DashboardEntry",
    "access_enrolment",
    "access_evidence",
    "access_submission",
    "add_evidence",
    "assign_assessor",
    "assign_assessor_automatically",
    "assign_moderator",
    "assign_reviewers",
    "assign_second_marker",
    "can_choose_public",
    "can_see_learner",
    "can_verify_identity",
    "check_plan_for_publishing",
    "end_qualification",
    "enrol",
    "get_components",
    "get_dashboard",
    "get_enrolment",
    "get_peer_reviews",
    "get_plan",
    "get_qualification",
    "get_qualifications",
    "get_qualified_assessors",
    "get_queue",
    "get_submissions_to_assign",
    "is_enrollable",
    "open_evidence",
    "qualify_assessor",
    "record_identity_verification",
    "remove_evidence",
    "save_plan",
    "save_submission",
    "set_evidence_public",
    "submit_submission",
]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_-]{0,49}$")
TEXT_LIMIT = 50_000
MAX_PEER_REVIEWS = 5
MAX_ATTEMPTS = 10
MAX_FILE_MB = 100
DESCRIPTION_LIMIT = 2_000
MAX_DECISION_DAYS = 365
# What the plan's form calls its settings; errors name them so.
PLAN_LABELS = {
    "peer_reviews": gettext_lazy("Peer reviews"),
    "max_attempts": gettext_lazy("Attempts allowed"),
    "decision_days": gettext_lazy("Days to decide after submission"),
    "max_file_mb": gettext_lazy("Largest file (MB)"),
    "file_types": gettext_lazy("Accepted file types"),
    "prerequisite_achievements": gettext_lazy("Prerequisite achievements"),
}
# Reviews that count towards a person's open load, and roles an assessor may hold.
STAFF_ROLES = (ReviewRole.ASSESSOR, ReviewRole.SECOND, ReviewRole.MODERATOR)
SUBMISSION_VIEWERS = (Role.ASSESSOR, Role.REGISTRAR)


# -- the plan --------------------------------------------------------------------------------


def get_plan(version: MicroCredentialVersion) -> AssessmentPlan | None:
    """Return the version's assessment plan, or None if it has none yet."""
    return AssessmentPlan.objects.filter(version=version).first()


def check_plan_for_publishing(version: MicroCredentialVersion) -> None:
    """Raise :class:`Conflict` when learners are to enrol into ``version`` (its
    ``enrolment``) but it has no assessment plan: nobody could enrol once it is published."""
    if version.enrolment and get_plan(version) is None:
        raise Conflict(
            gettext(
                "%(title)s v%(number)s says learners enrol on this platform, but it has no "
                "assessment plan, so nobody could enrol. Write its assessment plan, or untick "
                '"Learners enrol on this platform", before publishing it.'
            )
            % {"title": version.title, "number": version.number},
            code="version.no_plan",
            field="assessment_plan",
        )


def is_enrollable(version: MicroCredentialVersion) -> bool:
    """Whether learners can enrol into ``version`` now: published, with an assessment plan."""
    return version.status == "published" and get_plan(version) is not None


def save_plan(
    *,
    actor: User,
    version: MicroCredentialVersion,
    components: Any,
    peer_reviews: Any = 0,
    max_attempts: Any = 3,
    file_types: Any = (),
    max_file_mb: Any = 10,
    decision_days: Any = 14,
    prerequisite_achievements: Any = (),
) -> AssessmentPlan:
    """Create or replace the assessment plan of a draft version, for its designers.

    The plan is part of the specification: once the version is published it is frozen
    (:class:`Conflict` ``version.not_draft``), like the rest of the version.
    """
    cleaned: dict[str, Any] = {
        "components": _clean_components(components),
        "peer_reviews": _whole(peer_reviews, "peer_reviews", 0, MAX_PEER_REVIEWS),
        "max_attempts": _whole(max_attempts, "max_attempts", 1, MAX_ATTEMPTS),
        "file_types": _clean_file_types(file_types),
        "max_file_mb": _whole(max_file_mb, "max_file_mb", 1, MAX_FILE_MB),
        "decision_days": _whole(decision_days, "decision_days", 1, MAX_DECISION_DAYS),
    }
    with transaction.atomic():
        locked = catalogue.lock_version(actor, version)
        if locked.status != "draft":
            raise Conflict(
                gettext(
                    "Version %(number)s is %(status)s; its assessment plan is frozen. "
                    "Make a new version to change it."
                )
                % {"number": locked.number, "status": in_sentence(locked.get_status_display())},
                code="version.not_draft",
                field="version",
            )
        cleaned["prerequisite_achievements"] = _clean_prerequisites(
            prerequisite_achievements, locked
        )
        plan, created = AssessmentPlan.objects.update_or_create(version=locked, defaults=cleaned)
        record_event(
            actor=actor,
            action="assessment.plan_save",
            organisation=locked.microcredential.organisation,
            target=locked,
            data={"created": created, "components": [c["key"] for c in cleaned["components"]]},
        )
    return plan


def _whole(value: Any, name: str, low: int, high: int) -> int:
    label = PLAN_LABELS[name]
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            gettext("%(label)s must be a whole number.") % {"label": label}, field=name
        ) from None
    if not low <= number <= high:
        raise InvalidInput(
            gettext("%(label)s must be from %(low)s to %(high)s; it is %(number)s.")
            % {"label": label, "low": low, "high": high, "number": number},
            field=name,
        )
    return number


def _number(value: Any, path: str, label: str) -> float:
    try:
        return float(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(
            gettext("%(label)s must be a number; got %(value)s.")
            % {"label": label, "value": repr(value)},
            field=path,
        ) from None


def _clean_components(components: Any) -> list[dict[str, Any]]:
    if not isinstance(components, list) or not components:
        raise InvalidInput(
            gettext(
                "The plan needs at least one component "
                "(goal, artefact, link, reflection or result)."
            ),
            field="components",
        )
    kinds = set(ComponentKind.values)
    seen: set[str] = set()
    cleaned = []
    for index, component in enumerate(components):
        where = f"components[{index}]"
        number = gettext("Component %(number)s") % {"number": index + 1}
        if not isinstance(component, dict):
            raise InvalidInput(
                gettext("%(component)s must be an object.") % {"component": number}, field=where
            )
        key = str(component.get("key", "")).strip()
        if not KEY_PATTERN.match(key):
            raise InvalidInput(
                gettext(
                    "%(component)s: the key must start with a lower-case letter and hold only "
                    "a-z, 0-9, '-' and '_' (at most 50)."
                )
                % {"component": number},
                field=f"{where}.key",
            )
        if key in seen:
            raise InvalidInput(
                gettext("%(component)s: the key %(key)s is used twice.")
                % {"component": number, "key": repr(key)},
                field=f"{where}.key",
            )
        seen.add(key)
        kind = component.get("kind")
        if kind not in kinds:
            raise InvalidInput(
                gettext("%(component)s: the kind must be one of %(kinds)s.")
                % {"component": number, "kinds": ", ".join(sorted(kinds))},
                field=f"{where}.kind",
            )
        label = str(component.get("label") or "").strip()
        if not label:
            raise InvalidInput(
                gettext("%(component)s needs a label.") % {"component": number},
                field=f"{where}.label",
            )
        item: dict[str, Any] = {
            "key": key,
            "kind": kind,
            "label": label,
            "instructions": str(component.get("instructions") or "").strip(),
            "required": bool(component.get("required", True)),
        }
        if kind == ComponentKind.REFLECTION:
            prompts = component.get("prompts")
            if not isinstance(prompts, list) or not [p for p in prompts if str(p).strip()]:
                raise InvalidInput(
                    gettext("The reflection %(key)s needs at least one prompt to answer.")
                    % {"key": repr(key)},
                    field=f"{where}.prompts",
                )
            item["prompts"] = [str(p).strip() for p in prompts if str(p).strip()]
        if kind == ComponentKind.RESULT:
            item.update(_clean_result_range(component, where, number))
        cleaned.append(item)
    return cleaned


def _clean_result_range(
    component: dict[str, Any], where: str, number: str
) -> dict[str, float | None]:
    names = {"component": number}
    low = _number(
        component.get("minimum", 0),
        f"{where}.minimum",
        gettext("%(component)s: the lowest result") % names,
    )
    high = _number(
        component.get("maximum", 100),
        f"{where}.maximum",
        gettext("%(component)s: the highest result") % names,
    )
    if low >= high:
        raise InvalidInput(
            gettext("%(component)s: the highest result must be above the lowest (%(low)s).")
            % {**names, "low": f"{low:g}"},
            field=f"{where}.maximum",
        )
    mark = component.get("pass_mark")
    if mark in (None, ""):
        return {"minimum": low, "maximum": high, "pass_mark": None}
    pass_mark = _number(mark, f"{where}.pass_mark", gettext("%(component)s: the pass mark") % names)
    if not low <= pass_mark <= high:
        raise InvalidInput(
            gettext("%(component)s: the pass mark must be from %(low)s to %(high)s.")
            % {**names, "low": f"{low:g}", "high": f"{high:g}"},
            field=f"{where}.pass_mark",
        )
    return {"minimum": low, "maximum": high, "pass_mark": pass_mark}


def _clean_file_types(file_types: Any) -> list[str]:
    if isinstance(file_types, str):
        file_types = [t for t in re.split(r"[\s,]+", file_types) if t]
    unknown = [t for t in file_types if t not in FILE_TYPES]
    if unknown:
        raise InvalidInput(
            gettext("Unknown file type %(type)s; choose from: %(types)s.")
            % {"type": repr(unknown[0]), "types": ", ".join(FILE_TYPES)},
            field="file_types",
        )
    return list(dict.fromkeys(file_types))


def _clean_prerequisites(references: Any, version: MicroCredentialVersion) -> list[str]:
    if isinstance(references, str):
        references = [r for r in re.split(r"[\s,]+", references) if r]
    cleaned = []
    for index, reference in enumerate(references):
        where = f"prerequisite_achievements[{index}]"
        try:
            required = catalogue.get_version_by_achievement(str(reference).strip())
        except NotFound:
            raise InvalidInput(
                gettext("No published micro-credential has the achievement id %(id)s.")
                % {"id": repr(reference)},
                field=where,
            ) from None
        if required.microcredential_id == version.microcredential_id:
            raise InvalidInput(
                gettext("A micro-credential cannot be its own prerequisite."), field=where
            )
        cleaned.append(str(required.achievement_uuid))
    return list(dict.fromkeys(cleaned))


# -- enrolment -------------------------------------------------------------------------------


def enrol(
    *,
    actor: User,
    version: MicroCredentialVersion,
    participation_form: str = "",
    now: datetime | None = None,
) -> Enrolment:
    """Enrol ``actor`` in a published version and open their first attempt.

    Refused for drafts and withdrawn versions, for versions without an assessment plan
    (unassessed learning is no micro-credential), twice, and while a prerequisite is not
    held as an active award on this platform; the error names the prerequisite. Identity
    starts unverified: staff record how it was verified (:func:`record_identity_verification`).
    """
    now = now or timezone.now()
    learner = _signed_in(actor)
    if version.status != "published":
        raise InvalidInput(
            gettext(
                "%(title)s v%(number)s is %(status)s; learners enrol only in published versions."
            )
            % {
                "title": version.title,
                "number": version.number,
                "status": in_sentence(version.get_status_display()),
            },
            code="enrolment.version_not_published",
            field="version",
        )
    plan = get_plan(version)
    if plan is None:
        raise Conflict(
            gettext("%(title)s has no assessment plan yet, so nobody can enrol.")
            % {"title": version.title},
            code="enrolment.no_plan",
            field="version",
        )
    participation_form = participation_form or version.participation_form
    if participation_form not in ParticipationForm.values:
        raise InvalidInput(
            gettext("participation_form must be one of %(forms)s.")
            % {"forms": ", ".join(ParticipationForm.values)},
            field="participation_form",
        )
    met = _prerequisites_met(learner, plan)
    with transaction.atomic():
        if Enrolment.objects.filter(version=version, learner=learner).exists():
            raise Conflict(
                gettext("You are enrolled in %(title)s already.") % {"title": version.title},
                code="enrolment.exists",
                field="version",
            )
        enrolment = Enrolment.objects.create(
            version=version,
            learner=learner,
            participation_form=participation_form,
            prerequisites_met=met,
            enrolled_at=now,
        )
        Submission.objects.create(enrolment=enrolment, attempt=1, created_at=now)
        record_event(
            actor=learner,
            action="assessment.enrol",
            organisation=version.microcredential.organisation,
            target=enrolment,
            data={"version": str(version.achievement_uuid), "prerequisites": met},
        )
    return enrolment


def _signed_in(actor: User) -> Any:
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden(gettext("Sign in first."), code="auth.required")
    return actor


def _prerequisites_met(learner: User, plan: AssessmentPlan) -> list[dict[str, str]]:
    """Return how each prerequisite is met: an active award of any version of that
    micro-credential held by the learner; raise naming the first one not held."""
    met = []
    for reference in plan.prerequisite_achievements:
        required = catalogue.get_version_by_achievement(reference)
        held = next(
            (
                award
                for award in awards.get_learner_awards(
                    learner, microcredential=required.microcredential
                )
                if award.status == "active"
                and (award.valid_until is None or award.valid_until > timezone.now())
            ),
            None,
        )
        if held is None:
            raise Conflict(
                gettext(
                    "This needs %(title)s first: you hold no active credential for it on "
                    "this platform."
                )
                % {"title": required.title},
                code="enrolment.prerequisite_missing",
                field="prerequisite_achievements",
                data={"achievement": reference, "title": required.title},
            )
        met.append(
            {
                "achievement": reference,
                "title": required.title,
                "award": str(held.uuid),
                "shown_by": "platform award",
            }
        )
    return met


def record_identity_verification(*, actor: User, enrolment: Enrolment, method: str) -> Enrolment:
    """Record how the learner's identity was verified (none, document check, supervised,
    institutional login), for an assessor, registrar or owner of the organisation: the
    award states it, as the EU standard asks."""
    organisation = enrolment.version.microcredential.organisation
    organisations.access_organisation(
        actor, organisation.slug, roles=(Role.ASSESSOR, Role.REGISTRAR)
    )
    if method not in IdentityVerification.values:
        raise InvalidInput(
            gettext("method must be one of %(methods)s.")
            % {"methods": ", ".join(IdentityVerification.values)},
            field="method",
        )
    with transaction.atomic():
        locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        previous = locked.identity_verification
        locked.identity_verification = method
        locked.save(update_fields=["identity_verification"])
        record_event(
            actor=actor,
            action="assessment.identity_verification",
            organisation=organisation,
            target=locked,
            data={"from": previous, "to": method},
        )
    return locked


def get_enrolment(enrolment_uuid: uuid.UUID | str) -> Enrolment:
    """Return an enrolment by id; callers authorise (the verbs that change it do)."""
    try:
        return _enrolments().get(uuid=uuid.UUID(str(enrolment_uuid)))
    except (ValueError, Enrolment.DoesNotExist):
        raise NotFound(f"No enrolment {enrolment_uuid}.", field="enrolment") from None


def can_verify_identity(actor: User, enrolment: Enrolment) -> bool:
    """Whether ``actor`` may record how the learner's identity was verified."""
    organisation = enrolment.version.microcredential.organisation
    roles = organisations.get_roles(actor, organisation)
    return is_platform_admin(actor) or bool(roles & {Role.OWNER, Role.ASSESSOR, Role.REGISTRAR})


def access_enrolment(actor: User, enrolment_uuid: uuid.UUID | str) -> Enrolment:
    """Return the actor's own enrolment; anybody else's is not found."""
    try:
        return _enrolments().get(uuid=uuid.UUID(str(enrolment_uuid)), learner=_signed_in(actor))
    except (ValueError, Enrolment.DoesNotExist):
        raise NotFound(f"No enrolment {enrolment_uuid}.", field="enrolment") from None


def _enrolments() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related(
        "version__microcredential__organisation", "learner", "award"
    )


# -- submissions -----------------------------------------------------------------------------


def _submissions() -> QuerySet[Submission]:
    return Submission.objects.select_related(
        "enrolment__version__microcredential__organisation",
        "enrolment__version__assessment_plan",
        "enrolment__learner",
    )


def access_submission(actor: User, submission_uuid: uuid.UUID | str) -> Submission:
    """Return a submission to its learner, to a reviewer assigned to it, to an assessor,
    registrar or owner of its organisation, or a platform admin; anyone else is told it
    does not exist."""
    _signed_in(actor)
    try:
        submission = _submissions().get(uuid=uuid.UUID(str(submission_uuid)))
    except (ValueError, Submission.DoesNotExist):
        raise NotFound(f"No submission {submission_uuid}.", field="submission") from None
    if submission.enrolment.learner_id == actor.pk or _is_reviewer(actor, submission):
        return submission
    if is_platform_admin(actor) or organisations.get_roles(actor, _organisation(submission)) & {
        *SUBMISSION_VIEWERS,
        Role.OWNER,
    }:
        return submission
    raise NotFound(f"No submission {submission_uuid}.", field="submission")


def _organisation(submission: Submission) -> Organisation:
    return submission.enrolment.version.microcredential.organisation


def _is_reviewer(actor: User, submission: Submission) -> bool:
    return (
        submission.reviews.filter(reviewer_id=actor.pk)
        .exclude(status=ReviewStatus.CANCELLED)
        .exists()
    )


def can_see_learner(actor: User, submission: Submission) -> bool:
    """Whether ``actor`` may see who the learner is: everyone who may see the submission
    except a peer (peers review anonymously)."""
    if submission.enrolment.learner_id == actor.pk:
        return True
    roles = set(
        submission.reviews.filter(reviewer_id=actor.pk)
        .exclude(status=ReviewStatus.CANCELLED)
        .values_list("role", flat=True)
    )
    return not roles or roles != {ReviewRole.PEER}


def _own_draft(actor: User, submission: Submission) -> Submission:
    """Return the submission locked, if it is the actor's own draft."""
    locked = _submissions().select_for_update(of=("self",)).get(pk=submission.pk)
    if locked.enrolment.learner_id != getattr(actor, "pk", None):
        raise Forbidden(
            gettext("Only the learner changes their submission."), code="submission.not_own"
        )
    if locked.status != SubmissionStatus.DRAFT:
        raise Conflict(
            gettext("Attempt %(attempt)s was submitted; it cannot change any more.")
            % {"attempt": locked.attempt},
            code="submission.not_draft",
            field="submission",
        )
    return locked


def _plan_of(submission: Submission) -> AssessmentPlan:
    return submission.enrolment.version.assessment_plan


def _text_keys(plan: AssessmentPlan) -> dict[str, str]:
    """Return the text keys a learner writes, with what each one is: ``goal`` and
    ``reflection.<n>`` for each prompt (from 1)."""
    keys = {}
    for component in plan.components:
        if component["kind"] == ComponentKind.GOAL:
            keys[component["key"]] = component["label"]
        elif component["kind"] == ComponentKind.REFLECTION:
            for number, prompt in enumerate(component["prompts"], start=1):
                keys[f"{component['key']}.{number}"] = f"{component['label']}: {prompt}"
    return keys


def save_submission(*, actor: User, submission: Submission, texts: dict[str, Any]) -> Submission:
    """Save the learner's texts in their draft; empty texts clear, unnamed ones stay."""
    with transaction.atomic():
        locked = _own_draft(actor, submission)
        allowed = _text_keys(_plan_of(locked))
        merged = dict(locked.texts)
        for key, value in texts.items():
            if key not in allowed:
                raise InvalidInput(
                    gettext("This plan has no text %(key)s; it asks for: %(keys)s.")
                    % {"key": repr(key), "keys": ", ".join(allowed)},
                    field=f"texts.{key}",
                )
            text = str(value or "").strip()
            if len(text) > TEXT_LIMIT:
                raise InvalidInput(
                    gettext("%(text)s is longer than %(limit)s characters.")
                    % {"text": allowed[key], "limit": TEXT_LIMIT},
                    field=f"texts.{key}",
                )
            if text:
                merged[key] = text
            else:
                merged.pop(key, None)
        locked.texts = merged
        locked.save(update_fields=["texts"])
    return locked


def submit_submission(
    *, actor: User, submission: Submission, now: datetime | None = None
) -> Submission:
    """Submit the learner's draft once every required component is there, assign its
    reviewers and tell the learner it was received.

    A missing component raises :class:`InvalidInput` (``submission.incomplete``) whose
    field and message name the first missing one and whose ``data["missing"]`` lists all.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _own_draft(actor, submission)
        plan = _plan_of(locked)
        if missing := _missing(locked, plan):
            raise InvalidInput(
                gettext("Not ready to submit; missing: %(missing)s.")
                % {"missing": "; ".join(item["label"] for item in missing)},
                code="submission.incomplete",
                field=missing[0]["field"],
                data={"missing": missing},
            )
        locked.status = (
            SubmissionStatus.PEER_REVIEW if plan.peer_reviews else SubmissionStatus.ASSESSMENT
        )
        locked.submitted_at = now
        locked.due_at = now + timedelta(days=plan.decision_days)
        locked.save(update_fields=["status", "submitted_at", "due_at"])
        record_event(
            actor=actor,
            action="assessment.submit",
            organisation=_organisation(locked),
            target=locked,
            data={"attempt": locked.attempt, "status": locked.status},
        )
        assign_reviewers(locked, now=now)
        notices.submission_received(locked)
    return locked


def _missing(submission: Submission, plan: AssessmentPlan) -> list[dict[str, str]]:
    """Required components the learner has not given (instructor results are not theirs)."""
    kinds = _evidence_kinds(submission)
    missing = []
    for component in plan.components:
        if not component.get("required", True):
            continue
        key, kind, label = component["key"], component["kind"], component["label"]
        if kind == ComponentKind.GOAL and not submission.texts.get(key):
            missing.append({"component": key, "label": label, "field": f"texts.{key}"})
        elif kind == ComponentKind.REFLECTION:
            for number, prompt in enumerate(component["prompts"], start=1):
                if not submission.texts.get(f"{key}.{number}"):
                    missing.append(
                        {
                            "component": key,
                            "label": f"{label}: {prompt}",
                            "field": f"texts.{key}.{number}",
                        }
                    )
        elif _lacks_evidence(kind, kinds.get(key, ())):
            missing.append({"component": key, "label": label, "field": f"evidence.{key}"})
    return missing


def _lacks_evidence(kind: str, given: Any) -> bool:
    """An artefact needs a file; a link component any evidence."""
    if kind == ComponentKind.ARTEFACT:
        return EvidenceKind.FILE not in given
    return kind == ComponentKind.LINK and not given


def _evidence_kinds(submission: Submission) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for component, kind in submission.evidence.values_list("component", "kind"):
        found.setdefault(component, []).append(kind)
    return found


@dataclass
class ComponentView:
    """A plan component with what the learner gave for it, for pages and the API."""

    key: str
    kind: str
    label: str
    instructions: str
    required: bool
    text: str = ""
    answers: list[tuple[str, str, str]] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    result: dict[str, Any] | None = None
    minimum: float | None = None
    maximum: float | None = None


def get_components(submission: Submission) -> list[ComponentView]:
    """Return the plan's components filled with the submission's texts, evidence and results.

    ``answers`` holds ``(text key, prompt, answer)`` for each reflection prompt.
    """
    plan = _plan_of(submission)
    evidence: dict[str, list[EvidenceItem]] = {}
    for item in submission.evidence.order_by("created_at", "pk"):
        evidence.setdefault(item.component, []).append(item)
    views = []
    for component in plan.components:
        key = component["key"]
        view = ComponentView(
            key=key,
            kind=component["kind"],
            label=component["label"],
            instructions=component.get("instructions", ""),
            required=component.get("required", True),
            text=submission.texts.get(key, ""),
            evidence=evidence.get(key, []),
            result=submission.results.get(key),
            minimum=component.get("minimum"),
            maximum=component.get("maximum"),
        )
        for number, prompt in enumerate(component.get("prompts", []), start=1):
            text_key = f"{key}.{number}"
            view.answers.append((text_key, prompt, submission.texts.get(text_key, "")))
        views.append(view)
    return views


# -- evidence --------------------------------------------------------------------------------


def add_evidence(
    *,
    actor: User,
    submission: Submission,
    component: str,
    file: File | None = None,
    url: str = "",
    description: str = "",
    public: bool = False,
    now: datetime | None = None,
) -> EvidenceItem:
    """Add a file or a link to a component of the learner's draft.

    A file must be non-empty, within the plan's size limit and of an accepted type,
    judged by its first bytes (and, for images, by Pillow reading it) as well as its
    name; it is stored under a random name in the evidence storage. Any refusal stores
    nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = _own_draft(actor, submission)
        plan = _plan_of(locked)
        spec = next((c for c in plan.components if c["key"] == component), None)
        if spec is None or spec["kind"] not in (ComponentKind.ARTEFACT, ComponentKind.LINK):
            takes = [
                c["key"]
                for c in plan.components
                if c["kind"] in (ComponentKind.ARTEFACT, ComponentKind.LINK)
            ]
            raise InvalidInput(
                gettext("%(component)s takes no evidence; these components do: %(takes)s.")
                % {"component": repr(component), "takes": ", ".join(takes) or gettext("none")},
                field="component",
            )
        description = str(description or "").strip()
        if len(description) > DESCRIPTION_LIMIT:
            raise InvalidInput(
                gettext("A description has at most %(limit)s characters.")
                % {"limit": DESCRIPTION_LIMIT},
                field="description",
            )
        item = EvidenceItem(
            submission=locked,
            component=component,
            description=description,
            public=bool(public),
            created_at=now,
        )
        if file is None and not url and spec["kind"] == ComponentKind.ARTEFACT:
            raise InvalidInput(
                gettext("Choose a file to upload."), code="evidence.no_file", field="file"
            )
        if file is not None and spec["kind"] == ComponentKind.ARTEFACT:
            content, content_type, filename = check_upload(
                file, allowed_types=plan.file_types, max_bytes=plan.max_file_mb * 1024 * 1024
            )
            item.kind = EvidenceKind.FILE
            item.filename = filename
            item.content_type = content_type
            item.size = len(content)
            extension = FILE_TYPES[content_type][0]
            item.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(content), save=False)
        else:
            item.kind = EvidenceKind.LINK
            item.url = _clean_url(url)
        item.save()
        record_event(
            actor=actor,
            action="assessment.evidence_add",
            organisation=_organisation(locked),
            target=locked,
            data={"component": component, "kind": item.kind, "evidence": str(item.uuid)},
        )
    return item


def _clean_url(url: str) -> str:
    url = str(url or "").strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url) or len(url) > 2000:
        raise InvalidInput(
            gettext("Give a web address starting with https:// (or http://), or a file."),
            field="url",
        )
    return url


def _own_item(actor: User, item: EvidenceItem) -> tuple[EvidenceItem, Submission]:
    submission = _own_draft(actor, item.submission)
    return EvidenceItem.objects.get(pk=item.pk), submission


def remove_evidence(*, actor: User, item: EvidenceItem) -> None:
    """Remove an evidence item from the learner's draft, and its file."""
    with transaction.atomic():
        locked, submission = _own_item(actor, item)
        record_event(
            actor=actor,
            action="assessment.evidence_remove",
            organisation=_organisation(submission),
            target=submission,
            data={"component": locked.component, "evidence": str(locked.uuid)},
        )
        stored = locked.file.name if locked.file else ""
        locked.delete()
        if stored:
            transaction.on_commit(lambda: locked.file.storage.delete(stored))


def can_choose_public(actor: User, submission: Submission) -> bool:
    """Whether ``actor`` may still choose which evidence of ``submission`` is public: its
    learner, until the attempt is decided (the award carries the evidence as it was then)."""
    return submission.enrolment.learner_id == getattr(actor, "pk", None) and not _settled(
        submission
    )


def _settled(submission: Submission) -> bool:
    return submission.decided_at is not None or submission.enrolment.award_id is not None


def set_evidence_public(*, actor: User, item: EvidenceItem, public: bool) -> EvidenceItem:
    """Let the learner choose whether an item shows on their credential (and to anyone).

    Refused once the attempt is decided (:class:`Conflict` ``evidence.decided``): the
    credential was issued, or will be, with the evidence public at the decision.
    """
    with transaction.atomic():
        if item.submission.enrolment.learner_id != getattr(actor, "pk", None):
            raise Forbidden(
                gettext("Only the learner chooses what is public."), code="evidence.not_own"
            )
        submission = _submissions().select_for_update(of=("self",)).get(pk=item.submission_id)
        if _settled(submission):
            raise Conflict(
                gettext(
                    "Attempt %(attempt)s is decided, so which of its evidence is public cannot "
                    "change any more: a credential shows it as it was at the decision."
                )
                % {"attempt": submission.attempt},
                code="evidence.decided",
                field="public",
            )
        locked = EvidenceItem.objects.select_for_update().get(pk=item.pk)
        locked.public = bool(public)
        locked.save(update_fields=["public"])
        record_event(
            actor=actor,
            action="assessment.evidence_public",
            organisation=_organisation(item.submission),
            target=item.submission,
            data={"evidence": str(locked.uuid), "public": locked.public},
        )
    return locked


def access_evidence(actor: UserOrAnonymous | None, evidence_uuid: uuid.UUID | str) -> EvidenceItem:
    """Return an evidence item to whoever may read it: anyone for public evidence; else
    its learner, a reviewer assigned to its submission, or an owner of the organisation.
    Anyone else is told it does not exist, so guessing ids reveals nothing."""
    try:
        item = EvidenceItem.objects.select_related(
            "submission__enrolment__version__microcredential__organisation"
        ).get(uuid=uuid.UUID(str(evidence_uuid)))
    except (ValueError, EvidenceItem.DoesNotExist):
        raise NotFound(f"No evidence {evidence_uuid}.", field="evidence") from None
    if item.public:
        return item
    if isinstance(actor, User):  # signed in: the anonymous visitor is no User
        submission = item.submission
        if (
            submission.enrolment.learner_id == actor.pk
            or _is_reviewer(actor, submission)
            or Role.OWNER in organisations.get_roles(actor, _organisation(submission))
        ):
            return item
    raise NotFound(f"No evidence {evidence_uuid}.", field="evidence")


def open_evidence(item: EvidenceItem) -> File:
    """Open an evidence file for reading (call :func:`access_evidence` first)."""
    if item.kind != EvidenceKind.FILE:
        raise NotFound("This evidence is a link, not a file.", field="evidence")
    return item.file.storage.open(item.file.name, "rb")


# -- assessors -------------------------------------------------------------------------------


def qualify_assessor(
    *,
    actor: User,
    organisation: Organisation,
    user: str,
    microcredential: str = "",
    trained_on: date | str | None = None,
    valid_until: date | str | None = None,
    notes: str = "",
    now: datetime | None = None,
) -> AssessorQualification:
    """Record that a member with the assessor role is trained to assess the organisation's
    micro-credentials (all, or the one named by slug), until ``valid_until``; for owners."""
    organisations.access_organisation(actor, organisation.slug, roles=(Role.OWNER,))
    trained_on = _date(trained_on, "trained_on")
    valid_until = _date(valid_until, "valid_until")
    person = find_user(str(user or ""))
    if person is None:
        raise InvalidInput(gettext("No user %(user)s.") % {"user": repr(user)}, field="user")
    if Role.ASSESSOR not in organisations.get_roles(person, organisation):
        raise InvalidInput(
            gettext("%(user)s does not hold the assessor role in %(organisation)s; give it first.")
            % {"user": person.username, "organisation": organisation.name},
            code="assessment.not_assessor",
            field="user",
        )
    target = None
    if microcredential:
        target = catalogue.access_microcredential(actor, organisation.slug, microcredential)
    if trained_on and valid_until and valid_until < trained_on:
        raise InvalidInput(
            gettext("The end of validity is before the training date."), field="valid_until"
        )
    with transaction.atomic():
        qualification = AssessorQualification.objects.create(
            organisation=organisation,
            user=person,
            microcredential=target,
            trained_on=trained_on,
            valid_until=valid_until,
            notes=str(notes or "").strip(),
            created_by=actor,
            created_at=now or timezone.now(),
        )
        record_event(
            actor=actor,
            action="assessment.qualify",
            organisation=organisation,
            target=qualification,
            data={
                "user": person.username,
                "microcredential": target.slug if target else None,
                "valid_until": valid_until.isoformat() if valid_until else None,
            },
        )
    return qualification


def _date(value: date | str | None, name: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()) if str(value).strip() else None
    except ValueError:
        raise InvalidInput(
            gettext("%(name)s must be a date (YYYY-MM-DD).") % {"name": name}, field=name
        ) from None


def get_qualification(organisation: Organisation, qualification_id: Any) -> AssessorQualification:
    """Return one of the organisation's qualification records by id."""
    try:
        return AssessorQualification.objects.select_related("organisation", "user").get(
            organisation=organisation, pk=int(qualification_id)
        )
    except (TypeError, ValueError, AssessorQualification.DoesNotExist):
        raise NotFound(f"No qualification {qualification_id}.", field="qualification") from None


def end_qualification(*, actor: User, qualification: AssessorQualification) -> None:
    """Remove a qualification record; the assessor's finished reviews stay."""
    organisation = qualification.organisation
    organisations.access_organisation(actor, organisation.slug, roles=(Role.OWNER,))
    with transaction.atomic():
        record_event(
            actor=actor,
            action="assessment.qualification_end",
            organisation=organisation,
            target=qualification,
            data={"user": qualification.user.username},
        )
        qualification.delete()


def get_qualifications(organisation: Organisation) -> list[AssessorQualification]:
    return list(
        AssessorQualification.objects.filter(organisation=organisation)
        .select_related("user", "microcredential")
        .order_by("user__last_name", "user__first_name", "user__username", "pk")
    )


def get_qualified_assessors(submission: Submission, *, today: date | None = None) -> list[User]:
    """Return the people qualified today to judge ``submission``, least open load first
    (ties by name), excluding its learner and anyone reviewing it already."""
    today = today or timezone.localdate()
    version = submission.enrolment.version
    organisation = version.microcredential.organisation
    qualified = AssessorQualification.objects.filter(
        Q(microcredential__isnull=True) | Q(microcredential=version.microcredential_id),
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        Q(trained_on__isnull=True) | Q(trained_on__lte=today),
        organisation=organisation,
        user__is_active=True,
        user__memberships__organisation=organisation,
        user__memberships__role=Role.ASSESSOR,
    ).values("user_id")
    busy = submission.reviews.exclude(status=ReviewStatus.CANCELLED).values("reviewer_id")
    user_model = submission.enrolment.learner.__class__
    return list(
        user_model.objects.filter(pk__in=qualified)
        .exclude(pk__in=busy)
        .exclude(pk=submission.enrolment.learner_id)
        .annotate(
            load=Count(
                "assessment_reviews",
                filter=Q(
                    assessment_reviews__status=ReviewStatus.ASSIGNED,
                    assessment_reviews__role__in=STAFF_ROLES,
                ),
            )
        )
        .order_by("load", "last_name", "first_name", "username")
    )


def _review(
    submission: Submission, reviewer: User, role: str, *, now: datetime, by: User | None = None
) -> Review:
    review = Review.objects.create(
        submission=submission,
        reviewer=reviewer,
        role=role,
        assigned_by=by,
        assigned_at=now,
        due_at=submission.due_at,
    )
    record_event(
        actor=by,
        action="assessment.assign",
        organisation=_organisation(submission),
        target=submission,
        data={"role": role, "review": str(review.uuid)},
    )
    notices.review_assigned(review)
    return review


def assign_reviewers(submission: Submission, *, now: datetime | None = None) -> list[Review]:
    """Give a submitted attempt the reviewers its state asks for; return the new reviews.

    In peer review: up to the plan's number of peers, other learners of the version who
    submitted (fewest open peer reviews first, never the learner, never the same peer
    twice), and this learner becomes a peer of earlier submissions still short of peers.
    With the assessor: the least-loaded qualified assessor, unless one is assigned.
    Call it again when the state changes (peers done): it only adds what is missing.
    """
    now = now or timezone.now()
    new: list[Review] = []
    if submission.status == SubmissionStatus.PEER_REVIEW:
        new += _assign_peers(submission, now=now)
        new += _fill_earlier_peers(submission, now=now)
    elif submission.status == SubmissionStatus.ASSESSMENT:
        review = assign_assessor_automatically(submission, now=now)
        new += [review] if review else []
    return new


def assign_assessor_automatically(
    submission: Submission, *, now: datetime | None = None
) -> Review | None:
    """Assign the least-loaded qualified assessor (ties by name) unless the submission has
    an assessor already; None when it has one or nobody qualified is free."""
    now = now or timezone.now()
    has_one = submission.reviews.filter(
        role=ReviewRole.ASSESSOR, status__in=(ReviewStatus.ASSIGNED, ReviewStatus.COMPLETED)
    ).exists()
    if has_one:
        return None
    return _assign_staff(submission, ReviewRole.ASSESSOR, now=now)


def _peer_count(submission: Submission) -> int:
    return (
        submission.reviews.filter(role=ReviewRole.PEER)
        .exclude(status=ReviewStatus.CANCELLED)
        .count()
    )


def _assign_peers(submission: Submission, *, now: datetime) -> list[Review]:
    plan = _plan_of(submission)
    wanted = plan.peer_reviews - _peer_count(submission)
    if wanted <= 0:
        return []
    learner_model = submission.enrolment.learner.__class__
    had = submission.reviews.filter(role=ReviewRole.PEER).values("reviewer_id")
    peers = (
        learner_model.objects.filter(
            enrolments__version=submission.enrolment.version_id,
            enrolments__submissions__submitted_at__isnull=False,
        )
        .exclude(pk=submission.enrolment.learner_id)
        .exclude(pk__in=had)
        .distinct()
        .annotate(
            load=Count(
                "assessment_reviews",
                filter=Q(
                    assessment_reviews__status=ReviewStatus.ASSIGNED,
                    assessment_reviews__role=ReviewRole.PEER,
                ),
                distinct=True,
            )
        )
        .order_by("load", "pk")[:wanted]
    )
    return [_review(submission, peer, ReviewRole.PEER, now=now) for peer in peers]


def _fill_earlier_peers(submission: Submission, *, now: datetime) -> list[Review]:
    learner = submission.enrolment.learner
    earlier = (
        _submissions()
        .filter(
            enrolment__version=submission.enrolment.version_id,
            status=SubmissionStatus.PEER_REVIEW,
            submitted_at__lt=submission.submitted_at,
        )
        .exclude(enrolment__learner=learner)
        .exclude(reviews__reviewer=learner, reviews__role=ReviewRole.PEER)
        .annotate(
            peers=Count(
                "reviews",
                filter=Q(reviews__role=ReviewRole.PEER)
                & ~Q(reviews__status=ReviewStatus.CANCELLED),
            )
        )
        .order_by("submitted_at", "pk")
    )
    wanted = submission.enrolment.version.assessment_plan.peer_reviews
    return [
        _review(other, learner, ReviewRole.PEER, now=now)
        for other in earlier
        if other.peers < wanted
    ]


def assign_assessor(
    *, actor: User, submission: Submission, assessor: User | str, now: datetime | None = None
) -> Review:
    """Assign ``assessor`` (a user or a username) by hand, for an owner of the organisation;
    refused unless they are qualified today. An open assessor review by someone else is
    cancelled: the submission has one assessor at a time."""
    now = now or timezone.now()
    organisation = _organisation(submission)
    organisations.access_organisation(actor, organisation.slug, roles=(Role.OWNER,))
    person = assessor if isinstance(assessor, User) else find_user(assessor)
    if person is None:
        raise InvalidInput(
            gettext("No user %(user)s.") % {"user": repr(assessor)}, field="assessor"
        )
    with transaction.atomic():
        locked = _submissions().select_for_update(of=("self",)).get(pk=submission.pk)
        if locked.status not in (SubmissionStatus.PEER_REVIEW, SubmissionStatus.ASSESSMENT):
            raise Conflict(
                gettext(
                    "Attempt %(attempt)s is %(status)s; an assessor is assigned only to a "
                    "submitted attempt awaiting its decision."
                )
                % {"attempt": locked.attempt, "status": in_sentence(locked.get_status_display())},
                code="assessment.not_assignable",
                field="submission",
            )
        current = locked.reviews.filter(role=ReviewRole.ASSESSOR, status=ReviewStatus.ASSIGNED)
        if current.filter(reviewer=person).exists():
            raise Conflict(
                gettext("%(user)s is its assessor already.") % {"user": person.username},
                code="assessment.already_assigned",
                field="assessor",
            )
        qualified = {u.pk for u in get_qualified_assessors(locked, today=now.date())}
        if person.pk not in qualified:
            raise InvalidInput(
                gettext(
                    "%(user)s is not qualified to assess %(title)s today (or reviews this "
                    "submission already, or is its learner)."
                )
                % {"user": person.username, "title": locked.enrolment.version.title},
                code="assessment.assessor_not_qualified",
                field="assessor",
            )
        current.update(status=ReviewStatus.CANCELLED)
        return _review(locked, person, ReviewRole.ASSESSOR, now=now, by=actor)


def assign_second_marker(submission: Submission, *, now: datetime | None = None) -> Review | None:
    """Assign the least-loaded qualified assessor not yet reviewing it as second marker;
    None when nobody is available."""
    return _assign_staff(submission, ReviewRole.SECOND, now=now)


def assign_moderator(submission: Submission, *, now: datetime | None = None) -> Review | None:
    """Assign the least-loaded qualified assessor not yet reviewing it as moderator; None
    when nobody is available."""
    return _assign_staff(submission, ReviewRole.MODERATOR, now=now)


def _assign_staff(submission: Submission, role: str, *, now: datetime | None) -> Review | None:
    now = now or timezone.now()
    candidates = get_qualified_assessors(submission, today=now.date())
    return _review(submission, candidates[0], role, now=now) if candidates else None


def get_queue(user: User, organisation: Organisation) -> list[Review]:
    """Return the reviews assigned to ``user`` in the organisation and not done, soonest
    due first."""
    return list(
        Review.objects.filter(
            reviewer=user,
            status=ReviewStatus.ASSIGNED,
            submission__enrolment__version__microcredential__organisation=organisation,
        )
        .select_related("submission__enrolment__version")
        .order_by("due_at", "assigned_at", "pk")
    )


def get_peer_reviews(user: User) -> list[Review]:
    """Return the peer reviews asked of a learner and not done yet, soonest due first."""
    return list(
        Review.objects.filter(reviewer=user, role=ReviewRole.PEER, status=ReviewStatus.ASSIGNED)
        .select_related("submission__enrolment__version")
        .order_by("due_at", "pk")
    )


def get_submissions_to_assign(organisation: Organisation) -> list[Submission]:
    """Return the organisation's submitted attempts awaiting a decision, with their open
    reviews, oldest first: where an owner assigns assessors by hand."""
    return list(
        _submissions()
        .filter(
            enrolment__version__microcredential__organisation=organisation,
            status__in=(SubmissionStatus.PEER_REVIEW, SubmissionStatus.ASSESSMENT),
        )
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.filter(
                    role__in=STAFF_ROLES, status=ReviewStatus.ASSIGNED
                ).select_related("reviewer"),
                to_attr="open_reviews",
            )
        )
        .order_by("submitted_at", "pk")
    )


# -- the learner's dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class DashboardEntry:
    """An enrolment with its latest attempt, for the learner's dashboard."""

    enrolment: Enrolment
    current: Submission | None
    decided: list[Submission]

    @property
    def due(self) -> str:
        """What the learner (or their reviewers) do next, in words."""
        status = self.enrolment.status
        if status != EnrolmentStatus.ACTIVE or self.current is None:
            return ""
        if self.current.status == SubmissionStatus.DRAFT:
            return gettext("Write and submit attempt %(attempt)s") % {
                "attempt": self.current.attempt
            }
        if self.current.due_at:
            return gettext("Decision due %(date)s") % {
                "date": date_format(
                    timezone.localtime(self.current.due_at), pgettext("date format", "j F Y")
                )
            }
        return gettext("Awaiting the decision")


def get_dashboard(user: User) -> list[DashboardEntry]:
    """Return the learner's enrolments, newest first, with their attempts and awards.

    Each attempt has ``feedback_given``, non-zero when it has feedback the learner may read
    (a peer's at once, the assessor's once decided), so that the page links to it.
    """
    readable = Q(reviews__status=ReviewStatus.COMPLETED) & (
        Q(reviews__role=ReviewRole.PEER) | Q(decided_at__isnull=False)
    )
    attempts = Submission.objects.annotate(feedback_given=Count("reviews", filter=readable))
    enrolments = (
        _enrolments()
        .filter(learner=user)
        .prefetch_related(Prefetch("submissions", queryset=attempts.order_by("attempt")))
        .order_by("-enrolled_at", "-pk")
    )
    entries = []
    for enrolment in enrolments:
        tried = list(enrolment.submissions.all())
        entries.append(
            DashboardEntry(
                enrolment=enrolment,
                current=tried[-1] if tried else None,
                decided=[s for s in tried if s.decided_at],
            )
        )
    return entries
