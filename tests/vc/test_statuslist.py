"""Bitstring Status List v1.0: building lists, entries and credentials, and the Validate Algorithm.

Corpus: the 1EdTech validator's status list (bit 23 set) and the credentials
that point at it; the DCC status lists (100,000 bits, some expired, mistyped
or tampered) and every DCC credential whose status the manifest states.
"""

from __future__ import annotations

import base64
import gzip
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.vc.errors import StatusError
from microcred.vc.statuslist import (
    MIN_ENTRIES,
    StatusList,
    build_status_list_credential,
    check_1edtech_revocation,
    check_status,
    status_entry,
)
from tests import conformance

NOW = datetime(2026, 11, 22, tzinfo=UTC)
LIST_URL = "https://issuer.example/status/1"


def published(status_list: StatusList, **changes: Any) -> dict[str, Any]:
    """Return a status list credential for ``status_list``, with top-level changes applied."""
    credential = build_status_list_credential(
        id=LIST_URL,
        issuer="did:example:issuer",
        purpose=status_list.purpose,
        status_list=status_list,
        valid_from=NOW - timedelta(days=1),
    )
    credential.update(changes)
    return credential


def check(entry: dict[str, Any], credential: dict[str, Any]) -> Any:
    return check_status(entry, fetch_list={LIST_URL: credential}.__getitem__, now=NOW)


def entry_for(index: int, purpose: str = "revocation", **changes: Any) -> dict[str, Any]:
    entry = status_entry(list_credential_url=LIST_URL, index=index, purpose=purpose)
    entry.update(changes)
    return entry


@pytest.fixture
def revoked_42() -> StatusList:
    status_list = StatusList()
    status_list.set(42)
    return status_list


# --- the list ------------------------------------------------------------------------------


def test_a_new_list_has_the_minimum_size_and_nothing_set() -> None:
    status_list = StatusList()
    assert status_list.size == MIN_ENTRIES == 131_072
    assert len(status_list.bitstring) == 16 * 1024
    assert list(status_list.set_indexes()) == []


def test_set_clear_and_get() -> None:
    status_list = StatusList(1024)
    status_list.set(0)
    status_list.set(1023)
    assert status_list.is_set(0) and status_list.is_set(1023) and not status_list.is_set(1)
    status_list.clear(0)
    assert list(status_list.set_indexes()) == [1023]


def test_encoded_list_is_multibase_base64url_gzip_with_index_0_leftmost() -> None:
    status_list = StatusList(16)
    status_list.set(0)
    status_list.set(9)
    encoded = status_list.encoded_list
    assert encoded.startswith("u") and "=" not in encoded
    assert not set(encoded[1:]) & set("+/")
    data = encoded[1:]
    raw = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    assert raw == bytes([0b1000_0000, 0b0100_0000])


def test_encoding_is_deterministic(revoked_42: StatusList) -> None:
    again = StatusList()
    again.set(42)
    assert again.encoded_list == revoked_42.encoded_list


@pytest.mark.parametrize("prefixed", [True, False], ids=["multibase", "legacy-no-prefix"])
def test_decode_round_trip(revoked_42: StatusList, prefixed: bool) -> None:
    encoded = revoked_42.encoded_list if prefixed else revoked_42.encoded_list[1:]
    decoded = StatusList.decode(encoded)
    assert decoded.size == MIN_ENTRIES
    assert list(decoded.set_indexes()) == [42]


@settings(max_examples=40, deadline=None)
@given(
    size_bytes=st.integers(min_value=1, max_value=2048),
    data=st.data(),
)
def test_set_bits_survive_encode_and_decode(size_bytes: int, data: st.DataObject) -> None:
    size = size_bytes * 8
    indexes = data.draw(st.sets(st.integers(min_value=0, max_value=size - 1), max_size=64))
    status_list = StatusList(size)
    for index in indexes:
        status_list.set(index)
    decoded = StatusList.decode(status_list.encoded_list)
    assert decoded.size == size
    assert list(decoded.set_indexes()) == sorted(indexes)


def test_multi_bit_statuses() -> None:
    status_list = StatusList(8, purpose="message", status_size=2)
    status_list.set(3, 2)
    status_list.set(7, 3)
    decoded = StatusList.decode(status_list.encoded_list, purpose="message", status_size=2)
    assert [decoded.get(i) for i in range(8)] == [0, 0, 0, 2, 0, 0, 0, 3]
    assert list(decoded.set_indexes()) == [3, 7]


