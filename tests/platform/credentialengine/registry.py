"""The stand-in Credential Engine registry the publishing tests talk to, on a real socket.

It answers as the Registry Assistant does: it checks the API key in the ``Authorization``
header, the publishing organisation's CTID and the graph, and replies with its envelope
(``Successful``, ``Messages``, ``CTID``, ``RegistryEnvelopeIdentifier``).
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

API_KEY = "ce-test-key-0451"
PATH = "/assistant/organization/publishGraph"


@dataclass
class Registry:
    """What the stand-in received, and what it should answer besides its own checks."""

    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    refuse: list[str] = field(default_factory=list)
    raw: tuple[int, bytes] | None = None

    def answer(self, headers: dict[str, str], body: Any) -> tuple[int, bytes]:
        if self.raw is not None:
            return self.raw
        if headers.get("Authorization") != f"ApiToken {API_KEY}":
            return 401, _envelope(False, ["The API key is missing or not valid."])
        messages = list(self.refuse)
        graph = body.get("GraphInput") if isinstance(body, dict) else None
        if not isinstance(graph, dict) or not isinstance(graph.get("@graph"), list):
            messages.append("GraphInput must be a CTDL graph document.")
        elif body.get("PublishForOrganizationIdentifier") not in {
            item.get("ceterms:ctid") for item in graph["@graph"]
        }:
            messages.append("PublishForOrganizationIdentifier is not an organisation of the graph.")
        if messages:
            return 200, _envelope(False, messages)
        return 200, _envelope(True, [], CTID=graph["@graph"][0]["ceterms:ctid"])


def _envelope(successful: bool, messages: list[str], **more: Any) -> bytes:
    reply = {
        "Successful": successful,
        "Messages": messages,
        "RegistryEnvelopeIdentifier": str(uuid.uuid4()) if successful else "",
        **more,
    }
    return json.dumps(reply).encode()


@contextmanager
def running_registry() -> Iterator[Registry]:
    """Serve the stand-in on a free port of 127.0.0.1 until the block ends."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    stand_in = Registry(f"http://127.0.0.1:{server.server_address[1]}{PATH}")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = dict(self.headers.items())
            try:
                body = json.loads(raw)
            except ValueError:
                body = None
            stand_in.requests.append(
                {"method": "POST", "path": self.path, "headers": headers, "body": body}
            )
            status, reply = stand_in.answer(headers, body) if self.path == PATH else (404, b"{}")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args: Any) -> None:
            """Keep the test output quiet."""

    server.RequestHandlerClass = Handler
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
