"""Verification for the public page and the API: the engine, configured from the settings."""

from __future__ import annotations

import functools
import hashlib
import hmac
import math
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from limits import parse_many
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from microcred.awards import services as awards
from microcred.core import public_urls
from microcred.errors import RateLimited
from microcred.organisations.services import get_platform_fetcher
from microcred.vc import VerificationReport, verify
from microcred.vc.http import Fetcher, FetchLimits
from microcred.vc.suites import BoundedProofHashes
from microcred.verification.samples import SAMPLES, demo_dir

__all__ = [
    "CredentialCard",
    "EmailCheck",
    "check_verification_rate",
    "describe_credential",
    "get_fetcher",
    "get_sample",
    "get_samples",
    "verify_payload",
]


# Canonical proof configurations, shared by every verification this process makes: the
# credentials of one issuing batch (and a status list's every check) share theirs. Only
# ever used with the default JSON-LD loader, as verify_payload does.
_PROOF_HASHES = BoundedProofHashes(size=4096)


def get_fetcher() -> Fetcher:
    """Return the fetcher verification uses for did:web documents and status lists.

    The platform's own URLs are answered from its database; others over HTTPS.
    """
    return get_platform_fetcher()


def verify_payload(*, data: bytes, source: str) -> list[VerificationReport]:
    """Verify whatever a visitor submitted; raise ``InputError`` when it cannot be read.

    The whole submission shares one fetch deadline, so that an anonymous
    visitor cannot hold a worker longer than that.
    """
    limits = FetchLimits(
        seconds=settings.VERIFY_DEADLINE_SECONDS, max_fetches=settings.VERIFY_MAX_FETCHES
    )
    return verify(
        data,
        source=source,
        fetcher=get_fetcher(),
        now=datetime.now(UTC),
        limits=limits,
        proof_hashes=_PROOF_HASHES,
    )


def check_verification_rate(*, address: str) -> None:
    """Count one verification request from ``address``; raise ``RateLimited`` past the limit.

    Every request counts, readable or not, so that garbage cannot keep the verifier busy
    either. The window moves: a client that waits ``retry_after`` seconds may send again.
    """
    limiter = _rate_limiter(settings.RATE_LIMIT_STORAGE)
    for limit in parse_many(settings.VERIFY_RATE_LIMIT):
        if limiter.hit(limit, "verify", address):
            continue
        reset_at = limiter.get_window_stats(limit, "verify", address).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        raise RateLimited(
            f"Too many verification requests from your address ({limit} are allowed); "
            f"try again in {retry_after} seconds.",
            retry_after=retry_after,
            data={"limit": str(limit)},
        )


@functools.cache
def _rate_limiter(storage_uri: str) -> MovingWindowRateLimiter:
    """Return one limiter per storage, so that its counts outlive a request."""
    return MovingWindowRateLimiter(storage_from_string(storage_uri))


def get_samples() -> list[dict[str, str]]:
    """Return the demo samples that exist, for the page's "try a sample" list."""
    folder = demo_dir()
    return [
        {"name": name, "description": str(description)}
        for name, description in SAMPLES.items()
        if (folder / name).is_file()
    ]


def get_sample(name: str) -> bytes | None:
    """Return a demo sample's bytes by its exact name, or None; other files are never served."""
    if name not in SAMPLES:
        return None
    path = demo_dir() / name
    return path.read_bytes() if path.is_file() else None


# -- what the page shows beside a report ------------------------------------------------------

# Images the page may show inline, as the site's Content-Security-Policy allows (``img-src``
# 'self' data:): base64 data of a raster or SVG image, which an <img> never runs as a script.
DATA_IMAGE = re.compile(r"data:image/(?:png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/]+={0,2}")
# The platform's own badge images: an achievement's, a credential's baked badge.
OWN_IMAGE_PATH = re.compile(
    r"/(?:achievements/[0-9a-f-]{36}/image|credentials/[0-9a-f-]{36}\.(?:svg|png))"
)
# An Open Badges IdentityHash: the algorithm, then the hexadecimal digest.
SHA256_IDENTITY = re.compile(r"sha256\$([0-9a-fA-F]{64})")


class EmailCheck(StrEnum):
    """What checking an email address against the credential's holder found."""

    ISSUED_TO = "issued-to"
    NOT_ISSUED_TO = "not-issued-to"
    NO_EMAIL = "no-email"  # the credential does not name its holder by an email address
    UNSUPPORTED = "unsupported"  # it does, hashed with an algorithm other than SHA-256


