"""``microcred serve``: prepare the database and serve the site with a production WSGI server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from urllib.parse import urlsplit


def public_url_warning(public_url: str) -> str | None:
    """Return a warning when ``public_url`` is plain HTTP, else None.

    A did:web DID is always resolved over HTTPS (did:web spec, section 3.2),
    so the organisations' DIDs of a platform served over HTTP resolve
    nowhere but on the platform itself, which answers its own URLs locally.
    """
    parts = urlsplit(public_url)
    if parts.scheme != "http":
        return None
    return (
        f"Warning: the public URL {public_url} is plain HTTP. Its organisations' did:web DIDs "
        f"are resolved over HTTPS (https://{parts.netloc}/...), so credentials issued here "
        "verify on this platform only, nowhere else. Serve the site over HTTPS and set "
        "MICROCRED_PUBLIC_URL to its https:// address for credentials others can verify."
    )


def start_workers(count: int) -> list[subprocess.Popen[bytes]]:
    """Start ``count`` workers of the task engine beside the web server (bulk issuing's jobs),
    each its own process, as on any other machine: ``microcred manage db_worker``."""
    command = [sys.executable, "-m", "microcred", "manage", "db_worker", "--no-reload"]
    return [subprocess.Popen(command) for _ in range(count)]


def serve(*, host: str, port: int, demo: bool, workers: int = 1) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.site.settings")
    # DIDs and credential ids name the platform's address: by default, where it serves.
    shown_host = f"[{host}]" if ":" in host else host
    os.environ.setdefault("MICROCRED_PUBLIC_URL", f"http://{shown_host}:{port}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from waitress import serve as waitress_serve

    from microcred.datafiles import private_folder
    from microcred.site.wsgi import application

    private_folder(settings.DATA_DIR)
    print("Preparing the database...", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    if demo:
        from microcred.site.demo import load_demo

        print("Loading the demo data (once; the first time takes a little while)...", flush=True)
        for line in load_demo():
            print(line)
    warning = public_url_warning(settings.PUBLIC_URL)
    if warning:
        print(warning, file=sys.stderr)
    from microcred.bulk.services import requeue_running_jobs

    # Jobs whose workers stopped with the last run go on where they were.
    requeue_running_jobs()
    started = start_workers(workers)
    # Stopped with SIGTERM (a service manager), the server stops its workers too.
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    print(f"microcred is serving on http://{host}:{port}/ (data in {settings.DATA_DIR})")
    try:
        waitress_serve(application, host=host, port=port, threads=8, ident="microcred")
    finally:
        for worker in started:
            worker.terminate()
        for worker in started:
            worker.wait(timeout=30)
