"""The verification pipeline: one entry point for every kind of input.

:func:`verify` reads what was presented (see :mod:`microcred.vc.inputs`) and
returns one :class:`VerificationReport` per credential found. Each step adds
named checks; a step that cannot run because an earlier one failed says so as
a skipped check. Only our own errors are caught here: a bug is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from microcred.text import concat, sentence
from microcred.vc import clr, dataintegrity, datamodel, did, ob2, ob3, statuslist
from microcred.vc import jwt as vcjwt
from microcred.vc.dates import parse_datetime
from microcred.vc.errors import FetchError, InputError, JsonLdError, StatusError, VCError
from microcred.vc.http import (
    DEFAULT_LIMITS,
    BoundedFetcher,
    Fetcher,
    FetchLimits,
    LocalFetcher,
)
from microcred.vc.inputs import Presented, read_presented
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.keys import PublicKey, same_public_key
from microcred.vc.report import CheckStatus, VerificationReport
from microcred.vc.suites import BoundedProofHashes, DocumentHashes, ProofHashes

VC_V1 = "https://www.w3.org/2018/credentials/v1"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB3_CONTEXT_LATEST = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB3_CONTEXTS_OUTDATED = {
    "https://purl.imsglobal.org/spec/ob/v3p0/context.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
}
OB3_TYPES = {"AchievementCredential", "OpenBadgeCredential"}
STATUS_LIST_ENTRY_TYPES = {"BitstringStatusListEntry", "StatusList2021Entry"}
REVOCATION_LIST_TYPE = "1EdTechRevocationList"
# An issuer identified by a DID or a web address can be checked to control the signing
# key; one identified otherwise (urn:uuid:...) cannot, and the report says so.
RESOLVABLE_ISSUERS = ("did:", "https://", "http://")


def verify(
    data: bytes | str | dict[str, Any] | list[Any],
    *,
    source: str | None = None,
    fetcher: Fetcher | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
    now: datetime | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
    proof_hashes: ProofHashes | None = None,
) -> list[VerificationReport]:
    """Verify every credential in ``data`` and return one report for each.

    ``fetcher`` answers URLs (did:web documents, status lists, OB 2.0 hosted
    assertions); without one nothing is fetched. ``limits`` bound what the
    whole call may fetch: one deadline, a number of documents per
    credential. ``now`` is the time validity periods are checked against.
    ``proof_hashes`` is a memo of canonical proof configurations that
    outlives the call (a server's, say); it must only ever see ``loader``.
    Raise :class:`InputError` when ``data`` holds nothing we can read.
    """
    presented = read_presented(data)
    verifier = Verifier(
        fetcher=fetcher,
        loader=loader,
        now=now or datetime.now(UTC),
        limits=limits,
        proof_hashes=proof_hashes,
    )
    try:
        return [verifier.verify_presented(item, source=source) for item in presented]
    finally:
        verifier.close()


def verify_batch(
    inputs: Iterable[tuple[bytes | str | dict[str, Any], str | None]],
    *,
    fetcher: Fetcher | None = None,
    loader: ContextLoader = DEFAULT_LOADER,
    now: datetime | None = None,
    limits: FetchLimits = DEFAULT_LIMITS,
    proof_hashes: ProofHashes | None = None,
    document_hashes: DocumentHashes | None = None,
) -> list[list[VerificationReport]]:
    """Verify each ``(data, source)`` as :func:`verify` would, in one session, and return the
    reports of each input.

    The session fetches each document, resolves each key and verifies each
    status list credential once for the whole batch: a batch of credentials
    from one issuer pays for its DID document and status list once. ``limits``
    bound the whole session (one deadline), and the count of documents per
    credential as in :func:`verify`. ``proof_hashes`` and ``document_hashes``
    are the canonical hashes that :func:`microcred.vc.sign_many` kept while
    signing the batch: verifying what was just signed then canonicalizes
    nothing again, and still checks every signature, key and status. Raise
    :class:`InputError` for an input that holds nothing we can read.
    """
    verifier = Verifier(
        fetcher=fetcher,
        loader=loader,
        now=now or datetime.now(UTC),
        limits=limits,
        proof_hashes=proof_hashes,
        document_hashes=document_hashes,
    )
    try:
        return [
            [verifier.verify_presented(item, source=source) for item in read_presented(data)]
            for data, source in inputs
        ]
    finally:
        verifier.close()


class Verifier:
    """One verification session: its fetcher, loader, clock and caches.

    Status lists, keys and issuers' DID documents are cached for the session,
    so a JSON Lines stream of a thousand credentials that share a list and an
    issuer fetches and verifies each once; so are canonical proof
    configurations, which a batch signed together shares (the configuration is
    then canonicalized once, not once per credential).
    Every fetch of the session goes through one :class:`BoundedFetcher`.
    """

    def __init__(
        self,
        *,
        fetcher: Fetcher | None,
        loader: ContextLoader,
        now: datetime,
        limits: FetchLimits = DEFAULT_LIMITS,
        proof_hashes: ProofHashes | None = None,
        document_hashes: DocumentHashes | None = None,
    ) -> None:
        self.fetcher = BoundedFetcher(fetcher or LocalFetcher({}), limits)
        self.loader = loader
        self.now = now
        self.proof_hashes = BoundedProofHashes() if proof_hashes is None else proof_hashes
        self.document_hashes = document_hashes
        self._status_lists: dict[str, dict[str, Any] | VCError] = {}
        self._keys: dict[str, did.ResolvedKey] = {}
        self._issuer_keys: dict[str, list[PublicKey] | VCError] = {}
        self._listed: dict[tuple[str, str], bool] = {}

    def close(self) -> None:
        """Stop background fetches that are no longer needed."""
        self.fetcher.close()

    def verify_presented(self, item: Presented, *, source: str | None = None) -> VerificationReport:
        self.fetcher.start_credential()
        self.fetcher.prefetch(documents_needed(item))
        baked = (
            sentence(", baked in %(container)s", container=item.container.upper())
            if item.container
            else ""
        )
        if item.kind == "ob2":
            return self.verify_ob2(item.value, source=source, baked=baked)
        if item.kind == "jwt":
            return self.verify_jwt(item.value, source=source, baked=baked)
        return self.verify_credential(item.value, source=source, encoding=concat("JSON", baked))

    # -- W3C Verifiable Credentials (JSON with Data Integrity proofs) -----------------

    def verify_credential(
        self,
        credential: dict[str, Any],
        *,
        source: str | None = None,
        encoding: str = "JSON",
        check_status: bool = True,
    ) -> VerificationReport:
        """Verify a JSON credential secured with Data Integrity proofs."""
        report = self._new_report(credential, source=source, encoding=encoding)
        self._check_structure(report, credential)
        contexts_ok = self._check_contexts(report, credential)
        if contexts_ok:
            self._check_proofs(report, credential)
        else:
            report.skipped(
                "proof.signature",
                sentence("The proof was not checked: the contexts cannot be processed."),
            )
        self._check_validity(report, credential)
        if check_status:
            self._check_status(report, credential)
        self._check_schema(report, credential)
        self._check_nested(report, credential)
        return report

    def verify_jwt(
        self, token: str, *, source: str | None = None, baked: str = ""
    ) -> VerificationReport:
        """Verify a VC-JWT (OB 3.0 JWT proof format or VC-JOSE)."""
        try:
            _header, _payload, credential = vcjwt.decode_jwt(token)
        except InputError as error:
            report = VerificationReport(format=concat("VC-JWT", baked), source=source)
            report.failed("structure.json", error.message)
            return report
        report = self._new_report(credential, source=source, encoding=concat("VC-JWT", baked))
        self._check_structure(report, credential)
        self._check_contexts(report, credential)
        try:
            result = vcjwt.verify_jwt(token, fetcher=self.fetcher, now=self.now)
        except VCError as error:
            report.failed(
                "proof.signature",
                sentence(
                    "The JWT signature could not be verified: %(message)s",
                    message=error.message,
                ),
            )
        else:
            report.passed(
                "proof.signature",
                sentence(
                    "The JWT is signed (%(algorithm)s) by the key %(key_id)s.",
                    algorithm=result.algorithm,
                    key_id=result.key_id or sentence("in its header"),
                ),
            )
            report.checks.extend(result.findings)
            self._check_jwt_issuer_key(report, result)
        self._check_validity(report, credential)
        self._check_status(report, credential)
        self._check_schema(report, credential)
        self._check_nested(report, credential)
        return report

    def verify_ob2(
        self, value: Any, *, source: str | None = None, baked: str = ""
    ) -> VerificationReport:
        """Verify an Open Badges 2.0 assertion (hosted or signed)."""
        result = ob2.verify_ob2(value, fetcher=self.fetcher, now=self.now, loader=self.loader)
        report = VerificationReport(
            format=concat(sentence("Open Badges 2.0 assertion"), baked), source=source
        )
        report.credential = result.assertion
        report.name = (result.badge or {}).get("name")
        issuer = result.issuer or {}
        report.issuer = issuer.get("id")
        report.issuer_name = issuer.get("name")
        recipient = (result.assertion or {}).get("recipient") or {}
        report.subject = recipient.get("identity") if isinstance(recipient, dict) else None
        report.checks.extend(result.checks)
        return report

    # -- the steps -------------------------------------------------------------------

    def _new_report(
        self, credential: dict[str, Any], *, source: str | None, encoding: str
    ) -> VerificationReport:
        types = _as_list(credential.get("type"))
        main_type = next((t for t in types if t != "VerifiableCredential"), "VerifiableCredential")
        issuer = credential.get("issuer")
        subject = _first(credential.get("credentialSubject"))
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        report = VerificationReport(
            format=concat(main_type, " (", encoding, ")"), source=source, credential=credential
        )
        report.issuer = (
            issuer.get("id")
            if isinstance(issuer, dict)
            else issuer
            if isinstance(issuer, str)
            else None
        )
        report.issuer_name = _text(issuer.get("name")) if isinstance(issuer, dict) else None
        report.name = _text(
            (achievement or {}).get("name") if isinstance(achievement, dict) else None
        ) or _text(credential.get("name"))
        if isinstance(subject, dict):
            report.subject = subject.get("id") or _identifier(subject)
        return report

    def _check_structure(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        # The model's name: a sentence where it has words to translate.
        checks: list[tuple[str, list[datamodel.Problem], str]] = [
            (
                "structure.datamodel",
                datamodel.validate_credential(credential),
                sentence("the W3C VC Data Model"),
            )
        ]
        types = set(_as_list(credential.get("type")))
        if "ClrCredential" in types:
            checks.append(("structure.clr", clr.validate_clr(credential), "CLR 2.0"))
        elif types & OB3_TYPES:
            checks.append(("structure.ob3", ob3.validate_ob3(credential), "Open Badges 3.0"))
        for check_id, problems, model in checks:
            errors = [p for p in problems if p.severity == "error"]
            for problem in problems:
                status = CheckStatus.FAILED if problem.severity == "error" else CheckStatus.WARNING
                report.add(
                    check_id,
                    status,
                    sentence(
                        "%(path)s: %(message)s",
                        path=problem.path,
                        message=problem.message,
                    ),
                    path=problem.path,
                    code=problem.code,
                )
            if not errors:
                report.passed(
                    check_id,
                    sentence(
                        "The credential follows %(model)s.",
                        model=model,
                    ),
                )

    def _check_contexts(self, report: VerificationReport, credential: dict[str, Any]) -> bool:
        urls = [c for c in _as_list(credential.get("@context")) if isinstance(c, str)]
        unknown = [url for url in urls if not self.loader.knows(url)]
        if unknown:
            report.failed(
                "contexts",
                sentence(
                    "These JSON-LD contexts are unknown and were not supplied, so the "
                    "credential cannot be processed: %(unknown)s.",
                    unknown=", ".join(unknown),
                ),
                unknown=unknown,
            )
            return False
        outdated = [url for url in urls if url == VC_V1 or url in OB3_CONTEXTS_OUTDATED]
        if outdated:
            report.warning(
                "contexts",
                sentence(
                    "The credential uses outdated contexts (%(outdated)s); current are "
                    "%(vc_v2)s and %(ob3_context_latest)s.",
                    outdated=", ".join(outdated),
                    vc_v2=VC_V2,
                    ob3_context_latest=OB3_CONTEXT_LATEST,
                ),
                outdated=outdated,
            )
        else:
            report.passed("contexts", sentence("All JSON-LD contexts are known and current."))
        return True

    def _check_proofs(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        if not credential.get("proof"):
            report.failed(
                "proof.signature", sentence("The credential carries no proof: nobody signed it.")
            )
            return
        try:
            results = dataintegrity.verify_proofs(
                credential,
                resolve_key=self._resolve_key,
                loader=self.loader,
                now=self.now,
                proof_hashes=self.proof_hashes,
                document_hashes=self.document_hashes,
            )
        except JsonLdError as error:
            report.failed(
                "proof.signature",
                sentence(
                    "The credential is not valid JSON-LD: %(message)s",
                    message=error.message,
                ),
            )
            return
        for result in results:
            report.add("proof.signature", result.status, result.message, **result.data)
            if result.status is not CheckStatus.FAILED:
                self._check_issuer_key(
                    report,
                    method=result.verification_method,
                    resolved=self._keys.get(result.verification_method or ""),
                )

    def _resolve_key(self, verification_method: str) -> did.ResolvedKey:
        """Resolve a verification method once per session (a stream shares its issuer's key)."""
        resolved = self._keys.get(verification_method)
        if resolved is None:
            resolved = did.resolve_verification_method(verification_method, fetcher=self.fetcher)
            self._keys[verification_method] = resolved
        return resolved

    def _check_issuer_key(
        self,
        report: VerificationReport,
        *,
        method: str | None,
        resolved: did.ResolvedKey | None,
    ) -> None:
        """Check that the issuer controls the key that signed (VC 2.0 section 8.2 and 9.6).

        The key's controller must be the issuer, and a DID issuer must list
        the key for assertionMethod (a key only for authentication does not
        issue). A key only named in a URL fragment (the 1EdTech ``<issuer
        URL>#<publicKeyMultibase>`` convention) is accepted with a warning:
        nothing the issuer published confirms it.
        """
        controller = resolved.controller if resolved else None
        controller_verified = bool(resolved and resolved.controller_verified)
        issuer = report.issuer
        if issuer is None or resolved is None or controller is None:
            report.warning("issuer.key", sentence("Nothing links the signing key to the issuer."))
        elif controller != issuer and issuer.startswith(RESOLVABLE_ISSUERS):
            report.failed(
                "issuer.key",
                sentence(
                    "The proof was made with a key controlled by %(controller)s, not by the"
                    " issuer %(issuer)s.",
                    controller=controller,
                    issuer=issuer,
                ),
                controller=controller,
            )
        elif controller != issuer:
            report.warning(
                "issuer.key",
                sentence(
                    "The issuer %(issuer)s is not a DID or a web address, so nothing shows "
                    "that it controls the signing key; the key is controlled by "
                    "%(controller)s.",
                    issuer=issuer,
                    controller=controller,
                ),
                controller=controller,
            )
        elif not controller_verified:
            report.warning(
                "issuer.key",
                sentence(
                    "The key is named in the verification method itself (%(method)s); the "
                    "issuer %(issuer)s did not publish it anywhere this verifier could "
                    "check.",
                    method=method,
                    issuer=issuer,
                ),
            )
        elif issuer.startswith("did:") and not self._issuer_lists(issuer, method or "", resolved):
            report.failed(
                "issuer.key",
                sentence(
                    "The issuer %(issuer)s lists the key %(method)s, but not for "
                    "assertionMethod: it may not issue credentials with it.",
                    issuer=issuer,
                    method=method,
                ),
            )
        else:
            report.passed(
                "issuer.key",
                sentence(
                    "The signing key belongs to the issuer %(issuer)s.",
                    issuer=issuer,
                ),
            )

    def _issuer_lists(self, issuer: str, method: str, resolved: did.ResolvedKey) -> bool:
        """Return whether the DID ``issuer`` lists the key of ``method`` for assertionMethod.

        Answered once per issuer and method in a session: comparing keys is
        not free, and a stream repeats the pair for every credential.
        """
        listed = self._listed.get((issuer, method))
        if listed is None:
            listed = _lists(self._assertion_keys(issuer), resolved.key)
            self._listed[(issuer, method)] = listed
        return listed

    def _assertion_keys(self, issuer: str) -> list[PublicKey] | VCError:
        """Return the keys the DID ``issuer`` lists for assertionMethod, or why there are none.

        Resolved once per session, as verification methods are.
        """
        keys = self._issuer_keys.get(issuer)
        if keys is None:
            try:
                keys = did.assertion_keys(issuer, fetcher=self.fetcher)
            except VCError as error:
                keys = error
            self._issuer_keys[issuer] = keys
        return keys

    def _check_jwt_issuer_key(
        self, report: VerificationReport, result: vcjwt.JwtVerification
    ) -> None:
        """Check that the key that signed the JWT is one the issuer issues with.

        A JWT can carry any key in its header and claim any issuer, so the
        signature alone proves nothing about who issued it. The key is bound
        to the issuer only when the issuer's DID document lists it for
        assertionMethod (a did:key or did:jwk issuer is its own document), or
        when the issuer is a web address whose own controller document, named
        by ``kid``, lists it. Anything else fails.
        """
        issuer = report.issuer
        where = result.key_id or "the key in the JOSE header (jwk)"
        if not isinstance(issuer, str):
            report.failed(
                "issuer.key",
                sentence(
                    "The credential names no issuer id, so nothing binds %(where)s to an issuer.",
                    where=where,
                ),
            )
            return
        if issuer.startswith("did:"):
            issuer_keys = self._assertion_keys(issuer)
            if isinstance(issuer_keys, VCError):
                report.failed(
                    "issuer.key",
                    sentence(
                        "The signing key (%(where)s) could not be checked against the issuer "
                        "%(issuer)s: %(message)s",
                        where=where,
                        issuer=issuer,
                        message=issuer_keys.message,
                    ),
                )
            elif _lists(issuer_keys, result.key):
                report.passed(
                    "issuer.key",
                    sentence(
                        "The signing key is one the issuer %(issuer)s lists for assertionMethod.",
                        issuer=issuer,
                    ),
                )
            else:
                report.failed(
                    "issuer.key",
                    sentence(
                        "The JWT was signed with a key (%(where)s) that the issuer %(issuer)s "
                        "does not list for assertionMethod: anyone can sign a JWT with a key of"
                        " their own.",
                        where=where,
                        issuer=issuer,
                    ),
                )
        elif result.controller == issuer and result.controller_verified:
            report.passed(
                "issuer.key",
                sentence(
                    "The signing key is listed by the issuer %(issuer)s itself.",
                    issuer=issuer,
                ),
            )
        else:
            report.failed(
                "issuer.key",
                sentence(
                    "Nothing binds the signing key (%(where)s) to the issuer %(issuer)s: "
                    "the issuer is not a DID whose document lists the key, and the key is "
                    "not in a document the issuer publishes.",
                    where=where,
                    issuer=issuer,
                ),
            )

    def _check_validity(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        start = credential.get("validFrom", credential.get("issuanceDate"))
        end = credential.get("validUntil", credential.get("expirationDate"))
        start_at, end_at = _date_or_none(start), _date_or_none(end)
        if start_at is not None and start_at > self.now:
            report.failed(
                "validity.not_yet_valid",
                sentence(
                    "The credential is not valid before %(start)s.",
                    start=start,
                ),
                validFrom=start,
            )
        elif start_at is not None:
            report.passed(
                "validity.not_yet_valid",
                sentence(
                    "The credential is valid since %(start)s.",
                    start=start,
                ),
            )
        if end_at is not None and end_at <= self.now:
            report.failed(
                "validity.expired",
                sentence(
                    "The credential expired on %(end)s.",
                    end=end,
                ),
                validUntil=end,
            )
        elif end_at is not None:
            report.passed(
                "validity.expired",
                sentence(
                    "The credential is valid until %(end)s.",
                    end=end,
                ),
            )
        else:
            report.passed("validity.expired", sentence("The credential does not expire."))

    def _check_status(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        entries = [e for e in _as_list(credential.get("credentialStatus")) if e is not None]
        if not entries:
            report.passed(
                "status.revocation", sentence("The issuer gives no way to revoke this credential.")
            )
            return
        for entry in entries:
            if not isinstance(entry, dict):
                report.failed("status.revocation", sentence("credentialStatus must be an object."))
                continue
            kind = entry.get("type")
            if kind in STATUS_LIST_ENTRY_TYPES:
                self._check_status_list_entry(report, entry)
            elif kind == REVOCATION_LIST_TYPE:
                self._check_revocation_list(report, credential, entry)
            else:
                report.warning(
                    "status.revocation",
                    sentence(
                        "The status type %(kind)s is not supported; revocation could not be "
                        "checked.",
                        kind=repr(kind),
                    ),
                )

    def _check_status_list_entry(self, report: VerificationReport, entry: dict[str, Any]) -> None:
        purpose = entry.get("statusPurpose", "revocation")
        check_id = "status.suspension" if purpose == "suspension" else "status.revocation"
        try:
            result = statuslist.check_status(entry, fetch_list=self._status_list, now=self.now)
        except VCError as error:
            report.failed(
                check_id,
                sentence(
                    "The %(purpose)s status cannot be determined: %(message)s",
                    purpose=_purpose(purpose),
                    message=error.message,
                ),
            )
            return
        for warning in result.warnings:
            report.warning(check_id, warning)
        if result.set and purpose == "suspension":
            report.failed(
                check_id, sentence("The issuer has suspended this credential."), index=result.index
            )
        elif result.set and purpose == "revocation":
            report.failed(
                check_id, sentence("The issuer has revoked this credential."), index=result.index
            )
        elif result.set:
            report.warning(
                check_id,
                sentence(
                    "The status list marks this credential (%(purpose)s).",
                    purpose=_purpose(purpose),
                ),
                index=result.index,
            )
        else:
            report.passed(
                check_id,
                sentence(
                    "The credential is not marked in the issuer's %(purpose)s list.",
                    purpose=_purpose(purpose),
                ),
            )

    def _status_list(self, url: str) -> dict[str, Any]:
        """Return the verified status list credential at ``url``; raise when it does not verify."""
        cached = self._status_lists.get(url)
        if cached is None:
            cached = self._fetch_status_list(url)
            self._status_lists[url] = cached
        if isinstance(cached, VCError):
            raise cached
        return cached

    def _fetch_status_list(self, url: str) -> dict[str, Any] | VCError:
        try:
            fetched = self.fetcher.fetch(url)
            text = fetched.content.decode("utf-8", errors="replace").strip()
            items = read_presented(text)
        except (FetchError, InputError) as error:
            return error
        item = items[0]
        if item.kind == "jwt":
            list_report = self.verify_jwt(item.value)
        else:
            list_report = self.verify_credential(item.value, check_status=False)
        proof_failures = [
            c for c in list_report.failures if c.id.startswith(("proof.", "issuer.", "contexts"))
        ]
        if proof_failures or not any(c.id == "proof.signature" for c in list_report.checks):
            reasons = "; ".join(c.message for c in proof_failures) or "it has no proof"
            return StatusError(
                sentence(
                    "the status list credential at %(url)s does not verify: %(reasons)s",
                    url=url,
                    reasons=reasons,
                ),
                data={"url": url},
            )
        status_list: dict[str, Any] = list_report.credential
        return status_list

    def _check_revocation_list(
        self, report: VerificationReport, credential: dict[str, Any], entry: dict[str, Any]
    ) -> None:
        try:
            result = statuslist.check_1edtech_revocation(
                credential.get("id"),
                entry,
                fetch_document=lambda url: self.fetcher.fetch(url).json(),
            )
        except VCError as error:
            report.failed(
                "status.revocation",
                sentence(
                    "The revocation status cannot be determined: %(message)s",
                    message=error.message,
                ),
            )
            return
        if result.set:
            report.failed("status.revocation", sentence("The issuer has revoked this credential."))
        else:
            report.passed(
                "status.revocation",
                sentence("The credential is not on the issuer's revocation list."),
            )

    def _check_schema(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        schemas = [s for s in _as_list(credential.get("credentialSchema")) if isinstance(s, dict)]
        for schema in schemas:
            report.skipped(
                "schema",
                sentence(
                    "The JSON Schema %(id)s was not checked: schemas are not fetched; the "
                    "structure checks above apply the data model's rules.",
                    id=schema.get("id"),
                ),
            )

    def _check_nested(self, report: VerificationReport, credential: dict[str, Any]) -> None:
        if "ClrCredential" not in _as_list(credential.get("type")):
            return
        nested = clr.nested_credentials(credential)
        for path, inner in nested:
            if isinstance(inner, str):
                inner_report = self.verify_jwt(inner, source=path)
            else:
                inner_report = self.verify_credential(inner, source=path)
            report.nested.append(inner_report)
        if nested:
            bad = [str(r.source) for r in report.nested if not r.verified]
            if bad:
                report.failed(
                    "clr.nested",
                    sentence(
                        "Nested credentials that do not verify: %(bad)s.",
                        bad=", ".join(bad),
                    ),
                )
            else:
                report.passed(
                    "clr.nested",
                    sentence(
                        "All %(count)s credentials inside the CLR verify.",
                        count=len(nested),
                    ),
                )


def _purpose(purpose: str) -> str:
    """The status purpose in words a page can translate (an unknown one as it is written)."""
    return {"revocation": sentence("revocation"), "suspension": sentence("suspension")}.get(
        purpose, purpose
    )


def _lists(keys: list[PublicKey] | VCError, key: PublicKey) -> bool:
    """Return whether ``keys`` (an issuer's assertion keys, or why it has none) holds ``key``."""
    return not isinstance(keys, VCError) and any(same_public_key(k, key) for k in keys)


def documents_needed(item: Presented) -> list[str]:
    """Return the URLs verifying ``item`` will fetch, as far as can be told before checking.

    Status lists, the issuer's did:web document and the documents of the
    keys named by proofs or the JWT header, and those of each credential a
    CLR nests: these are fetched together before the checks start. Whatever
    cannot be told here is fetched when a check asks for it.
    """
    if item.kind == "vc" and isinstance(item.value, dict):
        credential, methods = (
            item.value,
            [
                proof.get("verificationMethod")
                for proof in _as_list(item.value.get("proof"))
                if isinstance(proof, dict)
            ],
        )
    elif item.kind == "jwt":
        try:
            header, payload, credential = vcjwt.decode_jwt(item.value)
        except InputError:
            return []
        kid, issuer = header.get("kid"), payload.get("iss")
        if isinstance(kid, str) and kid.startswith("#") and isinstance(issuer, str):
            kid = issuer + kid
        methods = [kid]
    else:
        return []
    issuer = credential.get("issuer")
    issuer = issuer.get("id") if isinstance(issuer, dict) else issuer
    urls = [
        entry.get("statusListCredential")
        for entry in _as_list(credential.get("credentialStatus"))
        if isinstance(entry, dict)
    ]
    for name in (issuer, *methods):
        if not isinstance(name, str):
            continue
        base = name.split("#", 1)[0]
        if base.startswith("did:web:"):
            try:
                urls.append(did.did_web_url(base))
            except VCError:
                continue
        elif base.startswith(("https://", "http://")) and name is not issuer:
            urls.append(base)
    if "ClrCredential" in _as_list(credential.get("type")):
        for _, inner in clr.nested_credentials(credential):
            kind = "jwt" if isinstance(inner, str) else "vc"
            urls += [url for url in documents_needed(Presented(kind, inner)) if url not in urls]
    return [url for url in urls if isinstance(url, str)]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _first(value: Any) -> Any:
    items = _as_list(value)
    return items[0] if items else None


def _text(value: Any) -> str | None:
    """Return a plain string from a string or language value object(s)."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get("@value")
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _identifier(subject: dict[str, Any]) -> str | None:
    for identifier in _as_list(subject.get("identifier")):
        if isinstance(identifier, dict) and identifier.get("identityType"):
            hashed = " (hashed)" if identifier.get("hashed") else ""
            return f"{identifier.get('identityType')}: {identifier.get('identityHash')}{hashed}"
    return None


def _date_or_none(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return parse_datetime(value)
    except VCError:
        return None
