"""``microcred bulk-issue``: start (or continue) a bulk job from a CSV file and issue it here,
showing its progress; workers of the task engine, if any run, share the work."""

from __future__ import annotations

import csv
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from microcred.accounts.services import find_user
from microcred.bulk import services
from microcred.errors import NotFound

EXIT_SOME_FAILED = 1


def bulk_issue(
    *,
    organisation: str,
    content: bytes,
    name: str,
    user: str,
    good_rows_only: bool,
    format: str,
    report: Path | None,
    out: Console,
) -> int:
    """Run the job and return the exit code: 0 when every row was issued, 1 when some failed.

    Raises InvalidInput (the file, a row) or NotFound (the user, the organisation) for the
    caller to print. The same file again continues its job where it stopped, or says it is
    done: nothing is issued twice.
    """
    actor = find_user(user)
    if actor is None:
        raise NotFound(f"No user {user!r}.", field="user")
    started = services.start_job(
        actor=actor,
        organisation_slug=organisation,
        rows=lambda: services.read_csv(content),
        name=name,
        format=format,
        good_rows_only=good_rows_only,
    )
    job = started.job
    for error in started.errors:
        out.print(f"line {error.line}, {error.column}: {error.message} (not issued)", markup=False)
    if not started.created:
        out.print(f"This file was started before as job {job.uuid}: nothing is issued twice.")
    progress = services.get_progress(job)
    issued_before = progress.issued
    if progress.status == "cancelled":
        out.print("That job is cancelled; resume it in the studio or the API to finish it.")
    else:
        with Progress(
            TextColumn("Issuing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed, {task.fields[rate]:.1f} rows/s"),
            TimeRemainingColumn(),
            console=out,
            transient=False,
        ) as bar:
            task = bar.add_task(
                "job", total=progress.total, completed=progress.done, failed=progress.failed, rate=0
            )

            def show(now: services.Progress) -> None:
                bar.update(task, completed=now.done, failed=now.failed, rate=now.rate)

            services.process_job(job.uuid, on_batch=show)
            show(services.get_progress(job))
        progress = services.get_progress(job)
    out.print(
        f"Job {job.uuid}: {progress.issued} issued, {progress.failed} failed, "
        f"{progress.remaining} remaining ({progress.status})."
    )
    if progress.issued > issued_before:
        out.print(
            "The learners' emails are queued: a task worker sends them (the one `microcred "
            "serve` starts, or `microcred manage db_worker`).",
            markup=False,
        )
    if report is not None:
        with report.open("w", encoding="utf-8", newline="") as file:
            csv.writer(file).writerows(services.report_rows(job))
        out.print(f"Report written to {report}.", markup=False)
    return EXIT_SOME_FAILED if progress.failed else 0
