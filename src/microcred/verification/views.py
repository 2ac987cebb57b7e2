"""The public page where anyone verifies a credential, no account needed."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext

from microcred.text import translated
from microcred.vc.errors import InputError
from microcred.verification import services
from microcred.verification.forms import VerifyForm


def verify(request: HttpRequest) -> HttpResponse:
    reports = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            data, source = form.payload()
            try:
                reports = [
                    (report, services.describe_credential(report, email=form.cleaned_data["email"]))
                    for report in services.verify_payload(data=data, source=source)
                ]
            except InputError as error:
                form.add_error(None, translated(error.message))
                status = 400
        else:
            status = 400
    else:
        form = VerifyForm(initial={"credential": _sample_text(request.GET.get("sample"))})
    return render(
        request,
        "verification/verify.html",
        {"form": form, "reports": reports, "samples": services.get_samples()},
        status=status,
    )


def too_large(request: HttpRequest) -> HttpResponse:
    """Answer a submission over the size limit: the page, empty, saying what the limit is."""
    limit = settings.VERIFY_MAX_UPLOAD_BYTES
    error = gettext(
        "What you sent is too large to verify: credentials and files up to %(bytes)s bytes "
        "(%(megabytes)s MB) are accepted."
    ) % {
        "bytes": number_format(limit, force_grouping=True),
        "megabytes": number_format(f"{limit / 1024 / 1024:g}"),
    }
    return render(
        request,
        "verification/verify.html",
        {"form": VerifyForm(), "error": error, "samples": services.get_samples()},
        status=413,
    )


def _sample_text(name: str | None) -> str:
    """Return a text sample (JSON or JWT) to prefill the form with, or nothing."""
    if not name or name.endswith((".png", ".svg")):
        return ""
    data = services.get_sample(name)
    return data.decode("utf-8") if data is not None else ""


def sample(request: HttpRequest, name: str) -> HttpResponse:
    """Download a demo sample (JSON, JWT or baked image)."""
    data = services.get_sample(name)
    if data is None:
        raise Http404(gettext("No such sample."))
    content_type = mimetypes.guess_type(name)[0] or "text/plain"
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
