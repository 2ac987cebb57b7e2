"""The staff dashboard: the signed-in user's organisations, roles and the areas open to them."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.services import is_platform_admin
from microcred.core.pages import get_area_links, studio_page
from microcred.organisations import services as organisations


@studio_page
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    admin = is_platform_admin(request.user)
    entries: list[dict[str, Any]] = [
        {
            "organisation": membership.organisation,
            "roles": organisations.role_labels(membership.roles),
            "links": get_area_links(
                membership.organisation.slug, membership.roles, platform_admin=admin
            ),
        }
        for membership in organisations.get_memberships(request.user)
    ]
    mine = {entry["organisation"].pk for entry in entries}
    others = (
        [org for org in organisations.get_organisations() if org.pk not in mine] if admin else []
    )
    return render(
        request,
        "studio/dashboard.html",
        {"entries": entries, "admin": admin, "other_organisations": others},
    )
