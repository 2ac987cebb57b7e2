"""Data Integrity proofs: signing, proof sets and chains, and every way a proof can be wrong."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.vc.dataintegrity import ProofResult, sign, sign_many, verify_proofs
from microcred.vc.errors import InvalidSignature, ProofError, ResolutionError
from microcred.vc.jsonld import DEFAULT_LOADER
from microcred.vc.keys import Ed25519Multikey, Ed25519PublicMultikey, multibase_encode
from microcred.vc.report import CheckStatus
from microcred.vc.suites import SUITES

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SUITE_NAMES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
ED25519_2020_CONTEXT = "https://w3id.org/security/suites/ed25519-2020/v1"


def credential(number: int = 1) -> dict[str, Any]:
    """Return an unsigned Open Badges 3.0 credential."""
    return {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:7f0c6a0e-2b8e-4c55-9d7a-{number:012d}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/1", "type": ["Profile"], "name": "Example"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "id": f"did:example:learner{number}",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/teamwork",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Works well in a team."},
            },
        },
    }


def resolver(*keys: Ed25519Multikey) -> Callable[[str], Ed25519PublicMultikey]:
    """Resolve the did:key verification methods of ``keys``, and nothing else."""
    known = {key.public.did_key_verification_method: key.public for key in keys}

    def resolve(verification_method: str) -> Ed25519PublicMultikey:
        if verification_method not in known:
            raise ResolutionError(f"{verification_method} is not known here.")
        return known[verification_method]

    return resolve


@pytest.fixture(scope="module")
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


@pytest.fixture(scope="module")
def other_key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def signed_by(key: Ed25519Multikey, suite: str = "eddsa-rdfc-2022", **options: Any) -> dict:
    document = options.pop("document", None) or credential()
    return sign(
        document,
        key=key,
        suite=suite,
        verification_method=key.public.did_key_verification_method,
        created=NOW - timedelta(hours=1),
        **options,
    )


def only_result(document: dict[str, Any], *keys: Ed25519Multikey, **options: Any) -> ProofResult:
    [result] = verify_proofs(document, resolve_key=resolver(*keys), now=NOW, **options)
    return result


# --- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_signed_credential_verifies(suite: str, key: Ed25519Multikey) -> None:
    unsigned = credential()
    signed = signed_by(key, suite, document=unsigned)
    result = only_result(signed, key)

    assert "proof" not in unsigned
    assert signed["proof"]["type"] == "DataIntegrityProof"
    assert signed["proof"]["cryptosuite"] == suite
    assert signed["proof"]["created"] == "2026-11-22T11:00:00Z"
    assert signed["proof"]["proofValue"].startswith("z")
    assert result.status is CheckStatus.PASSED, result.message
    assert result.verified and result.suite == suite and result.error is None
    assert result.data == {
        "proofIndex": 0,
        "suite": suite,
        "verificationMethod": key.public.did_key_verification_method,
    }


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_proof_without_created_verifies(suite: str, key: Ed25519Multikey) -> None:
    signed = sign(
        credential(),
        key=key,
        suite=suite,
        verification_method=key.public.did_key_verification_method,
    )

    assert "created" not in signed["proof"]
    assert only_result(signed, key).status is CheckStatus.PASSED


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_changed_claim_fails_with_invalid_signature(suite: str, key: Ed25519Multikey) -> None:
    signed = signed_by(key, suite)
    signed["credentialSubject"]["achievement"]["name"] = "Leadership"

    result = only_result(signed, key)

    assert result.status is CheckStatus.FAILED
    assert isinstance(result.error, InvalidSignature)
    assert result.error.field == "proof.proofValue"


@pytest.mark.parametrize("suite", SUITE_NAMES)
def test_wrong_key_fails(suite: str, key: Ed25519Multikey, other_key: Ed25519Multikey) -> None:
    signed = signed_by(key, suite)

    result = verify_proofs(signed, resolve_key=lambda _: other_key.public)[0]

    assert isinstance(result.error, InvalidSignature)


def test_unresolvable_key_fails_with_the_resolution_error(key: Ed25519Multikey) -> None:
    result = only_result(signed_by(key))

    assert result.status is CheckStatus.FAILED
    assert isinstance(result.error, ResolutionError)
    assert "is not known here" in result.message


def test_controller_of_the_resolved_key_is_reported(key: Ed25519Multikey) -> None:
    class ResolvedKey:
        controller = "https://example.edu/issuers/1"

        def verify(self, signature: bytes, data: bytes) -> None:
            key.public.verify(signature, data)

    [result] = verify_proofs(signed_by(key), resolve_key=lambda _: ResolvedKey())

    assert result.status is CheckStatus.PASSED
    assert result.controller == "https://example.edu/issuers/1"


def test_sign_many_signs_each_document_as_sign_does(key: Ed25519Multikey) -> None:
    documents = [credential(number) for number in range(4)]
    options = {
        "key": key,
        "verification_method": key.public.did_key_verification_method,
        "created": NOW,
    }

    batch = list(sign_many(documents, **options))

    assert batch == [sign(document, **options) for document in documents]
    assert all(only_result(signed, key).verified for signed in batch)


def test_ed25519signature2020_needs_its_context_and_verifies_with_a_warning(
    key: Ed25519Multikey,
) -> None:
    with pytest.raises(ProofError) as raised:
        signed_by(key, "Ed25519Signature2020")
    assert raised.value.field == "@context"

    document = credential()
    document["@context"] = [*document["@context"], ED25519_2020_CONTEXT]
    signed = signed_by(key, "Ed25519Signature2020", document=document)

    assert signed["proof"]["type"] == "Ed25519Signature2020"
    assert "cryptosuite" not in signed["proof"]
    result = only_result(signed, key)
    assert result.status is CheckStatus.WARNING
    assert "superseded" in result.message


# --- eddsa-jcs-2022 and @context --------------------------------------------------------------


def test_jcs_proof_keeps_the_context_and_tolerates_appended_contexts(
    key: Ed25519Multikey,
) -> None:
    signed = signed_by(key, "eddsa-jcs-2022")
    signed["@context"] = [*signed["@context"], "https://www.w3.org/ns/credentials/status/v1"]

    assert signed["proof"]["@context"] == credential()["@context"]
    assert only_result(signed, key).status is CheckStatus.PASSED


def test_jcs_proof_fails_when_the_document_context_changed(key: Ed25519Multikey) -> None:
    signed = signed_by(key, "eddsa-jcs-2022")
    signed["@context"] = signed["@context"][:1]

    result = only_result(signed, key)

    assert result.error.code == "proof.context_mismatch"
    assert result.error.field == "proof.@context"


# --- malformed proofs ------------------------------------------------------------------------

MALFORMED: dict[str, tuple[Callable[[dict], None], str, str]] = {
    "no proofValue": (lambda p: p.pop("proofValue"), "proof.proofValue", "proof.malformed"),
    "proofValue not multibase": (
        lambda p: p.update(proofValue="u" + p["proofValue"][1:]),
        "proof.proofValue",
        "proof.malformed",
    ),
    "proofValue not base58btc": (
        lambda p: p.update(proofValue="z0OIl" + p["proofValue"][5:]),
        "proof.proofValue",
        "proof.malformed",
    ),
    "proofValue too short": (
        lambda p: p.update(proofValue=multibase_encode(b"\x01" * 32)),
        "proof.proofValue",
        "proof.malformed",
    ),
    "proofValue not a string": (
        lambda p: p.update(proofValue=12),
        "proof.proofValue",
        "proof.malformed",
    ),
    "no verificationMethod": (
        lambda p: p.pop("verificationMethod"),
        "proof.verificationMethod",
        "proof.malformed",
    ),
    "no cryptosuite": (lambda p: p.pop("cryptosuite"), "proof.cryptosuite", "proof.malformed"),
    "no type": (lambda p: p.pop("type"), "proof.type", "proof.malformed"),
    "no proofPurpose": (lambda p: p.pop("proofPurpose"), "proof.proofPurpose", "proof.malformed"),
    "wrong proofPurpose": (
        lambda p: p.update(proofPurpose="authentication"),
        "proof.proofPurpose",
        "proof.wrong_purpose",
    ),
    "created not a dateTime": (
        lambda p: p.update(created="yesterday"),
        "proof.created",
        "proof.malformed",
    ),
    "expires not a dateTime": (
        lambda p: p.update(expires="2026-13-01"),
        "proof.expires",
        "proof.malformed",
    ),
    "expired": (
        lambda p: p.update(expires="2026-11-01T00:00:00Z"),
        "proof.expires",
        "proof.expired",
    ),
    "unknown cryptosuite": (
        lambda p: p.update(cryptosuite="ecdsa-rdfc-2019"),
        "proof.cryptosuite",
        "proof.unknown_suite",
    ),
    "unknown proof type": (
        lambda p: p.update(type="RsaSignature2018"),
        "proof.type",
        "proof.unknown_suite",
    ),
    "a cryptosuite name as type": (
        lambda p: p.update(type="eddsa-rdfc-2022"),
        "proof.type",
        "proof.unknown_suite",
    ),
    "previousProof naming nothing": (
        lambda p: p.update(previousProof="urn:uuid:absent"),
        "proof.previousProof",
        "proof.previous_missing",
    ),
    "previousProof not an id": (
        lambda p: p.update(previousProof=[1]),
        "proof.previousProof",
        "proof.malformed",
    ),
}


@pytest.mark.parametrize("suite", SUITE_NAMES)
@pytest.mark.parametrize("damage", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_proof_fails_with_a_proof_error_naming_the_field(
    suite: str, damage: tuple[Callable[[dict], None], str, str], key: Ed25519Multikey
) -> None:
    change, field, code = damage
    signed = signed_by(key, suite)
    change(signed["proof"])

    result = only_result(signed, key)

    assert result.status is CheckStatus.FAILED
    assert type(result.error) is ProofError, result.error
    assert (result.error.field, result.error.code) == (field, code)
    assert result.data["field"] == field
    assert result.message.startswith("The ") and result.error.message in result.message


def test_expected_purpose_none_accepts_any_purpose(key: Ed25519Multikey) -> None:
    signed = signed_by(key, proof_purpose="authentication")

    assert only_result(signed, key).error.code == "proof.wrong_purpose"
    assert only_result(signed, key, expected_purpose="authentication").verified
    assert only_result(signed, key, expected_purpose=None).verified


def test_proof_created_in_the_future_verifies_with_a_warning(key: Ed25519Multikey) -> None:
    signed = sign(
        credential(),
        key=key,
        verification_method=key.public.did_key_verification_method,
        created=NOW + timedelta(days=1),
    )

    result = only_result(signed, key)

    assert result.status is CheckStatus.WARNING and result.verified
    assert "future" in result.message


def test_document_without_proof_is_an_error(key: Ed25519Multikey) -> None:
    with pytest.raises(ProofError) as raised:
        verify_proofs(credential(), resolve_key=resolver(key))
    assert raised.value.code == "proof.missing"


def test_proof_that_is_not_an_object_is_an_error(key: Ed25519Multikey) -> None:
    with pytest.raises(ProofError) as raised:
        verify_proofs({**credential(), "proof": "z3MvGcVxzRzzpKF1HA"}, resolve_key=resolver(key))
    assert raised.value.field == "proof"


def test_proof_set_entry_that_is_not_an_object_fails_alone(key: Ed25519Multikey) -> None:
    signed = signed_by(key)
    signed["proof"] = [signed["proof"], "not a proof"]

    results = verify_proofs(signed, resolve_key=resolver(key))

    assert [r.status for r in results] == [CheckStatus.PASSED, CheckStatus.FAILED]
    assert results[1].error.field == "proof[1]"


# --- signing errors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"suite": "ecdsa-rdfc-2019"}, "proof.unknown_suite"),
        ({"suite": "eddsa-2022"}, "proof.unknown_suite"),
        ({"verification_method": ""}, "proof.malformed"),
        ({"previous_proof": "urn:uuid:absent"}, "proof.previous_missing"),
    ],
)
def test_signing_refuses_bad_options(
    options: dict[str, Any], code: str, key: Ed25519Multikey
) -> None:
    arguments = {"key": key, "verification_method": key.public.did_key_verification_method}
    with pytest.raises(ProofError) as raised:
        sign(credential(), **{**arguments, **options})
    assert raised.value.code == code


def test_signing_refuses_a_proof_that_is_not_an_object(key: Ed25519Multikey) -> None:
    with pytest.raises(ProofError) as raised:
        signed_by(key, document={**credential(), "proof": 3})
    assert raised.value.field == "proof"


# --- the legacy name eddsa-2022 ------------------------------------------------------------


def test_legacy_eddsa_2022_verifies_with_a_warning(key: Ed25519Multikey) -> None:
    """Make an eddsa-2022 proof as 2023 drafts did: the eddsa-rdfc-2022 algorithm, old name."""
    legacy = SUITES["eddsa-2022"]
    document = credential()
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-2022",
        "created": "2023-05-01T00:00:00Z",
        "verificationMethod": key.public.did_key_verification_method,
        "proofPurpose": "assertionMethod",
    }
    hash_data = legacy.hash_data(
        document,
        legacy.proof_configuration(document, options, path="proof"),
        loader=DEFAULT_LOADER,
    )
    signed = {**document, "proof": {**options, "proofValue": multibase_encode(key.sign(hash_data))}}

    result = only_result(signed, key)

    assert result.status is CheckStatus.WARNING and result.verified
    assert result.suite == "eddsa-2022"
    assert "eddsa-rdfc-2022" in result.message


# --- proof sets and chains -------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [(s, t) for s in SUITE_NAMES for t in SUITE_NAMES])
def test_proof_set_of_two_keys(
    first: str, second: str, key: Ed25519Multikey, other_key: Ed25519Multikey
) -> None:
    signed = signed_by(other_key, second, document=signed_by(key, first))

    results = verify_proofs(signed, resolve_key=resolver(key, other_key))

    assert [proof["cryptosuite"] for proof in signed["proof"]] == [first, second]
    assert [r.status for r in results] == [CheckStatus.PASSED, CheckStatus.PASSED]
    assert [r.error for r in results] == [None, None]
    assert [r.data["proofIndex"] for r in results] == [0, 1]


def test_proof_set_reports_each_proof_on_its_own(
    key: Ed25519Multikey, other_key: Ed25519Multikey
) -> None:
    signed = signed_by(other_key, document=signed_by(key))

    results = verify_proofs(signed, resolve_key=resolver(key))

    assert results[0].status is CheckStatus.PASSED
    assert isinstance(results[1].error, ResolutionError)


def test_proof_chain_covers_the_proofs_it_names(
    key: Ed25519Multikey, other_key: Ed25519Multikey
) -> None:
    first = signed_by(key, proof_id="urn:uuid:first")
    chained = signed_by(other_key, document=first, previous_proof="urn:uuid:first")
    resolve = resolver(key, other_key)

    assert chained["proof"][1]["previousProof"] == "urn:uuid:first"
    assert all(r.verified for r in verify_proofs(chained, resolve_key=resolve))

    chained["proof"][0]["created"] = "2020-01-01T00:00:00Z"
    assert [r.verified for r in verify_proofs(chained, resolve_key=resolve)] == [False, False]

    chained["proof"] = chained["proof"][1:]
    [result] = verify_proofs(chained, resolve_key=resolve)
    assert result.error.code == "proof.previous_missing"


def test_proof_set_proofs_do_not_cover_each_other(
    key: Ed25519Multikey, other_key: Ed25519Multikey
) -> None:
    """Without previousProof, removing one proof of a set leaves the other valid."""
    signed = signed_by(other_key, document=signed_by(key))
    signed["proof"] = signed["proof"][1:]

    assert only_result(signed, other_key).status is CheckStatus.PASSED
