"""Open Badges 2.0 verification: hosted and signed assertions.

Implements the "Verification" section of Open Badges 2.0
(https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html):
a hosted assertion is fetched from its ``id`` and must match what was
presented (HTTP 410 or ``revoked: true`` means revoked; the issuer's
``verification`` policy limits where it may live); a signed assertion is a
compact JWS (RS256) checked with the issuer's ``CryptographicKey`` and its
``RevocationList``. The BadgeClass and issuer Profile are fetched and checked
against the data model, as are extensions that declare a JSON Schema.

JSON-LD is not expanded: ``type`` values and extension properties are
resolved term by term against the documents' contexts (bundled, supplied, or
inline), which is all these checks need.

:func:`verify_ob2` returns findings, each a :class:`Check` with one of the
ids ``ob2.structure``, ``ob2.hosted``, ``ob2.signature``, ``ob2.revocation``,
``ob2.allowed_origins``, ``ob2.issued``, ``ob2.expiry``, ``ob2.extensions``
and, when a recipient identity is given, ``ob2.recipient``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import jsonschema
from cryptography.exceptions import InvalidSignature as BadSignature
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from referencing.exceptions import Unresolvable

from microcred.vc.errors import DocumentLoaderError, FetchError, InputError
from microcred.vc.http import Fetcher
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader
from microcred.vc.report import Check, CheckStatus

OB2_CONTEXTS = ("https://w3id.org/openbadges/v2", "https://openbadgespec.org/v2/context.json")
OBI = "https://w3id.org/openbadges#"
# The classes of the OB 2.0 vocabulary, by the IRI their terms expand to.
CLASSES = {
    OBI + "Assertion": "Assertion",
    OBI + "BadgeClass": "BadgeClass",
    OBI + "Issuer": "Issuer",
    OBI + "Profile": "Profile",
    OBI + "RevocationList": "RevocationList",
    OBI + "Criteria": "Criteria",
    OBI + "Image": "Image",
    OBI + "Evidence": "Evidence",
    OBI + "Extension": "Extension",
    OBI + "IdentityObject": "IdentityObject",
    OBI + "VerificationObject": "VerificationObject",
    OBI + "HostedBadge": "HostedBadge",
    OBI + "SignedBadge": "SignedBadge",
    "https://w3id.org/security#Key": "CryptographicKey",
    "https://w3id.org/credentials#Credential": "Endorsement",
    "http://schema.org/AlignmentObject": "AlignmentObject",
}
PROFILE_CLASSES = {"Issuer", "Profile"}
COMPACT_JWS = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*$")
IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*:|_:)\S+$")
HTTP_URL = re.compile(r"^https?://\S+$")
IDENTITY_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")
RECIPIENT_TYPES = ("email", "url", "telephone", "id")


@dataclass
class Ob2Result:
    """What :func:`verify_ob2` found and the documents it read.

    ``kind`` is the class of the presented document (``Assertion``,
    ``BadgeClass``, ``Issuer``...; ``None`` when its type is not an OB 2.0
    class). ``assertion``, ``badge`` and ``issuer`` are the documents as
    presented, embedded or fetched.
    """

    kind: str | None
    checks: list[Check] = field(default_factory=list)
    assertion: dict[str, Any] | None = None
    badge: dict[str, Any] | None = None
    issuer: dict[str, Any] | None = None


def verify_ob2(
    value: dict[str, Any] | str,
    *,
    fetcher: Fetcher,
    now: datetime,
    loader: ContextLoader = DEFAULT_LOADER,
    recipient: str | None = None,
) -> Ob2Result:
    """Verify an Open Badges 2.0 assertion and return the findings.

    ``value`` is the assertion (a JSON object or its text), its compact JWS
    (signed), or its URL (hosted). A BadgeClass or Profile is checked
    against the data model only. ``recipient`` is an identity (an email
    address...) to check the assertion's recipient against. Raise
    :class:`InputError` when ``value`` is none of these.
    """
    return _Verifier(fetcher=fetcher, loader=loader, now=now).run(value, recipient)


@dataclass(frozen=True)
class _Validation:
    """One ``obi:validation`` entry of an extension context, with that context's terms."""

    validates: str
    schema: str
    terms: dict[str, Any]


@dataclass
class _Presented:
    """The assertion as presented: a JSON object, a JWS (``token``) or fetched from ``url``."""

    document: dict[str, Any]
    token: str | None = None
    header: dict[str, Any] | None = None
    url: str | None = None


class _Findings:
    """Problems of one finding id, turned into checks at the end."""

    def __init__(self, check_id: str) -> None:
        self.check_id = check_id
        self.checks: list[Check] = []

    def error(self, message: str, path: str | None = None) -> None:
        self._add(CheckStatus.FAILED, message, path)

    def warning(self, message: str, path: str | None = None) -> None:
        self._add(CheckStatus.WARNING, message, path)

    def _add(self, status: CheckStatus, message: str, path: str | None) -> None:
        data = {"path": path} if path else {}
        self.checks.append(Check(self.check_id, status, message, data))

    @property
    def failed(self) -> bool:
        return any(check.status is CheckStatus.FAILED for check in self.checks)


