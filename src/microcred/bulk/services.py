"""Bulk issuing: check a file of rows, then issue each row exactly once as a resumable job.

``start_job`` checks every row first, with its line, and stores the job and one item per
row; nothing is issued unless every row is right, or, when asked, the good rows are issued
and the bad ones reported. Workers of the task engine (:mod:`microcred.bulk.tasks`, see
docs/decisions/0011-bulk-jobs-task-engine.md) run :func:`process_job`: they claim pending
items in batches in a short transaction (``SKIP LOCKED`` on PostgreSQL, so several workers
share a job), issue them with ``awards.issue_awards`` outside it, then mark them in another.
A worker killed in between leaves its items claimed; resuming the job frees them, and each
item's idempotency key (job and line) makes the retry return, never repeat, the award.
Learners are emailed per batch by a task queued with its marks; an item is marked emailed in
the same transaction, and only by the worker whose claim it still is, so an award's email is
never sent twice.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import io
import json
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from microcred.accounts.services import User
from microcred.audit.services import record_event
from microcred.awards import services as awards
from microcred.bulk.models import BulkItem, BulkJob, ItemStatus, JobStatus
from microcred.core import public_urls
from microcred.core.words import in_sentence
from microcred.errors import Conflict, Forbidden, InvalidInput, MicrocredError, NotFound
from microcred.inputs import RowError

__all__ = [
    "COLUMNS",
    "JobStart",
    "Progress",
    "RowError",
    "Rows",
    "access_job",
    "cancel_job",
    "get_progress",
    "list_jobs",
    "process_job",
    "read_csv",
    "read_rows",
    "report_rows",
    "requeue_running_jobs",
    "resume_job",
    "start_job",
]

# Rows as read: each row's line (or number) and its cells by column.
Rows = Sequence[tuple[int, dict[str, str]]]
# The columns a row may have; a CSV needs a header naming them (any order).
COLUMNS = (
    "version",
    "learner_email",
    "learner_did",
    "learner_name",
    "grade",
    "score",
    "evidence",
    "narrative",
)
REQUIRED = ("version",)
FORMATS = ("ldp", "jwt")
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
BATCH_SIZE = 50
# A claim older than this is taken to be a dead worker's: another worker takes its items.
CLAIM_TIMEOUT = timedelta(minutes=15)
# Tasks queued per job: each is one worker's share; more workers take more.
WORKERS_PER_JOB = 2
# How many row errors an answer lists (the first ones); the count says how many there are.
MAX_LISTED_ERRORS = 1000
# The rate is measured over the last minute of work.
RATE_WINDOW = timedelta(seconds=60)
# Cells a spreadsheet would run as formulas start with these; the report quotes them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class JobStart:
    """A started job, or the job the same rows started before (``created`` False: nothing new
    is issued); ``errors`` are the bad rows left out (issue-the-good-rows mode)."""

    job: BulkJob
    created: bool
    errors: list[RowError]


@dataclass(frozen=True)
class Progress:
    """How far a job is: rows issued, failed and remaining, the rate (rows per second over
    the last minute) and the seconds left at that rate (None when it cannot be told)."""

    status: str
    total: int
    issued: int
    failed: int
    remaining: int
    rate: float
    seconds_left: float | None

    @property
    def done(self) -> int:
        return self.issued + self.failed

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 100

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "total": self.total,
            "issued": self.issued,
            "failed": self.failed,
            "done": self.done,
            "remaining": self.remaining,
            "rate": round(self.rate, 2),
            "seconds_left": None if self.seconds_left is None else round(self.seconds_left),
        }


# -- reading rows ----------------------------------------------------------------------------


def read_csv(content: bytes) -> Rows:
    """Return the rows of a CSV file as ``(line, row)``; raise InvalidInput naming ``file``.

    UTF-8 (a byte order mark is allowed), a header naming columns of :data:`COLUMNS`, at most
    :data:`MAX_ROWS` rows and :data:`MAX_BYTES` bytes. Blank lines are skipped.
    """
    if len(content) > _setting("MAX_BYTES"):
        raise InvalidInput(
            gettext("The file is larger than %(size)s MB; split it.")
            % {"size": f"{_setting('MAX_BYTES') / (1024 * 1024):g}"},
            code="bulk.too_large",
            field="file",
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(
            gettext("The file is not UTF-8 text (byte %(byte)s); save it as CSV UTF-8.")
            % {"byte": error.start},
            code="bulk.not_utf8",
            field="file",
        ) from None
    if "\x00" in text:
        raise InvalidInput(gettext("The file is not CSV text."), code="bulk.not_csv", field="file")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        _check_header(header)
        rows = []
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise InvalidInput(
                    gettext(
                        "Line %(line)s has %(cells)s cells but the header names %(columns)s "
                        "columns."
                    )
                    % {"line": line, "cells": len(cells), "columns": len(header)},
                    code="bulk.extra_cells",
                    field="file",
                    data={"line": line},
                )
            rows.append((line, dict(zip(header, cells, strict=False))))
            _check_count(len(rows))
    except csv.Error as error:
        raise InvalidInput(
            gettext("Line %(line)s is not valid CSV: %(error)s.")
            % {"line": reader.line_num, "error": error},
            code="bulk.not_csv",
            field="file",
        ) from None
    if not rows:
        raise InvalidInput(
            gettext("The file has no rows under its header."), code="bulk.empty", field="file"
        )
    return rows


def read_rows(rows: Any) -> Rows:
    """Return rows given as JSON (a list of objects of :data:`COLUMNS`) as ``(number, row)``,
    numbered from 1; raise InvalidInput naming ``rows[n]``."""
    if not isinstance(rows, list) or not rows:
        raise InvalidInput("rows must be a list of at least one row.", field="rows")
    _check_count(len(rows))
    read = []
    for number, row in enumerate(rows):
        if not isinstance(row, dict):
            raise InvalidInput(f"rows[{number}] must be an object.", field=f"rows[{number}]")
        unknown = sorted(set(row) - set(COLUMNS))
        if unknown:
            raise InvalidInput(
                f"rows[{number}].{unknown[0]} is not known; a row has {', '.join(COLUMNS)}.",
                field=f"rows[{number}].{unknown[0]}",
            )
        cells = {}
        for key, value in row.items():
            if value is None:
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                value = f"{value:g}"
            if not isinstance(value, str):
                raise InvalidInput(
                    f"rows[{number}].{key} must be text.", field=f"rows[{number}].{key}"
                )
            cells[key] = value
        read.append((number + 1, cells))
    return read


def _check_header(header: list[str]) -> None:
    if not any(header):
        raise InvalidInput(
            gettext("The file has no header; its first line names the columns (%(columns)s).")
            % {"columns": ", ".join(COLUMNS)},
            code="bulk.no_header",
            field="file",
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise InvalidInput(
            gettext("Line 1: the column %(column)s is not known; columns are %(columns)s.")
            % {"column": repr(unknown[0]), "columns": ", ".join(COLUMNS)},
            code="bulk.unknown_column",
            field="file",
            data={"line": 1, "column": unknown[0]},
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise InvalidInput(
            gettext("Line 1: the column %(column)s is named twice.")
            % {"column": repr(repeated[0])},
            code="bulk.repeated_column",
            field="file",
            data={"line": 1, "column": repeated[0]},
        )
    for name in REQUIRED:
        if name not in header:
            raise InvalidInput(
                gettext("Line 1: the column %(column)s is missing.") % {"column": repr(name)},
                code="bulk.missing_column",
                field="file",
                data={"line": 1, "column": name},
            )
    if "learner_email" not in header and "learner_did" not in header:
        raise InvalidInput(
            gettext("Line 1: give a learner_email or a learner_did column."),
            code="bulk.missing_column",
            field="file",
            data={"line": 1, "column": "learner_email"},
        )


def _check_count(count: int) -> None:
    if count > _setting("MAX_ROWS"):
        raise InvalidInput(
            gettext("More than %(rows)s rows; split the file into jobs of at most %(rows)s rows.")
            % {"rows": f"{_setting('MAX_ROWS'):,}"},
            code="bulk.too_many_rows",
            field="file",
        )


def _setting(name: str) -> Any:
    """Return a limit of this module, or its override in the settings (``BULK_MAX_ROWS``)."""
    return getattr(settings, f"BULK_{name}", globals()[name])


# -- starting, cancelling, resuming ----------------------------------------------------------


def start_job(
    *,
    actor: User,
    organisation_slug: str,
    rows: Rows | Callable[[], Rows],
    name: str,
    format: str = "ldp",
    good_rows_only: bool = False,
    now: datetime | None = None,
) -> JobStart:
    """Check every row and start a job issuing them; return it and the rows left out.

    The actor needs the registrar (or owner) role. ``rows`` are ``(line, row)`` pairs, or a
    function returning them (:func:`read_csv` of an upload) that is called only once the
    actor is authorised, so that someone not allowed learns nothing about their file. Any
    bad row raises InvalidInput (code ``bulk.invalid_rows``) listing each problem with its
    line in ``data["errors"]``, and nothing is stored; with ``good_rows_only`` the bad rows
    are stored as failed and only the good ones issued. The same rows in the same format
    started before return that job, and nothing new is issued.
    """
    organisation = awards.access_issuing(actor, organisation_slug)
    if format not in FORMATS:
        raise InvalidInput(
            f"Unknown format {format!r}; choose ldp (a Data Integrity proof) or jwt (VC-JWT).",
            field="format",
        )
    now = now or timezone.now()
    if callable(rows):
        rows = rows()
    checked, errors = _check_rows(organisation_slug, rows, format)
    if errors and not good_rows_only:
        raise _invalid_rows(errors, gettext("nothing was issued"))
    if errors and len(errors) == len(rows):
        raise _invalid_rows(errors, gettext("no row can be issued"))
    digest = hashlib.sha256(
        json.dumps([format, [row for _, row in rows]], sort_keys=True).encode()
    ).hexdigest()
    with transaction.atomic():
        earlier = BulkJob.objects.filter(organisation=organisation, content_hash=digest).first()
        if earlier is not None:
            return JobStart(earlier, False, errors)
        job = BulkJob.objects.create(
            organisation=organisation,
            created_by=actor,
            name=name[:200] or "rows",
            content_hash=digest,
            format=format,
            good_rows_only=good_rows_only,
            total=len(rows),
            created_at=now,
            started_at=now,
        )
        failed = {error.line: error for error in errors}
        BulkItem.objects.bulk_create(
            (
                BulkItem(
                    job=job,
                    line=line,
                    version=checked.get(line),
                    data=row,
                    status=ItemStatus.FAILED if line in failed else ItemStatus.PENDING,
                    error_field=failed[line].column if line in failed else "",
                    error=failed[line].message if line in failed else "",
                )
                for line, row in rows
            ),
            batch_size=2000,
        )
        record_event(
            actor=actor,
            action="bulk.start",
            organisation=organisation,
            target=job,
            data={"rows": len(rows), "badRows": len(errors), "format": format},
            now=now,
        )
        _enqueue(job)
    return JobStart(job, True, errors)


def _invalid_rows(errors: list[RowError], outcome: str) -> InvalidInput:
    first = errors[0]
    return InvalidInput(
        gettext(
            "%(count)s row(s) with problems; %(outcome)s. Line %(line)s, %(column)s: %(message)s"
        )
        % {
            "count": len(errors),
            "outcome": outcome,
            "line": first.line,
            "column": first.column,
            "message": first.message,
        },
        code="bulk.invalid_rows",
        field="file",
        data={
            "count": len(errors),
            "errors": [error.as_dict() for error in errors[:MAX_LISTED_ERRORS]],
        },
    )


def _check_rows(
    organisation_slug: str, rows: Rows, format: str
) -> tuple[dict[int, Any], list[RowError]]:
    """Return each good row's version by line, and every problem of the rows."""
    versions: dict[str, Any] = {}
    seen: dict[tuple[int, str], int] = {}
    checked: dict[int, Any] = {}
    errors = []
    for line, row in rows:
        try:
            version = _row_version(organisation_slug, row.get("version", ""), versions)
            request = _request(version, row, format=format, key=None)
        except InvalidInput as error:
            errors.append(RowError(line, _column(error.field), error.message))
            continue
        identity = (version.pk, request.learner.did or request.learner.email)
        if identity in seen:
            errors.append(
                RowError(
                    line,
                    "learner_did" if request.learner.did else "learner_email",
                    gettext("The same learner and version as line %(line)s.")
                    % {"line": seen[identity]},
                )
            )
            continue
        seen[identity] = line
        checked[line] = version
    return checked, errors


