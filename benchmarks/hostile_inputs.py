"""Time the worst hostile inputs through ``microcred.vc.verify``, against a typical credential.

Run: ``python benchmarks/hostile_inputs.py [--repeat N]``. Each input of
``tests/security/hostile.py`` (deep JSON, rings and cliques of alike blank
nodes) is verified as /verify would verify a paste, and so is a credential
whose status list drips one byte every tenth of a second from a local
server. For each, prints the best wall-clock and CPU milliseconds of
``--repeat`` runs, the outcome, and the ratio to the baseline: verifying one
typical signed Open Badges 3.0 credential (did:key issuer, no status list).
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microcred.vc import Ed25519Multikey, InputError, sign, verify
from microcred.vc.http import FetchLimits, HttpFetcher
from microcred.vc.statuslist import (
    StatusList,
    build_status_list_credential,
    status_entry,
)
from microcred.verification.samples import sample_credential
from tests.security.hostile import HOSTILE

NOW = datetime(2026, 11, 22, tzinfo=UTC)
KEY = Ed25519Multikey.from_seed(bytes(range(32)))
# The verification deadline the drip case runs under (the platform's default is 8 s).
DRIP_DEADLINE = 2.0


def outcome(data: Any, **options: Any) -> str:
    """Verify ``data``; return what a visitor is told, in a few words."""
    try:
        [report] = verify(data, now=NOW, **options)
    except InputError as error:
        return f"unreadable: {error.code}"
    if report.verified:
        return "verified"
    return "not verified: " + ", ".join(sorted({check.id for check in report.failures}))


def timed(run: Callable[[], str], repeat: int) -> tuple[float, float, str]:
    """Return the best wall and CPU milliseconds of ``repeat`` runs, and the outcome."""
    best_wall = best_cpu = float("inf")
    result = ""
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        best_wall = min(best_wall, (time.perf_counter() - wall) * 1000)
        best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000)
    return best_wall, best_cpu, result


def typical_credential() -> dict[str, Any]:
    credential = sample_credential(issuer=KEY.public.did_key, valid_from=NOW - timedelta(days=1))
    return sign(credential, key=KEY, created=NOW)


class DripHandler(BaseHTTPRequestHandler):
    """Serve the status list one byte every 0.1 s, for at most 30 s."""

    body = b""

    def do_GET(self) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(self.body)))
            self.end_headers()
            stop = time.monotonic() + 30
            for offset in range(len(self.body)):
                if time.monotonic() > stop:
                    return
                self.wfile.write(self.body[offset : offset + 1])
                self.wfile.flush()
                time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: Any) -> None:
        pass


def drip_case() -> tuple[Callable[[], str], Callable[[], None]]:
    """Return a run that verifies a credential whose status list drips, and a cleanup."""
    import json

    server = ThreadingHTTPServer(("127.0.0.1", 0), DripHandler)
    server.daemon_threads = True
    url = f"http://127.0.0.1:{server.server_port}/status/1"
    status_list = build_status_list_credential(
        id=url,
        issuer=KEY.public.did_key,
        purpose="revocation",
        status_list=StatusList(purpose="revocation"),
        valid_from=NOW - timedelta(days=1),
    )
    DripHandler.body = json.dumps(sign(status_list, key=KEY, created=NOW)).encode()
    credential = sample_credential(issuer=KEY.public.did_key, valid_from=NOW - timedelta(days=1))
    credential["credentialStatus"] = status_entry(
        list_credential_url=url, index=3, purpose="revocation"
    )
    signed = sign(credential, key=KEY, created=NOW)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetcher = HttpFetcher(allow_private=True, allow_http=True)

    def run() -> str:
        return outcome(signed, fetcher=fetcher, limits=FetchLimits(seconds=DRIP_DEADLINE))

    return run, server.shutdown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per input (best is kept)")
    args = parser.parse_args()

    typical = typical_credential()
    base_wall, base_cpu, base_outcome = timed(lambda: outcome(typical), max(args.repeat, 5))
    print(
        f"baseline: one typical OB 3.0 credential, {base_wall:.1f} ms wall, "
        f"{base_cpu:.1f} ms CPU ({base_outcome})\n"
    )
    print(f"{'input':<38} {'size':>8} {'wall ms':>9} {'CPU ms':>8} {'x base':>7}  outcome")
    for name, make in HOSTILE.items():
        text = make()
        wall, cpu, result = timed(lambda text=text: outcome(text), args.repeat)
        size = f"{len(text) / 1024:.0f} KB"
        print(f"{name:<38} {size:>8} {wall:>9.1f} {cpu:>8.1f} {cpu / base_cpu:>7.1f}  {result}")
    run, cleanup = drip_case()
    wall, cpu, result = timed(run, 1)
    name = f"status list dripping (deadline {DRIP_DEADLINE:g} s)"
    print(f"{name:<38} {'':>8} {wall:>9.1f} {cpu:>8.1f} {cpu / base_cpu:>7.1f}  {result}")
    cleanup()


if __name__ == "__main__":
    main()
