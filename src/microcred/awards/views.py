"""Pages of the awards app: a credential's public page and downloads, status lists, staff pages."""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.forms import ChoiceField
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import (
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import quote_etag
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST, require_safe

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.awards import services
from microcred.awards.forms import (
    IssueForm,
    LearnerForm,
    LearnerRecordForm,
    RevokeForm,
    StatusChangeForm,
)
from microcred.awards.models import AwardStatus, CredentialFormat, Visibility
from microcred.core.pages import studio_page
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.organisations import services as organisations
from microcred.text import translated

JSON_TYPES = ("application/json", "application/ld+json")
DOWNLOAD_TYPES = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
STATUS_CHANGES = {
    "revoke": services.revoke_award,
    "suspend": services.suspend_award,
    "unsuspend": services.unsuspend_award,
}
# The status changes that cannot be undone ask for a confirmation on their form.
STATUS_FORMS: dict[str, type[StatusChangeForm]] = {"revoke": RevokeForm}
# The PDF certificate is made by the platform, not uploaded, and Chromium will not open its
# PDF viewer in a sandboxed document: it gets this policy instead of the sandbox that
# every other file is served with (microcred.site.security).
CERTIFICATE_POLICY = "default-src 'none'; frame-ancestors 'self'"
# The session's share-link tokens, by award: {award uuid: token}.
SHARED_AWARDS = "shared_awards"


def not_found(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Answer the services' NotFound with the 404 page (public pages need no sign-in)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error

    return wrapped


# -- public ----------------------------------------------------------------------------------


@require_GET
@not_found
def credential(request: HttpRequest, award_uuid: str) -> HttpResponse:
    """The credential: a page for people, the signed credential for machines (by Accept)."""
    award = _visible_award(request, award_uuid)
    wanted = request.get_preferred_type(["text/html", *JSON_TYPES, "application/jwt"])
    if wanted in (*JSON_TYPES, "application/jwt"):
        response = _signed_credential(award, json_type=wanted)
    else:
        context = {**_page_context(award), "is_learner": services.holds_award(request.user, award)}
        response = render(request, "awards/credential.html", context)
    patch_vary_headers(response, ["Accept"])
    return response


def _visible_award(request: HttpRequest, award_uuid: str) -> Any:
    """Return the award if the visitor may open it; a private award is not found otherwise.

    A share link's token comes as ``?share=``; once it has opened a private award, the
    session keeps it, so the page's download links work for the visitor too (the token is
    checked again on every request: a revoked link stops working at once).
    """
    award = services.get_award(award_uuid)
    if award.visibility == Visibility.PUBLIC:
        return award  # and the session is not read: the page stays the same for everyone
    shared: dict[str, str] = request.session.get(SHARED_AWARDS, {})
    given = request.GET.get("share", "")
    if not services.may_view(request.user, award, share=given or shared.get(str(award.uuid), "")):
        raise Http404(f"No credential {award_uuid}.")
    if given and shared.get(str(award.uuid)) != given:
        request.session[SHARED_AWARDS] = {**shared, str(award.uuid): given}
    return award


@require_GET
@not_found
def credential_download(request: HttpRequest, award_uuid: str, suffix: str) -> HttpResponse:
    """``.json`` (the signed credential), ``.jwt`` (a VC-JWT, as text), ``.png`` / ``.svg``
    (baked badges), ``.pdf``."""
    award = _visible_award(request, award_uuid)
    if suffix == "json":
        return _signed_credential(award, json_type="application/json")
    if suffix == "jwt":
        if award.format != CredentialFormat.VC_JWT:
            raise Http404("This credential is signed JSON, not a VC-JWT: see its .json.")
        return HttpResponse(award.signed_credential, content_type="text/plain; charset=utf-8")
    if suffix not in DOWNLOAD_TYPES:
        raise Http404(f"No .{suffix} download; there are .json, .jwt, .png, .svg and .pdf.")
    if suffix == "pdf":
        content = services.get_certificate_pdf(award)
    else:
        content = services.get_baked_image(award, kind=suffix)
    response = HttpResponse(content, content_type=DOWNLOAD_TYPES[suffix])
    response["Content-Disposition"] = f'inline; filename="credential-{award.uuid}.{suffix}"'
    if suffix == "pdf":
        response["Content-Security-Policy"] = CERTIFICATE_POLICY
    return response


def _signed_credential(award: Any, *, json_type: str) -> HttpResponse:
    """Return the credential exactly as signed: JSON, or the compact JWS of a VC-JWT."""
    if award.format == CredentialFormat.VC_JWT:
        return HttpResponse(award.signed_credential, content_type="application/jwt")
    return HttpResponse(award.signed_credential, content_type=f"{json_type}; charset=utf-8")


def _page_context(award: Any) -> dict[str, Any]:
    report = services.verify_award(award)
    return {
        "award": award,
        "credential": services.get_credential_document(award),
        "results": services.get_results(award),
        "report": report,
        "verdict": services.get_verdict(award, report),
        "learner": services.learner_label(award),
        "elements": services.get_certified_elements(award),
        "linkedin_url": services.get_linkedin_url(award),
        "url": services.credential_url(award),
        "public_reason": services.readable_reason(award),
    }


@require_safe
@not_found
def status_list(request: HttpRequest, organisation: str, list_slug: str) -> HttpResponse:
    """A signed BitstringStatusListCredential, as stored.

    Cached for ``STATUS_LIST_MAX_AGE`` seconds only, then revalidated: its ETag changes
    whenever the list is re-signed, so a revocation reaches verifiers within that time
    and an unchanged list costs a 304.
    """
    document = services.get_status_list_credential(organisation, list_slug)
    wanted = request.get_preferred_type(["application/json", "application/vc+ld+json"])
    content_type = f"{wanted or 'application/json'}; charset=utf-8"
    response = HttpResponse(document, content_type=content_type)
    etag = hashlib.sha256(f"{content_type}\n{document}".encode()).hexdigest()
    response["ETag"] = quote_etag(etag)
    patch_cache_control(
        response, public=True, max_age=settings.STATUS_LIST_MAX_AGE, must_revalidate=True
    )
    patch_vary_headers(response, ["Accept"])
    # Django answers the response it was given unless the request's condition is met.
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


@require_GET
@not_found
def learner_record(request: HttpRequest, record_uuid: str) -> HttpResponse:
    """A learner record (CLR 2.0 ClrCredential): the signed JSON for machines, a page for people.

    The record's id is this address, so a client that asks for no type in particular
    (``*/*``) gets the signed document, as before there was a page; a browser, which
    prefers HTML, gets the page.
    """
    record = services.get_learner_record(record_uuid)
    wanted = request.get_preferred_type([*JSON_TYPES, "text/html"])
    if wanted == "text/html":
        response = render(
            request, "awards/learner_record.html", {"page": services.get_record_page(record)}
        )
    else:
        response = _signed_record(record, json_type=wanted or "application/json")
    patch_vary_headers(response, ["Accept"])
    return response


@require_GET
@not_found
def learner_record_json(request: HttpRequest, record_uuid: str) -> HttpResponse:
    """The learner record exactly as signed, whatever the request accepts (a download link)."""
    return _signed_record(services.get_learner_record(record_uuid), json_type="application/json")


def _signed_record(record: Any, *, json_type: str) -> HttpResponse:
    return HttpResponse(record.signed_credential, content_type=f"{json_type}; charset=utf-8")


@require_GET
@studio_page
def my_learner_record(request: AuthenticatedHttpRequest, organisation: str) -> HttpResponse:
    """The signed-in learner's record of every valid credential ``organisation`` gave them."""
    issuer = organisations.get_organisation(organisation)
    record = services.learner_clr(actor=request.user, organisation=issuer)
    response = HttpResponse(
        record.signed_credential, content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="learner-record-{issuer.slug}.json"'
    return response


# -- staff -----------------------------------------------------------------------------------


@studio_page
@require_GET
def studio_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    search = request.GET.get("q", "")
    wanted_status = request.GET.get("status", "")
    if wanted_status not in ("", *AwardStatus.values):
        wanted_status = ""
    awards = services.list_awards(
        actor=request.user, organisation_slug=slug, search=search, status=wanted_status
    )
    context = {
        "organisation": organisations.get_organisation(slug),
        "awards": awards[:200],
        "search": search,
        "status": wanted_status,
        "statuses": AwardStatus.choices,
        "can_issue": services.can_issue(request.user, slug),
    }
    return render(request, "awards/studio/list.html", context)


@studio_page
def studio_issue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The issue form; a posted form is authorised by ``issue_award`` alone, or, when it is
    not valid and nothing is issued, by ``access_issuing`` before it is shown again."""
    if request.method != "POST":
        issuer = services.access_issuing(request.user, slug)
        versions = services.get_issuable_versions(issuer)
        return _issue_page(request, issuer, IssueForm(versions=versions), versions)
    issuer = organisations.get_organisation(slug)
    versions = services.get_issuable_versions(issuer)
    form = IssueForm(request.POST, versions=versions)
    if not form.is_valid():
        services.access_issuing(request.user, slug)
        return _issue_page(request, issuer, form, versions, status=400)
    try:
        award = services.issue_award(actor=request.user, **form.issue_arguments())
    except (InvalidInput, Conflict) as error:
        # Raised once issue_award has authorised the actor.
        form.add_service_error(error.field, error.message)
        return _issue_page(request, issuer, form, versions, status=400)
    messages.success(request, gettext("The credential was issued."))
    return redirect(_detail_url(slug, award))


def _issue_page(
    request: HttpRequest, issuer: Any, form: IssueForm, versions: list[Any], status: int = 200
) -> HttpResponse:
    context = {"organisation": issuer, "form": form, "has_versions": bool(versions)}
    return render(request, "awards/studio/issue.html", context, status=status)


@studio_page
@require_GET
def studio_detail(request: AuthenticatedHttpRequest, slug: str, award_uuid: str) -> HttpResponse:
    award = _in_organisation(slug, services.access_award(request.user, award_uuid))
    return render(request, "awards/studio/detail.html", _detail_context(request, award))


@studio_page
@require_POST
def studio_change_status(
    request: AuthenticatedHttpRequest, slug: str, award_uuid: str, action: str
) -> HttpResponse:
    """Revoke, suspend or unsuspend: the change authorises; a form that is not valid is shown
    again once ``access_award`` has."""
    change = STATUS_CHANGES.get(action)
    if change is None:
        raise Http404(f"No action {action!r}.")
    form = STATUS_FORMS.get(action, StatusChangeForm)(request.POST)
    if not form.is_valid():
        award = _in_organisation(slug, services.access_award(request.user, award_uuid))
        context = _detail_context(request, award, failed=(action, form))
        return render(request, "awards/studio/detail.html", context, status=400)
    award = _in_organisation(slug, services.get_award(award_uuid))
    try:
        award = change(
            actor=request.user,
            award=award,
            reason=form.cleaned_data["reason"],
            public_reason=form.cleaned_data["public_reason"],
        )
    except (InvalidInput, Conflict) as error:
        # Raised once the change has authorised the actor.
        field = error.field if error.field in ("reason", "public_reason") else None
        form.add_error(field, translated(error.message))
        context = _detail_context(request, award, failed=(action, form))
        return render(request, "awards/studio/detail.html", context, status=400)
    status = award.get_status_display().lower()
    messages.success(
        request, gettext("Done: the credential is now %(status)s.") % {"status": status}
    )
    return redirect(_detail_url(slug, award))


@studio_page
@require_POST
def studio_reissue(request: AuthenticatedHttpRequest, slug: str, award_uuid: str) -> HttpResponse:
    """Issue a revoked or invalidated award again, as a new award that replaces it; the
    service authorises. A refusal is shown on the old award's page."""
    award = _in_organisation(slug, services.get_award(award_uuid))
    try:
        new = services.reissue_award(actor=request.user, award=award)
    except (InvalidInput, Conflict) as error:
        # Raised once reissue_award has authorised the actor.
        messages.error(request, error.message)
        return redirect(_detail_url(slug, award))
    messages.success(request, gettext("The credential was issued again; this is the new one."))
    return redirect(_detail_url(slug, new))


def _in_organisation(slug: str, award: Any) -> Any:
    if award.organisation.slug != slug:
        raise Http404("No such credential in this organisation.")
    return award


def _detail_context(
    request: AuthenticatedHttpRequest,
    award: Any,
    failed: tuple[str, StatusChangeForm] | None = None,
) -> dict[str, Any]:
    """Return the detail page's context; ``failed`` is a status change form that was refused."""
    forms = dict([failed]) if failed else {}
    actions = services.allowed_status_changes(request.user, award)
    return {
        "award": award,
        "organisation": award.organisation,
        "url": services.credential_url(award),
        "learner": services.learner_label(award, private=True),
        "actions": [
            (action, forms.get(action) or STATUS_FORMS.get(action, StatusChangeForm)())
            for action in actions
        ],
        "errors": failed[1].non_field_errors() if failed else [],
        "entries": services.get_status_entries(award),
        "invalidated": services.is_invalidated(award),
        "can_reissue": services.can_reissue(request.user, award),
        "replaced_by": services.get_replacement(award),
        "public_reason": services.readable_reason(award),
    }


def _detail_url(slug: str, award: Any) -> str:
    return reverse("awards:studio-detail", kwargs={"slug": slug, "award_uuid": award.uuid})


@studio_page
@require_GET
def studio_records(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The learner records the organisation signed, newest first."""
    records = services.list_learner_records(actor=request.user, organisation_slug=slug)
    context = {
        "organisation": organisations.get_organisation(slug),
        "records": [(record, services.learner_record_url(record)) for record in records[:200]],
        "can_issue": services.can_issue(request.user, slug),
    }
    return render(request, "awards/studio/records.html", context)


@studio_page
def studio_issue_record(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Issue a learner record: name the learner, choose their credentials and how their
    achievements relate (associations), sign.

    Without a learner, the page asks for one; with one, it lists their valid
    credentials (``access_learner_awards`` authorises that). A posted choice is
    authorised by ``issue_clr_request`` alone; when it is refused, the page
    for that learner is shown again with the reason.
    """
    if request.method == "POST":
        form = LearnerRecordForm(request.POST)
        if not form.is_valid():
            return _choose_awards(request, slug, request.POST.get("learner", ""), form=form)
        try:
            record = services.issue_clr_request(
                actor=request.user,
                organisation_slug=slug,
                learner=form.cleaned_data["learner"],
                awards=form.cleaned_data["awards"],
                associations=[
                    services.ClrAssociation(source, target, kind)
                    for source, target, kind in form.associations()
                ],
            )
        except InvalidInput as error:
            # Raised once issue_clr_request has authorised the actor.
            messages.error(request, error.message)
            query = urlencode({"learner": form.cleaned_data["learner"]})
            return redirect(f"{reverse('awards:studio-issue-record', args=[slug])}?{query}")
        messages.success(
            request,
            gettext("The learner record was signed: %(url)s")
            % {"url": services.learner_record_url(record)},
        )
        return redirect("awards:studio-records", slug=slug)
    learner = LearnerForm(request.GET or None)
    if not learner.is_valid():
        issuer = services.access_issuing(request.user, slug)
        context = {"organisation": issuer, "learner_form": learner}
        return render(request, "awards/studio/issue_record.html", context)
    return _choose_awards(request, slug, learner.cleaned_data["learner"])


def _choose_awards(
    request: AuthenticatedHttpRequest,
    slug: str,
    login: str,
    *,
    form: LearnerRecordForm | None = None,
) -> HttpResponse:
    """Show the learner's valid credentials to choose from, or ask again for the learner."""
    try:
        person, awards = services.access_learner_awards(request.user, slug, login)
    except InvalidInput as error:
        learner_form = LearnerForm({"learner": login})
        learner_form.is_valid()
        learner_form.add_error("learner", translated(error.message))
        context = {
            "organisation": organisations.get_organisation(slug),
            "learner_form": learner_form,
        }
        return render(request, "awards/studio/issue_record.html", context, status=400)
    if form is None:
        form = LearnerRecordForm(awards=awards, initial={"learner": login})
    else:
        offered = LearnerRecordForm(awards=awards)
        for name, field in offered.fields.items():
            if isinstance(field, ChoiceField):
                cast(ChoiceField, form.fields[name]).choices = field.choices
    context = {
        "organisation": organisations.get_organisation(slug),
        "person": person,
        "form": form,
    }
    return render(
        request, "awards/studio/issue_record.html", context, status=400 if form.errors else 200
    )
