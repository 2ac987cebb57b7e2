"""Pathway pages: the public list and diagram, the CTDL export, the learner's and the staff's.

Thin: each view parses, calls one service with an explicit actor, and renders.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.services import find_user
from microcred.core.pages import add_error, studio_page
from microcred.errors import InvalidInput, MicrocredError, NotFound
from microcred.organisations import services as organisations
from microcred.pathways import services
from microcred.pathways.forms import ImportCredentialForm, PathwayForm


def _public(organisation: str, slug: str) -> services.Pathway:
    try:
        return services.get_pathway(organisation, slug)
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    organisation = request.GET.get("organisation", "")
    pathways = services.get_published_pathways(organisation)
    return render(request, "pathways/index.html", {"pathways": pathways})


@require_GET
def detail(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    """The pathway's diagram; a signed-in learner sees what they have done and what is missing."""
    pathway = _public(organisation, slug)
    return render(request, "pathways/detail.html", _detail_context(request, pathway))


def _detail_context(request: HttpRequest, pathway: services.Pathway) -> dict[str, Any]:
    context: dict[str, Any] = {"pathway": pathway, "tree": pathway.rules}
    if request.user.is_authenticated:
        progress = services.get_progress(request.user, pathway)
        requests = services.get_learner_requests(request.user, pathway)
        context.update(
            progress=progress,
            tree=_with_states(pathway.rules, progress.components),
            issued=next((item for item in requests if item.award_id), None),
            refused=next((item for item in requests if item.status == "refused"), None),
        )
    return context


def _with_states(node: dict[str, Any], states: dict[str, Any]) -> dict[str, Any]:
    """Return a copy of the rule tree whose components carry the learner's state."""
    if node.get("kind") == "component":
        return {**node, "state": states.get(node["key"])}
    return {
        **node,
        "children": [_with_states(child, states) for child in node.get("children", [])],
        "alternatives": [_with_states(child, states) for child in node.get("alternatives", [])],
    }


@require_GET
def ctdl(request: HttpRequest, organisation: str, slug: str) -> JsonResponse:
    """The pathway as Credential Engine's CTDL JSON-LD."""
    document = services.get_ctdl(_public(organisation, slug))
    return JsonResponse(
        document, content_type="application/ld+json", json_dumps_params={"indent": 2}
    )