@pytest.mark.parametrize("index", [-1, 1024, "7", True])
def test_index_outside_the_list_is_a_range_error(index: Any) -> None:
    with pytest.raises(StatusError) as error:
        StatusList(1024).set(index)
    assert error.value.code == "status.range"


@pytest.mark.parametrize(("size", "status_size"), [(0, 1), (12, 1), (3, 2), (8, 0)], ids=str)
def test_bad_sizes_are_refused(size: int, status_size: int) -> None:
    with pytest.raises(StatusError):
        StatusList(size, status_size=status_size)


def test_decoding_needs_a_positive_status_size(revoked_42: StatusList) -> None:
    with pytest.raises(StatusError) as error:
        StatusList.decode(revoked_42.encoded_list, status_size=0)
    assert error.value.field == "statusSize"


def test_a_status_value_must_fit_its_size() -> None:
    with pytest.raises(StatusError):
        StatusList(8, status_size=2).set(0, 4)


@pytest.mark.parametrize(
    ("encoded", "code"),
    [
        ("u!!not base64!!", "status.undecodable"),
        ("u" + base64.urlsafe_b64encode(b"plain, not gzip").decode(), "status.undecodable"),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(bytes(64))[:-12]).decode().rstrip("="),
            "status.undecodable",
        ),
        (
            "u" + base64.urlsafe_b64encode(gzip.compress(bytes(17 * 1024 * 1024))).decode(),
            "status.too_large",
        ),
        ("", "status.invalid"),
    ],
    ids=["not-base64", "not-gzip", "truncated", "gzip-bomb", "empty"],
)
def test_undecodable_lists_are_refused(encoded: str, code: str) -> None:
    with pytest.raises(StatusError) as error:
        StatusList.decode(encoded)
    assert error.value.code == code


# --- the credential and the entry ----------------------------------------------------------


def test_status_list_credential(revoked_42: StatusList) -> None:
    credential = build_status_list_credential(
        id=LIST_URL,
        issuer="did:example:issuer",
        purpose="revocation",
        status_list=revoked_42,
        valid_from=datetime(2026, 1, 1, 12, 30, tzinfo=UTC),
        valid_until="2027-01-01T00:00:00Z",
    )
    assert credential == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": LIST_URL,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2026-01-01T12:30:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {
            "id": f"{LIST_URL}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": revoked_42.encoded_list,
        },
    }


def test_status_list_credential_refuses_a_purpose_the_list_does_not_have() -> None:
    with pytest.raises(StatusError):
        build_status_list_credential(
            id=LIST_URL,
            issuer="did:example:i",
            purpose="suspension",
            status_list=StatusList(),
            valid_from=NOW,
        )


def test_status_list_credential_refuses_a_bad_date() -> None:
    with pytest.raises(StatusError) as error:
        build_status_list_credential(
            id=LIST_URL,
            issuer="did:example:i",
            purpose="revocation",
            status_list=StatusList(),
            valid_from="yesterday",
        )
    assert error.value.field == "validFrom"


def test_status_entry() -> None:
    assert status_entry(list_credential_url=LIST_URL, index=94567, purpose="suspension") == {
        "id": f"{LIST_URL}#94567",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "suspension",
        "statusListIndex": "94567",
        "statusListCredential": LIST_URL,
    }
    with pytest.raises(StatusError):
        status_entry(list_credential_url=LIST_URL, index=-3, purpose="revocation")


# --- the Validate Algorithm ----------------------------------------------------------------


def test_a_set_bit_is_reported(revoked_42: StatusList) -> None:
    result = check(entry_for(42), published(revoked_42))
    assert (result.set, result.index, result.purpose, result.warnings) == (
        True,
        42,
        "revocation",
        [],
    )
    assert not check(entry_for(41), published(revoked_42)).set


def test_the_status_message_is_looked_up() -> None:
    status_list = StatusList(MIN_ENTRIES, purpose="message", status_size=2)
    status_list.set(5, 2)
    messages = [{"status": hex(n), "message": m} for n, m in enumerate("abcd")]
    entry = entry_for(5, "message", statusSize=2, statusMessage=messages)
    result = check(entry, published(status_list))
    assert (result.status, result.message, result.set) == (2, "c", True)


@pytest.mark.parametrize(
    ("changes", "warning"),
    [
        ({"statusListIndex": 42}, "statusListIndex is the number 42"),
        ({"type": "StatusList2021Entry"}, "superseded StatusList2021Entry"),
    ],
)
def test_deployed_deviations_in_the_entry_pass_with_a_warning(
    revoked_42: StatusList, changes: dict[str, Any], warning: str
) -> None:
    result = check(entry_for(42, **changes), published(revoked_42))
    assert result.set
    assert any(warning in text for text in result.warnings), result.warnings


