"""Real workers of the task engine on PostgreSQL: one killed with SIGKILL part way through a
job and the job resumed, and two sharing a job. Each row is issued exactly once."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from microcred.awards import services as awards
from microcred.awards.models import Award
from microcred.bulk import services
from microcred.bulk.models import BulkItem, ItemStatus, JobStatus
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import rows, start

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="workers on several processes need PostgreSQL (DATABASE_URL)",
    ),
]

ROWS = 30
TIMEOUT = 120
WORKER = (sys.executable, "-m", "microcred", "manage", "db_worker", "--no-reload")
WORKER += ("--no-startup-delay", "--interval", "0.2")


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    """Start real ``db_worker`` processes against the test database; stop them after."""
    started: list[subprocess.Popen[bytes]] = []
    parts = urlsplit(os.environ["DATABASE_URL"])
    database = urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))
    environment = {
        **os.environ,
        "DATABASE_URL": database,
        "MICROCRED_PUBLIC_URL": "https://microcred.test",
        # The test run's secrets (signing key encryption, audit key) are in its data folder.
        "MICROCRED_DATA_DIR": str(settings.DATA_DIR),
        "MICROCRED_BULK_BATCH_SIZE": "2",
    }

    def worker(*options: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [*WORKER, *options],
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield worker
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def emails_sent(tmp_path: Path) -> Counter[str]:
    """Count the learner emails the workers printed (the console email backend)."""
    text = "".join(path.read_text("utf-8", "replace") for path in tmp_path.glob("worker-*.log"))
    return Counter(re.findall(r"^To: (\S+)$", text, flags=re.MULTILINE))


def assert_each_row_issued_once(job, organisation) -> None:
    issued = list(Award.objects.filter(organisation=organisation))
    assert sorted(award.learner_email for award in issued) == sorted(
        f"learner{n}@example.org" for n in range(1, ROWS + 1)
    )
    assert sorted(award.idempotency_key for award in issued) == sorted(
        f"bulk:{job.uuid}:{line}" for line in range(2, ROWS + 2)
    )
    indexes = [
        awards.get_credential_document(award)["credentialStatus"]["statusListIndex"]
        for award in issued
    ]
    assert len(set(indexes)) == ROWS
    assert all(awards.verify_award(award).verified for award in issued)
    items = BulkItem.objects.filter(job=job)
    assert {item.award_uuid for item in items} == {award.uuid for award in issued}
    assert services.get_progress(job).status == JobStatus.FINISHED


def test_a_worker_killed_part_way_and_the_job_resumed_issues_each_row_once(
    workers, tmp_path: Path
) -> None:
    organisation, registrar, version = make_issuer()
    job = start(registrar, organisation, rows(version, ROWS)).job
    first = workers()
    wait_for(lambda: services.get_progress(job).issued >= 6, "the first rows")
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    killed_after = services.get_progress(job).issued
    assert 6 <= killed_after < ROWS, "the worker finished before it was killed"
    assert services.get_progress(job).status == JobStatus.RUNNING

    services.resume_job(actor=registrar, job=job)
    second = workers("--batch")
    assert second.wait(timeout=TIMEOUT) == 0
    assert_each_row_issued_once(job, organisation)
    # The emails are tasks queued with the marks: the second worker sends every one, once.
    sent = emails_sent(tmp_path)
    assert max(sent.values()) == 1, "a learner was emailed twice"
    assert len(sent) == ROWS
    claimed = BulkItem.objects.filter(job=job, emailed_at__isnull=False).count()
    assert claimed == ROWS


def test_two_workers_share_a_job_and_issue_each_row_once(workers, tmp_path: Path) -> None:
    organisation, registrar, version = make_issuer()
    workers(), workers()
    logs = [tmp_path / "worker-0.log", tmp_path / "worker-1.log"]
    wait_for(lambda: all("Starting worker" in log.read_text() for log in logs), "the workers")
    job = start(registrar, organisation, rows(version, ROWS)).job
    wait_for(lambda: services.get_progress(job).status == JobStatus.FINISHED, "the job")
    assert_each_row_issued_once(job, organisation)
    assert BulkItem.objects.filter(job=job, status=ItemStatus.ISSUED).count() == ROWS
    wait_for(
        lambda: not DBTaskResult.objects.filter(finished_at__isnull=True).exists(),
        "the tasks' end (the emails are tasks of their own)",
    )
    sent = emails_sent(tmp_path)
    assert len(sent) == ROWS and max(sent.values()) == 1
    tasks = DBTaskResult.objects.filter(args_kwargs__args=[str(job.uuid)])
    runs = list(tasks)
    assert len(runs) == 2 and len({tuple(run.worker_ids) for run in runs}) == 2
    # Both ran at once: each started before the other finished.
    assert runs[0].started_at < runs[1].finished_at and runs[1].started_at < runs[0].finished_at
