"""Issuing awards as signed Open Badges 3.0 credentials, and revoking or suspending them;
issuing learner records (CLR 2.0) that carry them.

``issue_award`` and ``revoke_award`` / ``suspend_award`` / ``unsuspend_award``
act: they validate, authorise, change state and write an audit event in one
transaction, and send email only once it commits. ``access_*`` fetch and
authorise; ``get_*`` and ``list_*`` read.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import re
import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cached_property, partial
from typing import Any

import orjson
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from microcred.accounts.services import (
    User,
    UserOrAnonymous,
    find_user,
    get_verified_addresses,
    get_verified_dids,
)
from microcred.audit.services import NewEvent, record_event, record_events
from microcred.awards import downloads, status
from microcred.awards.credential import REPLACED_CREDENTIAL, Learner, Outcome, build_credential
from microcred.awards.models import (
    Award,
    AwardStatus,
    CredentialFormat,
    LearnerRecord,
    RecordOrigin,
    ShareLink,
    StatusEntry,
    StatusList,
    Visibility,
)
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.core.words import long_date
from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError, NotFound
from microcred.inputs import clean_text
from microcred.organisations import services as organisations
from microcred.organisations.services import Role
from microcred.vc import VerificationReport, sign_many, verify, verify_batch
from microcred.vc import clr_builders as clr
from microcred.vc import ob3_builders as ob3
from microcred.vc.errors import ClrValueError, OB3ValueError
from microcred.vc.http import LocalFetcher
from microcred.vc.jwt import decode_jwt
from microcred.vc.rdfc import canonicalize
from microcred.vc.report import SIGNATURE_CHECKS, CheckStatus

__all__ = [
    "ClrAssociation",
    "DecidedAward",
    "IssueRequest",
    "ShareLink",
    "Verdict",
    "Visibility",
    "access_award",
    "access_held_award",
    "access_issuing",
    "access_learner_awards",
    "allowed_status_changes",
    "bind_to_holder",
    "can_issue",
    "can_reissue",
    "check_award_request",
    "claim_award",
    "claim_url",
    "count_learner_awards",
    "create_share_link",
    "credential_url",
    "find_award_by_credential_id",
    "find_version",
    "get_award",
    "get_baked_image",
    "get_certificate_pdf",
    "get_certified_elements",
    "get_credential_document",
    "get_issuable_versions",
    "get_issued_awards",
    "get_learner_awards",
    "get_learner_record",
    "get_learner_record_organisations",
    "get_linkedin_url",
    "get_record_awards",
    "get_record_page",
    "get_replacement",
    "get_results",
    "get_share_links",
    "get_shared_award",
    "get_status_entries",
    "get_status_list_credential",
    "get_verdict",
    "get_visible_award",
    "holds_award",
    "is_invalidated",
    "issue_award",
    "issue_awards",
    "issue_clr",
    "issue_clr_request",
    "issue_decided_award",
    "learner_clr",
    "learner_label",
    "learner_record_url",
    "list_awards",
    "list_learner_records",
    "list_status_lists",
    "local_status_list",
    "may_view",
    "notify_learners",
    "notify_learners_of",
    "readable_reason",
    "register_clr_associations",
    "reissue_award",
    "resign_status_lists",
    "revoke_award",
    "revoke_share_link",
    "set_visibility",
    "share_url",
    "status_list_url",
    "suspend_award",
    "unsuspend_award",
    "verify_award",
    "verify_learner_record",
]

ISSUERS = (Role.REGISTRAR,)
# DID Core section 3.1: did:<method>:<method-specific id>.
DID_SYNTAX = re.compile(r"^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$")
RESULT_KEYS = ("grade", "score")
RESULT_PROPERTIES = ("resultDescription", "achievedLevel", "value", "status")
EVIDENCE_KEYS = ("id", "name", "narrative", "description")
MAX_REASON = 2000
STATUS_LIST_PATH = re.compile(r"^/status/(?P<organisation>[a-z0-9-]+)/(?P<list>[a-z0-9-]+)$")
MAX_NARRATIVE = 10_000
# How an award may be granted other than by assessment: recognition of prior learning, with
# the learning setting (European Learning Model) the learning took place in.
GRANTED_THROUGH = ("recognition",)
LEARNING_SETTINGS = ("non-formal", "informal")
# A claim link works this long after the email that carries it was sent.
CLAIM_DAYS = 90
CLAIM_SALT = "microcred.awards.claim"
MAX_SHARE_LABEL = 100


# -- issuing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueRequest:
    """What the caller asked for, checked and normalised; its hash detects changed retries."""

    version_id: int
    format: str
    learner: Learner
    outcome: Outcome
    idempotency_key: str
    learner_user_id: int | None = None
    granted_through: str = ""
    # The revoked or invalidated award this request issues again (see _successors); not part
    # of the fingerprint, which is of what the caller asked for.
    replaces: Award | None = None
    # Whether the key was made from the learner and the version because the caller gave none.
    default_key: bool = False

    @cached_property
    def fingerprint(self) -> str:
        """The hash of what was asked for (the request is frozen: worked out once, it is read
        three times while the award is issued)."""
        learner = {"email": self.learner.email, "did": self.learner.did, "name": self.learner.name}
        outcome = asdict(self.outcome)
        # Left out when empty, so awards issued before these existed keep their hash.
        for key in ("rubric_results", "learning_setting"):
            if not outcome[key]:
                del outcome[key]
        data = {
            "version": self.version_id,
            "format": self.format,
            "learner": learner,
            "outcome": outcome,
            **({"grantedThrough": self.granted_through} if self.granted_through else {}),
        }
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode("utf-8")).hexdigest()


def issue_award(
    *,
    actor: User,
    version: Any,
    learner_email: str | None = None,
    learner_did: str | None = None,
    learner_name: str | None = None,
    result: dict[str, Any] | None = None,
    evidence: list[Any] | None = None,
    narrative: str | None = None,
    format: str = CredentialFormat.DATA_INTEGRITY,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    learner: User | None = None,
    results: list[dict[str, Any]] | None = None,
) -> Award:
    """Issue ``version`` to a learner as a signed OpenBadgeCredential and return the award.

    The actor needs the registrar (or owner) role in the version's
    organisation, checked here and nowhere else; the version must be
    published; the learner needs an email address or a DID. Idempotent: the
    key defaults to the learner's identity and the version, so a retry
    returns the award issued first and issues nothing; the same key with
    other data raises :class:`Conflict`.

    ``learner`` links the award to the learner's user account; ``results``
    are OB 3.0 Result objects (rubric levels against the achievement's
    result descriptions) added to the grade and score. An award that follows
    an assessment decision is issued by :func:`issue_decided_award` instead,
    on the authority of that decision.
    """
    organisation = access_issuing(actor, version.microcredential.organisation.slug)
    request = _issue_request(
        version=version,
        learner_email=learner_email,
        learner_did=learner_did,
        learner_name=learner_name,
        result=result,
        evidence=evidence,
        narrative=narrative,
        format=format,
        idempotency_key=idempotency_key,
        results=results,
        learner_user_id=getattr(learner, "pk", None),
    )
    [issued] = _issue(organisation, version, [request], actor=actor, now=now or timezone.now())
    _notify_new([issued])
    return issued.award


def check_award_request(
    *,
    version: Any,
    learner_email: str | None = None,
    learner_did: str | None = None,
    learner_name: str | None = None,
    result: dict[str, Any] | None = None,
    evidence: list[Any] | None = None,
    narrative: str | None = None,
    idempotency_key: str | None = None,
    format: str = CredentialFormat.DATA_INTEGRITY,
) -> IssueRequest:
    """Check one award request as :func:`issue_award` does and return it normalised, for
    :func:`issue_awards`; raise InvalidInput naming the field."""
    return _issue_request(
        version=version,
        learner_email=learner_email,
        learner_did=learner_did,
        learner_name=learner_name,
        result=result,
        evidence=evidence,
        narrative=narrative,
        format=format,
        idempotency_key=idempotency_key,
    )


def issue_awards(
    *,
    actor: User,
    version: Any,
    requests: Sequence[IssueRequest],
    now: datetime | None = None,
) -> list[Award]:
    """Issue each request idempotently by its key, in order; no learner emails (the caller
    sends them). An already-issued key returns the earlier award; a key reused with other data
    raises Conflict; the first error raises and nothing of the call is stored (one transaction).

    The actor needs the registrar (or owner) role in the version's
    organisation; each request comes from :func:`check_award_request` for
    this version. Errors name the request (``requests[3].idempotency_key``).
    The batch is issued as one: its status-list indexes are reserved in one
    locked step, its credentials signed with one canonical proof
    configuration and verified in one session (the issuer's DID document and
    status list checked once), and its awards, status entries and audit
    events written in bulk. Call it outside a transaction, so that the
    reservation commits at once and other issuers need not wait for this
    batch to be signed (inside one, the list stays locked until the caller
    commits).
    """
    organisation = access_issuing(actor, version.microcredential.organisation.slug)
    issued = _issue(
        organisation,
        version,
        requests,
        actor=actor,
        now=now or timezone.now(),
        numbered=True,
    )
    return [item.award for item in issued]


@dataclass(frozen=True)
class DecidedAward:
    """A recorded decision that calls for an award: the authority to issue it, and what the
    award says.

    The app that records the decision builds it from the database once the decision is
    committed (assessment, for an assessor's pass or a registrar's sign-off): who decided,
    which version, which learner, the results, the public evidence, how the learner was
    assessed, and the idempotency key that makes a retry return the award issued first.
    ``decision`` is the id of the deciding record, named in the award's audit event.
    ``granted_through`` is ``recognition`` for an award granted by recognition of prior
    learning, with the ``learning_setting`` (non-formal or informal) the credential states.
    """

    decision: str
    version: Any
    learner: User
    learner_name: str
    decided_by: User | None
    results: list[dict[str, Any]]
    score: dict[str, str] | None
    evidence: list[dict[str, str]]
    narrative: str
    idempotency_key: str
    granted_through: str = ""
    learning_setting: str = ""


def issue_decided_award(decision: DecidedAward, *, now: datetime | None = None) -> Award:
    """Issue the award a recorded decision calls for, on the authority of that decision.

    No role is checked here: the decision was authorised when it was taken (the
    assessor's pass, the registrar's sign-off), and it fixes who receives which
    version with which results under which idempotency key, so a caller can widen
    nothing. Callers pass only a decision they read from the database that has no
    award yet; the award is issued by the person who decided, and its audit event
    names the decision.
    """
    version = decision.version
    request = _issue_request(
        version=version,
        learner_email=decision.learner.email,
        learner_did=None,
        learner_name=decision.learner_name,
        result=decision.score,
        evidence=decision.evidence,
        narrative=decision.narrative,
        format=CredentialFormat.DATA_INTEGRITY,
        idempotency_key=decision.idempotency_key,
        results=decision.results,
        learner_user_id=decision.learner.pk,
        granted_through=decision.granted_through,
        learning_setting=decision.learning_setting,
    )
    [issued] = _issue(
        version.microcredential.organisation,
        version,
        [request],
        actor=decision.decided_by,
        now=now or timezone.now(),
        decision=decision.decision,
    )
    _notify_new([issued])
    return issued.award


# How often a batch is tried again when a concurrent call stored one of its keys first.
ISSUE_ATTEMPTS = 3
# Awards per verification session and per query of keys issued before.
CHUNK = 500


@dataclass(frozen=True)
class _Issued:
    award: Award
    new: bool


def _issue(
    organisation: Any,
    version: Any,
    requests: Sequence[IssueRequest],
    *,
    actor: User | None,
    now: datetime,
    decision: str | None = None,
    numbered: bool = False,
) -> list[_Issued]:
    """Issue authorised requests in order, or return the awards issued with their keys before.

    ``actor`` is who issues, or who decided the pass that issues (None if no
    one did); ``decision`` names that decision in the audit event.
    ``numbered`` names the request in errors (``requests[2].idempotency_key``).

    Reserve the status-list indexes of the new awards (their one status
    entry, see :data:`status.ISSUING_PURPOSE`; the reservation commits at once
    outside a transaction), build the credentials, sign them with the
    organisation's key (``eddsa-rdfc-2022``, or VC-JWT), verify what was
    signed as any verifier would, then store the signed text, status entries
    and audit events in one transaction. A failure anywhere stores no award.
    When a concurrent call stores one of the keys first, the unique key
    refuses this batch and it is tried again: the awards issued meanwhile are
    returned, the rest issued.
    """
    requests = _successors(organisation, _checked_requests(version, requests, numbered=numbered))
    for attempt in range(1, ISSUE_ATTEMPTS + 1):
        earlier = _issued_before(organisation, requests, numbered=numbered)
        pending: dict[str, IssueRequest] = {}
        for request in requests:
            if request.idempotency_key not in earlier:
                pending.setdefault(request.idempotency_key, request)
        if not pending:
            return [_Issued(earlier[request.idempotency_key], False) for request in requests]
        if version.status != "published":
            raise InvalidInput(
                f"{version} is not published (it is {version.status}); only published "
                "versions are issued.",
                code="award.version_not_published",
                field="version",
            )
        signed = _sign_awards(
            organisation, version, list(pending.values()), actor=actor, now=now, numbered=numbered
        )
        try:
            _store(signed, organisation=organisation, actor=actor, now=now, decision=decision)
        except IntegrityError:
            # The unique idempotency key caught a concurrent issue: look the keys up again.
            if attempt == ISSUE_ATTEMPTS:
                raise
            continue
        awards = {**earlier, **{award.idempotency_key: award for award, _ in signed}}
        fresh = set(pending)
        issued = []
        for request in requests:
            key = request.idempotency_key
            # A key given twice in the call is new once: its learner is emailed once.
            issued.append(_Issued(awards[key], key in fresh))
            fresh.discard(key)
        return issued
    raise AssertionError("unreachable: the last attempt returns or raises")


def _checked_requests(
    version: Any, requests: Sequence[IssueRequest], *, numbered: bool
) -> list[IssueRequest]:
    """Return the requests as a list; raise InvalidInput for one that is not a checked request
    for ``version``, Conflict for a key given twice with other data."""
    if isinstance(requests, IssueRequest | str | bytes) or not isinstance(requests, Sequence):
        raise InvalidInput("requests must be a list of award requests.", field="requests")
    fingerprints: dict[str, str] = {}
    for number, request in enumerate(requests):
        where = _request_field(number, "", numbered=numbered) or "request"
        if not isinstance(request, IssueRequest):
            raise InvalidInput(
                f"{where} is not an award request (see check_award_request).", field=where
            )
        if request.version_id != version.pk:
            raise InvalidInput(
                f"{where} was checked for another version than {version}.",
                code="award.other_version",
                field=where,
            )
        fingerprint = request.fingerprint
        if fingerprints.setdefault(request.idempotency_key, fingerprint) != fingerprint:
            raise Conflict(
                f"{where} repeats the idempotency key of an earlier request with other data; "
                "give each award its own key.",
                code="award.idempotency_conflict",
                field=_request_field(number, "idempotency_key", numbered=numbered),
            )
    return list(requests)


def _successors(organisation: Any, requests: list[IssueRequest]) -> list[IssueRequest]:
    """Return the requests, each whose key was made from the learner and the version (the
    caller gave none) aimed at the award that stands for that key now.

    That is the award issued under the key, or the award that replaced it, and so on. When
    it is revoked or invalidated (:func:`is_invalidated`), the request issues it again: a new
    award that replaces it, under the key ``reissue:<uuid>``, so that a retry returns the new
    award. Otherwise the request takes its key: a retry returns it, and
    other data is a conflict.
    """
    keys = [request.idempotency_key for request in requests if request.default_key]
    keys = list(dict.fromkeys(keys))
    found: dict[str, Award] = {}
    for start in range(0, len(keys), CHUNK):
        found.update(
            _current(
                Award.objects.select_related("organisation", "version").filter(
                    organisation=organisation, idempotency_key__in=keys[start : start + CHUNK]
                )
            )
        )
    if not found:
        return requests
    compromised = _compromised_signers(organisation)
    aimed = []
    for request in requests:
        award = found.get(request.idempotency_key) if request.default_key else None
        if award is None:
            aimed.append(request)
        elif _reissuable(award, compromised):
            aimed.append(replace(request, idempotency_key=_reissue_key(award), replaces=award))
        else:
            aimed.append(replace(request, idempotency_key=award.idempotency_key))
    return aimed


def _current(awards: QuerySet[Award]) -> dict[str, Award]:
    """Return, by the key of each award, the award that stands for it now: its replacement's
    replacement, and so on."""
    current = {award.idempotency_key: award for award in awards}
    following = current
    while following:
        successors = {
            award.replaces_id: award
            for award in Award.objects.select_related("organisation", "version").filter(
                replaces__in=[award.pk for award in following.values()]
            )
        }
        following = {
            key: successors[award.pk] for key, award in following.items() if award.pk in successors
        }
        current.update(following)
    return current


def _reissue_key(award: Award) -> str:
    return f"reissue:{award.uuid}"


def _request_field(number: int, name: str, *, numbered: bool) -> str:
    """Return the field an error names: ``requests[2].name`` in a batch, ``name`` alone else."""
    if not numbered:
        return name
    return f"requests[{number}].{name}" if name else f"requests[{number}]"


def _issued_before(
    organisation: Any, requests: Sequence[IssueRequest], *, numbered: bool
) -> dict[str, Award]:
    """Return the awards issued with these keys, by key; raise Conflict for a key that was
    issued for other data."""
    keys = list(dict.fromkeys(request.idempotency_key for request in requests))
    found: dict[str, Award] = {}
    for start in range(0, len(keys), CHUNK):
        found.update(
            (award.idempotency_key, award)
            for award in Award.objects.select_related("organisation", "version").filter(
                organisation=organisation, idempotency_key__in=keys[start : start + CHUNK]
            )
        )
    for number, request in enumerate(requests):
        award = found.get(request.idempotency_key)
        if award is not None and award.request_hash != request.fingerprint:
            if request.default_key or request.replaces is not None:
                raise Conflict(
                    f"The learner holds this micro-credential already: award {award.uuid} "
                    f"({award.get_status_display().lower()}) was issued with other data. "
                    "Revoke it first to issue it again with this data.",
                    code="award.idempotency_conflict",
                    field=_request_field(number, "idempotency_key", numbered=numbered),
                    data={"award": str(award.uuid)},
                )
            raise Conflict(
                f"An award ({award.uuid}) was issued with this idempotency key for other data; "
                "use a new key to issue another award.",
                code="award.idempotency_conflict",
                field=_request_field(number, "idempotency_key", numbered=numbered),
                data={"award": str(award.uuid)},
            )
    return found


def _sign_awards(
    organisation: Any,
    version: Any,
    requests: list[IssueRequest],
    *,
    actor: User | None,
    now: datetime,
    numbered: bool,
) -> list[tuple[Award, status.Reserved]]:
    """Return the awards of new requests, signed and verified but not stored, with their
    reserved status-list indexes.

    What every credential of the batch shares (the achievement, the issuer
    profile, the signing key, the proof configuration) is read and
    canonicalized once.
    """
    achievement = catalogue.get_achievement(version)
    issuer = organisations.get_profile(organisation, embedded=True)
    quality_report = public_urls.qa_report_url(
        organisation.slug, version.microcredential.slug, version.number
    )
    valid_until = _add_months(now, version.validity_months) if version.validity_months else None
    issued_by = actor if getattr(actor, "pk", None) else None
    reserved = status.reserve_indexes(organisation, len(requests), now=now)
    awards = []
    credentials = []
    for number, (request, slot) in enumerate(zip(requests, reserved, strict=True)):
        award = Award(
            organisation=organisation,
            version=version,
            learner_id=request.learner_user_id,
            learner_name=request.learner.name,
            learner_email=request.learner.email,
            learner_did=request.learner.did,
            identity_salt=request.learner.salt,
            idempotency_key=request.idempotency_key,
            request_hash=request.fingerprint,
            format=request.format,
            result={
                key: value
                for key, value in (
                    ("grade", request.outcome.grade),
                    ("score", request.outcome.score),
                )
                if value
            },
            issued_by=issued_by,
            issued_at=now,
            valid_until=valid_until,
            granted_through=request.granted_through,
            learning_setting=request.outcome.learning_setting,
            replaces=request.replaces,
        )
        awards.append(award)
        credentials.append(
            _build_credential(
                award,
                request,
                issuer=issuer,
                achievement=achievement,
                credential_status=slot.entry(),
                quality_report=quality_report,
                where=_request_field(number, "", numbered=numbered),
            )
        )
    hashes = _CanonicalHashes()
    texts = _sign_all(
        credentials, [award.format for award in awards], organisation, now=now, hashes=hashes
    )
    for award, text in zip(awards, texts, strict=True):
        award.signed_credential = text
    _verify_signed(awards, now=now, numbered=numbered, hashes=hashes)
    return list(zip(awards, reserved, strict=True))


@dataclass
class _CanonicalHashes:
    """The canonical hashes of a batch, kept while signing for its verification to reuse."""

    proofs: dict[str, bytes] = field(default_factory=dict)
    documents: dict[str, bytes] = field(default_factory=dict)


def _verify_signed(
    awards: list[Award], *, now: datetime, numbered: bool, hashes: _CanonicalHashes
) -> None:
    """Verify each stored text as any verifier would; raise for the first that fails.

    One verification session per chunk: the issuer's DID document is read
    and each status list verified once for the chunk, not once per award
    (issuing changes no bit of them). Every check runs for every credential;
    only the canonical hashes are taken from the signing of the same JSON
    (``hashes``), since canonicalizing it again would give the same bytes.
    """
    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    for start in range(0, len(awards), CHUNK):
        chunk = awards[start : start + CHUNK]
        reports = verify_batch(
            [(award.signed_credential, credential_url(award)) for award in chunk],
            fetcher=fetcher,
            now=now,
            proof_hashes=hashes.proofs,
            document_hashes=hashes.documents,
        )
        for number, [report] in enumerate(reports, start):
            if not report.verified:
                where = _request_field(number, "", numbered=numbered)
                raise MicrocredError(
                    (f"{where}: " if where else "")
                    + "The credential did not verify right after signing, so it was not "
                    + "issued: "
                    + "; ".join(check.message for check in report.failures),
                    code="award.verification_failed",
                    data={"failures": [check.as_dict() for check in report.failures]},
                )


def _store(
    signed: list[tuple[Award, status.Reserved]],
    *,
    organisation: Any,
    actor: User | None,
    now: datetime,
    decision: str | None,
) -> None:
    """Write the awards, their status entries and their audit events in one transaction.

    The audit chain's lock is taken last, so it is held only for the insert
    of the events and the commit.
    """
    awards = [award for award, _ in signed]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Django's foreign keys are checked at commit; the check of a status entry locks its
            # list's row, which would then come after the audit chain's lock, while a revocation
            # locks the list first and the chain last: a deadlock. Checked as rows are written,
            # the list comes first here too.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        Award.objects.bulk_create(awards, batch_size=CHUNK)
        StatusEntry.objects.bulk_create(
            [
                StatusEntry(award=award, status_list=slot.status_list, index=slot.index)
                for award, slot in signed
            ],
            batch_size=CHUNK,
        )
        record_events(
            [
                NewEvent(
                    actor,
                    "award.issue",
                    organisation=organisation,
                    target=award,
                    data={
                        "version": str(award.version.achievement_uuid),
                        "format": award.format,
                        "statusListIndexes": {slot.status_list.purpose: str(slot.index)},
                        **({"decision": decision} if decision else {}),
                        **(
                            {"grantedThrough": award.granted_through}
                            if award.granted_through
                            else {}
                        ),
                        **({"replaces": str(award.replaces.uuid)} if award.replaces else {}),
                    },
                )
                for award, slot in signed
            ],
            now=now,
        )


def _notify_new(issued: Sequence[_Issued]) -> None:
    """Email each learner of a new award with an email address, once the transaction commits."""
    new = [item.award for item in issued if item.new and item.award.learner_email]
    if new:
        transaction.on_commit(partial(notify_learners, new))


def _issue_request(
    *,
    version: Any,
    learner_email: str | None,
    learner_did: str | None,
    learner_name: str | None,
    result: dict[str, Any] | None,
    evidence: list[Any] | None,
    narrative: str | None,
    format: str,
    idempotency_key: str | None,
    results: list[dict[str, Any]] | None = None,
    learner_user_id: int | None = None,
    granted_through: str = "",
    learning_setting: str = "",
) -> IssueRequest:
    """Check the caller's input and return it normalised; raise InvalidInput naming the field."""
    if granted_through and granted_through not in GRANTED_THROUGH:
        raise InvalidInput(
            f"Unknown way of granting {granted_through!r}; choose {', '.join(GRANTED_THROUGH)}.",
            field="granted_through",
        )
    if learning_setting and learning_setting not in LEARNING_SETTINGS:
        raise InvalidInput(
            f"Unknown learning setting {learning_setting!r}; choose "
            f"{' or '.join(LEARNING_SETTINGS)}.",
            field="learning_setting",
        )
    if format not in CredentialFormat.values:
        raise InvalidInput(
            f"Unknown format {format!r}; choose ldp (a Data Integrity proof) or jwt (VC-JWT).",
            field="format",
        )
    email = clean_text(learner_email, "learner_email", limit=254).lower()
    did = clean_text(learner_did, "learner_did", limit=500)
    name = clean_text(learner_name, "learner_name", limit=300)
    if not email and not did:
        raise InvalidInput(
            "The learner needs an email address or a DID.",
            code="award.no_learner",
            field="learner_email",
        )
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(
                f"{email!r} is not an email address.", field="learner_email"
            ) from None
    if did and not DID_SYNTAX.match(did):
        raise InvalidInput(
            f"{did!r} is not a DID such as did:key:z6Mk... or did:web:example.org.",
            field="learner_did",
        )
    identity = did or f"mailto:{email}"
    key = clean_text(idempotency_key, "idempotency_key", limit=200)
    default_key = not key
    if default_key:
        digest = hashlib.sha256(f"{identity}\n{version.achievement_uuid}".encode()).hexdigest()
        key = f"learner-version:{digest}"
    outcome = Outcome(
        grade=_result_value(result, "grade"),
        score=_result_value(result, "score"),
        narrative=clean_text(narrative, "narrative", limit=MAX_NARRATIVE),
        evidence=_evidence(evidence),
        rubric_results=_results(results),
        learning_setting=learning_setting,
    )
    learner = Learner(email=email, did=did, name=name, salt="" if did else secrets.token_hex(16))
    return IssueRequest(
        version_id=version.pk,
        format=format,
        learner=learner,
        outcome=outcome,
        idempotency_key=key,
        learner_user_id=learner_user_id,
        granted_through=granted_through,
        default_key=default_key,
    )


