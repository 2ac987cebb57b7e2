"""Verifiable Credential Data Integrity 1.0: add proofs to a document and verify them.

:func:`sign` and :func:`sign_many` add a proof (to a proof set or chain when
the document already has proofs); :func:`verify_proofs` checks every proof of
a document and says, for each, what it found. The cryptography lives in the
suites (:mod:`microcred.vc.suites`); this module does what Data Integrity
itself asks: proof sets, ``previousProof`` chains, proof purposes, dates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microcred.text import joined, sentence
from microcred.vc.dates import format_datetime
from microcred.vc.errors import (
    FetchError,
    KeyFormatError,
    ProofError,
    ResolutionError,
    VCError,
)
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.rdfc import SharedNodes
from microcred.vc.report import CheckStatus
from microcred.vc.suites import (
    Cryptosuite,
    DocumentHashes,
    ProofHashes,
    PublicKey,
    SigningKey,
    get_suite,
    suite_for_proof,
)
from microcred.vc.suites.base import parse_proof_datetime

ResolveKey = Callable[[str], PublicKey]
"""Return the public key a ``verificationMethod`` URL names.

A key that knows who controls it (a resolver's result) may carry that as
``controller``; :class:`ProofResult` reports it.
"""

# Errors that make one proof fail without saying anything about the others.
PROOF_ERRORS = (ProofError, KeyFormatError, ResolutionError, FetchError)


@dataclass
class ProofResult:
    """What verifying one proof of a proof set or chain found.

    ``status`` is ``passed``, ``failed`` or ``warning`` (verified, with
    something to tell: a legacy suite name, a proof made in the future).
    """

    proof: Any
    index: int
    suite: str | None
    status: CheckStatus
    message: str
    error: VCError | None = None
    controller: str | None = None

    @property
    def verified(self) -> bool:
        return self.status is not CheckStatus.FAILED

    @property
    def verification_method(self) -> str | None:
        method = self.proof.get("verificationMethod") if isinstance(self.proof, dict) else None
        return method if isinstance(method, str) else None

    @property
    def data(self) -> dict[str, Any]:
        """Return the facts a report shows with this result's check."""
        data: dict[str, Any] = {"proofIndex": self.index}
        if self.suite is not None:
            data["suite"] = self.suite
        if self.verification_method is not None:
            data["verificationMethod"] = self.verification_method
        if self.error is not None:
            data["code"] = self.error.code
            if self.error.field is not None:
                data["field"] = self.error.field
        return data


def sign(
    document: dict[str, Any],
    *,
    key: SigningKey,
    suite: str = "eddsa-rdfc-2022",
    verification_method: str,
    created: datetime | None = None,
    proof_purpose: str = "assertionMethod",
    loader: ContextLoader = DEFAULT_LOADER,
    previous_proof: str | list[str] | None = None,
    proof_id: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """Return a new document: ``document`` with one more proof.

    Data Integrity 1.0 section 4.2 (Add Proof), or 4.3 (Add Proof Set/Chain)
    when the document already carries proofs: the new proof then joins them,
    and ``previous_proof`` (the ``id`` of earlier proofs) makes it a link of a
    chain. ``created`` is left out of the proof when None (it is optional);
    ``proof_id`` gives the proof an ``id`` so later proofs can chain to it;
    ``challenge`` and ``domain`` bind an ``authentication`` proof to one
    request (section 2.1). Nested values are shared with ``document``, not copied.
    """
    return next(
        sign_many(
            [document],
            key=key,
            suite=suite,
            verification_method=verification_method,
            created=created,
            proof_purpose=proof_purpose,
            loader=loader,
            previous_proof=previous_proof,
            proof_id=proof_id,
            challenge=challenge,
            domain=domain,
        )
    )


def sign_many(
    documents: Iterable[dict[str, Any]],
    *,
    key: SigningKey,
    suite: str = "eddsa-rdfc-2022",
    verification_method: str,
    created: datetime | None = None,
    proof_purpose: str = "assertionMethod",
    loader: ContextLoader = DEFAULT_LOADER,
    previous_proof: str | list[str] | None = None,
    proof_id: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    proof_hashes: ProofHashes | None = None,
    document_hashes: DocumentHashes | None = None,
) -> Iterator[dict[str, Any]]:
    """Return an iterator of the documents signed, as :func:`sign` would, reusing shared work.

    Every proof of a batch has the same configuration (``created`` is the
    batch's), so its canonical form is computed once per distinct
    ``@context`` rather than once per document: for eddsa-rdfc-2022 that
    halves the JSON-LD work. A node object that several documents hold (the
    same Python object: a cohort's achievement, the issuer's profile) is
    canonicalized once for all of them (:class:`~microcred.vc.rdfc.SharedNodes`),
    so the documents must not change until the iterator is exhausted.
    ``proof_hashes`` and ``document_hashes``, when
    given, keep the canonical hashes for a verification of the same batch
    (:func:`verify_proofs`) to reuse. Raise :class:`ProofError` at once for an
    unknown suite or a missing verification method; documents are signed
    lazily.
    """
    chosen = get_suite(suite)
    options = proof_options(
        suite=chosen,
        verification_method=verification_method,
        created=created,
        proof_purpose=proof_purpose,
        previous_proof=previous_proof,
        proof_id=proof_id,
        challenge=challenge,
        domain=domain,
    )
    signer = _Signer(
        key=key,
        suite=chosen,
        options=options,
        loader=loader,
        proof_hashes={} if proof_hashes is None else proof_hashes,
        document_hashes=document_hashes,
    )
    return map(signer.sign, documents)


def proof_options(
    *,
    suite: Cryptosuite,
    verification_method: str,
    created: datetime | None,
    proof_purpose: str,
    previous_proof: str | list[str] | None = None,
    proof_id: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
) -> dict[str, Any]:
    """Return the proof options, in the order the W3C vectors write them (DI 1.0 section 2.1)."""
    if not isinstance(verification_method, str) or not verification_method:
        raise ProofError(
            sentence(
                "A proof needs a verificationMethod: the URL where verifiers find the public key."
            ),
            code="proof.malformed",
            field="proof.verificationMethod",
        )
    options: dict[str, Any] = {"type": suite.proof_type}
    if proof_id is not None:
        options["id"] = proof_id
    if suite.proof_type == "DataIntegrityProof":
        options["cryptosuite"] = suite.name
    if created is not None:
        options["created"] = format_datetime(created)
    options["verificationMethod"] = verification_method
    options["proofPurpose"] = proof_purpose
    if previous_proof is not None:
        options["previousProof"] = previous_proof
    if domain is not None:
        options["domain"] = domain
    if challenge is not None:
        options["challenge"] = challenge
    return options


class _Signer:
    """Sign documents with one suite, key and set of proof options."""

    def __init__(
        self,
        *,
        key: SigningKey,
        suite: Cryptosuite,
        options: dict[str, Any],
        loader: ContextLoader,
        proof_hashes: ProofHashes,
        document_hashes: DocumentHashes | None,
    ) -> None:
        self.key = key
        self.suite = suite
        self.options = options
        self.loader = loader
        self.proof_hashes = proof_hashes
        self.document_hashes = document_hashes
        self.shared_nodes = SharedNodes()

    def sign(self, document: dict[str, Any]) -> dict[str, Any]:
        if not isinstance(document, dict):
            raise ProofError(sentence("Only a JSON object can be signed."), code="proof.malformed")
        existing = _proof_list(document)
        unsecured = {name: value for name, value in document.items() if name != "proof"}
        secured = unsecured
        previous = self.options.get("previousProof")
        if previous is not None:
            secured = {
                **unsecured,
                "proof": proofs_named(existing, previous, field="proof.previousProof"),
            }
        proof = self.suite.create_proof(
            secured,
            key=self.key,
            proof_options=self.options,
            loader=self.loader,
            proof_hashes=self.proof_hashes,
            document_hashes=self.document_hashes,
            shared_nodes=self.shared_nodes,
        )
        return {**unsecured, "proof": [*existing, proof] if existing else proof}


def verify_proofs(
    document: dict[str, Any],
    *,
    resolve_key: ResolveKey,
    loader: ContextLoader = DEFAULT_LOADER,
    now: datetime | None = None,
    expected_purpose: str | None = "assertionMethod",
    proof_hashes: ProofHashes | None = None,
    document_hashes: DocumentHashes | None = None,
) -> list[ProofResult]:
    """Verify every proof of ``document`` and return one result for each.

    Data Integrity 1.0 sections 4.4 (Verify Proof) and 4.5 (Verify Proof
    Sets and Chains). A proof that cannot be used (malformed, unknown suite,
    wrong purpose, expired, key not found) or whose signature does not match
    gives a failed result holding the error. ``now`` enables the date checks;
    ``proof_hashes`` lets a verification session reuse canonical proof
    configurations, ``document_hashes`` the canonical documents of a batch
    that was just signed (see :func:`sign_many`). Raise :class:`ProofError`
    when the document carries no proof, and let :class:`JsonLdError` /
    :class:`DocumentLoaderError` through: they concern the document, not one
    proof.
    """
    if not isinstance(document, dict):
        raise ProofError(sentence("Only a JSON object can carry proofs."), code="proof.malformed")
    if document.get("proof") is None:
        raise ProofError(
            sentence("The document carries no proof."), code="proof.missing", field="proof"
        )
    proofs = _proof_list(document)
    in_set = isinstance(document["proof"], list)
    unsecured = {name: value for name, value in document.items() if name != "proof"}
    return [
        _verify_proof(
            unsecured,
            proofs,
            index,
            path=f"proof[{index}]" if in_set else "proof",
            resolve_key=resolve_key,
            loader=loader,
            now=now,
            expected_purpose=expected_purpose,
            proof_hashes=proof_hashes,
            document_hashes=document_hashes,
        )
        for index in range(len(proofs))
    ]


def _verify_proof(
    unsecured: dict[str, Any],
    proofs: list[Any],
    index: int,
    *,
    path: str,
    resolve_key: ResolveKey,
    loader: ContextLoader,
    now: datetime | None,
    expected_purpose: str | None,
    proof_hashes: ProofHashes | None,
    document_hashes: DocumentHashes | None,
) -> ProofResult:
    proof = proofs[index]
    suite: Cryptosuite | None = None
    try:
        if not isinstance(proof, dict):
            raise ProofError(
                sentence(
                    "%(path)s must be an object.",
                    path=path,
                ),
                code="proof.malformed",
                field=path,
            )
        suite = suite_for_proof(proof, path=path)
        findings = _check_proof(proof, path=path, now=now, expected_purpose=expected_purpose)
        secured = unsecured
        if proof.get("previousProof") is not None:
            previous = proofs_named(proofs, proof["previousProof"], field=f"{path}.previousProof")
            secured = {**unsecured, "proof": previous}
        public_key = resolve_key(proof["verificationMethod"])
        suite.verify_proof(
            secured,
            proof,
            public_key=public_key,
            loader=loader,
            path=path,
            proof_hashes=proof_hashes,
            document_hashes=document_hashes,
        )
    except PROOF_ERRORS as error:
        return ProofResult(
            proof=proof,
            index=index,
            suite=suite.name if suite else None,
            status=CheckStatus.FAILED,
            message=sentence(
                "The %(proof)s does not verify. %(reason)s",
                proof=_describe(proof, suite),
                reason=error.message,
            ),
            error=error,
        )
    if suite.legacy:
        findings.append(
            sentence(
                "%(name)s is a superseded suite; current signers use %(legacy)s",
                name=suite.name,
                legacy=suite.legacy,
            )
        )
    return ProofResult(
        proof=proof,
        index=index,
        suite=suite.name,
        status=CheckStatus.WARNING if findings else CheckStatus.PASSED,
        message=sentence(
            "The %(proof)s verifies, but %(findings)s.",
            proof=_describe(proof, suite),
            findings=joined(findings, "%(first)s; %(rest)s"),
        )
        if findings
        else sentence("The %(proof)s verifies.", proof=_describe(proof, suite)),
        controller=getattr(public_key, "controller", None),
    )


def _describe(proof: Any, suite: Cryptosuite | None) -> str:
    """Name a proof for a person: its suite and key, as far as they are known."""
    method = proof.get("verificationMethod") if isinstance(proof, dict) else None
    if isinstance(method, str):
        if suite:
            return sentence("%(suite)s proof by %(method)s", suite=suite.name, method=method)
        return sentence("proof by %(method)s", method=method)
    return sentence("%(suite)s proof", suite=suite.name) if suite else sentence("proof")


def _check_proof(
    proof: dict[str, Any], *, path: str, now: datetime | None, expected_purpose: str | None
) -> list[str]:
    """Check what Data Integrity 1.0 section 4.4 asks of every proof; return warnings.

    Steps 3 and 4: ``type``, ``verificationMethod`` and ``proofPurpose`` are
    present and the purpose is the expected one; section 2.1: ``created``
    and ``expires`` are XML Schema dateTimes, and an expired proof fails.
    """
    for name in ("verificationMethod", "proofPurpose"):
        if not isinstance(proof.get(name), str) or not proof[name]:
            raise ProofError(
                sentence(
                    "The proof has no %(name)s.",
                    name=name,
                ),
                code="proof.malformed",
                field=f"{path}.{name}",
            )
    if expected_purpose is not None and proof["proofPurpose"] != expected_purpose:
        raise ProofError(
            sentence(
                "The proof was made for %(proof_purpose)s, not %(expected_purpose)s.",
                proof_purpose=repr(proof["proofPurpose"]),
                expected_purpose=repr(expected_purpose),
            ),
            code="proof.wrong_purpose",
            field=f"{path}.proofPurpose",
        )
    findings: list[str] = []
    if proof.get("created") is not None:
        created = parse_proof_datetime(proof["created"], field=f"{path}.created")
        if now is not None and created > now:
            findings.append(
                sentence(
                    "it claims to have been created in the future (%(created)s)",
                    created=proof["created"],
                )
            )
    if proof.get("expires") is not None:
        expires = parse_proof_datetime(proof["expires"], field=f"{path}.expires")
        if now is not None and expires <= now:
            raise ProofError(
                sentence(
                    "The proof expired on %(expires)s.",
                    expires=proof["expires"],
                ),
                code="proof.expired",
                field=f"{path}.expires",
            )
    return findings


def proofs_named(proofs: list[Any], previous: Any, *, field: str) -> list[dict[str, Any]]:
    """Return the proofs whose ``id`` a ``previousProof`` value names, in proof-set order.

    Data Integrity 1.0 sections 4.3 and 4.5: a chained proof secures the
    document together with exactly these proofs. Raise :class:`ProofError`
    when one is missing.
    """
    wanted = [previous] if isinstance(previous, str) else previous
    if not isinstance(wanted, list) or not all(isinstance(item, str) for item in wanted):
        raise ProofError(
            sentence("previousProof must be a proof id or a list of proof ids."),
            code="proof.malformed",
            field=field,
        )
    ids = {proof.get("id") for proof in proofs if isinstance(proof, dict)}
    missing = [item for item in wanted if item not in ids]
    if missing:
        raise ProofError(
            sentence(
                "previousProof names %(missing)s, but no proof here has that id.",
                missing=", ".join(missing),
            ),
            code="proof.previous_missing",
            field=field,
        )
    return [proof for proof in proofs if isinstance(proof, dict) and proof.get("id") in wanted]


def _proof_list(document: dict[str, Any]) -> list[Any]:
    """Return the document's proofs as a list (a proof set may be a single object)."""
    proof = document.get("proof")
    if proof is None:
        return []
    if isinstance(proof, list):
        return list(proof)
    if isinstance(proof, dict):
        return [proof]
    raise ProofError(
        sentence("proof must be an object or a list of objects."),
        code="proof.malformed",
        field="proof",
    )
