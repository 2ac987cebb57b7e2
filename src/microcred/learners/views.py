"""The learner's credentials pages, share links, claims and the embeddable card.

Thin: each view parses, calls one service with an explicit actor, and renders.
"""

from __future__ import annotations

from urllib.parse import urlencode

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.awards import services as awards
from microcred.core.pages import studio_page
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.learners import services


@require_GET
@studio_page
def credentials(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every credential the learner holds: this platform's awards, then the imported ones."""
    context = {"held": services.get_credentials(request.user)}
    return render(request, "learners/credentials.html", context)


@require_GET
@studio_page
def credential(request: AuthenticatedHttpRequest, award_uuid: str) -> HttpResponse:
    """One of the learner's awards: its visibility, share links and the ways to share it."""
    award = services.access_credential(request.user, award_uuid)
    context = {
        "award": award,
        "report": awards.verify_award(award),
        "sharing": services.get_sharing_options(award),
        "private": award.visibility == awards.Visibility.PRIVATE,
    }
    return render(request, "learners/credential.html", context)


@require_POST
@studio_page
def visibility(request: AuthenticatedHttpRequest, award_uuid: str) -> HttpResponse:
    award = awards.get_award(award_uuid)
    try:
        award = awards.set_visibility(
            actor=request.user, award=award, visibility=request.POST.get("visibility", "")
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        done = (
            gettext("Done: the credential is now private.")
            if award.visibility == awards.Visibility.PRIVATE
            else gettext("Done: the credential is now public.")
        )
        messages.success(request, done)
    return redirect("learners:credential", award_uuid=award.uuid)


@require_POST
@studio_page
def create_share_link(request: AuthenticatedHttpRequest, award_uuid: str) -> HttpResponse:
    award = awards.get_award(award_uuid)
    try:
        link = awards.create_share_link(
            actor=request.user, award=award, label=request.POST.get("label", "")
        )
    except InvalidInput as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, gettext("Share link made: %(address)s") % {"address": awards.share_url(link)}
        )
    return redirect("learners:credential", award_uuid=award.uuid)


@require_POST
@studio_page
def revoke_share_link(
    request: AuthenticatedHttpRequest, award_uuid: str, link_id: int
) -> HttpResponse:
    award = awards.get_award(award_uuid)
    try:
        awards.revoke_share_link(actor=request.user, award=award, link_id=link_id)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, gettext("The share link was revoked: it opens nothing any more."))
    return redirect("learners:credential", award_uuid=award.uuid)


@require_GET
@studio_page
def export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every credential the learner holds, in one zip file."""
    response = HttpResponse(
        services.export_credentials(request.user), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="my-credentials.zip"'
    return response


@require_GET
@studio_page
def claim(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """The link of an issuance email: attach the award to the signed-in account (an anonymous
    visitor signs in or up first and comes back here)."""
    try:
        award = awards.claim_award(actor=request.user, token=token)
    except (InvalidInput, Conflict) as error:
        status = 409 if isinstance(error, Conflict) else 400
        return render(request, "learners/claim_failed.html", {"error": error}, status=status)
    messages.success(
        request, gettext("%(title)s is now on your account.") % {"title": award.version.title}
    )
    return redirect("learners:credential", award_uuid=award.uuid)


@require_GET
def shared(request: HttpRequest, token: str) -> HttpResponse:
    """A share link: open the award's page with the link's token."""
    try:
        award = awards.get_shared_award(token)
    except NotFound as error:
        raise Http404(error.message) from error
    page = reverse("awards:credential", kwargs={"award_uuid": award.uuid})
    return redirect(f"{page}?{urlencode({'share': token})}")


@require_GET
@xframe_options_exempt
# django-csp types its decorators for views that take the request alone.
@csp_replace({"frame-ancestors": "*"})  # type: ignore[arg-type]
def embed(request: HttpRequest, award_uuid: str) -> HttpResponse:
    """A small card of the award for other sites to frame: the one page that may be framed."""
    share = request.GET.get("share", "")
    try:
        award = awards.get_visible_award(award_uuid, viewer=request.user, share=share)
    except NotFound as error:
        raise Http404(error.message) from error
    context = {
        "award": award,
        "report": awards.verify_award(award),
        "learner": awards.learner_label(award),
        "url": awards.credential_url(award),
        "share": urlencode({"share": share}) if share else "",
    }
    return render(request, "learners/embed.html", context)
