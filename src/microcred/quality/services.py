"""Quality assurance of micro-credential versions: automatic checks, human review, vetting.

A draft version is submitted; the quality profiles its organisation must
meet (its own choice plus the platform's required ones) are checked at once,
and any blocking error returns it. Otherwise a QA reviewer of the
organisation who did not write it reviews it (four eyes), optionally a QA
agency invited to that version reviews it too, and an approved review lets
the catalogue publish it (:func:`check_publishable`). ``submit_*``,
``decide_*``, ``invite_*``, ``update_*`` and ``vet_*`` act (authorise,
validate, change and audit in one transaction); ``access_*`` fetch and
authorise; ``get_*`` only read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from microcred.accounts.services import User, check_platform_admin
from microcred.audit.services import record_event
from microcred.catalogue import services as catalogue
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.frameworks import quality as rules
from microcred.inputs import clean_text
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, OrganisationType, Role
from microcred.quality.models import (
    QAReview,
    QualitySettings,
    ReviewStatus,
    status_in_sentence,
)

__all__ = [
    "BLOCKING",
    "REVIEW_ROLES",
    "access_review",
    "check_editable",
    "check_publishable",
    "check_specification",
    "decide_review",
    "get_checklist",
    "get_draft_findings",
    "get_findings",
    "get_latest_review",
    "get_profiles_for",
    "get_quality_settings",
    "get_quality_status",
    "get_review_queue",
    "get_reviews",
    "get_reviews_due",
    "invite_external_review",
    "mark_published",
    "notify_reviews_due",
    "required_profiles",
    "submit_version",
    "update_quality_settings",
    "vet_organisation",
]

REVIEW_ROLES = (Role.QA_REVIEWER,)
SUBMIT_ROLES = (Role.DESIGNER,)
BLOCKING = "error"
MAX_NOTE = 5000
DEFAULT_REQUIRED_PROFILES = ("eu-annex-i", "coherence")
ACCREDITATION_KEYS = ("name", "body", "url", "valid_until")
OPEN_STATUSES = (ReviewStatus.INTERNAL_REVIEW, ReviewStatus.EXTERNAL_REVIEW)


# -- organisation settings and vetting -------------------------------------------------------


def get_quality_settings(organisation: Organisation) -> QualitySettings:
    """Return the organisation's quality settings (unsaved defaults when it has none)."""
    found = QualitySettings.objects.filter(organisation=organisation).first()
    return found or QualitySettings(organisation=organisation)


def required_profiles() -> list[str]:
    """Return the profiles the platform requires of every organisation (setting
    ``REQUIRED_QA_PROFILES``, from the environment's ``MICROCRED_REQUIRED_QA_PROFILES``)."""
    return list(getattr(settings, "REQUIRED_QA_PROFILES", DEFAULT_REQUIRED_PROFILES))


def get_profiles_for(organisation: Organisation) -> list[str]:
    """Return the ids of the profiles an organisation's versions must meet, platform's first."""
    chosen = required_profiles()
    for profile in get_quality_settings(organisation).profiles:
        if profile not in chosen:
            chosen.append(profile)
    return chosen


def update_quality_settings(
    *,
    actor: User,
    organisation: Organisation,
    profiles: list[str] | None = None,
    qa_process: str | None = None,
    accreditations: list[Mapping[str, Any]] | None = None,
) -> QualitySettings:
    """Choose the profiles an organisation's versions must meet (beyond the platform's), and
    describe its QA process and accreditations, which its public quality page shows (owner)."""
    organisations.access_organisation(actor, organisation.slug, roles=(Role.OWNER,))
    changes: dict[str, Any] = {}
    if profiles is not None:
        changes["profiles"] = _clean_profiles(profiles)
    if qa_process is not None:
        changes["qa_process"] = clean_text(qa_process, "qa_process", limit=MAX_NOTE)
    if accreditations is not None:
        changes["accreditations"] = _clean_accreditations(accreditations)
    with transaction.atomic():
        row, _ = QualitySettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        for name, value in changes.items():
            setattr(row, name, value)
        row.save()
        record_event(
            actor=actor,
            action="qa.settings",
            organisation=organisation,
            target=organisation,
            data={"changed": sorted(changes), "profiles": row.profiles},
        )
    return row