def test_a_short_list_passes_with_a_warning() -> None:
    status_list = StatusList(100_000)
    status_list.set(7)
    result = check(entry_for(7), published(status_list))
    assert result.set
    assert any("100000 entries, fewer than the 131072" in w for w in result.warnings)


def test_a_legacy_list_credential_passes_with_a_warning(revoked_42: StatusList) -> None:
    credential = published(revoked_42, type=["VerifiableCredential", "StatusList2021Credential"])
    credential["credentialSubject"]["type"] = "StatusList2021"
    credential["credentialSubject"]["encodedList"] = revoked_42.encoded_list[1:]
    result = check(entry_for(42), credential)
    assert result.set
    assert len(result.warnings) == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"statusListCredential": None}, "credentialStatus.statusListCredential"),
        ({"statusPurpose": None}, "credentialStatus.statusPurpose"),
        ({"statusListIndex": "-1"}, "credentialStatus.statusListIndex"),
        ({"statusListIndex": "007"}, "credentialStatus.statusListIndex"),
        ({"statusListIndex": "4.2"}, "credentialStatus.statusListIndex"),
        ({"statusListIndex": None}, "credentialStatus.statusListIndex"),
        ({"statusListIndex": "131072"}, "credentialStatus.statusListIndex"),
        ({"statusPurpose": "suspension"}, "credentialStatus.statusPurpose"),
        ({"statusSize": 0}, "credentialStatus.statusSize"),
        ({"type": "RevocationList2020Status"}, "credentialStatus.type"),
    ],
    ids=lambda value: json.dumps(value) if isinstance(value, dict) else "",
)
def test_malformed_entries_are_refused(
    revoked_42: StatusList, changes: dict[str, Any], field: str
) -> None:
    entry = {key: value for key, value in {**entry_for(42), **changes}.items() if value is not None}
    with pytest.raises(StatusError) as error:
        check(entry, published(revoked_42))
    assert error.value.field == field


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"type": ["VerifiableCredential"]}, "status.invalid"),
        ({"validFrom": "2099-01-01T00:00:00Z"}, "status.list_not_yet_valid"),
        ({"validUntil": "2020-01-01T00:00:00Z"}, "status.list_expired"),
        ({"expirationDate": "2020-01-01T00:00:00Z"}, "status.list_expired"),
        ({"validFrom": "last year"}, "status.invalid"),
        ({"credentialSubject": "nope"}, "status.invalid"),
    ],
    ids=[
        "not-a-list-credential",
        "not-yet-valid",
        "expired",
        "expired-vc11",
        "bad-date",
        "no-subject",
    ],
)
def test_unusable_list_credentials_are_refused(
    revoked_42: StatusList, changes: dict[str, Any], code: str
) -> None:
    with pytest.raises(StatusError) as error:
        check(entry_for(42), published(revoked_42, **changes))
    assert error.value.code == code


def test_an_undecodable_list_names_the_list(revoked_42: StatusList) -> None:
    credential = published(revoked_42)
    credential["credentialSubject"]["encodedList"] = "uH4sI-CHANGED-"
    with pytest.raises(StatusError) as error:
        check(entry_for(42), credential)
    assert LIST_URL in error.value.message


def test_a_list_with_several_purposes() -> None:
    status_list = StatusList(MIN_ENTRIES, purpose="suspension")
    credential = published(status_list)
    credential["credentialSubject"]["statusPurpose"] = ["revocation", "suspension"]
    assert not check(entry_for(3, "suspension"), credential).set


# --- the corpus ----------------------------------------------------------------------------


def onedtech_status_cases() -> list[Any]:
    return [
        case
        for case in conformance.cases("1edtech-validator", "fixtures")
        if "status" in case.get("checked_here", {})
    ]


def test_onedtech_status_list_bits() -> None:
    described = conformance.manifest("1edtech-validator")["status_list"]
    credential = conformance.load_json("1edtech-validator", described["file"])
    decoded = StatusList.decode(credential["credentialSubject"]["encodedList"])
    assert decoded.size == described["total_bits"]
    assert list(decoded.set_indexes()) == described["bits_set"]


