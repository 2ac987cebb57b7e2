"""Recognition of prior learning, credit transfer and grade conversion.

A learner applies to an organisation to have learning done elsewhere recognised as one of
its published versions (:func:`apply_for_recognition`); the credentials they bring are
verified on submission and kept as given, with their reports. Two evaluators of the
organisation decide, four eyes as in quality review: one proposes
(:func:`propose_decision`), another confirms or returns the proposal
(:func:`decide_recognition`). Full recognition issues an award of the version, partial
recognition grants credits toward it (:func:`get_granted_credits`), a refusal gives reasons.

An organisation publishes transfer values (:func:`create_transfer_value`): this external
achievement, or this version of the platform, counts for credits or as a pathway component
toward one of its versions. The pathway engine reads them as
:class:`microcred.frameworks.pathways.TransferValue` (:func:`get_transfer_values`).

Verbs as elsewhere: ``apply_*``, ``propose_*``, ``decide_*``, ``create_*`` validate,
authorise, change and audit in one transaction; ``access_*`` fetch and authorise; ``get_*``
only read.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.mail import send_mail
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from microcred.accounts.services import User
from microcred.assessment.uploads import FILE_TYPES, check_upload
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.frameworks import ctdl, grades, pathways
from microcred.frameworks.credits import SYSTEMS
from microcred.inputs import clean_text
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, Role
from microcred.recognition.models import (
    Decision,
    EvidenceFile,
    GradingTable,
    LearningSetting,
    RecognitionRequest,
    RequestStatus,
    SubmittedCredential,
    TransferValue,
)
from microcred.vc.errors import VCError
from microcred.verification.services import check_verification_rate, verify_payload

__all__ = [
    "EVALUATORS",
    "Decision",
    "EvidenceFile",
    "GradingTable",
    "LearningSetting",
    "RecognitionRequest",
    "RequestStatus",
    "Submission",
    "TransferValue",
    "access_evaluating",
    "access_evidence_file",
    "access_own_request",
    "access_request",
    "apply_for_recognition",
    "attach_evidence_files",
    "can_evaluate",
    "convert_grade",
    "create_grading_table",
    "create_transfer_value",
    "decide_recognition",
    "get_comparison",
    "get_credential_worth",
    "get_grading_tables",
    "get_granted_credits",
    "get_learner_requests",
    "get_queue",
    "get_request",
    "get_transfer_value_document",
    "get_transfer_value_profile",
    "get_transfer_value_records",
    "get_transfer_values",
    "open_evidence_file",
    "propose_decision",
    "read_submission",
]

EVALUATORS = (Role.EVALUATOR,)
MAX_STATEMENT = 10_000
MAX_REASONS = 5_000
MAX_CREDENTIALS = 10
MAX_EVIDENCE = 20
# Files a learner attaches: documents and pictures of their learning, checked by content
# (ADR 0004), at most this many per request and this large each.
EVIDENCE_FILE_TYPES = ["application/pdf", "image/png", "image/jpeg"]
MAX_EVIDENCE_FILES = 5
MAX_EVIDENCE_FILE_BYTES = 10 * 1024 * 1024
# Where a credential states its workload in credits: an OB 3.0 achievement's creditsAvailable
# (a number, no system), or an alignment to a credit system's framework.
CREDIT_SYSTEM_NAMES = {system.name.lower(): code for code, system in SYSTEMS.items()}
# Words in an alignment's targetFramework that make it a level: EQF, a national
# qualifications framework, a level descriptor.
LEVEL_FRAMEWORK_WORDS = ("qualifications framework", "eqf", "level")


# -- applying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A credential as the learner gives it: the bytes and where they came from."""

    data: bytes
    source: str


def read_submission(item: Any, index: int) -> Submission:
    """Return a credential given to the API: ``{"document": text}`` (JSON or a compact JWT)
    or ``{"image": base64}`` (a baked PNG or SVG)."""
    path = f"credentials[{index}]"
    document, image = item.get("document"), item.get("image")
    if bool(document) == bool(image):
        raise InvalidInput(
            f"{path} needs a document (JSON or a JWT) or an image (base64), one of the two.",
            field=path,
        )
    if document:
        return Submission(document.encode("utf-8"), f"credential {index + 1}")
    try:
        return Submission(base64.b64decode(image, validate=True), f"image {index + 1}")
    except (binascii.Error, ValueError):
        raise InvalidInput(f"{path}.image is not base64.", field=f"{path}.image") from None


