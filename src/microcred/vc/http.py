"""Fetching documents by URL: over HTTPS with limits, or from local files.

Verification needs documents that live at URLs (did:web DID documents,
status list credentials, OB 2.0 hosted assertions). A :class:`Fetcher` is
passed in, never looked up, so that tests and air-gapped verification
(``microcred verify --document URL=FILE``) answer URLs from local files.

A hostile credential must not be able to hold a verifier: one verification
gets one overall deadline and a number of documents per credential
(:class:`BoundedFetcher`, which also fetches what a credential needs
concurrently), every read is cut off at that deadline, and documents are
cached for the short time their HTTP cache headers allow
(:class:`ResponseCache`).
"""

from __future__ import annotations

import ipaddress
import json
import math
import socket
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from microcred.text import sentence
from microcred.vc.errors import FetchError

if TYPE_CHECKING:
    import httpx

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
                sentence(
                    "%(url)s did not return JSON: %(exc)s",
                    url=self.url,
                    exc=exc,
                ),
                data={"url": self.url},
            ) from exc


class Fetcher(Protocol):
    """Answer a URL. ``deadline`` is a :func:`time.monotonic` time by which to give up."""

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched: ...


# A resolver turns a host name into the addresses to connect to (socket.getaddrinfo's answer).
Resolver = Callable[[str], list[str]]


def resolve_host(host: str) -> list[str]:
    """Return every address ``host`` resolves to, by the system resolver."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


def out_of_time(url: str, seconds: float | None = None) -> FetchError:
    """Return the error for a fetch cut short: by its own ``seconds``, or else the deadline."""
    message = (
        f"{url} did not answer in full within {seconds:g} seconds."
        if seconds is not None
        else f"Verification ran out of time before {url} could be read in full."
    )
    return FetchError(message, code="http.timeout", data={"url": url})


class LocalFetcher:
    """Answer URLs from local files or in-memory documents; optionally fall back.

    ``documents`` maps a URL to a :class:`pathlib.Path`, ``bytes``, ``str`` or
    a JSON-able object. A URL that ends with ``/`` in the mapping answers every
    URL under it from the folder it names.
    """

    def __init__(self, documents: Mapping[str, Any], fallback: Fetcher | None = None) -> None:
        self.documents = dict(documents)
        self.fallback = fallback

    def is_local(self, url: str) -> bool:
        """Return whether ``url`` is answered here (or refused here, having no fallback)."""
        return self.fallback is None or self._path(url.split("#", 1)[0]) is not None

    def _path(self, key: str) -> Any:
        """Return what answers ``key``: the document given for it, or a file under a folder."""
        if key in self.documents:
            return self.documents[key]
        for prefix, target in self.documents.items():
            if prefix.endswith("/") and key.startswith(prefix) and isinstance(target, Path):
                path = target / key[len(prefix) :]
                if path.is_file():
                    return path
        return None

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched:
        key = url.split("#", 1)[0]
        document = self._path(key)
        if document is not None:
            return Fetched(key, 200, "application/json", _as_bytes(document))
        if self.fallback is not None:
            return self.fallback.fetch(url, deadline=deadline)
        raise FetchError(
            sentence(
                "No local document answers %(key)s and network access is off.",
                key=key,
            ),
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
    """Fetch over HTTP(S) with a timeout, a size limit and a shared short-lived cache.

    Private, loopback and link-local addresses are refused unless
    ``allow_private`` is set, so that a credential cannot make a verifier
    probe the network it runs in (server-side request forgery). The host is
    resolved once and the connection goes to the address that was checked,
    with the URL's host name kept in the Host header and the TLS server name,
    so that a DNS answer that changes between check and connection (DNS
    rebinding) cannot reach a private address. Plain HTTP is refused unless
    ``allow_http`` is set. ``timeout`` bounds each fetch; a ``deadline``
    passed to :meth:`fetch` cuts it shorter.
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_private: bool = False,
        allow_http: bool = False,
        transport: httpx.BaseTransport | None = None,
        resolver: Resolver = resolve_host,
        cache: ResponseCache | None = None,
    ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.allow_http = allow_http
        self.transport = transport
        self.resolver = resolver
        self.cache = cache

    def is_local(self, url: str) -> bool:
        """Return whether ``url`` is answered from the cache, without the network.

        A verification then reads it where it is instead of starting a
        background fetch for it (see :meth:`BoundedFetcher.prefetch`).
        """
        if self.cache is None:
            return False
        return self.cache.get(urlunsplit(urlsplit(url.split("#", 1)[0]))) is not None

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched:
        parts = urlsplit(url.split("#", 1)[0])
        url = urlunsplit(parts)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise FetchError(
                sentence(
                    "Cannot fetch %(url)s: not an HTTP(S) URL.",
                    url=url,
                ),
                data={"url": url},
            )
        if parts.scheme == "http" and not self.allow_http:
            raise FetchError(
                sentence(
                    "Refused to fetch %(url)s: plain HTTP is not allowed.",
                    url=url,
                ),
                code="http.refused",
                data={"url": url},
            )
        if self.cache is not None:
            cached = self.cache.get(url)
            if cached is not None:
                return cached
        own_deadline = time.monotonic() + self.timeout
        cut_by = self.timeout if deadline is None or own_deadline < deadline else None
        deadline = min(deadline or math.inf, own_deadline)
        extensions: dict[str, Any] = {}
        request_url, headers = url, {"Accept": "application/json, */*"}
        if not self.allow_private:
            address = self._public_address(parts.hostname, url)
            request_url, headers, extensions = _pinned(parts, address, headers)
        fetched, max_age = self._get(url, request_url, headers, extensions, deadline, cut_by)
        if self.cache is not None and fetched.status == 200:
            self.cache.put(url, fetched, max_age)
        return fetched

    def _get(
        self,
        url: str,
        request_url: str,
        headers: dict[str, str],
        extensions: dict[str, Any],
        deadline: float,
        cut_by: float | None,
    ) -> tuple[Fetched, float]:
        """GET ``request_url``, reading no further than ``deadline`` and ``max_bytes``."""
        # Imported here: most verifications fetch nothing over HTTP, and importing httpx
        # took a tenth of the command line's start.
        import httpx

        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise out_of_time(url, cut_by)
        try:
            with (
                httpx.Client(
                    timeout=remaining, transport=self.transport, follow_redirects=False
                ) as client,
                client.stream(
                    "GET", request_url, headers=headers, extensions=extensions
                ) as response,
            ):
                body = bytearray()
                for chunk in response.iter_bytes():
                    body.extend(chunk)
                    if len(body) > self.max_bytes:
                        raise FetchError(
                            sentence(
                                "%(url)s is larger than %(max_bytes)s bytes.",
                                url=url,
                                max_bytes=self.max_bytes,
                            ),
                            code="http.too_large",
                            data={"url": url, "max_bytes": self.max_bytes},
                        )
                    if time.monotonic() > deadline:
                        raise out_of_time(url, cut_by)
                fetched = Fetched(
                    url,
                    response.status_code,
                    response.headers.get("content-type", ""),
                    bytes(body),
                )
                return fetched, cache_lifetime(response.headers)
        except httpx.TimeoutException as exc:
            raise out_of_time(url, cut_by) from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                sentence(
                    "Could not fetch %(url)s: %(exc)s",
                    url=url,
                    exc=exc,
                ),
                data={"url": url},
            ) from exc

    def _public_address(self, host: str, url: str) -> str:
        """Resolve ``host`` once; return its first address if every address is public."""
        try:
            addresses = self.resolver(host)
        except OSError as exc:
            raise FetchError(
                sentence(
                    "Could not resolve %(host)s: %(exc)s",
                    host=host,
                    exc=exc,
                ),
                data={"url": url},
            ) from exc
        if not addresses:
            raise FetchError(
                sentence(
                    "Could not resolve %(host)s: no address.",
                    host=host,
                ),
                data={"url": url},
            )
        for text in addresses:
            address = ipaddress.ip_address(text.split("%", 1)[0])
            if not address.is_global:
                raise FetchError(
                    sentence(
                        "Refused to fetch %(url)s: %(host)s resolves to a non-public address "
                        "(%(address)s).",
                        url=url,
                        host=host,
                        address=address,
                    ),
                    code="http.refused",
                    data={"url": url, "address": str(address)},
                )
        return addresses[0]


