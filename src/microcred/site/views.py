"""Pages of the site that belong to no single part of the life cycle."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

from microcred.catalogue import services as catalogue
from microcred.core.api import api

FEATURED = 6


def home(request: HttpRequest) -> HttpResponse:
    """The front door: search the catalogue, see what is published, verify a credential."""
    listed = catalogue.search_catalogue(limit=FEATURED, count=True)
    return render(request, "home.html", {"featured": listed.versions, "published": listed.count})


def openapi(request: HttpRequest) -> JsonResponse:
    """The API's OpenAPI document at the stable address /api/openapi.json."""
    return JsonResponse(api.get_openapi_schema(path_prefix="/api/v1/"))


def api_docs(request: HttpRequest) -> HttpResponse:
    """The API's documentation: Swagger UI, served from django-ninja's static files (no CDN)."""
    return redirect("/api/v1/docs")


def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, where browsers and feed readers look first, is the static icon."""
    return redirect(static("microcred/favicon.ico"), permanent=True)


# -- error pages (handler400, handler403, handler404, handler500 of the root URLconf) --------


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The page of a crash. It reads nothing from the database, which may be what broke: the
    template gets no signed-in user, so the header offers to sign in. It is in the visitor's
    language all the same, which the page's ``lang`` says."""
    context = {
        "request": request,
        "previous": previous_page(request),
        "LANGUAGE_CODE": translation.get_language(),
    }
    return HttpResponseServerError(loader.render_to_string("500.html", context))


def _error_page(request: HttpRequest, template: str, *, status: int) -> HttpResponse:
    return render(request, template, {"previous": previous_page(request)}, status=status)


def previous_page(request: HttpRequest) -> str | None:
    """The page of this site the visitor came from (its ``Referer``), to offer a way back;
    None when they came from elsewhere, typed the address, or came from this very page."""
    referer = request.headers.get("Referer", "")
    if referer == request.build_absolute_uri() or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return referer
