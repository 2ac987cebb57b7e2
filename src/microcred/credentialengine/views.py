"""Credential Engine pages: the public CTDL documents and the staff's publishing page.

Thin: each view calls one service and renders or redirects.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.core.pages import studio_page
from microcred.credentialengine import services
from microcred.errors import NotFound


def _json_ld(document: dict[str, Any]) -> JsonResponse:
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"indent": 2}
    )


@require_GET
def organisation_graph(request: HttpRequest, org: str) -> JsonResponse:
    """The organisation, its micro-credentials and its pathways as one CTDL graph."""
    try:
        return _json_ld(services.get_organisation_graph(org))
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
def version_graph(request: HttpRequest, org: str, slug: str, number: int) -> JsonResponse:
    """One public version of a micro-credential as CTDL."""
    try:
        return _json_ld(services.get_version_graph(org, slug, number))
    except NotFound as error:
        raise Http404(error.message) from error


@studio_page
@require_GET
def studio(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """What was published to Credential Engine, what the registry answered, and the button."""
    organisation, publications = services.get_publications(actor=request.user, organisation=slug)
    context = {
        "organisation": organisation,
        "publications": publications,
        "configured": services.is_configured(),
        "graph_url": services.graph_url(organisation.slug),
    }
    return render(request, "credentialengine/studio.html", context)


@studio_page
@require_POST
def studio_publish(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    try:
        publication = services.publish(actor=request.user, organisation=slug)
    except (services.RegistryNotConfigured, services.RegistryUnreachable) as error:
        messages.error(request, error.message)
    else:
        if publication.successful:
            messages.success(request, gettext("Credential Engine accepted the graph."))
        else:
            messages.error(
                request,
                gettext("Credential Engine refused the graph: %(messages)s")
                % {"messages": " ".join(publication.messages)},
            )
    return redirect("credentialengine:studio", slug)
