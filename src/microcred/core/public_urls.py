"""The public addresses the platform signs into credentials and links from its messages.

Every URL that leaves the platform inside a signed document (credential ids,
achievement ids, status lists, did:web DIDs and their verification methods,
QA reports, public evidence) is built here and nowhere else. Once signed, an
address cannot change, so these are written out as the contract they are
rather than reversed from route names that a refactoring could rename; a test
resolves every address built here against the site's URLs.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit
from uuid import UUID

from django.conf import settings

__all__ = [
    "absolute",
    "achievement_id",
    "catalogue_url",
    "credential_url",
    "did_document_url",
    "learner_dashboard_url",
    "learner_record_url",
    "organisation_did",
    "profile_url",
    "public_evidence_url",
    "public_key_url",
    "qa_report_url",
    "status_list_url",
    "verification_method_id",
]


def absolute(path: str) -> str:
    """Return ``path`` (starting with ``/``) on the platform's public address."""
    return f"{settings.PUBLIC_URL}{path}"


def credential_url(award_uuid: UUID | str) -> str:
    """Return an award's credential id: the URL of its public page."""
    return absolute(f"/credentials/{award_uuid}")


def learner_record_url(record_uuid: UUID | str) -> str:
    """Return a signed learner record's id (CLR 2.0 ``ClrCredential``): the URL serving it."""
    return absolute(f"/records/{record_uuid}")


def achievement_id(achievement_uuid: UUID | str) -> str:
    """Return a version's stable OB 3.0 Achievement id, a URL that serves it."""
    return absolute(f"/achievements/{achievement_uuid}")


def catalogue_url(organisation: str, credential: str, number: int | None = None) -> str:
    """Return a micro-credential's catalogue page (a version's, given its number)."""
    version = f"v{number}/" if number is not None else ""
    return absolute(f"/catalogue/{organisation}/{credential}/{version}")


def qa_report_url(organisation: str, credential: str, number: int) -> str:
    """Return a version's public quality assurance report."""
    return absolute(f"/qa/{organisation}/{credential}/v{number}/")


def status_list_url(organisation: str, list_slug: str) -> str:
    """Return where a status list credential is published (``statusListCredential``)."""
    return absolute(f"/status/{organisation}/{list_slug}")


def profile_url(organisation: str) -> str:
    """Return an organisation's public page."""
    return absolute(f"/orgs/{organisation}/")


def did_document_url(organisation: str) -> str:
    """Return where the organisation's DID document is served (where did:web looks)."""
    return absolute(f"/orgs/{organisation}/did.json")


def organisation_did(organisation: str) -> str:
    """Return the organisation's did:web, from the platform's public address.

    did:web spec, section 3.1: the host (a port percent-encoded), then the
    path segments joined by colons; ``did:web:<host>:orgs:<slug>`` is read
    from ``<PUBLIC_URL>/orgs/<slug>/did.json``.
    """
    parts = urlsplit(settings.PUBLIC_URL)
    host = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path, "orgs", organisation])


def verification_method_id(organisation: str, key_id: str) -> str:
    """Return the id of one of the organisation's keys in its DID document."""
    return f"{organisation_did(organisation)}#{key_id}"


def public_key_url(organisation: str, key_id: str) -> str:
    """Return where one of the organisation's public keys is served as a JWK.

    The ``kid`` of the VC-JWTs it signs: Open Badges 3.0 section 8.2.3 asks
    for a URI that dereferences to the JWK of the signing key.
    """
    return absolute(f"/orgs/{organisation}/keys/{key_id}.jwk")


def public_evidence_url(evidence_uuid: UUID | str) -> str:
    """Return the public page of an evidence item its learner made public."""
    return absolute(f"/evidence/{evidence_uuid}")


def learner_dashboard_url() -> str:
    """Return the learner's dashboard, linked from notification emails."""
    return absolute("/me/")
