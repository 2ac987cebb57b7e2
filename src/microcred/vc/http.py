"""Fetching documents by URL: over HTTPS with limits, or from local files.

Verification needs documents that live at URLs (did:web DID documents,
status list credentials, OB 2.0 hosted assertions). A :class:`Fetcher` is
passed in, never looked up, so that tests and air-gapped verification
(``microcred verify --document URL=FILE``) answer URLs from local files.
"""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from microcred.vc.errors import FetchError

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class Fetched:
    """A fetched document: the final URL, HTTP status, content type and body."""

    url: str
    status: int
    content_type: str
    content: bytes

    def json(self) -> Any:
        try:
            return json.loads(self.content)
        except ValueError as exc:
            raise FetchError(
                f"{self.url} did not return JSON: {exc}", data={"url": self.url}
            ) from exc


class Fetcher(Protocol):
    def fetch(self, url: str) -> Fetched: ...


class LocalFetcher:
    """Answer URLs from local files or in-memory documents; optionally fall back.

    ``documents`` maps a URL to a :class:`pathlib.Path`, ``bytes``, ``str`` or
    a JSON-able object. A URL that ends with ``/`` in the mapping answers every
    URL under it from the folder it names.
    """

    def __init__(self, documents: Mapping[str, Any], fallback: Fetcher | None = None) -> None:
        self.documents = dict(documents)
        self.fallback = fallback

    def fetch(self, url: str) -> Fetched:
        key = url.split("#", 1)[0]
        if key in self.documents:
            return Fetched(key, 200, "application/json", _as_bytes(self.documents[key]))
        for prefix, target in self.documents.items():
            if prefix.endswith("/") and key.startswith(prefix) and isinstance(target, Path):
                path = target / key[len(prefix) :]
                if path.is_file():
                    return Fetched(key, 200, "application/json", path.read_bytes())
        if self.fallback is not None:
            return self.fallback.fetch(url)
        raise FetchError(
            f"No local document answers {key} and network access is off.",
            code="http.not_available",
            data={"url": key},
        )


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, Path):
        return value.read_bytes()
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8")
    return json.dumps(value).encode("utf-8")


class HttpFetcher:
    """Fetch over HTTP(S) with a timeout and a size limit.

    Private, loopback and link-local addresses are refused unless
    ``allow_private`` is set, so that a credential cannot make a verifier
    probe the network it runs in (server-side request forgery). Plain HTTP is
    refused unless ``allow_http`` is set.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_private: bool = False,
        allow_http: bool = False,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.allow_http = allow_http
        self.transport = transport

    def fetch(self, url: str) -> Fetched:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise FetchError(f"Cannot fetch {url}: not an HTTP(S) URL.", data={"url": url})
        if parts.scheme == "http" and not self.allow_http:
            raise FetchError(
                f"Refused to fetch {url}: plain HTTP is not allowed.",
                code="http.refused",
                data={"url": url},
            )
        if not self.allow_private:
            self._refuse_private(parts.hostname, url)
        try:
            with (
                httpx.Client(
                    timeout=self.timeout, transport=self.transport, follow_redirects=False
                ) as client,
                client.stream("GET", url, headers={"Accept": "application/json, */*"}) as response,
            ):
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise FetchError(
                            f"{url} is larger than {self.max_bytes} bytes.",
                            code="http.too_large",
                            data={"url": url, "max_bytes": self.max_bytes},
                        )
                return Fetched(
                    str(response.url),
                    response.status_code,
                    response.headers.get("content-type", ""),
                    bytes(body),
                )
        except httpx.HTTPError as exc:
            raise FetchError(f"Could not fetch {url}: {exc}", data={"url": url}) from exc

    def _refuse_private(self, host: str, url: str) -> None:
        try:
            infos = socket.getaddrinfo(host, None)
        except OSError as exc:
            raise FetchError(f"Could not resolve {host}: {exc}", data={"url": url}) from exc
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise FetchError(
                    f"Refused to fetch {url}: {host} resolves to a non-public address ({address}).",
                    code="http.refused",
                    data={"url": url, "address": str(address)},
                )