def apply_for_recognition(
    *,
    actor: User,
    version: Any,
    statement: str,
    learning_setting: str,
    credentials: Sequence[Submission] = (),
    evidence: list[dict[str, Any]] | None = None,
    files: Sequence[File] = (),
    now: datetime | None = None,
) -> RecognitionRequest:
    """Apply to the version's organisation to have prior learning recognised as ``version``.

    Each credential is verified now, as the learner submits it, and kept as given with its
    reports: evaluators see what was verified when, and a credential that does not verify
    stays in the request as evidence, marked unverified. Verification runs before the
    transaction (it may fetch issuers' documents); an unreadable credential refuses the
    whole request, naming it. Each credential counts against the learner's verification rate
    limit, as the public verifier counts each request, so that applications cannot keep the
    verifier busy. ``files`` (PDF, PNG or JPEG) are checked by their content and kept in the
    evidence storage; one that is refused refuses the request, naming it (``files[1]``).
    """
    now = now or timezone.now()
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden(gettext("Sign in to apply for recognition."))
    if version.status != "published":
        raise InvalidInput(
            gettext("%(version)s is not published; recognition is asked for a published version.")
            % {"version": version},
            field="version",
        )
    statement = clean_text(statement, "statement", required=True, limit=MAX_STATEMENT)
    if learning_setting not in LearningSetting.values:
        raise InvalidInput(
            f"learning_setting must be {' or '.join(LearningSetting.values)}.",
            field="learning_setting",
        )
    credentials = list(credentials)
    if len(credentials) > MAX_CREDENTIALS:
        raise InvalidInput(
            f"At most {MAX_CREDENTIALS} credentials per request.", field="credentials"
        )
    items = _evidence(evidence)
    uploads = _checked_files(files, already=0)
    if not credentials and not items and not uploads:
        raise InvalidInput(
            gettext("Bring at least one credential, file or piece of evidence."),
            field="credentials",
        )
    for _ in credentials:
        check_verification_rate(address=f"user:{actor.pk}")
    verified = [_verified(submission, index) for index, submission in enumerate(credentials)]
    with transaction.atomic():
        request = RecognitionRequest.objects.create(
            learner=actor,
            organisation=version.microcredential.organisation,
            version=version,
            statement=statement,
            learning_setting=learning_setting,
            evidence=items,
            submitted_at=now,
        )
        for position, credential in enumerate(verified):
            credential.request = request
            credential.position = position
            credential.save()
        stored = _store_files(request, uploads, now=now)
        record_event(
            actor=actor,
            action="recognition.apply",
            organisation=request.organisation,
            target=request,
            data={
                "request": str(request.uuid),
                "version": str(version.achievement_uuid),
                "credentials": [
                    {"id": item.credential_id, "verified": item.verified} for item in verified
                ],
                "files": [str(item.uuid) for item in stored],
            },
            now=now,
        )
    return request


@dataclass(frozen=True)
class _Upload:
    """A file that passed the checks: its bytes, its type by content, the learner's name."""

    content: bytes
    content_type: str
    filename: str


def _checked_files(files: Sequence[File], *, already: int) -> list[_Upload]:
    """Check each file by content before anything is stored; raise naming ``files[i]``."""
    files = list(files)
    if already + len(files) > MAX_EVIDENCE_FILES:
        raise InvalidInput(
            (
                gettext("At most %(count)s files per request; this one has %(already)s already.")
                if already
                else gettext("At most %(count)s files per request.")
            )
            % {"count": MAX_EVIDENCE_FILES, "already": already},
            code="recognition.too_many_files",
            field="files",
        )
    uploads = []
    for index, file in enumerate(files):
        content, content_type, filename = check_upload(
            file,
            allowed_types=EVIDENCE_FILE_TYPES,
            max_bytes=MAX_EVIDENCE_FILE_BYTES,
            field=f"files[{index}]",
        )
        uploads.append(_Upload(content, content_type, filename))
    return uploads


def _store_files(
    request: RecognitionRequest, uploads: list[_Upload], *, now: datetime
) -> list[EvidenceFile]:
    """Save checked files under random names in the evidence storage (ADR 0004)."""
    stored = []
    for upload in uploads:
        item = EvidenceFile(
            request=request,
            filename=upload.filename,
            content_type=upload.content_type,
            size=len(upload.content),
            uploaded_at=now,
        )
        extension = FILE_TYPES[upload.content_type][0]
        item.file.save(f"{uuid.uuid4().hex}{extension}", ContentFile(upload.content), save=False)
        item.save()
        stored.append(item)
    return stored


