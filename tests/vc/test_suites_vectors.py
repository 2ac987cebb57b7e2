"""The Data Integrity suites reproduce the published test vectors byte for byte.

W3C vc-di-eddsa: canonical document and proof configuration, both hashes
(proof hash first), the signature, the proofValue and the signed document for
eddsa-rdfc-2022, eddsa-jcs-2022 and Ed25519Signature2020; proof sets and
chains re-signed step by step and verified. 1EdTech OB 3.0 implementation
guide: the OpenBadgeCredential and ClrCredential vectors re-signed with the
published key.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import pytest

from microcred.vc.dataintegrity import sign, verify_proofs
from microcred.vc.jsonld import ContextLoader
from microcred.vc.keys import Ed25519Multikey, Ed25519PublicMultikey, multibase_encode
from microcred.vc.report import CheckStatus
from microcred.vc.suites import get_suite
from tests import conformance

W3C = "w3c-vc-di-eddsa"
ONEEDTECH = "ob3-impl-guide"

# Where our signed document deliberately differs from the published one.
SIGNED_DOCUMENT_DIFFERENCES = {
    "clrv2p0/credential.json": "the guide wraps its one proof in an array; Data Integrity 1.0 "
    "section 4.2 adds a single proof as an object",
}


@pytest.fixture(scope="module")
def loader() -> ContextLoader:
    """Answer every context URL from the corpus's own copies (the vectors were made with them)."""
    return conformance.corpus_loader()


def resolve_fragment_key(verification_method: str) -> Ed25519PublicMultikey:
    """Read the key from the URL fragment, where did:key and the 1EdTech convention put it."""
    return Ed25519PublicMultikey.from_multibase(verification_method.rpartition("#")[2])


def text(folder: str, name: str) -> str:
    return conformance.path(folder, name).read_text("utf-8")


def as_datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# --- W3C vc-di-eddsa: one signature per suite -----------------------------------------------


def w3c_key() -> Ed25519Multikey:
    return Ed25519Multikey.from_seed(
        bytes.fromhex(conformance.manifest(W3C)["key"]["private_key_seed_hex"])
    )


