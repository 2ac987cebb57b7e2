"""Pages of the site that belong to no single part of the life cycle."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from microcred.catalogue import services as catalogue
from microcred.core.api import api

FEATURED = 6


def home(request: HttpRequest) -> HttpResponse:
    """The front door: search the catalogue, see what is published, verify a credential."""
    versions = catalogue.get_published_versions()
    return render(
        request, "home.html", {"featured": versions[:FEATURED], "published": len(versions)}
    )


def openapi(request: HttpRequest) -> JsonResponse:
    """The API's OpenAPI document at the stable address /api/openapi.json."""
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))


def api_docs(request: HttpRequest) -> HttpResponse:
    return redirect("/api/v1/docs")