def _clean_profiles(profiles: Any) -> list[str]:
    if not isinstance(profiles, list) or not all(isinstance(p, str) for p in profiles):
        raise InvalidInput("profiles must be a list of profile ids.", field="profiles")
    for index, profile in enumerate(profiles):
        if profile not in rules.PROFILES:
            raise InvalidInput(
                gettext("There is no quality profile %(profile)s.") % {"profile": repr(profile)},
                field=f"profiles[{index}]",
                data={"profiles": list(rules.PROFILES)},
            )
    return list(dict.fromkeys(profiles))


def _clean_accreditations(accreditations: Any) -> list[dict[str, str]]:
    if not isinstance(accreditations, list):
        raise InvalidInput("accreditations must be a list.", field="accreditations")
    cleaned = []
    for index, given in enumerate(accreditations):
        field = f"accreditations[{index}]"
        if not isinstance(given, Mapping):
            raise InvalidInput(
                f"An accreditation has {', '.join(ACCREDITATION_KEYS)}.", field=field
            )
        if unknown := sorted(set(given) - set(ACCREDITATION_KEYS)):
            raise InvalidInput(f"Unknown key {unknown[0]!r}.", field=f"{field}.{unknown[0]}")
        item = {
            key: clean_text(given.get(key), f"{field}.{key}", limit=MAX_NOTE)
            for key in ACCREDITATION_KEYS
        }
        if not item["name"]:
            raise InvalidInput(gettext("An accreditation needs its name."), field=f"{field}.name")
        if not item["body"]:
            raise InvalidInput(gettext("An accreditation needs its body."), field=f"{field}.body")
        if item["url"] and not item["url"].startswith(("https://", "http://")):
            raise InvalidInput(
                gettext("The address must start with https://."), field=f"{field}.url"
            )
        if item["valid_until"]:
            try:
                date.fromisoformat(item["valid_until"])
            except ValueError:
                raise InvalidInput(
                    gettext("Give the date as YYYY-MM-DD."), field=f"{field}.valid_until"
                ) from None
        cleaned.append(item)
    return cleaned


def vet_organisation(
    *,
    actor: User,
    organisation: Organisation,
    track_record: str,
    subject_expertise: str,
    audience: str,
    terms_agreed: bool,
    now: datetime | None = None,
) -> QualitySettings:
    """Record a platform admin's vetting of an issuer; only a vetted issuer may publish."""
    check_platform_admin(actor, gettext("vet organisations"))
    answers = {
        "track_record": track_record,
        "subject_expertise": subject_expertise,
        "audience": audience,
    }
    needed = {
        "track_record": gettext("Vetting needs track record."),
        "subject_expertise": gettext("Vetting needs subject expertise."),
        "audience": gettext("Vetting needs audience."),
    }
    for name, value in answers.items():
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(needed[name], field=name)
    if terms_agreed is not True:
        raise InvalidInput(
            gettext("The organisation must agree to the platform's terms."), field="terms_agreed"
        )
    with transaction.atomic():
        row, _ = QualitySettings.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        for name, value in answers.items():
            setattr(row, name, value.strip())
        row.terms_agreed = True
        row.vetted_at = now or timezone.now()
        row.vetted_by = actor
        row.save()
        record_event(actor=actor, action="qa.vet", organisation=organisation, target=organisation)
    return row


# -- automatic checks ------------------------------------------------------------------------


def get_findings(version: Any, *, today: date | None = None) -> list[dict[str, Any]]:
    """Return the findings of the organisation's profiles on a version, as plain dicts."""
    return _check(version, catalogue.get_specification(version), today=today)


def get_draft_findings(
    version: Any, changes: Mapping[str, Any], *, today: date | None = None
) -> list[dict[str, Any]]:
    """Return the findings a draft would have with ``changes`` applied (as
    :func:`~microcred.catalogue.services.update_draft` takes them), saving nothing: the
    designer sees them while editing. Raises naming the field when a change cannot be read."""
    spec = catalogue.get_specification(version)
    spec.update(
        {name: value for name, value in changes.items() if name in spec and name != "image"}
    )
    return _check(version, spec, today=today)


