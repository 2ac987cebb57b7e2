"""The bundled JSON-LD contexts: pins, provenance, offline loading, and the conformance corpus.

Every context URL the corpus resolves must be bundled (or be listed below with the reason it
is not) and parse to the same JSON as the corpus's copy or one of its published alternates.
Where the bundled copy is not the corpus's primary one, every corpus document that uses the
URL must canonicalize to the same N-Quads with either copy.
"""

from __future__ import annotations

import hashlib
import json
import socket
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any

import pytest
from pyld import jsonld as pyld

from microcred.vc import jsonld
from microcred.vc.errors import DocumentLoaderError
from microcred.vc.jsonld import DEFAULT_LOADER, ContextLoader, bundled_index
from tests import conformance

CONTEXTS = resources.files(jsonld.CONTEXTS_PACKAGE)
ENTRY_KEYS = {"file", "sha256", "package", "path_in_package", "package_integrity", "licence"}
VC2 = "https://www.w3.org/ns/credentials/v2"
OB303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

# Corpus context URLs no npm or PyPI package carries (see SOURCES.md for what was searched).
NOT_BUNDLED = {
    "https://www.w3.org/ns/credentials/examples/v2": "in no registry package",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json": "in no registry package",
    "https://w3id.org/openbadges/extensions/exampleExtension/context.json": (
        "registry copy (openbadges 1.1.2) is a test mock with another schema URL"
    ),
    "https://w3id.org/openbadges/extensions/applyLinkExtension/context.json": (
        "registry copy (openbadges 1.1.2) is a test mock with another schema URL"
    ),
}

# Corpus documents whose N-Quads differ between the bundled and the corpus's primary copy.
NQUADS_DIFFERENCES: dict[tuple[str, str], str] = {}

# The corpus's folders that have a manifest.json listing their documents.
MANIFEST_FOLDERS = (
    "1edtech-validator",
    "dcc-fixtures",
    "ob3-impl-guide",
    "vc-data-model-2.0",
    "w3c-vc-di-eddsa",
)


def read_bundled(name: str) -> bytes:
    return CONTEXTS.joinpath(name).read_bytes()


@cache
def corpus_index() -> dict[str, Any]:
    return conformance.load_json("contexts", "index.json")


def corpus_context(file: str) -> Any:
    return conformance.load_json("contexts", file)


@cache
def corpus_primary_copies() -> dict[str, Any]:
    return {url: corpus_context(e["file"]) for url, e in corpus_index()["contexts"].items()}


def corpus_urls() -> list[Any]:
    """Return the corpus's context URLs to parametrize on, or one skipped placeholder."""
    if not conformance.available():
        reason = f"conformance corpus not found at {conformance.CONFORMANCE}"
        return [pytest.param("absent", marks=pytest.mark.skip(reason=reason))]
    return list(corpus_index()["contexts"])


def urls_differing_from_corpus() -> list[Any]:
    """Return the bundled URLs whose JSON is not the corpus's primary copy."""
    if not conformance.available():
        return corpus_urls()
    return [
        url
        for url in corpus_urls()
        if url in bundled_index()["contexts"]
        and json.loads(read_bundled(bundled_index()["contexts"][url]["file"]))
        != corpus_primary_copies()[url]
    ]


def manifest_files(value: Any) -> Iterator[str]:
    """Yield every ``.json`` path a manifest names, wherever it names it."""
    if isinstance(value, dict):
        for item in value.values():
            yield from manifest_files(item)
    elif isinstance(value, list):
        for item in value:
            yield from manifest_files(item)
    elif isinstance(value, str) and value.endswith(".json") and "://" not in value:
        yield value


@cache
def corpus_documents() -> dict[str, Any]:
    """Return every parseable JSON document the corpus's manifests list, by corpus path."""
    documents: dict[str, Any] = {}
    for folder in MANIFEST_FOLDERS:
        for name in sorted(set(manifest_files(conformance.manifest(folder)))):
            path = conformance.path(folder, name)
            if not path.is_file():
                continue
            try:
                documents[f"{folder}/{name}"] = json.loads(path.read_bytes())
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue  # the corpus keeps some unreadable files on purpose
    return documents


