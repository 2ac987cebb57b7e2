"""Bitstring Status List v1.0: publish status lists and check status entries.

A status list is a GZIP-compressed bitstring, multibase-encoded (base64url,
no padding, prefix ``u``), carried in a ``BitstringStatusListCredential``.
A credential points into a list with a ``BitstringStatusListEntry``. This
module builds both (unsigned: the caller signs) and implements the Validate
Algorithm (section 3.2). It also reads the 1EdTech revocation list that Open
Badges 3.0 defines as ``1EdTechRevocationList``.

Verifying the status list credential's proof is the caller's job:
``fetch_list`` must return a credential whose proofs it has checked
(Validate Algorithm, step 4).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from microcred.text import sentence
from microcred.vc.dates import format_datetime, parse_datetime
from microcred.vc.errors import StatusError, VCError

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
# Section 3.2 step 2: the minimum unless an ecosystem sets another bound.
MIN_ENTRIES = 131_072
# A decompression cap, so that a hostile list cannot exhaust memory (a GZIP
# bomb); 16 MiB is 128 times the 16 KiB the specification asks for.
MAX_LIST_BYTES = 16 * 1024 * 1024
LIST_CREDENTIAL_TYPE = "BitstringStatusListCredential"
LIST_TYPE = "BitstringStatusList"
ENTRY_TYPE = "BitstringStatusListEntry"
LEGACY_LIST_CREDENTIAL_TYPE = "StatusList2021Credential"
LEGACY_LIST_TYPE = "StatusList2021"
LEGACY_ENTRY_TYPE = "StatusList2021Entry"
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
DECIMAL = re.compile(r"^(0|[1-9][0-9]*)$")


class StatusList:
    """A bitstring of ``size`` entries of ``status_size`` bits each (section 2.2).

    Entry 0 is the left-most (most significant) bit of the first byte, as
    section 2.2 requires for ``encodedList``.
    """

    def __init__(
        self,
        size: int = MIN_ENTRIES,
        *,
        purpose: str = "revocation",
        status_size: int = 1,
        bitstring: bytes | None = None,
    ) -> None:
        _check_status_size(status_size)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise StatusError(
                sentence(
                    "A status list needs at least one entry, not %(size)s.",
                    size=repr(size),
                )
            )
        if (size * status_size) % 8:
            raise StatusError(
                sentence(
                    "A status list of %(size)s entries of %(status_size)s bit(s) does not "
                    "fill whole bytes; choose a size that is a multiple of 8.",
                    size=size,
                    status_size=status_size,
                ),
                code="status.invalid_size",
            )
        length = size * status_size // 8
        if bitstring is not None and len(bitstring) != length:
            raise StatusError(
                sentence(
                    "The bitstring has %(count)s bytes; %(size)s entries need %(length)s.",
                    count=len(bitstring),
                    size=size,
                    length=length,
                ),
                code="status.invalid_size",
            )
        self.size = size
        self.purpose = purpose
        self.status_size = status_size
        self._bits = bytearray(bitstring) if bitstring is not None else bytearray(length)

    @classmethod
    def decode(
        cls, encoded_list: object, *, purpose: str = "revocation", status_size: int = 1
    ) -> StatusList:
        """Return the list an ``encodedList`` holds (Bitstring Expansion Algorithm, 3.4).

        The multibase prefix ``u`` is accepted but not required: StatusList2021
        lists, still deployed, have none. GZIP output always starts ``H4s`` in
        base64url, so a leading ``u`` is never part of the data.
        """
        _check_status_size(status_size)
        if not isinstance(encoded_list, str) or not encoded_list:
            raise StatusError(
                sentence("encodedList must be a non-empty string."), field="encodedList"
            )
        data = encoded_list[1:] if encoded_list.startswith("u") else encoded_list
        try:
            compressed = base64.b64decode(
                data + "=" * (-len(data) % 4), altchars=b"-_", validate=True
            )
        except (binascii.Error, ValueError) as exc:
            raise StatusError(
                sentence(
                    "encodedList is not base64url: %(exc)s.",
                    exc=exc,
                ),
                code="status.undecodable",
                field="encodedList",
            ) from exc
        bitstring = _gunzip(compressed)
        bits = len(bitstring) * 8
        if bits < status_size or bits % status_size:
            raise StatusError(
                sentence(
                    "The status list has %(bits)s bits, which is not a whole number of "
                    "%(status_size)s-bit entries.",
                    bits=bits,
                    status_size=status_size,
                ),
                code="status.undecodable",
                field="encodedList",
            )
        return cls(
            bits // status_size, purpose=purpose, status_size=status_size, bitstring=bitstring
        )

    @property
    def encoded_list(self) -> str:
        """Return the ``encodedList`` value: ``u`` + base64url(GZIP(bitstring)), no padding.

        ``mtime=0`` makes the output depend on the bits alone, so publishing
        an unchanged list gives identical bytes.
        """
        compressed = gzip.compress(bytes(self._bits), mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")

    @property
    def bitstring(self) -> bytes:
        return bytes(self._bits)

    def get(self, index: int) -> int:
        """Return the status value of entry ``index`` (0 means nothing is set)."""
        first = self._first_bit(index)
        value = 0
        for bit in range(first, first + self.status_size):
            value = (value << 1) | ((self._bits[bit // 8] >> (7 - bit % 8)) & 1)
        return value

    def is_set(self, index: int) -> bool:
        return self.get(index) != 0

    def set(self, index: int, value: int = 1) -> None:
        """Set entry ``index`` to ``value`` (1 for revocation and suspension lists)."""
        if not isinstance(value, int) or not 0 <= value < 2**self.status_size:
            raise StatusError(
                sentence(
                    "A %(status_size)s-bit status cannot hold %(value)s.",
                    status_size=self.status_size,
                    value=repr(value),
                ),
                field="value",
            )
        first = self._first_bit(index)
        for offset in range(self.status_size):
            bit = first + offset
            mask = 1 << (7 - bit % 8)
            if (value >> (self.status_size - 1 - offset)) & 1:
                self._bits[bit // 8] |= mask
            else:
                self._bits[bit // 8] &= ~mask

    def clear(self, index: int) -> None:
        self.set(index, 0)

    def set_indexes(self) -> Iterator[int]:
        """Yield, in order, the index of every entry whose status is not 0."""
        last = -1
        for byte_number, byte in enumerate(self._bits):
            if not byte:
                continue
            for offset in range(8):
                if byte & (0x80 >> offset):
                    index = (byte_number * 8 + offset) // self.status_size
                    if index != last:
                        last = index
                        yield index

    def _first_bit(self, index: int) -> int:
        if not isinstance(index, int) or isinstance(index, bool) or not 0 <= index < self.size:
            raise StatusError(
                sentence(
                    "Index %(index)s is outside the status list (0 to %(size)s).",
                    index=repr(index),
                    size=self.size - 1,
                ),
                code="status.range",
                data={"index": index, "size": self.size},
            )
        return index * self.status_size


def _check_status_size(status_size: Any) -> None:
    """``statusSize`` is a positive integer (section 2.1)."""
    if not isinstance(status_size, int) or isinstance(status_size, bool) or status_size < 1:
        raise StatusError(
            sentence(
                "statusSize must be a positive integer, not %(status_size)s.",
                status_size=repr(status_size),
            ),
            field="statusSize",
        )


def _gunzip(compressed: bytes) -> bytes:
    decompressor = zlib.decompressobj(wbits=31)
    try:
        bitstring = decompressor.decompress(compressed, MAX_LIST_BYTES)
    except zlib.error as exc:
        raise StatusError(
            sentence(
                "encodedList is not GZIP-compressed data: %(exc)s.",
                exc=exc,
            ),
            code="status.undecodable",
            field="encodedList",
        ) from exc
    if decompressor.unconsumed_tail:
        raise StatusError(
            sentence(
                "The status list is larger than %(max_list_bytes)s bytes once decompressed.",
                max_list_bytes=MAX_LIST_BYTES,
            ),
            code="status.too_large",
            field="encodedList",
        )
    if not decompressor.eof:
        raise StatusError(
            sentence("encodedList is truncated: the GZIP stream does not end."),
            code="status.undecodable",
            field="encodedList",
        )
    return bitstring


def build_status_list_credential(
    *,
    id: str,
    issuer: str | dict[str, Any],
    purpose: str,
    status_list: StatusList,
    valid_from: datetime | str,
    valid_until: datetime | str | None = None,
) -> dict[str, Any]:
    """Return an unsigned ``BitstringStatusListCredential`` (section 2.2) for the caller to sign.

    ``id`` is the URL the list is published at: entries name it in
    ``statusListCredential``. The subject's id is ``<id>#list``.
    """
    if purpose != status_list.purpose:
        raise StatusError(
            sentence(
                "The purpose %(purpose)s differs from the list's purpose %(list_purpose)s.",
                purpose=repr(purpose),
                list_purpose=repr(status_list.purpose),
            ),
            field="statusPurpose",
        )
    credential: dict[str, Any] = {
        "@context": [VC_V2_CONTEXT],
        "id": id,
        "type": ["VerifiableCredential", LIST_CREDENTIAL_TYPE],
        "issuer": issuer,
        "validFrom": _datetime_text(valid_from, "validFrom"),
    }
    if valid_until is not None:
        credential["validUntil"] = _datetime_text(valid_until, "validUntil")
    credential["credentialSubject"] = {
        "id": f"{id}#list",
        "type": LIST_TYPE,
        "statusPurpose": purpose,
        "encodedList": status_list.encoded_list,
    }
    return credential


def _datetime_text(value: datetime | str, name: str) -> str:
    if isinstance(value, datetime):
        return format_datetime(value)
    try:
        parse_datetime(value, require_timezone=True)
    except VCError as exc:
        raise StatusError(
            sentence(
                "%(name)s: %(message)s",
                name=name,
                message=exc.message,
            ),
            field=name,
        ) from exc
    return value


def status_entry(*, list_credential_url: str, index: int, purpose: str) -> dict[str, Any]:
    """Return the ``BitstringStatusListEntry`` (section 2.1) for entry ``index`` of a list.

    ``statusListIndex`` is a base-10 string, as section 2.1 requires.
    """
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        raise StatusError(
            sentence(
                "statusListIndex must be a non-negative integer, not %(index)s.",
                index=repr(index),
            ),
            field="statusListIndex",
        )
    return {
        "id": f"{list_credential_url}#{index}",
        "type": ENTRY_TYPE,
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_credential_url,
    }


@dataclass
class StatusResult:
    """The status an entry points at (section 3.2 steps 11-15).

    ``set`` is true when the status is not 0 (revoked, suspended, or a
    message other than the first). ``message`` is the ``statusMessage`` text
    for the value, when the entry defines messages. ``index`` is ``None`` for
    lists that name credentials instead of indexing them (1EdTech).
    """

    purpose: str
    index: int | None
    set: bool
    status: int = 0
    message: str | None = None
    warnings: list[str] = field(default_factory=list)


def check_status(
    entry: dict[str, Any],
    *,
    fetch_list: Callable[[str], dict[str, Any]],
    now: datetime,
    minimum_entries: int = MIN_ENTRIES,
) -> StatusResult:
    """Return the status ``entry`` points at, following the Validate Algorithm (section 3.2).

    ``fetch_list(url)`` returns the status list credential at ``url`` after
    the caller has verified its proofs (step 4); whatever it raises
    propagates. Raise :class:`StatusError` when the status cannot be
    determined: a malformed entry, a list credential of the wrong type or
    outside its validity period at ``now``, a purpose the list does not
    carry, an index outside the list, an undecodable list. Deployed
    deviations are accepted with a warning: lists shorter than
    ``minimum_entries`` (DCC publishes 100,000), an integer
    ``statusListIndex``, the StatusList2021 types and an ``encodedList``
    without its multibase prefix.
    """
    warnings: list[str] = []
    if not isinstance(entry, dict):
        raise StatusError(sentence("credentialStatus must be an object."), field="credentialStatus")
    legacy = _has_type(entry, LEGACY_ENTRY_TYPE)
    if not legacy and not _has_type(entry, ENTRY_TYPE):
        raise StatusError(
            sentence(
                "credentialStatus.type must be %(entry_type)s, found %(type)s.",
                entry_type=ENTRY_TYPE,
                type=repr(entry.get("type")),
            ),
            field="credentialStatus.type",
        )
    if legacy:
        warnings.append(
            sentence(
                "The entry uses the superseded %(legacy_entry_type)s type.",
                legacy_entry_type=LEGACY_ENTRY_TYPE,
            )
        )
    purpose = entry.get("statusPurpose")
    if not isinstance(purpose, str) or not purpose:
        raise StatusError(
            sentence(
                "credentialStatus.statusPurpose is missing; it must name the purpose "
                "(revocation, suspension, message...)."
            ),
            field="credentialStatus.statusPurpose",
        )
    index = _entry_index(entry.get("statusListIndex"), warnings)
    url = entry.get("statusListCredential")
    if not isinstance(url, str) or not url:
        raise StatusError(
            sentence(
                "credentialStatus.statusListCredential is missing; it must be the URL of the "
                "status list credential."
            ),
            field="credentialStatus.statusListCredential",
        )
    status_size = entry.get("statusSize", 1)
    try:
        _check_status_size(status_size)
    except StatusError as exc:
        raise StatusError(
            sentence(
                "credentialStatus.%(message)s",
                message=exc.message,
            ),
            field="credentialStatus.statusSize",
        ) from exc

    list_credential = fetch_list(url)
    subject = _list_subject(list_credential, url, warnings)
    _check_list_validity(list_credential, url, now if now.tzinfo else now.replace(tzinfo=UTC))
    purposes = subject.get("statusPurpose")
    purposes = purposes if isinstance(purposes, list) else [purposes]
    if purpose not in purposes:
        raise StatusError(
            sentence(
                "The entry's statusPurpose %(purpose)s is not a purpose of the status "
                "list at %(url)s (%(value)s).",
                purpose=repr(purpose),
                url=url,
                value=", ".join(map(str, purposes)),
            ),
            field="credentialStatus.statusPurpose",
            data={"url": url},
        )
    encoded = subject.get("encodedList")
    if isinstance(encoded, str) and encoded and not encoded.startswith("u"):
        warnings.append(
            sentence(
                "The status list at %(url)s has no multibase prefix 'u' on its encodedList.",
                url=url,
            )
        )
    try:
        status_list = (
            _decoded_list(encoded, purpose, status_size)
            if isinstance(encoded, str)
            else StatusList.decode(encoded, purpose=purpose, status_size=status_size)
        )
    except StatusError as exc:
        raise StatusError(
            sentence(
                "The status list at %(url)s cannot be read: %(message)s",
                url=url,
                message=exc.message,
            ),
            code=exc.code,
            field="credentialSubject.encodedList",
            data={"url": url},
        ) from exc
    if status_list.size < minimum_entries:
        warnings.append(
            sentence(
                "The status list at %(url)s has %(size)s entries, fewer than the "
                "%(minimum_entries)s the Bitstring Status List specification requires.",
                url=url,
                size=status_list.size,
                minimum_entries=minimum_entries,
            )
        )
    if index >= status_list.size:
        raise StatusError(
            sentence(
                "statusListIndex %(index)s is outside the status list at %(url)s, which"
                " has %(size)s entries.",
                index=index,
                url=url,
                size=status_list.size,
            ),
            code="status.range",
            field="credentialStatus.statusListIndex",
            data={"url": url, "index": index, "size": status_list.size},
        )
    value = status_list.get(index)
    return StatusResult(
        purpose=purpose,
        index=index,
        set=value != 0,
        status=value,
        message=_status_message(entry, value),
        warnings=warnings,
    )


@lru_cache(maxsize=32)
def _decoded_list(encoded: str, purpose: str, status_size: int) -> StatusList:
    """Return the list ``encoded`` holds, decompressed once for every entry that points at it.

    A stream of credentials sharing one list would otherwise inflate it once
    per credential. The list returned is shared: it is only ever read.
    """
    return StatusList.decode(encoded, purpose=purpose, status_size=status_size)


def _entry_index(value: Any, warnings: list[str]) -> int:
    if isinstance(value, str) and DECIMAL.match(value):
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        warnings.append(
            sentence(
                "statusListIndex is the number %(value)s; the specification requires a string.",
                value=value,
            )
        )
        return value
    raise StatusError(
        sentence(
            "credentialStatus.statusListIndex must be a non-negative base-10 "
            "integer in a string, not %(value)s.",
            value=repr(value),
        ),
        field="credentialStatus.statusListIndex",
    )


def _list_subject(credential: Any, url: str, warnings: list[str]) -> dict[str, Any]:
    """Return the status list subject after checking the credential's types (section 2.2)."""
    if not isinstance(credential, dict):
        raise StatusError(
            sentence(
                "The document at %(url)s is not a credential (a JSON object).",
                url=url,
            )
        )
    if not _has_type(credential, LIST_CREDENTIAL_TYPE):
        if not _has_type(credential, LEGACY_LIST_CREDENTIAL_TYPE):
            raise StatusError(
                sentence(
                    "The credential at %(url)s is not a %(list_credential_type)s: its type "
                    "is %(type)s.",
                    url=url,
                    list_credential_type=LIST_CREDENTIAL_TYPE,
                    type=repr(credential.get("type")),
                ),
                field="type",
                data={"url": url},
            )
        warnings.append(
            sentence(
                "The status list at %(url)s uses the superseded "
                "%(legacy_list_credential_type)s type.",
                url=url,
                legacy_list_credential_type=LEGACY_LIST_CREDENTIAL_TYPE,
            )
        )
    subject = credential.get("credentialSubject")
    if not isinstance(subject, dict):
        raise StatusError(
            sentence(
                "The status list credential at %(url)s has no credentialSubject object.",
                url=url,
            ),
            field="credentialSubject",
            data={"url": url},
        )
    if not (_has_type(subject, LIST_TYPE) or _has_type(subject, LEGACY_LIST_TYPE)):
        raise StatusError(
            sentence(
                "The credentialSubject of %(url)s must have type %(list_type)s, found %(type)s.",
                url=url,
                list_type=LIST_TYPE,
                type=repr(subject.get("type")),
            ),
            field="credentialSubject.type",
            data={"url": url},
        )
    return subject


