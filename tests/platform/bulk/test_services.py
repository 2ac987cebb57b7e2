"""Bulk issuing through its services: rows checked by line, all-or-nothing or the good rows,
each row issued once, a file uploaded again issuing nothing, cancel and resume, the report,
emails sent once per award."""

from __future__ import annotations

import gc

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from microcred.awards import services as awards
from microcred.awards.models import Award
from microcred.bulk import services
from microcred.bulk.models import BulkItem, ItemStatus, JobStatus
from microcred.bulk.tasks import email_learners
from microcred.errors import Conflict, Forbidden, InvalidInput
from tests.platform.awards.factories import make_issuer, make_version
from tests.platform.bulk.factories import csv_file, rows, send_queued_emails, start, work
from tests.platform.factories import add_member, make_user


@pytest.fixture
def issuer():
    return make_issuer()


def status_indexes(awards_issued) -> list[str]:
    return [
        awards.get_credential_document(award)["credentialStatus"]["statusListIndex"]
        for award in awards_issued
    ]


def test_a_good_file_issues_one_verified_award_per_row(issuer) -> None:
    organisation, registrar, version = issuer
    started = start(registrar, organisation, rows(version, 5))
    assert started.created and not started.errors
    assert services.get_progress(started.job).remaining == 5
    work(started.job)
    progress = services.get_progress(started.job)
    assert (progress.status, progress.issued, progress.failed, progress.remaining) == (
        JobStatus.FINISHED,
        5,
        0,
        0,
    )
    issued = list(Award.objects.filter(organisation=organisation).order_by("learner_email"))
    assert [award.learner_email for award in issued] == [
        f"learner{n}@example.org" for n in range(1, 6)
    ]
    assert all(awards.verify_award(award).verified for award in issued)
    assert len(set(status_indexes(issued))) == 5
    assert issued[0].result == {"grade": "Pass"}


def test_bad_rows_are_named_by_their_line_and_nothing_is_issued(issuer) -> None:
    organisation, registrar, version = issuer
    table = rows(version, 4)
    table[1]["learner_email"] = "not-an-address"
    table[2]["version"] = "5b8c6f2e-0000-4000-8000-000000000000"
    table[3]["learner_email"] = table[0]["learner_email"]
    with pytest.raises(InvalidInput) as caught:
        start(registrar, organisation, table)
    assert caught.value.code == "bulk.invalid_rows"
    errors = caught.value.data["errors"]
    assert [(error["line"], error["column"]) for error in errors] == [
        (3, "learner_email"),
        (4, "version"),
        (5, "learner_email"),
    ]
    assert "line 2" in errors[2]["message"]
    assert caught.value.message.startswith("3 row(s) with problems; nothing was issued. Line 3")
    assert not Award.objects.exists() and not BulkItem.objects.exists()


def test_good_rows_mode_issues_the_good_rows_and_reports_the_bad(issuer) -> None:
    organisation, registrar, version = issuer
    table = rows(version, 3)
    table[1]["evidence"] = "javascript:alert(1)"
    started = start(registrar, organisation, table, good_rows_only=True)
    assert [(error.line, error.column) for error in started.errors] == [(3, "evidence")]
    work(started.job)
    progress = services.get_progress(started.job)
    assert (progress.issued, progress.failed, progress.status) == (2, 1, JobStatus.FINISHED)
    lines = list(services.report_rows(started.job))
    assert lines[0] == [
        "line",
        "learner_email",
        "learner_did",
        "learner_name",
        "status",
        "credential",
        "error",
    ]
    assert [(row[0], row[4]) for row in lines[1:]] == [
        ("2", "issued"),
        ("3", "failed"),
        ("4", "issued"),
    ]
    award = Award.objects.get(learner_email="learner1@example.org")
    assert lines[1][5] == awards.credential_url(award)
    assert lines[2][6].startswith("evidence: evidence[0].id must be a web address")


def test_good_rows_mode_with_no_good_row_starts_nothing(issuer) -> None:
    organisation, registrar, version = issuer
    table = rows(version, 2)
    for row in table:
        row["learner_email"] = ""
    with pytest.raises(InvalidInput, match="no row can be issued"):
        start(registrar, organisation, table, good_rows_only=True)


