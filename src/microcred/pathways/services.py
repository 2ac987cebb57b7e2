"""Pathways: define them, publish them, follow a learner's progress, issue the stacked credential.

A pathway's rules are the engine's JSON (:mod:`microcred.frameworks.pathways`); this app
stores them, resolves their components against the catalogue, gathers what a learner holds
(the platform's awards, credentials from other issuers the learner added, and the transfer
values published toward the target through recognition) and asks the engine what is met.
Requesting the stacked credential verifies every component credential again, as any verifier would,
because the database may say an award is active while its signed status says otherwise.

``create_*``, ``update_*``, ``publish_*``, ``add_*``, ``request_*`` and ``issue_*`` act:
validate, authorise, change and audit in one transaction. ``access_*`` fetch and authorise;
``get_*`` only read.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext

from microcred.accounts.services import User
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.catalogue.services import MicroCredentialVersion
from microcred.core import public_urls
from microcred.errors import Conflict, InvalidInput, NotFound, TooLarge
from microcred.frameworks import ctdl
from microcred.frameworks.achievement_facts import read_achievement
from microcred.frameworks.pathways import (
    HeldCredential,
    HeldResult,
    PathwayRule,
    Progress,
    TransferValue,
    evaluate,
    parse_pathway,
)
from microcred.inputs import clean_text
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, Role
from microcred.pathways.models import (
    ExternalCredential,
    Pathway,
    PathwayStatus,
    RequestStatus,
    StackedCredentialRequest,
)
from microcred.recognition import services as recognition
from microcred.vc import VerificationReport, verify
from microcred.vc.baking import PNG_SIGNATURE, unbake
from microcred.vc.errors import VCError
from microcred.verification import services as verification

__all__ = [
    "ComponentState",
    "ExternalCredential",
    "Pathway",
    "PathwayProgress",
    "StackedCredentialRequest",
    "access_pathway",
    "add_external_credential",
    "can_request",
    "create_pathway",
    "credential_id",
    "get_clr_associations",
    "get_ctdl",
    "get_external_credentials",
    "get_learner_requests",
    "get_organisation_pathways",
    "get_pathway",
    "get_pathways_with",
    "get_progress",
    "get_published_pathways",
    "get_registrar_view",
    "issue_pathway_clr",
    "publish_pathway",
    "receive_external_credential",
    "record_id",
    "remove_external_credential",
    "request_stacked_credential",
    "update_pathway",
]

DESIGNERS = (Role.DESIGNER,)
REGISTRARS = (Role.REGISTRAR,)
MAX_DESCRIPTION = 5000
# Addresses of the staff pages beside the pathways' own.
RESERVED_SLUGS = {"learners", "new"}
# A pasted credential, JSON or JWT; larger documents are no credential a learner holds.
MAX_DOCUMENT = 512 * 1024
# An uploaded file: a credential, or a badge image with one baked in.
MAX_IMPORT_BYTES = 2 * 1024 * 1024
PASTED = "pasted text"
# The types that make a JSON object a credential: a W3C VC (OB 3.0, CLR) or an OB 2.0 assertion.
CREDENTIAL_TYPES = {"VerifiableCredential", "Assertion"}


# -- defining ---------------------------------------------------------------------------------


def create_pathway(
    *,
    actor: User,
    organisation: Organisation,
    name: str,
    target: MicroCredentialVersion,
    rules: Any,
    slug: str | None = None,
    description: str = "",
    now: datetime | None = None,
) -> Pathway:
    """Create a draft pathway of ``organisation`` leading to ``target``; designers and owners.

    The rules are checked by the engine (its errors name the JSON path under ``rules``);
    the target must be a published version of this organisation, since the pathway
    issues it.
    """
    organisation = organisations.access_organisation(actor, organisation.slug, roles=DESIGNERS)
    now = now or timezone.now()
    name = clean_text(name, "name", required=True, limit=200)
    slug = _slug(slug or slugify(name)[:80])
    parsed = _parse_rules(rules)
    _check_target(organisation, target)
    try:
        with transaction.atomic():
            pathway = Pathway.objects.create(
                organisation=organisation,
                slug=slug,
                name=name,
                description=clean_text(description, "description", limit=MAX_DESCRIPTION),
                target=target,
                rules=parsed.to_json(),
                created_by=actor,
                created_at=now,
                updated_at=now,
            )
            record_event(
                actor=actor,
                action="pathway.create",
                organisation=organisation,
                target=pathway,
                data={"slug": slug, "target": str(target.achievement_uuid)},
                now=now,
            )
    except IntegrityError:
        raise InvalidInput(
            gettext("%(organisation)s already has a pathway %(slug)s; choose another slug.")
            % {"organisation": organisation.name, "slug": repr(slug)},
            code="pathway.slug_taken",
            field="slug",
        ) from None
    return pathway


def update_pathway(
    *, actor: User, pathway: Pathway, now: datetime | None = None, **changes: Any
) -> Pathway:
    """Change a pathway's name, description, target or rules; designers and owners.

    A published pathway may change too (learners see the rules as they are now), but its
    components must still resolve, as when it was published.
    """
    organisations.access_organisation(actor, pathway.organisation.slug, roles=DESIGNERS)
    unknown = sorted(set(changes) - {"name", "description", "target", "rules"})
    if unknown:
        raise InvalidInput(
            f"{unknown[0]} cannot be changed; a pathway has name, description, target and rules.",
            field=unknown[0],
        )
    now = now or timezone.now()
    if "name" in changes:
        pathway.name = clean_text(changes["name"], "name", required=True, limit=200)
    if "description" in changes:
        pathway.description = clean_text(
            changes["description"], "description", limit=MAX_DESCRIPTION
        )
    if "target" in changes:
        _check_target(pathway.organisation, changes["target"])
        pathway.target = changes["target"]
    if "rules" in changes:
        pathway.rules = _parse_rules(changes["rules"]).to_json()
    if pathway.status == PathwayStatus.PUBLISHED:
        _check_components(pathway.rules)
    with transaction.atomic():
        pathway.updated_at = now
        pathway.save()
        record_event(
            actor=actor,
            action="pathway.update",
            organisation=pathway.organisation,
            target=pathway,
            data={"changed": sorted(changes)},
            now=now,
        )
    return pathway


def publish_pathway(*, actor: User, pathway: Pathway, now: datetime | None = None) -> Pathway:
    """Publish a draft pathway; designers and owners.

    Every component that names an achievement of this platform must be a published
    version, and the target still published: a learner must be able to earn each of them.
    """
    organisations.access_organisation(actor, pathway.organisation.slug, roles=DESIGNERS)
    if pathway.status == PathwayStatus.PUBLISHED:
        raise Conflict(
            gettext("%(name)s is already published.") % {"name": pathway.name},
            code="pathway.published",
        )
    _check_target(pathway.organisation, pathway.target)
    _check_components(pathway.rules)
    now = now or timezone.now()
    with transaction.atomic():
        pathway.status = PathwayStatus.PUBLISHED
        pathway.published_at = pathway.updated_at = now
        pathway.save()
        record_event(
            actor=actor,
            action="pathway.publish",
            organisation=pathway.organisation,
            target=pathway,
            data={"slug": pathway.slug},
            now=now,
        )
    return pathway


def _slug(slug: str) -> str:
    slug = clean_text(slug, "slug", required=True, limit=80)
    if slug != slugify(slug):
        raise InvalidInput(
            gettext("%(slug)s is not a slug: use lower-case letters, digits and hyphens.")
            % {"slug": repr(slug)},
            field="slug",
        )
    if slug in RESERVED_SLUGS:
        raise InvalidInput(
            gettext("%(slug)s names a page of its own; choose another.") % {"slug": repr(slug)},
            field="slug",
        )
    return slug


def _parse_rules(rules: Any) -> PathwayRule:
    """Return the engine's rule tree; an engine error names its path under ``rules``."""
    if isinstance(rules, str):
        try:
            rules = json.loads(rules)
        except json.JSONDecodeError as error:
            raise InvalidInput(
                f"rules is not JSON: {error.msg} (line {error.lineno}).", field="rules"
            ) from None
    try:
        return parse_pathway(rules)
    except InvalidInput as error:
        path = error.field or "rules"
        if not path.startswith("rules"):
            path = f"rules.{path}"
        raise InvalidInput(error.message, code=error.code, field=path, data=error.data) from None


