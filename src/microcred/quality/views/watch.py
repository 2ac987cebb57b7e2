"""Pages of the credential inflation watch: one organisation's, and the whole platform's."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.core.pages import studio_page
from microcred.frameworks.watch import MonthCount
from microcred.quality import watch

# The chart's drawing box: one column per month, bars up to the full height; drawn at
# up to PIXELS_PER_MONTH a month, never wider than the page allows.
COLUMN = 12
BAR = 9
HEIGHT = 100
PIXELS_PER_MONTH = 48


@dataclass(frozen=True)
class Bar:
    month: str
    awards: int
    x: int
    y: float
    height: float


def bars(per_month: list[MonthCount]) -> list[Bar]:
    """Return the bars of the awards-per-month chart, scaled to the busiest month."""
    busiest = max((month.awards for month in per_month), default=0) or 1
    found = []
    for number, month in enumerate(per_month):
        height = HEIGHT * month.awards / busiest
        found.append(Bar(month.month, month.awards, number * COLUMN, HEIGHT - height, height))
    return found


def _render(request: HttpRequest, result: watch.Watch) -> HttpResponse:
    context = {
        "watch": result,
        "organisation": result.organisation,
        "bars": bars(result.overall.per_month),
        "busiest": max((month.awards for month in result.overall.per_month), default=0),
        "chart_width": len(result.overall.per_month) * COLUMN,
        "chart_pixels": len(result.overall.per_month) * PIXELS_PER_MONTH,
        "chart_height": HEIGHT,
        "bar_width": BAR,
    }
    return render(request, "quality/watch/watch.html", context)


@studio_page
@require_GET
def organisation_watch(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _render(request, watch.access_organisation_watch(request.user, slug))


@studio_page
@require_GET
def platform_watch(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _render(request, watch.access_platform_watch(request.user))


urlpatterns = [
    path("studio/orgs/<slug:slug>/quality/watch", organisation_watch, name="watch"),
    path("studio/quality/watch", platform_watch, name="platform-watch"),
]
