"""An organisation's Bitstring Status Lists: index allocation and publication.

Every function here runs inside the caller's transaction and expects the
rows it changes to be locked (``select_for_update``), so that two processes
never hand out the same index nor overwrite each other's bits. Each change
re-signs the list's ``BitstringStatusListCredential`` at once: the signed
document is what ``/status/<org>/<list>`` serves.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from microcred.awards.models import StatusEntry, StatusList, StatusPurpose
from microcred.core import public_urls
from microcred.organisations import services as organisations
from microcred.vc import sign
from microcred.vc import statuslist as bitstring

# Revocation first, then suspension: every transaction locks lists in this order.
PURPOSES = (StatusPurpose.REVOCATION, StatusPurpose.SUSPENSION)


def list_url(status_list: StatusList) -> str:
    """Return the URL the list is published at; credentials name it in statusListCredential."""
    return public_urls.status_list_url(status_list.organisation.slug, status_list.slug)


def locked_lists(organisation: Any) -> QuerySet[StatusList]:
    """Return the organisation's lists, locked in the fixed order (revocation, then suspension)."""
    return (
        StatusList.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("purpose", "id")
    )


def current_list(organisation: Any, purpose: str, *, now: datetime) -> StatusList:
    """Return the list that hands out the next ``purpose`` index, locked; create it if needed.

    An organisation's first award creates its first lists; a full list is
    left as it is and the next one (``revocation-2``...) takes over. The new
    list is signed before it is used, so credentials never point at a list
    that is not published.
    """
    latest = locked_lists(organisation).filter(purpose=purpose).order_by("-id").first()
    if latest is not None and latest.next_index < latest.size:
        return latest
    number = StatusList.objects.filter(organisation=organisation, purpose=purpose).count() + 1
    # get_or_create: a concurrent first award may create the same list; its unique
    # (organisation, slug) makes this one wait for it and then take it.
    created, is_new = StatusList.objects.get_or_create(
        organisation=organisation,
        slug=f"{purpose}-{number}",
        defaults={"purpose": purpose, "size": bitstring.MIN_ENTRIES},
    )
    if is_new:
        publish(created, now=now)
    return locked_lists(organisation).get(pk=created.pk)


def allocate(award: Any, status_list: StatusList) -> dict[str, Any]:
    """Give ``award`` the next index of ``status_list`` (locked) and return its status entry.

    The unique (list, index) constraint backs the lock: a repeated index
    fails the transaction instead of sharing a bit between two awards.
    """
    index = status_list.next_index
    StatusEntry.objects.create(award=award, status_list=status_list, index=index)
    status_list.next_index = index + 1
    status_list.save(update_fields=["next_index", "updated_at"])
    return bitstring.status_entry(
        list_credential_url=list_url(status_list), index=index, purpose=status_list.purpose
    )


def set_status(entry: StatusEntry, value: bool, *, now: datetime) -> None:
    """Set or clear the award's bit in ``entry.status_list`` (locked) and re-publish the list."""
    status_list = entry.status_list
    bits = decoded(status_list)
    bits.set(entry.index, 1 if value else 0)
    status_list.encoded_list = bits.encoded_list
    publish(status_list, now=now)


def decoded(status_list: StatusList) -> bitstring.StatusList:
    if not status_list.encoded_list:
        return bitstring.StatusList(status_list.size, purpose=status_list.purpose)
    return bitstring.StatusList.decode(status_list.encoded_list, purpose=status_list.purpose)


def publish(status_list: StatusList, *, now: datetime) -> None:
    """Sign the list's BitstringStatusListCredential (section 2.2) with the organisation's key.

    The credential is valid from ``now`` and has no end: verifiers fetch
    it again when it changes, and the HTTP response says how long to cache.
    """
    organisation = status_list.organisation
    key, method = organisations.get_signer(organisation)
    bits = decoded(status_list)
    credential = bitstring.build_status_list_credential(
        id=list_url(status_list),
        issuer=organisations.organisation_did(organisation),
        purpose=status_list.purpose,
        status_list=bits,
        valid_from=now,
    )
    signed = sign(credential, key=key, verification_method=method, created=now)
    status_list.encoded_list = bits.encoded_list
    status_list.signed_credential = json.dumps(signed, ensure_ascii=False)
    status_list.save(update_fields=["encoded_list", "signed_credential", "updated_at"])