def _check(version: Any, spec: dict[str, Any], *, today: date | None) -> list[dict[str, Any]]:
    findings = rules.check_specification(
        spec,
        profiles=get_profiles_for(version.microcredential.organisation),
        today=today or timezone.localdate(),
    )
    return [finding.as_dict() for finding in findings]


def check_specification(
    data: Any, *, profiles: list[str] | None = None, today: date | None = None
) -> list[dict[str, Any]]:
    """Return the findings on a specification that is not saved (JSON data, as the API and
    ``microcred qa check`` read it) against ``profiles``, the platform's required ones when
    none are given; a specification that cannot be read raises naming the field."""
    chosen = required_profiles() if profiles is None else _clean_profiles(profiles)
    findings = rules.check_specification(data, profiles=chosen, today=today or timezone.localdate())
    return [finding.as_dict() for finding in findings]


def get_checklist(profiles: list[str]) -> list[tuple[str, str]]:
    """Return the human-judged items of ``profiles``, each once, as ``(id, text)``."""
    items: dict[str, str] = {}
    for profile_id in profiles:
        for item_id, text in rules.get_profile(profile_id).checklist:
            items.setdefault(item_id, text)
    return list(items.items())


def _fingerprint(version: Any) -> str:
    spec = catalogue.get_specification(version)
    spec.pop("status", None)
    encoded = json.dumps(spec, sort_keys=True, default=str).encode()
    return hashlib.sha256(encoded).hexdigest()


# -- the workflow ----------------------------------------------------------------------------


def submit_version(
    *, actor: User, version: Any, refuse_blocking: bool = False, now: datetime | None = None
) -> QAReview:
    """Submit a draft for review; return the review.

    The automatic checks run at once: with any blocking error the review is
    returned (status ``returned``, the findings kept) and the version stays an
    editable draft; otherwise it waits for an internal reviewer. Refused with
    :class:`Conflict` while another review of the version is open or approved.

    ``refuse_blocking`` is for a designer who has the findings in front of them (the
    design page): a submission with blocking errors is then refused
    (``qa.blocking_findings``, the findings in ``data``) and nothing is recorded, so it
    does not count as a returned first submission in the issuer's public figures.
    """
    now = now or timezone.now()
    organisation = organisations.access_organisation(
        actor, version.microcredential.organisation.slug, roles=SUBMIT_ROLES
    )
    with transaction.atomic():
        draft = _locked_version(actor, version, roles=SUBMIT_ROLES)
        if draft.status != "draft":
            raise Conflict(
                gettext("Version %(number)s is not a draft; only a draft can be submitted.")
                % {"number": draft.number},
                code="qa.not_draft",
                field="status",
            )
        latest = _latest(draft)
        if latest is not None and latest.status in (*OPEN_STATUSES, ReviewStatus.APPROVED):
            raise Conflict(
                gettext("Version %(number)s is %(status)s already.")
                % {"number": draft.number, "status": status_in_sentence(latest.status)},
                code="qa.already_submitted",
                data={"status": latest.status},
            )
        findings = get_findings(draft, today=now.date())
        blocking = [finding for finding in findings if finding["severity"] == BLOCKING]
        if blocking and refuse_blocking:
            raise Conflict(
                ngettext(
                    "Not submitted: fix the %(count)s blocking finding of the automatic checks "
                    "first.",
                    "Not submitted: fix the %(count)s blocking findings of the automatic checks "
                    "first.",
                    len(blocking),
                )
                % {"count": len(blocking)},
                code="qa.blocking_findings",
                field="findings",
                data={"findings": blocking},
            )
        review = QAReview.objects.create(
            version=draft,
            attempt=(latest.attempt + 1) if latest else 1,
            status=ReviewStatus.RETURNED if blocking else ReviewStatus.INTERNAL_REVIEW,
            profiles=get_profiles_for(organisation),
            findings=findings,
            fingerprint=_fingerprint(draft),
            submitted_by=_user(actor),
            submitted_at=now,
            decided_at=now if blocking else None,
        )
        record_event(
            actor=actor,
            action="qa.submit",
            organisation=organisation,
            target=draft,
            data={**_event_data(review), "blocking": len(blocking)},
        )
        if blocking:
            record_event(
                actor=actor,
                action="qa.return",
                organisation=organisation,
                target=draft,
                data={
                    **_event_data(review),
                    "by": "automatic checks",
                    "rules": [finding["rule_id"] for finding in blocking],
                },
            )
    return review


