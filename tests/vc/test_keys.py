"""Keys: Ed25519, P-256 and RSA key pairs, Multikey, JWK and key files."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from microcred.vc.errors import InvalidSignature, KeyFormatError
from microcred.vc.keys import (
    Ed25519Multikey,
    Ed25519PublicMultikey,
    P256Multikey,
    P256PublicMultikey,
    PrivateKey,
    RsaPublicKey,
    dump_key_file,
    generate_key,
    generate_key_file,
    multibase_encode,
    private_key_from_jwk,
    private_key_from_multibase,
    public_key_from_jwk,
    public_key_from_multibase,
    read_key_file,
)
from tests import conformance

DATA = b"the bytes a proof signs"


@pytest.fixture(scope="module")
def keys() -> dict[str, PrivateKey]:
    # RSA key generation takes a while: one key of each type for the module.
    return {key_type: generate_key(key_type) for key_type in ("ed25519", "p256", "rsa")}


@pytest.fixture(params=["ed25519", "p256", "rsa"])
def key(request: pytest.FixtureRequest, keys: dict[str, PrivateKey]) -> PrivateKey:
    return keys[request.param]


# -- signing and verifying ------------------------------------------------------------


def test_each_key_verifies_its_own_signature(key: PrivateKey) -> None:
    key.public.verify(key.sign(DATA), DATA)


def test_a_signature_over_other_data_is_refused(key: PrivateKey) -> None:
    with pytest.raises(InvalidSignature):
        key.public.verify(key.sign(DATA), DATA + b"!")


def test_a_signature_by_another_key_is_refused(key: PrivateKey) -> None:
    other = type(key).generate()
    with pytest.raises(InvalidSignature):
        key.public.verify(other.sign(DATA), DATA)


# The identity point, a small-order Ed25519 key: (R = identity, S = 0) satisfies the
# cofactorless check [S]B = R + [k]A for every message, so anyone could sign anything with it.
SMALL_ORDER_KEY = b"\x01" + bytes(31)
SIGNATURE_OF_ANYTHING = SMALL_ORDER_KEY + bytes(32)


def test_a_small_order_ed25519_key_signs_nothing() -> None:
    public = Ed25519PublicMultikey.from_raw(SMALL_ORDER_KEY)
    for data in (DATA, b"", b"any other message"):
        with pytest.raises(InvalidSignature):
            public.verify(SIGNATURE_OF_ANYTHING, data)


@pytest.mark.parametrize("length", [0, 63, 65])
def test_an_ed25519_signature_of_the_wrong_length_is_refused(
    keys: dict[str, PrivateKey], length: int
) -> None:
    signature = keys["ed25519"].sign(DATA)
    with pytest.raises(InvalidSignature):
        keys["ed25519"].public.verify((signature * 2)[:length], DATA)


@pytest.mark.parametrize(
    ("key_type", "algorithm", "jws_algorithm"),
    [("ed25519", "Ed25519", "EdDSA"), ("p256", "ES256", "ES256"), ("rsa", "RS256", "RS256")],
)
def test_keys_name_their_algorithms(
    keys: dict[str, PrivateKey], key_type: str, algorithm: str, jws_algorithm: str
) -> None:
    key = keys[key_type]
    assert key.algorithm == key.public.algorithm == algorithm
    assert key.public.jws_algorithm == jws_algorithm


def test_es256_signatures_are_r_and_s_of_32_bytes_each(keys: dict[str, PrivateKey]) -> None:
    assert len(keys["p256"].sign(DATA)) == 64


@pytest.mark.parametrize("signature", [b"", b"\x00" * 63, b"\x00" * 72])
def test_an_es256_signature_of_the_wrong_length_is_refused(
    keys: dict[str, PrivateKey], signature: bytes
) -> None:
    with pytest.raises(InvalidSignature, match="64 bytes"):
        keys["p256"].public.verify(signature, DATA)


# -- Multikey and did:key ---------------------------------------------------------------


def test_the_ed25519_key_pair_keeps_its_seed_and_multikey_forms() -> None:
    key = Ed25519Multikey.from_seed(bytes(range(32)))
    again = Ed25519Multikey.from_multibase(key.secret_key_multibase)
    assert again.seed == key.seed == bytes(range(32))
    assert key.public.public_key_multibase.startswith("z6Mk")
    assert Ed25519PublicMultikey.from_raw(key.public.raw).raw == key.public.raw
    assert key.public.did_key == "did:key:" + key.public.public_key_multibase
    assert key.public.did_key_verification_method == (
        f"{key.public.did_key}#{key.public.public_key_multibase}"
    )


def test_p256_multikeys_start_with_zdn_and_round_trip() -> None:
    key = P256Multikey.generate()
    assert key.public.public_key_multibase.startswith("zDn")
    again = P256Multikey.from_multibase(key.secret_key_multibase)
    assert again.public.raw == key.public.raw
    decoded = P256PublicMultikey.from_multibase(key.public.public_key_multibase)
    decoded.verify(key.sign(DATA), DATA)


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_multibase_readers_pick_the_key_type_from_the_header(
    keys: dict[str, PrivateKey], key_type: str
) -> None:
    key = keys[key_type]
    public = public_key_from_multibase(key.public.public_key_multibase)
    assert type(public) is type(key.public)
    assert type(private_key_from_multibase(key.secret_key_multibase)) is type(key)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("6Mk-no-z", "starting with 'z'"),
        ("z0OIl", "not valid base58btc"),
        (multibase_encode(b"\x12\x00" + bytes(32)), "public Multikey"),
        (multibase_encode(b"\xed\x01" + bytes(31)), "expected header 0xed01 and 32 bytes"),
        (multibase_encode(b"\x80\x24" + b"\x02" + b"\xff" * 32), "not a point on P-256"),
    ],
)
def test_bad_public_multikeys_are_refused(value: str, message: str) -> None:
    with pytest.raises(KeyFormatError, match=message) as raised:
        public_key_from_multibase(value)
    assert raised.value.field == "publicKeyMultibase"


def test_a_public_multikey_read_again_is_the_key_read_before(
    keys: dict[str, PrivateKey],
) -> None:
    for key_type in ("ed25519", "p256"):
        value = keys[key_type].public.public_key_multibase
        first = public_key_from_multibase(value)
        assert public_key_from_multibase(value) is first
        assert first.raw == keys[key_type].public.raw


def test_a_64_byte_secret_whose_public_half_belongs_elsewhere_is_refused() -> None:
    key, other = Ed25519Multikey.generate(), Ed25519Multikey.generate()
    value = multibase_encode(b"\x80\x26" + key.seed + other.public.raw)
    with pytest.raises(KeyFormatError, match="does not belong"):
        Ed25519Multikey.from_multibase(value)


# -- JWK -----------------------------------------------------------------------------------


def test_public_jwks_round_trip_and_hold_no_private_member(key: PrivateKey) -> None:
    jwk = key.public.jwk
    assert "d" not in jwk
    again = public_key_from_jwk(jwk)
    assert again.jwk == jwk
    again.verify(key.sign(DATA), DATA)


def test_private_jwks_give_back_a_key_that_signs(key: PrivateKey) -> None:
    again = private_key_from_jwk(key.private_jwk())
    assert type(again) is type(key)
    key.public.verify(again.sign(DATA), DATA)


@pytest.mark.parametrize(
    ("kty", "expected"),
    [("ed25519", {"kty": "OKP", "crv": "Ed25519"}), ("p256", {"kty": "EC", "crv": "P-256"})],
)
def test_jwks_say_their_key_type_and_curve(
    keys: dict[str, PrivateKey], kty: str, expected: dict[str, str]
) -> None:
    assert expected.items() <= keys[kty].public.jwk.items()


def test_a_public_jwk_with_a_private_member_is_refused(keys: dict[str, PrivateKey]) -> None:
    with pytest.raises(KeyFormatError, match="private key") as raised:
        public_key_from_jwk(keys["ed25519"].private_jwk(), field="jwk")
    assert raised.value.field == "jwk"


@pytest.mark.parametrize(
    ("jwk", "message"),
    [
        ("not a JWK", "must be a JSON object"),
        ({"kty": "oct", "k": "c2VjcmV0"}, "oct key"),
        ({"kty": "OKP", "crv": "X25519", "x": "AAAA"}, "OKP X25519 key"),
        ({"kty": "EC", "crv": "P-384", "x": "AA", "y": "AA"}, "EC P-384 key"),
        ({"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}, "not a valid EC JWK"),
        ({"kty": "RSA", "e": "AQAB"}, "not a valid RSA JWK"),
        ({"kty": "OKP", "crv": "Ed25519", "x": 42}, "must be a string"),
    ],
)
def test_unusable_jwks_are_refused(jwk: Any, message: str) -> None:
    with pytest.raises(KeyFormatError, match=message):
        public_key_from_jwk(jwk)


def test_rsa_keys_under_2048_bits_are_refused() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    with pytest.raises(KeyFormatError, match="at least 2048 bits"):
        RsaPublicKey(small.public_key())


def test_a_key_on_another_curve_is_not_a_p256_key() -> None:
    with pytest.raises(KeyFormatError, match="P-256"):
        P256PublicMultikey(ec.generate_private_key(ec.SECP384R1()).public_key())


def test_private_key_from_jwk_needs_the_private_member(keys: dict[str, PrivateKey]) -> None:
    with pytest.raises(KeyFormatError, match="'d'"):
        private_key_from_jwk(keys["rsa"].public.jwk)


# -- key files -------------------------------------------------------------------------------


@pytest.mark.parametrize("key_type", ["ed25519", "p256"])
def test_multikey_key_files_describe_the_did_key_method(
    keys: dict[str, PrivateKey], key_type: str
) -> None:
    key = keys[key_type]
    document = json.loads(dump_key_file(key))
    assert document == {
        "type": "Multikey",
        "id": key.public.did_key_verification_method,
        "controller": key.public.did_key,
        "publicKeyMultibase": key.public.public_key_multibase,
        "secretKeyMultibase": key.secret_key_multibase,
    }


def test_rsa_key_files_are_json_web_keys(keys: dict[str, PrivateKey]) -> None:
    document = json.loads(dump_key_file(keys["rsa"]))
    assert document["type"] == "JsonWebKey"
    assert document["publicKeyJwk"] == keys["rsa"].public.jwk
    assert "d" in document["secretKeyJwk"]


def test_key_files_read_back_to_the_same_key(key: PrivateKey) -> None:
    again = read_key_file(dump_key_file(key).encode("utf-8"))
    assert type(again) is type(key)
    assert again.public.jwk == key.public.jwk


@pytest.mark.parametrize("key_type", ["ed25519", "p256", "rsa"])
def test_generate_key_file_makes_a_new_key_each_time(key_type: str) -> None:
    first, second = read_key_file(generate_key_file(key_type)), generate_key_file(key_type)
    assert first.public.jwk != read_key_file(second).public.jwk


def test_an_unknown_key_type_is_refused() -> None:
    with pytest.raises(KeyFormatError, match="Unknown key type 'dsa'"):
        generate_key("dsa")


def test_private_key_multibase_is_read_as_a_synonym(keys: dict[str, PrivateKey]) -> None:
    key = keys["ed25519"]
    again = read_key_file(json.dumps({"privateKeyMultibase": key.secret_key_multibase}))
    assert again.public.raw == key.public.raw


def test_private_key_jwk_is_read_as_a_synonym(keys: dict[str, PrivateKey]) -> None:
    key = keys["rsa"]
    again = read_key_file(json.dumps({"privateKeyJwk": key.private_jwk()}))
    assert again.public.jwk == key.public.jwk


def test_a_bare_private_jwk_is_a_key_file(keys: dict[str, PrivateKey]) -> None:
    key = keys["p256"]
    assert read_key_file(json.dumps(key.private_jwk())).public.jwk == key.public.jwk


def _public_only(key: PrivateKey) -> dict[str, Any]:
    document = json.loads(dump_key_file(key))
    document.pop("secretKeyMultibase", None)
    document.pop("secretKeyJwk", None)
    return document


@pytest.mark.parametrize(
    ("content", "message", "field"),
    [
        (b"\xff not JSON", "not JSON", None),
        ("[1, 2]", "JSON object", None),
        ("{}", "no secret key", "secretKeyMultibase"),
        ('{"secretKeyMultibase": 7}', "starting with 'z'", "secretKeyMultibase"),
        ('{"secretKeyMultibase": "z0OIl"}', "base58btc", "secretKeyMultibase"),
        (
            json.dumps({"secretKeyMultibase": multibase_encode(b"\xed\x01" + bytes(32))}),
            "secret Multikey",
            "secretKeyMultibase",
        ),
        ('{"secretKeyJwk": {"kty": "OKP"}}', "no private key member", "secretKeyJwk"),
    ],
)
def test_wrong_key_files_are_refused_naming_the_field(
    content: str | bytes, message: str, field: str | None
) -> None:
    with pytest.raises(KeyFormatError, match=message) as raised:
        read_key_file(content)
    assert raised.value.field == field


@pytest.mark.parametrize(
    ("key_type", "field"), [("ed25519", "secretKeyMultibase"), ("rsa", "secretKeyJwk")]
)
def test_a_public_key_file_cannot_sign(
    keys: dict[str, PrivateKey], key_type: str, field: str
) -> None:
    with pytest.raises(KeyFormatError, match="only a public key") as raised:
        read_key_file(json.dumps(_public_only(keys[key_type])))
    assert raised.value.field == field


def test_a_public_jwk_file_cannot_sign(keys: dict[str, PrivateKey]) -> None:
    with pytest.raises(KeyFormatError, match="public JWK") as raised:
        read_key_file(json.dumps(keys["p256"].public.jwk))
    assert raised.value.field == "d"


def test_a_public_multikey_of_another_pair_is_refused(keys: dict[str, PrivateKey]) -> None:
    document = json.loads(dump_key_file(keys["p256"]))
    document["publicKeyMultibase"] = P256Multikey.generate().public.public_key_multibase
    with pytest.raises(KeyFormatError, match="does not belong") as raised:
        read_key_file(json.dumps(document))
    assert raised.value.field == "publicKeyMultibase"


def test_a_public_jwk_of_another_pair_is_refused(keys: dict[str, PrivateKey]) -> None:
    document = json.loads(dump_key_file(keys["rsa"]))
    document["publicKeyJwk"] = keys["p256"].public.jwk
    with pytest.raises(KeyFormatError, match="does not belong") as raised:
        read_key_file(json.dumps(document))
    assert raised.value.field == "publicKeyJwk"


# -- published key pairs -----------------------------------------------------------------------


def test_the_w3c_vc_di_eddsa_key_pair_file_is_read() -> None:
    published = conformance.manifest("w3c-vc-di-eddsa")["key"]
    key = read_key_file(conformance.path("w3c-vc-di-eddsa", published["file"]).read_bytes())
    assert key.seed.hex() == published["private_key_seed_hex"]
    assert key.public.did_key == published["did"]
    assert key.public.did_key_verification_method == published["verificationMethod"]


def test_the_ob3_guide_key_pair_derives_its_did_key() -> None:
    published = conformance.manifest("ob3-impl-guide")["key_pair"]
    key = read_key_file(
        json.dumps(
            {
                "publicKeyMultibase": published["publicKeyMultibase"],
                "secretKeyMultibase": published["secretKeyMultibase"],
            }
        )
    )
    assert key.seed.hex() == published["private_key_seed_hex"]
    assert key.public.raw.hex() == published["public_key_hex"]
    assert key.public.did_key == published["did_key_equivalent"]
    # The guide prints the 64-byte secret (seed || public key); we write the 32-byte seed form.
    assert bytes.fromhex(published["private_key_hex"]) == key.seed + key.public.raw


@pytest.mark.parametrize("did", list(conformance.cases("dcc-fixtures", "keys")))
def test_the_dcc_seeds_derive_their_keys(did: str) -> None:
    entry = conformance.manifest("dcc-fixtures")["keys"][did]
    if entry.get("seed_hex") is None:
        pytest.skip(f"{did}: {entry['note']}")
    key = Ed25519Multikey.from_seed(bytes.fromhex(entry["seed_hex"]))
    assert key.public.public_key_multibase == entry["publicKeyMultibase"]