def _check_target(organisation: Organisation, target: Any) -> None:
    if not isinstance(target, MicroCredentialVersion) or (
        target.microcredential.organisation_id != organisation.pk
    ):
        raise InvalidInput(
            gettext("The target must be a published version of %(organisation)s.")
            % {"organisation": organisation.name},
            field="target",
        )
    if target.status != "published":
        raise InvalidInput(
            f"{target} is {target.status}; a pathway leads to a published version.",
            code="pathway.target_not_published",
            field="target",
        )


def _components(node: dict[str, Any], path: str = "rules") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ``(JSON path, component)`` for every component of a stored rule tree."""
    if node.get("kind") == "component":
        yield path, node
        return
    for name in ("children", "alternatives"):
        for number, child in enumerate(node.get(name) or ()):
            yield from _components(child, f"{path}.{name}[{number}]")


def _platform_version(achievement: str) -> MicroCredentialVersion | None:
    """Return the version an achievement id of this platform names; None for other issuers."""
    prefix = public_urls.achievement_id("")
    if not achievement.startswith(prefix):
        return None
    try:
        return catalogue.get_version_by_achievement(achievement.removeprefix(prefix))
    except NotFound:
        return None


def _check_components(rules: dict[str, Any]) -> None:
    prefix = public_urls.achievement_id("")
    for path, component in _components(rules):
        achievement = component.get("achievement", "")
        if not achievement.startswith(prefix):
            continue
        version = _platform_version(achievement)
        if version is None or version.status != "published":
            raise InvalidInput(
                gettext(
                    "%(component)s is not a published micro-credential of this platform; "
                    "publish it or name another version."
                )
                % {"component": component.get("name") or achievement},
                code="pathway.component_unpublished",
                field=f"{path}.achievement",
            )


# -- reading ----------------------------------------------------------------------------------


def get_published_pathways(organisation: str = "") -> list[Pathway]:
    """Return the published pathways (of one organisation, by slug, when given)."""
    pathways = Pathway.objects.filter(status=PathwayStatus.PUBLISHED).select_related(
        "organisation", "target"
    )
    if organisation:
        pathways = pathways.filter(organisation__slug=organisation)
    return list(pathways)


def get_pathway(organisation: str, slug: str) -> Pathway:
    """Return a published pathway, for everyone."""
    try:
        return Pathway.objects.select_related("organisation", "target").get(
            organisation__slug=organisation, slug=slug, status=PathwayStatus.PUBLISHED
        )
    except Pathway.DoesNotExist:
        raise NotFound(f"No published pathway {organisation}/{slug}.", field="slug") from None


def access_pathway(
    actor: User, organisation: str, slug: str, *, roles: tuple[str, ...] = ()
) -> Pathway:
    """Return a pathway, draft or published, for a member of its organisation holding one of
    ``roles`` (any role when empty)."""
    owner = organisations.access_organisation(actor, organisation, roles=roles)
    try:
        return Pathway.objects.select_related("organisation", "target").get(
            organisation=owner, slug=slug
        )
    except Pathway.DoesNotExist:
        raise NotFound(f"No pathway {organisation}/{slug}.", field="slug") from None


def get_organisation_pathways(organisation: Organisation) -> list[Pathway]:
    """Return all pathways of ``organisation``, drafts too (for its staff pages)."""
    return list(Pathway.objects.filter(organisation=organisation).select_related("target"))


def get_pathways_with(version: MicroCredentialVersion) -> list[Pathway]:
    """Return the published pathways that lead to ``version`` or count it as a component."""
    achievement = catalogue.achievement_id(version)
    return [
        pathway
        for pathway in get_published_pathways()
        if pathway.target_id == version.pk
        or any(c.get("achievement") == achievement for _, c in _components(pathway.rules))
    ]


def get_ctdl(pathway: Pathway) -> dict[str, Any]:
    """Return the pathway as Credential Engine's CTDL ``Pathway`` with its components and
    ``ComponentCondition`` objects (JSON-LD)."""
    return ctdl.pathway_graph(
        url=public_urls.absolute(f"/pathways/{pathway.organisation.slug}/{pathway.slug}/"),
        name=pathway.name,
        description=pathway.description or None,
        rule=parse_pathway(pathway.rules),
        destination=ctdl.Reference(
            url=catalogue.achievement_id(pathway.target),
            name=pathway.target.title,
            type="ceterms:MicroCredential",
        ),
        owner=public_urls.profile_url(pathway.organisation.slug),
    )


# -- what a learner holds ---------------------------------------------------------------------


@dataclass
class Holding:
    """One credential a learner holds, as the engine sees it and where it came from."""

    credential: HeldCredential
    award: Any = None
    external: ExternalCredential | None = None

    @property
    def id(self) -> str:
        return self.credential.id

    @property
    def name(self) -> str:
        return self.credential.name

    def verify(self, now: datetime) -> VerificationReport:
        """Verify the signed credential again, with its status, as any verifier would."""
        if self.external is None:
            return awards.verify_award(self.award, now=now)
        [report] = verify(
            self.external.document.encode("utf-8"),
            source=self.external.credential_id,
            fetcher=verification.get_fetcher(),
            now=now,
        )
        return report


def _held_award(award: Any) -> Holding:
    version = award.version
    result = award.result.get("grade") or award.result.get("score")
    return Holding(
        HeldCredential(
            id=awards.credential_url(award),
            achievement_id=catalogue.achievement_id(version),
            issuer_id=organisations.organisation_did(award.organisation),
            achievement_type=version.achievement_type,
            name=version.title,
            awarded=award.issued_at.date(),
            credits={row.system: float(row.value) for row in catalogue.get_credit_values(version)},
            level=version.eqf_level,
            result=HeldResult(str(result)) if result else None,
        ),
        award=award,
    )


def _held_external(external: ExternalCredential) -> Holding:
    document = external.report.get("credential") or {}
    subject = document.get("credentialSubject") or {}
    if isinstance(subject, list):
        subject = subject[0] if subject else {}
    achievement = subject.get("achievement") or {}
    issuer = document.get("issuer")
    awarded = str(document.get("validFrom") or document.get("issuanceDate") or "")[:10]
    results = subject.get("result") or []
    # The credits and level the issuer signed, read as this platform writes its own.
    facts = read_achievement(achievement)
    return Holding(
        HeldCredential(
            id=external.credential_id,
            achievement_id=str(achievement.get("id", "")),
            issuer_id=str(issuer.get("id", "") if isinstance(issuer, dict) else issuer or ""),
            achievement_type=achievement.get("achievementType"),
            name=external.name,
            awarded=date.fromisoformat(awarded) if awarded else external.added_at.date(),
            credits=facts.credits,
            level=facts.level,
            result=HeldResult(str(results[0]["value"]))
            if results and "value" in results[0]
            else None,
        ),
        external=external,
    )


def _holdings(learner: User, *, valid_only: bool, now: datetime) -> list[Holding]:
    """Return what ``learner`` holds: platform awards and external credentials they added.

    ``valid_only`` keeps what the platform knows to be valid now (active, not expired, and
    external ones that verified when added); the stacked credential's request takes every
    one and verifies each again instead.
    """
    held = []
    for award in awards.get_learner_awards(learner):
        if valid_only and (
            award.status != "active" or (award.valid_until and award.valid_until <= now)
        ):
            continue
        held.append(_held_award(award))
    for external in ExternalCredential.objects.filter(learner=learner):
        if valid_only and not external.verified:
            continue
        held.append(_held_external(external))
    return held


# -- progress ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComponentState:
    """One component of the diagram: done or missing, and what did it."""

    key: str
    name: str
    achievement: str
    done: bool
    url: str = ""
    by: str = ""


@dataclass
class PathwayProgress:
    """A learner's progress through a pathway: the engine's answer and the diagram's states."""

    pathway: Pathway
    learner: User
    progress: Progress
    components: dict[str, ComponentState] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)

    @property
    def stacked(self) -> StackedCredentialRequest | None:
        """The issued request of the stacked credential, if the learner holds it."""
        return _open_request(self.pathway, self.learner)

    @property
    def met(self) -> bool:
        return self.progress.met

    @property
    def percent(self) -> int:
        return round(self.progress.fraction * 100)

    @property
    def done(self) -> int:
        return sum(state.done for state in self.components.values())


