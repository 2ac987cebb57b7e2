"""Pages of the site that belong to no single part of the life cycle."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from microcred.site.api import api


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


def openapi(request: HttpRequest) -> JsonResponse:
    """The API's OpenAPI document at the stable address /api/openapi.json."""
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))


def api_docs(request: HttpRequest) -> HttpResponse:
    return redirect("/api/v1/docs")