def context_urls(value: Any) -> Iterator[str]:
    """Yield the context URLs a document names, embedded credentials included."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context":
                items = item if isinstance(item, list) else [item]
                yield from (entry for entry in items if isinstance(entry, str))
            yield from context_urls(item)
    elif isinstance(value, list):
        for item in value:
            yield from context_urls(item)


def canonical(document: Any, loader: ContextLoader) -> str:
    """Return the document's canonical N-Quads, or the JSON-LD error it raises."""
    options = {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": loader}
    try:
        return pyld.normalize(document, options)
    except pyld.JsonLdError as error:
        return f"error: {error.type}"


@pytest.fixture
def fresh_bundle_cache() -> Iterator[None]:
    jsonld.bundled_context.cache_clear()
    yield
    jsonld.bundled_context.cache_clear()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("JSON-LD processing tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


# --- the bundle itself ---------------------------------------------------------------------


@pytest.mark.parametrize("url", list(bundled_index()["contexts"]))
def test_bundled_context_loads_and_matches_its_pin(url: str) -> None:
    entry = bundled_index()["contexts"][url]
    assert entry.keys() >= ENTRY_KEYS
    assert hashlib.sha256(read_bundled(entry["file"])).hexdigest() == entry["sha256"]
    document = ContextLoader().get(url)
    assert isinstance(document["@context"], dict | list)


@pytest.mark.parametrize("url", list(bundled_index()["contexts"]))
def test_bundled_context_records_its_package(url: str) -> None:
    entry = bundled_index()["contexts"][url]
    ecosystem, _, spec = entry["package"].partition(":")
    if ecosystem == "npm":
        assert spec.rpartition("@")[0] and spec.rpartition("@")[2]
        assert entry["package_integrity"].startswith("sha512-")
    else:
        assert ecosystem == "pypi"
        assert "==" in spec
        assert entry["package_integrity"].startswith("sha256:")
    assert CONTEXTS.joinpath(entry["licence_file"]).is_file()


def test_every_stored_file_is_indexed_and_listed_in_sources() -> None:
    entries = bundled_index()["contexts"]
    stored = {item.name for item in CONTEXTS.iterdir() if item.name.endswith((".json", ".jsonld"))}
    assert stored - {"index.json"} == {entry["file"] for entry in entries.values()}
    sources = CONTEXTS.joinpath("SOURCES.md").read_text("utf-8")
    for url, entry in entries.items():
        assert f"| {url} | `{entry['file']}` | `{entry['package']}` |" in sources


# --- the loader -----------------------------------------------------------------------------


def test_unknown_url_raises_with_the_url() -> None:
    url = "https://example.org/contexts/not-bundled/v1"
    with pytest.raises(DocumentLoaderError, match="not-bundled/v1") as raised:
        DEFAULT_LOADER(url)
    assert raised.value.data["url"] == url
    assert not DEFAULT_LOADER.knows(url)


def test_caller_supplied_document_wins_over_the_bundle() -> None:
    mine = {"@context": {"@vocab": "urn:example:mine#"}}
    loader = ContextLoader({VC2: mine})
    assert loader.get(VC2) is mine
    expanded = pyld.expand(
        {"@context": VC2, "anything": "x"}, {"documentLoader": loader, "safe": False}
    )
    assert "urn:example:mine#anything" in expanded[0]


def test_a_wrong_pin_is_refused(monkeypatch: pytest.MonkeyPatch, fresh_bundle_cache: None) -> None:
    tampered = json.loads(json.dumps(bundled_index()))
    tampered["contexts"][VC2]["sha256"] = "0" * 64
    monkeypatch.setattr(jsonld, "bundled_index", lambda: tampered)
    with pytest.raises(DocumentLoaderError, match="SHA-256") as raised:
        ContextLoader().get(VC2)
    assert raised.value.data["actual"] == bundled_index()["contexts"][VC2]["sha256"]


def test_pyld_expands_an_ob3_credential_offline(no_network: None) -> None:
    credential = {
        "@context": [VC2, OB303],
        "id": "urn:uuid:4f7a1c8e-0d1b-4a53-9a4e-0c6f2f1b9e11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:example:issuer", "type": ["Profile"], "name": "Example College"},
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Teamwork",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "urn:uuid:0e3b4f6c-1a2b-4c5d-8e9f-0a1b2c3d4e5f",
                "type": ["Achievement"],
                "name": "Teamwork",
                "criteria": {"narrative": "Worked in a team."},
            },
        },
    }
    expanded = pyld.expand(credential, {"documentLoader": DEFAULT_LOADER, "safe": True})
    types = expanded[0]["@type"]
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential" in types
    assert "https://www.w3.org/2018/credentials#VerifiableCredential" in types


# --- agreement with the conformance corpus --------------------------------------------------


@pytest.mark.parametrize("url", corpus_urls())
def test_corpus_context_is_bundled_with_the_same_json(url: str) -> None:
    if url in NOT_BUNDLED:
        assert url not in bundled_index()["contexts"], "bundled now: drop it from NOT_BUNDLED"
        return
    corpus_entry = corpus_index()["contexts"][url]
    published = [corpus_context(corpus_entry["file"])]
    published += [corpus_context(alt["file"]) for alt in corpus_entry.get("alternates", [])]
    assert DEFAULT_LOADER.get(url) in published


@pytest.mark.parametrize("url", urls_differing_from_corpus())
def test_bundled_copy_gives_the_nquads_of_the_corpus_copy(url: str) -> None:
    others = {u: c for u, c in corpus_primary_copies().items() if u != url}
    with_bundled = ContextLoader(others)
    with_primary = ContextLoader(corpus_primary_copies())
    users = {
        name: document
        for name, document in corpus_documents().items()
        if url in set(context_urls(document))
    }
    if not users:
        pytest.skip(f"no corpus document uses {url}")
    differing = {
        (url, name)
        for name, document in users.items()
        if canonical(document, with_bundled) != canonical(document, with_primary)
    }
    expected = {key for key in NQUADS_DIFFERENCES if key[0] == url}
    assert differing == expected, f"N-Quads differ for: {sorted(differing - expected)}"
