"""Credential Engine: the organisation's CTDL graph, and publishing it to a registry.

One graph per organisation holds the organisation, the latest published version of each of
its micro-credentials (with its assessment profile and its learning outcomes as a competency
framework) and its published pathways (:mod:`microcred.frameworks.ctdl` builds them). CTIDs
are UUID5s of the resources' public URLs, so every export of the same record carries the
same CTID and publishing again updates the registry's records rather than adding new ones.

Publishing follows the Registry Assistant API: a ``POST`` of ``{"PublishForOrganizationIdentifier":
<organisation CTID>, "GraphInput": <graph>}`` with the header ``Authorization: ApiToken <key>``
to ``MICROCRED_CTDL_REGISTRY_URL``; the registry answers with an envelope (``Successful``,
``Messages``, ``CTID``, ``RegistryEnvelopeIdentifier``...). Every answer is recorded as a
:class:`Publication`, a refusal too; a registry that cannot be reached records nothing.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext

from microcred.accounts.services import User
from microcred.audit.services import record_event
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.credentialengine.models import Publication
from microcred.errors import MicrocredError
from microcred.frameworks import ctdl
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, Role
from microcred.pathways import services as pathways

__all__ = [
    "PUBLISHERS",
    "Publication",
    "RegistryNotConfigured",
    "RegistryUnreachable",
    "get_organisation_graph",
    "get_publications",
    "get_version_graph",
    "graph_url",
    "is_configured",
    "publish",
]

PUBLISHERS = (Role.DESIGNER,)
# A registry's envelope is small; a larger answer is kept only in part.
MAX_REPLY = 64 * 1024
MAX_MESSAGES = 50


class RegistryNotConfigured(MicrocredError):
    """No registry URL or API key is set: the platform cannot publish anywhere."""

    code = "registry.not_configured"


class RegistryUnreachable(MicrocredError):
    """The registry could not be reached or did not answer in time; nothing was published."""

    code = "registry.unreachable"


def graph_url(organisation_slug: str) -> str:
    """Return where the organisation's CTDL graph is served."""
    return public_urls.absolute(f"/orgs/{organisation_slug}/ctdl.json")


def is_configured() -> bool:
    return bool(settings.CTDL_REGISTRY_URL and settings.CTDL_API_KEY)


def get_organisation_graph(organisation_slug: str) -> dict[str, Any]:
    """Return the organisation's CTDL graph: itself, its published micro-credentials (latest
    versions) and its published pathways."""
    organisation = organisations.get_organisation(organisation_slug)
    owner = public_urls.profile_url(organisation.slug)
    credentials: list[dict[str, Any]] = []
    offered: list[str] = []
    versions = catalogue.get_published_versions(organisation=organisation.slug)
    # Every version's outcomes and skills in two queries, however many versions there are.
    prefetch_related_objects(versions, "outcomes__alignments")
    for version in versions:
        resources = ctdl.credential_resources(_record(version), owner=owner)
        offered.append(resources[0]["@id"])
        credentials.extend(resources)
    owned_pathways = sorted(
        pathways.get_published_pathways(organisation.slug), key=lambda item: item.slug
    )
    pathway_resources = [
        resource for pathway in owned_pathways for resource in pathways.get_ctdl(pathway)["@graph"]
    ]
    pathway_ids = [item["@id"] for item in pathway_resources if item["@type"] == "ceterms:Pathway"]
    organisation_node = ctdl.organisation_node(
        _organisation_record(organisation), owns=[*offered, *pathway_ids], offers=offered
    )
    return ctdl.graph(
        graph_url(organisation.slug), [organisation_node, *credentials, *pathway_resources]
    )


def get_version_graph(organisation_slug: str, slug: str, number: int) -> dict[str, Any]:
    """Return one public version of a micro-credential as CTDL, with its organisation."""
    version = catalogue.get_version(organisation=organisation_slug, slug=slug, number=number)
    organisation = version.microcredential.organisation
    owner = public_urls.profile_url(organisation.slug)
    resources = ctdl.credential_resources(_record(version), owner=owner)
    url = public_urls.absolute(f"/catalogue/{organisation.slug}/{slug}/v{number}/ctdl.json")
    organisation_node = ctdl.organisation_node(
        _organisation_record(organisation), owns=[resources[0]["@id"]]
    )
    return ctdl.graph(url, [organisation_node, *resources])


def _organisation_record(organisation: Organisation) -> ctdl.OrganisationRecord:
    return ctdl.OrganisationRecord(
        url=public_urls.profile_url(organisation.slug),
        name=organisation.name,
        country=organisation.country,
        type=organisation.type,
        description=organisation.description,
        webpage=organisation.url,
        email=organisation.email,
        region=organisation.region,
    )


