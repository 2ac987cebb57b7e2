"""Pages of the catalogue: the public catalogue and achievements, and the staff's design pages."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.catalogue import gates, services
from microcred.catalogue.forms import (
    LAST_PAGE,
    DesignForms,
    NewMicroCredentialForm,
    PublishForm,
    SearchForm,
    SkillForm,
    SuggestForm,
    WithdrawForm,
)
from microcred.catalogue.images import content_type
from microcred.catalogue.models import MicroCredentialVersion, VersionStatus
from microcred.core.pages import add_error, studio_page
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.organisations import services as organisations

JSON_TYPES = ("application/ld+json", "application/json")
DOCUMENT_CACHE_SECONDS = 300
SUGGESTIONS = 10


# -- public pages ----------------------------------------------------------------------------


RESULTS_PER_PAGE = 25


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET, choices=services.get_catalogue_choices())
    context: dict[str, Any] = {"form": form, "results": None}
    status = 200
    if form.is_valid():
        filters = {
            name: value
            for name, value in form.cleaned_data.items()
            if value not in ("", None) and name != "page"
        }
        page = form.cleaned_data["page"] or 1
        results = services.search_catalogue(
            **filters, offset=(page - 1) * RESULTS_PER_PAGE, limit=RESULTS_PER_PAGE
        )
        context |= {
            "results": results,
            "page": page,
            "first": results.offset + 1,
            "last": results.offset + len(results.versions),
            "previous_url": _page_url(request, page - 1) if page > 1 else None,
            "next_url": _page_url(request, page + 1) if results.more and page < LAST_PAGE else None,
            "first_page_url": _page_url(request, 1),
        }
    else:
        status = 400
    context["searched"] = any(value for name, value in request.GET.items() if name != "page")
    return render(request, "catalogue/index.html", context, status=status)


def _page_url(request: HttpRequest, page: int) -> str:
    """Return the address of another page of the same search."""
    query = request.GET.copy()
    query.pop("page", None)
    if page > 1:
        query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _public(call: Any, **lookup: Any) -> MicroCredentialVersion:
    try:
        return call(**lookup)
    except NotFound as error:
        raise Http404(error.message) from error


@require_GET
def detail(request: HttpRequest, organisation: str, slug: str) -> HttpResponse:
    version = _public(services.get_version, organisation=organisation, slug=slug)
    return _version_page(request, version)


@require_GET
def version(request: HttpRequest, organisation: str, slug: str, number: int) -> HttpResponse:
    found = _public(services.get_version, organisation=organisation, slug=slug, number=number)
    return _version_page(request, found)


def _version_page(
    request: HttpRequest, version: MicroCredentialVersion, template: str = "catalogue/detail.html"
) -> HttpResponse:
    return render(request, template, _version_context(version))


def _version_context(version: MicroCredentialVersion) -> dict[str, Any]:
    published = [
        other
        for other in services.get_versions(version.microcredential)
        if other.status in services.PUBLIC_STATUSES
    ]
    return {
        "version": version,
        "organisation": version.microcredential.organisation,
        # The learning outcomes have a section of their own: the only element that is a list.
        "annex": [
            (label, value)
            for label, value in services.annex_elements(version, translation.get_language())
            if not isinstance(value, list)
        ],
        "details": services.get_details(version),
        "outcomes": services.get_outcomes(version),
        "credits": services.get_credit_values(version),
        "conversions": services.get_conversions(version),
        "findings": services.check_version_credits(version),
        "rubric": services.get_rubric(version),
        "achievement_id": services.achievement_id(version),
        # Only a public version's achievement answers at its id.
        "achievement_served": version.status in services.PUBLIC_STATUSES,
        "public_versions": published,
        "withdrawn": version.status == VersionStatus.WITHDRAWN,
        **gates.public_context(version),
    }


def _wants_json(request: HttpRequest) -> bool:
    preferred = request.get_preferred_type(["text/html", *JSON_TYPES])
    return preferred in JSON_TYPES


@require_GET
def achievement(request: HttpRequest, achievement: Any, suffix: str = "") -> HttpResponse:
    """Serve a version's Achievement: JSON-LD for machines (``.json`` or ``Accept``), a page
    for people. Drafts are not public."""
    found = _public(services.get_version_by_achievement, achievement_uuid=achievement)
    if suffix == ".json" or _wants_json(request):
        response = JsonResponse(
            services.get_achievement_document(found),
            content_type="application/ld+json",
            json_dumps_params={"indent": 2},
        )
        response["Cache-Control"] = f"public, max-age={DOCUMENT_CACHE_SECONDS}"
        response["Vary"] = "Accept"
        return response
    context = _version_context(found)
    context["document"] = json.dumps(services.get_achievement(found), indent=2, ensure_ascii=False)
    page = render(request, "catalogue/achievement.html", context)
    page["Vary"] = "Accept"
    return page


@require_GET
def achievement_image(request: HttpRequest, achievement: Any) -> FileResponse:
    found = _public(services.get_version_by_achievement, achievement_uuid=achievement)
    image = services.get_image(found)
    if image is None:
        raise Http404("This achievement has no image.")
    response = FileResponse(image.open("rb"), content_type=content_type(image.name or ""))
    response["Cache-Control"] = f"public, max-age={DOCUMENT_CACHE_SECONDS}"
    return response


# -- staff pages -----------------------------------------------------------------------------


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _version_for(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int, *, design: bool
) -> MicroCredentialVersion:
    roles = services.DESIGN_ROLES if design else ()
    return services.access_version(request.user, slug, credential, number, roles=roles)


def _studio_version_url(version: MicroCredentialVersion, name: str = "studio-version") -> str:
    return reverse(
        f"catalogue:{name}",
        kwargs={
            "slug": version.microcredential.organisation.slug,
            "credential": version.microcredential.slug,
            "number": version.number,
        },
    )


@studio_page
@require_GET
def studio_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisations.access_organisation(request.user, slug)
    return render(
        request,
        "catalogue/studio/list.html",
        {
            "organisation": organisation,
            "entries": services.get_microcredentials(organisation),
            "can_design": services.can_design(request.user, organisation),
        },
    )


@studio_page
@require_http_methods(["GET", "POST"])
def studio_new(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisations.access_organisation(
        request.user, slug, roles=services.DESIGN_ROLES
    )
    form = NewMicroCredentialForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.create_microcredential(
                actor=request.user,
                organisation=organisation,
                title=form.cleaned_data["title"],
                slug=form.cleaned_data["slug"] or None,
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            messages.success(
                request, gettext("The micro-credential is created as a draft; fill it in.")
            )
            return redirect(_studio_version_url(draft, "studio-edit"))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "catalogue/studio/new.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@studio_page
@require_GET
def studio_credential(
    request: AuthenticatedHttpRequest, slug: str, credential: str
) -> HttpResponse:
    microcredential = services.access_microcredential(request.user, slug, credential)
    versions = services.get_versions(microcredential)
    return render(
        request,
        "catalogue/studio/credential.html",
        {
            "organisation": microcredential.organisation,
            "microcredential": microcredential,
            "versions": versions,
            "has_draft": any(v.status == VersionStatus.DRAFT for v in versions),
            "can_design": services.can_design(request.user, microcredential.organisation),
        },
    )


@studio_page
@require_GET
def studio_version(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    version = _version_for(request, slug, credential, number, design=False)
    context = _version_context(version)
    context.update(
        missing=services.get_missing_elements(version),
        can_design=services.can_design(request.user, version.microcredential.organisation),
        withdraw_form=WithdrawForm(),
    )
    if version.status == VersionStatus.DRAFT:
        context.update(gates.studio_context(version))
        DesignForms(None, None, version, context["outcomes"], context["rubric"]).place_findings(
            context[gates.FIELD_FINDINGS]
        )
        # Each finding links to its field on the design page, for those who may open it.
        context["findings_page"] = _studio_version_url(version, "studio-edit")
        context["findings_unlinked"] = not context["can_design"]
    return render(request, "catalogue/studio/version.html", context)


@studio_page
@require_http_methods(["GET", "POST"])
def studio_edit(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    version = _version_for(request, slug, credential, number, design=True)
    if version.status != VersionStatus.DRAFT:
        messages.error(request, gettext("A published version cannot change; create a new version."))
        return redirect(_studio_version_url(version))
    try:
        gates.check_editable(version)
    except Conflict as in_review:
        messages.error(request, in_review.message)
        return redirect(_studio_version_url(version))
    outcomes = services.get_outcomes(version)
    forms = DesignForms(
        _posted(request), request.FILES or None, version, outcomes, services.get_rubric(version)
    )
    if request.method == "POST":
        if forms.is_valid():
            try:
                services.update_draft(actor=request.user, version=version, **forms.changes())
            except (InvalidInput, NotFound, Conflict) as error:
                forms.show_error(error)
            else:
                messages.success(request, gettext("The draft is saved."))
                return redirect(_studio_version_url(version, "studio-edit"))
        status = 400
    else:
        status = 200
    context = gates.studio_context(version)
    forms.place_findings(context[gates.FIELD_FINDINGS])
    return render(
        request,
        "catalogue/studio/edit.html",
        {
            "version": version,
            "organisation": version.microcredential.organisation,
            "forms": forms,
            "outcomes": outcomes,
            "missing": services.get_missing_elements(version),
            "can_design": True,
            **context,
        },
        status=status,
    )


@studio_page
@require_http_methods(["GET", "POST"])
def studio_skills(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int, outcome: int
) -> HttpResponse:
    """A learning outcome's skills: suggestions for its text (or a search), add and remove."""
    version = _version_for(request, slug, credential, number, design=True)
    outcomes = services.get_outcomes(version)
    current = next((item for item in outcomes if item.position == outcome), None)
    if current is None:
        raise Http404(f"Version {number} has no learning outcome {outcome}.")
    form = SkillForm(_posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _change_skill(request, version, outcome, form.cleaned_data)
            except (InvalidInput, Conflict, NotFound) as error:
                add_error(form, error)
            else:
                return redirect(request.get_full_path())
        status = 400
    search = SuggestForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() and search.cleaned_data["q"] else ""
    aligned = {skill.uri for skill in current.alignments.all()}
    suggestions = [
        suggestion
        for suggestion in services.suggest_skills(text=query or current.text, limit=SUGGESTIONS)
        if suggestion.uri not in aligned
    ]
    template = (
        "catalogue/studio/suggestions.html"
        if request.headers.get("HX-Request")
        else "catalogue/studio/skills.html"
    )
    return render(
        request,
        template,
        {
            "version": version,
            "organisation": version.microcredential.organisation,
            "outcome": current,
            "form": form,
            "search": SuggestForm(initial={"q": query or current.text}),
            "suggestions": suggestions,
            "editable": version.status == VersionStatus.DRAFT,
        },
        status=status,
    )


def _change_skill(
    request: AuthenticatedHttpRequest,
    version: MicroCredentialVersion,
    outcome: int,
    data: dict[str, Any],
) -> None:
    if data["action"] == "add":
        alignment = services.add_skill(
            actor=request.user, version=version, outcome=outcome, uri=data["uri"]
        )
        messages.success(request, gettext("Aligned to %(skill)s.") % {"skill": alignment.label})
    else:
        services.remove_skill(actor=request.user, version=version, outcome=outcome, uri=data["uri"])
        messages.success(request, gettext("The skill is removed."))


@studio_page
@require_http_methods(["GET", "POST"])
def studio_publish(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    version = _version_for(request, slug, credential, number, design=True)
    form = PublishForm(request.POST if request.method == "POST" else None)
    problem = None
    status = 200
    if request.method == "POST" and not form.is_valid():
        status = 400
    elif request.method == "POST":
        try:
            services.publish_version(actor=request.user, version=version)
        except (InvalidInput, Conflict) as error:
            problem, status = error, 400
        else:
            messages.success(
                request,
                gettext("Version %(number)s is published and can no longer change.")
                % {"number": number},
            )
            return redirect(_studio_version_url(version))
    return render(
        request,
        "catalogue/studio/publish.html",
        {
            "version": version,
            "organisation": version.microcredential.organisation,
            "missing": services.get_missing_elements(version),
            "problem": problem,
            "form": form,
            **gates.studio_context(version),
        },
        status=status,
    )


@studio_page
@require_POST
def studio_new_version(
    request: AuthenticatedHttpRequest, slug: str, credential: str
) -> HttpResponse:
    microcredential = services.access_microcredential(
        request.user, slug, credential, roles=services.DESIGN_ROLES
    )
    try:
        draft = services.create_new_version(actor=request.user, microcredential=microcredential)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("catalogue:studio-credential", slug=slug, credential=credential)
    messages.success(
        request,
        gettext("Version %(number)s is a new draft, copied from the last one.")
        % {"number": draft.number},
    )
    return redirect(_studio_version_url(draft, "studio-edit"))


@studio_page
@require_POST
def studio_withdraw(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    version = _version_for(request, slug, credential, number, design=True)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
        return redirect(_studio_version_url(version))
    try:
        services.withdraw_version(
            actor=request.user, version=version, reason=form.cleaned_data["reason"]
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("Version %(number)s is withdrawn from the catalogue.") % {"number": number},
        )
    return redirect(_studio_version_url(version))