def _pinned(
    parts: Any, address: str, headers: dict[str, str]
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """Return the request URL, headers and extensions that connect to ``address``.

    The URL names the address; the Host header and the TLS server name
    (SNI, which is also the name the certificate is checked against) stay
    the URL's host.
    """
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    request_url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    host_header = parts.hostname if not parts.port else f"{parts.hostname}:{parts.port}"
    return request_url, {**headers, "Host": host_header}, {"sni_hostname": parts.hostname}


# -- caching -----------------------------------------------------------------------------------

# Documents are kept no longer than this, whatever their headers say: a revoked
# credential must not verify for long from a stale status list.
MAX_CACHE_SECONDS = 300.0
# Kept this long when the response says nothing about caching.
DEFAULT_CACHE_SECONDS = 60.0


def cache_lifetime(headers: Mapping[str, str]) -> float:
    """Return how many seconds a response may be reused, from its headers (RFC 9111 section 4.2).

    ``no-store``, ``no-cache`` and ``private`` are honoured as "do not
    reuse"; ``max-age`` wins over ``Expires``; the result is capped at
    :data:`MAX_CACHE_SECONDS`.
    """
    directives = {}
    for part in headers.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value.strip().strip('"')
    if directives.keys() & {"no-store", "no-cache"}:
        return 0.0
    if "max-age" in directives:
        try:
            return max(0.0, min(float(int(directives["max-age"])), MAX_CACHE_SECONDS))
        except ValueError:
            return 0.0
    if "expires" in headers:
        try:
            expires = parsedate_to_datetime(headers["expires"]).timestamp()
        except (TypeError, ValueError):
            return 0.0
        return max(0.0, min(expires - time.time(), MAX_CACHE_SECONDS))
    return DEFAULT_CACHE_SECONDS


class ResponseCache:
    """Successful responses by URL, each until its cache lifetime ends; thread-safe.

    Bounded in entries (least recently used go first). ``clock`` is passed in
    so that tests can move time.
    """

    def __init__(self, *, max_entries: int = 256, clock: Callable[[], float] = time.monotonic):
        self.max_entries = max_entries
        self.clock = clock
        self._entries: OrderedDict[str, tuple[float, Fetched]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, url: str) -> Fetched | None:
        with self._lock:
            entry = self._entries.get(url)
            if entry is None:
                return None
            if entry[0] <= self.clock():
                del self._entries[url]
                return None
            self._entries.move_to_end(url)
            return entry[1]

    def put(self, url: str, fetched: Fetched, seconds: float) -> None:
        if seconds <= 0:
            return
        with self._lock:
            self._entries[url] = (self.clock() + seconds, fetched)
            self._entries.move_to_end(url)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)


