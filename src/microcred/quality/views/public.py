"""Public quality pages: a version's QA report and an issuer's quality page; no account needed."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import path
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from microcred.errors import NotFound
from microcred.organisations import services as organisations
from microcred.quality import report as reports

JSON_TYPES = ("application/json", "application/ld+json")


@require_GET
def report(
    request: HttpRequest, organisation: str, slug: str, number: int, suffix: str = ""
) -> HttpResponse:
    """The QA report of a published version: a page, or JSON (``.json`` or ``Accept``)."""
    try:
        found = reports.get_report(organisation=organisation, slug=slug, number=number)
    except NotFound as error:
        raise Http404(error.message) from error
    wanted = request.get_preferred_type(["text/html", *JSON_TYPES])
    if suffix == ".json" or wanted in JSON_TYPES:
        response: HttpResponse = JsonResponse(found.as_dict(), json_dumps_params={"indent": 2})
    else:
        response = render(request, "quality/public/report.html", {"report": found})
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
def issuer(request: HttpRequest, organisation: str) -> HttpResponse:
    """An issuer's quality page: its QA process, accreditations, vetting and figures."""
    try:
        found = organisations.get_organisation(organisation)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(
        request, "quality/public/issuer.html", {"quality": reports.get_issuer_quality(found)}
    )


REPORT = "qa/<slug:organisation>/<slug:slug>/v<int:number>"

urlpatterns = [
    path("qa/<slug:organisation>/", issuer, name="issuer"),
    path(REPORT + "/", report, name="report"),
    path(REPORT + ".json", report, {"suffix": ".json"}, name="report-json"),
]
