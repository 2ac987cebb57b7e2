"""DID resolution: did:key, did:web, controller documents and fragment keys."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import base58
import httpx
import pytest

from microcred.vc.did import (
    ResolvedKey,
    did_key_document,
    did_web_url,
    resolve_did,
    resolve_verification_method,
)
from microcred.vc.errors import ResolutionError
from microcred.vc.http import HttpFetcher, LocalFetcher
from microcred.vc.keys import Ed25519Multikey, P256Multikey, RsaKey
from tests import conformance

DID_WEB = "did:web:example.com:orgs:acme"
DID_WEB_URL = "https://example.com/orgs/acme/did.json"
ISSUER = "https://example.edu/issuers/1"


@pytest.fixture(scope="module")
def ed25519() -> Ed25519Multikey:
    return Ed25519Multikey.from_seed(bytes(range(32)))


@pytest.fixture(scope="module")
def p256() -> P256Multikey:
    return P256Multikey.generate()


def did_document(did: str = DID_WEB, **members: Any) -> dict[str, Any]:
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": did, **members}


def multikey(public: Any, method_id: str, controller: str = DID_WEB) -> dict[str, Any]:
    return {
        "id": method_id,
        "type": "Multikey",
        "controller": controller,
        "publicKeyMultibase": public.public_key_multibase,
    }


# -- did:web URLs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.com", "https://example.com/.well-known/did.json"),
        ("did:web:example.com:orgs:acme", "https://example.com/orgs/acme/did.json"),
        ("did:web:example.com%3A8443", "https://example.com:8443/.well-known/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
    ],
)
def test_did_web_maps_to_the_url_of_its_document(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:",
        "did:web:example.com/orgs",
        "did:web:example.com::acme",
        "did:web:exa mple.com",
        "did:web:-example.com",
        "did:web:example.com%3Ahttp",
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK",
    ],
)
def test_malformed_did_webs_are_refused_naming_the_did(did: str) -> None:
    with pytest.raises(ResolutionError) as raised:
        did_web_url(did)
    assert did in raised.value.message


# -- did:key ------------------------------------------------------------------------------------


@pytest.mark.parametrize("key_name", ["ed25519", "p256"])
def test_did_key_documents_hold_one_multikey_for_every_relationship(
    key_name: str, request: pytest.FixtureRequest
) -> None:
    public = request.getfixturevalue(key_name).public
    document = did_key_document(public.did_key)
    method_id = public.did_key_verification_method
    assert document["id"] == public.did_key
    assert document["verificationMethod"] == [multikey(public, method_id, public.did_key)]
    for relationship in ("authentication", "assertionMethod", "capabilityInvocation"):
        assert document[relationship] == [method_id]


@pytest.mark.parametrize("key_name", ["ed25519", "p256"])
@pytest.mark.parametrize("with_fragment", [True, False])
def test_a_did_key_resolves_with_or_without_fragment(
    key_name: str, with_fragment: bool, request: pytest.FixtureRequest
) -> None:
    key = request.getfixturevalue(key_name)
    vm_id = key.public.did_key_verification_method if with_fragment else key.public.did_key
    resolved = resolve_verification_method(vm_id)
    assert resolved.key.public_key_multibase == key.public.public_key_multibase
    assert resolved.id == key.public.did_key_verification_method
    assert resolved.controller == key.public.did_key
    assert resolved.controller_verified
    resolved.verify(key.sign(b"data"), b"data")


def test_a_did_key_with_a_foreign_fragment_is_not_found(ed25519: Ed25519Multikey) -> None:
    with pytest.raises(ResolutionError, match="lists no verification method"):
        resolve_verification_method(ed25519.public.did_key + "#key-1")


@pytest.mark.parametrize(
    "did", ["did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "did:key:", "did:key:x"]
)
def test_did_keys_of_other_key_types_are_refused(did: str) -> None:
    with pytest.raises(ResolutionError) as raised:
        resolve_did(did)
    assert did in raised.value.message


# -- kinds of verification method URL -------------------------------------------------------------


@pytest.mark.parametrize(
    ("vm_id", "message"),
    [
        ("", "non-empty"),
        ("z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x", "has no scheme"),
        ("did:example:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x", "'did:example'"),
        ("xxx:z6MkrvfzkMnvCroEUP2DVc9SHPE48CRsvHiVSusHioxTYu1x", "Cannot dereference"),
        ("ftp://example.com/keys#key-1", "Cannot dereference"),
        ("did:x", "a DID is did:<method>:<identifier>"),
    ],
)
def test_unusable_verification_methods_are_refused(vm_id: str, message: str) -> None:
    with pytest.raises(ResolutionError, match=message) as raised:
        resolve_verification_method(vm_id, fetcher=LocalFetcher({}))
    assert vm_id[:20] in raised.value.message


@pytest.mark.parametrize("base", [ISSUER, "urn:uuid:4ca4a241-fc3b-4d92-978e-f56fa96ae795"])
@pytest.mark.parametrize("key_name", ["ed25519", "p256"])
def test_a_fragment_that_is_a_multikey_is_the_key_without_fetching(
    base: str, key_name: str, request: pytest.FixtureRequest
) -> None:
    public = request.getfixturevalue(key_name).public
    resolved = resolve_verification_method(f"{base}#{public.public_key_multibase}", fetcher=None)
    assert resolved.key.public_key_multibase == public.public_key_multibase
    assert resolved.controller == base
    assert not resolved.controller_verified


def test_a_fragment_that_is_not_a_multikey_needs_the_document(ed25519: Ed25519Multikey) -> None:
    broken = (
        ed25519.public.public_key_multibase[:8] + "sdas" + ed25519.public.public_key_multibase[8:]
    )
    with pytest.raises(ResolutionError, match="fetching is off") as raised:
        resolve_verification_method(f"{ISSUER}#{broken}")
    assert raised.value.code == "http.not_available"


# -- did:web and controller documents ------------------------------------------------------------


def test_a_did_web_method_is_found_in_the_fetched_document(ed25519: Ed25519Multikey) -> None:
    method = multikey(ed25519.public, DID_WEB + "#key-1")
    fetcher = LocalFetcher({DID_WEB_URL: did_document(assertionMethod=[method])})
    resolved = resolve_verification_method(DID_WEB + "#key-1", fetcher=fetcher)
    assert resolved == ResolvedKey(
        id=DID_WEB + "#key-1", controller=DID_WEB, key=resolved.key, controller_verified=True
    )
    assert resolved.key.raw == ed25519.public.raw
    assert resolve_did(DID_WEB, fetcher=fetcher)["id"] == DID_WEB


@pytest.mark.parametrize("listed_in", ["verificationMethod", "assertionMethod", "authentication"])
def test_methods_are_looked_up_in_every_list_with_relative_ids(
    listed_in: str, ed25519: Ed25519Multikey
) -> None:
    document = did_document(**{listed_in: [multikey(ed25519.public, "#key-2")]})
    fetcher = LocalFetcher({DID_WEB_URL: document})
    resolved = resolve_verification_method(DID_WEB + "#key-2", fetcher=fetcher)
    assert resolved.id == DID_WEB + "#key-2"


def test_a_referenced_method_is_found_where_it_is_embedded(ed25519: Ed25519Multikey) -> None:
    document = did_document(
        verificationMethod=[multikey(ed25519.public, DID_WEB + "#key-1")],
        assertionMethod=[DID_WEB + "#key-1"],
    )
    resolved = resolve_verification_method(
        DID_WEB + "#key-1", fetcher=LocalFetcher({DID_WEB_URL: document})
    )
    assert resolved.key.raw == ed25519.public.raw


def test_a_method_controlled_by_someone_else_says_so(ed25519: Ed25519Multikey) -> None:
    method = multikey(ed25519.public, DID_WEB + "#key-1", controller="did:web:other.example")
    fetcher = LocalFetcher({DID_WEB_URL: did_document(verificationMethod=method)})
    resolved = resolve_verification_method(DID_WEB + "#key-1", fetcher=fetcher)
    assert resolved.controller == "did:web:other.example"
    assert not resolved.controller_verified


def verification_methods(ed25519: Ed25519Multikey, p256: P256Multikey) -> list[dict[str, Any]]:
    rsa_key = RsaKey.generate()
    return [
        {
            "type": "Ed25519VerificationKey2020",
            "publicKeyMultibase": ed25519.public.public_key_multibase,
        },
        {
            "type": "Ed25519VerificationKey2018",
            "publicKeyBase58": base58.b58encode(ed25519.public.raw).decode(),
        },
        {"type": "JsonWebKey2020", "publicKeyJwk": ed25519.public.jwk},
        {"type": "JsonWebKey", "publicKeyJwk": p256.public.jwk},
        {"type": "Multikey", "publicKeyMultibase": p256.public.public_key_multibase},
        {"type": "JsonWebKey2020", "publicKeyJwk": rsa_key.public.jwk},
    ]


def test_every_supported_method_type_gives_its_key(
    ed25519: Ed25519Multikey, p256: P256Multikey
) -> None:
    methods = verification_methods(ed25519, p256)
    document = did_document(
        verificationMethod=[{"id": f"#k{i}", **method} for i, method in enumerate(methods)]
    )
    fetcher = LocalFetcher({DID_WEB_URL: document})
    for number, method in enumerate(methods):
        resolved = resolve_verification_method(f"{DID_WEB}#k{number}", fetcher=fetcher)
        expected = method.get("publicKeyJwk") or (
            p256.public.jwk if "zDn" in method.get("publicKeyMultibase", "") else ed25519.public.jwk
        )
        assert resolved.key.jwk == expected, method["type"]


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ({"type": "EcdsaSecp256k1VerificationKey2019", "publicKeyHex": "02"}, "has the type"),
        ({"type": "Multikey", "publicKeyMultibase": "zQ3sh"}, "unusable key"),
        ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": "0OIl"}, "not base58"),
        ({"type": "Ed25519VerificationKey2018", "publicKeyBase58": 7}, "must be a string"),
        ({"type": "JsonWebKey2020", "publicKeyJwk": {"kty": "RSA", "d": "x"}}, "private key"),
    ],
)
def test_unusable_methods_are_refused_naming_them(method: dict[str, Any], message: str) -> None:
    document = did_document(verificationMethod=[{"id": "#bad", **method}])
    with pytest.raises(ResolutionError, match=message) as raised:
        resolve_verification_method(DID_WEB + "#bad", fetcher=LocalFetcher({DID_WEB_URL: document}))
    assert DID_WEB + "#bad" in raised.value.message


def test_a_method_not_in_the_document_is_not_found(ed25519: Ed25519Multikey) -> None:
    document = did_document(verificationMethod=[multikey(ed25519.public, "#key-1")])
    with pytest.raises(ResolutionError, match="lists no verification method") as raised:
        resolve_verification_method(
            DID_WEB + "#key-9", fetcher=LocalFetcher({DID_WEB_URL: document})
        )
    assert DID_WEB + "#key-9" in raised.value.message


def test_a_did_web_without_fragment_names_no_key() -> None:
    with pytest.raises(ResolutionError, match="add the key's #fragment"):
        resolve_verification_method(DID_WEB, fetcher=LocalFetcher({}))


def test_a_did_document_with_another_id_is_refused(ed25519: Ed25519Multikey) -> None:
    document = did_document(
        "did:web:evil.example", verificationMethod=[multikey(ed25519.public, "#k")]
    )
    with pytest.raises(ResolutionError, match=r"has the id 'did:web:evil\.example'") as raised:
        resolve_verification_method(DID_WEB + "#k", fetcher=LocalFetcher({DID_WEB_URL: document}))
    assert DID_WEB in raised.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<html>", "did not return JSON"), (b"[]", "not return a JSON object")],
)
def test_a_did_web_document_that_is_not_a_json_object_is_refused(
    content: bytes, message: str
) -> None:
    with pytest.raises(ResolutionError, match=message) as raised:
        resolve_did(DID_WEB, fetcher=LocalFetcher({DID_WEB_URL: content}))
    assert DID_WEB in raised.value.message


def test_did_web_needs_a_fetcher() -> None:
    with pytest.raises(ResolutionError, match="fetching is off") as raised:
        resolve_did(DID_WEB, fetcher=None)
    assert raised.value.code == "http.not_available"
    assert DID_WEB in raised.value.message


def test_a_missing_document_is_a_resolution_error_naming_the_url() -> None:
    with pytest.raises(ResolutionError) as raised:
        resolve_did(DID_WEB, fetcher=LocalFetcher({}))
    assert raised.value.code == "http.not_available"
    assert DID_WEB_URL in raised.value.message


def test_a_controller_document_at_an_https_url_is_fetched(ed25519: Ed25519Multikey) -> None:
    document = {
        "id": ISSUER,
        "assertionMethod": [multikey(ed25519.public, ISSUER + "#key-1", ISSUER)],
    }
    resolved = resolve_verification_method(
        ISSUER + "#key-1", fetcher=LocalFetcher({ISSUER: document})
    )
    assert (resolved.controller, resolved.controller_verified) == (ISSUER, True)


def test_a_controller_document_with_another_id_is_refused(ed25519: Ed25519Multikey) -> None:
    document = {
        "id": "https://evil.example/",
        "verificationMethod": [multikey(ed25519.public, "#k")],
    }
    with pytest.raises(ResolutionError, match=r"has the id 'https://evil\.example/'"):
        resolve_verification_method(ISSUER + "#k", fetcher=LocalFetcher({ISSUER: document}))


def test_a_verification_method_document_is_its_own_key(p256: P256Multikey) -> None:
    url = "https://example.edu/keys/1"
    document = multikey(p256.public, url, controller=ISSUER)
    resolved = resolve_verification_method(url, fetcher=LocalFetcher({url: document}))
    assert resolved.key.jwk == p256.public.jwk
    assert (resolved.controller, resolved.controller_verified) == (ISSUER, False)


def test_a_kid_names_a_key_of_a_jwk_set(ed25519: Ed25519Multikey, p256: P256Multikey) -> None:
    url = "https://example.edu/keys"
    jwks = {"keys": [{**ed25519.public.jwk, "kid": "a"}, {**p256.public.jwk, "kid": "b"}]}
    fetcher = LocalFetcher({url: jwks})
    assert resolve_verification_method(url + "#b", fetcher=fetcher).key.jwk == p256.public.jwk
    with pytest.raises(ResolutionError, match="no key with the kid 'c'"):
        resolve_verification_method(url + "#c", fetcher=fetcher)


def test_a_url_of_a_jwk_is_the_key(p256: P256Multikey) -> None:
    url = "https://example.edu/keys/2.json"
    resolved = resolve_verification_method(url, fetcher=LocalFetcher({url: p256.public.jwk}))
    assert resolved.key.jwk == p256.public.jwk
    assert resolved.controller is None


# -- the HTTP fetcher: refusals and limits ---------------------------------------------------


@pytest.mark.parametrize(
    "did", ["did:web:localhost", "did:web:127.0.0.1", "did:web:localhost%3A8443"]
)
def test_did_web_of_a_private_address_is_refused_before_any_request(did: str) -> None:
    requests: list[httpx.Request] = []
    transport = httpx.MockTransport(lambda request: requests.append(request) or httpx.Response(200))
    with pytest.raises(ResolutionError) as raised:
        resolve_verification_method(did + "#key-1", fetcher=HttpFetcher(transport=transport))
    assert raised.value.code == "http.refused"
    assert did in raised.value.message
    assert requests == []


def test_did_web_is_fetched_over_https_from_its_url(ed25519: Ed25519Multikey) -> None:
    requested: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requested.append(str(request.url))
        method = multikey(ed25519.public, DID_WEB + "#key-1")
        return httpx.Response(200, json=did_document(verificationMethod=[method]))

    # allow_private skips the DNS check, which needs a network this test does not have.
    fetcher = HttpFetcher(allow_private=True, transport=httpx.MockTransport(answer))
    resolved = resolve_verification_method(DID_WEB + "#key-1", fetcher=fetcher)
    assert requested == [DID_WEB_URL]
    assert resolved.key.raw == ed25519.public.raw


def test_an_http_error_status_is_a_resolution_error() -> None:
    fetcher = HttpFetcher(
        allow_private=True, transport=httpx.MockTransport(lambda _: httpx.Response(404))
    )
    with pytest.raises(ResolutionError, match="answered HTTP 404") as raised:
        resolve_did(DID_WEB, fetcher=fetcher)
    assert DID_WEB in raised.value.message


class Handler(BaseHTTPRequestHandler):
    """Serve a controller document, an oversized one and a slow one."""

    method: dict[str, Any] = {}

    def do_GET(self) -> None:
        base = f"http://127.0.0.1:{self.server.server_port}"
        if self.path == "/slow":
            time.sleep(1)
        body = (
            b" " * 5000
            if self.path == "/big"
            else json.dumps(
                {"id": base + self.path, "verificationMethod": [{"id": "#key-1", **self.method}]}
            ).encode()
        )
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout and size-limit tests), as intended

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(ed25519: Ed25519Multikey) -> Iterator[str]:
    Handler.method = {"type": "Multikey", "publicKeyMultibase": ed25519.public.public_key_multibase}
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def local_fetcher(**options: Any) -> HttpFetcher:
    return HttpFetcher(allow_private=True, allow_http=True, **options)


def test_a_controller_document_is_fetched_from_a_real_server(
    server: str, ed25519: Ed25519Multikey
) -> None:
    resolved = resolve_verification_method(server + "/issuer#key-1", fetcher=local_fetcher())
    assert resolved.key.raw == ed25519.public.raw
    assert resolved.controller == server + "/issuer"


def test_the_default_fetcher_refuses_the_local_server(server: str) -> None:
    with pytest.raises(ResolutionError) as raised:
        resolve_verification_method(server + "/issuer#key-1", fetcher=HttpFetcher())
    assert raised.value.code == "http.refused"


def test_a_document_over_the_size_limit_is_refused(server: str) -> None:
    with pytest.raises(ResolutionError) as raised:
        resolve_verification_method(server + "/big#key-1", fetcher=local_fetcher(max_bytes=1000))
    assert raised.value.code == "http.too_large"
    assert server + "/big" in raised.value.message


def test_a_server_that_does_not_answer_in_time_fails(server: str) -> None:
    with pytest.raises(ResolutionError) as raised:
        resolve_verification_method(server + "/slow#key-1", fetcher=local_fetcher(timeout=0.2))
    assert raised.value.code == "http.timeout"
    assert server + "/slow" in raised.value.message


# -- conformance: verification methods of the 1EdTech and DCC fixtures ----------------------

# What the manifests' checked_here.proofs[].key_from says a verifier finds offline.
RESOLVABLE = {"did:key", "did:web", "fragment-multikey"}


def proof_methods(folder: str, key: str) -> list[Any]:
    """Every verificationMethod of a proof the manifest records, with where its key came from."""
    if not conformance.available():
        return []
    return [
        pytest.param(proof["verificationMethod"], proof["key_from"], id=f"{case['file']}[{n}]")
        for case in conformance.cases(folder, key)
        for n, proof in enumerate((case.get("checked_here") or {}).get("proofs") or [])
        if proof.get("verificationMethod") and proof.get("key_from")
    ]


def check_resolution(vm_id: str, key_from: str, fetcher: LocalFetcher) -> None:
    if key_from in RESOLVABLE:
        resolved = resolve_verification_method(vm_id, fetcher=fetcher)
        assert resolved.key.public_key_multibase in vm_id
    else:
        with pytest.raises(ResolutionError):
            resolve_verification_method(vm_id, fetcher=fetcher)


@pytest.mark.parametrize(("vm_id", "key_from"), proof_methods("1edtech-validator", "fixtures"))
def test_1edtech_verification_methods_resolve_offline_as_the_manifest_says(
    vm_id: str, key_from: str
) -> None:
    check_resolution(vm_id, key_from, LocalFetcher({}))


def dcc_fetcher() -> LocalFetcher:
    """Answer the DCC did:web URLs from the corpus (manifest url_mappings.did_web)."""
    documents = conformance.manifest("dcc-fixtures")["url_mappings"]["did_web"]
    return LocalFetcher(
        {
            entry["url"]: conformance.path("dcc-fixtures", entry["file"])
            for entry in documents.values()
        }
    )


@pytest.mark.parametrize(("vm_id", "key_from"), proof_methods("dcc-fixtures", "credentials"))
def test_dcc_verification_methods_resolve_through_the_url_mappings(
    vm_id: str, key_from: str
) -> None:
    check_resolution(vm_id, key_from, dcc_fetcher())


def dcc_did_webs() -> list[Any]:
    if not conformance.available():
        return []
    return list(conformance.manifest("dcc-fixtures")["url_mappings"]["did_web"])


@pytest.mark.parametrize("did", dcc_did_webs())
def test_dcc_did_web_documents_resolve_to_their_published_keys(did: str) -> None:
    manifest = conformance.manifest("dcc-fixtures")
    assert did_web_url(did) == manifest["url_mappings"]["did_web"][did]["url"]
    assert resolve_did(did, fetcher=dcc_fetcher())["id"] == did
    key = manifest["keys"][did]
    resolved = resolve_verification_method(
        f"{did}#{key['publicKeyMultibase']}", fetcher=dcc_fetcher()
    )
    assert (resolved.controller, resolved.controller_verified) == (did, True)
    seeded = Ed25519Multikey.from_seed(bytes.fromhex(key["seed_hex"]))
    assert resolved.key.raw == seeded.public.raw
