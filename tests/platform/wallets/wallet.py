"""A wallet simulated by the tests: its own Ed25519 key, its own did:key, its own signatures.

It speaks to the platform over HTTP (Django's test client), as the Learner Credential Wallet
speaks the VC API and as OpenID for VC Issuance wallets speak OID4VCI.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.test import Client

from microcred.vc import Ed25519Multikey
from microcred.vc.dataintegrity import sign as sign_proof

BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_MULTICODEC = b"\xed\x01"


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, digit = divmod(number, 58)
        encoded = BASE58[digit] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class Wallet:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.private = Ed25519PrivateKey.generate()
        raw = self.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        fingerprint = "z" + base58btc(ED25519_MULTICODEC + raw)
        self.did = f"did:key:{fingerprint}"
        self.method = f"{self.did}#{fingerprint}"

    # -- VC API -------------------------------------------------------------------------------

    def post(self, url: str, body: Any) -> Any:
        return self.client.post(
            urlsplit(url).path, json.dumps(body), content_type="application/json"
        )

    def did_auth(self, request: dict[str, Any], **changes: Any) -> dict[str, Any]:
        """Return a presentation authenticating the wallet's DID for a presentation request;
        ``changes`` override the challenge, domain or purpose to test refusals."""
        presentation = {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "type": ["VerifiablePresentation"],
            "holder": changes.pop("holder", self.did),
        }
        return sign_proof(
            presentation,
            key=Ed25519Multikey(self.private),
            verification_method=changes.pop("method", self.method),
            proof_purpose=changes.pop("purpose", "authentication"),
            challenge=changes.pop("challenge", request["challenge"]),
            domain=changes.pop("domain", request["domain"]),
        )

    # -- OID4VCI ------------------------------------------------------------------------------

    @staticmethod
    def read_offer(uri: str) -> dict[str, Any]:
        assert uri.startswith("openid-credential-offer://?")
        return json.loads(parse_qs(urlsplit(uri).query)["credential_offer"][0])

    def proof_jwt(self, *, audience: str, nonce: str | None, **claims: Any) -> str:
        header = {"typ": "openid4vci-proof+jwt", "alg": "EdDSA", "kid": self.method}
        payload = {"aud": audience, "iat": int(time.time()), **claims}
        if nonce is not None:
            payload["nonce"] = nonce
        signing_input = ".".join(b64url(json.dumps(part).encode()) for part in (header, payload))
        return f"{signing_input}.{b64url(self.private.sign(signing_input.encode('ascii')))}"
