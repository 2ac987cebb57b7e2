"""The public page where anyone verifies a credential, no account needed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
                reports = services.verify_payload(data=data, source=source)
            except InputError as error:
                form.add_error(None, error.message)
                status = 400
        else:
            status = 400
    else:
        form = VerifyForm()
    return render(
        request, "verification/verify.html", {"form": form, "reports": reports}, status=status
    )
