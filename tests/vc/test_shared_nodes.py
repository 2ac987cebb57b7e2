"""Node objects shared by a batch's documents are canonicalized once, to the same bytes.

:class:`~microcred.vc.rdfc.SharedNodes` knows a node object by identity: a cohort's
credentials hold one achievement object. Whatever the shared node holds (blank nodes,
lists, graphs, its own context, labels the rest of the document uses), each document must
canonicalize to exactly what it gives alone.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from microcred.vc import Ed25519Multikey, _jsonld_expand, _jsonld_rdf, sign, sign_many, verify
from microcred.vc.errors import VCError
from microcred.vc.rdfc import SharedNodes, canonicalize
from tests import conformance
from tests.vc.test_dataintegrity import NOW, credential
from tests.vc.test_rdfc import BASE_CONTEXT, FEATURES, achievements, credentials


def cohort(template: dict[str, Any], shared: dict[str, Any], count: int) -> list[dict[str, Any]]:
    """Return ``count`` copies of ``template``, each its own id, all holding ``shared`` (one
    object) as their achievement."""
    documents = []
    for number in range(count):
        document = copy.deepcopy(template)
        document["id"] = f"urn:uuid:00000000-0000-4000-8000-{number:012d}"
        document["credentialSubject"]["achievement"] = shared
        documents.append(document)
    return documents


def outcomes(documents: list[dict[str, Any]], shared: SharedNodes | None) -> list[Any]:
    """Canonicalize each document in turn; an error stands as its type."""
    loader = conformance.supplied_loader()
    found: list[Any] = []
    for document in documents:
        try:
            found.append(canonicalize(document, loader=loader, shared=shared))
        except VCError as error:
            found.append(type(error))
    return found


def assert_as_alone(documents: list[dict[str, Any]]) -> None:
    assert outcomes(documents, SharedNodes()) == outcomes(documents, None)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(credentials, st.lists(achievements, min_size=1, max_size=2))
def test_random_cohorts_canonicalize_as_each_credential_alone(
    template: dict[str, Any], shared: list[dict[str, Any]]
) -> None:
    documents = [
        document for achievement in shared for document in cohort(template, achievement, 3)
    ]
    assert_as_alone(documents)


@pytest.mark.parametrize("feature", FEATURES.values(), ids=FEATURES.keys())
def test_shared_json_ld_features_canonicalize_as_alone(feature: dict[str, Any]) -> None:
    """Each JSON-LD feature the engine knows, as a node object three documents hold."""
    documents = [
        {"@context": BASE_CONTEXT, "@id": f"ex:document{number}", "name": number, "holds": feature}
        for number in range(3)
    ]
    assert_as_alone(documents)


def test_a_shared_node_may_use_the_documents_blank_node_labels() -> None:
    """A label means the node the rest of its document gives it: not the same in every
    document, so such a node is written again in each."""
    shared = {"@id": "ex:shared", "knows": {"@id": "_:friend"}, "name": "S"}
    documents = [
        {
            "@context": BASE_CONTEXT,
            "@id": f"ex:document{number}",
            "holds": shared,
            "friend": {"@id": "_:friend", "name": f"Friend {number}"},
        }
        for number in range(3)
    ]
    assert_as_alone(documents)


def test_a_shared_node_twice_in_a_document_and_merged_with_another_mention() -> None:
    shared = {"@id": "ex:shared", "name": "S", "parts": [{"name": "blank"}, {"name": "other"}]}
    documents = [
        {
            "@context": BASE_CONTEXT,
            "@id": f"ex:document{number}",
            "first": shared,
            "second": shared,
            "again": {"@id": "ex:shared", "name": ["S", f"also {number}"]},
        }
        for number in range(3)
    ]
    assert_as_alone(documents)


def test_a_shared_credential_inside_presentations_graphs() -> None:
    """Inside a presentation each credential is a graph of its own: written there as usual."""
    key = Ed25519Multikey.generate()
    held = sign(credential(1), key=key, created=NOW)
    documents = [
        {
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": f"urn:uuid:00000000-0000-4000-8000-00000000000{number}",
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [held, held],
        }
        for number in range(3)
    ]
    assert_as_alone(documents)


def test_sign_many_signs_a_cohort_as_sign_signs_each_credential() -> None:
    key = Ed25519Multikey.generate()
    template = credential(0)
    template["issuer"]["id"] = key.public.did_key_verification_method.split("#")[0]
    achievement = credential(1)["credentialSubject"]["achievement"]
    achievement["description"] = "Works in a team."
    documents = cohort(template, achievement, 4)
    batch = list(sign_many(documents, key=key, created=NOW))
    assert batch == [sign(document, key=key, created=NOW) for document in documents]
    assert [report.verified for report in verify(batch)] == [True] * 4


def test_sign_many_expands_and_writes_a_cohorts_achievement_once(monkeypatch) -> None:
    achievement = credential(1)["credentialSubject"]["achievement"]
    expanded: list[Any] = []
    written: list[Any] = []
    expand_object = _jsonld_expand._object
    write_node = _jsonld_rdf._Writer._write_node

    def expanding(ctx: Any, active_property: Any, element: Any, *rest: Any) -> Any:
        result = expand_object(ctx, active_property, element, *rest)
        if element is achievement:
            expanded.append(result)
        return result

    def writing(writer: Any, node: Any, *rest: Any) -> str:
        if expanded and node is expanded[0]:
            written.append(node)
        return write_node(writer, node, *rest)

    monkeypatch.setattr(_jsonld_expand, "_object", expanding)
    monkeypatch.setattr(_jsonld_rdf._Writer, "_write_node", writing)
    key = Ed25519Multikey.generate()
    signed = list(sign_many(cohort(credential(0), achievement, 5), key=key, created=NOW))
    assert len(signed) == 5
    assert len(expanded) == 1
    assert len(written) == 1