def get_progress(
    learner: User, pathway: Pathway, *, now: datetime | None = None
) -> PathwayProgress:
    """Return how far ``learner`` is through ``pathway``, from what they hold that is valid
    and the credits partial recognition granted them toward the pathway's target."""
    now = now or timezone.now()
    return _progress(pathway, _holdings(learner, valid_only=True, now=now), learner, now=now)


def _progress(
    pathway: Pathway, holdings: list[Holding], learner: User, *, now: datetime
) -> PathwayProgress:
    rule = parse_pathway(pathway.rules)
    transfer = _transfer_values(pathway)
    progress = evaluate(
        rule,
        [holding.credential for holding in holdings],
        on=now.date(),
        transfer_values=transfer,
        granted_credits=recognition.get_granted_credits(learner, pathway.target),
    )
    used = _used_by_component(progress)
    by_id = {holding.id: holding for holding in holdings}
    states = {}
    for _, component in _components(pathway.rules):
        key = component["key"]
        credential_ids = used.get(key, ())
        holding = next((by_id[c] for c in credential_ids if c in by_id), None)
        states[key] = ComponentState(
            key=key,
            name=component.get("name") or key,
            achievement=component.get("achievement", ""),
            done=key in used,
            url=_component_url(component.get("achievement", "")),
            by=holding.name if holding else ("a transfer value" if key in used else ""),
        )
    return PathwayProgress(pathway, learner, progress, states, holdings)


