"""Pages of organisations: public profiles and DID documents, and the staff pages of an issuer."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.services import User, check_platform_admin, find_user, is_platform_admin
from microcred.core.pages import add_error, get_area_links, studio_page
from microcred.core.words import long_date
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations import services
from microcred.organisations.forms import (
    CompromiseForm,
    InvitedAccountForm,
    InviteForm,
    MemberRolesForm,
    NewOrganisationForm,
    ProfileForm,
)
from microcred.organisations.models import KeyStatus, Organisation, Role

# Verifiers fetch DID documents often; a short cache spares the platform without
# hiding a key rotation or a compromised key for long.
DOCUMENT_CACHE_SECONDS = 300


# -- public pages ----------------------------------------------------------------------------


def _public(slug: str) -> Organisation:
    try:
        return services.get_organisation(slug)
    except NotFound as error:
        raise Http404(error.message) from error


def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "organisations/list.html", {"organisations": services.get_organisations()}
    )


def organisation_page(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _public(slug)
    return render(
        request,
        "organisations/profile.html",
        {
            "organisation": organisation,
            "did": services.organisation_did(organisation),
            "did_document_url": services.get_did_document_url(organisation),
            "sections": services.get_profile_sections(organisation),
        },
    )


def _document(document: dict[str, Any], content_type: str) -> JsonResponse:
    """Answer a public JSON document, cached briefly (settings.CORS_URLS_REGEX opens it to
    browser-based verifiers)."""
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"indent": 2})
    response["Cache-Control"] = f"public, max-age={DOCUMENT_CACHE_SECONDS}"
    return response


def did_document(request: HttpRequest, slug: str) -> JsonResponse:
    """Serve the DID document where did:web resolution reads it (did:web spec, section 3.2)."""
    return _document(services.get_did_document(_public(slug)), "application/did+json")


def public_key(request: HttpRequest, slug: str, key_id: str) -> JsonResponse:
    """Serve a public key as a JWK: the ``kid`` of the organisation's VC-JWTs (OB 3.0 8.2.3)."""
    try:
        jwk = services.get_public_jwk(_public(slug), key_id)
    except NotFound as error:
        raise Http404(error.message) from error
    return _document(jwk, "application/jwk+json")


def profile_document(request: HttpRequest, slug: str) -> JsonResponse:
    """Serve the organisation's Open Badges 3.0 Profile."""
    return _document(services.get_profile(_public(slug)), "application/ld+json")


# -- staff pages -----------------------------------------------------------------------------


def _posted(request: HttpRequest) -> Any:
    """Return the form data of a POST (even an empty one, so its form shows what is missing)."""
    return request.POST if request.method == "POST" else None


def _can_manage(request: HttpRequest, organisation: Organisation) -> bool:
    """Whether to show the owner's forms; the services check again when they are used."""
    return is_platform_admin(request.user) or Role.OWNER in services.get_roles(
        request.user, organisation
    )


