"""Workers claim a batch of items, issue it outside any transaction, then mark it: no lock is
held while a batch is signed, a worker killed between issuing and marking leaves its items
claimed for a resume to issue again (once), a stale claim is taken over, and a worker whose
claim was freed neither marks nor emails."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from microcred.awards import services as awards
from microcred.awards.models import Award
from microcred.bulk import services
from microcred.bulk.models import BulkItem, ItemStatus, JobStatus
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import rows, start, work

ROWS = 4


class WorkerKilled(BaseException):
    """A worker's process ending between two statements (as with SIGKILL): nothing of the
    worker runs after it, no handler catches it."""


@pytest.fixture
def issuer():
    return make_issuer()


def around_issuing(monkeypatch, before_return: Callable[[list[Any]], None]) -> None:
    """Run ``before_return`` on each batch the real ``issue_awards`` has just issued."""
    issue_awards = awards.issue_awards

    def issuing(**arguments: Any) -> list[Any]:
        issued = issue_awards(**arguments)
        before_return(issued)
        return issued

    monkeypatch.setattr(awards, "issue_awards", issuing)


def assert_each_row_issued_once(job) -> None:
    issued = Award.objects.filter(organisation=job.organisation)
    assert issued.count() == ROWS
    items = BulkItem.objects.filter(job=job)
    assert {item.status for item in items} == {ItemStatus.ISSUED}
    assert {item.award_uuid for item in items} == {award.uuid for award in issued}
    assert not items.exclude(claim="").exists()
    assert services.get_progress(job).status == JobStatus.FINISHED


@pytest.mark.django_db(transaction=True)
def test_a_batch_is_claimed_and_issued_outside_any_transaction(issuer, monkeypatch) -> None:
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, ROWS)).job
    seen = []

    def while_issuing(issued: list[Any]) -> None:
        # Committed, as other workers see it: the items are this worker's, nothing is locked.
        seen.append(
            (connection.in_atomic_block, Counter(job.items.values_list("status", flat=True)))
        )

    around_issuing(monkeypatch, while_issuing)
    work(job)
    assert seen == [(False, Counter({ItemStatus.CLAIMED: ROWS}))]
    assert_each_row_issued_once(job)


def test_a_worker_killed_before_marking_leaves_its_items_claimed_and_a_resume_issues_them(
    issuer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, ROWS)).job

    def killed(issued: list[Any]) -> None:
        raise WorkerKilled

    around_issuing(monkeypatch, killed)
    with pytest.raises(WorkerKilled):
        work(job)
    # The awards are stored; their items are claimed, still counted as remaining.
    assert Award.objects.filter(organisation=organisation).count() == ROWS
    progress = services.get_progress(job)
    assert (progress.status, progress.issued, progress.remaining) == (JobStatus.RUNNING, 0, ROWS)

    monkeypatch.undo()
    services.resume_job(actor=registrar, job=job)
    assert not BulkItem.objects.filter(job=job, status=ItemStatus.CLAIMED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        work(job)
    assert_each_row_issued_once(job)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"learner{n}@example.org" for n in range(1, ROWS + 1)
    )


def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_not(issuer) -> None:
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, ROWS)).job
    claimed = BulkItem.objects.filter(job=job)
    claimed.update(status=ItemStatus.CLAIMED, claim="a-worker", claimed_at=timezone.now())
    work(job)
    assert services.get_progress(job).remaining == ROWS
    assert not Award.objects.exists()

    claimed.update(claimed_at=timezone.now() - services.CLAIM_TIMEOUT - timedelta(seconds=1))
    work(job)
    assert_each_row_issued_once(job)


def test_a_worker_whose_claim_was_freed_neither_marks_nor_emails(
    issuer, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, ROWS)).job
    marked_by_second = []

    def resumed_while_issuing(issued: list[Any]) -> None:
        if marked_by_second:
            return
        marked_by_second.append(True)
        # While this worker signs, the job is resumed and a second worker does it all.
        services.resume_job(actor=registrar, job=job)
        work(job)
        marked_by_second[0] = dict(job.items.values_list("pk", "processed_at"))

    around_issuing(monkeypatch, resumed_while_issuing)
    with django_capture_on_commit_callbacks(execute=True):
        work(job)
    assert_each_row_issued_once(job)
    # The first worker's mark found its claim gone: the second worker's marks stand.
    assert dict(job.items.values_list("pk", "processed_at")) == marked_by_second[0]
    sent = Counter(message.to[0] for message in mail.outbox)
    assert len(sent) == ROWS and max(sent.values()) == 1