class _Verifier:
    """One verification: its fetcher, loader and clock, the findings and the documents fetched."""

    def __init__(self, *, fetcher: Fetcher, loader: ContextLoader, now: datetime) -> None:
        self.fetcher = fetcher
        self.loader = loader
        self.now = now if now.tzinfo else now.replace(tzinfo=UTC)
        self.structure = _Findings("ob2.structure")
        self.checks: list[Check] = []
        self._fetched: dict[str, Any] = {}

    def run(self, value: dict[str, Any] | str, recipient: str | None) -> Ob2Result:
        presented = self._read(value)
        document = presented.document
        context = self._context(document, "$")
        classes = self._check_node(document, context, "$")
        kind = _main_class(classes)
        result = Ob2Result(kind=kind)
        if kind == "Assertion":
            result.assertion = document
            self._verify_assertion(presented, context, result, recipient)
        else:
            if kind == "BadgeClass":
                result.badge = document
                result.issuer = self._load(document.get("issuer"), context, "$.issuer", "Issuer")
            elif kind in PROFILE_CLASSES:
                result.issuer = document
            self._check_extensions(document, context)
            what = _article(kind) if kind else "not an Open Badges 2.0 object"
            self._skip(
                "ob2.hosted",
                f"Only an Assertion can be verified; this document is {what}, so only its "
                "structure was checked.",
            )
        result.checks = self._structure_checks() + self.checks
        return result

    # -- input ------------------------------------------------------------------------

    def _read(self, value: dict[str, Any] | str) -> _Presented:
        if isinstance(value, dict):
            return _Presented(value)
        if not isinstance(value, str):
            raise InputError("An Open Badges 2.0 assertion is a JSON object, a JWS or a URL.")
        text = value.strip()
        if COMPACT_JWS.match(text):
            header_part, payload_part, _signature = text.split(".")
            header = _json_part(header_part, "header")
            payload = _json_part(payload_part, "payload")
            if not isinstance(header, dict) or not isinstance(payload, dict):
                raise InputError("The JWS header and payload must be JSON objects.")
            return _Presented(payload, token=text, header=header)
        if HTTP_URL.match(text):
            try:
                status, document = self._fetch_hosted(text)
            except FetchError as exc:
                raise InputError(f"The assertion cannot be fetched: {exc.message}") from exc
            if document is None:
                gone = " Gone: the issuer has revoked it" if status == 410 else ""
                raise InputError(
                    f"The assertion URL {text} answered HTTP {status}{gone}.",
                    data={"url": text, "status": status},
                )
            return _Presented(document, url=text)
        try:
            document = json.loads(text)
        except ValueError as exc:
            raise InputError(
                f"The Open Badges 2.0 input is not JSON, a compact JWS or a URL: {exc.msg}."
            ) from exc
        if not isinstance(document, dict):
            raise InputError("An Open Badges 2.0 assertion must be a JSON object.")
        return _Presented(document)

    # -- the assertion ----------------------------------------------------------------

    def _verify_assertion(
        self,
        presented: _Presented,
        context: dict[str, Any],
        result: Ob2Result,
        recipient: str | None,
    ) -> None:
        """Run the assertion checks of OB 2.0 "Verification" in order."""
        assertion = presented.document
        self._check_identity(assertion.get("recipient"))
        result.badge = self._load(assertion.get("badge"), context, "$.badge", "BadgeClass")
        badge = result.badge or {}
        result.issuer = self._load(badge.get("issuer"), context, "$.badge.issuer", "Issuer")
        method = self._verification_type(assertion, context)
        if presented.token is not None:
            if method != "SignedBadge":
                self.structure.error(
                    "The assertion was presented as a JWS, so verification.type must be "
                    "SignedBadge.",
                    "$.verification.type",
                )
            self._verify_signed(presented, result.issuer)
        elif method == "SignedBadge":
            self._add(
                "ob2.signature",
                CheckStatus.FAILED,
                "The assertion says it is signed, but it was presented as JSON: present its "
                "JWS (the signed token, or the baked image) to verify the signature.",
            )
        else:
            self._verify_hosted(presented)
            self._check_origin(assertion, result.issuer, result.badge)
        self._check_dates(assertion)
        self._check_extensions(assertion, context)
        if recipient is not None:
            self._check_recipient(assertion.get("recipient"), recipient)

    def _verification_type(self, assertion: dict[str, Any], context: dict[str, Any]) -> str | None:
        verification = assertion.get("verification")
        if not isinstance(verification, dict):
            return None
        kind = verification.get("type")
        iri = _expand(kind, context) if isinstance(kind, str) else None
        method = CLASSES.get(iri or "")
        if method not in ("HostedBadge", "SignedBadge"):
            self.structure.error(
                f"verification.type must be HostedBadge or SignedBadge, not {kind!r}.",
                "$.verification.type",
            )
            return None
        return method

    def _verify_hosted(self, presented: _Presented) -> None:
        """Fetch the assertion from its id and compare (OB 2.0 "Hosted Verification")."""
        assertion = presented.document
        url = assertion.get("id")
        if not isinstance(url, str) or not HTTP_URL.match(url):
            self._add(
                "ob2.hosted",
                CheckStatus.FAILED,
                f"A hosted assertion's id must be its HTTP(S) URL; it is {url!r}.",
            )
            self._skip("ob2.revocation", "The hosted assertion could not be fetched.")
            return
        try:
            status, hosted = (200, assertion) if presented.url else self._fetch_hosted(url)
        except FetchError as exc:
            self._add(
                "ob2.hosted", CheckStatus.FAILED, f"The hosted assertion cannot be fetched: {exc}"
            )
            self._skip("ob2.revocation", "The hosted assertion could not be fetched.")
            return
        if status == 410:
            self._skip("ob2.hosted", f"{url} is gone (HTTP 410): there is no copy to compare.")
            self._add(
                "ob2.revocation",
                CheckStatus.FAILED,
                f"The issuer has revoked this assertion: {url} answers HTTP 410 Gone.",
            )
            return
        if hosted is None:
            self._add("ob2.hosted", CheckStatus.FAILED, f"{url} answered HTTP {status}.")
            self._skip("ob2.revocation", "The hosted assertion could not be fetched.")
            return
        if presented.url is not None:
            self._add("ob2.hosted", CheckStatus.PASSED, f"The assertion was fetched from {url}.")
        elif hosted == assertion:
            self._add(
                "ob2.hosted",
                CheckStatus.PASSED,
                f"The assertion hosted at {url} is the one presented.",
            )
        else:
            differing = sorted(
                key for key in set(hosted) | set(assertion) if hosted.get(key) != assertion.get(key)
            )
            self._add(
                "ob2.hosted",
                CheckStatus.FAILED,
                f"The assertion hosted at {url} differs from the one presented "
                f"({', '.join(differing)}).",
                differing=differing,
            )
        if hosted.get("revoked") is True:
            self._add(
                "ob2.revocation", CheckStatus.FAILED, _revoked(hosted.get("revocationReason"))
            )
        else:
            self._add(
                "ob2.revocation", CheckStatus.PASSED, "The hosted assertion is not marked revoked."
            )

    def _fetch_hosted(self, url: str) -> tuple[int, dict[str, Any] | None]:
        """Return the HTTP status and, for 200, the JSON object at ``url``."""
        fetched = self.fetcher.fetch(url)
        if fetched.status != 200:
            return fetched.status, None
        document = fetched.json()
        if not isinstance(document, dict):
            raise FetchError(f"{url} did not return a JSON object.", data={"url": url})
        return fetched.status, document

    def _check_origin(
        self, assertion: dict[str, Any], issuer: dict[str, Any] | None, badge: dict[str, Any] | None
    ) -> None:
        """Apply the issuer's hosted verification policy (OB 2.0 "VerificationObject").

        ``startsWith`` limits the assertion URL's prefix, ``allowedOrigins``
        its host; without a policy the host must be the issuer id's host.
        """
        url = assertion.get("id")
        if issuer is None or not isinstance(url, str):
            self._skip("ob2.allowed_origins", "Without the issuer, its policy cannot be applied.")
            return
        policy = next(
            (
                node["verification"]
                for node in (issuer, badge or {})
                if isinstance(node.get("verification"), dict)
            ),
            {},
        )
        starts = _as_list(policy.get("startsWith"))
        if starts and not any(isinstance(s, str) and url.startswith(s) for s in starts):
            self._add(
                "ob2.allowed_origins",
                CheckStatus.FAILED,
                f"The assertion URL {url} does not start with any value the issuer allows "
                f"({', '.join(map(str, starts))}).",
            )
            return
        issuer_id = issuer.get("id")
        origins = _as_list(policy.get("allowedOrigins"))
        if not origins:
            if not isinstance(issuer_id, str) or not HTTP_URL.match(issuer_id):
                self._add(
                    "ob2.allowed_origins",
                    CheckStatus.WARNING,
                    f"The issuer id {issuer_id!r} is not an HTTP(S) URL, so there is no origin "
                    "to check the hosted assertion's URL against.",
                )
                return
            origins = [urlsplit(issuer_id).hostname]
        host = urlsplit(url).hostname
        allowed = {origin.lower() for origin in origins if isinstance(origin, str)}
        if host not in allowed:
            self._add(
                "ob2.allowed_origins",
                CheckStatus.FAILED,
                f"The assertion is hosted on {host}, which the issuer does not allow "
                f"({', '.join(sorted(allowed))}).",
            )
            return
        self._add(
            "ob2.allowed_origins",
            CheckStatus.PASSED,
            f"The assertion is hosted where its issuer allows ({host}).",
        )

    def _verify_signed(self, presented: _Presented, issuer: dict[str, Any] | None) -> None:
        """Check the JWS with an authorised issuer key, then the revocation list.

        OB 2.0 "Signed Verification" and "RevocationList".
        """
        assertion, header = presented.document, presented.header or {}
        header_part, payload_part, signature_part = (presented.token or "").split(".")
        if header.get("alg") != "RS256":
            self._add(
                "ob2.signature",
                CheckStatus.FAILED,
                f"Signed OB 2.0 assertions use RS256; this JWS uses {header.get('alg')!r}.",
            )
        elif issuer is None:
            self._add(
                "ob2.signature",
                CheckStatus.FAILED,
                "The issuer Profile could not be read, so its keys are unknown.",
            )
        else:
            self._check_jws(
                f"{header_part}.{payload_part}".encode("ascii"), signature_part, assertion, issuer
            )
        self._check_revocation_list(assertion, issuer)

    def _check_jws(
        self,
        signing_input: bytes,
        signature_part: str,
        assertion: dict[str, Any],
        issuer: dict[str, Any],
    ) -> None:
        signature = _b64url(signature_part, "signature")
        reasons = []
        for key_id, key in self._signing_keys(assertion, issuer, reasons):
            try:
                public_key = serialization.load_pem_public_key(key["publicKeyPem"].encode("utf-8"))
            except (ValueError, UnsupportedAlgorithm) as exc:
                reasons.append(f"the key {key_id} has an unreadable publicKeyPem ({exc})")
                continue
            if not isinstance(public_key, rsa.RSAPublicKey):
                reasons.append(f"the key {key_id} is not an RSA key")
                continue
            try:
                public_key.verify(signature, signing_input, padding.PKCS1v15(), hashes.SHA256())
            except BadSignature:
                reasons.append(f"the signature does not match the key {key_id}")
                continue
            self._add(
                "ob2.signature",
                CheckStatus.PASSED,
                f"The JWS signature verifies with the issuer's key {key_id}.",
                key=key_id,
            )
            return
        self._add(
            "ob2.signature",
            CheckStatus.FAILED,
            "The signature cannot be verified: " + ("; ".join(reasons) or "no key") + ".",
        )

    def _signing_keys(
        self, assertion: dict[str, Any], issuer: dict[str, Any], reasons: list[str]
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Yield the keys to try: ``verification.creator``, else the issuer's ``publicKey``.

        A key is authorised when its ``owner`` is the issuer or the issuer's
        ``publicKey`` lists it (OB 2.0 "VerificationObject", ``creator``).
        """
        verification = assertion.get("verification")
        creator = verification.get("creator") if isinstance(verification, dict) else None
        listed = _as_list(issuer.get("publicKey"))
        listed_ids = {_node_id(key) for key in listed}
        candidates = [creator] if creator is not None else listed
        if not candidates:
            reasons.append("neither verification.creator nor the issuer's publicKey names a key")
        issuer_id = issuer.get("id")
        for candidate in candidates:
            key_id = _node_id(candidate) or "(embedded key)"
            if isinstance(candidate, dict) and "publicKeyPem" in candidate:
                key: Any = candidate
            else:
                try:
                    key = self._fetch_json(key_id)
                except FetchError as exc:
                    reasons.append(f"the key {key_id} cannot be fetched ({exc})")
                    continue
            if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
                reasons.append(f"the key {key_id} has no publicKeyPem")
                continue
            owner = key.get("owner")
            if owner is not None and owner != issuer_id:
                reasons.append(
                    f"the key {key_id} belongs to {owner}, not to the issuer {issuer_id}"
                )
                continue
            if owner is None and key_id not in listed_ids:
                reasons.append(f"the issuer {issuer_id} does not list the key {key_id}")
                continue
            yield key_id, key

    def _check_revocation_list(
        self, assertion: dict[str, Any], issuer: dict[str, Any] | None
    ) -> None:
        """Look the assertion up in the issuer's ``revocationList`` (OB 2.0 "RevocationList")."""
        if issuer is None:
            self._skip("ob2.revocation", "Without the issuer, its revocation list is unknown.")
            return
        url = issuer.get("revocationList")
        if url is None:
            self._add(
                "ob2.revocation", CheckStatus.PASSED, "The issuer publishes no revocation list."
            )
            return
        try:
            document = self._fetch_json(url) if isinstance(url, str) else url
        except FetchError as exc:
            self._add(
                "ob2.revocation",
                CheckStatus.FAILED,
                f"The issuer's revocation list cannot be fetched: {exc}",
            )
            return
        entries = document.get("revokedAssertions") if isinstance(document, dict) else None
        if not isinstance(entries, list):
            self._add(
                "ob2.revocation",
                CheckStatus.FAILED,
                f"The revocation list at {url} has no revokedAssertions array.",
            )
            return
        identifiers = {assertion.get("id"), assertion.get("uid")} - {None}
        for entry in entries:
            # An entry is the revoked assertion's id, or an object with its id or uid.
            listed = {entry.get("id"), entry.get("uid")} if isinstance(entry, dict) else {entry}
            if listed & identifiers:
                reason = entry.get("revocationReason") if isinstance(entry, dict) else None
                self._add("ob2.revocation", CheckStatus.FAILED, _revoked(reason))
                return
        self._add(
            "ob2.revocation",
            CheckStatus.PASSED,
            "The assertion is not on the issuer's revocation list.",
        )

    def _check_dates(self, assertion: dict[str, Any]) -> None:
        """Refuse an assertion issued in the future or expired at ``now`` (OB 2.0 "Assertion")."""
        issued = _try_datetime(assertion.get("issuedOn"))
        expires = _try_datetime(assertion.get("expires"))
        if issued is None:
            self._skip("ob2.issued", "issuedOn is missing or invalid (see the structure checks).")
        elif issued > self.now:
            self._add(
                "ob2.issued",
                CheckStatus.FAILED,
                f"The assertion is issued in the future ({assertion['issuedOn']}).",
            )
        else:
            self._add("ob2.issued", CheckStatus.PASSED, f"Issued on {assertion['issuedOn']}.")
        if "expires" not in assertion:
            self._add("ob2.expiry", CheckStatus.PASSED, "The assertion does not expire.")
        elif expires is None:
            self._skip("ob2.expiry", "expires is invalid (see the structure checks).")
        elif issued is not None and expires < issued:
            self._add(
                "ob2.expiry",
                CheckStatus.FAILED,
                f"The assertion expires ({assertion['expires']}) before it is issued "
                f"({assertion['issuedOn']}).",
            )
        elif expires < self.now:
            self._add(
                "ob2.expiry",
                CheckStatus.FAILED,
                f"The assertion expired on {assertion['expires']}.",
            )
        else:
            self._add(
                "ob2.expiry",
                CheckStatus.PASSED,
                f"The assertion expires on {assertion['expires']}.",
            )

    def _check_recipient(self, identity_object: Any, recipient: str) -> None:
        """Compare ``recipient`` with the assertion's IdentityObject, hashing it with the salt."""
        if not isinstance(identity_object, dict) or not isinstance(
            identity_object.get("identity"), str
        ):
            self._skip("ob2.recipient", "The assertion has no readable recipient identity.")
            return
        identity = identity_object["identity"]
        if identity_object.get("hashed") is True:
            algorithm, _, digest = identity.partition("$")
            salt = identity_object.get("salt")
            salt = salt if isinstance(salt, str) else ""
            if algorithm not in ("sha256", "md5"):
                self._skip("ob2.recipient", f"The identity hash {algorithm!r} is not supported.")
                return
            computed = hashlib.new(algorithm, (recipient + salt).encode("utf-8")).hexdigest()
            matches = computed == digest.lower()
        else:
            matches = identity == recipient
        if matches:
            self._add(
                "ob2.recipient", CheckStatus.PASSED, f"The assertion was awarded to {recipient}."
            )
        else:
            self._add(
                "ob2.recipient",
                CheckStatus.FAILED,
                f"The assertion was not awarded to {recipient}.",
            )

    # -- documents and their structure --------------------------------------------------

    def _load(
        self, value: Any, context: dict[str, Any], path: str, expected: str
    ) -> dict[str, Any] | None:
        """Return the embedded or fetched node ``value`` after checking it is an ``expected``."""
        if isinstance(value, dict):
            node_context = self._context(value, path) if "@context" in value else context
            classes = self._check_node(value, node_context, path, expected=expected)
            return value if classes is not None else None
        if not isinstance(value, str):
            if value is not None:
                self.structure.error(
                    f"Expected the URL of {_article(expected)}, found {value!r}.", path
                )
            return None
        try:
            document = self._fetch_json(value)
        except FetchError as exc:
            self.structure.error(f"The {expected} at {value} cannot be fetched: {exc}", path)
            return None
        if not isinstance(document, dict):
            self.structure.error(f"The {expected} at {value} is not a JSON object.", path)
            return None
        if document.get("id") != value:
            self.structure.warning(
                f"The {expected} fetched from {value} has the id {document.get('id')!r}.", path
            )
        self._check_node(document, self._context(document, path), path, expected=expected)
        return document

    def _fetch_json(self, url: str) -> Any:
        if url not in self._fetched:
            self._fetched[url] = self.fetcher.fetch(url).json()
        return self._fetched[url]

    def _context(self, document: dict[str, Any], path: str) -> dict[str, Any]:
        """Return the term definitions of ``document``'s ``@context``, checking it names OB 2.0.

        Other context URLs (extensions) that are not available only warn:
        the checks here do not depend on them. When the context is unusable,
        the OB 2.0 context stands in so the remaining checks still say
        something useful.
        """
        where = f"{path}.@context"
        entries = document.get("@context")
        if entries is None:
            self.structure.error(
                "@context is missing; it must be https://w3id.org/openbadges/v2.", where
            )
            return self._ob2_terms()
        terms: dict[str, Any] = {}
        unavailable = []
        names_ob2 = False
        for entry in _as_list(entries):
            if isinstance(entry, dict):
                # An inline context: the OB 2.0 terms written out, as some issuers publish.
                terms.update(entry)
                names_ob2 = True
            elif isinstance(entry, str):
                names_ob2 = names_ob2 or entry in OB2_CONTEXTS
                try:
                    terms.update(_terms(self.loader.get(entry)))
                except DocumentLoaderError:
                    unavailable.append(entry)
            else:
                self.structure.error(f"A context must be a URL or an object, not {entry!r}.", where)
        if not names_ob2:
            self.structure.error(
                "@context must be https://w3id.org/openbadges/v2 (or include it), not "
                f"{json.dumps(entries)}.",
                where,
            )
            return {**self._ob2_terms(), **terms}
        if unavailable:
            self.structure.warning(
                f"The context(s) {', '.join(unavailable)} are not available; the terms they "
                "define were not checked.",
                where,
            )
        return terms

    def _ob2_terms(self) -> dict[str, Any]:
        try:
            return _terms(self.loader.get(OB2_CONTEXTS[0]))
        except DocumentLoaderError:
            return {}

    def _check_node(
        self,
        node: dict[str, Any],
        context: dict[str, Any],
        path: str,
        *,
        expected: str | None = None,
    ) -> set[str] | None:
        """Check a node's types and properties; return its OB 2.0 classes (``None`` if untyped)."""
        types = node.get("type", node.get("@type"))
        if types is None or types == []:
            self.structure.error("type is missing; it names the object's class.", f"{path}.type")
            return None
        classes = set()
        for name in _as_list(types):
            iri = _expand(name, context) if isinstance(name, str) else None
            if iri is None:
                self.structure.error(
                    f"The type {name!r} is neither defined by the context nor an absolute IRI.",
                    f"{path}.type",
                )
            elif iri in CLASSES:
                classes.add(CLASSES[iri])
        if expected is not None:
            accepted = PROFILE_CLASSES if expected in PROFILE_CLASSES else {expected}
            if not classes & accepted:
                self.structure.error(
                    f"Expected {_article(expected)}, found type {types!r}.", f"{path}.type"
                )
        for name in sorted(classes):
            for prop, check, missing in RULES.get(name, ()):
                value = node.get(prop)
                where = f"{path}.{prop}"
                if value is None:
                    if missing == "error":
                        self.structure.error(
                            f"{_article(name, start=True)} must have {prop}.", where
                        )
                    elif missing == "warning":
                        self.structure.warning(
                            f"{_article(name, start=True)} should have {prop}.", where
                        )
                    continue
                problem = check(value)
                if problem:
                    self.structure.error(f"{prop} {problem}.", where)
        return classes

    def _check_identity(self, identity_object: Any) -> None:
        """Check the recipient IdentityObject (OB 2.0 "IdentityObject")."""
        if not isinstance(identity_object, dict):
            return  # reported by the Assertion rules
        kind = identity_object.get("type")
        if not isinstance(kind, str):
            self.structure.error(
                "recipient.type must name the identity's kind.", "$.recipient.type"
            )
        elif kind not in RECIPIENT_TYPES:
            self.structure.warning(
                f"recipient.type {kind!r} is not one of {', '.join(RECIPIENT_TYPES)}.",
                "$.recipient.type",
            )
        hashed = identity_object.get("hashed")
        if not isinstance(hashed, bool):
            self.structure.error("recipient.hashed must be true or false.", "$.recipient.hashed")
        identity = identity_object.get("identity")
        if not isinstance(identity, str) or not identity:
            self.structure.error("recipient.identity is missing.", "$.recipient.identity")
        elif hashed is True and not IDENTITY_HASH.match(identity):
            self.structure.error(
                "recipient.identity must be sha256$ (64 hex digits) or md5$ (32) when hashed.",
                "$.recipient.identity",
            )
        salt = identity_object.get("salt")
        if salt is not None and not isinstance(salt, str):
            self.structure.error("recipient.salt must be a string.", "$.recipient.salt")

    # -- extensions ---------------------------------------------------------------------

    def _check_extensions(self, document: dict[str, Any], context: dict[str, Any]) -> None:
        """Validate extensions with the JSON Schemas their contexts declare (OB 2.0 "Extensions").

        An extension context lists ``obi:validation`` entries, each a
        ``validatesType`` and a ``validationSchema``. A node typed
        ``Extension`` whose other type matches is compacted to the
        extension's terms and validated with the schema; a node whose
        contexts declare schemas, none of them for its type, fails.
        """
        findings = _Findings("ob2.extensions")
        nodes = list(_extension_nodes(document, "$"))
        document_urls = _as_list(document.get("@context"))
        for node, path in nodes:
            own = _as_list(node.get("@context"))
            node_terms = {**context}
            for entry in own:
                node_terms.update(entry if isinstance(entry, dict) else self._terms_of(entry))
            types = {
                _expand(t, node_terms) for t in _as_list(node.get("type")) if isinstance(t, str)
            }
            urls = dict.fromkeys(
                url
                for url in [*document_urls, *own]
                if isinstance(url, str) and url not in OB2_CONTEXTS
            )
            validations = [item for url in urls for item in self._validations(url)]
            matching = [item for item in validations if item.validates in types]
            if not validations:
                findings.warning(
                    "No context of this extension declares a JSON Schema; it was not validated.",
                    path,
                )
            elif not matching:
                declared = ", ".join(sorted({item.validates for item in validations}))
                findings.error(
                    f"The extension's type matches no validatesType of its contexts ({declared}).",
                    path,
                )
            for validation in matching:
                self._validate_extension(node, node_terms, validation, findings, path)
        if nodes and not findings.checks:
            findings.checks.append(
                Check(
                    "ob2.extensions",
                    CheckStatus.PASSED,
                    f"{len(nodes)} extension(s) match their JSON Schemas.",
                )
            )
        self.checks.extend(findings.checks)

    def _terms_of(self, url: Any) -> dict[str, Any]:
        """Return the terms of an extension's context URL; unknown ones add none."""
        try:
            return _terms(self.loader.get(url)) if isinstance(url, str) else {}
        except DocumentLoaderError:
            return {}

    def _validations(self, url: str) -> list[_Validation]:
        """Return the ``obi:validation`` entries the context document at ``url`` declares."""
        try:
            document = self.loader.get(url)
        except DocumentLoaderError:
            return []
        own_terms = _terms(document)
        terms = {**self._ob2_terms(), **own_terms}
        found = []
        for key, entries in document.items() if isinstance(document, dict) else ():
            if _expand(key, terms) != OBI + "validation":
                continue
            for entry in _as_list(entries):
                values = (
                    {_expand(k, terms): v for k, v in entry.items()}
                    if isinstance(entry, dict)
                    else {}
                )
                validates = values.get(OBI + "validatesType")
                schema = values.get(OBI + "validationSchema")
                if isinstance(validates, str) and isinstance(schema, str):
                    found.append(
                        _Validation(_expand(validates, terms) or validates, schema, own_terms)
                    )
        return found

    def _validate_extension(
        self,
        node: dict[str, Any],
        node_terms: dict[str, Any],
        validation: _Validation,
        findings: _Findings,
        path: str,
    ) -> None:
        try:
            schema = self._fetch_json(validation.schema)
            if not isinstance(schema, dict):
                raise jsonschema.SchemaError("a JSON Schema is a JSON object")
            validator_class = jsonschema.validators.validator_for(schema)
            validator_class.check_schema(schema)
        except FetchError as exc:
            findings.warning(
                f"The schema {validation.schema} is not available, so the extension was not "
                f"validated: {exc}",
                path,
            )
            return
        except jsonschema.SchemaError as exc:
            findings.warning(f"{validation.schema} is not a valid JSON Schema: {exc.message}", path)
            return
        instance = _compact(node, node_terms, {**self._ob2_terms(), **validation.terms})
        try:
            problems = list(validator_class(schema).iter_errors(instance))
        except Unresolvable as exc:
            # Schemas are not allowed to make us fetch more: a remote $ref stays unresolved.
            findings.warning(f"{validation.schema} refers to a schema not available: {exc}", path)
            return
        for problem in problems:
            where = "/".join(str(part) for part in problem.absolute_path) or "the extension"
            findings.error(
                f"The extension does not match its schema {validation.schema}: {where}: "
                f"{problem.message}",
                path,
            )

    def _structure_checks(self) -> list[Check]:
        checks = self.structure.checks
        if not self.structure.failed:
            checks = [
                Check(
                    "ob2.structure",
                    CheckStatus.PASSED,
                    "The documents follow the Open Badges 2.0 data model.",
                ),
                *checks,
            ]
        return checks

    def _add(self, check_id: str, status: CheckStatus, message: str, **data: Any) -> None:
        self.checks.append(Check(check_id, status, message, data))

    def _skip(self, check_id: str, message: str) -> None:
        self._add(check_id, CheckStatus.SKIPPED, message)


# -- property rules -------------------------------------------------------------------


def _iri(value: Any) -> str | None:
    return None if isinstance(value, str) and IRI.match(value) else "must be an IRI"


def _url(value: Any) -> str | None:
    return None if isinstance(value, str) and HTTP_URL.match(value) else "must be an HTTP(S) URL"


def _text(value: Any) -> str | None:
    if isinstance(value, str) or (isinstance(value, dict) and isinstance(value.get("@value"), str)):
        return None
    return "must be text"


def _texts(value: Any) -> str | None:
    return next((problem for item in _as_list(value) if (problem := _text(item))), None)


def _email(value: Any) -> str | None:
    return None if isinstance(value, str) and "@" in value else "must be an email address"


def _object(value: Any) -> str | None:
    return None if isinstance(value, dict) else "must be an object"


def _node_or_iri(value: Any) -> str | None:
    return None if isinstance(value, dict) else _iri(value)


def _nodes_or_iris(value: Any) -> str | None:
    return next((problem for item in _as_list(value) if (problem := _node_or_iri(item))), None)


def _datetime(value: Any) -> str | None:
    return (
        None
        if _try_datetime(value) is not None
        else "must be an ISO 8601 date-time or a Unix timestamp"
    )


def _list(value: Any) -> str | None:
    return None if isinstance(value, list) else "must be an array"


def _image(*, data_uri: bool) -> Callable[[Any], str | None]:
    """An image is an IRI (a data: URI only where allowed) or an Image object with one as id."""

    def check(value: Any) -> str | None:
        target = value.get("id") if isinstance(value, dict) else value
        if isinstance(target, str) and target.startswith("data:"):
            return None if data_uri else "must be a URL here, not a data: URI"
        return _iri(target)

    return check


RULES: dict[str, list[tuple[str, Callable[[Any], str | None], str | None]]] = {
    # OB 2.0 "Assertion": an Assertion's image must be a URL (only a BadgeClass may embed one).
    "Assertion": [
        ("id", _iri, "error"),
        ("recipient", _object, "error"),
        ("badge", _node_or_iri, "error"),
        ("verification", _object, "error"),
        ("issuedOn", _datetime, "error"),
        ("expires", _datetime, None),
        ("image", _image(data_uri=False), None),
        ("narrative", _text, None),
    ],
    # "BadgeClass": image is required by the specification, but deployed and
    # upstream-accepted badge classes omit it; it does not affect trust.
    "BadgeClass": [
        ("id", _iri, "error"),
        ("name", _text, "error"),
        ("description", _text, "error"),
        ("image", _image(data_uri=True), "warning"),
        ("criteria", _node_or_iri, "error"),
        ("issuer", _node_or_iri, "error"),
        ("tags", _texts, None),
    ],
    # "Profile": an issuer needs a name and a URL; email is expected.
    "Profile": [
        ("id", _iri, "error"),
        ("name", _text, "error"),
        ("url", _url, "error"),
        ("email", _email, "warning"),
        ("image", _image(data_uri=True), None),
        ("publicKey", _nodes_or_iris, None),
        ("revocationList", _node_or_iri, None),
        ("verification", _object, None),
    ],
    "AlignmentObject": [("targetName", _text, "error"), ("targetUrl", _url, "error")],
    "CryptographicKey": [("owner", _iri, None), ("publicKeyPem", _text, None)],
    "RevocationList": [("revokedAssertions", _list, None)],
}
RULES["Issuer"] = RULES["Profile"]


# -- helpers --------------------------------------------------------------------------


def _main_class(classes: set[str] | None) -> str | None:
    for name in ("Assertion", "BadgeClass", "Issuer", "Profile"):
        if classes and name in classes:
            return name
    return min(classes) if classes else None


def _terms(document: Any) -> dict[str, Any]:
    """Return the term definitions of a context document (its ``@context`` object)."""
    context = document.get("@context") if isinstance(document, dict) else None
    merged: dict[str, Any] = {}
    for entry in _as_list(context):
        if isinstance(entry, dict):
            merged.update(entry)
    return merged


def _expand(value: str, terms: dict[str, Any]) -> str | None:
    """Return the IRI a term or compact IRI stands for; ``None`` when it is undefined.

    A term the context defines expands to its ``@id``; ``prefix:suffix``
    expands through the prefix; an absolute IRI stays as it is; other words
    expand against ``@vocab`` if there is one.
    """
    definition = terms.get(value)
    if isinstance(definition, dict):
        definition = definition.get("@id")
    if isinstance(definition, str) and not definition.startswith("@"):
        return _expand_iri(definition, terms)
    if ":" in value:
        return _expand_iri(value, terms)
    vocabulary = terms.get("@vocab")
    return vocabulary + value if isinstance(vocabulary, str) else None


def _expand_iri(value: str, terms: dict[str, Any]) -> str | None:
    """Expand a compact IRI ``prefix:suffix``; return an absolute IRI unchanged."""
    prefix, colon, suffix = value.partition(":")
    if not colon:
        return None
    base = terms.get(prefix)
    if isinstance(base, dict):
        base = base.get("@id")
    if isinstance(base, str) and not suffix.startswith("//"):
        return base + suffix
    return value if SCHEME.match(prefix) else None


def _compact(
    node: dict[str, Any], node_terms: dict[str, Any], target_terms: dict[str, Any]
) -> dict[str, Any]:
    """Rename ``node``'s properties to the terms of ``target_terms`` (shallow compaction)."""
    names: dict[str, str] = {}
    for term in target_terms:
        iri = _expand(term, target_terms)
        if iri is not None and not term.startswith("@"):
            names[iri] = term
    out = {}
    for key, value in node.items():
        if key == "@context":
            continue
        iri = _expand(key, node_terms)
        out[names.get(iri, iri) if iri else key] = value
    return out


def _extension_nodes(value: Any, path: str) -> Iterator[tuple[dict[str, Any], str]]:
    """Yield every object typed ``Extension`` with its JSON path."""
    if isinstance(value, dict):
        if "Extension" in _as_list(value.get("type")):
            yield value, path
        for key, item in value.items():
            if key != "@context":
                yield from _extension_nodes(item, f"{path}[{key!r}]")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from _extension_nodes(item, f"{path}[{number}]")


def _try_datetime(value: Any) -> datetime | None:
    """Return an OB 2.0 DateTime (ISO 8601, or a Unix timestamp) as an aware datetime."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        try:
            return datetime.fromtimestamp(int(value), UTC)
        except (OverflowError, ValueError, OSError):
            return None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _revoked(reason: Any) -> str:
    if isinstance(reason, str) and reason:
        return f"The issuer has revoked this assertion: {reason}"
    return "The issuer has revoked this assertion."


def _article(name: str, *, start: bool = False) -> str:
    article = "an" if name[:1] in "AEIOU" else "a"
    return f"{article.capitalize() if start else article} {name}"


def _json_part(part: str, name: str) -> Any:
    try:
        return json.loads(_b64url(part, name))
    except ValueError as exc:
        raise InputError(f"The JWS {name} is not JSON: {exc}.") from exc


def _b64url(part: str, name: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise InputError(f"The JWS {name} is not base64url: {exc}.") from exc


def _node_id(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
