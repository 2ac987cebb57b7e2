"""An organisation's public profile: checking its fields, and its Open Badges 3.0 ``Profile``.

The profile is what learners and verifiers read about an issuer, so every
field is checked before it is stored, and a bad one is reported by name (with
its JSON path inside a list, such as ``identifiers[1].identifierType``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import models
from django.utils.translation import gettext

from microcred.errors import InvalidInput
from microcred.frameworks.places import country_code
from microcred.inputs import clean_text
from microcred.organisations.models import Organisation, OrganisationType
from microcred.vc import ob3_builders as ob3
from microcred.vc.ob3 import EXTENSION_PREFIX, IDENTIFIER_TYPES

PROFILE_FIELDS = (
    "name",
    "legal_name",
    "type",
    "country",
    "region",
    "url",
    "email",
    "description",
    "accreditations",
    "identifiers",
    "eidas_identifier",
)
ACCREDITATION_KEYS = ("name", "body", "url")
IDENTIFIER_KEYS = ("identifier", "identifierType")
_web_address = URLValidator(schemes=["http", "https"])


def _max_length(field: str) -> int | None:
    model_field = Organisation._meta.get_field(field)
    return model_field.max_length if isinstance(model_field, models.Field) else None


def _url(value: Any, field: str) -> str:
    value = clean_text(value, field, limit=200)
    if value:
        try:
            _web_address(value)
        except ValidationError:
            raise InvalidInput(
                gettext("%(field)s must be a web address starting with https:// or http://.")
                % {"field": field},
                field=field,
            ) from None
    return value


def _name(value: Any) -> str:
    if isinstance(value, str) and not value.strip():
        raise InvalidInput(gettext("The organisation needs a name."), field="name")
    return clean_text(value, "name", required=True, limit=_max_length("name"))


def _type(value: Any) -> str:
    if value not in OrganisationType.values:
        raise InvalidInput(
            f"Unknown organisation type {value!r}; "
            f"choose one of {', '.join(OrganisationType.values)}.",
            field="type",
        )
    return value


def _country(value: Any) -> str:
    code = country_code(value, "country")
    if not code:
        raise InvalidInput(
            gettext("country is required: the organisation's country."), field="country"
        )
    return code


def _email(value: Any) -> str:
    value = clean_text(value, "email", limit=_max_length("email"))
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise InvalidInput(
                gettext("%(email)s is not an email address.") % {"email": repr(value)},
                field="email",
            ) from None
    return value


def _entries(
    value: Any, field: str, keys: tuple[str, ...], check: Callable[[dict[str, str], str], None]
) -> list[dict[str, str]]:
    """Check a list of small objects with text values; drop empty optional values."""
    if not isinstance(value, list):
        raise InvalidInput(f"{field} must be a list.", field=field)
    entries = []
    for index, entry in enumerate(value):
        path = f"{field}[{index}]"
        if not isinstance(entry, dict):
            raise InvalidInput(f"{path} must be an object.", field=path)
        unknown = sorted(set(entry) - set(keys))
        if unknown:
            raise InvalidInput(
                f"{path}.{unknown[0]} is not known; use {', '.join(keys)}.",
                field=f"{path}.{unknown[0]}",
            )
        cleaned = {
            key: clean_text(entry[key], f"{path}.{key}", limit=500)
            for key in keys
            if key in entry and entry[key] not in (None, "")
        }
        check(cleaned, path)
        entries.append(cleaned)
    return entries


def _accreditation(entry: dict[str, str], path: str) -> None:
    if not entry.get("name"):
        raise InvalidInput(
            gettext("%(path)s.name is required: what the organisation is accredited as or for.")
            % {"path": path},
            field=f"{path}.name",
        )
    if "url" in entry:
        _url(entry["url"], f"{path}.url")


def _identifier(entry: dict[str, str], path: str) -> None:
    """Check an identifier as OB 3.0 ``IdentifierEntry`` (appendix B, IdentifierTypeEnum)."""
    if not entry.get("identifier"):
        raise InvalidInput(
            gettext("%(path)s.identifier is required.") % {"path": path},
            field=f"{path}.identifier",
        )
    kind = entry.get("identifierType", "")
    if kind not in IDENTIFIER_TYPES and not kind.startswith(EXTENSION_PREFIX):
        raise InvalidInput(
            gettext(
                "%(path)s.identifierType %(kind)s is not an Open Badges identifier type: use one "
                "of %(types)s, or an extension such as ext:ErasmusCode."
            )
            % {"path": path, "kind": repr(kind), "types": ", ".join(sorted(IDENTIFIER_TYPES))},
            field=f"{path}.identifierType",
        )


EIDAS_IDENTIFIER = re.compile(r"[A-Z]{2}/[A-Z]{2}/[A-Za-z0-9:._+-]{1,180}")


def _eidas(value: Any) -> str:
    """An eIDAS legal person identifier: origin country / destination country / identifier
    (eIDAS SAML attribute profile, LegalPersonIdentifier), such as BE/BE/0123456789."""
    text = clean_text(value, "eidas_identifier", limit=_max_length("eidas_identifier"))
    if text and not EIDAS_IDENTIFIER.fullmatch(text):
        raise InvalidInput(
            gettext(
                "eidas_identifier must be an eIDAS legal person identifier such as "
                "BE/BE/0123456789 (two country codes and the identifier, separated by slashes)."
            ),
            field="eidas_identifier",
        )
    return text


CLEANERS: dict[str, Callable[[Any], Any]] = {
    "name": _name,
    "legal_name": lambda value: clean_text(value, "legal_name", limit=_max_length("legal_name")),
    "type": _type,
    "country": _country,
    "region": lambda value: clean_text(value, "region", limit=_max_length("region")),
    "url": lambda value: _url(value, "url"),
    "email": _email,
    "description": lambda value: clean_text(value, "description", limit=5000),
    "accreditations": lambda value: _entries(
        value, "accreditations", ACCREDITATION_KEYS, _accreditation
    ),
    "identifiers": lambda value: _entries(value, "identifiers", IDENTIFIER_KEYS, _identifier),
    "eidas_identifier": _eidas,
}


def clean_profile(fields: Mapping[str, Any]) -> dict[str, Any]:
    """Return the profile fields checked and normalised; raise :class:`InvalidInput` on the first
    bad one, in the order of :data:`PROFILE_FIELDS`."""
    unknown = sorted(set(fields) - set(PROFILE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"{unknown[0]} is not a profile field; use {', '.join(PROFILE_FIELDS)}.",
            field=unknown[0],
        )
    return {name: CLEANERS[name](fields[name]) for name in PROFILE_FIELDS if name in fields}


def profile_document(
    organisation: Organisation, *, did: str, page_url: str, embedded: bool = False
) -> dict[str, Any]:
    """Return the organisation as an Open Badges 3.0 ``Profile`` (appendix B, Profile).

    ``id`` is the organisation's DID, so that credentials naming this profile
    as ``issuer`` are checked against the keys of its DID document.
    ``embedded`` leaves out ``@context``, for a profile inside a credential.
    """
    profile = ob3.build_profile(
        id=did,
        name=organisation.name,
        url=organisation.url or page_url,
        email=organisation.email,
        description=organisation.description,
        address=ob3.build_address(country_code=organisation.country, region=organisation.region),
        other_identifiers=[
            ob3.build_identifier_entry(
                identifier=entry["identifier"], identifier_type=entry["identifierType"]
            )
            for entry in organisation.identifiers
        ],
    )
    return profile if embedded else ob3.with_context(profile)