def _transfer_values(pathway: Pathway) -> list[TransferValue]:
    """Return the transfer values published toward the pathway's target version."""
    return recognition.get_transfer_values(target_version=pathway.target)


def _used_by_component(progress: Progress) -> dict[str, tuple[str, ...]]:
    """Return, for each component met, the credential ids the engine counted for it."""
    return {
        outcome.key: outcome.credential_ids
        for outcome in progress.root.walk()
        if outcome.kind == "component" and outcome.met
    }


def _component_url(achievement: str) -> str:
    version = _platform_version(achievement) if achievement else None
    if version is None:
        return ""
    return public_urls.catalogue_url(
        version.microcredential.organisation.slug, version.microcredential.slug
    )


# -- credentials from other issuers -----------------------------------------------------------


def add_external_credential(
    *,
    actor: User,
    document: str | bytes,
    source: str = PASTED,
    now: datetime | None = None,
) -> ExternalCredential:
    """Import a credential from another issuer that the learner holds, with its verification.

    ``document`` is pasted text (OB 3.0 or OB 2.0 JSON, a VC-JWT, an OB 2.0 signed or
    hosted assertion) or an uploaded file's bytes (those, or a PNG or SVG badge with a
    credential baked in); ``source`` names where it came from. It is verified now through
    the full pipeline (signature, issuer key, status, dates); one that does not verify is
    kept and shown as such, and counts toward no pathway. What is not one credential is
    refused with :class:`InvalidInput` saying why.
    """
    return _keep_external_credential(actor=actor, document=document, source=source, now=now)[0]


