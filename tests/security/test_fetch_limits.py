"""Fetch limits: a credential cannot hold a verifier, nor point it at a private address.

The servers run on 127.0.0.1 inside the test; a server that drips its answer
stops by itself after a few seconds, so nothing here can hang. Outcomes are
asserted, never timings (those are in ``benchmarks/hostile_inputs.py``).
Run alone: ``pytest tests/security/test_fetch_limits.py``.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from microcred.vc import Ed25519Multikey, sign, verify
from microcred.vc.errors import FetchError
from microcred.vc.http import FetchLimits, HttpFetcher, ResponseCache, cache_lifetime
from microcred.vc.report import CheckStatus, VerificationReport
from microcred.vc.statuslist import StatusList, build_status_list_credential, status_entry
from tests.factories import FIXED_NOW, unsigned_credential

# How long a dripping server keeps dripping before it ends its answer by itself.
DRIP_FOR_SECONDS = 4.0


class Site:
    """A local web server whose answers the test sets path by path.

    ``documents`` maps a path to ``(body, headers)``; ``drip`` holds paths
    sent one byte at a time (ten a second, for at most DRIP_FOR_SECONDS);
    ``barrier``, when set, holds each request until that many arrived at once.
    """

    def __init__(self) -> None:
        self.documents: dict[str, tuple[bytes, dict[str, str]]] = {}
        self.drip: set[str] = set()
        self.barrier: threading.Barrier | None = None
        self.requests: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.requests.append(self.path)
                if site.barrier is not None:
                    try:
                        site.barrier.wait()
                    except threading.BrokenBarrierError:
                        self.send_error(503)
                        return
                body, headers = site.documents.get(self.path, (b"", {}))
                try:
                    self.send_response(200 if self.path in site.documents else 404)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    if self.path in site.drip:
                        self._drip(body)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the verifier gave up, as it should

            def _drip(self, body: bytes) -> None:
                stop = time.monotonic() + DRIP_FOR_SECONDS
                for offset in range(len(body)):
                    if time.monotonic() > stop:
                        return
                    self.wfile.write(body[offset : offset + 1])
                    self.wfile.flush()
                    time.sleep(0.1)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"

    def serve(self, path: str, document: Any, **headers: str) -> str:
        body = document if isinstance(document, bytes) else json.dumps(document).encode()
        self.documents[path] = (body, headers)
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    thread = threading.Thread(target=site.httpd.serve_forever, daemon=True)
    thread.start()
    yield site
    site.httpd.shutdown()
    site.httpd.server_close()


@pytest.fixture(scope="module")
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def local_fetcher(**options: Any) -> HttpFetcher:
    return HttpFetcher(allow_private=True, allow_http=True, **options)


def status_list(key: Ed25519Multikey, url: str, purpose: str = "revocation") -> dict[str, Any]:
    credential = build_status_list_credential(
        id=url,
        issuer=key.public.did_key,
        purpose=purpose,
        status_list=StatusList(purpose=purpose),
        valid_from=FIXED_NOW - timedelta(days=1),
    )
    return sign(credential, key=key, created=FIXED_NOW)


def credential_with_lists(key: Ed25519Multikey, *urls_and_purposes: tuple[str, str]) -> Any:
    entries = [
        status_entry(list_credential_url=url, index=3, purpose=purpose)
        for url, purpose in urls_and_purposes
    ]
    return sign(unsigned_credential(key, credentialStatus=entries), key=key, created=FIXED_NOW)


def status_checks(report: VerificationReport) -> list[tuple[CheckStatus, str]]:
    return [(c.status, c.message) for c in report.checks if c.id.startswith("status.")]


# -- one deadline for the whole verification ----------------------------------------------


def test_a_dripping_status_list_is_cut_off_at_the_verifications_deadline(
    site: Site, key: Ed25519Multikey
) -> None:
    """Before: each read waited up to its own timeout, so a drip held the verifier for minutes."""
    revocation = site.serve("/status/1", status_list(key, site.base + "/status/1"))
    suspension = site.serve(
        "/status/2", status_list(key, site.base + "/status/2", purpose="suspension")
    )
    site.drip.update({"/status/1", "/status/2"})
    credential = credential_with_lists(key, (revocation, "revocation"), (suspension, "suspension"))
    [report] = verify(
        credential,
        fetcher=local_fetcher(),
        now=FIXED_NOW,
        limits=FetchLimits(seconds=0.5),
    )
    checks = status_checks(report)
    assert [status for status, _ in checks] == [CheckStatus.FAILED, CheckStatus.FAILED]
    assert all("ran out of time" in message for _, message in checks), checks
    assert not report.verified


def test_the_fetchers_own_timeout_bounds_a_whole_answer_not_one_read(site: Site) -> None:
    url = site.serve("/doc", {"id": "slow"})
    site.drip.add("/doc")
    with pytest.raises(FetchError) as raised:
        local_fetcher(timeout=0.3).fetch(url)
    assert raised.value.code == "http.timeout"


# -- a cap on the documents one credential may need -----------------------------------------


def test_a_credential_with_25_status_lists_makes_at_most_the_capped_number_of_fetches(
    site: Site, key: Ed25519Multikey
) -> None:
    urls = [
        site.serve(f"/status/{n}", status_list(key, f"{site.base}/status/{n}")) for n in range(25)
    ]
    credential = credential_with_lists(key, *[(url, "revocation") for url in urls])
    [report] = verify(
        credential, fetcher=local_fetcher(), now=FIXED_NOW, limits=FetchLimits(max_fetches=8)
    )
    assert len(site.requests) == 8
    refused = [m for s, m in status_checks(report) if "at most 8 documents" in m]
    assert len(refused) == 17
    assert not report.verified


def test_credentials_of_a_stream_each_get_their_own_count(site: Site, key: Ed25519Multikey) -> None:
    urls = [
        site.serve(f"/status/{n}", status_list(key, f"{site.base}/status/{n}")) for n in range(4)
    ]
    stream = [credential_with_lists(key, (url, "revocation")) for url in urls]
    reports = verify(
        stream, fetcher=local_fetcher(), now=FIXED_NOW, limits=FetchLimits(max_fetches=1)
    )
    assert all(report.verified for report in reports), [r.as_dict() for r in reports]


# -- fetched together --------------------------------------------------------------------------


def test_the_documents_a_credential_needs_are_fetched_concurrently(
    site: Site, key: Ed25519Multikey
) -> None:
    """The server answers only once both requests are in: one after the other, neither is."""
    revocation = site.serve("/status/1", status_list(key, site.base + "/status/1"))
    suspension = site.serve(
        "/status/2", status_list(key, site.base + "/status/2", purpose="suspension")
    )
    site.barrier = threading.Barrier(2, timeout=5)
    credential = credential_with_lists(key, (revocation, "revocation"), (suspension, "suspension"))
    [report] = verify(credential, fetcher=local_fetcher(), now=FIXED_NOW)
    assert report.verified, report.as_dict()


# -- a short cache that honours the headers ----------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("headers", "fetches_within_a_minute"),
    [
        ({"Cache-Control": "max-age=120"}, 1),
        ({"Cache-Control": "no-store"}, 3),
        ({"Cache-Control": "no-cache"}, 3),
        ({"Cache-Control": "max-age=0"}, 3),
        ({}, 1),
    ],
)
def test_documents_are_cached_as_their_headers_allow(
    site: Site, headers: dict[str, str], fetches_within_a_minute: int
) -> None:
    url = site.serve("/did.json", {"id": "did:web:example"}, **headers)
    clock = Clock()
    fetcher = local_fetcher(cache=ResponseCache(clock=clock))
    for _ in range(3):
        assert fetcher.fetch(url).json() == {"id": "did:web:example"}
        clock.now += 20
    assert len(site.requests) == fetches_within_a_minute


def test_a_cached_document_is_fetched_again_once_its_lifetime_ends(site: Site) -> None:
    url = site.serve("/status/1", {"id": "list"}, **{"Cache-Control": "max-age=30"})
    clock = Clock()
    fetcher = local_fetcher(cache=ResponseCache(clock=clock))
    fetcher.fetch(url)
    clock.now += 31
    fetcher.fetch(url)
    assert len(site.requests) == 2


def test_only_a_fresh_cached_document_is_answered_without_the_network(site: Site) -> None:
    url = site.serve("/status/2", {"id": "list"}, **{"Cache-Control": "max-age=30"})
    clock = Clock()
    fetcher = local_fetcher(cache=ResponseCache(clock=clock))
    assert not fetcher.is_local(url)
    fetcher.fetch(url)
    assert fetcher.is_local(url + "#fragment")
    clock.now += 31
    assert not fetcher.is_local(url)
    assert not local_fetcher().is_local(url)  # no cache, always the network


def test_no_header_keeps_a_document_longer_than_five_minutes() -> None:
    assert cache_lifetime({"cache-control": "max-age=86400"}) == 300
    assert cache_lifetime({"expires": "Thu, 01 Jan 2099 00:00:00 GMT"}) == 300
    assert cache_lifetime({"expires": "not a date"}) == 0


# -- DNS rebinding -----------------------------------------------------------------------------


def rebinding_resolver(first: str, then: str) -> tuple[Callable[[str], list[str]], list[str]]:
    """Answer ``first`` once, then ``then``: what a rebinding DNS server does."""
    asked: list[str] = []

    def resolve(host: str) -> list[str]:
        asked.append(host)
        return [first if len(asked) == 1 else then]

    return resolve, asked


def test_the_connection_goes_to_the_address_that_was_checked() -> None:
    """Before: the check and the connection each resolved the name; the second got 127.0.0.1."""
    resolve, asked = rebinding_resolver("93.184.215.14", "127.0.0.1")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "did:web:rebind.example"})

    fetcher = HttpFetcher(resolver=resolve, transport=httpx.MockTransport(answer))
    fetched = fetcher.fetch("https://rebind.example/.well-known/did.json")
    assert asked == ["rebind.example"]
    [request] = seen
    assert request.url.host == "93.184.215.14"
    assert request.url.path == "/.well-known/did.json"
    assert request.headers["Host"] == "rebind.example"
    assert request.extensions["sni_hostname"] == "rebind.example"
    assert fetched.url == "https://rebind.example/.well-known/did.json"


def test_a_name_with_any_private_address_is_refused_before_connecting() -> None:
    seen: list[httpx.Request] = []
    fetcher = HttpFetcher(
        resolver=lambda host: ["93.184.215.14", "169.254.169.254"],
        transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)),
    )
    with pytest.raises(FetchError) as raised:
        fetcher.fetch("https://metadata.example/latest")
    assert raised.value.code == "http.refused"
    assert seen == []


def test_an_ipv6_address_is_written_in_brackets_with_the_port_kept() -> None:
    seen: list[httpx.Request] = []
    fetcher = HttpFetcher(
        resolver=lambda host: ["2606:2800:220:1:248:1893:25c8:1946"],
        transport=httpx.MockTransport(lambda request: seen.append(request) or httpx.Response(200)),
    )
    fetcher.fetch("https://six.example:8443/doc?x=1")
    [request] = seen
    assert request.url.host == "2606:2800:220:1:248:1893:25c8:1946"
    assert request.url.port == 8443 and request.url.query == b"x=1"
    assert request.headers["Host"] == "six.example:8443"
