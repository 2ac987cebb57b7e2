"""Pages of issuer vetting: platform admins check an organisation before it may publish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.accounts.services import check_platform_admin
from microcred.core.pages import add_error, studio_page
from microcred.errors import InvalidInput
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation
from microcred.quality import services


def _what() -> str:
    """What a person who is not a platform admin was refused, in the page's language."""
    return gettext("vet organisations")


class VettingForm(forms.Form):
    """What a platform admin found out about an issuer; the service checks every answer."""

    track_record = forms.CharField(
        label=_("Track record"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What it has taught or certified before, for how long, with what results."),
    )
    subject_expertise = forms.CharField(
        label=_("Subject expertise"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The subjects it is competent to certify, and how that shows."),
    )
    audience = forms.CharField(
        label=_("Audience"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Who its micro-credentials are for."),
    )
    terms_agreed = forms.BooleanField(
        label=_("The organisation agrees to the platform's terms"),
        required=False,
        help_text=_("Required: it has accepted the terms for issuers on this platform."),
    )

    @staticmethod
    def initial_for(organisation: Organisation) -> dict[str, Any]:
        found = services.get_quality_settings(organisation)
        return {
            "track_record": found.track_record,
            "subject_expertise": found.subject_expertise,
            "audience": found.audience,
            "terms_agreed": found.terms_agreed,
        }


@studio_page
def vetting_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List every organisation with its vetting status, the unvetted first."""
    check_platform_admin(request.user, _what())
    found = organisations.get_organisations()
    prefetch_related_objects(found, "quality__vetted_by")
    rows = [
        {"organisation": organisation, "vetting": getattr(organisation, "quality", None)}
        for organisation in found
    ]
    rows.sort(key=lambda row: getattr(row["vetting"], "vetted_at", None) is not None)
    return render(request, "quality/vetting/list.html", {"rows": rows})


@studio_page
def vetting_organisation(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Show what the platform knows of an organisation and record (or renew) its vetting."""
    check_platform_admin(request.user, _what())
    organisation = organisations.get_organisation(slug)
    if request.method != "POST":
        form = VettingForm(initial=VettingForm.initial_for(organisation))
        return _render(request, organisation, form)
    form = VettingForm(request.POST)
    if form.is_valid():
        try:
            services.vet_organisation(
                actor=request.user, organisation=organisation, **form.cleaned_data
            )
        except InvalidInput as error:
            add_error(form, error)
        else:
            messages.success(
                request,
                gettext("%(organisation)s is vetted and may publish.")
                % {"organisation": organisation.name},
            )
            return redirect("quality:vetting")
    return _render(request, organisation, form, status=400)


def _render(
    request: HttpRequest, organisation: Organisation, form: VettingForm, *, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "quality/vetting/organisation.html",
        {
            "organisation": organisation,
            "vetting": services.get_quality_settings(organisation),
            "form": form,
        },
        status=status,
    )


urlpatterns = [
    path("studio/vetting/", vetting_list, name="vetting"),
    path("studio/vetting/<slug:slug>", vetting_organisation, name="vetting-organisation"),
]