def attach_evidence_files(
    *,
    actor: User,
    request: RecognitionRequest,
    files: Sequence[File],
    now: datetime | None = None,
) -> list[EvidenceFile]:
    """Attach more files to the learner's own request while it waits for an evaluator.

    Only the learner who made the request attaches files, and only while no proposal is
    on it (a returned proposal puts it back in the queue): evaluators decide on what they
    saw. Anyone else is told the request does not exist, as for reading it.
    """
    now = now or timezone.now()
    if getattr(actor, "pk", None) != request.learner_id:
        raise NotFound(f"No recognition request {request.uuid}.", field="request")
    if not files:
        raise InvalidInput(gettext("Choose a file to attach."), field="files")
    with transaction.atomic():
        locked = RecognitionRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status != RequestStatus.SUBMITTED:
            raise Conflict(
                gettext(
                    "An evaluator has proposed a decision on this request; files can be added "
                    "only while it waits for one."
                ),
                code="recognition.wrong_status",
                data={"status": locked.status},
            )
        uploads = _checked_files(files, already=locked.files.count())
        stored = _store_files(locked, uploads, now=now)
        record_event(
            actor=actor,
            action="recognition.attach",
            organisation=locked.organisation,
            target=locked,
            data={"request": str(locked.uuid), "files": [str(item.uuid) for item in stored]},
            now=now,
        )
    return stored


def access_evidence_file(actor: Any, request_uuid: Any, file_uuid: Any) -> EvidenceFile:
    """Return a file of a request to its learner or an evaluator of its organisation.

    Anyone else, and a file of another request, is told it does not exist, so guessing
    ids reveals nothing.
    """
    request = access_request(actor, request_uuid)
    try:
        return request.files.get(uuid=uuid.UUID(str(file_uuid)))
    except (ValueError, EvidenceFile.DoesNotExist):
        raise NotFound(f"No file {file_uuid} in this request.", field="file") from None


def open_evidence_file(item: EvidenceFile) -> File:
    """Open an attached file for reading (call :func:`access_evidence_file` first)."""
    return item.file.storage.open(item.file.name, "rb")


def _verified(submission: Submission, index: int) -> SubmittedCredential:
    """Verify one submitted credential and return it, unsaved, with what verification found."""
    path = f"credentials[{index}]"
    if not submission.data.strip():
        raise InvalidInput(gettext("%(path)s is empty.") % {"path": path}, field=path)
    try:
        reports = verify_payload(data=submission.data, source=submission.source)
    except VCError as error:
        raise InvalidInput(
            gettext("%(path)s could not be read: %(error)s") % {"path": path, "error": error},
            code="recognition.unreadable",
            field=path,
        ) from None
    if not reports:
        raise InvalidInput(gettext("%(path)s holds no credential.") % {"path": path}, field=path)
    first = reports[0]
    document = first.credential if isinstance(first.credential, dict) else {}
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") if isinstance(subject, dict) else None
    results = subject.get("result") if isinstance(subject, dict) else None
    verified = all(report.verified for report in reports)
    return SubmittedCredential(
        data=submission.data,
        source=clean_text(submission.source, f"{path}.source", limit=300),
        verified=verified,
        summary=first.summary[:500],
        reports=[report.as_dict() for report in reports],
        credential_id=str(document.get("id") or "")[:500],
        issuer_id=str(first.issuer or "")[:500],
        issuer_name=str(first.issuer_name or "")[:300],
        name=str(first.name or (achievement or {}).get("name") or "")[:300],
        achievement=achievement if isinstance(achievement, dict) else {},
        results=results if isinstance(results, list) else [],
        valid_from=str(document.get("validFrom") or document.get("issuanceDate") or "")[:40],
    )


def _evidence(evidence: list[dict[str, Any]] | None) -> list[dict[str, str]]:
    """Return other evidence as ``{"url", "text"}`` items, each with a web address or a text."""
    if evidence is None:
        return []
    if not isinstance(evidence, list):
        raise InvalidInput("evidence must be a list.", field="evidence")
    if len(evidence) > MAX_EVIDENCE:
        raise InvalidInput(
            gettext("At most %(count)s pieces of evidence.") % {"count": MAX_EVIDENCE},
            field="evidence",
        )
    items = []
    for index, item in enumerate(evidence):
        path = f"evidence[{index}]"
        if not isinstance(item, dict):
            raise InvalidInput(f"{path} must be an object with a url and/or a text.", field=path)
        url = clean_text(item.get("url"), f"{path}.url", limit=500)
        text = clean_text(item.get("text"), f"{path}.text", limit=MAX_STATEMENT)
        if url:
            try:
                URLValidator(schemes=["https", "http"])(url)
            except ValidationError:
                raise InvalidInput(
                    gettext("%(path)s.url must be a web address (https://...).") % {"path": path},
                    field=f"{path}.url",
                ) from None
        if not url and not text:
            raise InvalidInput(f"{path} needs a url or a text.", field=path)
        items.append({"url": url, "text": text})
    return items


# -- reading requests ------------------------------------------------------------------------


def _requests() -> QuerySet[RecognitionRequest]:
    return RecognitionRequest.objects.select_related(
        "learner", "organisation", "version__microcredential__organisation", "award"
    ).prefetch_related("credentials", "files")


def get_learner_requests(user: Any) -> list[RecognitionRequest]:
    """Return the requests ``user`` made, newest first."""
    return list(_requests().filter(learner=user))