def invite_external_review(
    *, actor: User, review: QAReview, agency: str, now: datetime | None = None
) -> QAReview:
    """Invite a QA agency (an organisation of type ``qa_agency``) to review this version too."""
    with transaction.atomic():
        locked = _locked_review(actor, review, roles=REVIEW_ROLES)
        if locked.status != ReviewStatus.INTERNAL_REVIEW or locked.reviewed_at is not None:
            raise Conflict(
                gettext("An agency can be invited only while the internal review is open."),
                code="qa.not_in_review",
                data={"status": locked.status},
            )
        try:
            invited = organisations.get_organisation(agency)
        except NotFound:
            raise InvalidInput(
                gettext("No organisation %(agency)s.") % {"agency": repr(agency)}, field="agency"
            ) from None
        if invited.type != OrganisationType.QA_AGENCY:
            raise InvalidInput(
                gettext("%(agency)s is not a quality assurance agency.") % {"agency": invited.name},
                field="agency",
            )
        locked.external_agency = invited
        locked.invited_by = _user(actor)
        locked.invited_at = now or timezone.now()
        locked.save()
        record_event(
            actor=actor,
            action="qa.external_invite",
            organisation=locked.version.microcredential.organisation,
            target=locked.version,
            data={**_event_data(locked), "agency": invited.slug},
        )
    return locked


def decide_review(
    *,
    actor: User,
    review: QAReview,
    decision: str,
    checklist: Mapping[str, Mapping[str, Any]] | None = None,
    comments: Sequence[Mapping[str, str]] | None = None,
    note: str = "",
    now: datetime | None = None,
) -> QAReview:
    """Record a reviewer's decision, ``approve`` or ``return``, with the checklist walked.

    ``checklist`` maps every item id of the review's profiles to ``{"met":
    bool, "note": str}``; ``comments`` are ``{"field", "text"}`` per element.
    In internal review the reviewer is a QA reviewer of the organisation who
    neither created nor submitted the version (four eyes); in external review
    a QA reviewer of the invited agency. Approving needs every item met;
    returning needs a note saying what to change.
    """
    now = now or timezone.now()
    if decision not in ("approve", "return"):
        raise InvalidInput("decision must be 'approve' or 'return'.", field="decision")
    with transaction.atomic():
        locked = _review_for_update(review)
        external = locked.status == ReviewStatus.EXTERNAL_REVIEW
        if locked.status not in OPEN_STATUSES:
            raise Conflict(
                gettext("This review is %(status)s; there is nothing to decide.")
                % {"status": status_in_sentence(locked.status)},
                code="qa.not_in_review",
                data={"status": locked.status},
            )
        _authorise_reviewer(actor, locked, external=external)
        walked = _clean_checklist(
            checklist,
            locked.profiles,
            unmeetable=rules.unmeetable_items(get_findings(locked.version), locked.profiles),
        )
        remarks = _clean_comments(comments)
        note = clean_text(note, "note", limit=MAX_NOTE)
        if decision == "approve" and (unmet := [item["id"] for item in walked if not item["met"]]):
            raise InvalidInput(
                gettext("Approval needs every checklist item met; return it with changes instead."),
                code="qa.checklist_unmet",
                field=f"checklist.{unmet[0]}",
                data={"unmet": unmet},
            )
        if decision == "return" and not note:
            raise InvalidInput(gettext("Say which changes are required."), field="note")
        if external:
            locked.external_reviewer = _user(actor)
            locked.external_reviewed_at = now
            locked.external_checklist, locked.external_comments = walked, remarks
            locked.external_note = note
        else:
            locked.reviewer = _user(actor)
            locked.reviewed_at = now
            locked.checklist, locked.comments, locked.decision_note = walked, remarks, note
        if decision == "return":
            locked.status = ReviewStatus.RETURNED
        elif not external and locked.external_agency_id is not None:
            locked.status = ReviewStatus.EXTERNAL_REVIEW
        else:
            locked.status = ReviewStatus.APPROVED
        if locked.status in (ReviewStatus.RETURNED, ReviewStatus.APPROVED):
            locked.decided_at = now
        locked.save()
        record_event(
            actor=actor,
            action="qa.approve" if decision == "approve" else "qa.return",
            organisation=locked.version.microcredential.organisation,
            target=locked.version,
            data={
                **_event_data(locked),
                "stage": "external" if external else "internal",
                "status": locked.status,
            },
        )
    return locked


