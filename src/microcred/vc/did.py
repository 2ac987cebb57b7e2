"""Resolve DIDs and verification method URLs to public keys.

``did:key`` (Ed25519 ``z6Mk...``, P-256 ``zDn...``) and ``did:jwk`` resolve locally; ``did:web``
documents and HTTP(S) controller documents come through the :class:`Fetcher`
the caller passes in, so that the caller decides what may be fetched (the
HTTP fetcher refuses private addresses) and tests answer from local files.
Every failure raises :class:`ResolutionError` naming the DID or URL.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import base58

from microcred.text import sentence
from microcred.vc.errors import FetchError, KeyFormatError, ResolutionError
from microcred.vc.http import Fetcher
from microcred.vc.keys import (
    Ed25519PublicMultikey,
    PublicKey,
    public_key_from_jwk,
    public_key_from_multibase,
)

DID_KEY_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
# did:key spec section 3.1.2: a did:key's one key serves every verification relationship.
DID_KEY_RELATIONSHIPS = (
    "authentication",
    "assertionMethod",
    "capabilityInvocation",
    "capabilityDelegation",
)
# Where a signing key may be listed in a DID document or controller document.
METHOD_LISTS = ("verificationMethod", "assertionMethod", "authentication")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
# did:web method-specific id: colon-separated segments of DID idchars (DID Core 3.1).
DID_WEB = re.compile(r"^did:web:(?P<id>[A-Za-z0-9._%-]+(?::[A-Za-z0-9._%-]+)*)$")
# DID methods whose identifier is the key itself: resolved without fetching anything.
SELF_DESCRIBING_METHODS = ("key", "jwk")
HOST_AND_PORT = re.compile(r"^(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::\d{1,5})?$")


@dataclass(frozen=True)
class ResolvedKey:
    """A public key found for a verification method, with who controls it.

    ``controller_verified`` is true when the controller itself says the key
    is its own: the key is the did:key, or the DID document / controller
    document fetched from the controller's URL lists it. A key taken from a
    URL fragment (the 1EdTech ``<issuer URL>#<publicKeyMultibase>``
    convention) only claims its controller.
    """

    id: str
    controller: str | None
    key: PublicKey
    controller_verified: bool

    @property
    def algorithm(self) -> str:
        return self.key.algorithm

    def verify(self, signature: bytes, data: bytes) -> None:
        """Raise :class:`InvalidSignature` unless ``signature`` signs ``data``."""
        self.key.verify(signature, data)


def resolve_verification_method(vm_id: str, *, fetcher: Fetcher | None = None) -> ResolvedKey:
    """Return the public key that the verification method ``vm_id`` names.

    Accept a did:key (with or without fragment), a did:web DID URL, a URL
    whose fragment is a publicKeyMultibase (taken without fetching, as the
    1EdTech validator does), and an HTTP(S) URL of a controller document, a
    verification method, a JWK or a JWK Set (Open Badges 3.0 section 8.5,
    Controlled Identifiers 1.0 section 3.3). Nothing is fetched without
    ``fetcher``.
    """
    if not isinstance(vm_id, str) or not vm_id:
        raise ResolutionError(sentence("A verificationMethod must be a non-empty URL string."))
    if not SCHEME.match(vm_id):
        raise ResolutionError(
            sentence(
                "The verification method %(vm_id)s is not a URL: it has no scheme (such"
                " as did:, https:).",
                vm_id=repr(vm_id),
            ),
            data={"verificationMethod": vm_id},
        )
    base, _, fragment = vm_id.partition("#")
    if vm_id.startswith("did:"):
        if not fragment and _did_method(base) not in SELF_DESCRIBING_METHODS:
            raise ResolutionError(
                sentence(
                    "The verification method %(vm_id)s names a DID but not one of its keys:"
                    " add the key's #fragment.",
                    vm_id=vm_id,
                ),
                data={"verificationMethod": vm_id},
            )
        return _method_in_document(resolve_did(base, fetcher=fetcher), vm_id, base)
    fragment_key = _fragment_key(fragment)
    if fragment_key is not None:
        return ResolvedKey(id=vm_id, controller=base, key=fragment_key, controller_verified=False)
    if urlsplit(base).scheme not in ("https", "http"):
        raise ResolutionError(
            sentence(
                "Cannot dereference the verification method %(vm_id)s: microcred "
                "resolves did:key, did:web and HTTPS URLs.",
                vm_id=vm_id,
            ),
            data={"verificationMethod": vm_id},
        )
    document = _fetch_json(
        base, fetcher=fetcher, what=sentence("the verification method %(vm_id)s", vm_id=vm_id)
    )
    return _method_at_url(document, vm_id, base, fragment)


def resolve_did(did: str, *, fetcher: Fetcher | None = None) -> dict[str, Any]:
    """Return the DID document of ``did`` (did:key, did:jwk or did:web)."""
    method = _did_method(did)
    if method == "key":
        return did_key_document(did)
    if method == "jwk":
        return did_jwk_document(did)
    document = _fetch_json(did_web_url(did), fetcher=fetcher, what=did)
    if document.get("id") != did:
        raise ResolutionError(
            sentence(
                "The DID document of %(did)s has the id %(id)s, not %(did)s.",
                did=did,
                id=repr(document.get("id")),
            ),
            data={"did": did, "id": document.get("id")},
        )
    return document


def did_key_document(did: str) -> dict[str, Any]:
    """Return the DID document of an Ed25519 or P-256 ``did:key`` (did:key spec, section 3.1)."""
    key = _did_key_public_key(did)
    method_id = f"{did}#{key.public_key_multibase}"
    return {
        "@context": DID_KEY_CONTEXTS,
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key_multibase,
            }
        ],
        **{relationship: [method_id] for relationship in DID_KEY_RELATIONSHIPS},
    }


def did_jwk_document(did: str) -> dict[str, Any]:
    """Return the DID document of a ``did:jwk`` (did:jwk spec, section 2.3.1 Read).

    The identifier is the base64url of the public JWK; its one method is ``#0``
    and, as the JWK says nothing of its ``use``, serves every relationship.
    """
    encoded = did.removeprefix("did:jwk:")
    try:
        jwk = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
        public_key_from_jwk(jwk, field="did:jwk")
    except (ValueError, binascii.Error, KeyFormatError) as error:
        message = error.message if isinstance(error, KeyFormatError) else str(error)
        raise ResolutionError(
            sentence(
                "Cannot resolve %(did)s: its identifier is not the base64url of a "
                "public JWK (%(message)s).",
                did=did,
                message=message,
            ),
            data={"did": did},
        ) from error
    method_id = f"{did}#0"
    return {
        "@context": DID_KEY_CONTEXTS,
        "id": did,
        "verificationMethod": [
            {"id": method_id, "type": "JsonWebKey", "controller": did, "publicKeyJwk": jwk}
        ],
        **{relationship: [method_id] for relationship in DID_KEY_RELATIONSHIPS},
    }


def assertion_keys(did: str, *, fetcher: Fetcher | None = None) -> list[PublicKey]:
    """Return the keys the DID document of ``did`` lists for assertionMethod.

    These are the keys its subject issues credentials with (DID Core 1.0
    section 5.3.2; VC 2.0 section 8.2). An entry is a method object or a
    reference to one of the document's verification methods; an entry whose
    key cannot be read is passed over, as it authorises nothing.
    """
    document = resolve_did(did, fetcher=fetcher)
    by_id = {
        _absolute(method.get("id"), did): method
        for method in _as_list(document.get("verificationMethod"))
        if isinstance(method, dict)
    }
    keys = []
    for entry in _as_list(document.get("assertionMethod")):
        method = entry if isinstance(entry, dict) else by_id.get(_absolute(entry, did))
        if not isinstance(method, dict):
            continue
        try:
            keys.append(key_from_verification_method(method, vm_id=str(method.get("id"))))
        except ResolutionError:
            continue
    return keys


def did_web_url(did: str) -> str:
    """Return the URL of the DID document of a ``did:web`` (did:web spec, section 3.2 Read).

    ``did:web:example.com`` is read from ``https://example.com/.well-known/did.json``;
    ``did:web:example.com:orgs:acme`` from ``https://example.com/orgs/acme/did.json``.
    A port is written percent-encoded: ``did:web:example.com%3A8443``.
    """
    match = DID_WEB.match(did) if isinstance(did, str) else None
    if match is None:
        raise ResolutionError(
            sentence(
                "%(did)s is not a did:web: expected did:web:<domain>[:<path>...].",
                did=repr(did),
            ),
            data={"did": str(did)},
        )
    domain, *path = match.group("id").split(":")
    host = unquote(domain)
    if not HOST_AND_PORT.match(host):
        raise ResolutionError(
            sentence(
                "%(did)s does not name a valid domain (%(host)s).",
                did=did,
                host=repr(host),
            ),
            data={"did": did, "domain": host},
        )
    if path:
        return f"https://{host}/{'/'.join(path)}/did.json"
    return f"https://{host}/.well-known/did.json"


def key_from_verification_method(method: dict[str, Any], *, vm_id: str) -> PublicKey:
    """Return the public key of a verification method object, by its ``type``.

    Multikey and Ed25519VerificationKey2020 carry ``publicKeyMultibase``;
    Ed25519VerificationKey2018 ``publicKeyBase58``; JsonWebKey2020 and
    JsonWebKey ``publicKeyJwk``.
    """
    kind = method.get("type")
    # Missing reads as "": the key readers refuse it as they refuse any non-multibase value.
    multibase = method.get("publicKeyMultibase", "")
    try:
        if kind == "Multikey":
            return public_key_from_multibase(multibase)
        if kind == "Ed25519VerificationKey2020":
            return Ed25519PublicMultikey.from_multibase(multibase)
        if kind == "Ed25519VerificationKey2018":
            return _ed25519_from_base58(method.get("publicKeyBase58"))
        if kind in ("JsonWebKey2020", "JsonWebKey"):
            return public_key_from_jwk(method.get("publicKeyJwk"))
    except KeyFormatError as error:
        raise ResolutionError(
            sentence(
                "The verification method %(vm_id)s has an unusable key: %(message)s",
                vm_id=vm_id,
                message=error.message,
            ),
            code=error.code,
            field=error.field,
            data={"verificationMethod": vm_id},
        ) from error
    raise ResolutionError(
        sentence(
            "The verification method %(vm_id)s has the type %(kind)s; microcred "
            "reads Multikey, Ed25519VerificationKey2020, "
            "Ed25519VerificationKey2018, JsonWebKey2020 and JsonWebKey.",
            vm_id=vm_id,
            kind=repr(kind),
        ),
        data={"verificationMethod": vm_id, "type": kind},
    )


def _did_method(did: str) -> str:
    """Return the method of ``did`` when microcred resolves it; raise otherwise."""
    method = did.split(":", 2)[1] if did.count(":") >= 2 else ""
    if method in ("key", "jwk", "web"):
        return method
    if not method:
        raise ResolutionError(
            sentence(
                "Cannot resolve %(did)s: a DID is did:<method>:<identifier>.",
                did=repr(did),
            ),
            data={"did": did},
        )
    raise ResolutionError(
        sentence(
            "Cannot resolve %(did)s: the DID method 'did:%(method)s' is not "
            "supported (microcred resolves did:key, did:jwk and did:web).",
            did=did,
            method=method,
        ),
        data={"did": did},
    )


def _did_key_public_key(did: str) -> Any:
    try:
        return public_key_from_multibase(did.removeprefix("did:key:"), field="did:key")
    except KeyFormatError as error:
        raise ResolutionError(
            sentence(
                "Cannot resolve %(did)s: %(message)s",
                did=did,
                message=error.message,
            ),
            code=error.code,
            data={"did": did},
        ) from error


def _ed25519_from_base58(value: Any) -> PublicKey:
    if not isinstance(value, str):
        raise KeyFormatError(sentence("publicKeyBase58 must be a string."), field="publicKeyBase58")
    try:
        raw = base58.b58decode(value)
    except ValueError as exc:
        raise KeyFormatError(
            sentence(
                "publicKeyBase58 is not base58: %(exc)s",
                exc=exc,
            ),
            field="publicKeyBase58",
        ) from exc
    return Ed25519PublicMultikey.from_raw(raw)


def _fragment_key(fragment: str) -> PublicKey | None:
    """Return the key a fragment spells as a publicKeyMultibase, or None when it does not."""
    if not fragment.startswith("z"):
        return None
    try:
        return public_key_from_multibase(fragment)
    except KeyFormatError:
        return None


def _fetch_json(url: str, *, fetcher: Fetcher | None, what: str) -> dict[str, Any]:
    if fetcher is None:
        raise ResolutionError(
            sentence(
                "Cannot resolve %(what)s: it needs %(url)s, and fetching is off.",
                what=what,
                url=url,
            ),
            code="http.not_available",
            data={"url": url},
        )
    try:
        fetched = fetcher.fetch(url)
        if fetched.status != 200:
            raise ResolutionError(
                sentence(
                    "Cannot resolve %(what)s: %(url)s answered HTTP %(status)s.",
                    what=what,
                    url=url,
                    status=fetched.status,
                ),
                data={"url": url, "status": fetched.status},
            )
        document = fetched.json()
    except FetchError as error:
        raise ResolutionError(
            sentence(
                "Cannot resolve %(what)s: %(message)s",
                what=what,
                message=error.message,
            ),
            code=error.code,
            data={"url": url, **error.data},
        ) from error
    if not isinstance(document, dict):
        raise ResolutionError(
            sentence(
                "Cannot resolve %(what)s: %(url)s did not return a JSON object.",
                what=what,
                url=url,
            ),
            data={"url": url},
        )
    return document


def _method_in_document(document: dict[str, Any], vm_id: str, base: str) -> ResolvedKey:
    """Find ``vm_id`` among the verification methods of a DID or controller document.

    A did:key without fragment names its one method (did:key spec, section
    3.1.2); otherwise the fragment must match a method's id.
    """
    document_id = document["id"]
    methods = [
        method
        for name in METHOD_LISTS
        for method in _as_list(document.get(name))
        if isinstance(method, dict)
    ]
    wanted = vm_id if "#" in vm_id else None
    for method in methods:
        method_id = _absolute(method.get("id"), document_id)
        if wanted is None or method_id == wanted:
            controller = method.get("controller", document_id)
            controller = controller if isinstance(controller, str) else None
            return ResolvedKey(
                id=method_id,
                controller=controller,
                key=key_from_verification_method(method, vm_id=method_id),
                controller_verified=controller == document_id,
            )
    raise ResolutionError(
        sentence(
            "The document of %(base)s lists no verification method %(vm_id)s "
            "(looked in %(method_lists)s).",
            base=base,
            vm_id=vm_id,
            method_lists=", ".join(METHOD_LISTS),
        ),
        data={"verificationMethod": vm_id},
    )


def _method_at_url(document: dict[str, Any], vm_id: str, base: str, fragment: str) -> ResolvedKey:
    """Read a key from what an HTTP(S) URL returned: JWK Set, JWK, method or controller document."""
    if isinstance(document.get("keys"), list):
        for jwk in document["keys"]:
            if isinstance(jwk, dict) and jwk.get("kid") in (vm_id, fragment):
                return _jwk_key(jwk, vm_id)
        raise ResolutionError(
            sentence(
                "The JWK Set at %(base)s has no key with the kid %(fragment)s.",
                base=base,
                fragment=repr(fragment or vm_id),
            ),
            data={"verificationMethod": vm_id},
        )
    if "kty" in document:
        return _jwk_key(document, vm_id)
    if document.get("id") != base:
        raise ResolutionError(
            sentence(
                "The document at %(base)s has the id %(id)s, not %(base)s.",
                base=base,
                id=repr(document.get("id")),
            ),
            data={"url": base, "id": document.get("id")},
        )
    if not fragment and isinstance(document.get("type"), str):
        return ResolvedKey(
            id=vm_id,
            controller=document.get("controller"),
            key=key_from_verification_method(document, vm_id=vm_id),
            controller_verified=False,
        )
    return _method_in_document(document, vm_id, base)


def _jwk_key(jwk: dict[str, Any], vm_id: str) -> ResolvedKey:
    try:
        key = public_key_from_jwk(jwk, field="jwk")
    except KeyFormatError as error:
        raise ResolutionError(
            sentence(
                "The key %(vm_id)s is unusable: %(message)s",
                vm_id=vm_id,
                message=error.message,
            ),
            code=error.code,
            field=error.field,
        ) from error
    return ResolvedKey(id=vm_id, controller=None, key=key, controller_verified=False)


def _absolute(method_id: Any, document_id: str) -> Any:
    """Resolve a relative method id (``#key-1``) against its document (DID Core 3.2.1)."""
    if isinstance(method_id, str) and method_id.startswith("#"):
        return document_id + method_id
    return method_id


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