def _row_version(organisation_slug: str, reference: str, versions: dict[str, Any]) -> Any:
    reference = reference.strip()
    if not reference:
        raise InvalidInput(
            gettext("Give the version's id (its achievement UUID)."), field="version"
        )
    if reference not in versions:
        try:
            versions[reference] = awards.find_version(
                organisation_slug=organisation_slug, reference=reference
            )
        except InvalidInput as error:
            versions[reference] = error
    found = versions[reference]
    if isinstance(found, InvalidInput):
        raise found
    if found.status != "published":
        raise InvalidInput(
            gettext("%(version)s is %(status)s; only published versions are issued.")
            % {"version": found, "status": in_sentence(found.get_status_display())},
            field="version",
        )
    return found


def _request(version: Any, row: dict[str, str], *, format: str, key: str | None) -> Any:
    """Return the row checked as an award request; raise InvalidInput naming the column."""
    grade, score = row.get("grade", "").strip(), row.get("score", "").strip()
    evidence = row.get("evidence", "").strip()
    return awards.check_award_request(
        version=version,
        learner_email=row.get("learner_email", "").strip() or None,
        learner_did=row.get("learner_did", "").strip() or None,
        learner_name=row.get("learner_name", "").strip() or None,
        result={key: value for key, value in (("grade", grade), ("score", score)) if value} or None,
        evidence=[evidence] if evidence else None,
        narrative=row.get("narrative", "").strip() or None,
        idempotency_key=key,
        format=format,
    )