def _authorise_reviewer(actor: User, review: QAReview, *, external: bool) -> None:
    version = review.version
    reviewing = review.external_agency if external else version.microcredential.organisation
    assert reviewing is not None, "an external review is one with an invited agency"
    organisations.access_organisation(actor, reviewing.slug, roles=REVIEW_ROLES)
    # An author who also serves the invited agency still may not judge their own work.
    authors = {version.created_by_id, version.microcredential.created_by_id, review.submitted_by_id}
    if getattr(actor, "pk", None) in authors:
        raise Forbidden(
            gettext(
                "You wrote or submitted this version; another QA reviewer must review it "
                "(four eyes)."
            ),
            code="qa.four_eyes",
        )


def _clean_checklist(
    checklist: Mapping[str, Mapping[str, Any]] | None,
    profiles: list[str],
    *,
    unmeetable: Mapping[str, list[str]],
) -> list[dict[str, Any]]:
    given = checklist or {}
    if not isinstance(given, Mapping):
        raise InvalidInput("checklist must map item ids to answers.", field="checklist")
    items = get_checklist(profiles)
    known = {item_id for item_id, _ in items}
    for item_id in given:
        if item_id not in known:
            raise InvalidInput(f"No checklist item {item_id!r}.", field=f"checklist.{item_id}")
    walked = []
    for item_id, text in items:
        answer = given.get(item_id)
        if not isinstance(answer, Mapping) or not isinstance(answer.get("met"), bool):
            raise InvalidInput(
                gettext("Say whether this is met: %(item)s") % {"item": text},
                field=f"checklist.{item_id}",
            )
        if answer["met"] and item_id in unmeetable:
            raise InvalidInput(
                gettext("%(item)s cannot be met while the automatic checks find: %(findings)s")
                % {"item": text, "findings": " ".join(unmeetable[item_id])},
                code="qa.checklist_unmeetable",
                field=f"checklist.{item_id}",
            )
        walked.append(
            {
                "id": item_id,
                "text": text,
                "met": answer["met"],
                "note": clean_text(
                    answer.get("note", ""), f"checklist.{item_id}.note", limit=MAX_NOTE
                ),
            }
        )
    return walked


def _clean_comments(comments: Sequence[Mapping[str, str]] | None) -> list[dict[str, str]]:
    if comments is None:
        return []
    if not isinstance(comments, list):
        raise InvalidInput("comments must be a list.", field="comments")
    cleaned = []
    for index, comment in enumerate(comments):
        if not isinstance(comment, Mapping):
            raise InvalidInput("A comment has a field and a text.", field=f"comments[{index}]")
        field = comment.get("field")
        text = clean_text(comment.get("text", ""), f"comments[{index}].text", limit=MAX_NOTE)
        if not isinstance(field, str) or not field.strip():
            raise InvalidInput(
                gettext("Name the element commented on."), field=f"comments[{index}].field"
            )
        if not text:
            raise InvalidInput(gettext("A comment needs a text."), field=f"comments[{index}].text")
        cleaned.append({"field": field.strip(), "text": text})
    return cleaned


# -- the publish gate ------------------------------------------------------------------------


def check_editable(version: Any) -> None:
    """Raise :class:`Conflict` while the version waits for or is in review: reviewers judge
    what was submitted, so the draft stays as it is until they decide. An approved draft may
    change, but the change voids the approval (:func:`check_publishable`)."""
    latest = _latest(version)
    if latest is not None and latest.status in OPEN_STATUSES:
        raise Conflict(
            gettext(
                "Version %(number)s is %(status)s; it can change once the reviewer has decided."
            )
            % {"number": version.number, "status": status_in_sentence(latest.status)},
            code="qa.in_review",
            field="status",
            data={"status": latest.status},
        )


