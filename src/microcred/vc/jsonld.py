"""Offline JSON-LD document loading.

JSON-LD processing never touches the network: every ``@context`` URL resolves
to a context bundled with the package (``microcred/vc/contexts/``, pinned by
SHA-256 in ``index.json``) or to a document the caller supplied. Anything else
raises :class:`DocumentLoaderError`. VC 2.0 section 4.3 requires that the base
context is never fetched and matches its published hash; bundling gives that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from microcred.text import sentence
from microcred.vc.errors import DocumentLoaderError
from microcred.vc.jsontypes import JSONObject

CONTEXTS_PACKAGE = "microcred.vc.contexts"


@cache
def bundled_index() -> JSONObject:
    """Return ``index.json`` of the bundled contexts: URL -> file, sha256, source, licence."""
    text = resources.files(CONTEXTS_PACKAGE).joinpath("index.json").read_text("utf-8")
    index: JSONObject = json.loads(text)
    return index


@cache
def bundled_context(url: str) -> Any:
    """Return the parsed bundled context for ``url`` after checking its SHA-256 pin."""
    entry = bundled_index()["contexts"].get(url)
    if entry is None:
        raise DocumentLoaderError(
            sentence(
                "The JSON-LD context %(url)s is not bundled with microcred and was not supplied.",
                url=url,
            ),
            field="@context",
            data={"url": url},
        )
    raw = resources.files(CONTEXTS_PACKAGE).joinpath(entry["file"]).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != entry["sha256"]:
        raise DocumentLoaderError(
            sentence(
                "The bundled context %(url)s does not match its pinned SHA-256.",
                url=url,
            ),
            data={"url": url, "expected": entry["sha256"], "actual": digest},
        )
    return json.loads(raw)


class ContextLoader:
    """Resolve JSON-LD documents from bundled contexts and caller-supplied ones.

    ``extra`` maps URLs to parsed JSON documents; it wins over the bundle so a
    caller can supply a context microcred does not ship. Instances are
    callable with pyld's document-loader signature.
    """

    def __init__(self, extra: Mapping[str, Any] | None = None) -> None:
        self.extra = dict(extra or {})

    def get(self, url: str) -> Any:
        """Return the parsed document for ``url``; raise :class:`DocumentLoaderError`."""
        if url in self.extra:
            return self.extra[url]
        return bundled_context(url)

    def knows(self, url: str) -> bool:
        return url in self.extra or url in bundled_index()["contexts"]

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        return {"contextUrl": None, "documentUrl": url, "document": self.get(url)}


DEFAULT_LOADER = ContextLoader()
