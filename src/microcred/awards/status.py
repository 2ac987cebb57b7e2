"""An organisation's Bitstring Status Lists: index allocation and publication.

Every function here runs inside the caller's transaction and expects the
rows it changes to be locked (``select_for_update``), so that two processes
never hand out the same index nor overwrite each other's bits;
:func:`reserve_indexes` takes its lock itself, for a whole block of indexes.
Each change of a bit re-signs the list's ``BitstringStatusListCredential`` at
once: the signed document is what ``/status/<org>/<list>`` serves. Handing out
an index changes no bit (a new credential's bit is 0), so issuing signs no
list, except a new list when the last one is full.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from microcred.awards.models import StatusEntry, StatusList, StatusPurpose
from microcred.core import public_urls
from microcred.organisations import services as organisations
from microcred.vc import sign
from microcred.vc import statuslist as bitstring

# The purpose of the one status entry of a credential issued now (docs/decisions, "one status
# entry"): a suspension entry, set while the award is suspended and for good once it is
# revoked. Awards issued before carry a revocation and a suspension entry.
ISSUING_PURPOSE = StatusPurpose.SUSPENSION


def list_url(status_list: StatusList) -> str:
    """Return the URL the list is published at; credentials name it in statusListCredential."""
    return public_urls.status_list_url(status_list.organisation.slug, status_list.slug)


def locked_lists(organisation: Any) -> QuerySet[StatusList]:
    """Return the organisation's lists, locked in the fixed order (revocation, then suspension):
    every transaction locks lists in this order."""
    return (
        StatusList.objects.select_for_update()
        .filter(organisation=organisation)
        .order_by("purpose", "id")
    )


def current_list(organisation: Any, purpose: str, *, now: datetime) -> StatusList:
    """Return the list that hands out the next ``purpose`` index, locked; create it if needed.

    An organisation's first award creates its first lists; a full list is
    left as it is and the next one (``suspension-2``...) takes over. The new
    list is signed before it is used, so credentials never point at a list
    that is not published.
    """
    latest = locked_lists(organisation).filter(purpose=purpose).order_by("-id").first()
    if latest is not None and latest.next_index < latest.size:
        return latest
    # The new list's number follows the list just read, not a second read: another transaction
    # may commit a list in between, and counting it would number a second new list. Numbered
    # so, two awards that find no free list ask for the same list, and get_or_create with its
    # unique (organisation, slug) makes the second wait for the first's list and take it.
    before = (
        StatusList.objects.filter(organisation=organisation, purpose=purpose, id__lte=latest.id)
        if latest is not None
        else StatusList.objects.none()
    )
    number = before.count() + 1
    created, is_new = StatusList.objects.get_or_create(
        organisation=organisation,
        slug=f"{purpose}-{number}",
        defaults={"purpose": purpose, "size": bitstring.MIN_ENTRIES},
    )
    if is_new:
        publish(created, now=now)
    return locked_lists(organisation).get(pk=created.pk)


@dataclass(frozen=True)
class Reserved:
    """An index of a status list handed to one credential, not yet backed by its StatusEntry."""

    status_list: StatusList
    index: int

    def entry(self) -> dict[str, Any]:
        """Return the credential's ``credentialStatus``: a BitstringStatusListEntry."""
        return bitstring.status_entry(
            list_credential_url=list_url(self.status_list),
            index=self.index,
            purpose=self.status_list.purpose,
        )


def reserve_indexes(
    organisation: Any, count: int, *, purpose: str = ISSUING_PURPOSE, now: datetime
) -> list[Reserved]:
    """Hand out the next ``count`` indexes of the organisation's ``purpose`` lists, in order.

    One locked step for the whole block: the current list's row is locked,
    its ``next_index`` moves past the block, and the lock is released when
    the transaction ends. Called outside a transaction it commits at once, so
    that issuers elsewhere reserve their own blocks while this one signs; an
    index whose credential is then never stored stays a gap (its bit stays 0),
    as a database sequence leaves gaps. A block that does not fit in the
    current list continues in the next one. The unique (list, index)
    constraint on StatusEntry backs the lock.
    """
    reserved: list[Reserved] = []
    with transaction.atomic():
        while len(reserved) < count:
            status_list = current_list(organisation, purpose, now=now)
            start = status_list.next_index
            taken = min(count - len(reserved), status_list.size - start)
            status_list.next_index = start + taken
            status_list.save(update_fields=["next_index", "updated_at"])
            reserved.extend(Reserved(status_list, index) for index in range(start, start + taken))
    return reserved


def wanted_bits(purposes: set[str], award_status: str) -> dict[str, bool]:
    """Return, for each purpose of the lists an award has an entry in, whether its bit is set.

    With a revocation entry (awards issued before one entry per credential),
    each list says one thing: revoked, or suspended. With only a suspension
    entry, its bit says "do not accept": set while suspended and, never to be
    cleared, once revoked (a revoked award changes no more).
    """
    revoked, suspended = award_status == "revoked", award_status == "suspended"
    wanted = {}
    if StatusPurpose.REVOCATION in purposes:
        wanted[StatusPurpose.REVOCATION.value] = revoked
    if StatusPurpose.SUSPENSION in purposes:
        alone = StatusPurpose.REVOCATION not in purposes
        wanted[StatusPurpose.SUSPENSION.value] = suspended or (revoked and alone)
    return wanted


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