def check_publishable(version: Any) -> None:
    """Raise :class:`Conflict` unless the version's organisation is vetted and its latest
    review is approved for exactly what it states now. The caller holds the version's lock."""
    organisation = version.microcredential.organisation
    if get_quality_settings(organisation).vetted_at is None:
        raise Conflict(
            gettext(
                "%(organisation)s has not been vetted by the platform yet; "
                "it may publish once a platform admin has vetted it."
            )
            % {"organisation": organisation.name},
            code="organisation.not_vetted",
        )
    latest = _latest(version)
    if latest is None or latest.status != ReviewStatus.APPROVED:
        raise Conflict(
            gettext("Version %(number)s needs an approved quality review before it is published.")
            % {"number": version.number},
            code="qa.not_approved",
            data={"status": latest.status if latest else None},
        )
    if latest.fingerprint != _fingerprint(version):
        raise Conflict(
            gettext("Version %(number)s changed after its review was approved; submit it again.")
            % {"number": version.number},
            code="qa.changed_since_review",
        )


def mark_published(version: Any, *, now: datetime) -> None:
    """Record that the approved review's version is published (inside the publish transaction)."""
    QAReview.objects.filter(version=version, status=ReviewStatus.APPROVED).update(
        status=ReviewStatus.PUBLISHED, published_at=now
    )


# -- reading ---------------------------------------------------------------------------------


def _latest(version: Any) -> QAReview | None:
    return QAReview.objects.filter(version=version).order_by("-attempt").first()


def get_latest_review(version: Any) -> QAReview | None:
    """Return the version's latest review, or None when it was never submitted."""
    return (
        QAReview.objects.filter(version=version)
        .select_related("submitted_by", "reviewer", "external_reviewer", "external_agency")
        .order_by("-attempt")
        .first()
    )


def get_reviews(version: Any) -> list[QAReview]:
    """Return every review of a version, first attempt first: its history in quality assurance."""
    return list(QAReview.objects.filter(version=version).order_by("attempt"))


def access_review(
    actor: User, organisation: str, slug: str, number: int, *, roles: tuple[str, ...] = ()
) -> QAReview:
    """Return the latest review of a version for a member of its organisation, or of the
    agency invited to review it."""
    try:
        version = catalogue.access_version(actor, organisation, slug, number, roles=roles)
    except (NotFound, Forbidden) as refused:
        review = _invited_review(actor, organisation, slug, number)
        if review is None:
            raise refused
        return review
    review = get_latest_review(version)
    if review is None:
        raise NotFound(
            gettext("Version %(number)s of %(slug)s has not been submitted.")
            % {"number": number, "slug": slug},
            field="version",
        )
    return review


def _invited_review(actor: User, organisation: str, slug: str, number: int) -> QAReview | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    review = (
        QAReview.objects.filter(
            version__microcredential__organisation__slug=organisation,
            version__microcredential__slug=slug,
            version__number=number,
            external_agency__isnull=False,
        )
        .select_related("external_agency")
        .order_by("-attempt")
        .first()
    )
    agency = review.external_agency if review is not None else None
    if agency is None or not (
        organisations.get_roles(actor, agency) & {Role.QA_REVIEWER, Role.OWNER}
    ):
        return None
    return review


@dataclass(frozen=True)
class QualityStatus:
    """Where a version stands in quality assurance, as its designer sees it beside the form."""

    findings: list[dict[str, Any]]
    review: QAReview | None
    publish_refusal: str | None

    @property
    def blocking(self) -> list[dict[str, Any]]:
        return [finding for finding in self.findings if finding["severity"] == BLOCKING]

    @property
    def can_submit(self) -> bool:
        """Whether a new submission is allowed now (a draft with no review open or approved)."""
        return self.review is None or self.review.status == ReviewStatus.RETURNED


def get_quality_status(version: Any, *, today: date | None = None) -> QualityStatus:
    """Return a version's live findings, its latest review, and why it may not be published
    yet (None when it may)."""
    try:
        check_publishable(version)
    except Conflict as refusal:
        reason: str | None = refusal.message
    else:
        reason = None
    return QualityStatus(
        findings=get_findings(version, today=today),
        review=get_latest_review(version),
        publish_refusal=reason,
    )