def _check_list_validity(credential: dict[str, Any], url: str, now: datetime) -> None:
    """Refuse a list used outside its validity period (VC 2.0 section 4.6, 1.1 dates too)."""
    for name, too_early in (
        ("validFrom", True),
        ("issuanceDate", True),
        ("validUntil", False),
        ("expirationDate", False),
    ):
        value = credential.get(name)
        if value is None:
            continue
        try:
            moment = parse_datetime(value)
        except VCError as exc:
            raise StatusError(
                sentence(
                    "The status list credential at %(url)s has an invalid %(name)s: %(message)s",
                    url=url,
                    name=name,
                    message=exc.message,
                ),
                field=name,
                data={"url": url},
            ) from exc
        if too_early and now < moment:
            raise StatusError(
                sentence(
                    "The status list credential at %(url)s is not valid before %(value)s.",
                    url=url,
                    value=value,
                ),
                code="status.list_not_yet_valid",
                field=name,
                data={"url": url},
            )
        if not too_early and now > moment:
            raise StatusError(
                sentence(
                    "The status list credential at %(url)s expired at %(value)s.",
                    url=url,
                    value=value,
                ),
                code="status.list_expired",
                field=name,
                data={"url": url},
            )


def _status_message(entry: dict[str, Any], value: int) -> str | None:
    """Return the ``statusMessage`` text for ``value`` (section 2.1), if the entry has messages."""
    messages = entry.get("statusMessage")
    if not isinstance(messages, list):
        return None
    for item in messages:
        if isinstance(item, dict) and isinstance(item.get("status"), str):
            try:
                code = int(item["status"], 16)
            except ValueError:
                continue
            if code == value:
                message = item.get("message")
                return message if isinstance(message, str) else None
    return None