def w3c_inputs(case: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the document as hashed and the proof options of a vector.

    The published proof options file is the proof configuration: its
    ``@context`` is the one the document is hashed with (for
    Ed25519Signature2020 the signer appended the suite context).
    """
    config = conformance.load_json(W3C, case["proof_options"])
    document = conformance.load_json(W3C, case["input_document"])
    document["@context"] = config["@context"]
    options = {name: value for name, value in config.items() if name != "@context"}
    return document, options


def offline(case: dict[str, Any]) -> None:
    if case.get("contexts_not_available"):
        pytest.skip(f"needs {', '.join(case['contexts_not_available'])}, not in the corpus")


@pytest.mark.parametrize("case", conformance.cases(W3C, "suites"), ids=lambda c: c.get("id"))
def test_w3c_canonical_forms(case: dict[str, Any], loader: ContextLoader) -> None:
    offline(case)
    suite = get_suite(case["cryptosuite_or_proof_type"])
    document, options = w3c_inputs(case)
    proof = suite.proof_from_options(document, options)
    config = suite.proof_configuration(document, proof, path="proof")

    assert (
        suite.canonicalize(document, loader=loader)
        == conformance.path(W3C, case["expected_canonical_document"]).read_bytes()
    )
    assert (
        suite.canonicalize(config, loader=loader)
        == conformance.path(W3C, case["expected_canonical_proof_options"]).read_bytes()
    )


@pytest.mark.parametrize("case", conformance.cases(W3C, "suites"), ids=lambda c: c.get("id"))
def test_w3c_hashes_and_signature_from_canonical_files(case: dict[str, Any]) -> None:
    """Check every vector, the employ/ one too, from its published canonical forms."""
    document_hash = hashlib.sha256(
        conformance.path(W3C, case["expected_canonical_document"]).read_bytes()
    ).digest()
    proof_hash = hashlib.sha256(
        conformance.path(W3C, case["expected_canonical_proof_options"]).read_bytes()
    ).digest()
    signature = w3c_key().sign(proof_hash + document_hash)
    signed = conformance.load_json(W3C, case["expected_signed_document"])

    assert document_hash.hex() == case["expected_document_hash_hex"]["value"]
    assert proof_hash.hex() == case["expected_proof_hash_hex"]["value"]
    assert (proof_hash + document_hash).hex() == case["expected_combined_hash_hex"]["value"]
    assert signature.hex() == case["expected_signature_hex"]["value"]
    assert multibase_encode(signature) == case["expected_proofValue"]["value"]
    assert signed["proof"]["proofValue"] == case["expected_proofValue"]["value"]


@pytest.mark.parametrize("case", conformance.cases(W3C, "suites"), ids=lambda c: c.get("id"))
def test_w3c_signed_document_byte_for_byte(case: dict[str, Any], loader: ContextLoader) -> None:
    offline(case)
    suite = get_suite(case["cryptosuite_or_proof_type"])
    document, options = w3c_inputs(case)

    proof = suite.create_proof(document, key=w3c_key(), proof_options=options, loader=loader)
    signed = {**document, "proof": proof}

    assert proof["proofValue"] == case["expected_proofValue"]["value"]
    assert signed == conformance.load_json(W3C, case["expected_signed_document"])
    assert json.dumps(signed, indent=2) == text(W3C, case["expected_signed_document"])


@pytest.mark.parametrize("case", conformance.cases(W3C, "suites"), ids=lambda c: c.get("id"))
def test_w3c_signed_document_verifies(case: dict[str, Any], loader: ContextLoader) -> None:
    offline(case)
    signed = conformance.load_json(W3C, case["expected_signed_document"])

    [result] = verify_proofs(signed, resolve_key=resolve_fragment_key, loader=loader)

    superseded = case["cryptosuite_or_proof_type"] == "Ed25519Signature2020"
    expected = CheckStatus.WARNING if superseded else CheckStatus.PASSED
    assert result.status is expected, result.message
    assert result.suite == case["cryptosuite_or_proof_type"]


# --- W3C proof sets and chains ------------------------------------------------------------


def proof_sets_and_chains(build: Any) -> list[Any]:
    """Return the cases ``build`` makes of the manifest's proof-set/chain block."""
    if not conformance.available():
        return []
    return build(conformance.manifest(W3C)["proof_sets_and_chains"])


def signing_steps(spec: dict[str, Any]) -> list[Any]:
    """Pair each published signing step with the documents before and after it."""
    steps = spec["proof_set"]["steps"] + spec["proof_chain"]["steps"]
    signed = spec["proof_set"]["signed_documents"] + spec["proof_chain"]["signed_documents"]
    documents = [spec["input_document"]] + [entry["file"] for entry in signed]
    return [
        pytest.param({**step, "before": before, "after": after}, id=step["signed_proof"])
        for step, before, after in zip(steps, documents[:-1], documents[1:], strict=True)
    ]


def signed_documents(spec: dict[str, Any]) -> list[Any]:
    entries = spec["proof_set"]["signed_documents"] + spec["proof_chain"]["signed_documents"]
    return [pytest.param(entry, id=entry["file"]) for entry in entries]


@pytest.mark.parametrize("step", proof_sets_and_chains(signing_steps))
def test_w3c_proof_set_and_chain_signing(step: dict[str, Any], loader: ContextLoader) -> None:
    """Adding each proof to the previous document gives the next published document."""
    pairs = conformance.load_json(W3C, conformance.manifest(W3C)["proof_sets_and_chains"]["keys"])
    options = conformance.load_json(W3C, step["proof_options"])

    signed = sign(
        conformance.load_json(W3C, step["before"]),
        key=Ed25519Multikey.from_multibase(pairs[step["key_pair"]]["privateKeyMultibase"]),
        verification_method=options["verificationMethod"],
        created=as_datetime(options["created"]),
        loader=loader,
        previous_proof=options.get("previousProof"),
        proof_id=options.get("id"),
    )

    new_proof = signed["proof"][-1] if isinstance(signed["proof"], list) else signed["proof"]
    assert new_proof == conformance.load_json(W3C, step["signed_proof"])
    assert json.dumps(signed, indent=2) == text(W3C, step["after"])


@pytest.mark.parametrize("entry", proof_sets_and_chains(signed_documents))
def test_w3c_every_proof_of_sets_and_chains_verifies(
    entry: dict[str, Any], loader: ContextLoader
) -> None:
    document = conformance.load_json(W3C, entry["file"])

    results = verify_proofs(document, resolve_key=resolve_fragment_key, loader=loader)

    assert [r.status for r in results] == [CheckStatus.PASSED] * len(entry["proofs"]), [
        r.message for r in results
    ]


# --- 1EdTech OB 3.0 implementation guide --------------------------------------------------


def oneedtech_key() -> Ed25519Multikey:
    return Ed25519Multikey.from_multibase(
        conformance.manifest(ONEEDTECH)["key_pair"]["secretKeyMultibase"]
    )


@pytest.mark.parametrize(
    "vector",
    conformance.cases(ONEEDTECH, "vectors"),
    ids=lambda v: v.get("unsigned_credential", "absent"),
)
def test_1edtech_canonical_forms_hashes_and_signature(
    vector: dict[str, Any], loader: ContextLoader
) -> None:
    suite = get_suite(vector["cryptosuite"])
    credential = conformance.load_json(ONEEDTECH, vector["unsigned_credential"])
    options = conformance.load_json(ONEEDTECH, vector["proof_options"])
    config = suite.proof_configuration(credential, options, path="proof")
    canonical_document = suite.canonicalize(credential, loader=loader)
    canonical_config = suite.canonicalize(config, loader=loader)
    hash_data = suite.hash_data(credential, config, loader=loader)

    assert (
        canonical_document
        == conformance.path(ONEEDTECH, vector["expected_canonical_document"]).read_bytes()
    )
    assert (
        canonical_config
        == conformance.path(ONEEDTECH, vector["expected_canonical_proof_options"]).read_bytes()
    )
    assert hashlib.sha256(canonical_document).hexdigest() == vector["expected_document_hash_hex"]
    assert hashlib.sha256(canonical_config).hexdigest() == vector["expected_proof_hash_hex"]
    assert hash_data.hex() == vector["expected_data_to_sign_hex"]
    assert oneedtech_key().sign(hash_data).hex() == vector["expected_signature_hex"]


@pytest.mark.parametrize(
    "vector",
    conformance.cases(ONEEDTECH, "vectors"),
    ids=lambda v: v.get("unsigned_credential", "absent"),
)
def test_1edtech_resigned_credential(vector: dict[str, Any], loader: ContextLoader) -> None:
    """Re-sign with the published key: the same proofValue and the same signed credential."""
    credential = conformance.load_json(ONEEDTECH, vector["unsigned_credential"])
    options = conformance.load_json(ONEEDTECH, vector["proof_options"])
    expected = conformance.load_json(ONEEDTECH, vector["expected_signed_credential"])
    if vector["unsigned_credential"] in SIGNED_DOCUMENT_DIFFERENCES:
        [expected["proof"]] = expected["proof"]

    through_api = sign(
        credential,
        key=oneedtech_key(),
        suite=vector["cryptosuite"],
        verification_method=options["verificationMethod"],
        created=as_datetime(options["created"]),
        proof_purpose=options["proofPurpose"],
        loader=loader,
    )
    proof = get_suite(vector["cryptosuite"]).create_proof(
        credential, key=oneedtech_key(), proof_options=options, loader=loader
    )

    assert through_api["proof"]["proofValue"] == vector["expected_proofValue"]
    assert through_api == expected
    assert json.dumps({**credential, "proof": proof}, indent=2) == json.dumps(expected, indent=2)


@pytest.mark.parametrize(
    "vector",
    conformance.cases(ONEEDTECH, "vectors"),
    ids=lambda v: v.get("unsigned_credential", "absent"),
)
def test_1edtech_signed_credentials_and_embedded_credentials_verify(
    vector: dict[str, Any], loader: ContextLoader
) -> None:
    signed = conformance.load_json(ONEEDTECH, vector["expected_signed_credential"])
    embedded = signed["credentialSubject"].get("verifiableCredential", [])

    for document in [signed, *embedded]:
        results = verify_proofs(document, resolve_key=resolve_fragment_key, loader=loader)
        assert [r.status for r in results] == [CheckStatus.PASSED], [r.message for r in results]
