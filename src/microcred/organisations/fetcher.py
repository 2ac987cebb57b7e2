"""A :class:`~microcred.vc.http.Fetcher` that answers the platform's own URLs without HTTP.

Verifying a credential the platform issued needs documents the platform itself
serves: the issuer's did:web DID document, its status list credentials. Asking
our own web server for them over the network would be slow, would fail while
the platform is not reachable from itself, and is refused anyway by
:class:`~microcred.vc.http.HttpFetcher` when the address is private. So every
URL under the platform's public address is answered by a resolver that reads
the database, and only other URLs reach the fallback fetcher.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from microcred.vc.errors import FetchError
from microcred.vc.http import Fetched, Fetcher, is_local

# A resolver gets the path below the public address ("/orgs/acme/did.json") and returns
# the document (a JSON object, or the exact bytes or text as served), or None when there is none.
LocalResolver = Callable[[str], dict[str, Any] | bytes | str | None]


class PlatformFetcher:
    """Answer URLs under ``public_url`` with ``resolvers`` (longest path prefix wins).

    A URL of the platform that no resolver knows gets a 404 rather than a
    network request: the platform would answer the same. did:web resolution
    always reads over HTTPS (did:web spec, section 3.2), so an ``https`` URL
    of the platform's host is its own even when the platform runs on plain
    HTTP (a development server).
    """

    def __init__(
        self,
        *,
        public_url: str,
        resolvers: Mapping[str, LocalResolver],
        fallback: Fetcher | None = None,
    ) -> None:
        parts = urlsplit(public_url)
        self.schemes = {"https", parts.scheme}
        self.host = parts.netloc.lower()
        self.base_path = parts.path.rstrip("/")
        self.resolvers = sorted(resolvers.items(), key=lambda item: len(item[0]), reverse=True)
        self.fallback = fallback

    def is_local(self, url: str) -> bool:
        """Return whether ``url`` is answered without the network (the platform's own URLs)."""
        if self.local_path(url.split("#", 1)[0]) is not None or self.fallback is None:
            return True
        return is_local(self.fallback, url)

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched:
        address = url.split("#", 1)[0]
        path = self.local_path(address)
        if path is None:
            if self.fallback is None:
                raise FetchError(
                    f"{address} is not a document of this platform, and fetching is off.",
                    code="http.not_available",
                    data={"url": address},
                )
            return self.fallback.fetch(url, deadline=deadline)
        for prefix, resolve in self.resolvers:
            if path.startswith(prefix):
                document = resolve(path)
                if document is not None:
                    return _fetched(address, document)
                break
        return Fetched(address, 404, "text/plain", b"")

    def local_path(self, url: str) -> str | None:
        """Return the path (and query) of ``url`` below the public address, or None elsewhere."""
        parts = urlsplit(url)
        if parts.scheme not in self.schemes or parts.netloc.lower() != self.host:
            return None
        if not parts.path.startswith(self.base_path + "/"):
            return None
        path = parts.path[len(self.base_path) :]
        return f"{path}?{parts.query}" if parts.query else path


def _fetched(url: str, document: dict[str, Any] | bytes | str) -> Fetched:
    if isinstance(document, dict):
        return Fetched(url, 200, "application/json", json.dumps(document).encode("utf-8"))
    content = document.encode("utf-8") if isinstance(document, str) else document
    # Stored documents are kept as signed: a JSON credential, or a compact JWS.
    kind = "application/json" if content.lstrip()[:1] == b"{" else "application/jwt"
    return Fetched(url, 200, kind, content)