@dataclass(frozen=True)
class CredentialCard:
    """Who and what a verified document is about, read from it for people (never trusted
    beyond what its report says).

    ``image`` is an address safe to load here (a data: image, or a path of this site);
    ``image_link`` an https image elsewhere, to link, not load; ``page`` the credential's
    page: a path of this site when it is one of this platform's, else its https id.
    """

    holder_name: str = ""
    image: str = ""
    image_link: str = ""
    page: str = ""
    page_is_ours: bool = False
    holds_email: bool = False
    email_check: EmailCheck | None = None

    @property
    def page_host(self) -> str:
        return urlsplit(self.page).hostname or ""

    @property
    def image_host(self) -> str:
        return urlsplit(self.image_link).hostname or ""


def describe_credential(report: VerificationReport, *, email: str = "") -> CredentialCard:
    """Return what the page shows about the credential of ``report``: its holder's name,
    badge image and page, and, given ``email``, whether it was issued to that address."""
    credential = report.credential if isinstance(report.credential, dict) else {}
    subject = credential.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    identities = _identities(credential, subject)
    award = awards.find_award_by_credential_id(credential.get("id"))
    image, image_link = _image(credential, subject)
    if award is not None:
        page = public_urls.credential_url(award.uuid).removeprefix(settings.PUBLIC_URL)
        image = image or f"{page}.svg"
    else:
        page = _https(credential.get("id"))
    emails = [
        (hashed, salt, identity) for kind, hashed, salt, identity in identities if kind == "email"
    ]
    return CredentialCard(
        holder_name=next(
            (identity for kind, hashed, _, identity in identities if kind == "name" and not hashed),
            _text(subject.get("name")),
        ),
        image=image,
        image_link=image_link,
        page=page,
        page_is_ours=award is not None,
        holds_email=bool(emails),
        email_check=_check_email(email, emails) if email else None,
    )


def _identities(
    credential: dict[str, Any], subject: dict[str, Any]
) -> list[tuple[str, bool, str, str]]:
    """Return ``(kind, hashed, salt, identity)`` of each identity the document names its holder
    by: Open Badges 3.0 ``identifier`` (IdentityObject) or an Open Badges 2.0 ``recipient``."""
    kinds = {"emailAddress": "email", "email": "email", "name": "name"}
    objects = subject.get("identifier")
    objects = objects if isinstance(objects, list) else [objects]
    found = [
        (
            kinds.get(str(item.get("identityType")), ""),
            item.get("hashed") is True,
            _text(item.get("salt")),
            _text(item.get("identityHash")),
        )
        for item in objects
        if isinstance(item, dict)
    ]
    recipient = credential.get("recipient")
    if isinstance(recipient, dict):
        found.append(
            (
                kinds.get(str(recipient.get("type")), ""),
                recipient.get("hashed") is True,
                _text(recipient.get("salt")),
                _text(recipient.get("identity")),
            )
        )
    return [identity for identity in found if identity[0] and identity[3]]


def _check_email(email: str, identities: list[tuple[bool, str, str]]) -> EmailCheck:
    """Compare ``email`` with the holder's email identities, hashed as Open Badges hashes them
    (``sha256$`` + hex(SHA-256(address + salt))); an address is compared as typed and in
    lower case, the form issuers hash."""
    if not identities:
        return EmailCheck.NO_EMAIL
    candidates = {email.strip(), email.strip().lower()}
    supported = False
    for hashed, salt, identity in identities:
        if not hashed:
            supported = True
            if identity.strip().lower() == email.strip().lower():
                return EmailCheck.ISSUED_TO
            continue
        match = SHA256_IDENTITY.fullmatch(identity)
        if match is None:
            continue
        supported = True
        for candidate in candidates:
            digest = hashlib.sha256((candidate + salt).encode("utf-8")).hexdigest()
            if hmac.compare_digest(digest, match[1].lower()):
                return EmailCheck.ISSUED_TO
    return EmailCheck.NOT_ISSUED_TO if supported else EmailCheck.UNSUPPORTED


def _image(credential: dict[str, Any], subject: dict[str, Any]) -> tuple[str, str]:
    """Return ``(image, image_link)`` of the credential's image or its achievement's."""
    achievement = subject.get("achievement")
    achievement = achievement if isinstance(achievement, dict) else {}
    for image in (credential.get("image"), achievement.get("image")):
        address = image.get("id") if isinstance(image, dict) else image
        if not isinstance(address, str):
            continue
        if DATA_IMAGE.fullmatch(address):
            return address, ""
        own = address.removeprefix(settings.PUBLIC_URL)
        if own != address and OWN_IMAGE_PATH.fullmatch(own):
            return own, ""
        if _https(address):
            return "", address
    return "", ""


def _https(value: Any) -> str:
    """Return ``value`` if it is an https URL with a host, else nothing."""
    if not isinstance(value, str) or any(character.isspace() for character in value):
        return ""
    parts = urlsplit(value)
    return value if parts.scheme == "https" and parts.hostname else ""


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
