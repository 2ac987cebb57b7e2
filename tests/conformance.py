"""Access to the shared conformance corpus (``../shared/conformance``).

The corpus holds test vectors and fixtures from the standards bodies and other
implementations. Tests read it in place and skip, saying why, where it is
absent; nothing from it is copied into this repository.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
CONFORMANCE = Path(os.environ.get("MICROCRED_CONFORMANCE", REPO.parent / "shared" / "conformance"))

# Validity checks depend on the clock: the corpus's expectations hold on this date.
CONFORMANCE_NOW = "2026-11-22T00:00:00Z"


def available() -> bool:
    return (CONFORMANCE / "README.md").is_file()


def path(*parts: str) -> Path:
    """Return a path inside the corpus, skipping the test when the corpus is absent."""
    if not available():
        pytest.skip(f"conformance corpus not found at {CONFORMANCE} (set MICROCRED_CONFORMANCE)")
    return CONFORMANCE.joinpath(*parts)


@cache
def manifest(folder: str) -> dict[str, Any]:
    """Return ``folder/manifest.json`` of the corpus, parsed."""
    return json.loads(path(folder, "manifest.json").read_text("utf-8"))


def load_json(*parts: str) -> Any:
    return json.loads(path(*parts).read_bytes())


def cases(folder: str, key: str) -> list[dict[str, Any]]:
    """Return the list to parametrize on; empty when the corpus is absent, so pytest skips the
    test (the session header says where the corpus was looked for)."""
    if not available():
        return []
    return manifest(folder)[key]


@cache
def corpus_contexts() -> dict[str, Any]:
    """Return every context of the corpus (``contexts/index.json``), parsed, by URL."""
    index = json.loads(path("contexts", "index.json").read_bytes())
    return {
        url: json.loads(path("contexts", entry["file"]).read_bytes())
        for url, entry in index["contexts"].items()
    }


@cache
def corpus_loader() -> Any:
    """Return a loader that answers every URL from the corpus's own copies of the contexts."""
    from microcred.vc.jsonld import ContextLoader

    return ContextLoader(corpus_contexts())


def contexts_not_bundled() -> dict[str, Any]:
    """Return the corpus's contexts that microcred does not bundle, as a caller would supply them.

    No registry package carries these (see ``src/microcred/vc/contexts/SOURCES.md``); a
    verifier given them by its caller must use them.
    """
    from microcred.vc.jsonld import DEFAULT_LOADER

    return {url: doc for url, doc in corpus_contexts().items() if not DEFAULT_LOADER.knows(url)}


@cache
def supplied_loader() -> Any:
    """Return the bundled contexts plus the corpus's unbundled ones."""
    from microcred.vc.jsonld import ContextLoader

    return ContextLoader(contexts_not_bundled())


def dcc_documents() -> dict[str, Any]:
    """Return the DCC manifest's url_mappings as a LocalFetcher mapping (URL -> Path)."""
    root = path("dcc-fixtures")
    mappings = manifest("dcc-fixtures")["url_mappings"]
    documents: dict[str, Any] = {
        entry["url"]: root / entry["file"] for entry in mappings["did_web"].values()
    }
    documents.update({url: root / file for url, file in mappings["status_lists"].items()})
    documents.update(
        {url: root / folder for url, folder in mappings["hosted_credentials_prefix"].items()}
    )
    return documents


def onedtech_documents() -> dict[str, Any]:
    """Return the 1EdTech manifest's url_mappings as a LocalFetcher mapping (URL -> Path)."""
    root = path("1edtech-validator")
    mappings = manifest("1edtech-validator")["url_mappings"]
    documents: dict[str, Any] = {url: root / file for url, file in mappings["exact"].items()}
    documents.update({url: root / folder for url, folder in mappings["prefix"].items()})
    documents.update({url: root / file for url, file in mappings["ob20_extension_schemas"].items()})
    return documents