def receive_external_credential(
    *, actor: User, document: str, now: datetime | None = None
) -> tuple[ExternalCredential, bool]:
    """Keep a credential another platform sends into the learner's backpack; return it and
    whether it is new.

    Unlike :func:`add_external_credential`, a credential that does not verify is refused
    (``InvalidInput`` naming the failed checks) and nothing is kept: a platform pushing
    credentials must not fill a backpack with forgeries. One without an ``id`` is refused
    too, since the Open Badges API tells a new credential from a replaced one by its ``id``.
    A credential with the ``id`` of one already kept replaces it.
    """
    return _keep_external_credential(
        actor=actor, document=document, source="Open Badges API", now=now, verified_only=True
    )


def _read_document(document: str | bytes) -> bytes:
    """Return the bytes to verify, refusing what is empty or larger than any credential."""
    if isinstance(document, str):
        text = clean_text(document, "document", required=True, limit=MAX_DOCUMENT)
        return text.encode("utf-8")
    if not isinstance(document, bytes) or not document.strip():
        raise InvalidInput(gettext("The file is empty."), field="document")
    if len(document) > MAX_IMPORT_BYTES:
        raise TooLarge(
            gettext(
                "The file is %(size)s bytes; credentials and badge images up to %(limit)s bytes "
                "are imported."
            )
            % {
                "size": number_format(len(document), force_grouping=True),
                "limit": number_format(MAX_IMPORT_BYTES, force_grouping=True),
            },
            field="document",
            data={"limit": MAX_IMPORT_BYTES},
        )
    return document


def _signed_text(data: bytes) -> str:
    """Return the credential as signed: the one baked into an image, else the text itself."""
    if data.startswith(PNG_SIGNATURE) or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        return unbake(data).payload
    return data.decode("utf-8-sig").strip()


def _check_is_credential(report: VerificationReport) -> dict[str, Any]:
    """Return the credential the report read; refuse what reads but is no credential (a
    credential says so in its ``type``)."""
    credential = report.credential
    if not isinstance(credential, dict):
        reason = next((check.message for check in report.failures), "nothing in it is one")
        raise InvalidInput(
            gettext("This is not a credential: %(reason)s") % {"reason": reason},
            code="credential.not_a_credential",
            field="document",
        )
    kinds = credential.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if not CREDENTIAL_TYPES & {kind for kind in kinds if isinstance(kind, str)}:
        found = ", ".join(str(kind) for kind in kinds if kind) or "none"
        raise InvalidInput(
            gettext(
                "This is not a credential: its type is %(found)s, where a credential has "
                "VerifiableCredential (or, in Open Badges 2.0, Assertion)."
            )
            % {"found": found[:100]},
            code="credential.not_a_credential",
            field="document",
        )
    return credential


def _names_this_platform(issuer: str, credential_id: str) -> bool:
    return issuer.startswith(public_urls.organisation_did("")) or credential_id.startswith(
        public_urls.credential_url("")
    )