# -- one verification's budget -------------------------------------------------------------


@dataclass(frozen=True)
class FetchLimits:
    """What one verification may spend on fetching.

    ``seconds`` is the overall deadline of the verification, for every fetch
    it makes together; ``max_fetches`` the number of distinct documents one
    credential may need (its status lists, its issuer's DID document, its
    keys); ``concurrency`` how many are fetched at once.
    """

    seconds: float = 10.0
    max_fetches: int = 8
    concurrency: int = 4


DEFAULT_LIMITS = FetchLimits()


class BoundedFetcher:
    """A fetcher for one verification: one deadline, a cap per credential, each URL once.

    Call :meth:`start_credential` before each credential to reset its count.
    :meth:`prefetch` fetches the URLs a credential will need concurrently,
    so that the checks, which ask one by one, find them ready. Failures are
    kept like successes: a URL that failed is not asked again.
    """

    def __init__(
        self,
        inner: Fetcher,
        limits: FetchLimits = DEFAULT_LIMITS,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.inner = inner
        self.limits = limits
        self.clock = clock
        self.deadline = clock() + limits.seconds
        self._futures: dict[str, Future[Fetched]] = {}
        self._count = 0
        self._lock = threading.Lock()
        self._executor: ThreadPoolExecutor | None = None

    def start_credential(self) -> None:
        """Begin the fetch count of a new credential (documents already fetched stay)."""
        with self._lock:
            self._count = 0

    def fetch(self, url: str, *, deadline: float | None = None) -> Fetched:
        key = url.split("#", 1)[0]
        future = self._future(key, run_here=True)
        remaining = self.deadline - self.clock()
        try:
            return future.result(timeout=max(remaining, 0))
        except FutureTimeout as exc:
            raise out_of_time(key) from exc

    def prefetch(self, urls: Iterable[str]) -> None:
        """Start fetching ``urls`` in the background, up to ``concurrency`` at once."""
        for url in dict.fromkeys(u.split("#", 1)[0] for u in urls):
            if not is_local(self.inner, url):
                self._future(url, run_here=False)

    def close(self) -> None:
        """Stop the background fetches that have not started."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)

    def _future(self, url: str, *, run_here: bool) -> Future[Fetched]:
        with self._lock:
            future = self._futures.get(url)
            if future is not None:
                return future
            future = Future()
            self._futures[url] = future
            counted = not is_local(self.inner, url)
            if counted:
                self._count += 1
            over = counted and self._count > self.limits.max_fetches
        if over:
            future.set_exception(
                FetchError(
                    sentence(
                        "Not fetching %(url)s: a credential may make verification fetch at most"
                        " %(max_fetches)s documents.",
                        url=url,
                        max_fetches=self.limits.max_fetches,
                    ),
                    code="http.too_many_fetches",
                    data={"url": url, "max_fetches": self.limits.max_fetches},
                )
            )
        elif run_here:
            self._run(url, future)
        else:
            if self._executor is None:
                self._executor = ThreadPoolExecutor(
                    max_workers=self.limits.concurrency, thread_name_prefix="microcred-fetch"
                )
            self._executor.submit(self._run, url, future)
        return future

    def _run(self, url: str, future: Future[Fetched]) -> None:
        if not future.set_running_or_notify_cancel():
            return
        try:
            if self.clock() >= self.deadline:
                raise out_of_time(url)
            future.set_result(self.inner.fetch(url, deadline=self.deadline))
        except BaseException as error:  # handed to the thread that waits for it, not swallowed
            future.set_exception(error)


def is_local(fetcher: Fetcher, url: str) -> bool:
    """Return whether ``fetcher`` answers ``url`` itself, without the network.

    A fetcher says so with an ``is_local(url)`` method; those that have none
    are taken to go to the network.
    """
    answers_locally = getattr(fetcher, "is_local", None)
    return bool(answers_locally(url)) if answers_locally is not None else False
