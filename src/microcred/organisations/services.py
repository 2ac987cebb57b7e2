"""Organisations, their members and roles, and their signing keys.

``create_*`` and ``rotate_*`` act (they validate, authorise, change state and
write an audit event in one transaction); ``access_*`` fetch and authorise;
``get_*`` only read.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from microcred.audit.services import record_event
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations.keystore import decrypt_secret, encrypt_secret
from microcred.organisations.models import (
    KeyStatus,
    Membership,
    Organisation,
    OrganisationType,
    Role,
    SigningKey,
)
from microcred.vc.keys import Ed25519Multikey


def organisation_did(organisation: Organisation) -> str:
    """Return the organisation's did:web, from the platform's public address."""
    from urllib.parse import quote, urlsplit

    parts = urlsplit(settings.PUBLIC_URL)
    host = quote(parts.netloc, safe="")
    path = [segment for segment in parts.path.split("/") if segment]
    return ":".join(["did:web", host, *path, "orgs", organisation.slug])


def verification_method_id(key: SigningKey) -> str:
    return f"{organisation_did(key.organisation)}#{key.key_id}"


def create_organisation(
    *,
    actor: Any,
    name: str,
    type: str,
    country: str,
    slug: str | None = None,
    owner: Any = None,
    **profile: Any,
) -> Organisation:
    """Create an organisation with its first signing key; ``owner`` (default: actor) owns it."""
    slug = slug or slugify(name)[:60]
    if not name.strip():
        raise InvalidInput("The organisation needs a name.", field="name")
    if not slug:
        raise InvalidInput(
            "The organisation needs a slug of letters, digits and hyphens.", field="slug"
        )
    if type not in OrganisationType.values:
        raise InvalidInput(
            f"Unknown organisation type {type!r}; "
            f"choose one of {', '.join(OrganisationType.values)}.",
            field="type",
        )
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(
            "country must be an ISO 3166-1 alpha-2 code such as NL.", field="country"
        )
    with transaction.atomic():
        if Organisation.objects.filter(slug=slug).exists():
            raise Conflict(f"An organisation with the slug {slug!r} exists already.", field="slug")
        organisation = Organisation.objects.create(
            slug=slug, name=name.strip(), type=type, country=country.upper(), **profile
        )
        owner = owner or actor
        if owner is not None and getattr(owner, "pk", None):
            Membership.objects.create(organisation=organisation, user=owner, role=Role.OWNER)
        _new_key(organisation)
        record_event(
            actor=actor,
            action="organisation.create",
            organisation=organisation,
            target=organisation,
        )
    return organisation


def _new_key(organisation: Organisation) -> SigningKey:
    pair = Ed25519Multikey.generate()
    number = organisation.keys.count() + 1
    return SigningKey.objects.create(
        organisation=organisation,
        key_id=f"key-{number}",
        public_key_multibase=pair.public.public_key_multibase,
        encrypted_secret=encrypt_secret(pair.seed),
    )


def get_roles(user: Any, organisation: Organisation) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Membership.objects.filter(organisation=organisation, user=user).values_list(
            "role", flat=True
        )
    )


def access_organisation(actor: Any, slug: str, *, roles: Iterable[str] = ()) -> Organisation:
    """Return the organisation if ``actor`` holds one of ``roles`` in it (any role if empty).

    Owners may do everything. Platform admins (``is_staff``) pass too. A
    non-member gets :class:`NotFound`, so outsiders learn nothing; a member
    without the role gets :class:`Forbidden`.
    """
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist:
        raise NotFound(f"No organisation {slug!r}.", field="organisation") from None
    if getattr(actor, "is_staff", False) and getattr(actor, "is_active", False):
        return organisation
    held = get_roles(actor, organisation)
    if not held:
        raise NotFound(f"No organisation {slug!r}.", field="organisation")
    wanted = set(roles)
    if wanted and not (held & (wanted | {Role.OWNER})):
        raise Forbidden(
            f"This needs the role {' or '.join(sorted(wanted))} in {organisation.name}.",
            data={"roles": sorted(wanted)},
        )
    return organisation


def get_active_key(organisation: Organisation) -> SigningKey:
    try:
        return organisation.keys.get(status=KeyStatus.ACTIVE)
    except SigningKey.DoesNotExist:
        raise Conflict(f"{organisation.name} has no active signing key.") from None


def get_signer(organisation: Organisation) -> tuple[Ed25519Multikey, str]:
    """Return the active key pair and its verification method id, for signing only."""
    key = get_active_key(organisation)
    return Ed25519Multikey.from_seed(decrypt_secret(key.encrypted_secret)), verification_method_id(
        key
    )