def _keep_external_credential(
    *,
    actor: User,
    document: str | bytes,
    source: str,
    now: datetime | None,
    verified_only: bool = False,
) -> tuple[ExternalCredential, bool]:
    data = _read_document(document)
    now = now or timezone.now()
    try:
        reports = verification.verify_payload(data=data, source=source)
    except VCError as error:
        raise InvalidInput(error.message, code=error.code, field="document") from None
    if len(reports) != 1:
        raise InvalidInput(
            gettext("document holds %(count)s credentials; add them one at a time.")
            % {"count": len(reports)},
            field="document",
        )
    [report] = reports
    credential = _check_is_credential(report)
    if verified_only:
        failed = [check.id for check in report.checks if check.status == "failed"]
        if not report.verified:
            raise InvalidInput(
                "The credential does not verify"
                + (f" ({', '.join(failed)} failed)" if failed else "")
                + "; only credentials that verify are kept.",
                code="credential.not_verified",
                field="document",
                data={"report": report.as_dict()},
            )
        if not isinstance(credential.get("id"), str) or not credential["id"]:
            raise InvalidInput("The credential has no id.", field="id")
    credential_id = str(credential.get("id") or f"urn:uuid:{uuid.uuid4()}")[:500]
    issuer = (report.issuer or "")[:500]
    summary = report.as_dict()
    summary["summary"] = report.summary
    summary["credential"] = credential
    with transaction.atomic():
        external, created = ExternalCredential.objects.update_or_create(
            learner=actor,
            credential_id=credential_id,
            defaults={
                "document": _signed_text(data),
                "name": (report.name or "")[:300],
                "issuer": issuer,
                "issuer_name": (report.issuer_name or "")[:300],
                "format": report.format[:200],
                "source": source[:300],
                "names_this_platform": _names_this_platform(issuer, credential_id),
                "verified": report.verified,
                "report": summary,
                "added_at": now,
            },
        )
        record_event(
            actor=actor,
            action="pathway.external_credential",
            target=external,
            data={"credential": credential_id, "verified": report.verified, "new": created},
            now=now,
        )
    return external, created


def get_external_credentials(learner: User) -> list[ExternalCredential]:
    """Return the credentials ``learner`` imported from other issuers, newest first."""
    return list(ExternalCredential.objects.filter(learner=learner))


def remove_external_credential(*, actor: User, external_id: int) -> None:
    """Remove one of ``actor``'s imported credentials; someone else's is reported as not found."""
    with transaction.atomic():
        external = (
            ExternalCredential.objects.select_for_update()
            .filter(learner=actor, pk=external_id)
            .first()
        )
        if external is None:
            raise NotFound(f"You have no imported credential {external_id}.", field="credential")
        record_event(
            actor=actor,
            action="pathway.external_credential_remove",
            target=external,
            data={"credential": external.credential_id},
        )
        external.delete()


# -- the stacked credential -------------------------------------------------------------------


def can_request(actor: User, pathway: Pathway, learner: User) -> bool:
    """Whether ``actor`` may ask for ``learner``'s stacked credential: themself or a
    registrar (or owner) of the pathway's organisation."""
    if actor.pk == learner.pk:
        return True
    return bool(organisations.get_roles(actor, pathway.organisation) & {Role.REGISTRAR, Role.OWNER})


def request_stacked_credential(
    *, actor: User, pathway: Pathway, learner: User, now: datetime | None = None
) -> StackedCredentialRequest:
    """Verify every component credential again and issue the pathway's target credential.

    The learner asks for themself, or a registrar of the pathway's organisation for them.
    Every credential the learner holds that could count toward the pathway is verified
    through the verification pipeline with its status; the engine then decides with the
    verified ones only. If the pathway is met, the target version is issued with
    ``evidence`` naming each component credential; if a component would be met but its
    credential is revoked, suspended, expired or does not verify, the request is refused,
    recorded and audited, naming that component (and, when the pathway is simply not met
    yet, refused saying what is missing). Asking again once issued returns the
    issued request: the credential is issued once per learner and pathway.
    """
    if not can_request(actor, pathway, learner):
        organisations.access_organisation(actor, pathway.organisation.slug, roles=REGISTRARS)
    if pathway.status != PathwayStatus.PUBLISHED:
        raise InvalidInput(f"{pathway.name} is not published.", field="pathway")
    if not learner.email:
        raise InvalidInput(
            "The learner needs an email address to receive a credential.", field="learner"
        )
    now = now or timezone.now()
    existing = _open_request(pathway, learner)
    if existing is not None and existing.award_id:
        return existing
    if existing is None:
        checked = _verified_components(pathway, learner, now=now)
        if checked.refusal:
            return _refuse(actor, pathway, learner, checked, now=now)
        existing = _record_decision(actor, pathway, learner, checked, now=now)
    return _issue(existing, now=now)


@dataclass
class _Checked:
    """Each component credential verified again, and the reason to refuse (empty if none)."""

    components: list[dict[str, Any]]
    refusal: str