def _record(version: catalogue.MicroCredentialVersion) -> ctdl.CredentialRecord:
    microcredential = version.microcredential
    credits = {credit.system: float(credit.value) for credit in version.credits.all()}
    if "HOURS" not in credits and version.workload_hours is not None:
        credits["HOURS"] = float(version.workload_hours)
    achievement = catalogue.achievement_id(version)
    return ctdl.CredentialRecord(
        url=public_urls.catalogue_url(microcredential.organisation.slug, microcredential.slug),
        webpage=catalogue.version_url(version),
        achievement=achievement,
        name=version.title,
        version=version.number,
        achievement_type=version.achievement_type,
        assessment=version.assessment_type,
        participation_form=version.participation_form,
        criteria=version.criteria,
        description=version.description,
        published=version.published_at.date() if version.published_at else None,
        languages=tuple(version.languages),
        keywords=tuple(version.tags),
        image=f"{achievement}/image" if version.image else "",
        credits=credits,
        outcomes=tuple(
            ctdl.Outcome(
                outcome.text,
                tuple((skill.uri, skill.label) for skill in outcome.alignments.all()),
            )
            for outcome in version.outcomes.all()
        ),
    )


# -- publishing -------------------------------------------------------------------------------


def get_publications(*, actor: User, organisation: str) -> tuple[Organisation, list[Publication]]:
    """Return the organisation and its publications, newest first, for its publishers."""
    owner = organisations.access_organisation(actor, organisation, roles=PUBLISHERS)
    return owner, list(
        Publication.objects.filter(organisation=owner).select_related("published_by")
    )


def publish(*, actor: User, organisation: str) -> Publication:
    """Publish the organisation's graph to the configured registry and record its answer.

    Raises :class:`RegistryNotConfigured` when no registry is configured, and
    :class:`RegistryUnreachable` when the registry does not answer (nothing is recorded);
    a refusal by the registry is recorded with its messages and returned.
    """
    owner = organisations.access_organisation(actor, organisation, roles=PUBLISHERS)
    if not is_configured():
        raise RegistryNotConfigured(
            gettext(
                "Publishing to Credential Engine is not set up on this platform: its "
                "administrator sets MICROCRED_CTDL_REGISTRY_URL and MICROCRED_CTDL_API_KEY."
            ),
            field="registry",
        )
    document = get_organisation_graph(owner.slug)
    organisation_ctid = ctdl.ctid(public_urls.profile_url(owner.slug))
    registry = settings.CTDL_REGISTRY_URL
    try:
        with httpx.stream(
            "POST",
            registry,
            json={"PublishForOrganizationIdentifier": organisation_ctid, "GraphInput": document},
            headers={
                "Authorization": f"ApiToken {settings.CTDL_API_KEY}",
                "Accept": "application/json",
            },
            timeout=settings.CTDL_REGISTRY_TIMEOUT,
        ) as response:
            status = response.status_code
            body = _read(response)
    except httpx.HTTPError as error:
        raise RegistryUnreachable(
            gettext(
                "The Credential Engine registry at %(registry)s could not be reached "
                "(%(problem)s); nothing was published. Try again later."
            )
            % {"registry": registry, "problem": type(error).__name__},
            field="registry",
        ) from error
    reply, successful, messages = _envelope(status, body)
    with transaction.atomic():
        publication = Publication.objects.create(
            organisation=owner,
            published_by=actor,
            registry_url=registry,
            organisation_ctid=organisation_ctid,
            resources=len(document["@graph"]),
            successful=successful,
            http_status=status,
            registry_ctid=str(reply.get("CTID") or "")[:60],
            envelope=str(reply.get("RegistryEnvelopeIdentifier") or "")[:200],
            messages=messages,
            reply=reply,
        )
        record_event(
            actor=actor,
            action="ctdl.publish" if successful else "ctdl.publish_refused",
            organisation=owner,
            target=publication,
            data={"registry": registry, "status": status, "messages": messages},
        )
    return publication


def _read(response: httpx.Response) -> bytes:
    """Return the answer's first :data:`MAX_REPLY` bytes: an envelope is small, and a registry
    gone wrong must not fill the memory."""
    body = b""
    for chunk in response.iter_bytes():
        body += chunk
        if len(body) >= MAX_REPLY:
            break
    return body[:MAX_REPLY]


def _envelope(status: int, body: bytes) -> tuple[dict[str, Any], bool, list[str]]:
    """Read the registry's envelope: the reply kept, whether it succeeded, its messages."""
    try:
        # PostgreSQL keeps no NUL character in JSON: an answer carrying one keeps U+FFFD instead.
        reply = json.loads(body.replace(b"\\u0000", b"\\ufffd"))
    except ValueError:
        reply = None
    if not isinstance(reply, dict):
        text = body.decode("utf-8", "replace").replace("\x00", "\ufffd")
        return (
            {"body": text},
            False,
            [f"The registry answered HTTP {status} without a publishing envelope."],
        )
    raw = reply.get("Messages")
    messages = [str(item) for item in raw[:MAX_MESSAGES]] if isinstance(raw, list) else []
    successful = reply.get("Successful") is True and 200 <= status < 300
    if not successful and not messages:
        messages = [f"The registry refused the graph (HTTP {status})."]
    return reply, successful, messages
