"""End-to-end throughput of bulk issuing: CSV rows in, awards signed, stored, status-indexed,
audited and marked, by real task workers.

Run: ``python benchmarks/bulk_issue.py [--rows N] [--workers W] [--batch B]``. In a fresh data
folder and database (PostgreSQL when ``DATABASE_URL`` names one: a throwaway database is
created beside it and dropped after; SQLite otherwise), it loads the demo, starts a job of
``--rows`` rows as the demo university's registrar, starts ``--workers`` ``db_worker``
processes and times the job from its start to its last row. Then it checks that every row was
issued once with its own status index, verifies every credential (as ``bulk_issuing.py``
does), and prints rows per second on the wall clock, and the CPU the workers and their
PostgreSQL backends spent per award: what the machine would issue were nothing else running.
The learners' emails are tasks that the workers run once the rows are issued: the time they
took after the last row and their CPU per award are printed apart.
The 100,000-row job of issue 11 is ``--rows 100000``.
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

from bulk_issuing import check_run, cpu_seconds
from scratch import database_beside, drop_database

TARGET = 500
WORKER = (sys.executable, "-m", "microcred", "manage", "db_worker", "--no-reload")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=500, help="rows per claim of a worker")
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
    from django_tasks_db.models import DBTaskResult

    from microcred.accounts.services import find_user
    from microcred.bulk import services
    from microcred.bulk.tasks import email_learners
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
    # The workers' backends come and go with their tasks: each one's last reading counts.
    backends: dict[int, float] = {}
    emails = DBTaskResult.objects.filter(task_path=email_learners.module_path)
    try:
        while services.get_progress(job).status == "running":
            backends.update((pid, cpu_seconds(pid)) for pid in _worker_backends(where))
            time.sleep(0.2)
        finished = time.perf_counter()
        cpu = sum(cpu_seconds(worker.pid) for worker in workers)
        database = sum(backends.values())
        # The learners' emails are tasks the workers run once the rows are issued.
        while emails.filter(finished_at__isnull=True).exists():
            time.sleep(0.2)
        emailed = time.perf_counter()
        email_cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait()
    progress = services.get_progress(job)
    rate = progress.issued / (finished - checked)
    per_award = 1000 * (cpu + database) / max(progress.issued, 1)
    print(f"bulk issuing on {where}, {options.workers} worker(s), batches of {options.batch}:")
    print(f"  {options.rows} rows checked and stored in {checked - started:.2f} s")
    print(
        f"  {progress.issued} issued, {progress.failed} failed in {finished - checked:.2f} s "
        f"(including worker start-up): {rate:.1f} awards/s, {rate / TARGET:.2f}x the target "
        f"of {TARGET}/s; load {' '.join(f'{value:.1f}' for value in os.getloadavg())}"
    )
    print(
        f"  CPU per award: workers {1000 * cpu / max(progress.issued, 1):.2f} ms (start-up "
        f"included), their PostgreSQL backends {1000 * database / max(progress.issued, 1):.2f}"
        f" ms: {(os.cpu_count() or 1) * 1000 / per_award:,.0f} awards/s were the machine idle"
    )
    sent = emails.filter(status="SUCCESSFUL").count()
    print(
        f"  learners' emails: {sent} batch task(s) of {emails.count()} sent "
        f"{emailed - finished:.2f} s after the last row, "
        f"{1000 * email_cpu / max(progress.issued, 1):.2f} ms of worker CPU per award"
    )
    verified, seconds = check_run(job.organisation, f"bulk:{job.uuid}", options.rows)
    print(
        f"  one award per row, status indexes distinct; verified {verified:,} of "
        f"{options.rows:,} credentials in {seconds:.1f} s"
    )
    if progress.issued != options.rows or verified != options.rows:
        sys.exit("FAILED: not every row was issued once and verified")


def _worker_backends(database: str) -> list[int]:
    """Return the process ids of the PostgreSQL backends of other processes (the workers') on
    the benchmark's database; none on SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        )
        return [pid for (pid,) in cursor.fetchall()]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    main()
