"""The verification pipeline on credentials made here: status, issuer keys, streams, reports."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest

from microcred.vc import Ed25519Multikey, LocalFetcher, sign, verify
from microcred.vc.http import Fetched
from microcred.vc.keys import Ed25519PublicMultikey, multibase_encode
from microcred.vc.report import CheckStatus, VerificationReport
from microcred.vc.statuslist import StatusList, build_status_list_credential, status_entry
from tests.factories import FIXED_NOW, signed_credential, unsigned_credential
from tests.vc.test_keys import SIGNATURE_OF_ANYTHING, SMALL_ORDER_KEY

LIST_URL = "https://issuer.example/status/1"
SUSPENSION_URL = "https://issuer.example/status/2"


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def statuses(report: VerificationReport, check_id: str) -> list[CheckStatus]:
    return [check.status for check in report.checks if check.id == check_id]


def status_list_credential(key: Ed25519Multikey, url: str, purpose: str, *set_bits: int) -> dict:
    status_list = StatusList(purpose=purpose)
    for index in set_bits:
        status_list.set(index)
    credential = build_status_list_credential(
        id=url,
        issuer=key.public.did_key,
        purpose=purpose,
        status_list=status_list,
        valid_from=FIXED_NOW - timedelta(days=1),
    )
    return sign(credential, key=key, created=FIXED_NOW)


def credential_with_status(key: Ed25519Multikey, index: int) -> dict:
    return signed_credential(
        key,
        credentialStatus=[
            status_entry(list_credential_url=LIST_URL, index=index, purpose="revocation"),
            status_entry(list_credential_url=SUSPENSION_URL, index=index, purpose="suspension"),
        ],
    )


class CountingFetcher(LocalFetcher):
    def __init__(self, documents: dict[str, Any]) -> None:
        super().__init__(documents)
        self.fetched: list[str] = []

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched:
        self.fetched.append(url)
        return super().fetch(url, deadline=deadline)


@pytest.fixture
def lists(key: Ed25519Multikey) -> CountingFetcher:
    """Index 7 is revoked, index 9 suspended; every other index is in good standing."""
    return CountingFetcher(
        {
            LIST_URL: status_list_credential(key, LIST_URL, "revocation", 7),
            SUSPENSION_URL: status_list_credential(key, SUSPENSION_URL, "suspension", 9),
        }
    )


def test_a_credential_in_good_standing_verifies(key, lists) -> None:
    [report] = verify(credential_with_status(key, 3), fetcher=lists, now=FIXED_NOW)
    assert report.verified, report.as_dict()
    assert statuses(report, "status.revocation") == [CheckStatus.PASSED]
    assert statuses(report, "status.suspension") == [CheckStatus.PASSED]


def test_a_revoked_credential_does_not_verify(key, lists) -> None:
    [report] = verify(credential_with_status(key, 7), fetcher=lists, now=FIXED_NOW)
    assert not report.verified
    assert statuses(report, "status.revocation") == [CheckStatus.FAILED]
    assert statuses(report, "status.suspension") == [CheckStatus.PASSED]


def test_a_suspended_credential_does_not_verify(key, lists) -> None:
    [report] = verify(credential_with_status(key, 9), fetcher=lists, now=FIXED_NOW)
    assert not report.verified
    assert statuses(report, "status.suspension") == [CheckStatus.FAILED]


def test_a_status_list_is_fetched_once_per_session(key, lists) -> None:
    stream = "\n".join(json.dumps(credential_with_status(key, n)) for n in range(10))
    reports = verify(stream, fetcher=lists, now=FIXED_NOW)
    assert [r.verified for r in reports] == [n not in (7, 9) for n in range(10)]
    assert sorted(lists.fetched) == [LIST_URL, SUSPENSION_URL]


def test_a_tampered_status_list_makes_the_status_unknown(key) -> None:
    tampered = status_list_credential(key, LIST_URL, "revocation")
    tampered["credentialSubject"]["encodedList"] = StatusList(purpose="revocation").encoded_list
    tampered["validUntil"] = "2099-01-01T00:00:00Z"
    fetcher = LocalFetcher(
        {
            LIST_URL: tampered,
            SUSPENSION_URL: status_list_credential(key, SUSPENSION_URL, "suspension"),
        }
    )
    [report] = verify(credential_with_status(key, 3), fetcher=fetcher, now=FIXED_NOW)
    assert not report.verified
    [check] = report.checks_with("status.revocation")
    assert check.status is CheckStatus.FAILED
    assert "does not verify" in check.message


def test_without_a_fetcher_the_status_cannot_be_checked(key) -> None:
    [report] = verify(credential_with_status(key, 3), now=FIXED_NOW)
    assert not report.verified
    [check] = report.checks_with("status.revocation")
    assert "cannot be determined" in check.message and LIST_URL in check.message


def test_another_key_cannot_sign_for_a_did_issuer(key) -> None:
    impostor = Ed25519Multikey.generate()
    credential = unsigned_credential(key)
    forged = sign(credential, key=impostor, created=FIXED_NOW)
    [report] = verify(forged, now=FIXED_NOW)
    assert statuses(report, "proof.signature") == [CheckStatus.PASSED]
    assert statuses(report, "issuer.key") == [CheckStatus.FAILED]
    assert not report.verified


def test_a_credential_forged_with_a_small_order_key_does_not_verify(key) -> None:
    # The identity point as a did:key: its "signature" (R = identity, S = 0) fits any
    # message under OpenSSL's check, so any content could claim that issuer.
    small_order = Ed25519PublicMultikey.from_raw(SMALL_ORDER_KEY)
    credential = unsigned_credential(key)
    credential["issuer"]["id"] = small_order.did_key
    forged = sign(credential, key=key, created=FIXED_NOW)
    forged["proof"]["verificationMethod"] = small_order.did_key_verification_method
    forged["proof"]["proofValue"] = multibase_encode(SIGNATURE_OF_ANYTHING)
    [report] = verify(forged, now=FIXED_NOW)
    assert statuses(report, "proof.signature") == [CheckStatus.FAILED]
    assert not report.verified


def test_a_fragment_key_is_accepted_with_a_warning(key) -> None:
    issuer = "https://issuer.example/profile"
    credential = unsigned_credential(key)
    credential["issuer"]["id"] = issuer
    method = f"{issuer}#{key.public.public_key_multibase}"
    [report] = verify(sign(credential, key=key, verification_method=method), now=FIXED_NOW)
    assert report.verified
    assert statuses(report, "issuer.key") == [CheckStatus.WARNING]


@pytest.mark.parametrize(
    ("changes", "check_id"),
    [
        ({"validUntil": "2026-11-01T00:00:00Z"}, "validity.expired"),
        ({"validFrom": "2027-01-01T00:00:00Z"}, "validity.not_yet_valid"),
    ],
)
def test_validity_window(key, changes: dict, check_id: str) -> None:
    [report] = verify(signed_credential(key, **changes), now=FIXED_NOW)
    assert statuses(report, check_id) == [CheckStatus.FAILED]
    assert not report.verified


def test_an_unsigned_credential_is_not_verified(key) -> None:
    [report] = verify(unsigned_credential(key), now=FIXED_NOW)
    assert not report.verified
    assert statuses(report, "proof.signature") == [CheckStatus.FAILED]


def test_an_unknown_context_fails_and_says_which(key) -> None:
    credential = unsigned_credential(key)
    credential["@context"].append("https://contexts.example/unknown.jsonld")
    [report] = verify(sign(credential, key=key, suite="eddsa-jcs-2022"), now=FIXED_NOW)
    [check] = report.checks_with("contexts")
    assert check.status is CheckStatus.FAILED
    assert "https://contexts.example/unknown.jsonld" in check.message


def test_a_json_array_gives_one_report_per_credential(key) -> None:
    reports = verify(json.dumps([signed_credential(key), signed_credential(key)]), now=FIXED_NOW)
    assert [report.verified for report in reports] == [True, True]


def test_the_report_serialises_with_a_verdict(key) -> None:
    [report] = verify(signed_credential(key), source="x.json", now=FIXED_NOW)
    data = json.loads(report.to_json())
    assert data["verified"] is True
    assert data["source"] == "x.json"
    assert data["issuer"] == key.public.did_key
    assert data["name"] == "Assessment Literacy for Educators"
    assert all({"id", "status", "message"} <= set(check) for check in data["checks"])


def test_verifying_a_credential_imports_no_http_client_or_json_schema_library(
    key, tmp_path
) -> None:
    # They serve fetching over HTTP and OB 2.0 extensions only; importing them took a fifth
    # of the start of `microcred verify`.
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(signed_credential(key)), encoding="utf-8")
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from microcred.vc import verify\n"
        f"[report] = verify(Path({str(path)!r}).read_bytes())\n"
        "assert report.checks_with('proof.signature')[0].status == 'passed'\n"
        "print(sorted(name for name in ('httpx', 'jsonschema') if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
