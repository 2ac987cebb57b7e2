"""Properties of Data Integrity proofs over generated Open Badges 3.0 credentials.

Whatever the credential, a fresh proof verifies; and changing any single
value of the signed document, the proof's own fields included, makes
verification fail. Also: the fast JCS equals the reference implementation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.vc.dataintegrity import sign, verify_proofs
from microcred.vc.errors import (
    DocumentLoaderError,
    InvalidSignature,
    JsonLdError,
    ProofError,
    VCError,
)
from microcred.vc.jcs import canonicalize_json
from microcred.vc.keys import Ed25519Multikey
from microcred.vc.report import CheckStatus

KEY = Ed25519Multikey.generate()
SUITES = ["eddsa-rdfc-2022", "eddsa-jcs-2022"]
Path = tuple[str | int, ...]

words = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=24
)
slugs = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=16)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(UTC)
).map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M:%SZ"))


@st.composite
def credentials(draw: st.DrawFn) -> dict[str, Any]:
    """Draw an Open Badges 3.0 credential: issuer, achievement, and optional extras."""
    issuer = f"https://{draw(slugs)}.example/issuers/{draw(slugs)}"
    achievement: dict[str, Any] = {
        "id": f"{issuer}/achievements/{draw(slugs)}",
        "type": ["Achievement"],
        "name": draw(words),
        "description": draw(words),
        "criteria": {"narrative": draw(words)},
    }
    if draw(st.booleans()):
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": draw(words),
                "targetUrl": f"https://esco.example/skill/{draw(slugs)}",
            }
        ]
    subject: dict[str, Any] = {
        "id": f"did:example:{draw(slugs)}",
        "type": ["AchievementSubject"],
        "achievement": achievement,
    }
    if draw(st.booleans()):
        subject["result"] = [{"type": ["Result"], "value": draw(words)}]
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": f"urn:uuid:{draw(st.uuids())}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": ["Profile"], "name": draw(words)},
        "validFrom": draw(moments),
        "name": draw(words),
        "credentialSubject": subject,
    }
    if draw(st.booleans()):
        document["credentialStatus"] = {
            "id": f"{issuer}/status/1#{draw(st.integers(0, 131071))}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(draw(st.integers(0, 131071))),
            "statusListCredential": f"{issuer}/status/1",
        }
    return document


def signed(document: dict[str, Any], suite: str) -> dict[str, Any]:
    return sign(
        document,
        key=KEY,
        suite=suite,
        verification_method=KEY.public.did_key_verification_method,
        created=datetime(2026, 11, 22, tzinfo=UTC),
    )


def leaves(value: Any, path: Path = ()) -> Iterator[Path]:
    """Yield the path of every string, number and boolean in a JSON value."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from leaves(item, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def changed(value: Any, suffix: str) -> Any:
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    return value + suffix


@settings(max_examples=50, deadline=None)
@given(document=credentials(), suite=st.sampled_from(SUITES))
def test_a_fresh_proof_always_verifies(document: dict[str, Any], suite: str) -> None:
    [result] = verify_proofs(signed(document, suite), resolve_key=lambda _: KEY.public)

    assert result.status is CheckStatus.PASSED, result.message


@settings(max_examples=50, deadline=None)
@given(document=credentials(), suite=st.sampled_from(SUITES), data=st.data())
def test_changing_any_value_breaks_verification(
    document: dict[str, Any], suite: str, data: st.DataObject
) -> None:
    tampered = json.loads(json.dumps(signed(document, suite)))
    *parents, last = data.draw(st.sampled_from(sorted(leaves(tampered), key=str)), label="path")
    container = tampered
    for step in parents:
        container = container[step]
    container[last] = changed(container[last], data.draw(words, label="suffix"))

    try:
        [result] = verify_proofs(tampered, resolve_key=lambda _: KEY.public)
    except (JsonLdError, DocumentLoaderError):
        return
    assert result.status is CheckStatus.FAILED
    assert isinstance(result.error, InvalidSignature | ProofError)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=30,
)


@settings(max_examples=300)
@given(json_values)
def test_jcs_equals_the_reference_implementation(value: Any) -> None:
    try:
        expected = rfc8785.dumps(value)
    except rfc8785.CanonicalizationError:
        with pytest.raises(VCError):
            canonicalize_json(value)
        return
    assert canonicalize_json(value) == expected


@pytest.mark.parametrize(
    "value",
    [float("nan"), float("inf"), 2**53, -(2**53), "\ud800", {"a": ["\udfff"]}],
    ids=["nan", "infinity", "2**53", "-2**53", "lone surrogate", "nested lone surrogate"],
)
def test_jcs_refuses_what_it_cannot_represent(value: Any) -> None:
    with pytest.raises(VCError) as raised:
        canonicalize_json(value)
    assert raised.value.code == "jcs.unsupported_value"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"\ufb01": 2, "\U0001f600": 1}, '{"😀":1,"ﬁ":2}'),
        (
            [1.0, -0.0, 1e21, 1e-7, 0.000001, 2**53 - 1],
            "[1,0,1e+21,1e-7,0.000001,9007199254740991]",
        ),
        ("\u2028\x7f\x1f\n", '"\u2028\x7f\\u001f\\n"'),
    ],
    ids=["keys by UTF-16", "numbers as ECMAScript prints them", "escapes"],
)
def test_jcs_of_the_rfc_corner_cases(value: Any, expected: str) -> None:
    assert canonicalize_json(value) == expected.encode("utf-8")
