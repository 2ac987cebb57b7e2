"""Throughput of ``POST /api/v1/verify`` behind a real HTTP server, measured with wrk.

Run: ``python benchmarks/verify_api.py [--seconds S] [--connections C]``.

Starts the platform with gunicorn (two worker processes, one per core of the
machine this was written for) on a fresh database in a temporary folder, and
a small HTTPS server that publishes an issuer's status list with a five-minute
``Cache-Control``, as issuers do. The credential posted is a realistic Open
Badges 3.0 credential (``benchmarks/signing.py``) signed with eddsa-rdfc-2022
by a did:key issuer, its revocation entry in that list: after the first
request every document it needs is in the verifier's cache, which is the case
this figure is about. wrk (Debian package ``wrk``) then posts it for S seconds
over C connections; every answer is checked to be a 200 first.

Prints requests per second and latency percentiles on the wall clock, and
verifications per CPU-second of the worker processes (what the two cores
serve when nothing else runs: the machine this was measured on is shared),
with the ratio against the baseline (BASELINE_PER_CPU: the same measurement
on the code before this work).
``DATABASE_URL`` is passed on, so the platform may run on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime
import http.server
import ipaddress
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from microcred.vc.dataintegrity import sign
from microcred.vc.keys import Ed25519Multikey
from microcred.vc.statuslist import StatusList, build_status_list_credential
from signing import credential as realistic_credential

TARGET = 500
# Verifications per CPU-second of a worker on the code before this work (main at 0d2386a),
# measured with this script on the same machine.
BASELINE_PER_CPU = 214.0
WORKERS = 2


def workers_cpu_seconds(master: int) -> float:
    """Return the CPU time (user + system) the server's worker processes have used so far."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime (fields 14 and 15)
    return ticks / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def documents(status_port: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return a signed credential and the signed status list it points at."""
    key = Ed25519Multikey.generate()
    method = key.public.did_key_verification_method
    issuer = method.split("#", 1)[0]
    list_url = f"https://localhost:{status_port}/status/1"
    unsigned = realistic_credential(42)
    unsigned["issuer"]["id"] = issuer
    unsigned["validFrom"] = "2025-11-22T09:00:00Z"
    unsigned["credentialStatus"].update(id=f"{list_url}#42", statusListCredential=list_url)
    status = build_status_list_credential(
        id=list_url,
        issuer=issuer,
        purpose="revocation",
        status_list=StatusList(),
        valid_from="2025-11-22T09:00:00Z",
    )
    return sign(unsigned, key=key, verification_method=method), sign(
        status, key=key, verification_method=method
    )


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """Write a certificate for localhost and its key; the platform is told to trust it."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_file, key_file = folder / "status.pem", folder / "status.key"
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_file, key_file


def serve_status_list(
    port: int, status: dict[str, Any], certificate: tuple[Path, Path]
) -> http.server.ThreadingHTTPServer:
    body = json.dumps(status).encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/vc+ld+json")
            self.send_header("Cache-Control", "max-age=300")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Stay quiet: wrk's summary is the output."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not answer {url}") from None
            time.sleep(0.2)


def post(url: str, body: bytes) -> dict[str, Any]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, Any] = json.loads(response.read())
        return answer


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open("{body}", "rb"):read()
done = function(summary, latency, requests)
  io.write(string.format("p50_ms %.2f\\np95_ms %.2f\\np99_ms %.2f\\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="length of the wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    arguments = parser.parse_args()
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("verify_api: wrk is not installed (Debian: apt install wrk)")

    status_port, port = free_port(), free_port()
    credential, status = documents(status_port)
    with tempfile.TemporaryDirectory() as folder:
        certificate = self_signed_certificate(Path(folder))
        status_server = serve_status_list(status_port, status, certificate)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "microcred.site.settings",
            "MICROCRED_DATA_DIR": folder,
            "MICROCRED_PUBLIC_URL": f"http://127.0.0.1:{port}",
            "MICROCRED_VERIFY_RATE_LIMIT": "1000000000/second",
            "MICROCRED_VERIFY_ALLOW_PRIVATE_ADDRESSES": "1",
            "MICROCRED_LOG_LEVEL": "WARNING",
            "SSL_CERT_FILE": str(certificate[0]),
        }
        python = sys.executable
        subprocess.run([python, "-m", "microcred", "manage", "migrate", "-v0"], env=env, check=True)
        server = subprocess.Popen(
            [
                python,
                "-m",
                "gunicorn",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{port}",
                "--log-level=warning",
                "microcred.site.wsgi:application",
            ],
            env=env,
        )
        try:
            url = f"http://127.0.0.1:{port}/api/v1/verify"
            wait_for(f"http://127.0.0.1:{port}/verify")
            body = json.dumps(credential).encode("utf-8")
            for _ in range(4 * WORKERS):  # each worker fetches the list once and warms up
                answer = post(url, body)
                if not answer["verified"]:
                    raise SystemExit(f"the credential does not verify: {answer}")
            body_file = Path(folder) / "credential.json"
            body_file.write_bytes(body)
            script = Path(folder) / "post.lua"
            script.write_text(WRK_SCRIPT.replace("{body}", str(body_file)), encoding="utf-8")
            cpu = workers_cpu_seconds(server.pid)
            run = subprocess.run(
                [
                    wrk,
                    "--threads=1",
                    f"--connections={arguments.connections}",
                    f"--duration={arguments.seconds}s",
                    f"--script={script}",
                    url,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            cpu = workers_cpu_seconds(server.pid) - cpu
        finally:
            server.terminate()
            server.wait(timeout=30)
            status_server.shutdown()
    lines = run.stdout.splitlines()
    figures = dict(line.split(None, 1) for line in lines if line.startswith(("p50", "p95", "p99")))
    rate = float(next(line.split()[1] for line in lines if "Requests/sec" in line))
    done = int(next(line.split()[0] for line in lines if "requests in" in line))
    if "Non-2xx" in run.stdout:
        raise SystemExit(f"some answers were not 200:\n{run.stdout}")
    print(
        f"POST /api/v1/verify, gunicorn with {WORKERS} workers, "
        f"wrk {arguments.connections} connections, {arguments.seconds} s"
    )
    per_cpu = done / cpu
    print(
        f"{rate:,.0f} verifications/s on the wall clock (p50 {figures['p50_ms']} ms, "
        f"p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms)\n"
        f"{per_cpu:,.0f} verifications per CPU-second of the workers: {WORKERS} cores serve "
        f"{WORKERS * per_cpu:,.0f}/s; baseline {WORKERS * BASELINE_PER_CPU:,.0f}/s, "
        f"ratio {per_cpu / BASELINE_PER_CPU:.2f}x; >= {TARGET}/s "
        f"{'met' if WORKERS * per_cpu >= TARGET else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