@studio_page
def studio_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Platform admins register organisations; everyone else learns how to ask for one."""
    admin = is_platform_admin(request.user)
    form = NewOrganisationForm(_posted(request))
    if request.method != "POST":
        return _render_new(request, form, admin=admin)
    check_platform_admin(request.user, "register organisations")
    if form.is_valid():
        try:
            organisation = services.register_organisation(actor=request.user, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                gettext("%(organisation)s is registered, with its first key.")
                % {"organisation": organisation.name},
            )
            return redirect("organisations:studio-overview", slug=organisation.slug)
    return _render_new(request, form, admin=admin, status=400)


def _render_new(
    request: HttpRequest, form: NewOrganisationForm, *, admin: bool, status: int = 200
) -> HttpResponse:
    return render(
        request, "organisations/studio/new.html", {"form": form, "admin": admin}, status=status
    )


@studio_page
def studio_overview(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = services.access_organisation(request.user, slug)
    roles = services.get_roles(request.user, organisation)
    return render(
        request,
        "organisations/studio/overview.html",
        {
            "organisation": organisation,
            "roles": services.role_labels(roles),
            "links": get_area_links(slug, roles, platform_admin=is_platform_admin(request.user)),
            "did": services.organisation_did(organisation),
            "active_key": services.get_active_key(organisation),
            "members": services.get_members(organisation),
        },
    )


@studio_page
def studio_profile(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = services.access_organisation(request.user, slug, roles=[Role.OWNER])
    form = ProfileForm(_posted(request), initial=ProfileForm.initial_for(organisation))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.update_organisation(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except InvalidInput as error:
                add_error(form, error)
            else:
                messages.success(request, gettext("The public profile is updated."))
                return redirect("organisations:studio-overview", slug=slug)
        return _render_profile(request, organisation, form, status=400)
    return _render_profile(request, organisation, form)


def _render_profile(
    request: HttpRequest, organisation: Organisation, form: ProfileForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "organisations/studio/profile.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


def _access(request: AuthenticatedHttpRequest, slug: str) -> Organisation:
    """Let any member see a staff page of the organisation; only owners send its forms."""
    roles = [Role.OWNER] if request.method == "POST" else []
    return services.access_organisation(request.user, slug, roles=roles)


@studio_page
def studio_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """List the members and pending invitations; owners invite someone by email address."""
    organisation = _access(request, slug)
    form = InviteForm(_posted(request))
    if request.method != "POST":
        return _render_members(request, organisation, invite_form=form)
    if form.is_valid():
        try:
            invitation = services.invite_member(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                gettext("An invitation went to %(email)s; its link works once, until %(date)s.")
                % {"email": invitation.email, "date": long_date(invitation.expires_at)},
            )
            return redirect("organisations:studio-members", slug=slug)
    return _render_members(request, organisation, invite_form=form, status=400)


@studio_page
@require_POST
def studio_withdraw_invitation(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    organisation = _access(request, slug)
    try:
        invitation = services.withdraw_invitation(
            actor=request.user, organisation=organisation, invitation_id=invitation_id
        )
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("The invitation of %(email)s is withdrawn.") % {"email": invitation.email},
        )
    return redirect("organisations:studio-members", slug=slug)


@studio_page
@require_POST
def studio_member(request: AuthenticatedHttpRequest, slug: str, username: str) -> HttpResponse:
    """Change a member's roles, or remove them (``action=remove``)."""
    organisation = _access(request, slug)
    try:
        if request.POST.get("action") == "remove":
            services.remove_member(actor=request.user, organisation=organisation, user=username)
            messages.success(
                request, gettext("%(user)s is no longer a member.") % {"user": username}
            )
        else:
            services.change_member_roles(
                actor=request.user,
                organisation=organisation,
                user=username,
                roles=request.POST.getlist("roles"),
            )
            messages.success(
                request, gettext("The roles of %(user)s are saved.") % {"user": username}
            )
    except (InvalidInput, Conflict) as error:
        return _render_members(
            request, organisation, row_errors={username: error.message}, status=400
        )
    return redirect("organisations:studio-members", slug=slug)


