"""Account pages: the account's settings, its deletion and the personal API tokens of the
signed-in user (sign-in, sign-up and password pages are django-allauth's)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from microcred.accounts import services
from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.forms import DeleteAccountForm, TokenForm
from microcred.core.pages import add_error, studio_page
from microcred.errors import Conflict, InvalidInput


@studio_page
def settings_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The account: its addresses, and the ways to change them, the password, and to leave."""
    context = {
        "addresses": services.get_email_addresses(request.user),
        "has_password": request.user.has_usable_password(),
    }
    return render(request, "accounts/settings.html", context)


@studio_page
@never_cache
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Say what deleting the account deletes and keeps; delete it once the person confirms."""
    form = DeleteAccountForm(request.user, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        services.delete_account(actor=request.user)
        logout(request)
        messages.success(
            request, gettext("Your account is deleted. The credentials you earned stay valid.")
        )
        return redirect("home")
    status = 400 if form.is_bound else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@studio_page
@never_cache
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the user's tokens and create one; a new token's secret is shown in this answer only."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    secret = None
    if form.is_bound and form.is_valid():
        try:
            _token, secret = services.create_api_token(
                actor=request.user, name=form.cleaned_data["name"]
            )
        except InvalidInput as error:
            add_error(form, error)
        else:
            form = TokenForm()
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": services.get_api_tokens(request.user)},
        status=status,
    )


@studio_page
@require_POST
def revoke_token(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_api_token(actor=request.user, token_id=token_id)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            gettext("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name},
        )
    return redirect("accounts:tokens")


def locked_out(
    request: HttpRequest, response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """Answer a sign-in refused by django-axes: too many failures for the account or address.

    The page says for how long, so that a person who mistyped knows to wait
    rather than keep trying (each try during the lock-out starts it again).
    """
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "accounts/locked_out.html", context, status=429)