def _verified_components(pathway: Pathway, learner: User, *, now: datetime) -> _Checked:
    """Verify each credential the learner holds for this pathway; decide on the verified."""
    holdings = _holdings(learner, valid_only=False, now=now)
    relevant = _relevant(pathway)
    components: list[dict[str, Any]] = []
    verified: list[Holding] = []
    failed: list[Holding] = []
    for holding in holdings:
        if holding.credential.achievement_id not in relevant:
            continue
        report = holding.verify(now)
        components.append(
            {
                "id": holding.id,
                "name": holding.name,
                "verified": report.verified,
                "problems": [check.message for check in report.failures],
            }
        )
        (verified if report.verified else failed).append(holding)
    progress = _progress(pathway, verified, learner, now=now)
    used = {c for ids in _used_by_component(progress.progress).values() for c in ids}
    components = [entry for entry in components if entry["id"] in used or not entry["verified"]]
    if progress.met:
        return _Checked(components, "")
    refusal = progress.progress.message
    if failed:
        refusal = "These component credentials did not verify: " + "; ".join(
            f"{entry['name']} ({entry['problems'][0] if entry['problems'] else 'no proof'})"
            for entry in components
            if not entry["verified"]
        )
    return _Checked(components, refusal)


def _relevant(pathway: Pathway) -> set[str]:
    """Return the achievement ids that may count: components and transfer value sources."""
    achievements = {component.get("achievement", "") for _, component in _components(pathway.rules)}
    for value in _transfer_values(pathway):
        achievements.add(value.achievement)
    return achievements - {""}


def _open_request(pathway: Pathway, learner: User) -> StackedCredentialRequest | None:
    return (
        StackedCredentialRequest.objects.filter(
            pathway=pathway, learner=learner, status=RequestStatus.ISSUED
        )
        .select_related("award")
        .first()
    )


def _refuse(
    actor: User, pathway: Pathway, learner: User, checked: _Checked, *, now: datetime
) -> StackedCredentialRequest:
    with transaction.atomic():
        request = StackedCredentialRequest.objects.create(
            pathway=pathway,
            learner=learner,
            requested_by=actor,
            requested_at=now,
            status=RequestStatus.REFUSED,
            components=checked.components,
            refusal=checked.refusal,
        )
        record_event(
            actor=actor,
            action="pathway.refuse",
            organisation=pathway.organisation,
            target=request,
            data={"pathway": pathway.slug, "learner": learner.pk, "reason": checked.refusal},
            now=now,
        )
    return request


def _record_decision(
    actor: User, pathway: Pathway, learner: User, checked: _Checked, *, now: datetime
) -> StackedCredentialRequest:
    """Record that every component verified: the authority the award is issued on."""
    request: StackedCredentialRequest | None
    try:
        with transaction.atomic():
            request = StackedCredentialRequest.objects.create(
                pathway=pathway,
                learner=learner,
                requested_by=actor,
                requested_at=now,
                status=RequestStatus.ISSUED,
                components=[entry for entry in checked.components if entry["verified"]],
            )
            record_event(
                actor=actor,
                action="pathway.request",
                organisation=pathway.organisation,
                target=request,
                data={"pathway": pathway.slug, "learner": learner.pk},
                now=now,
            )
    except IntegrityError:
        # A concurrent request for the same learner and pathway committed first.
        request = _open_request(pathway, learner)
        if request is None:
            raise
    return request


def _issue(request: StackedCredentialRequest, *, now: datetime) -> StackedCredentialRequest:
    """Issue the target credential on the authority of the recorded request (idempotent)."""
    pathway, learner = request.pathway, request.learner
    decision = awards.DecidedAward(
        decision=f"stacked-credential-request:{request.pk}",
        version=pathway.target,
        learner=learner,
        learner_name=learner.get_full_name() or learner.username,
        decided_by=request.requested_by,
        results=[],
        score=None,
        evidence=[_evidence(entry) for entry in request.components],
        narrative=f"Completed the pathway {pathway.name} of {pathway.organisation.name}.",
        idempotency_key=f"pathway:{pathway.pk}:learner:{learner.pk}",
    )
    award = awards.issue_decided_award(decision, now=now)
    with transaction.atomic():
        request.award = award
        request.save(update_fields=["award"])
        record_event(
            actor=request.requested_by,
            action="pathway.issue",
            organisation=pathway.organisation,
            target=request,
            data={"pathway": pathway.slug, "award": str(award.uuid)},
            now=now,
        )
    return request


def _evidence(component: dict[str, Any]) -> dict[str, str]:
    """Name a component credential as OB 3.0 Evidence: its id when it is a web address."""
    if component["id"].startswith(("https://", "http://")):
        return {"id": component["id"], "name": component["name"]}
    return {"name": component["name"], "narrative": f"Component credential {component['id']}."}


