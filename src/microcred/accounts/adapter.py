"""How django-allauth fits the platform: usernames made from addresses, where a sign-in
leads, and what django-axes counts as the account a sign-in tried."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.utils import user_email
from django.http import HttpRequest

from microcred.accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request: HttpRequest, user: Any) -> None:
        """Make the username from the address, as :func:`services.create_user` does (an
        institution's provider may suggest one, which could belong to someone here already)."""
        user.username = services.username_for(user_email(user) or "")

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        """Staff go to the studio, learners to their dashboard; a safe ``?next=`` wins
        before this is asked."""
        return "/studio/" if services.has_staff_pages(request.user) else "/me/"


def login_typed(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """Return what a sign-in was tried with, the account name django-axes counts failures of.

    allauth passes the typed login on as ``username`` (and as ``email`` when it looks like an
    address); Django's admin passes ``username``.
    """
    credentials = credentials or {}
    typed = credentials.get("username") or credentials.get("email") or request.POST.get("login")
    return str(typed) if typed else None