def _has_type(node: dict[str, Any], name: str) -> bool:
    kind = node.get("type")
    return kind == name or (isinstance(kind, list) and name in kind)


def check_1edtech_revocation(
    credential_id: str | None,
    entry: dict[str, Any],
    fetch_document: Callable[[str], Any],
) -> StatusResult:
    """Return whether the issuer's 1EdTech revocation list names ``credential_id``.

    Open Badges 3.0, "1EdTech Revocation List Status Method": the entry is
    ``{"id": <list URL>, "type": "1EdTechRevocationList"}``; the document at
    the URL has ``revokedCredentials``, and a credential is revoked when its
    ``id`` is listed there with ``revoked`` true or absent.
    """
    if not isinstance(entry, dict) or not _has_type(entry, REVOCATION_LIST_TYPE):
        raise StatusError(
            sentence(
                "credentialStatus must be a %(revocation_list_type)s object.",
                revocation_list_type=REVOCATION_LIST_TYPE,
            ),
            field="credentialStatus",
        )
    url = entry.get("id")
    if not isinstance(url, str) or not url:
        raise StatusError(
            sentence("credentialStatus.id must be the URL of the revocation list."),
            field="credentialStatus.id",
        )
    if not isinstance(credential_id, str) or not credential_id:
        raise StatusError(
            sentence("The credential has no id, so the revocation list cannot be searched for it."),
            field="id",
        )
    document = fetch_document(url)
    revoked = document.get("revokedCredentials") if isinstance(document, dict) else None
    if not isinstance(revoked, list):
        raise StatusError(
            sentence(
                "The revocation list at %(url)s has no revokedCredentials array.",
                url=url,
            ),
            field="revokedCredentials",
            data={"url": url},
        )
    for item in revoked:
        if isinstance(item, dict) and item.get("id") == credential_id and item.get("revoked", True):
            reason = item.get("revocationReason")
            return StatusResult(
                purpose="revocation",
                index=None,
                set=True,
                status=1,
                message=reason if isinstance(reason, str) else None,
            )
    return StatusResult(purpose="revocation", index=None, set=False)
