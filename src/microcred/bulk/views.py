"""Staff pages of bulk issuing: upload a CSV, follow a job's progress, cancel, resume, report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.awards import services as awards
from microcred.bulk import services
from microcred.bulk.api import report_response
from microcred.bulk.forms import UploadForm
from microcred.core.pages import studio_page
from microcred.errors import Conflict, InvalidInput
from microcred.text import translated

ACTIONS = {"cancel": services.cancel_job, "resume": services.resume_job}


@studio_page
def studio_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The jobs and the upload form; an upload is authorised by ``start_job`` (before the file
    is read), and a form that is not valid is shown again once ``list_jobs`` has authorised."""
    if request.method != "POST":
        return _list_page(request, slug, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, slug, form, status=400)
    upload = form.cleaned_data["file"]
    errors: list[dict[str, Any]] = []
    try:
        started = services.start_job(
            actor=request.user,
            organisation_slug=slug,
            rows=lambda: services.read_csv(upload.read(services.MAX_BYTES + 1)),
            name=upload.name or "upload.csv",
            format=form.cleaned_data["format"],
            good_rows_only=form.cleaned_data["good_rows_only"],
        )
    except InvalidInput as error:
        form.add_error("file", translated(error.message))
        errors = error.data.get("errors", [])
        return _list_page(request, slug, form, status=400, errors=errors)
    if not started.created:
        messages.info(
            request,
            gettext("This file was uploaded before: nothing new was issued. Here is that job."),
        )
    elif started.errors:
        messages.warning(
            request,
            gettext(
                "%(count)s bad row(s) are reported below and will not be issued; "
                "the good rows are being issued."
            )
            % {"count": len(started.errors)},
        )
    else:
        messages.success(request, gettext("Every row is right; the credentials are being issued."))
    return redirect(_detail_url(slug, started.job))


def _list_page(
    request: AuthenticatedHttpRequest,
    slug: str,
    form: UploadForm,
    *,
    status: int = 200,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    jobs = services.list_jobs(actor=request.user, organisation_slug=slug)[:100]
    context = {
        "organisation": awards.access_issuing(request.user, slug),
        "jobs": [(job, services.get_progress(job)) for job in jobs],
        "form": form,
        "errors": errors or [],
        "columns": services.COLUMNS,
    }
    return render(request, "bulk/list.html", context, status=status)


@studio_page
@require_GET
def studio_detail(request: AuthenticatedHttpRequest, slug: str, job_uuid: str) -> HttpResponse:
    job = services.access_job(request.user, slug, job_uuid)
    context = {
        "organisation": job.organisation,
        "job": job,
        "progress": services.get_progress(job),
        "failures": job.items.filter(status="failed").order_by("line")[:200],
        "api_url": f"/api/v1/orgs/{slug}/bulk-jobs/{job.uuid}",
    }
    return render(request, "bulk/detail.html", context)


@studio_page
@require_GET
def studio_report(
    request: AuthenticatedHttpRequest, slug: str, job_uuid: str
) -> StreamingHttpResponse:
    return report_response(services.access_job(request.user, slug, job_uuid))


@studio_page
@require_POST
def studio_action(
    request: AuthenticatedHttpRequest, slug: str, job_uuid: str, action: str
) -> HttpResponse:
    change = ACTIONS.get(action)
    if change is None:
        raise Http404(f"No action {action!r}; there are cancel and resume.")
    job = services.access_job(request.user, slug, job_uuid)
    try:
        change(actor=request.user, job=job)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("Cancelled.") if action == "cancel" else gettext("Resumed.")
        )
    return redirect(_detail_url(slug, job))


def _detail_url(slug: str, job: Any) -> str:
    return reverse("bulk:studio-detail", kwargs={"slug": slug, "job_uuid": job.uuid})