def _column(field: str | None) -> str:
    """Return the column an award field comes from (``result.grade`` is ``grade``)."""
    name = (field or "").split("[", 1)[0]
    name = name.removeprefix("result.")
    return name if name in COLUMNS else "row"


def _enqueue(job: BulkJob) -> None:
    """Queue the job's tasks in the current transaction: they run once it commits."""
    from microcred.bulk.tasks import run_job

    for _ in range(_setting("WORKERS_PER_JOB")):
        run_job.enqueue(str(job.uuid))


def cancel_job(*, actor: User, job: BulkJob, now: datetime | None = None) -> BulkJob:
    """Stop a running job after the batch in progress; its issued awards stay issued."""
    _access_issuing(actor, job)
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.RUNNING:
            raise Conflict(
                gettext("The job is %(status)s; only a running job is cancelled.")
                % {"status": in_sentence(job.get_status_display())},
                code="bulk.not_running",
                field="status",
            )
        job.status = JobStatus.CANCELLED
        job.save(update_fields=["status"])
        record_event(
            actor=actor, action="bulk.cancel", organisation=job.organisation, target=job, now=now
        )
    return job


def resume_job(*, actor: User, job: BulkJob, now: datetime | None = None) -> BulkJob:
    """Run a cancelled job again, or restart one whose workers stopped (killed, say).

    Items a worker claimed and did not mark are freed and issued again; rows already
    issued are not issued twice: each has its item's idempotency key.
    """
    _access_issuing(actor, job)
    now = now or timezone.now()
    with transaction.atomic():
        job = BulkJob.objects.select_for_update().get(pk=job.pk)
        if job.status == JobStatus.FINISHED:
            raise Conflict(
                gettext("The job is finished; every row was issued or failed."),
                code="bulk.finished",
                field="status",
            )
        job.status = JobStatus.RUNNING
        job.started_at = now
        job.save(update_fields=["status", "started_at"])
        _free_claims(job)
        record_event(
            actor=actor, action="bulk.resume", organisation=job.organisation, target=job, now=now
        )
        _enqueue(job)
    return job


