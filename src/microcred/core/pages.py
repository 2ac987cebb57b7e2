"""What every staff page shares: sign-in, service errors shown as pages, and the dashboard's links.

Each app owns the staff pages of its area; it wraps their views with
:func:`studio_page` and lists them with :func:`register_area` (from its
``AppConfig.ready()``) so the dashboard links to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext

from microcred.errors import Forbidden, MicrocredError, NotFound
from microcred.text import translated

OWNER = "owner"


def studio_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Require sign-in; answer :class:`NotFound` with 404 and :class:`Forbidden` with a 403
    page that says which role is needed. A page may stream (a large CSV download)."""

    @wraps(view)
    def page(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from error
        except Forbidden as error:
            return render(request, "core/forbidden.html", {"message": error.message}, status=403)

    return login_required(page)


def add_error(form: forms.Form, error: MicrocredError) -> None:
    """Show a service's error next to the form field it names (``identifiers[0].identifier``
    belongs to ``identifiers``), or above the form."""
    name = (error.field or "").split("[", 1)[0].split(".", 1)[0]
    form.add_error(name if name in form.fields else None, translated(error.message))


@dataclass(frozen=True)
class Area:
    """A part of the staff pages of an organisation, linked from the dashboard."""

    label: str | Promise
    url_name: str
    roles: frozenset[str]

    def open_to(self, roles: Iterable[str], *, platform_admin: bool) -> bool:
        held = set(roles)
        if platform_admin:
            return True
        return bool(held) and (not self.roles or bool(held & (self.roles | {OWNER})))


_AREAS: dict[str, Area] = {}


def register_area(*, label: str | Promise, url_name: str, roles: Iterable[str] = ()) -> None:
    """Link an area from the dashboard; ``url_name`` takes the organisation's slug as ``slug``.

    ``label`` is English, marked for translation by the registering app (``gettext_lazy``
    or ``gettext_noop``): the dashboard shows it in the visitor's language.

    The link shows to members holding one of ``roles`` (any member when
    empty), to owners and to platform admins; the pages check access
    themselves. Registering a ``url_name`` again replaces it.
    """
    _AREAS[url_name] = Area(label, url_name, frozenset(roles))


def get_area_links(
    slug: str, roles: Iterable[str], *, platform_admin: bool
) -> list[tuple[str, str]]:
    """Return ``(label, url)`` of the areas of organisation ``slug`` open to these roles, each
    label in the active language (a label registered as a plain string is looked up in the
    catalogues, so an app that marks it with ``gettext_noop`` is translated as well)."""
    held = set(roles)
    return [
        (gettext(str(area.label)), reverse(area.url_name, kwargs={"slug": slug}))
        for area in _AREAS.values()
        if area.open_to(held, platform_admin=platform_admin)
    ]