def _result_value(result: dict[str, Any] | None, key: str) -> str:
    if result is None:
        return ""
    if not isinstance(result, dict):
        raise InvalidInput("result must be an object with grade and/or score.", field="result")
    unknown = sorted(set(result) - set(RESULT_KEYS))
    if unknown:
        raise InvalidInput(
            f"result.{unknown[0]} is not known; a result has grade and/or score.",
            field=f"result.{unknown[0]}",
        )
    value = result.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = f"{value:g}"
    return clean_text(value, f"result.{key}", limit=100)


def _results(results: list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    """Return OB 3.0 Result objects as given (without ``type``), each referring to a result
    description; the Result builder validates their values."""
    if results is None:
        return []
    if not isinstance(results, list):
        raise InvalidInput("results must be a list of Result objects.", field="results")
    for number, item in enumerate(results):
        if not isinstance(item, dict) or not isinstance(item.get("resultDescription"), str):
            raise InvalidInput(
                f"results[{number}] must be an object with a resultDescription.",
                field=f"results[{number}]",
            )
        unknown = sorted(set(item) - {"type", *RESULT_PROPERTIES})
        if unknown:
            raise InvalidInput(
                f"results[{number}].{unknown[0]} is not known; a result has "
                f"{', '.join(RESULT_PROPERTIES)}.",
                field=f"results[{number}].{unknown[0]}",
            )
        try:
            ob3.build_result(
                result_description=item["resultDescription"],
                achieved_level=item.get("achievedLevel"),
                value=item.get("value"),
                status=item.get("status"),
            )
        except OB3ValueError as error:
            path = f"results[{number}]{(error.field or '$')[1:]}"
            raise InvalidInput(
                f"results[{number}]: {error.message}", field=path, data=error.data
            ) from None
    return [{key: value for key, value in item.items() if key != "type"} for item in results]


def _evidence(evidence: list[Any] | None) -> list[dict[str, str]]:
    """Return evidence as OB 3.0 Evidence fields; an item is a URL or an object."""
    if evidence is None:
        return []
    if not isinstance(evidence, list):
        raise InvalidInput("evidence must be a list.", field="evidence")
    items = []
    for number, item in enumerate(evidence):
        path = f"evidence[{number}]"
        if isinstance(item, str):
            item = {"id": item}
        if not isinstance(item, dict):
            raise InvalidInput(f"{path} must be a URL or an object.", field=path)
        # An Evidence object built by another app carries its type; the builder adds it again.
        if item.get("type", "Evidence") not in ("Evidence", ["Evidence"]):
            raise InvalidInput(f"{path}.type must be Evidence.", field=f"{path}.type")
        item = {key: value for key, value in item.items() if key != "type"}
        unknown = sorted(set(item) - set(EVIDENCE_KEYS))
        if unknown:
            raise InvalidInput(
                f"{path}.{unknown[0]} is not known; evidence has {', '.join(EVIDENCE_KEYS)}.",
                field=f"{path}.{unknown[0]}",
            )
        cleaned = {
            key: text
            for key in EVIDENCE_KEYS
            if (text := clean_text(item.get(key), f"{path}.{key}", limit=MAX_NARRATIVE))
        }
        if "id" in cleaned:
            try:
                URLValidator(schemes=["https", "http"])(cleaned["id"])
            except ValidationError:
                raise InvalidInput(
                    f"{path}.id must be a web address (https://...).", field=f"{path}.id"
                ) from None
        if not {"id", "narrative"} & set(cleaned):
            raise InvalidInput(f"{path} needs a URL (id) or a narrative.", field=path)
        items.append(cleaned)
    return items


def _add_months(moment: datetime, months: int) -> datetime:
    """Return ``moment`` plus ``months`` calendar months (the 31st becomes the month's last day)."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def _build_credential(
    award: Award,
    request: IssueRequest,
    *,
    issuer: dict[str, Any],
    achievement: dict[str, Any],
    credential_status: dict[str, Any],
    quality_report: str,
    where: str = "",
) -> dict[str, Any]:
    """Return the award's unsigned credential; refuse one that breaks OB 3.0 or would lose
    data as JSON-LD.

    The builders check every object as it is built. Data Integrity signing
    canonicalizes in safe mode itself; a VC-JWT is never canonicalized, so it
    is done here: its claims must mean the same to a JSON-LD processor.
    """
    try:
        credential = build_credential(
            id=credential_url(award),
            name=award.version.title,
            issuer=issuer,
            achievement=achievement,
            learner=request.learner,
            outcome=request.outcome,
            valid_from=award.issued_at,
            valid_until=award.valid_until,
            credential_status=credential_status,
            quality_report=quality_report,
            replaces=credential_url(request.replaces) if request.replaces else None,
        )
    except OB3ValueError as error:
        # In a batch the JSON path follows the request: requests[2].credentialSubject...
        raise InvalidInput(
            f"The credential would not be valid Open Badges 3.0: {error.message}",
            code="award.invalid_credential",
            field=f"{where}{(error.field or '$')[1:]}" if where else error.field,
            data=error.data,
        ) from error
    if request.format == CredentialFormat.VC_JWT:
        canonicalize(credential)
    return credential


def _sign_all(
    credentials: list[dict[str, Any]],
    formats: list[str],
    organisation: Any,
    *,
    now: datetime,
    hashes: _CanonicalHashes | None = None,
) -> list[str]:
    """Return each credential signed in its format, as the text that is stored and served.

    The Data Integrity credentials are signed together, so their shared proof
    configuration is canonicalized once; ``hashes`` keeps the canonical hashes
    for their verification.
    """
    hashes = hashes or _CanonicalHashes()
    signed: list[str] = [""] * len(credentials)
    for format in dict.fromkeys(formats):
        numbers = [number for number, wanted in enumerate(formats) if wanted == format]
        chosen = [credentials[number] for number in numbers]
        if format == CredentialFormat.VC_JWT:
            key, kid = organisations.get_jwt_signer(organisation)
            texts = [
                str(text)
                for text in sign_many(
                    chosen, key=key, suite="vc-jwt", verification_method=kid, created=now
                )
            ]
        else:
            key, method = organisations.get_signer(organisation)
            texts = [
                # orjson writes what json.dumps(indent=2, ensure_ascii=False) writes, some 40
                # times faster: a tenth of an award's signing went to indenting its JSON.
                orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()
                for document in sign_many(
                    chosen,
                    key=key,
                    verification_method=method,
                    created=now,
                    proof_hashes=hashes.proofs,
                    document_hashes=hashes.documents,
                )
            ]
        for number, text in zip(numbers, texts, strict=True):
            signed[number] = text
    return signed


def notify_learners(awards: Sequence[Award]) -> None:
    """Email each learner who has an address that their credential was issued: one message per
    award, all over one connection. Call once the awards are committed, once per award."""
    messages = [_issued_message(award) for award in awards if award.learner_email]
    if messages:
        get_connection().send_messages(messages)


def notify_learners_of(award_uuids: Sequence[str]) -> None:
    """Email the learners of the awards with these UUIDs, as :func:`notify_learners` does: for
    a task queued in the transaction that committed them."""
    notify_learners(
        list(
            Award.objects.filter(uuid__in=award_uuids)
            .select_related("organisation", "version")
            .defer("signed_credential")
            .order_by("pk")
        )
    )


def _issued_message(award: Award) -> EmailMessage:
    with translation.override(learner_language(award)):
        return EmailMessage(
            subject=gettext("Your credential: %(title)s") % {"title": award.version.title},
            body=render_to_string(
                "awards/email/issued.txt",
                {
                    "award": award,
                    "url": credential_url(award),
                    "claim_url": claim_url(award),
                    "claim_days": CLAIM_DAYS,
                },
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[award.learner_email],
        )


def learner_language(award: Award) -> str:
    """Return the language to write to the learner in: the one they were taught in, when the
    interface speaks it, else the language of whoever acted (the page's, or English for the
    APIs). The platform keeps no language per learner; the course's is the best guess."""
    offered = {code for code, _name in settings.LANGUAGES}
    taught = [code.split("-")[0].lower() for code in award.version.languages or []]
    if taught and taught[0] in offered:
        return taught[0]
    return translation.get_language() or settings.LANGUAGE_CODE


def bind_to_holder(
    award: Award, *, holder_did: str, format: str, now: datetime | None = None
) -> str:
    """Return the award signed again with ``credentialSubject.id`` = the holder's DID.

    For delivery into a wallet that has proved control of ``holder_did``
    (docs/decisions/0012-wallet-delivery.md): the same credential (same id,
    validity, results and status entry, so revoking or suspending the award
    reaches the copy too) with the subject bound to the wallet's DID, signed
    now with the organisation's current key in ``format`` and verified as any
    verifier would before it is handed out. The caller authorises (only an
    exchange started by the learner or a registrar reaches here) and audits
    the delivery in the transaction that completes the exchange. Refuse an
    award that is revoked, suspended or expired: a wallet should not receive
    a credential that would not verify.
    """
    now = now or timezone.now()
    if not DID_SYNTAX.match(holder_did):
        raise InvalidInput(f"{holder_did!r} is not a DID.", field="holder")
    if format not in CredentialFormat.values:
        raise InvalidInput(f"Unknown format {format!r}.", field="format")
    award = Award.objects.select_related("organisation", "version").get(pk=award.pk)
    if award.status != AwardStatus.ACTIVE or (award.valid_until and award.valid_until <= now):
        state = (
            award.get_status_display().lower() if award.status != AwardStatus.ACTIVE else "expired"
        )
        raise Conflict(
            f"The credential {award.uuid} is {state}; it cannot go into a wallet.",
            code="award.not_deliverable",
            data={"status": state},
        )
    credential = {k: v for k, v in get_credential_document(award).items() if k != "proof"}
    subject = dict(credential["credentialSubject"])
    subject["id"] = holder_did
    credential["credentialSubject"] = subject
    [signed] = _sign_all([credential], [format], award.organisation, now=now)
    report = _verify_stored(signed, source=credential_url(award), now=now)
    if not report.verified:
        raise MicrocredError(
            "The credential bound to the wallet did not verify right after signing: "
            + "; ".join(check.message for check in report.failures),
            code="award.verification_failed",
            data={"failures": [check.as_dict() for check in report.failures]},
        )
    return signed


# -- issuing again ---------------------------------------------------------------------------


def reissue_award(*, actor: User, award: Award, now: datetime | None = None) -> Award:
    """Issue a revoked or invalidated award again, as a new award that replaces it; return it.

    The new award is of the same version, to the same learner, with the same results,
    narrative and evidence, read from the credential as signed; its credential names the old
    one in an Evidence entry (genre :data:`REPLACED_CREDENTIAL`). The actor needs the
    registrar (or owner) role; the version must still be published. Idempotent: a retry
    returns the award issued first. An award that still verifies, or that was issued again
    already, is refused with :class:`Conflict`.
    """
    organisation = access_issuing(actor, award.organisation.slug)
    award = Award.objects.select_related("organisation", "version").get(pk=award.pk)
    successor = Award.objects.filter(replaces=award).first()
    if successor is not None and successor.idempotency_key != _reissue_key(award):
        raise Conflict(
            gettext("The award %(uuid)s was issued again already, as %(successor)s.")
            % {"uuid": award.uuid, "successor": successor.uuid},
            code="award.reissued_already",
            data={"award": str(successor.uuid)},
        )
    if successor is None and not _reissuable(award, _compromised_signers(organisation)):
        raise Conflict(
            gettext(
                "The award %(uuid)s is valid; only a revoked award, or one signed with a key "
                "marked compromised, is issued again."
            )
            % {"uuid": award.uuid},
            code="award.not_reissuable",
        )
    credential = get_credential_document(award)
    subject = credential.get("credentialSubject") or {}
    request = _issue_request(
        version=award.version,
        learner_email=award.learner_email,
        learner_did=award.learner_did,
        learner_name=award.learner_name,
        result={key: award.result[key] for key in RESULT_KEYS if award.result.get(key)} or None,
        evidence=[
            {key: item[key] for key in EVIDENCE_KEYS if key in item}
            for item in credential.get("evidence") or []
            if not ob3.is_quality_report_evidence(item) and item.get("genre") != REPLACED_CREDENTIAL
        ],
        narrative=subject.get("narrative"),
        format=award.format,
        idempotency_key=_reissue_key(award),
        results=_rubric_results(subject.get("result") or [], award.result),
        learner_user_id=award.learner_id,
        granted_through=award.granted_through,
        learning_setting=award.learning_setting,
    )
    [issued] = _issue(
        organisation,
        award.version,
        [replace(request, replaces=award)],
        actor=actor,
        now=now or timezone.now(),
    )
    _notify_new([issued])
    return issued.award


def _rubric_results(results: list[Any], issued: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the Results of a signed credential but those of its grade and score (``issued``),
    which the credential builder adds again."""
    plain = {str(value) for value in issued.values()}
    return [
        result
        for result in results
        if not (
            set(result) <= {"type", "value", "resultDescription"} and result.get("value") in plain
        )
    ]


def get_replacement(award: Award) -> Award | None:
    """Return the award that replaced ``award`` when it was issued again, if any."""
    return Award.objects.select_related("organisation", "version").filter(replaces=award).first()


def can_reissue(actor: User, award: Award) -> bool:
    """Return whether ``actor`` may issue ``award`` again now (see :func:`reissue_award`)."""
    if not can_issue(actor, award.organisation.slug):
        return False
    if get_replacement(award) is not None:
        return False
    return _reissuable(award, _compromised_signers(award.organisation))


def is_invalidated(award: Award) -> bool:
    """Return whether the key that signed ``award`` was marked compromised since: its
    signature verifies no more, whatever its status says."""
    return _signer(award) in _compromised_signers(award.organisation)


def _reissuable(award: Award, compromised: set[str]) -> bool:
    return award.status == AwardStatus.REVOKED or (
        bool(compromised) and _signer(award) in compromised
    )


def _compromised_signers(organisation: Any) -> set[str]:
    """Return how credentials name the organisation's compromised keys: the verification
    method of a Data Integrity proof, the ``kid`` of a VC-JWT."""
    return {
        name
        for key in organisations.get_keys(organisation)
        if key.compromised_at is not None
        for name in (organisations.verification_method_id(key), organisations.jwt_kid(key))
    }


def _signer(award: Award) -> str:
    """Return the key the award's credential names as its signer."""
    if award.format == CredentialFormat.VC_JWT:
        return str(decode_jwt(award.signed_credential)[0].get("kid", ""))
    proof = json.loads(award.signed_credential).get("proof") or {}
    return str(proof.get("verificationMethod", "")) if isinstance(proof, dict) else ""


# -- revocation and suspension -----------------------------------------------------------


def revoke_award(
    *,
    actor: User,
    award: Award,
    reason: str,
    public_reason: str = "",
    now: datetime | None = None,
) -> Award:
    """Revoke ``award`` for good: set its status bit and re-sign the list.

    The bit is that of its one suspension entry, never to be cleared again;
    an award issued with a revocation entry too has that bit set and its
    suspension bit cleared, so the lists say one thing: revoked.
    """
    return _change_status(
        actor=actor,
        award=award,
        reason=reason,
        public_reason=public_reason,
        now=now,
        to=AwardStatus.REVOKED,
    )


def suspend_award(
    *,
    actor: User,
    award: Award,
    reason: str,
    public_reason: str = "",
    now: datetime | None = None,
) -> Award:
    """Suspend ``award`` until it is unsuspended: set its bit in the suspension list."""
    return _change_status(
        actor=actor,
        award=award,
        reason=reason,
        public_reason=public_reason,
        now=now,
        to=AwardStatus.SUSPENDED,
    )


def unsuspend_award(
    *,
    actor: User,
    award: Award,
    reason: str,
    public_reason: str = "",
    now: datetime | None = None,
) -> Award:
    """Lift a suspension: clear the award's bit in the suspension list."""
    return _change_status(
        actor=actor,
        award=award,
        reason=reason,
        public_reason=public_reason,
        now=now,
        to=AwardStatus.ACTIVE,
    )


ACTIONS = {
    AwardStatus.REVOKED: "award.revoke",
    AwardStatus.SUSPENDED: "award.suspend",
    AwardStatus.ACTIVE: "award.unsuspend",
}
# What the public (and the learner) is told when staff give no public reason: the reason
# they must give is private, as it may name an investigation.
# They are stored (and audited, and answered by the API) in English, and translated where a
# page, the certificate or an email shows them: see readable_reason().
NEUTRAL_PUBLIC_REASONS = {
    AwardStatus.REVOKED: gettext_noop("Revoked by the issuer."),
    AwardStatus.SUSPENDED: gettext_noop("Suspended by the issuer."),
    AwardStatus.ACTIVE: gettext_noop("The issuer lifted the suspension."),
}
STATUS_EMAIL_SUBJECTS = {
    AwardStatus.REVOKED: _("Your credential was revoked: %(title)s"),
    AwardStatus.SUSPENDED: _("Your credential was suspended: %(title)s"),
    AwardStatus.ACTIVE: _("Your credential is valid again: %(title)s"),
}


def readable_reason(award: Award, reason: str | None = None) -> str:
    """Return the public reason (``reason``, by default the award's) as people read it: the
    platform's neutral reason in the language of the page, a reason staff wrote as written."""
    reason = award.public_reason if reason is None else reason
    return gettext(reason) if reason in NEUTRAL_PUBLIC_REASONS.values() else reason


def _change_status(
    *,
    actor: User,
    award: Award,
    reason: str,
    public_reason: str,
    now: datetime | None,
    to: AwardStatus,
) -> Award:
    """Change the award's status; ``reason`` is private (staff and the audit log),
    ``public_reason`` what its page and the learner's email say (a neutral one by default).
    The learner is emailed once the change commits."""
    now = now or timezone.now()
    organisation = organisations.access_organisation(actor, award.organisation.slug, roles=ISSUERS)
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    if not reason:
        raise InvalidInput(
            gettext("Give a reason; it is recorded with the change."), field="reason"
        )
    public_reason = (
        clean_text(public_reason, "public_reason", limit=MAX_REASON) or NEUTRAL_PUBLIC_REASONS[to]
    )
    with transaction.atomic():
        # Lists before the award, as issuing locks them: no deadlock between the two.
        lists = list(status.locked_lists(organisation).filter(entries__award=award))
        award = Award.objects.select_for_update().get(pk=award.pk)
        _check_transition(award, to)
        wanted_bits = status.wanted_bits({status_list.purpose for status_list in lists}, to)
        for status_list in lists:
            entry = award.status_entries.get(status_list=status_list)
            wanted = wanted_bits[status_list.purpose]
            bits = status.decoded(status_list)
            if bits.is_set(entry.index) != wanted:
                bits.set(entry.index, int(wanted))
                status_list.encoded_list = bits.encoded_list
                status.publish(status_list, now=now)
        award.status = to
        award.status_reason = "" if to == AwardStatus.ACTIVE else reason
        award.public_reason = "" if to == AwardStatus.ACTIVE else public_reason
        award.status_changed_at = now
        award.save(update_fields=["status", "status_reason", "public_reason", "status_changed_at"])
        record_event(
            actor=actor,
            action=ACTIONS[to],
            organisation=organisation,
            target=award,
            data={"reason": reason, "publicReason": public_reason},
            now=now,
        )
        if award.learner_email:
            transaction.on_commit(
                partial(_notify_status_change, award, to=to, public_reason=public_reason)
            )
    return award


def _notify_status_change(award: Award, *, to: AwardStatus, public_reason: str) -> None:
    """Email the learner that their credential's status changed, with the public reason."""
    with translation.override(learner_language(award)):
        context = {
            "award": award,
            "url": credential_url(award),
            "status": to,
            "public_reason": readable_reason(award, public_reason),
        }
        message = EmailMessage(
            subject=str(STATUS_EMAIL_SUBJECTS[to]) % {"title": award.version.title},
            body=render_to_string("awards/email/status_changed.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[award.learner_email],
        )
    message.send()


def _check_transition(award: Award, to: AwardStatus) -> None:
    if award.status == AwardStatus.REVOKED:
        code = "award.already_revoked" if to == AwardStatus.REVOKED else "award.revoked"
        raise Conflict(
            gettext("The award %(uuid)s is revoked; a revoked award cannot change any more.")
            % {"uuid": award.uuid},
            code=code,
        )
    if to == AwardStatus.SUSPENDED and award.status == AwardStatus.SUSPENDED:
        raise Conflict(
            gettext("The award %(uuid)s is suspended already.") % {"uuid": award.uuid},
            code="award.already_suspended",
        )
    if to == AwardStatus.ACTIVE and award.status != AwardStatus.SUSPENDED:
        raise Conflict(
            gettext("The award %(uuid)s is not suspended.") % {"uuid": award.uuid},
            code="award.not_suspended",
        )


# -- reading -------------------------------------------------------------------------------


def credential_url(award: Award) -> str:
    """Return the credential's id: the URL of its public page."""
    return public_urls.credential_url(award.uuid)


def get_award(award_uuid: uuid.UUID | str) -> Award:
    """Return the award with this UUID (public: anyone may look a credential up)."""
    try:
        return Award.objects.select_related("organisation", "version").get(
            uuid=uuid.UUID(str(award_uuid))
        )
    except (ValueError, Award.DoesNotExist):
        raise NotFound(f"No credential {award_uuid}.", field="uuid") from None


def access_award(actor: User, award_uuid: uuid.UUID | str) -> Award:
    """Return the award if ``actor`` is on the staff of its organisation (any role)."""
    award = get_award(award_uuid)
    try:
        organisations.access_organisation(actor, award.organisation.slug)
    except NotFound:
        raise NotFound(f"No credential {award_uuid}.", field="uuid") from None
    return award


def get_learner_awards(user: User, *, microcredential: Any = None) -> list[Award]:
    """Return the awards made to ``user`` (linked, or issued to their email address), newest
    first; only those of ``microcredential`` when given."""
    awards = Award.objects.select_related("organisation", "version").filter(_held_by(user))
    if microcredential is not None:
        awards = awards.filter(version__microcredential=microcredential)
    return list(awards)


def count_learner_awards(user: User) -> int:
    """Return how many awards were made to ``user`` (as :func:`get_learner_awards` lists them)."""
    return Award.objects.filter(_held_by(user)).count()


def holds_award(user: Any, award: Award) -> bool:
    """Return whether ``user`` is the learner the award was made to (linked, or by email)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Award.objects.filter(_held_by(user), pk=award.pk).exists()


def _held_by(user: Any) -> Q:
    """Return the condition of an award made to ``user``: linked to the account, or issued to
    one of their verified email addresses or DIDs (an address typed at sign-up proves nothing)."""
    held = Q(learner=user)
    for address in get_verified_addresses(user):
        held |= Q(learner_email__iexact=address)
    if dids := get_verified_dids(user):
        held |= Q(learner_did__in=dids)
    return held


# -- visibility, share links and claims ------------------------------------------------------


def get_visible_award(
    award_uuid: uuid.UUID | str, *, viewer: UserOrAnonymous, share: str = ""
) -> Award:
    """Return the award if ``viewer`` may open its page and downloads.

    A public award answers to anyone. A private one answers only to its learner, the staff
    of its organisation, and whoever brings one of its live share links (``share``, the
    token); to everyone else it is not found, as if it did not exist.
    """
    award = get_award(award_uuid)
    if not may_view(viewer, award, share=share):
        raise NotFound(f"No credential {award_uuid}.", field="uuid")
    return award


def may_view(viewer: UserOrAnonymous, award: Award, *, share: str = "") -> bool:
    """Return whether ``viewer`` may open the award's page (see :func:`get_visible_award`)."""
    if award.visibility == Visibility.PUBLIC:
        return True
    if share and award.share_links.filter(token=share, revoked_at__isnull=True).exists():
        return True
    return holds_award(viewer, award) or bool(organisations.get_roles(viewer, award.organisation))


def access_held_award(actor: User, award_uuid: uuid.UUID | str) -> Award:
    """Return the award if ``actor`` is its learner; anyone else is told it does not exist."""
    award = get_award(award_uuid)
    if not holds_award(actor, award):
        raise NotFound(f"You hold no credential {award_uuid}.", field="uuid")
    return award


def set_visibility(
    *, actor: User, award: Award, visibility: str, now: datetime | None = None
) -> Award:
    """Make the learner's own award public or private; its share links keep working."""
    if visibility not in Visibility.values:
        raise InvalidInput(
            f"Visibility is {' or '.join(Visibility.values)}, not {visibility!r}.",
            field="visibility",
        )
    award = access_held_award(actor, award.uuid)
    with transaction.atomic():
        award.visibility = visibility
        award.save(update_fields=["visibility"])
        record_event(
            actor=actor,
            action="award.visibility",
            organisation=award.organisation,
            target=award,
            data={"visibility": visibility},
            now=now,
        )
    return award


def create_share_link(
    *, actor: User, award: Award, label: str = "", now: datetime | None = None
) -> ShareLink:
    """Make a new link by which anyone who has it may open the learner's award."""
    label = clean_text(label, "label", limit=MAX_SHARE_LABEL)
    award = access_held_award(actor, award.uuid)
    with transaction.atomic():
        link = ShareLink.objects.create(
            award=award,
            token=secrets.token_urlsafe(24),
            label=label,
            created_by=actor,
            created_at=now or timezone.now(),
        )
        record_event(
            actor=actor,
            action="award.share_link.create",
            organisation=award.organisation,
            target=award,
            data={"link": link.pk, "label": label},
            now=now,
        )
    return link


def revoke_share_link(
    *, actor: User, award: Award, link_id: int, now: datetime | None = None
) -> ShareLink:
    """Stop a share link of the learner's award from working, at once and for good."""
    award = access_held_award(actor, award.uuid)
    with transaction.atomic():
        link = award.share_links.select_for_update().filter(pk=link_id).first()
        if link is None:
            raise NotFound(f"This credential has no share link {link_id}.", field="link")
        if link.revoked_at is not None:
            raise Conflict(
                gettext("This share link was revoked already."), code="share_link.revoked"
            )
        link.revoked_at = now or timezone.now()
        link.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="award.share_link.revoke",
            organisation=award.organisation,
            target=award,
            data={"link": link.pk},
            now=now,
        )
    return link


def get_share_links(award: Award) -> list[ShareLink]:
    """Return the award's share links, live and revoked, newest first."""
    return list(award.share_links.all())


def get_shared_award(token: str) -> Award:
    """Return the award a live share link opens (public: the token is the permission)."""
    link = (
        ShareLink.objects.select_related("award")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if link is None:
        raise NotFound(gettext("This share link does not exist or was revoked."), field="token")
    return link.award


def share_url(link: ShareLink) -> str:
    """Return the address a share link is given as."""
    return public_urls.absolute(f"/s/{link.token}")


def claim_url(award: Award, *, now: datetime | None = None) -> str:
    """Return the link, sent to the address the award was issued to, that attaches the award
    to the account of whoever opens it signed in: the token names the award and the address,
    is signed with the site's secret and expires after ``CLAIM_DAYS`` days."""
    expires = (now or timezone.now()) + timedelta(days=CLAIM_DAYS)
    token = signing.dumps(
        {"award": str(award.uuid), "email": award.learner_email, "expires": expires.isoformat()},
        salt=CLAIM_SALT,
    )
    return public_urls.absolute(f"/me/credentials/claim/{token}")


def claim_award(*, actor: User, token: str, now: datetime | None = None) -> Award:
    """Attach the award a claim link names to ``actor``'s account.

    Receiving the link at the address the award was issued to is the proof; a link that
    was altered, has expired, or names an award someone else claimed is refused.
    """
    try:
        claim = signing.loads(token, salt=CLAIM_SALT)
        expires = datetime.fromisoformat(claim["expires"])
        award_uuid, email = claim["award"], claim["email"]
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise InvalidInput(
            gettext("This claim link is not valid: open the link exactly as the email gave it."),
            code="claim.invalid",
            field="token",
        ) from None
    if expires <= (now or timezone.now()):
        raise InvalidInput(
            gettext("This claim link has expired: ask the issuer to send the credential again."),
            code="claim.expired",
            field="token",
        )
    with transaction.atomic():
        award = (
            Award.objects.select_for_update()
            .select_related("organisation", "version")
            .filter(uuid=award_uuid)
            .first()
        )
        if award is None or award.learner_email.lower() != email.lower():
            raise NotFound(
                gettext("The credential this link names no longer exists."), field="token"
            )
        if award.learner_id == actor.pk:
            return award
        if award.learner_id is not None:
            raise Conflict(
                gettext("This credential was claimed by another account already."),
                code="claim.taken",
                field="token",
            )
        award.learner = actor
        award.save(update_fields=["learner"])
        record_event(
            actor=actor,
            action="award.claim",
            organisation=award.organisation,
            target=award,
            data={"email": email},
            now=now,
        )
    return award


def list_awards(
    *,
    actor: User,
    organisation_slug: str,
    search: str = "",
    status: str = "",
    version: Any = None,
) -> QuerySet[Award]:
    """Return the organisation's awards, newest first, for its staff.

    ``search`` matches the learner's name, email address or DID and the
    title; ``status`` is active, suspended or revoked.
    """
    organisation = organisations.access_organisation(actor, organisation_slug)
    awards = Award.objects.filter(organisation=organisation).select_related(
        "version", "organisation"
    )
    if status:
        if status not in AwardStatus.values:
            raise InvalidInput(
                f"Unknown status {status!r}; choose one of {', '.join(AwardStatus.values)}.",
                field="status",
            )
        awards = awards.filter(status=status)
    if search := search.strip():
        awards = awards.filter(
            Q(learner_name__icontains=search)
            | Q(learner_email__icontains=search)
            | Q(learner_did__icontains=search)
            | Q(version__title__icontains=search)
        )
    if version is not None:
        awards = awards.filter(version=version)
    return awards


def get_issued_awards(organisation: Any = None) -> QuerySet[Award]:
    """Return the awards of ``organisation`` (None: every organisation), oldest first, for
    figures such as the quality watch; the caller authorises."""
    awards = Award.objects.select_related("version__microcredential__organisation")
    if organisation is not None:
        awards = awards.filter(organisation=organisation)
    return awards.order_by("issued_at", "pk")


def list_status_lists(*, actor: User, organisation_slug: str) -> QuerySet[StatusList]:
    organisation = organisations.access_organisation(actor, organisation_slug)
    return StatusList.objects.filter(organisation=organisation).order_by("purpose", "id")


def status_list_url(status_list: StatusList) -> str:
    return status.list_url(status_list)


def get_status_list_credential(organisation_slug: str, list_slug: str) -> str:
    """Return the signed BitstringStatusListCredential exactly as stored (public)."""
    status_list = StatusList.objects.filter(
        organisation__slug=organisation_slug, slug=list_slug
    ).first()
    if status_list is None or not status_list.signed_credential:
        raise NotFound(f"No status list {organisation_slug}/{list_slug}.", field="list")
    return status_list.signed_credential


def get_credential_document(award: Award) -> dict[str, Any]:
    """Return the signed credential as JSON (the payload's credential for a VC-JWT), to read."""
    if award.format == CredentialFormat.VC_JWT:
        return decode_jwt(award.signed_credential)[2]
    return json.loads(award.signed_credential)


def local_status_list(path: str) -> str | None:
    """Resolve ``/status/<org>/<list>`` to the signed list the page at that path serves.

    Registered with the organisations app's platform fetcher, so that the
    platform verifies its own credentials without calling itself over HTTP.
    """
    match = STATUS_LIST_PATH.match(path)
    if match is None:
        return None
    try:
        return get_status_list_credential(match["organisation"], match["list"])
    except NotFound:
        return None


def verify_award(award: Award, *, now: datetime | None = None) -> VerificationReport:
    """Verify the stored credential as any verifier would, with this platform's documents.

    The DID document and status lists are read from the database instead of
    over HTTP (the platform answers its own URLs), and nothing else is
    fetched: an award of this platform needs nothing from elsewhere.
    """
    return _verify_stored(award.signed_credential, source=credential_url(award), now=now)


def _verify_stored(signed: str, *, source: str, now: datetime | None) -> VerificationReport:
    """Verify a credential the platform signed, answering the platform's own URLs locally."""
    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    [report] = verify(signed, source=source, fetcher=fetcher, now=now or timezone.now())
    return report


class Verdict(StrEnum):
    """The answer a credential's page and certificate lead with."""

    VERIFIED = "verified"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    EXPIRED = "expired"
    NOT_VERIFIED = "not-verified"

    @property
    def headline(self) -> str:
        """The verdict in words, in the language of the page."""
        return str(VERDICT_HEADLINES[self])


VERDICT_HEADLINES = {
    Verdict.VERIFIED: _("Verified"),
    Verdict.REVOKED: _("Revoked"),
    Verdict.SUSPENDED: _("Suspended"),
    Verdict.EXPIRED: _("Expired"),
    Verdict.NOT_VERIFIED: _("Not verified"),
}
# Checks that say whether the issuer still stands by a genuine credential; any other failure
# (proof, issuer key, structure) means the credential itself cannot be trusted.
STANDING_CHECKS = ("status.revocation", "status.suspension", "validity.expired")


def get_verdict(award: Award, report: VerificationReport) -> Verdict:
    """Return what verifying the stored credential (``report``) says about ``award``.

    A credential whose signature, issuer key or structure fails is not verified, whatever
    the database says. Of a genuine one, the award's status names what the status list
    shows: its one entry is a suspension entry that a revocation sets for good
    (docs/decisions/0008), so a verifier reads both as "suspended". A status failure the
    award's status does not explain (a status list that cannot be read) is not verified.
    """
    vouched = any(
        check.id in SIGNATURE_CHECKS and check.status in (CheckStatus.PASSED, CheckStatus.WARNING)
        for check in report.checks
    )
    failed = {check.id for check in report.failures}
    if not vouched or not failed <= set(STANDING_CHECKS):
        return Verdict.NOT_VERIFIED
    if award.status == AwardStatus.REVOKED:
        return Verdict.REVOKED
    if award.status == AwardStatus.SUSPENDED:
        return Verdict.SUSPENDED
    if failed - {"validity.expired"}:
        return Verdict.NOT_VERIFIED
    return Verdict.EXPIRED if failed else Verdict.VERIFIED


def find_award_by_credential_id(credential_id: Any) -> Award | None:
    """Return the award whose credential id (its page's URL) is ``credential_id``, or None."""
    prefix = public_urls.credential_url("")
    if not isinstance(credential_id, str) or not credential_id.startswith(prefix):
        return None
    try:
        return Award.objects.filter(uuid=uuid.UUID(credential_id[len(prefix) :])).first()
    except ValueError:
        return None


def get_issuable_versions(organisation: Any) -> list[Any]:
    """Return the organisation's micro-credentials that can be issued: their latest
    published versions."""
    return catalogue.get_published_versions(organisation=organisation.slug)


def find_version(*, organisation_slug: str, reference: uuid.UUID | str) -> Any:
    """Return the organisation's public version whose achievement id is ``reference``.

    A public lookup (organisations and achievements are public): the action it is
    found for authorises. An unknown organisation is :class:`NotFound`.
    """
    organisation = organisations.get_organisation(organisation_slug)
    try:
        version = catalogue.get_version_by_achievement(reference)
    except NotFound:
        version = None
    if version is None or version.microcredential.organisation != organisation:
        raise InvalidInput(
            f"{organisation.name} has no published micro-credential version {reference}.",
            code="award.unknown_version",
            field="version",
        )
    return version


# -- staff pages -----------------------------------------------------------------------------


def access_issuing(actor: User, organisation_slug: str) -> Any:
    """Return the organisation if ``actor`` may issue, revoke and suspend its awards."""
    return organisations.access_organisation(actor, organisation_slug, roles=ISSUERS)


def can_issue(actor: User, organisation_slug: str) -> bool:
    try:
        access_issuing(actor, organisation_slug)
    except (NotFound, Forbidden):
        return False
    return True


def allowed_status_changes(actor: User, award: Award) -> list[str]:
    """Return the status changes ``actor`` may make to ``award`` now, in the order to offer them."""
    if not can_issue(actor, award.organisation.slug):
        return []
    changes: dict[str, list[str]] = {
        AwardStatus.ACTIVE: ["suspend", "revoke"],
        AwardStatus.SUSPENDED: ["unsuspend", "revoke"],
        AwardStatus.REVOKED: [],
    }
    return changes[award.status]


def get_status_entries(award: Award) -> list[dict[str, Any]]:
    """Return where the award sits in its organisation's status lists."""
    return [
        {
            "purpose": entry.status_list.purpose,
            "index": entry.index,
            "url": status.list_url(entry.status_list),
        }
        for entry in award.status_entries.select_related("status_list__organisation").order_by(
            "status_list__purpose"
        )
    ]


# -- what the pages and downloads show ------------------------------------------------------


def learner_label(award: Award, *, private: bool = False) -> str:
    """Return how to name the learner: to the public, never by email address."""
    if private:
        parts = [award.learner_name, award.learner_email, award.learner_did]
        return " · ".join(part for part in parts if part)
    if award.learner_name:
        return award.learner_name
    if award.learner_did:
        return award.learner_did
    return gettext("a learner identified by email address (kept private)")


def get_certified_elements(award: Award) -> list[tuple[str, list[str]]]:
    """Return what the award certifies, element by element (EU Annex I), in plain words.

    Each element has a list of texts: one for most, one per learning outcome. The labels
    are in the language of the request; what the designer wrote stays as written.
    """
    return [
        (label, value if isinstance(value, list) else [value])
        for label, value in catalogue.annex_elements(award.version, translation.get_language())
    ]


def get_linkedin_url(award: Award, *, url: str | None = None) -> str:
    """Return LinkedIn's add-to-profile link; it points at ``url`` (a share link of a private
    award), by default the credential's page."""
    return downloads.linkedin_url(
        name=award.version.title,
        organisation_name=award.organisation.name,
        issued_on=award.issued_at,
        expires_on=award.valid_until,
        url=url or credential_url(award),
        credential_id=str(award.uuid),
    )


def get_baked_image(award: Award, *, kind: str) -> bytes:
    """Return the badge (``png`` or ``svg``) with the signed credential baked in."""
    return downloads.baked_image(
        kind=kind,
        signed_credential=award.signed_credential,
        title=award.version.title,
        image=_badge_image(award.version),
    )


def _badge_image(version: Any) -> bytes | None:
    image = catalogue.get_image(version)
    if image is None:
        return None
    try:
        with image.open("rb") as file:
            return file.read()
    except OSError:
        # A badge file missing from storage: a generated badge is better than no download.
        return None


# What a grade or score is called when the credential gives it no description.
RESULT_LABELS = (("score", _("Score")), ("grade", _("Grade")))


@dataclass(frozen=True)
class ResultRow:
    """One result of an award: what was assessed, what was achieved and on what scale."""

    what: str
    achieved: str
    # The rubric's levels, in the order the achievement lists them, when ``achieved`` is one.
    scale: list[str] = field(default_factory=list)


def get_results(award: Award) -> list[ResultRow]:
    """Return each Result the signed credential carries, as a verifier reads it.

    Read from the credential, not the database: ``what`` is the name of the Result's
    ResultDescription in the embedded achievement, ``achieved`` the rubric level reached
    (with the rubric's levels as its scale) or the value (out of the description's
    ``valueMax``, or a percentage). A grade or score whose achievement declares no
    description has no name in the credential; it is called what it was issued as.
    """
    subject = get_credential_document(award).get("credentialSubject") or {}
    declared = (subject.get("achievement") or {}).get("resultDescription") or []
    descriptions = {item.get("id"): item for item in declared if isinstance(item, dict)}
    plain = {
        str(award.result[key]): str(label) for key, label in RESULT_LABELS if award.result.get(key)
    }
    rows = []
    for result in subject.get("result") or []:
        description = descriptions.get(result.get("resultDescription")) or {}
        levels = [level for level in description.get("rubricCriterionLevel") or [] if level]
        level: dict[str, Any] = next(
            (item for item in levels if item.get("id") == result.get("achievedLevel")), {}
        )
        value = str(result.get("value") or "")
        what = description.get("name") or plain.get(value) or gettext("Result")
        if level.get("name"):
            scale = [str(item.get("name")) for item in levels]
            rows.append(ResultRow(what, str(level["name"]), scale))
        elif value and description.get("valueMax"):
            rows.append(ResultRow(what, f"{value} / {description['valueMax']}"))
        elif value and description.get("resultType") == "Percent":
            rows.append(ResultRow(what, f"{value} %"))
        else:
            rows.append(ResultRow(what, value))
    return rows


def get_certificate_pdf(award: Award) -> bytes:
    """Return the award's PDF certificate; refuse one for a credential that does not verify.

    A certificate vouches for the credential it shows: a stored credential whose signature
    no longer verifies (altered, or signed with a compromised key) gets none.
    """
    verdict = get_verdict(award, verify_award(award))
    if verdict == Verdict.NOT_VERIFIED:
        raise NotFound(
            "This credential does not verify, so no certificate is made for it: "
            "see its page for what failed.",
            code="award.not_verified",
        )
    organisation = award.organisation.name
    notes = {
        Verdict.REVOKED: gettext("Revoked by %(organisation)s: this credential is not valid."),
        Verdict.SUSPENDED: gettext("Suspended by %(organisation)s: not valid while suspended."),
        Verdict.EXPIRED: gettext("Expired: this credential is no longer valid."),
    }
    note = notes.get(verdict, "") % {"organisation": organisation}
    if award.status_changed_at and verdict in (Verdict.REVOKED, Verdict.SUSPENDED):
        note += " " + gettext("(%(status)s on %(date)s.)") % {
            "status": verdict.headline,
            "date": long_date(award.status_changed_at),
        }
        if award.public_reason:
            note += " " + gettext("Reason: %(reason)s") % {"reason": readable_reason(award)}
    # The learning outcomes (the one element with a list of texts) get a list of their own;
    # the title is the certificate's heading. Told apart by their values, not their labels,
    # which are in the language of the request.
    outcomes: list[str] = []
    elements: list[tuple[str, str]] = []
    for number, (label, value) in enumerate(
        catalogue.annex_elements(award.version, translation.get_language())
    ):
        if isinstance(value, list):
            outcomes = [str(text) for text in value]
        elif not (number == 0 and value == award.version.title):
            elements.append((str(label), str(value)))
    return downloads.certificate_pdf(
        downloads.Certificate(
            title=award.version.title,
            learner=learner_label(award),
            issuer=organisation,
            issued_on=award.issued_at,
            valid_until=award.valid_until,
            url=credential_url(award),
            outcomes=outcomes,
            results=[
                (
                    row.what,
                    gettext("%(achieved)s (scale: %(scale)s)")
                    % {"achieved": row.achieved, "scale": ", ".join(row.scale)}
                    if row.scale
                    else row.achieved,
                )
                for row in get_results(award)
            ],
            elements=elements,
            badge=_badge_image(award.version),
            status_note=note,
        )
    )


def resign_status_lists(*, organisation: Any, now: datetime, **_signal: Any) -> None:
    """Sign every status list of ``organisation`` again with its current key.

    Connected to ``signing_key_replaced``: lists signed with a compromised key
    no longer verify, and with them the status of every credential they hold.
    Runs inside the transaction that replaced the key.
    """
    for status_list in status.locked_lists(organisation):
        status.publish(status_list, now=now)


# -- learner records (Comprehensive Learner Record 2.0) --------------------------------------


@dataclass(frozen=True)
class ClrAssociation:
    """How one achievement relates to another in a learner record (CLR 2.0 ``Association``).

    ``source_id`` and ``target_id`` are achievement ids (the ``achievement.id`` of a nested
    award, or of an achievement given with it); ``association_type`` is one of CLR 2.0's
    AssociationType: ``isChildOf``, ``isParentOf``, ``isPartOf``, ``precedes``...
    """

    source_id: str
    target_id: str
    association_type: str


# What an app above this one knows of how a learner's awards relate: given the learner and
# the awards a record nests, the associations between their achievements and the further
# achievements (OB 3.0, without ``@context``) those associations name.
ClrAssociationSource = Callable[
    [User, Sequence["Award"]], tuple[list[ClrAssociation], list[dict[str, Any]]]
]
_ASSOCIATION_SOURCES: dict[str, ClrAssociationSource] = {}


def register_clr_associations(name: str, source: ClrAssociationSource) -> None:
    """Let an app above awards add associations to the records learners download.

    The pathways app knows which achievements are components of which pathway, but sits
    above awards: it registers here when it starts (as apps register quality gates), so a
    learner's own record carries the pathway structure without awards importing pathways.
    Registering a name again replaces its source.
    """
    _ASSOCIATION_SOURCES[name] = source


def _registered_associations(
    learner: User, awards: Sequence[Award]
) -> tuple[list[ClrAssociation], list[dict[str, Any]]]:
    """Return the associations (once each) and achievements the registered sources give."""
    associations: list[ClrAssociation] = []
    achievements: dict[str, dict[str, Any]] = {}
    for name in sorted(_ASSOCIATION_SOURCES):
        found, named = _ASSOCIATION_SOURCES[name](learner, awards)
        associations += [item for item in found if item not in associations]
        for achievement in named:
            achievements.setdefault(str(achievement.get("id")), achievement)
    return associations, list(achievements.values())


def _record_associations(record: LearnerRecord) -> set[tuple[Any, Any, Any]]:
    """Return the associations a stored record carries, as (source, target, type)."""
    try:
        subject = json.loads(record.signed_credential).get("credentialSubject") or {}
    except (ValueError, AttributeError):
        return set()
    return {
        (item.get("sourceId"), item.get("targetId"), item.get("associationType"))
        for item in subject.get("association") or []
        if isinstance(item, dict)
    }


def issue_clr(
    *,
    actor: User,
    organisation: Any,
    learner: User,
    awards: Sequence[Award],
    associations: Sequence[ClrAssociation] = (),
    achievements: Sequence[dict[str, Any]] = (),
    any_issuer: bool = False,
    now: datetime | None = None,
) -> LearnerRecord:
    """Issue a signed learner record (a CLR 2.0 ``ClrCredential``) of ``awards`` to ``learner``.

    The actor needs the registrar (or owner) role in ``organisation``, checked
    here and nowhere else. Each award must be the learner's, made by this
    organisation (by any organisation of the platform with ``any_issuer``, as a
    pathway's record nests components other issuers made), active and
    unexpired; each is nested exactly as it was signed, so it still verifies on
    its own, whoever signed it. ``associations`` say how their
    achievements relate (a pathway's structure); ``achievements`` are further
    OB 3.0 Achievements (without ``@context``) that associations may name,
    such as the goal of a pathway. The record is signed with the
    organisation's key (``eddsa-rdfc-2022``), verified as any verifier would
    verify it, nested credentials included, stored and audited; it is
    ``partial`` when it leaves out valid awards the learner holds.
    """
    organisation = access_issuing(actor, organisation.slug)
    return _issue_clr(
        organisation,
        learner,
        awards,
        actor=actor,
        origin=RecordOrigin.ISSUED,
        associations=associations,
        achievements=achievements,
        any_issuer=any_issuer,
        now=now or timezone.now(),
    )


def issue_clr_request(
    *,
    actor: User,
    organisation_slug: str,
    learner: str,
    awards: Sequence[uuid.UUID | str],
    associations: Sequence[ClrAssociation] = (),
    achievements: Sequence[uuid.UUID | str] = (),
    now: datetime | None = None,
) -> LearnerRecord:
    """Issue a learner record as :func:`issue_clr` does, the learner and awards given by
    reference (a username or email address, award UUIDs), as the API and the studio do;
    ``achievements`` are the achievement UUIDs of the organisation's published versions.

    They are looked up only once the actor is authorised, so that nobody but a
    registrar learns from the answer whether an account exists.
    """
    organisation = access_issuing(actor, organisation_slug)
    now = now or timezone.now()
    person = _record_learner(organisation, learner, now=now)
    chosen = []
    for number, reference in enumerate(awards):
        try:
            chosen.append(get_award(reference))
        except NotFound:
            raise InvalidInput(
                f"awards[{number}]: there is no credential {reference}.",
                code="clr.unknown_award",
                field=f"awards[{number}]",
            ) from None
    goals = []
    for number, reference in enumerate(achievements):
        try:
            version = find_version(organisation_slug=organisation.slug, reference=reference)
        except InvalidInput as error:
            raise InvalidInput(
                f"achievements[{number}]: {error.message}",
                code=error.code,
                field=f"achievements[{number}]",
            ) from None
        goals.append(catalogue.get_achievement(version))
    return _issue_clr(
        organisation,
        person,
        chosen,
        actor=actor,
        origin=RecordOrigin.ISSUED,
        associations=associations,
        achievements=goals,
        now=now,
    )


def learner_clr(*, actor: User, organisation: Any, now: datetime | None = None) -> LearnerRecord:
    """Return the signed learner record of every valid award ``organisation`` made to ``actor``.

    The learner downloads their own record, signed with the organisation's key.
    It is stored and reused: while the learner's valid awards of the
    organisation are the same and the stored record still verifies, the same
    record (same id, same bytes) is returned, so downloading twice signs and
    audits nothing twice; once an award is added, revoked, suspended or
    expired, or the key that signed it is replaced, a new record is issued.

    Where the learner's awards are components of a pathway, the record carries the
    pathway's structure (``isChildOf``/``isParentOf`` to the pathway's goal) from the
    sources apps registered (:func:`register_clr_associations`); a change there issues a
    new record too.
    """
    if not getattr(actor, "is_authenticated", False):
        raise Forbidden("Sign in to download your learner record.")
    now = now or timezone.now()
    held = _valid_awards(organisation, actor, now=now)
    if not held:
        raise NotFound(
            gettext("You hold no valid credential of %(organisation)s.")
            % {"organisation": organisation.name},
            field="organisation",
        )
    associations, achievements = _registered_associations(actor, held)
    previous = (
        LearnerRecord.objects.filter(
            organisation=organisation, learner=actor, origin=RecordOrigin.DOWNLOADED
        )
        .prefetch_related("awards")
        .first()
    )
    if (
        previous is not None
        and {award.pk for award in previous.awards.all()} == {award.pk for award in held}
        and _record_associations(previous)
        == {(a.source_id, a.target_id, a.association_type) for a in associations}
        and verify_learner_record(previous, now=now).verified
    ):
        return previous
    return _issue_clr(
        organisation,
        actor,
        held,
        actor=actor,
        origin=RecordOrigin.DOWNLOADED,
        associations=associations,
        achievements=achievements,
        now=now,
    )


def _issue_clr(
    organisation: Any,
    learner: User,
    awards: Sequence[Award],
    *,
    actor: User,
    origin: str,
    associations: Sequence[ClrAssociation],
    achievements: Sequence[dict[str, Any]],
    now: datetime,
    any_issuer: bool = False,
) -> LearnerRecord:
    """Build, sign, verify, store and audit an authorised learner record.

    ``partial`` says whether the record leaves out a valid award of its own organisation;
    awards of other issuers (``any_issuer``) are extra, never missing.
    """
    valid = _valid_awards(organisation, learner, now=now)
    pool = _valid_awards(None, learner, now=now) if any_issuer else valid
    chosen = _chosen_awards(organisation, learner, awards, pool, now=now, any_issuer=any_issuer)
    own = {award.pk for award in valid}
    record = LearnerRecord(
        organisation=organisation,
        learner=learner,
        origin=origin,
        format=CredentialFormat.DATA_INTEGRITY,
        partial=len(own & {award.pk for award in chosen}) < len(own),
        issued_by=actor,
        created_at=now,
    )
    credential = _build_clr(record, learner, chosen, associations, achievements)
    [record.signed_credential] = _sign_all([credential], [record.format], organisation, now=now)
    report = verify_learner_record(record, now=now)
    if not report.verified:
        failures = [check for inner in [report, *report.nested] for check in inner.failures]
        raise MicrocredError(
            "The learner record did not verify right after signing, so it was not issued: "
            + "; ".join(check.message for check in failures),
            code="clr.verification_failed",
            data={"failures": [check.as_dict() for check in failures]},
        )
    with transaction.atomic():
        record.save()
        record.awards.set(chosen)
        record_event(
            actor=actor,
            action="clr.issue",
            organisation=organisation,
            target=record,
            data={
                "origin": origin,
                "learner": learner.pk,
                "awards": [str(award.uuid) for award in chosen],
                "associations": len(associations),
                "partial": record.partial,
            },
            now=now,
        )
    return record


def _valid_awards(organisation: Any, learner: User, *, now: datetime) -> list[Award]:
    """Return the awards ``organisation`` (any, when None) made to ``learner`` that are active
    and unexpired."""
    awards = Award.objects.select_related("organisation", "version").filter(
        _held_by(learner), status=AwardStatus.ACTIVE
    )
    if organisation is not None:
        awards = awards.filter(organisation=organisation)
    return list(
        awards.filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now)).order_by(
            "issued_at", "pk"
        )
    )


def _record_learner(organisation: Any, login: str, *, now: datetime) -> User:
    """Return the learner named by ``login`` who holds a valid award of ``organisation``."""
    person = find_user(clean_text(login, "learner", limit=254))
    if person is None or not _valid_awards(organisation, person, now=now):
        raise InvalidInput(
            gettext(
                "No learner %(login)s holds a valid credential of %(organisation)s; give the "
                "username or email address of the learner's account."
            )
            % {"login": repr(login), "organisation": organisation.name},
            code="clr.unknown_learner",
            field="learner",
        )
    return person


def _chosen_awards(
    organisation: Any,
    learner: User,
    awards: Sequence[Award],
    valid: list[Award],
    *,
    now: datetime,
    any_issuer: bool = False,
) -> list[Award]:
    """Return ``awards`` as stored now, oldest first; raise InvalidInput naming the first that
    cannot go in."""
    if not awards:
        raise InvalidInput(
            gettext("Choose at least one credential for the learner record."),
            code="clr.no_awards",
            field="awards",
        )
    current = {award.pk: award for award in valid}
    chosen: list[Award] = []
    for number, award in enumerate(awards):
        field = f"awards[{number}]"
        if not isinstance(award, Award):
            raise InvalidInput(f"{field} is not an award.", field=field)
        if award.pk in {item.pk for item in chosen}:
            raise InvalidInput(
                f"{field}: the credential {award.uuid} is given twice.",
                code="clr.award_repeated",
                field=field,
            )
        if award.pk not in current:
            why = _why_not_in_record(organisation, learner, award, now=now, any_issuer=any_issuer)
            raise InvalidInput(
                f"{field}: the credential {award.uuid} {why}; a learner record holds only valid "
                "credentials "
                f"{'' if any_issuer else f'of {organisation.name} '}to this learner.",
                code="clr.award_not_valid",
                field=field,
            )
        chosen.append(current[award.pk])
    # Nested in the order they were issued, as a transcript reads.
    return sorted(chosen, key=lambda award: (award.issued_at, award.pk))


def _why_not_in_record(
    organisation: Any, learner: User, award: Award, *, now: datetime, any_issuer: bool
) -> str:
    award = Award.objects.get(pk=award.pk)
    if award.organisation_id != organisation.pk and not any_issuer:
        return "was issued by another organisation"
    if not Award.objects.filter(_held_by(learner), pk=award.pk).exists():
        return "was not issued to this learner"
    if award.status != AwardStatus.ACTIVE:
        return f"is {award.get_status_display().lower()}"
    return f"expired on {award.valid_until:%d %B %Y}"


def _build_clr(
    record: LearnerRecord,
    learner: User,
    awards: list[Award],
    associations: Sequence[ClrAssociation],
    achievements: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """Return the unsigned ClrCredential; raise InvalidInput naming the field that breaks it.

    Each award goes in as it was signed: JSON with its proof, or a VC-JWT
    enveloped. The learner is the subject: by the DID their awards were
    issued to, or by their email address hidden behind a salted hash, and by
    name.
    """
    built_associations = []
    for number, association in enumerate(associations):
        if not isinstance(association, ClrAssociation):
            raise InvalidInput(
                f"associations[{number}] must give a source, a target and a type.",
                field=f"associations[{number}]",
            )
        try:
            built_associations.append(
                clr.build_association(
                    association_type=association.association_type,
                    source_id=association.source_id,
                    target_id=association.target_id,
                )
            )
        except ClrValueError as error:
            raise _clr_input_error(error, f"associations[{number}]") from error
    dids = {award.learner_did for award in awards}
    did = dids.pop() if len(dids) == 1 else ""
    name = learner.get_full_name() or next((a.learner_name for a in awards if a.learner_name), "")
    identifiers = []
    if not did and learner.email:
        identifiers.append(
            ob3.build_email_identity(learner.email.lower(), salt=secrets.token_hex(16))
        )
    if name:
        identifiers.append(ob3.build_name_identity(name))
    try:
        subject = clr.build_clr_subject(
            id=did or None,
            identifiers=identifiers,
            verifiable_credentials=[_nested_credential(award) for award in awards],
            achievements=[
                {key: value for key, value in achievement.items() if key != "@context"}
                for achievement in achievements
            ],
            associations=built_associations,
        )
        return clr.build_clr_credential(
            id=learner_record_url(record),
            name=f"Learner record from {record.organisation.name}",
            description=(
                f"Credentials {record.organisation.name} awarded, each signed by its issuer, "
                "and how their achievements relate."
            ),
            issuer=organisations.get_profile(record.organisation, embedded=True),
            subject=subject,
            valid_from=record.created_at,
            partial=record.partial,
        )
    except ClrValueError as error:
        raise _clr_input_error(error, None) from error


# Where a path inside the ClrSubject points among issue_clr's arguments.
_CLR_ARGUMENTS = {"association": "associations", "achievement": "achievements"}


def _clr_input_error(error: ClrValueError, argument: str | None) -> InvalidInput:
    """Return the builder's error as InvalidInput naming the argument (``associations[1]...``)."""
    path = error.field or "$"
    if argument is None:
        match = re.match(r"^\$\.(?:credentialSubject\.)?(association|achievement)(.*)$", path)
        field = f"{_CLR_ARGUMENTS[match[1]]}{match[2]}" if match else "awards"
    else:
        field = f"{argument}{path[1:]}"
    return InvalidInput(
        f"The learner record would not be valid CLR 2.0: {error.message}",
        code="clr.invalid_record",
        field=field,
        data=error.data,
    )


def _nested_credential(award: Award) -> dict[str, Any]:
    if award.format == CredentialFormat.VC_JWT:
        return clr.build_enveloped_credential(award.signed_credential)
    return json.loads(award.signed_credential)


def learner_record_url(record: LearnerRecord) -> str:
    """Return the record's id: the URL that serves it as signed."""
    return public_urls.learner_record_url(record.uuid)


def get_learner_record(record_uuid: uuid.UUID | str) -> LearnerRecord:
    """Return the learner record with this UUID (public, as credentials are)."""
    try:
        return LearnerRecord.objects.select_related("organisation").get(
            uuid=uuid.UUID(str(record_uuid))
        )
    except (ValueError, LearnerRecord.DoesNotExist):
        raise NotFound(f"No learner record {record_uuid}.", field="uuid") from None


@dataclass(frozen=True)
class NestedCredential:
    """One credential a learner record nests, as its page shows it: what it says and
    whether it verifies on its own."""

    name: str
    issuer: str
    id: str
    achievement_id: str
    report: VerificationReport


@dataclass(frozen=True)
class RecordAssociation:
    """An association of a learner record with its achievements named for people."""

    source: str
    association_type: str
    target: str


@dataclass(frozen=True)
class RecordPage:
    """What a learner record's page shows, read from the signed record, not the database."""

    record: LearnerRecord
    credential: dict[str, Any]
    report: VerificationReport
    nested: list[NestedCredential]
    associations: list[RecordAssociation]


def get_record_page(record: LearnerRecord, *, now: datetime | None = None) -> RecordPage:
    """Return the record as its page shows it: each nested credential with its own
    verification, and each association between achievements by their names.

    Everything is read from the signed record and its verification, as a verifier sees it;
    an achievement an association names but the record does not hold shows as its id.
    """
    report = verify_learner_record(record, now=now)
    credential = json.loads(record.signed_credential)
    subject = credential.get("credentialSubject") or {}
    names: dict[str, str] = {}
    for achievement in subject.get("achievement") or []:
        if isinstance(achievement, dict) and achievement.get("id"):
            names[achievement["id"]] = achievement.get("name") or achievement["id"]
    nested = []
    for inner in report.nested:
        document = inner.credential if isinstance(inner.credential, dict) else {}
        inner_subject = document.get("credentialSubject") or {}
        if isinstance(inner_subject, list):
            inner_subject = inner_subject[0] if inner_subject else {}
        achievement = inner_subject.get("achievement") or {}
        achievement_id = str(achievement.get("id") or "")
        name = inner.name or achievement.get("name") or "Credential"
        if achievement_id:
            names.setdefault(achievement_id, achievement.get("name") or name)
        nested.append(
            NestedCredential(
                name=name,
                issuer=inner.issuer_name or inner.issuer or "",
                id=str(document.get("id") or ""),
                achievement_id=achievement_id,
                report=inner,
            )
        )
    associations = [
        RecordAssociation(
            source=names.get(str(item.get("sourceId")), str(item.get("sourceId"))),
            association_type=str(item.get("associationType")),
            target=names.get(str(item.get("targetId")), str(item.get("targetId"))),
        )
        for item in subject.get("association") or []
        if isinstance(item, dict)
    ]
    return RecordPage(record, credential, report, nested, associations)


def get_record_awards(record: LearnerRecord) -> list[Award]:
    """Return the awards ``record`` nests, in the order it nests them (oldest first)."""
    return list(record.awards.select_related("version").order_by("issued_at", "pk"))


def verify_learner_record(
    record: LearnerRecord, *, now: datetime | None = None
) -> VerificationReport:
    """Verify the stored record and every credential in it, as any verifier would."""
    return _verify_stored(record.signed_credential, source=learner_record_url(record), now=now)


def get_learner_record_organisations(user: User, *, now: datetime | None = None) -> list[Any]:
    """Return the organisations whose valid awards ``user`` holds, by name: each offers the
    learner a record to download."""
    awards = (
        Award.objects.select_related("organisation")
        .filter(_held_by(user), status=AwardStatus.ACTIVE)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gt=now or timezone.now()))
    )
    held = {award.organisation.pk: award.organisation for award in awards}
    return sorted(held.values(), key=lambda organisation: (organisation.name, organisation.slug))


def access_learner_awards(
    actor: User, organisation_slug: str, learner: str, *, now: datetime | None = None
) -> tuple[User, list[Award]]:
    """Return the learner named by ``learner`` (username or email address) and the valid
    awards the organisation made to them, if ``actor`` may issue its learner records."""
    organisation = access_issuing(actor, organisation_slug)
    now = now or timezone.now()
    person = _record_learner(organisation, learner, now=now)
    return person, _valid_awards(organisation, person, now=now)


def list_learner_records(*, actor: User, organisation_slug: str) -> QuerySet[LearnerRecord]:
    """Return the learner records the organisation signed, newest first, for its staff."""
    organisation = organisations.access_organisation(actor, organisation_slug)
    return LearnerRecord.objects.filter(organisation=organisation).select_related(
        "learner", "issued_by"
    )