def requeue_running_jobs() -> int:
    """Queue the running jobs again and free their claimed items (a worker starting after a
    crash); return how many.

    Safe when their tasks still run: workers share a job's items and issue each once, and a
    worker whose claim was freed leaves the item's mark to the worker that claims it next.
    """
    count = 0
    with transaction.atomic():
        for job in BulkJob.objects.filter(status=JobStatus.RUNNING):
            _free_claims(job)
            _enqueue(job)
            count += 1
    return count


def _free_claims(job: BulkJob) -> None:
    """Make the job's claimed items pending again, for the next worker to issue."""
    BulkItem.objects.filter(job=job, status=ItemStatus.CLAIMED).update(
        status=ItemStatus.PENDING, claim="", claimed_at=None
    )


def _access_issuing(actor: User, job: BulkJob) -> None:
    try:
        awards.access_issuing(actor, job.organisation.slug)
    except NotFound:
        raise NotFound(f"No bulk job {job.uuid}.", field="job") from None


# -- working ---------------------------------------------------------------------------------


def process_job(
    job_uuid: uuid.UUID | str,
    *,
    on_batch: Callable[[Progress], None] | None = None,
) -> None:
    """Issue the job's pending items batch by batch until none is left or it is cancelled.

    What a worker runs (any number at once); ``on_batch`` hears the progress after each.
    """
    job = BulkJob.objects.select_related("organisation", "created_by").get(uuid=job_uuid)
    while BulkJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).exists():
        if not _process_batch(job):
            break
        if on_batch is not None:
            on_batch(get_progress(job))
    _finish_if_done(job)


