"""Europass pages: ELM exports of versions and credentials, and the studio's import.

Thin: each view calls one service and renders or answers JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.core.pages import add_error, studio_page
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.europass import services
from microcred.europass.forms import ImportForm
from microcred.organisations import services as organisations

# ELM 3.1 is JSON-LD (VC 1.1, checked as RDF); ELM 3.2 is served as JSON (VC 2.0, checked by
# JSON Schema).
SUFFIXES = {"jsonld": ("3.1", "application/ld+json"), "json": ("3.2", "application/json")}


def _document(view: Callable[..., dict[str, Any]]) -> Callable[..., HttpResponse]:
    """Answer the view's document as JSON of the version its suffix names; 404 when absent."""

    @require_GET
    @wraps(view)
    def page(request: HttpRequest, *args: Any, suffix: str, **kwargs: Any) -> HttpResponse:
        if suffix not in SUFFIXES:
            raise Http404(f"No .elm.{suffix}: there are .elm.jsonld (ELM 3.1) and .elm.json (3.2).")
        version, content_type = SUFFIXES[suffix]
        try:
            document = view(request, *args, version=version, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        return JsonResponse(document, content_type=content_type, json_dumps_params={"indent": 2})

    return page


@_document
def version_elm(
    request: HttpRequest, organisation: str, slug: str, version: str, number: int | None = None
) -> dict[str, Any]:
    """A published version as an ELM Qualification or LearningAchievementSpecification."""
    return services.get_version_document(
        organisation=organisation, slug=slug, number=number, version=version
    )


@_document
def credential_elm(request: HttpRequest, award_uuid: str, version: str) -> dict[str, Any]:
    """An award as an (unsealed) European Digital Credential."""
    return services.get_credential_document(str(award_uuid), version=version)


@require_GET
def credential_uploadable(request: HttpRequest, award_uuid: str) -> HttpResponse:
    """The award as a file the EU's EDC issuer accepts, to seal and deliver it there."""
    try:
        document = services.get_uploadable_credential(str(award_uuid))
    except NotFound as error:
        raise Http404(error.message) from error
    except Conflict as error:
        return HttpResponse(error.message, status=409, content_type="text/plain; charset=utf-8")
    response = JsonResponse(document, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="edc-{award_uuid}.json"'
    return response


@studio_page
def studio_import(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload an ELM document; a draft micro-credential is made from it."""
    organisation = organisations.access_organisation(
        request.user, slug, roles=services.IMPORT_ROLES
    )
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > services.MAX_UPLOAD_BYTES:
                data = upload.read(services.MAX_UPLOAD_BYTES + 1)
            else:
                data = upload.read()
            imported = services.import_specification(
                actor=request.user, organisation_slug=slug, data=data
            )
        except InvalidInput as error:
            add_error(form, error)
        else:
            messages.success(
                request, gettext("The draft is made from the ELM document; complete it.")
            )
            for item in imported.left_out:
                messages.warning(request, gettext("Left out: %(item)s.") % {"item": item})
            draft = imported.draft
            return redirect(
                reverse(
                    "catalogue:studio-version",
                    kwargs={
                        "slug": slug,
                        "credential": draft.microcredential.slug,
                        "number": draft.number,
                    },
                )
            )
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "europass/studio_import.html",
        {"organisation": organisation, "form": form, "limit": services.MAX_UPLOAD_BYTES},
        status=status,
    )