def test_the_same_file_uploaded_again_issues_nothing_new(issuer) -> None:
    organisation, registrar, version = issuer
    first = start(registrar, organisation, rows(version, 3))
    work(first.job)
    again = start(registrar, organisation, rows(version, 3))
    assert not again.created and again.job == first.job
    work(again.job)
    assert Award.objects.count() == 3


def test_a_job_processed_twice_or_by_two_workers_issues_each_row_once(issuer) -> None:
    organisation, registrar, version = issuer
    started = start(registrar, organisation, rows(version, 4))
    work(started.job)
    BulkItem.objects.filter(job=started.job).update(status=ItemStatus.PENDING)
    # As after a crash between issuing and marking: the keys return the awards issued first.
    started.job.status = JobStatus.RUNNING
    started.job.save()
    work(started.job)
    assert Award.objects.count() == 4
    assert BulkItem.objects.filter(status=ItemStatus.ISSUED).count() == 4


def test_cancel_stops_and_resume_finishes(issuer, settings) -> None:
    settings.BULK_BATCH_SIZE = 2
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, 5)).job
    cancelled = []

    def cancel_after_first_batch(progress: services.Progress) -> None:
        if not cancelled:
            cancelled.append(services.cancel_job(actor=registrar, job=job))

    services.process_job(job.uuid, on_batch=cancel_after_first_batch)
    progress = services.get_progress(job)
    assert (progress.status, progress.issued, progress.remaining) == (JobStatus.CANCELLED, 2, 3)
    assert progress.seconds_left is None
    with pytest.raises(Conflict):
        services.cancel_job(actor=registrar, job=job)
    services.resume_job(actor=registrar, job=job)
    work(job)
    progress = services.get_progress(job)
    assert (progress.status, progress.issued, progress.remaining) == (JobStatus.FINISHED, 5, 0)
    assert progress.seconds_left == 0
    with pytest.raises(Conflict, match="finished"):
        services.resume_job(actor=registrar, job=job)


def test_learners_are_emailed_once_per_award(
    issuer, settings, django_capture_on_commit_callbacks
) -> None:
    settings.BULK_BATCH_SIZE = 2
    organisation, registrar, version = issuer
    table = rows(version, 3)
    table.append(
        {"version": str(version.achievement_uuid), "learner_did": "did:web:learner.example"}
    )
    job = start(registrar, organisation, table).job
    with django_capture_on_commit_callbacks(execute=True):
        work(job)
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"learner{n}@example.org" for n in range(1, 4)
    ]
    for message in mail.outbox:
        award = Award.objects.get(learner_email=message.to[0])
        assert awards.credential_url(award) in message.body
    BulkItem.objects.filter(job=job).update(status=ItemStatus.PENDING)
    job.status = JobStatus.RUNNING
    job.save()
    with django_capture_on_commit_callbacks(execute=True):
        work(job)
    # The rows are issued already: their awards come back, and no learner hears twice.
    assert len(mail.outbox) == 3


def test_rows_of_several_versions_are_issued_against_each(issuer) -> None:
    organisation, registrar, version = issuer
    other = make_version(organisation)
    job = start(registrar, organisation, rows(version, 2) + rows(other, 2, start=3)).job
    work(job)
    assert sorted(Award.objects.values_list("version_id", flat=True)) == sorted(
        [version.pk, version.pk, other.pk, other.pk]
    )


def test_only_registrars_start_and_change_jobs(issuer) -> None:
    organisation, registrar, version = issuer
    designer = add_member(organisation, make_user(password=None), "designer")
    with pytest.raises(Forbidden):
        start(designer, organisation, rows(version, 1))
    job = start(registrar, organisation, rows(version, 1)).job
    with pytest.raises(Forbidden):
        services.cancel_job(actor=designer, job=job)