def _process_batch(job: BulkJob) -> bool:
    """Claim a batch of items, issue it, then mark it; False when no item was free.

    Three steps, so that no lock is held while the batch is signed: the claim
    and the mark are short transactions of their own, and ``issue_awards``
    reserves its status-list indexes and stores its awards in its own. A
    worker killed between the claim and the mark leaves its items claimed
    until the job is resumed (or its claim goes stale): they are then issued
    again, and their idempotency keys return the awards issued the first time.
    """
    now = timezone.now()
    with _cycle_collector_paused():
        claim, items = _claim_batch(job, now=now)
        if not items:
            return False
        issued: list[tuple[BulkItem, Any]] = []
        by_version: dict[int, list[BulkItem]] = {}
        for item in items:
            by_version.setdefault(item.version_id or 0, []).append(item)
        for group in by_version.values():
            issued += _issue_group(job, group, now=now)
        _mark_batch(claim, items, issued, now=now)
    return True


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a batch is issued.

    A batch keeps hundreds of thousands of new objects alive until it is marked (each
    credential as built, as signed, as read back to be verified). The collector counts them
    as objects that may be garbage and walks the worker's whole heap several times a
    batch, for nothing: that took a fifth of a worker's CPU. They are freed by reference
    counting; the few cycles a batch may leave are collected after it, and a batch is
    bounded (``BULK_BATCH_SIZE`` rows).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _claim_batch(job: BulkJob, *, now: datetime) -> tuple[str, list[BulkItem]]:
    """Claim the next pending items (or items of a stale claim) for this worker; return the
    claim's token and the items."""
    claim = uuid.uuid4().hex
    free = Q(status=ItemStatus.PENDING) | Q(
        status=ItemStatus.CLAIMED, claimed_at__lt=now - _setting("CLAIM_TIMEOUT")
    )
    with transaction.atomic():
        items = list(
            BulkItem.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("version__microcredential__organisation")
            .filter(free, job=job)
            .order_by("line")[: _setting("BATCH_SIZE")]
        )
        BulkItem.objects.filter(pk__in=[item.pk for item in items]).update(
            status=ItemStatus.CLAIMED, claim=claim, claimed_at=now
        )
    return claim, items


