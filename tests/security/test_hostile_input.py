"""Hostile input: what anyone can paste must get one clear answer, never a crash or a stall.

JSON nested 100,000 deep, rings and cliques of blank nodes that look alike
(RDFC-1.0's poisoned datasets), oversized pastes: through the engine, the
command line (exit 2 for unreadable input, never a traceback) and /verify
(never HTTP 500, never Django's bare error page). Timings are in
``benchmarks/hostile_inputs.py``. Run alone: ``pytest tests/security/test_hostile_input.py``.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from django.test import Client
from typer.testing import CliRunner

from microcred.cli import app
from microcred.vc import InputError, verify
from microcred.vc import _rdfc10 as rdfc10
from microcred.vc.errors import JsonLdError
from microcred.vc.jwt import decode_jwt
from microcred.vc.rdfc import canonicalize
from tests.security import hostile

TOO_DEEP = ["JSON nested 100,000 deep", "ring of 2,000 blank nodes, nested"]
POISONED = [
    "ring of 2,000 blank nodes, flat",
    "ring of 120 blank nodes, flat",
    "clique of 10 blank nodes",
    "clique of 30 blank nodes",
    "1,100 alike alignments",
]
WITHIN_LIMITS = ["400 alike alignments", "1,000 nodes on one blank hub"]


def without_proof(text: str) -> dict:
    document = json.loads(text)
    document.pop("proof")
    return document


# -- the engine ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TOO_DEEP)
def test_deep_json_is_unreadable_input(name: str) -> None:
    """Before: Python's parser raised RecursionError (HTTP 500, a traceback)."""
    with pytest.raises(InputError) as raised:
        verify(hostile.HOSTILE[name]())
    assert raised.value.code == "input.too_deep"
    assert "100 levels" in raised.value.message


def test_deep_json_given_as_an_object_is_refused_too() -> None:
    document: dict = {}
    inner = document
    for _ in range(150):
        inner["a"] = {}
        inner = inner["a"]
    with pytest.raises(InputError, match="100 levels"):
        verify(document)


def test_a_jwt_whose_payload_nests_deep_is_unreadable_input() -> None:
    payload = hostile.deep_json(5_000).encode()
    segment = base64.urlsafe_b64encode(payload).rstrip(b"=").decode()
    with pytest.raises(InputError, match="100 levels"):
        decode_jwt(f"eyJhbGciOiJFZERTQSJ9.{segment}.AAAA")


@pytest.mark.parametrize("name", POISONED)
def test_poisoned_blank_nodes_are_refused_by_canonicalization(name: str) -> None:
    """Before: a ring overflowed the stack; cliques and alike nodes ran for seconds."""
    with pytest.raises(JsonLdError) as raised:
        canonicalize(without_proof(hostile.HOSTILE[name]()))
    assert raised.value.code == "rdfc.too_complex"


@pytest.mark.parametrize("name", POISONED)
def test_a_poisoned_credential_gets_a_report_that_says_why(name: str) -> None:
    [report] = verify(hostile.HOSTILE[name]())
    assert not report.verified
    [signature] = report.checks_with("proof.signature")
    assert "too many blank nodes that look alike" in signature.message


@pytest.mark.parametrize(
    ("document", "limit"),
    [
        (hostile.flat_ring(2_000), "2,000 blank nodes that look alike"),
        (hostile.flat_ring(120), f"blank nodes chained more than {rdfc10.MAX_DEPTH} deep"),
        (hostile.clique(10), f"more than {rdfc10.MAX_STEPS:,} steps"),
    ],
    ids=["size", "depth", "steps"],
)
def test_each_limit_names_itself(document: dict, limit: str) -> None:
    document = dict(document)
    document.pop("proof")
    with pytest.raises(JsonLdError) as raised:
        canonicalize(document)
    assert raised.value.data["limit"] == limit


@pytest.mark.parametrize("name", WITHIN_LIMITS)
def test_alike_nodes_that_are_cheap_to_tell_apart_still_canonicalize(name: str) -> None:
    """Refusing is for poison: hundreds of identical nodes with one neighbour each are fine."""
    assert canonicalize(without_proof(hostile.HOSTILE[name]())).count("_:c14n") > 400


# -- the command line --------------------------------------------------------------------------


@pytest.mark.parametrize("name", TOO_DEEP)
def test_the_cli_says_one_line_and_exits_2_for_deep_json(tmp_path: Path, name: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(hostile.HOSTILE[name]())
    result = CliRunner().invoke(app, ["verify", str(path)])
    assert result.exit_code == 2, result.output
    assert "100 levels deep" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_cli_reports_a_poisoned_credential_as_not_verified(tmp_path: Path) -> None:
    path = tmp_path / "ring.json"
    path.write_text(hostile.HOSTILE["ring of 2,000 blank nodes, flat"]())
    result = CliRunner().invoke(app, ["verify", "--offline", str(path)])
    assert result.exit_code == 1, result.output
    assert "too many blank nodes that look alike" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_the_cli_refuses_to_sign_deep_json(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text(hostile.deep_json())
    key = tmp_path / "key.json"
    CliRunner().invoke(app, ["keys", "generate", "--out", str(key)])
    result = CliRunner().invoke(app, ["sign", str(path), "--key", str(key)])
    assert result.exit_code == 2
    assert "100 levels deep" in result.output


# -- the /verify page --------------------------------------------------------------------------


@pytest.mark.parametrize("name", TOO_DEEP)
def test_the_page_explains_deep_json_instead_of_failing(name: str) -> None:
    response = Client().post("/verify", {"credential": hostile.HOSTILE[name]()})
    assert response.status_code == 400
    assert "100 levels deep" in response.content.decode()


def test_the_page_reports_a_poisoned_credential() -> None:
    text = hostile.HOSTILE["ring of 2,000 blank nodes, flat"]()
    response = Client().post("/verify", {"credential": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-verified="false"' in page
    assert "too many blank nodes that look alike" in page


def test_a_paste_over_the_size_limit_gets_the_limit_in_the_pages_words(settings) -> None:
    """Before: Django's bare "Bad Request (400)" page, read by the CSRF check before any view."""
    limit = settings.VERIFY_MAX_UPLOAD_BYTES
    response = Client().post("/verify", {"credential": "x" * (6 * 1024 * 1024)})
    assert response.status_code == 413
    page = response.content.decode()
    assert f"{limit:,} bytes" in page
    assert "<form" in page
