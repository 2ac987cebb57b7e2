"""End-to-end throughput of bulk issuing: CSV rows in, awards signed, stored, status-indexed,
audited and marked, by real task workers.

Run: ``python benchmarks/bulk_issue.py [--rows N] [--workers W] [--batch B]``. In a fresh data
folder and database (PostgreSQL when ``DATABASE_URL`` names one: a throwaway database is
created beside it and dropped after; SQLite otherwise), it loads the demo, starts a job of
``--rows`` rows as the demo university's registrar, starts ``--workers`` ``db_worker``
processes and times the job from its start to its last row. Then it checks that every row was
issued once with its own status index, verifies ``--verify`` of the credentials (all with
``--verify 0``), and prints rows per second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from scratch import database_beside, drop_database

WORKER = (sys.executable, "-m", "microcred", "manage", "db_worker", "--no-reload")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=50, help="rows per transaction")
    parser.add_argument("--verify", type=int, default=200, help="credentials to verify; 0: all")
    options = parser.parse_args()
    data = tempfile.mkdtemp(prefix="microcred-bench-")
    os.environ.update(
        MICROCRED_DATA_DIR=data,
        MICROCRED_BULK_BATCH_SIZE=str(options.batch),
        MICROCRED_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_SETTINGS_MODULE="microcred.site.settings",
    )
    server = os.environ.get("DATABASE_URL", "")
    database = None
    if server.startswith("postgres"):
        database = database_beside(server, f"microcred_bench_{os.getpid()}", fresh=True)
        os.environ["DATABASE_URL"] = database
    try:
        _run(options, urlsplit(database).path.lstrip("/") if database else "SQLite")
    finally:
        if database is not None:
            from django.db import connections

            connections.close_all()
            drop_database(database)


def _run(options: argparse.Namespace, where: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from microcred.accounts.services import find_user
    from microcred.awards import services as awards
    from microcred.bulk import services
    from microcred.catalogue import services as catalogue
    from microcred.site.demo_platform import load_platform_demo

    call_command("migrate", interactive=False, verbosity=0)
    list(load_platform_demo())
    registrar = find_user("lakeside-registrar")
    version = catalogue.get_version(organisation="lakeside", slug="statistical-modelling")
    lines = ["version,learner_email,learner_name,grade"]
    lines += [
        f"{version.achievement_uuid},bench{n}@example.org,Learner {n},Pass"
        for n in range(options.rows)
    ]
    started = time.perf_counter()
    job = services.start_job(
        actor=registrar,
        organisation_slug="lakeside",
        rows=lambda: services.read_csv("\n".join(lines).encode()),
        name="bench.csv",
    ).job
    checked = time.perf_counter()
    workers = [
        subprocess.Popen([*WORKER, "--no-startup-delay", "--interval", "0.1"])
        for _ in range(options.workers)
    ]
    try:
        while services.get_progress(job).status == "running":
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
    finished = time.perf_counter()
    progress = services.get_progress(job)
    issued = [awards.get_award(item.award_uuid) for item in job.items.all()]
    indexes = {
        awards.get_credential_document(award)["credentialStatus"]["statusListIndex"]
        for award in issued
    }
    sample = issued if options.verify == 0 else issued[: options.verify]
    verified = sum(awards.verify_award(award).verified for award in sample)
    print(f"bulk issuing on {where}, {options.workers} worker(s), batches of {options.batch}:")
    print(f"  {options.rows} rows checked and stored in {checked - started:.2f} s")
    print(
        f"  {progress.issued} issued, {progress.failed} failed in {finished - checked:.2f} s "
        f"(including worker start-up): {progress.issued / (finished - checked):.1f} awards/s"
    )
    print(f"  distinct status indexes: {len(indexes)}; verified {verified}/{len(sample)}")
    if progress.issued != options.rows or len(indexes) != options.rows or verified < len(sample):
        sys.exit("FAILED: not every row was issued once with its own index and verified")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