def _mark_batch(
    claim: str, items: list[BulkItem], issued: list[tuple[BulkItem, Any]], *, now: datetime
) -> None:
    """Store each item's outcome, if the claim is still this worker's, and queue the email to
    the learners of the awards whose items were not emailed before, in the same transaction.

    The emails are a task of their own (:func:`microcred.bulk.tasks.email_learners`), which
    a worker runs once the marks commit and it is free: a mail server's pace (seconds for a
    batch's messages over SMTP) or failure never holds or stops the issuing.

    What all items share is written with one UPDATE each; only the award and the error,
    which differ from item to item, are written item by item (in one statement each).
    """
    with transaction.atomic():
        # Locked, so that a resume freeing the claim waits for the mark or comes before it.
        held = set(
            BulkItem.objects.select_for_update()
            .filter(pk__in=[item.pk for item in items], status=ItemStatus.CLAIMED, claim=claim)
            .values_list("pk", flat=True)
        )
        done = {"claim": "", "claimed_at": None, "processed_at": now}
        succeeded = [item for item, _ in issued if item.pk in held]
        failed = [item for item in items if item.pk in held and item.status == ItemStatus.FAILED]
        BulkItem.objects.bulk_update(succeeded, ["award_uuid"])
        BulkItem.objects.filter(pk__in=[item.pk for item in succeeded]).update(
            status=ItemStatus.ISSUED, **done
        )
        BulkItem.objects.bulk_update(failed, ["error", "error_field"])
        BulkItem.objects.filter(pk__in=[item.pk for item in failed]).update(
            status=ItemStatus.FAILED, **done
        )
        # An item is emailed once: the mark commits with the task that sends it.
        to_email = [
            (item, award)
            for item, award in issued
            if item.pk in held and award.learner_email and item.emailed_at is None
        ]
        BulkItem.objects.filter(pk__in=[item.pk for item, _ in to_email]).update(emailed_at=now)
        if to_email:
            from microcred.bulk.tasks import email_learners

            email_learners.enqueue([str(award.uuid) for _, award in to_email])


def _issue_group(
    job: BulkJob, items: list[BulkItem], *, now: datetime
) -> list[tuple[BulkItem, Any]]:
    """Issue items of one version: all in one call, or, when one fails, each alone; return
    each issued item with its award."""
    version = items[0].version
    requests = []
    good = []
    for item in items:
        try:
            requests.append(
                _request(version, item.data, format=job.format, key=_item_key(job, item))
            )
            good.append(item)
        except InvalidInput as error:
            _fail(item, error)
    try:
        issued = awards.issue_awards(
            actor=job.created_by, version=version, requests=requests, now=now
        )
    except (Forbidden, NotFound) as error:
        for item in good:
            _fail(item, error)
        return []
    except MicrocredError:
        pairs = []
        for item, request in zip(good, requests, strict=True):
            try:
                (award,) = awards.issue_awards(
                    actor=job.created_by, version=version, requests=[request], now=now
                )
            except MicrocredError as error:
                _fail(item, error)
            else:
                pairs.append(_succeed(item, award))
        return pairs
    return [_succeed(item, award) for item, award in zip(good, issued, strict=True)]


def _item_key(job: BulkJob, item: BulkItem) -> str:
    return f"bulk:{job.uuid}:{item.line}"


def _succeed(item: BulkItem, award: Any) -> tuple[BulkItem, Any]:
    item.status = ItemStatus.ISSUED
    item.award_uuid = award.uuid
    return item, award