@pytest.mark.parametrize("case", onedtech_status_cases(), ids=lambda c: c.get("file", "absent"))
def test_onedtech_status_entries(case: dict[str, Any]) -> None:
    manifest = conformance.manifest("1edtech-validator")
    lists = {
        url: conformance.load_json("1edtech-validator", f)
        for url, f in manifest["url_mappings"]["exact"].items()
    }
    credential = conformance.load_json("1edtech-validator", case["file"])
    expected = case["checked_here"]["status"]
    result = check_status(credential["credentialStatus"], fetch_list=lists.__getitem__, now=NOW)
    assert (result.index, result.set) == (expected["index"], expected["bit_set"])
    assert bool(result.warnings) is (expected["index_json_type"] == "int")


def dcc_lists() -> dict[str, Any]:
    mappings = conformance.manifest("dcc-fixtures")["url_mappings"]["status_lists"]
    return {url: conformance.load_json("dcc-fixtures", file) for url, file in mappings.items()}


def dcc_status_list_urls() -> list[Any]:
    if not conformance.available():
        return []
    return list(conformance.manifest("dcc-fixtures")["status_lists"])


@pytest.mark.parametrize("url", dcc_status_list_urls())
def test_dcc_status_lists_decode(url: str) -> None:
    described = conformance.manifest("dcc-fixtures")["status_lists"][url]
    encoded = dcc_lists()[url]["credentialSubject"]["encodedList"]
    if "decode_error" in described:
        with pytest.raises(StatusError):
            StatusList.decode(encoded)
        return
    decoded = StatusList.decode(encoded)
    assert decoded.size == described["total_bits"]
    assert list(decoded.set_indexes()) == described["bits_set"]


def dcc_status_cases() -> list[Any]:
    return [
        case
        for case in conformance.cases("dcc-fixtures", "credentials")
        if not case or case["expected"].get("status") in ("revoked", "not-revoked", "error")
    ]


@pytest.mark.parametrize("case", dcc_status_cases(), ids=lambda c: c.get("file", "absent"))
def test_dcc_credential_status(case: dict[str, Any]) -> None:
    """The DCC lists have 100,000 bits: accepted with a warning, as DCC verifiers accept them."""
    credential = conformance.load_json("dcc-fixtures", case["file"])
    entries = credential["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    lists = dcc_lists()
    expected = case["expected"]["status"]
    for entry in entries:
        if expected == "error":
            with pytest.raises(StatusError):
                check_status(entry, fetch_list=lists.__getitem__, now=NOW)
            continue
        result = check_status(entry, fetch_list=lists.__getitem__, now=NOW)
        assert result.set is (expected == "revoked")
        assert any("fewer than the 131072" in warning for warning in result.warnings)


# --- 1EdTech revocation lists --------------------------------------------------------------

REVOCATION_URL = "https://issuer.example/revocations"
REVOCATION_ENTRY = {"id": REVOCATION_URL, "type": "1EdTechRevocationList"}


def revocations(*items: Any) -> Any:
    return {REVOCATION_URL: {"revokedCredentials": list(items)}}.__getitem__


def test_a_listed_credential_is_revoked() -> None:
    fetch = revocations({"id": "urn:uuid:1", "revocationReason": "Plagiarism"})
    result = check_1edtech_revocation("urn:uuid:1", REVOCATION_ENTRY, fetch)
    assert (result.set, result.message, result.index) == (True, "Plagiarism", None)


@pytest.mark.parametrize(
    "items",
    [[], [{"id": "urn:uuid:2"}], [{"id": "urn:uuid:1", "revoked": False}], ["urn:uuid:1"]],
    ids=["empty", "other", "un-revoked", "bare-string"],
)
def test_an_unlisted_credential_is_not_revoked(items: list[Any]) -> None:
    assert not check_1edtech_revocation("urn:uuid:1", REVOCATION_ENTRY, revocations(*items)).set


@pytest.mark.parametrize(
    ("credential_id", "entry", "document"),
    [
        (None, REVOCATION_ENTRY, {"revokedCredentials": []}),
        ("urn:uuid:1", {"type": "1EdTechRevocationList"}, {"revokedCredentials": []}),
        ("urn:uuid:1", {"id": REVOCATION_URL, "type": "Other"}, {"revokedCredentials": []}),
        ("urn:uuid:1", REVOCATION_ENTRY, {"revoked": []}),
        ("urn:uuid:1", REVOCATION_ENTRY, ["urn:uuid:1"]),
    ],
    ids=["no-credential-id", "no-list-url", "wrong-type", "no-revokedCredentials", "not-an-object"],
)
def test_unusable_revocation_lists_are_refused(
    credential_id: str | None, entry: dict[str, Any], document: Any
) -> None:
    with pytest.raises(StatusError):
        check_1edtech_revocation(credential_id, entry, lambda url: document)
