"""The learner's credentials: every award made to them, the credentials they imported from
other issuers, how to share each one, and all of them in one file.

The awards and their visibility and share links belong to the awards app; this app reads
them for the learner and puts them side by side with the imported ones, which are never
shown as this platform's own.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from microcred.accounts.services import User
from microcred.awards import services as awards
from microcred.awards.services import Visibility
from microcred.core import public_urls
from microcred.pathways import services as pathways

__all__ = [
    "Credentials",
    "HeldAward",
    "ImportedCredential",
    "SharingOptions",
    "access_credential",
    "export_credentials",
    "get_credentials",
    "get_sharing_options",
]

# The formats an award downloads as, by suffix, in the order the page offers them.
DOWNLOADS = (
    ("json", _("Signed credential (JSON)")),
    ("png", _("Badge image (PNG)")),
    ("svg", _("Badge image (SVG)")),
    ("pdf", _("Certificate (PDF)")),
)
EMBED_WIDTH, EMBED_HEIGHT = 360, 220


@dataclass(frozen=True)
class HeldAward:
    """An award of this platform made to the learner, with what the list says about it."""

    award: Any
    state: str  # active, suspended, revoked or expired

    @property
    def private(self) -> bool:
        return bool(self.award.visibility == Visibility.PRIVATE)


@dataclass(frozen=True)
class ImportedCredential:
    """A credential of another issuer the learner added, with its verification when added."""

    credential: Any
    verified: bool
    failures: list[str]


@dataclass(frozen=True)
class Credentials:
    awards: list[HeldAward]
    imported: list[ImportedCredential]


def get_credentials(learner: User, *, now: datetime | None = None) -> Credentials:
    """Return every award made to ``learner`` (linked to the account, or issued to one of their
    verified addresses or DIDs; revoked and suspended ones too), newest first, and the
    credentials they imported. A fixed number of queries, however many there are."""
    now = now or timezone.now()
    return Credentials(
        awards=[
            HeldAward(award, _state(award, now)) for award in awards.get_learner_awards(learner)
        ],
        imported=[_imported(item) for item in pathways.get_external_credentials(learner)],
    )


def _state(award: Any, now: datetime) -> str:
    if award.status == "active" and award.valid_until and award.valid_until <= now:
        return "expired"
    return str(award.status)


def _imported(external: Any) -> ImportedCredential:
    checks = (external.report or {}).get("checks") or []
    failures = [
        str(check.get("message") or check.get("id"))
        for check in checks
        if isinstance(check, dict) and check.get("status") == "failed"
    ]
    return ImportedCredential(external, bool(external.verified), failures)


def access_credential(actor: User, award_uuid: str) -> Any:
    """Return the learner's own award; anyone else's is not found."""
    return awards.access_held_award(actor, award_uuid)


@dataclass(frozen=True)
class SharingOptions:
    """The ways to share one award. ``address`` is where others can open it: its public page,
    or for a private award its newest live share link (None when it has none)."""

    address: str | None
    linkedin: str | None
    email: str | None
    embed_code: str | None
    downloads: list[tuple[str, str]]
    share_links: list[tuple[Any, str]]


def get_sharing_options(award: Any) -> SharingOptions:
    """Return how the learner can share ``award``: LinkedIn's add-to-profile link with the
    certification's fields, an email, an embed snippet, the downloads and the share links."""
    links = awards.get_share_links(award)
    live = [link for link in links if link.revoked_at is None]
    if award.visibility == Visibility.PUBLIC:
        address: str | None = awards.credential_url(award)
        embed_query = ""
    elif live:
        address = awards.share_url(live[0])
        embed_query = "?" + urlencode({"share": live[0].token})
    else:
        address = embed_query = None
    page = awards.credential_url(award)
    return SharingOptions(
        address=address,
        linkedin=awards.get_linkedin_url(award, url=address) if address else None,
        email=_mailto(award, address) if address else None,
        embed_code=_embed_code(award, f"{page}/embed{embed_query}")
        if embed_query is not None
        else None,
        downloads=[(f"{page}.{suffix}", str(label)) for suffix, label in DOWNLOADS],
        share_links=[(link, awards.share_url(link)) for link in links],
    )


def _mailto(award: Any, address: str) -> str:
    # The learner sends it in the language of the page they chose it on.
    names = {"title": award.version.title, "issuer": award.organisation.name}
    subject = gettext("My credential: %(title)s") % names
    body = (
        gettext("%(issuer)s awarded me %(title)s.") % names
        + "\n\n"
        + gettext("You can see it and check that it is genuine here:")
        + f"\n{address}\n"
    )
    return "mailto:?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


def _embed_code(award: Any, source: str) -> str:
    title = f"{award.version.title}, {award.organisation.name}"
    return (
        f'<iframe src="{escape(source)}" title="{escape(title)}" width="{EMBED_WIDTH}" '
        f'height="{EMBED_HEIGHT}" style="border:0" loading="lazy"></iframe>'
    )


def export_credentials(learner: User, *, now: datetime | None = None) -> bytes:
    """Return a zip of everything ``learner`` holds: each award exactly as signed, each
    imported credential exactly as given, and ``manifest.json`` that lists them."""
    now = now or timezone.now()
    held = get_credentials(learner, now=now)
    manifest: dict[str, Any] = {
        "exported": now.isoformat(),
        "learner": learner.get_username(),
        "credentials": [],
        "imported": [],
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in held.awards:
            award = item.award
            suffix = "jwt" if award.format == "jwt" else "json"
            name = f"credentials/{award.organisation.slug}-{award.uuid}.{suffix}"
            archive.writestr(name, award.signed_credential)
            manifest["credentials"].append(
                {
                    "file": name,
                    "id": public_urls.credential_url(award.uuid),
                    "name": award.version.title,
                    "issuer": award.organisation.name,
                    "issued": award.issued_at.isoformat(),
                    "status": item.state,
                }
            )
        for number, imported in enumerate(held.imported, start=1):
            external = imported.credential
            name = f"imported/{number}-{_imported_suffix(external.document)}"
            archive.writestr(name, external.document)
            manifest["imported"].append(
                {
                    "file": name,
                    "id": external.credential_id,
                    "name": external.name,
                    "issuer": external.issuer,
                    "added": external.added_at.isoformat(),
                    "verifiedWhenAdded": imported.verified,
                }
            )
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def _imported_suffix(document: str) -> str:
    """Name an imported document by what it is: JSON, or a compact JWT."""
    return "credential.json" if document.lstrip().startswith("{") else "credential.jwt"