def access_evaluating(actor: User, organisation_slug: str) -> Organisation:
    """Return the organisation if ``actor`` may evaluate its recognition requests."""
    return organisations.access_organisation(actor, organisation_slug, roles=EVALUATORS)


def can_evaluate(actor: User, organisation: Organisation) -> bool:
    try:
        access_evaluating(actor, organisation.slug)
    except (NotFound, Forbidden):
        return False
    return True


def get_queue(*, actor: User, organisation_slug: str) -> dict[str, list[RecognitionRequest]]:
    """Return the organisation's requests by status, oldest first, for its evaluators."""
    organisation = access_evaluating(actor, organisation_slug)
    requests = _requests().filter(organisation=organisation).order_by("submitted_at")
    return {status: [r for r in requests if r.status == status] for status in RequestStatus.values}


def access_request(actor: User, request_uuid: Any) -> RecognitionRequest:
    """Return a request to the learner who made it or to an evaluator of its organisation."""
    try:
        request = _requests().get(uuid=request_uuid)
    except (RecognitionRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound(f"No recognition request {request_uuid}.", field="request") from None
    if getattr(actor, "pk", None) == request.learner_id:
        return request
    try:
        access_evaluating(actor, request.organisation.slug)
    except NotFound:
        raise NotFound(f"No recognition request {request_uuid}.", field="request") from None
    return request


def access_own_request(actor: Any, request_uuid: Any) -> RecognitionRequest:
    """Return a request to the learner who made it; anyone else is told it does not exist."""
    try:
        return _requests().get(uuid=request_uuid, learner_id=getattr(actor, "pk", None))
    except (RecognitionRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound(f"No recognition request {request_uuid}.", field="request") from None


def get_request(organisation_slug: str, request_uuid: Any) -> RecognitionRequest:
    """Return a request made to ``organisation_slug`` for the action that authorises it."""
    try:
        return _requests().get(uuid=request_uuid, organisation__slug=organisation_slug)
    except (RecognitionRequest.DoesNotExist, ValueError, ValidationError):
        raise NotFound(f"No recognition request {request_uuid}.", field="request") from None


def get_comparison(request: RecognitionRequest) -> dict[str, Any]:
    """Return what an evaluator compares: the version's outcomes, level and workload beside
    each submitted credential's achievement (name, description, criteria, level, credits,
    results) as the signed credential states it."""
    version = request.version
    return {
        "version": {
            "title": version.title,
            "outcomes": [outcome.text for outcome in catalogue.get_outcomes(version)],
            "eqf_level": version.eqf_level,
            "workload_hours": version.workload_hours,
            "credits": [(row.system, row.value) for row in catalogue.get_credit_values(version)],
            "criteria": version.criteria,
        },
        "credentials": [
            {"credential": credential, **_achievement_facts(credential.achievement)}
            for credential in request.credentials.all()
        ],
    }


def _achievement_facts(achievement: dict[str, Any]) -> dict[str, Any]:
    """Return an OB 3.0 achievement's name, description, criteria, level, credits and skills.

    A level is an alignment to a qualifications framework (EQF or a national one), credits
    are ``creditsAvailable`` (OB 3.0 names no system) or an alignment to a credit system,
    skills the other alignments (ESCO and the like).
    """
    criteria = achievement.get("criteria") or {}
    levels, credits, skills = [], [], []
    if achievement.get("creditsAvailable") is not None:
        credits.append(f"{achievement['creditsAvailable']} credits (creditsAvailable)")
    for item in achievement.get("alignment") or []:
        if not isinstance(item, dict):
            continue
        framework = str(item.get("targetFramework") or "")
        label = f"{item.get('targetName') or item.get('targetUrl')} ({framework or 'no framework'})"
        if any(word in framework.lower() for word in LEVEL_FRAMEWORK_WORDS):
            levels.append(label)
        elif framework.lower() in CREDIT_SYSTEM_NAMES or "credit" in framework.lower():
            credits.append(label)
        else:
            skills.append(label)
    return {
        "name": achievement.get("name") or "",
        "description": achievement.get("description") or "",
        "criteria": criteria.get("narrative") or criteria.get("id") or "",
        "levels": levels,
        "credits": credits,
        "skills": skills,
        "field": achievement.get("fieldOfStudy") or "",
    }


# -- deciding --------------------------------------------------------------------------------


def propose_decision(
    *,
    actor: User,
    request: RecognitionRequest,
    decision: str,
    reasons: str,
    credit_value: Decimal | str | float | None = None,
    credit_system: str = "",
    now: datetime | None = None,
) -> RecognitionRequest:
    """Record an evaluator's proposal: full recognition, partial (credits), or refusal.

    A second evaluator confirms it or returns it (:func:`decide_recognition`). Reasons are
    required; partial recognition names the credits granted toward the version.
    """
    now = now or timezone.now()
    organisation = access_evaluating(actor, request.organisation.slug)
    if decision not in Decision.values:
        raise InvalidInput(
            f"decision must be one of {', '.join(Decision.values)}.", field="decision"
        )
    reasons = clean_text(reasons, "reasons", limit=MAX_REASONS)
    if not reasons:
        raise InvalidInput(
            gettext("Give the reasons for the decision; the learner reads them."),
            field="reasons",
        )
    value, system = _credits(decision, credit_value, credit_system)
    with transaction.atomic():
        locked = RecognitionRequest.objects.select_for_update().get(pk=request.pk)
        _check_status(locked, RequestStatus.SUBMITTED)
        _not_own(actor, locked)
        locked.status = RequestStatus.PROPOSED
        locked.decision, locked.reasons = decision, reasons
        locked.credit_value, locked.credit_system = value, system
        locked.proposed_by, locked.proposed_at = actor, now
        locked.save()
        record_event(
            actor=actor,
            action="recognition.propose",
            organisation=organisation,
            target=locked,
            data=_decision_data(locked),
            now=now,
        )
    return locked


def decide_recognition(
    *,
    actor: User,
    request: RecognitionRequest,
    confirm: bool,
    note: str = "",
    now: datetime | None = None,
) -> RecognitionRequest:
    """Confirm another evaluator's proposal, or return it with a note (four eyes).

    The evaluator who proposed may not confirm. Confirming a full recognition issues the
    award of the version in the same transaction: a decided full recognition always has its
    award, and a signing failure leaves the proposal waiting, to be confirmed again. The
    learner is told by email once the decision is committed.
    """
    now = now or timezone.now()
    organisation = access_evaluating(actor, request.organisation.slug)
    note = clean_text(note, "note", limit=MAX_REASONS)
    if not confirm and not note:
        raise InvalidInput(gettext("Say why the proposal goes back."), field="note")
    with transaction.atomic():
        locked = RecognitionRequest.objects.select_for_update().get(pk=request.pk)
        _check_status(locked, RequestStatus.PROPOSED)
        _not_own(actor, locked)
        if getattr(actor, "pk", None) == locked.proposed_by_id:
            raise Forbidden(
                gettext(
                    "You proposed this decision; another evaluator must confirm it (four eyes)."
                ),
                code="recognition.four_eyes",
            )
        if not confirm:
            data = {**_decision_data(locked), "note": note}
            locked.status = RequestStatus.SUBMITTED
            locked.return_note = note
            locked.decision, locked.reasons = "", ""
            locked.credit_value, locked.credit_system = None, ""
            locked.proposed_by, locked.proposed_at = None, None
            locked.save()
            record_event(
                actor=actor,
                action="recognition.return",
                organisation=organisation,
                target=locked,
                data=data,
                now=now,
            )
            return locked
        locked.status = RequestStatus.DECIDED
        locked.decided_by, locked.decided_at = actor, now
        if locked.decision == Decision.FULL:
            locked.award = awards.issue_decided_award(_decided_award(locked, actor), now=now)
        locked.save()
        record_event(
            actor=actor,
            action="recognition.decide",
            organisation=organisation,
            target=locked,
            data={
                **_decision_data(locked),
                **({"award": str(locked.award.uuid)} if locked.award else {}),
            },
            now=now,
        )
        transaction.on_commit(lambda: _notify_learner(locked))
    return locked


def _credits(
    decision: str, value: Decimal | str | float | None, system: str
) -> tuple[Decimal | None, str]:
    if decision != Decision.PARTIAL:
        return None, ""
    try:
        amount = Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount > 1000:
        raise InvalidInput(
            gettext("Partial recognition grants credits: give a number above 0 (at most 1000)."),
            field="credit_value",
        )
    if system not in SYSTEMS:
        raise InvalidInput(
            gettext("credit_system must be one of %(systems)s.") % {"systems": ", ".join(SYSTEMS)},
            field="credit_system",
        )
    return amount.quantize(Decimal("0.01")), system


def _check_status(request: RecognitionRequest, wanted: str) -> None:
    if request.status != wanted:
        raise Conflict(
            (
                gettext("This request is %(status)s; it cannot be proposed now.")
                if wanted == RequestStatus.SUBMITTED
                else gettext("This request is %(status)s; it cannot be decided now.")
            )
            % {"status": request.get_status_display().lower()},
            code="recognition.wrong_status",
            data={"status": request.status},
        )


def _not_own(actor: User, request: RecognitionRequest) -> None:
    if getattr(actor, "pk", None) == request.learner_id:
        raise Forbidden(
            gettext("This is your own request; other evaluators decide it."),
            code="recognition.own_request",
        )


def _decision_data(request: RecognitionRequest) -> dict[str, Any]:
    return {
        "request": str(request.uuid),
        "version": str(request.version.achievement_uuid),
        "decision": request.decision,
        "reasons": request.reasons,
        **(
            {"credits": {request.credit_system: str(request.credit_value)}}
            if request.credit_value is not None
            else {}
        ),
    }


def _decided_award(request: RecognitionRequest, actor: User) -> awards.DecidedAward:
    """Return the award a full recognition calls for: granted through recognition, in the
    learning setting the learner stated, with evidence naming each submitted credential."""
    evidence = [
        {
            "name": credential.name or f"Submitted credential {credential.position + 1}",
            "narrative": (
                f"Credential {credential.credential_id or credential.source}"
                + (
                    f" issued by {credential.issuer_name or credential.issuer_id}"
                    if credential.issuer_id
                    else ""
                )
                + (
                    ", verified on submission."
                    if credential.verified
                    else ", not verified on submission."
                )
            ),
        }
        for credential in request.credentials.all()
    ]
    evidence += [
        {"id": item["url"], **({"narrative": item["text"]} if item["text"] else {})}
        if item["url"]
        else {"narrative": item["text"]}
        for item in request.evidence
    ]
    return awards.DecidedAward(
        decision=f"recognition:{request.uuid}",
        version=request.version,
        learner=request.learner,
        learner_name=request.learner.get_full_name() or request.learner.username,
        decided_by=actor,
        results=[],
        score=None,
        evidence=evidence,
        narrative=f"Granted through recognition of prior learning: {request.reasons}",
        idempotency_key=f"recognition:{request.uuid}",
        granted_through="recognition",
        learning_setting=request.learning_setting,
    )


def _notify_learner(request: RecognitionRequest) -> None:
    if not request.learner.email:
        return
    send_mail(
        subject=gettext("Your recognition request: %(title)s") % {"title": request.version.title},
        message=render_to_string(
            "recognition/email/decided.txt",
            {
                "request": request,
                "award_url": awards.credential_url(request.award) if request.award else "",
            },
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[request.learner.email],
    )


def get_granted_credits(learner: Any, version: Any) -> dict[str, float]:
    """Return the credits granted to ``learner`` toward ``version`` by partial recognition,
    by credit system (decided requests only)."""
    granted: dict[str, float] = {}
    for request in RecognitionRequest.objects.filter(
        learner=learner,
        version=version,
        status=RequestStatus.DECIDED,
        decision=Decision.PARTIAL,
    ):
        if request.credit_value is None:  # a partial decision records its credits
            raise ValueError(f"Recognition request {request.uuid} granted no credits.")
        granted[request.credit_system] = granted.get(request.credit_system, 0.0) + float(
            request.credit_value
        )
    return granted


# -- transfer values -------------------------------------------------------------------------


def create_transfer_value(
    *,
    actor: User,
    organisation_slug: str,
    target_version: Any,
    source_version: Any = None,
    source_achievement: str = "",
    source_issuer: str = "",
    source_type: str = "",
    source_name: str = "",
    credits: dict[str, Any] | None = None,
    component: str = "",
    description: str = "",
    published: bool = True,
    now: datetime | None = None,
) -> TransferValue:
    """Publish (or keep as a draft) that a source achievement counts toward ``target_version``.

    The source is a version of this platform or an external achievement named by its id
    (and issuer, type and name). It counts for ``credits`` (``{system: value}``) and/or as
    the pathway component ``component``; an evaluator of the organisation that owns the
    target version sets it.
    """
    now = now or timezone.now()
    organisation = access_evaluating(actor, organisation_slug)
    if target_version.microcredential.organisation_id != organisation.pk:
        raise InvalidInput(
            gettext("%(version)s is not a version of %(organisation)s.")
            % {"version": target_version, "organisation": organisation.name},
            field="target_version",
        )
    if target_version.status != "published":
        raise InvalidInput(
            gettext("%(version)s is not published.") % {"version": target_version},
            field="target_version",
        )
    if source_version is not None:
        source_achievement = catalogue.achievement_id(source_version)
        source_issuer = organisations.organisation_did(source_version.microcredential.organisation)
        source_type = source_version.achievement_type
        source_name = source_version.title
    source_achievement = clean_text(
        source_achievement, "source_achievement", required=True, limit=500
    )
    try:
        URLValidator(schemes=["https", "http", "urn", "did"])(source_achievement)
    except ValidationError:
        if not source_achievement.startswith(("urn:", "did:")):
            raise InvalidInput(
                gettext("source_achievement must be the achievement's id: a URL, a URN or a DID."),
                field="source_achievement",
            ) from None
    values = _credit_values(credits)
    component = clean_text(component, "component", limit=100)
    if not values and not component:
        raise InvalidInput(
            gettext("A transfer value counts for credits, as a component, or both: give one."),
            field="credits",
        )
    with transaction.atomic():
        transfer = TransferValue.objects.create(
            organisation=organisation,
            source_version=source_version,
            source_achievement=source_achievement,
            source_issuer=clean_text(source_issuer, "source_issuer", limit=500),
            source_type=clean_text(source_type, "source_type", limit=100),
            source_name=clean_text(source_name, "source_name", required=True, limit=300),
            target_version=target_version,
            credits=values,
            component=component,
            description=clean_text(description, "description", limit=MAX_STATEMENT),
            published=published,
            created_by=actor,
            created_at=now,
        )
        record_event(
            actor=actor,
            action="recognition.transfer_value",
            organisation=organisation,
            target=transfer,
            data={
                "transferValue": str(transfer.uuid),
                "source": transfer.source_achievement,
                "target": str(target_version.achievement_uuid),
                "credits": values,
                "component": component,
                "published": published,
            },
            now=now,
        )
    return transfer


def _credit_values(credits: dict[str, Any] | None) -> dict[str, float]:
    if credits is None:
        return {}
    if not isinstance(credits, dict):
        raise InvalidInput("credits must be an object {system: value}.", field="credits")
    values = {}
    for system, value in credits.items():
        if system not in SYSTEMS:
            raise InvalidInput(
                gettext("Unknown credit system %(system)s; use one of %(systems)s.")
                % {"system": repr(system), "systems": ", ".join(SYSTEMS)},
                field=f"credits.{system}",
            )
        try:
            amount = float(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            amount = -1.0
        if not 0 < amount <= 1000:
            raise InvalidInput(
                gettext("credits.%(system)s must be a number above 0 (at most 1000).")
                % {"system": system},
                field=f"credits.{system}",
            )
        values[system] = amount
    return values


def get_transfer_value_records(
    *, target_version: Any = None, organisation: Organisation | None = None
) -> QuerySet[TransferValue]:
    """Return the published transfer values, of ``organisation`` and/or toward
    ``target_version`` when given, for pages and exports."""
    values = TransferValue.objects.filter(published=True).select_related(
        "organisation", "target_version__microcredential__organisation", "source_version"
    )
    if target_version is not None:
        values = values.filter(target_version=target_version)
    if organisation is not None:
        values = values.filter(organisation=organisation)
    return values


def get_transfer_values(
    *, target_version: Any = None, organisation: Organisation | None = None
) -> list[pathways.TransferValue]:
    """Return the published transfer values as the pathway engine reads them."""
    return [
        _engine_value(value)
        for value in get_transfer_value_records(
            target_version=target_version, organisation=organisation
        )
    ]


def _engine_value(value: TransferValue) -> pathways.TransferValue:
    return pathways.TransferValue(
        achievement=value.source_achievement,
        issuer=value.source_issuer or None,
        counts_as=(value.component,) if value.component else (),
        credits=dict(value.credits),
    )


def get_transfer_value_document(organisation_slug: str) -> dict[str, Any]:
    """Return the organisation's published transfer values as one CTDL graph of
    ``ceterms:TransferValueProfile`` resources (public, for registries)."""
    organisation = organisations.get_organisation(organisation_slug)
    url = public_urls.absolute(reverse("recognition:ctdl", kwargs={"org": organisation.slug}))
    resources = [
        resource
        for value in get_transfer_value_records(organisation=organisation)
        for resource in _profile(value)["@graph"]
    ]
    return ctdl.graph(url, resources)


def get_transfer_value_profile(organisation_slug: str, value_uuid: Any) -> dict[str, Any]:
    """Return one published transfer value as a CTDL graph (its profile's own document)."""
    try:
        value = get_transfer_value_records().get(
            organisation__slug=organisation_slug, uuid=value_uuid
        )
    except (TransferValue.DoesNotExist, ValueError, ValidationError):
        raise NotFound(f"No transfer value {value_uuid}.", field="transfer_value") from None
    return _profile(value)


def _profile(value: TransferValue) -> dict[str, Any]:
    target = value.target_version
    url = public_urls.absolute(
        reverse(
            "recognition:ctdl-profile",
            kwargs={"org": value.organisation.slug, "uuid": value.uuid},
        )
    )
    return ctdl.transfer_value_profile(
        url=url,
        name=f"{value.source_name} toward {target.title}",
        transfer=_engine_value(value),
        source=ctdl.Reference(value.source_achievement, value.source_name),
        targets=[ctdl.Reference(catalogue.achievement_id(target), target.title)],
        owner=public_urls.profile_url(value.organisation.slug),
        description=value.description or None,
        start=value.created_at.date(),
    )


@dataclass(frozen=True)
class Worth:
    """One of the learner's credentials that counts at an organisation, and for what."""

    credential: str
    name: str
    transfer_value: TransferValue


def get_credential_worth(user: Any) -> list[tuple[Organisation, list[Worth]]]:
    """Return, for each organisation that publishes transfer values, which of ``user``'s
    credentials count there and for what (organisations where none counts included, empty).

    The learner's credentials are their awards on this platform and the verified
    credentials they submitted for recognition.
    """
    held = _held_credentials(user)
    records = list(get_transfer_value_records())
    by_organisation: dict[int, tuple[Organisation, list[Worth]]] = {}
    for record in records:
        entry = by_organisation.setdefault(record.organisation_id, (record.organisation, []))
        rule = pathways.TransferValue(
            achievement=record.source_achievement, issuer=record.source_issuer or None
        )
        entry[1].extend(
            Worth(credential=url, name=credential.name, transfer_value=record)
            for url, credential in held
            if rule.matches(credential)
        )
    return sorted(by_organisation.values(), key=lambda item: item[0].name)


def _held_credentials(user: Any) -> list[tuple[str, pathways.HeldCredential]]:
    """Return ``(link, credential)`` for each credential of ``user`` that a transfer value
    may match."""
    held = []
    for award in awards.get_learner_awards(user):
        if award.status != "active":
            continue
        held.append(
            (
                awards.credential_url(award),
                pathways.HeldCredential(
                    id=awards.credential_url(award),
                    achievement_id=catalogue.achievement_id(award.version),
                    issuer_id=organisations.organisation_did(award.organisation),
                    name=award.version.title,
                    awarded=award.issued_at.date(),
                ),
            )
        )
    submitted = SubmittedCredential.objects.filter(
        request__learner=user, verified=True
    ).select_related("request")
    seen = set()
    for credential in submitted:
        achievement_id = str(credential.achievement.get("id") or "")
        key = (credential.credential_id, achievement_id)
        if not achievement_id or key in seen:
            continue
        seen.add(key)
        held.append(
            (
                reverse("recognition:request", kwargs={"uuid": credential.request.uuid}),
                pathways.HeldCredential(
                    id=credential.credential_id,
                    achievement_id=achievement_id,
                    issuer_id=credential.issuer_id,
                    name=credential.name,
                    awarded=_date(credential.valid_from),
                ),
            )
        )
    return held


def _date(text: str) -> date:
    """Return the date a credential states (``validFrom``), today when it states none."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return timezone.now().date()


# -- grading tables --------------------------------------------------------------------------


def create_grading_table(
    *,
    actor: User,
    organisation_slug: str,
    field_of_study: str,
    grading_system: str,
    grades: list[Any],
    now: datetime | None = None,
) -> GradingTable:
    """Publish the distribution of the organisation's passing grades in one field, best grade
    first (``[[grade, percentage], ...]``), replacing the table of that field and system.

    Checked as :class:`microcred.frameworks.grades.GradingTable` checks it: percentages add
    up to 100 within rounding, no grade twice.
    """
    now = now or timezone.now()
    organisation = access_evaluating(actor, organisation_slug)
    table = _table(
        clean_text(grading_system, "grading_system", required=True, limit=200),
        clean_text(field_of_study, "field_of_study", required=True, limit=200),
        grades,
    )
    with transaction.atomic():
        record, _ = GradingTable.objects.update_or_create(
            organisation=organisation,
            field_of_study=table.field,
            grading_system=table.system,
            defaults={
                "grades": [list(pair) for pair in table.grades],
                "published": True,
                "created_by": actor,
                "created_at": now,
            },
        )
        record_event(
            actor=actor,
            action="recognition.grading_table",
            organisation=organisation,
            target=record,
            data={"field": table.field, "system": table.system, "grades": record.grades},
            now=now,
        )
    return record


def _table(system: str, field: str, pairs: Any) -> grades.GradingTable:
    if not isinstance(pairs, list):
        raise InvalidInput("grades must be a list of [grade, percentage] pairs.", field="grades")
    return grades.GradingTable(system=system, field=field, grades=tuple(pairs))


def get_grading_tables() -> list[GradingTable]:
    """Return the published grading tables of every organisation."""
    return list(GradingTable.objects.filter(published=True).select_related("organisation"))


def convert_grade(*, source: Any, target: Any, grade: str) -> grades.Conversion:
    """Convert ``grade`` of the published table ``source`` to the table ``target`` (UUIDs) by
    matching percentile bands (the ECTS grading-table method)."""
    tables = []
    for name, reference in (("source", source), ("target", target)):
        try:
            record = GradingTable.objects.get(uuid=reference, published=True)
        except (GradingTable.DoesNotExist, ValueError, ValidationError):
            raise NotFound(
                gettext("No published grading table %(table)s.") % {"table": reference},
                field=name,
            ) from None
        tables.append(_table(record.grading_system, record.field_of_study, record.grades))
    grade = clean_text(grade, "grade", required=True, limit=50)
    return grades.convert(grade, tables[0], tables[1])
