"""End-to-end bulk issuing on PostgreSQL: rows in, credentials signed, stored, status-indexed and
audited, with one and with two worker processes, against one-at-a-time ``issue_award``.

    DATABASE_URL=postgres://user@host:5432/microcred python benchmarks/bulk_issuing.py \
        [--rows 5000] [--batch 500] [--workers 1 2] [--baseline 200]

The run works in a scratch database beside the one ``DATABASE_URL`` names (its name with
``_bulk_bench`` appended, dropped and created again), so it never touches real data. It makes
one issuer with a published micro-credential version, then:

1. the baseline: ``--baseline`` awards issued one at a time with ``issue_award`` (each its own
   transaction, as a form or an API call issues them);
2. for each worker count: ``--rows`` rows, each checked into a request
   (``check_award_request``) and issued with ``issue_awards`` in batches of ``--batch``; each
   worker is a separate process that takes every n-th batch, as task workers would. The clock
   runs from the moment every worker is ready until the last one is done;
3. a check of everything the workers issued: one award per row, every status index distinct,
   the audit chain intact, and every credential verified with the full pipeline (signature,
   issuer key, status list, structure), as ``verify_award`` verifies one.

It prints awards per second, the ratio against the baseline measured here and against the 21 ms
per award measured on the code before batching (issue 11), and the load average: the figures
are only as steady as the machine is idle.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scratch import database_beside

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

# Issue 11: issuing one award cost about 21 ms before batching.
LANDED_MS_PER_AWARD = 21.0
TARGET = 500
VERIFY_CHUNK = 1000


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.site.settings")
    import django

    django.setup()


def requests_for(version: Any, rows: range, run: str) -> list[Any]:
    """Check each row as a bulk upload would: learner, name, a grade, its own key."""
    from microcred.awards import services

    return [
        services.check_award_request(
            version=version,
            learner_email=f"learner{row}@{run}.example.org",
            learner_name=f"Learner {row}",
            result={"grade": "ABCD"[row % 4]},
            idempotency_key=f"{run}:row:{row}",
        )
        for row in rows
    ]


# -- a worker process ----------------------------------------------------------------------


def worker(arguments: argparse.Namespace) -> None:
    """Issue every ``workers``-th batch of the run, starting at batch ``index``."""
    setup_django()
    from django.db import connection

    from microcred.accounts.models import User
    from microcred.awards import services
    from microcred.catalogue.models import MicroCredentialVersion

    version = MicroCredentialVersion.objects.select_related("microcredential__organisation").get(
        pk=arguments.version
    )
    registrar = User.objects.get(pk=arguments.registrar)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [backend] = cursor.fetchone()
    print("ready", flush=True)
    sys.stdin.readline()
    started, database_started = time.process_time(), cpu_seconds(backend)
    issued = 0
    for start in range(arguments.index * arguments.batch, arguments.rows, arguments.step):
        rows = range(start, min(start + arguments.batch, arguments.rows))
        requests = requests_for(version, rows, arguments.run)
        issued += len(services.issue_awards(actor=registrar, version=version, requests=requests))
    cpu, database = time.process_time() - started, cpu_seconds(backend) - database_started
    print(json.dumps({"issued": issued, "cpu": cpu, "database": database}), flush=True)


def cpu_seconds(pid: int) -> float:
    """Return the CPU seconds process ``pid`` used so far (the worker's PostgreSQL backend,
    when the server runs on this machine; 0 when it cannot be read)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_workers(
    count: int, *, rows: int, batch: int, version: Any, registrar: Any, run: str
) -> tuple[float, list[dict[str, Any]]]:
    """Start ``count`` worker processes, release them together, return the seconds taken."""
    command = [sys.executable, __file__, "--worker"]
    processes = [
        subprocess.Popen(
            [
                *command,
                f"--index={index}",
                f"--step={batch * count}",
                f"--rows={rows}",
                f"--batch={batch}",
                f"--version={version.pk}",
                f"--registrar={registrar.pk}",
                f"--run={run}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for index in range(count)
    ]
    for process in processes:
        assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        assert process.stdout is not None
        results.append(json.loads(process.stdout.readline()))
        if process.wait() != 0:
            raise SystemExit(f"a worker failed (exit code {process.returncode})")
    return time.perf_counter() - started, results


# -- checking what was issued ----------------------------------------------------------------


def check_run(organisation: Any, run: str, rows: int) -> tuple[int, float]:
    """Check one award per row and distinct indexes; verify every credential; return how many
    verified and the seconds verification took."""
    from microcred.awards.models import Award, StatusEntry
    from microcred.organisations import services as organisations
    from microcred.vc import LocalFetcher, verify_batch

    awards = Award.objects.filter(organisation=organisation, idempotency_key__startswith=f"{run}:")
    keys = awards.values_list("idempotency_key", flat=True)
    assert awards.count() == rows == len(set(keys)), "not one award per row"
    entries = StatusEntry.objects.filter(award__organisation=organisation)
    assert entries.count() == len(set(entries.values_list("status_list", "index"))), "shared index"
    started = time.perf_counter()
    verified = 0
    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    texts = awards.order_by("pk").values_list("uuid", "signed_credential")
    batch: list[tuple[str, str]] = []
    for uuid, text in texts.iterator(chunk_size=VERIFY_CHUNK):
        batch.append((text, str(uuid)))
        if len(batch) == VERIFY_CHUNK:
            verified += sum(report.verified for [report] in verify_batch(batch, fetcher=fetcher))
            batch = []
    verified += sum(report.verified for [report] in verify_batch(batch, fetcher=fetcher))
    return verified, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500, help="rows per issue_awards call")
    parser.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    parser.add_argument("--baseline", type=int, default=200, help="awards issued one at a time")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    for name in ("index", "step", "version", "registrar"):
        parser.add_argument(f"--{name}", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--run", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        worker(arguments)
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL server: the benchmark needs one.")
    name = f"{urlsplit(url).path.lstrip('/') or 'microcred'}_bulk_bench"
    os.environ["DATABASE_URL"] = database_beside(url, name, fresh=True)
    os.environ.setdefault("MICROCRED_DATA_DIR", tempfile.mkdtemp(prefix="microcred-bench-"))
    os.environ.setdefault("MICROCRED_PUBLIC_URL", "https://bench.microcred.test")
    # issue_award emails each learner; the benchmark measures issuing, not an SMTP server.
    os.environ.setdefault(
        "MICROCRED_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
    )
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from microcred.audit.services import check_chain
    from microcred.awards import services
    from tests.platform.awards.factories import make_issuer

    organisation, registrar, version = make_issuer()
    services.issue_award(actor=registrar, version=version, learner_email="first@example.org")
    print(f"bulk issuing on PostgreSQL, {os.cpu_count()} CPUs, load {_load()} at start")

    started, cpu_started = time.perf_counter(), time.process_time()
    for row in range(arguments.baseline):
        services.issue_award(
            actor=registrar,
            version=version,
            learner_email=f"learner{row}@baseline.example.org",
            learner_name=f"Learner {row}",
            result={"grade": "ABCD"[row % 4]},
        )
    baseline = arguments.baseline / (time.perf_counter() - started)
    baseline_cpu = 1000 * (time.process_time() - cpu_started) / arguments.baseline
    print(
        f"  issue_award one at a time: {arguments.baseline} awards, {baseline:,.0f} awards/s "
        f"({1000 / baseline:.1f} ms/award, CPU {baseline_cpu:.2f} ms/award; "
        f"{LANDED_MS_PER_AWARD:.0f} ms before batching)"
    )
    for count in arguments.workers:
        run = f"w{count}"
        seconds, results = run_workers(
            count,
            rows=arguments.rows,
            batch=arguments.batch,
            version=version,
            registrar=registrar,
            run=run,
        )
        rate = arguments.rows / seconds
        cpu = 1000 * sum(result["cpu"] for result in results) / arguments.rows
        database = 1000 * sum(result["database"] for result in results) / arguments.rows
        print(
            f"  issue_awards, {count} worker(s), batches of {arguments.batch}: "
            f"{arguments.rows:,} awards in {seconds:.1f} s = {rate:,.0f} awards/s "
            f"(target {TARGET}/s; {rate / baseline:.1f}x issue_award here, "
            f"{rate * LANDED_MS_PER_AWARD / 1000:.1f}x the 21 ms before); load {_load()}\n"
            f"    CPU per award: workers {cpu:.2f} ms ({baseline_cpu / cpu:.1f}x less than "
            f"issue_award), their PostgreSQL backends {database:.2f} ms: "
            f"{(os.cpu_count() or 1) * 1000 / (cpu + database):,.0f} awards/s on this machine "
            "were it idle"
        )
        verified, seconds = check_run(organisation, run, arguments.rows)
        print(
            f"    verified {verified:,} of {arguments.rows:,} credentials in {seconds:.1f} s "
            f"({verified / seconds:,.0f}/s); one award per row, indexes distinct"
        )
        if verified != arguments.rows:
            raise SystemExit("some credentials did not verify")
    chain = check_chain()
    print(f"  audit chain: {chain.events:,} events, {'intact' if chain.intact else 'BROKEN'}")
    if not chain.intact:
        raise SystemExit(f"the audit chain is broken at #{chain.broken_at}: {chain.reason}")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    main()