def credential_id(request: StackedCredentialRequest) -> str | None:
    """Return the id of the stacked credential a request issued, if it issued one."""
    if not request.award_id or request.award is None:
        return None
    return awards.credential_url(request.award)


def issue_pathway_clr(
    *, actor: User, pathway: Pathway, learner: User, now: datetime | None = None
) -> Any:
    """Issue a learner record (CLR 2.0) of the learner's stacked credential and its components.

    A registrar of the pathway's organisation issues it (``awards.issue_clr`` authorises and
    audits), signed by that organisation. It nests the stacked credential and every valid
    award of a component the learner holds on this platform, whichever organisation made
    it: each is nested as its issuer signed it, so it verifies on its own. Associations
    express the pathway: each component ``isChildOf`` the target, the target ``isParentOf``
    each.
    """
    now = now or timezone.now()
    request = _open_request(pathway, learner)
    if request is None or not request.award_id or request.award is None:
        raise InvalidInput(
            f"{learner} holds no stacked credential of {pathway.name} yet.",
            code="pathway.not_issued",
            field="learner",
        )
    components = {component.get("achievement") for _, component in _components(pathway.rules)}
    nested = [
        award
        for award in awards.get_learner_awards(learner)
        if award.pk != request.award_id
        and _valid_now(award, now)
        and catalogue.achievement_id(award.version) in components
    ]
    target = catalogue.achievement_id(pathway.target)
    associations = []
    for achievement in dict.fromkeys(catalogue.achievement_id(award.version) for award in nested):
        associations += _pathway_associations(achievement, target)
    return awards.issue_clr(
        actor=actor,
        organisation=pathway.organisation,
        learner=learner,
        awards=[request.award, *nested],
        associations=associations,
        any_issuer=True,
        now=now,
    )


def _valid_now(award: Any, now: datetime) -> bool:
    return award.status == "active" and not (award.valid_until and award.valid_until <= now)


def _pathway_associations(component: str, target: str) -> list[Any]:
    """Return how a component's achievement relates to the pathway's target, both ways."""
    return [
        awards.ClrAssociation(component, target, "isChildOf"),
        awards.ClrAssociation(target, component, "isParentOf"),
    ]


def get_clr_associations(learner: User, nested: Any) -> tuple[list[Any], list[dict[str, Any]]]:
    """Return the pathway structure among the awards a learner's own record nests.

    For each published pathway one of ``nested`` is a component of, the component
    ``isChildOf`` the pathway's target and the target ``isParentOf`` it; the target's
    achievement is added to the record when the learner does not hold it there (a goal
    not reached yet), so every association names an achievement the record carries.
    Awards registers this as a source of associations for downloaded records.
    """
    held = {catalogue.achievement_id(award.version) for award in nested}
    associations: list[Any] = []
    goals: dict[str, dict[str, Any]] = {}
    for pathway in get_published_pathways():
        target = catalogue.achievement_id(pathway.target)
        components = {c.get("achievement") for _, c in _components(pathway.rules)}
        for achievement in sorted(held & components):
            for association in _pathway_associations(achievement, target):
                if association not in associations:
                    associations.append(association)
            if target not in held and target not in goals:
                goals[target] = catalogue.get_achievement(pathway.target)
    return associations, list(goals.values())


def record_id(record: Any) -> str:
    """Return a learner record's id: the public URL that serves the signed CLR."""
    return public_urls.learner_record_url(record.uuid)


def get_learner_requests(learner: User, pathway: Pathway) -> list[StackedCredentialRequest]:
    return list(StackedCredentialRequest.objects.filter(learner=learner, pathway=pathway))


def get_registrar_view(
    actor: User, organisation: str
) -> list[tuple[Pathway, list[PathwayProgress]]]:
    """Return, for a registrar, each published pathway with the progress of every learner who
    holds at least one of its components (awards of this organisation's versions or others)."""
    owner = organisations.access_organisation(actor, organisation, roles=REGISTRARS)
    now = timezone.now()
    view = []
    for pathway in get_published_pathways(owner.slug):
        learners: dict[int | None, User] = {}
        for _, component in _components(pathway.rules):
            version = _platform_version(component.get("achievement", ""))
            if version is None:
                continue
            for award in awards.get_issued_awards().filter(version=version, learner__isnull=False):
                if award.learner is not None:
                    learners[award.learner_id] = award.learner
        view.append(
            (pathway, [get_progress(learner, pathway, now=now) for learner in learners.values()])
        )
    return view