@dataclass(frozen=True)
class QueueEntry:
    review: QAReview
    stage: str


def get_review_queue(organisation: Organisation) -> list[QueueEntry]:
    """Return the reviews waiting for the organisation: its own in internal review, and those
    it was invited to review as an agency."""
    own = QAReview.objects.filter(
        version__microcredential__organisation=organisation,
        status__in=OPEN_STATUSES,
    )
    invited = QAReview.objects.filter(
        external_agency=organisation, status=ReviewStatus.EXTERNAL_REVIEW
    )
    entries = [QueueEntry(review, review.status) for review in _with_version(own)]
    entries += [QueueEntry(review, "external_invitation") for review in _with_version(invited)]
    return sorted(entries, key=lambda entry: entry.review.submitted_at)


def _with_version(reviews: Any) -> list[QAReview]:
    return list(
        reviews.select_related(
            "version__microcredential__organisation", "submitted_by", "external_agency"
        )
    )


def get_reviews_due(today: date, organisation: Organisation | None = None) -> list[QAReview]:
    """Return the reviews of published versions whose review date has come, oldest date first:
    each version is due for re-review (a new version, reviewed again)."""
    reviews = QAReview.objects.filter(
        status=ReviewStatus.PUBLISHED,
        version__status="published",
        version__review_date__lte=today,
    )
    if organisation is not None:
        reviews = reviews.filter(version__microcredential__organisation=organisation)
    return sorted(
        _with_version(reviews), key=lambda review: (review.version.review_date, review.version.pk)
    )


def notify_reviews_due(*, today: date, now: datetime | None = None) -> list[Organisation]:
    """Email each organisation with versions due for re-review (its owners and QA reviewers)
    the list of what is due, once per version; return the organisations told.

    A version whose organisation was told already is left out, so running this
    every day sends each notice once.
    """
    now = now or timezone.now()
    due: dict[Organisation, list[QAReview]] = {}
    for review in get_reviews_due(today):
        if review.due_notified_at is None:
            due.setdefault(review.version.microcredential.organisation, []).append(review)
    told = list(due)
    for organisation, reviews in due.items():
        recipients = sorted(
            {
                member.user.email
                for member in organisations.get_members(organisation)
                if member.user.email and {Role.OWNER, Role.QA_REVIEWER} & set(member.roles)
            }
        )
        # Claimed, announced and sent in one transaction: a run that fails to send leaves
        # them for the next run, and a concurrent run finds them claimed.
        with transaction.atomic():
            claimed = QAReview.objects.filter(
                pk__in=[review.pk for review in reviews], due_notified_at__isnull=True
            ).update(due_notified_at=now)
            if not claimed:
                told.remove(organisation)
                continue
            record_event(
                actor=None,
                action="qa.review_due",
                organisation=organisation,
                target=organisation,
                data={
                    "versions": [_event_data(review) for review in reviews],
                    "recipients": len(recipients),
                },
            )
            if recipients:
                send_mail(
                    subject=gettext("Micro-credentials due for quality re-review: %(name)s")
                    % {"name": organisation.name},
                    message=render_to_string(
                        "quality/email/reviews_due.txt",
                        {"organisation": organisation, "reviews": reviews, "today": today},
                    ),
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    recipient_list=recipients,
                )
    return told


# -- helpers ---------------------------------------------------------------------------------


def _locked_version(actor: User, version: Any, *, roles: tuple[str, ...]) -> Any:
    return catalogue.lock_version(actor, version, roles=roles)


def _review_for_update(review: QAReview) -> QAReview:
    return (
        QAReview.objects.select_for_update(of=("self",))
        .select_related("version__microcredential__organisation", "external_agency")
        .get(pk=review.pk)
    )


def _locked_review(actor: User, review: QAReview, *, roles: tuple[str, ...]) -> QAReview:
    locked = _review_for_update(review)
    organisations.access_organisation(
        actor, locked.version.microcredential.organisation.slug, roles=roles
    )
    return locked


def _event_data(review: QAReview) -> dict[str, Any]:
    version = review.version
    return {
        "microcredential": version.microcredential.slug,
        "version": version.number,
        "attempt": review.attempt,
    }


def _user(actor: User) -> Any:
    return actor if getattr(actor, "pk", None) else None