@login_required
@require_POST
def request_credential(
    request: AuthenticatedHttpRequest, organisation: str, slug: str
) -> HttpResponse:
    """The learner asks for the stacked credential of a pathway they completed."""
    pathway = _public(organisation, slug)
    try:
        result = services.request_stacked_credential(
            actor=request.user, pathway=pathway, learner=request.user
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        if result.award_id:
            messages.success(request, gettext("Your stacked credential was issued."))
        else:
            messages.error(request, result.refusal)
    return redirect("pathways:detail", organisation, slug)


def credentials(request: HttpRequest) -> HttpResponse:
    """The page where learners added credentials from other issuers moved to the import page."""
    return redirect("pathways:import", permanent=True)


@login_required
def import_credential(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Import a credential from another issuer: it is verified now and listed with the result,
    marked as imported."""
    posted = request.method == "POST"
    form = ImportCredentialForm(request.POST if posted else None, request.FILES if posted else None)
    status = 200
    if posted:
        if form.is_valid():
            try:
                external = services.add_external_credential(
                    actor=request.user, **form.service_arguments()
                )
            except MicrocredError as error:
                add_error(form, error)
                status = 400
            else:
                if external.verified:
                    messages.success(
                        request, gettext("%(name)s verified and was imported.") % {"name": external}
                    )
                else:
                    messages.error(
                        request,
                        gettext(
                            "%(name)s was imported but does not verify; it counts toward nothing."
                        )
                        % {"name": external},
                    )
                return redirect("pathways:import")
        else:
            status = 400
    context = {"form": form, "credentials": services.get_external_credentials(request.user)}
    return render(request, "pathways/import.html", context, status=status)


@login_required
@require_POST
def remove_imported(request: AuthenticatedHttpRequest, external_id: int) -> HttpResponse:
    try:
        services.remove_external_credential(actor=request.user, external_id=external_id)
    except NotFound as error:
        raise Http404(error.message) from error
    messages.success(request, gettext("The imported credential is removed."))
    return redirect("pathways:import")


# -- staff pages ------------------------------------------------------------------------------


@studio_page
def studio_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's pathways and the form for a new one; designers and owners."""
    organisation = organisations.access_organisation(request.user, slug, roles=services.DESIGNERS)
    finding = _finding(request)
    if finding:
        form = PathwayForm(initial=PathwayForm.posted(request.POST), organisation=organisation)
    else:
        form = PathwayForm(request.POST or None, organisation=organisation)
    status = 200
    if request.method == "POST" and not finding:
        if form.is_valid():
            try:
                pathway = services.create_pathway(
                    actor=request.user, organisation=organisation, **form.service_arguments()
                )
            except MicrocredError as error:
                add_error(form, error)
            else:
                messages.success(
                    request, gettext("%(name)s was created as a draft.") % {"name": pathway.name}
                )
                return redirect("pathways:studio-edit", slug, pathway.slug)
        status = 400
    context = {
        "organisation": organisation,
        "pathways": services.get_organisation_pathways(organisation),
        "form": form,
    }
    return render(request, "pathways/studio/list.html", context, status=status)


def _finding(request: HttpRequest) -> bool:
    """Whether the designer pressed Find components: the form comes back with what the
    words find, nothing saved and no field marked wrong."""
    return request.method == "POST" and request.POST.get("action") == "find"


@studio_page
def studio_edit(request: AuthenticatedHttpRequest, slug: str, pathway: str) -> HttpResponse:
    """Edit a pathway's name, target and rules; designers and owners."""
    item = services.access_pathway(request.user, slug, pathway, roles=services.DESIGNERS)
    initial = {
        "name": item.name,
        "slug": item.slug,
        "description": item.description,
        "target": item.target_id,
        "rules": json.dumps(item.rules, indent=2),
    }
    finding = _finding(request)
    if finding:
        initial |= PathwayForm.posted(request.POST)
        form = PathwayForm(organisation=item.organisation, initial=initial)
    else:
        form = PathwayForm(request.POST or None, organisation=item.organisation, initial=initial)
    form.fields["slug"].disabled = True
    status = 200
    if request.method == "POST" and not finding:
        if form.is_valid():
            arguments = form.service_arguments()
            del arguments["slug"]
            try:
                services.update_pathway(actor=request.user, pathway=item, **arguments)
            except MicrocredError as error:
                add_error(form, error)
            else:
                messages.success(request, gettext("The pathway was saved."))
                return redirect("pathways:studio-edit", slug, item.slug)
        status = 400
    context = {"organisation": item.organisation, "pathway": item, "form": form}
    return render(request, "pathways/studio/edit.html", context, status=status)


@studio_page
@require_POST
def studio_publish(request: AuthenticatedHttpRequest, slug: str, pathway: str) -> HttpResponse:
    item = services.access_pathway(request.user, slug, pathway)
    try:
        services.publish_pathway(actor=request.user, pathway=item)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("%(name)s is published.") % {"name": item.name})
    return redirect("pathways:studio-edit", slug, item.slug)


@studio_page
@require_GET
def studio_learners(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The registrar's view: each learner's progress through each published pathway."""
    view = services.get_registrar_view(request.user, slug)
    context = {"organisation": organisations.get_organisation(slug), "view": view}
    return render(request, "pathways/studio/learners.html", context)


@studio_page
@require_POST
def studio_request(
    request: AuthenticatedHttpRequest, slug: str, pathway: str, learner: str
) -> HttpResponse:
    """A registrar asks for a learner's stacked credential."""
    item = services.access_pathway(request.user, slug, pathway)
    holder = find_user(learner)
    if holder is None:
        raise Http404("No such learner.")
    try:
        result = services.request_stacked_credential(
            actor=request.user, pathway=item, learner=holder
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        if result.award_id:
            messages.success(
                request,
                gettext("The stacked credential was issued to %(learner)s.") % {"learner": holder},
            )
        else:
            messages.error(request, result.refusal)
    return redirect(reverse("pathways:studio-learners", args=[slug]))


@studio_page
@require_POST
def studio_clr(
    request: AuthenticatedHttpRequest, slug: str, pathway: str, learner: str
) -> HttpResponse:
    """A registrar issues a learner record (CLR) of a learner's stacked credential."""
    item = services.access_pathway(request.user, slug, pathway, roles=services.REGISTRARS)
    holder = find_user(learner)
    if holder is None:
        raise Http404("No such learner.")
    try:
        record = services.issue_pathway_clr(actor=request.user, pathway=item, learner=holder)
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("Learner record issued: %(id)s") % {"id": services.record_id(record)}
        )
    return redirect(reverse("pathways:studio-learners", args=[slug]))