def _render_members(
    request: HttpRequest,
    organisation: Organisation,
    *,
    invite_form: InviteForm | None = None,
    row_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    row_errors = row_errors or {}
    rows = [
        {
            "member": member,
            "roles": services.role_labels(member.roles),
            "form": MemberRolesForm(
                initial={"roles": list(member.roles)},
                auto_id=f"id_{member.user.get_username()}_%s",
            ),
            "error": row_errors.get(member.user.get_username()),
        }
        for member in services.get_members(organisation)
    ]
    return render(
        request,
        "organisations/studio/members.html",
        {
            "organisation": organisation,
            "rows": rows,
            "invite_form": invite_form or InviteForm(),
            "invitations": [
                {"invitation": invitation, "roles": services.role_labels(invitation.roles)}
                for invitation in services.get_pending_invitations(organisation)
            ],
            "can_manage": _can_manage(request, organisation),
        },
        status=status,
    )


@studio_page
def studio_keys(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _render_keys(request, services.access_organisation(request.user, slug))


def _render_keys(
    request: HttpRequest,
    organisation: Organisation,
    *,
    failed_key: str | None = None,
    form: CompromiseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    keys = []
    for key in services.get_keys(organisation):
        key_form = form if form and key.key_id == failed_key else None
        key_form = key_form or CompromiseForm(auto_id=f"id_{key.key_id}_%s")
        if key.status != KeyStatus.COMPROMISED:
            key_form.say_signed(services.count_signed_credentials(key))
        keys.append({"key": key, "method": services.verification_method_id(key), "form": key_form})
    return render(
        request,
        "organisations/studio/keys.html",
        {
            "organisation": organisation,
            "keys": keys,
            "can_manage": _can_manage(request, organisation),
            "did_document_url": services.get_did_document_url(organisation),
        },
        status=status,
    )


@studio_page
@require_POST
def studio_rotate_key(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = _access(request, slug)
    key = services.rotate_signing_key(actor=request.user, organisation=organisation)
    messages.success(
        request,
        gettext("%(key)s is the active key now; the previous key is retired.")
        % {"key": key.key_id},
    )
    return redirect("organisations:studio-keys", slug=slug)


@studio_page
@require_POST
def studio_compromise_key(
    request: AuthenticatedHttpRequest, slug: str, key_id: str
) -> HttpResponse:
    organisation = _access(request, slug)
    form = CompromiseForm(request.POST, auto_id=f"id_{key_id}_%s")
    if not form.is_valid() and "confirm" in form.errors:
        return _render_keys(request, organisation, failed_key=key_id, form=form, status=400)
    try:
        key = services.mark_key_compromised(
            actor=request.user,
            organisation=organisation,
            key_id=key_id,
            reason=form.cleaned_data["reason"] if form.is_valid() else "",
        )
    except (InvalidInput, Conflict) as error:
        add_error(form, error)
        return _render_keys(request, organisation, failed_key=key_id, form=form, status=400)
    messages.success(
        request,
        gettext(
            "%(key)s is marked compromised and left the DID document; "
            "credentials it signed no longer verify."
        )
        % {"key": key.key_id},
    )
    return redirect("organisations:studio-keys", slug=slug)


# -- invitations -----------------------------------------------------------------------------


@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Open an invitation link: join when signed in with the invited address, sign in first
    when that address has an account, or create the account; then go to the studio."""
    try:
        found = services.get_invitation(token)
    except NotFound as error:
        return _render_invitation(request, problem=error.message, status=404)
    try:
        services.check_invitation_open(found)
    except Conflict as error:
        return _render_invitation(request, invitation=found, problem=error.message, status=410)
    if isinstance(request.user, User):
        return _accept_signed_in(request, request.user, found, token)
    if find_user(found.email) is not None:
        return redirect_to_login(request.get_full_path())
    return _accept_with_new_account(request, found, token)


def _accept_signed_in(
    request: HttpRequest, user: User, found: services.Invitation, token: str
) -> HttpResponse:
    try:
        services.check_invited_address(user, found)
    except Forbidden as error:
        return _render_invitation(request, invitation=found, problem=error.message, status=403)
    if request.method != "POST":
        return _render_invitation(request, invitation=found)
    try:
        member = services.accept_invitation(actor=user, token=token)
    except (Conflict, Forbidden) as error:
        return _render_invitation(request, invitation=found, problem=error.message, status=409)
    return _joined(request, found, member)


def _accept_with_new_account(
    request: HttpRequest, found: services.Invitation, token: str
) -> HttpResponse:
    form = InvitedAccountForm(_posted(request))
    if request.method != "POST":
        return _render_invitation(request, invitation=found, form=form)
    if form.is_valid():
        try:
            person, member = services.accept_invitation_with_new_account(
                token=token,
                display_name=form.cleaned_data["display_name"],
                password=form.cleaned_data["password"],
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            login(request, person, backend="django.contrib.auth.backends.ModelBackend")
            return _joined(request, found, member)
    return _render_invitation(request, invitation=found, form=form, status=400)


def _joined(
    request: HttpRequest, found: services.Invitation, member: services.Member
) -> HttpResponse:
    messages.success(
        request,
        gettext("Welcome to %(organisation)s: you are %(roles)s.")
        % {
            "organisation": found.organisation.name,
            "roles": ", ".join(services.role_labels(member.roles)),
        },
    )
    return redirect("studio:dashboard")


def _render_invitation(
    request: HttpRequest,
    *,
    invitation: services.Invitation | None = None,
    form: InvitedAccountForm | None = None,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "invitation": invitation,
        "roles": services.role_labels(invitation.roles) if invitation else [],
        "form": form,
        "problem": problem,
    }
    return render(request, "organisations/invitation.html", context, status=status)