def _fail(item: BulkItem, error: MicrocredError) -> None:
    item.status = ItemStatus.FAILED
    item.error_field = _column(error.field)
    item.error = error.message


def _finish_if_done(job: BulkJob) -> None:
    """Mark the job finished once no item is pending or claimed (once, whichever worker sees
    it)."""
    if BulkItem.objects.filter(
        job=job, status__in=(ItemStatus.PENDING, ItemStatus.CLAIMED)
    ).exists():
        return
    now = timezone.now()
    with transaction.atomic():
        if BulkJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FINISHED, finished_at=now
        ):
            progress = get_progress(job)
            record_event(
                actor=job.created_by,
                action="bulk.finish",
                organisation=job.organisation,
                target=job,
                data={"issued": progress.issued, "failed": progress.failed},
                now=now,
            )


# -- reading ---------------------------------------------------------------------------------


def access_job(actor: User, organisation_slug: str, job_uuid: uuid.UUID | str) -> BulkJob:
    """Return the organisation's job if ``actor`` may issue its awards."""
    organisation = awards.access_issuing(actor, organisation_slug)
    try:
        return BulkJob.objects.select_related("organisation", "created_by").get(
            organisation=organisation, uuid=uuid.UUID(str(job_uuid))
        )
    except (ValueError, BulkJob.DoesNotExist):
        raise NotFound(f"No bulk job {job_uuid}.", field="job") from None


def list_jobs(*, actor: User, organisation_slug: str) -> QuerySet[BulkJob]:
    """Return the organisation's jobs, newest first, for its registrars."""
    organisation = awards.access_issuing(actor, organisation_slug)
    return BulkJob.objects.filter(organisation=organisation).select_related("created_by")


def get_progress(job: BulkJob, *, now: datetime | None = None) -> Progress:
    """Return how far ``job`` is (read fresh from the database)."""
    now = now or timezone.now()
    status = BulkJob.objects.values_list("status", flat=True).get(pk=job.pk)
    counts = dict(
        BulkItem.objects.filter(job=job)
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    issued = counts.get(ItemStatus.ISSUED, 0)
    failed = counts.get(ItemStatus.FAILED, 0)
    remaining = counts.get(ItemStatus.PENDING, 0) + counts.get(ItemStatus.CLAIMED, 0)
    recent = BulkItem.objects.filter(job=job, processed_at__gte=now - RATE_WINDOW).aggregate(
        count=Count("pk"), first=Min("processed_at")
    )
    rate = 0.0
    if recent["count"]:
        # The first batch of the window counts from when the job (re)started, if later.
        since = min(recent["first"], max(job.started_at, now - RATE_WINDOW))
        rate = recent["count"] / max((now - since).total_seconds(), 1.0)
    seconds_left = None
    if status == JobStatus.RUNNING and rate > 0:
        seconds_left = remaining / rate
    elif status == JobStatus.FINISHED:
        seconds_left = 0.0
    return Progress(status, job.total, issued, failed, remaining, rate, seconds_left)


def report_rows(job: BulkJob) -> Iterator[list[str]]:
    """Yield the job's report as CSV rows: a header, then each row's outcome by line.

    A cell that a spreadsheet would run as a formula is quoted with a leading ``'``.
    """
    yield ["line", "learner_email", "learner_did", "learner_name", "status", "credential", "error"]
    items: Iterable[BulkItem] = (
        BulkItem.objects.filter(job=job).order_by("line").iterator(chunk_size=2000)
    )
    for item in items:
        credential = (
            public_urls.credential_url(item.award_uuid) if item.award_uuid is not None else ""
        )
        error = f"{item.error_field}: {item.error}" if item.error else ""
        yield [
            _cell(value)
            for value in (
                str(item.line),
                item.data.get("learner_email", ""),
                item.data.get("learner_did", ""),
                item.data.get("learner_name", ""),
                item.status,
                credential,
                error,
            )
        ]


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value