@pytest.mark.parametrize(
    ("content", "code", "text"),
    [
        (b"", "bulk.no_header", "no header"),
        (b"version,learner_email\n", "bulk.empty", "no rows"),
        (b"version,learner_email,colour\nx,y,z\n", "bulk.unknown_column", "'colour'"),
        (b"learner_email\nada@example.org\n", "bulk.missing_column", "'version'"),
        (b"version,learner_name\nx,Ada\n", "bulk.missing_column", "learner_email"),
        (b"version,version\nx,y\n", "bulk.repeated_column", "named twice"),
        (b"version,learner_email\nx,y,z\n", "bulk.extra_cells", "Line 2 has 3 cells"),
        (b"version,learner_email\n\xff\xfe\n", "bulk.not_utf8", "not UTF-8"),
        (b"version,learner_email\n\x00\n", "bulk.not_csv", "not CSV"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_the_reason(content, code, text) -> None:
    with pytest.raises(InvalidInput, match=text) as caught:
        services.read_csv(content)
    assert caught.value.code == code
    assert caught.value.field == "file"


def test_row_and_size_limits(settings, issuer) -> None:
    _, _, version = issuer
    settings.BULK_MAX_ROWS = 3
    with pytest.raises(InvalidInput, match="More than 3 rows") as caught:
        services.read_csv(csv_file(rows(version, 4)))
    assert caught.value.code == "bulk.too_many_rows"
    assert len(services.read_csv(csv_file(rows(version, 3)))) == 3
    settings.BULK_MAX_BYTES = 100
    with pytest.raises(InvalidInput, match="larger than") as caught:
        services.read_csv(csv_file(rows(version, 3)))
    assert caught.value.code == "bulk.too_large"


def test_lines_count_blank_lines_and_quoted_line_breaks() -> None:
    content = b'version,learner_email,narrative\n\nv,a@example.org,"two\nlines"\nv,b@example.org,\n'
    assert [line for line, _ in services.read_csv(content)] == [3, 5]


@pytest.mark.parametrize(
    ("rows_given", "field"),
    [
        ([], "rows"),
        ("rows", "rows"),
        ([1], "rows[0]"),
        ([{"version": "v", "colour": "red"}], "rows[0].colour"),
        ([{"version": "v"}, {"version": ["v"]}], "rows[1].version"),
    ],
)
def test_json_rows_are_refused_naming_the_row(rows_given, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.read_rows(rows_given)
    assert caught.value.field == field


def test_report_cells_cannot_run_as_formulas(issuer) -> None:
    organisation, registrar, version = issuer
    table = rows(version, 1)
    table[0]["learner_name"] = '=HYPERLINK("http://evil.example")'
    job = start(registrar, organisation, table).job
    assert list(services.report_rows(job))[1][3] == '\'=HYPERLINK("http://evil.example")'


def test_a_batch_is_issued_without_the_cycle_collector_which_runs_again_after(
    issuer, monkeypatch
) -> None:
    """The collector walked the worker's whole heap several times a batch for the batch's
    own live objects (a fifth of a worker's CPU): it is paused while a batch is issued, and
    back on after, even when the batch fails."""
    organisation, registrar, version = issuer
    seen: list[bool] = []
    issue_awards = awards.issue_awards

    def issuing(**arguments):
        seen.append(gc.isenabled())
        if len(seen) == 1:
            raise RuntimeError("the database went away")
        return issue_awards(**arguments)

    monkeypatch.setattr(awards, "issue_awards", issuing)
    job = start(registrar, organisation, rows(version, 2)).job
    with pytest.raises(RuntimeError):
        work(job)
    assert gc.isenabled()
    services.resume_job(actor=registrar, job=job)
    work(job)
    assert seen == [False, False]
    assert gc.isenabled()
    assert services.get_progress(job).issued == 2


def test_a_batchs_emails_are_a_task_queued_with_its_marks_and_sent_by_it(
    issuer, settings, monkeypatch
) -> None:
    """Issuing sends no email: each batch queues a task that emails its learners, so a mail
    server's pace or failure never holds or stops the issuing."""
    settings.BULK_BATCH_SIZE = 2
    organisation, registrar, version = issuer
    job = start(registrar, organisation, rows(version, 3)).job

    def mail_server_down(award_uuids) -> None:
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr(awards, "notify_learners_of", mail_server_down)
    services.process_job(job.uuid)
    assert services.get_progress(job).status == JobStatus.FINISHED
    assert mail.outbox == []
    queued = DBTaskResult.objects.filter(task_path=email_learners.module_path)
    assert sorted(len(task.args_kwargs["args"][0]) for task in queued) == [1, 2]
    monkeypatch.undo()
    send_queued_emails()
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"learner{n}@example.org" for n in range(1, 4)
    ]
