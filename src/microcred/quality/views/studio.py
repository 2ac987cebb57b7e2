"""Staff pages of quality assurance: the review queue, the review of a version, the settings,
and the designer's submit button and live findings; each calls services and renders."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.catalogue import services as catalogue
from microcred.catalogue.fields import FIELDS_BY_NAME
from microcred.catalogue.forms import DesignForms
from microcred.core.pages import add_error, studio_page
from microcred.errors import Conflict, InvalidInput, MicrocredError
from microcred.frameworks import quality as rules
from microcred.frameworks.quality.specification import FIELDS
from microcred.organisations import services as organisations
from microcred.organisations.services import Organisation, OrganisationType, Role
from microcred.quality import services
from microcred.quality.models import QAReview, ReviewStatus
from microcred.text import translated

NOTE = forms.Textarea(attrs={"rows": 3})
COMMENT_ROWS = 3
ACCREDITATION_ROWS = 2
# The elements of a specification a reviewer can comment on that the design form does not
# label itself (it labels the others).
OTHER_ELEMENTS = {
    "outcomes": _("Learning outcomes"),
    "credits": _("Credits"),
    "rubric": _("Rubric"),
    "organisation": _("Organisation"),
    "number": _("Version number"),
    "status": _("Status"),
}


# -- forms -----------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    """The checklist of the review's profiles (met or not, with a note), and the decision."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("return", _("Return with required changes"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Required changes"),
        widget=NOTE,
        required=False,
        max_length=5000,
        help_text=_("Needed to return it: what the designer must change."),
    )

    def __init__(self, data: Any, *, items: list[tuple[str, str]]) -> None:
        super().__init__(data)
        self.items = items
        for item_id, text in items:
            self.fields[f"met:{item_id}"] = forms.TypedChoiceField(
                label=text,
                choices=[("yes", gettext("Met")), ("no", gettext("Not met"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
            )
            self.fields[f"note:{item_id}"] = forms.CharField(
                label=gettext("Note on: %(item)s") % {"item": text},
                required=False,
                max_length=5000,
            )

    def checklist_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"met:{item_id}"], self[f"note:{item_id}"]) for item_id, _text in self.items]

    def checklist(self) -> dict[str, dict[str, Any]]:
        return {
            item_id: {
                "met": self.cleaned_data[f"met:{item_id}"],
                "note": self.cleaned_data[f"note:{item_id}"],
            }
            for item_id, _text in self.items
        }

    def show_error(self, error: MicrocredError) -> None:
        """Put an error on the checklist item (``checklist.<id>``) or field it names."""
        head, _, rest = (error.field or "").partition(".")
        item_id = rest.removesuffix(".note")
        if head == "checklist" and f"met:{item_id}" in self.fields:
            name = f"note:{item_id}" if rest.endswith(".note") else f"met:{item_id}"
            self.add_error(name, translated(error.message))
        else:
            add_error(self, error)


def _element_label(name: str) -> Any:
    """The label the design form gives an element of the specification, in the page's language."""
    if name in FIELDS_BY_NAME:
        return FIELDS_BY_NAME[name].label
    return OTHER_ELEMENTS.get(name, name.replace("_", " ").capitalize())


class CommentForm(forms.Form):
    """A reviewer's comment on one element of the specification."""

    field = forms.ChoiceField(
        label=_("Element"),
        required=False,
        choices=[("", "—"), *((name, _element_label(name)) for name in FIELDS)],
    )
    text = forms.CharField(label=_("Comment"), required=False, widget=NOTE, max_length=5000)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("text") and not data.get("field"):
            self.add_error("field", gettext("Choose the element this comment is about."))
        if data.get("field") and not data.get("text"):
            self.add_error("text", gettext("Write the comment, or leave the element empty."))
        return data


CommentFormSet = forms.formset_factory(CommentForm, extra=COMMENT_ROWS, max_num=20)


def _comments(formset: Any) -> list[dict[str, str]]:
    return [
        {"field": form.cleaned_data["field"], "text": form.cleaned_data["text"]}
        for form in formset.forms
        if form.cleaned_data.get("field")
    ]


class InviteForm(forms.Form):
    agency = forms.ChoiceField(label=_("Quality assurance agency"))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [
            (organisation.slug, organisation.name)
            for organisation in organisations.get_organisations()
            if organisation.type == OrganisationType.QA_AGENCY
        ]


class SettingsForm(forms.Form):
    profiles = forms.MultipleChoiceField(
        label=_("Quality profiles its micro-credentials must meet"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Beyond those the platform requires of every organisation."),
    )
    qa_process = forms.CharField(
        label=_("Its quality assurance process, in its own words"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, data: Any = None, *, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        required = set(services.required_profiles())
        cast(forms.MultipleChoiceField, self.fields["profiles"]).choices = [
            (profile_id, profile.name)
            for profile_id, profile in rules.PROFILES.items()
            if profile_id not in required
        ]


class AccreditationForm(forms.Form):
    name = forms.CharField(label=_("Name"), required=False, max_length=300)
    body = forms.CharField(label=_("Accrediting body"), required=False, max_length=300)
    url = forms.URLField(label=_("Web address"), required=False, assume_scheme="https")
    valid_until = forms.DateField(
        label=_("Valid until"),
        required=False,
        help_text=_("YYYY-MM-DD"),
        widget=forms.DateInput,
    )

    def accreditation(self) -> dict[str, str] | None:
        data = self.cleaned_data
        if not any(data.get(name) for name in ("name", "body", "url", "valid_until")):
            return None
        return {
            "name": data["name"],
            "body": data["body"],
            "url": data["url"],
            "valid_until": data["valid_until"].isoformat() if data["valid_until"] else "",
        }


AccreditationFormSet = forms.formset_factory(
    AccreditationForm, extra=ACCREDITATION_ROWS, max_num=50
)


# -- pages -----------------------------------------------------------------------------------


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _review_url(review: QAReview) -> str:
    version = review.version
    return reverse(
        "quality:studio-review",
        kwargs={
            "slug": version.microcredential.organisation.slug,
            "credential": version.microcredential.slug,
            "number": version.number,
        },
    )


def _design_url(slug: str, credential: str, number: int) -> str:
    return reverse(
        "catalogue:studio-version",
        kwargs={"slug": slug, "credential": credential, "number": number},
    )


@studio_page
@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisations.access_organisation(
        request.user, slug, roles=services.REVIEW_ROLES
    )
    entries = services.get_review_queue(organisation)
    return render(
        request,
        "quality/studio/queue.html",
        {
            "organisation": organisation,
            "internal": [entry for entry in entries if entry.stage != "external_invitation"],
            "invitations": [entry for entry in entries if entry.stage == "external_invitation"],
            "due": services.get_reviews_due(timezone.localdate(), organisation),
            "is_owner": Role.OWNER in organisations.get_roles(request.user, organisation),
        },
    )


@studio_page
@require_http_methods(["GET", "POST"])
def review(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    """One version's review: the findings, the checklist, comments per element, the decision."""
    found = services.access_review(request.user, slug, credential, number)
    form = ReviewForm(_posted(request), items=services.get_checklist(found.profiles))
    comments = CommentFormSet(_posted(request), prefix="comment")
    status = 200
    if request.method == "POST":
        if form.is_valid() and comments.is_valid():
            try:
                decided = services.decide_review(
                    actor=request.user,
                    review=found,
                    decision=form.cleaned_data["decision"],
                    checklist=form.checklist(),
                    comments=_comments(comments),
                    note=form.cleaned_data["note"],
                )
            except (InvalidInput, Conflict) as error:
                form.show_error(error)
            else:
                messages.success(request, _decided_message(decided))
                return redirect("quality:studio-queue", slug=_queue_of(request, decided).slug)
        status = 400
    return render(
        request,
        "quality/studio/review.html",
        {
            "review": found,
            "version": found.version,
            "organisation": found.version.microcredential.organisation,
            "queue_organisation": _queue_of(request, found),
            "reviews": services.get_reviews(found.version),
            "form": form,
            "comments": comments,
            "invite": InviteForm(),
            "specification": catalogue.get_specification(found.version),
        },
        status=status,
    )


def _decided_message(review: QAReview) -> str:
    """What the reviewer reads after deciding: where the version now stands."""
    values = {"number": review.version.number, "title": review.version.title}
    if review.status == ReviewStatus.RETURNED:
        text = gettext("Version %(number)s of %(title)s is returned with required changes.")
    elif review.status == ReviewStatus.EXTERNAL_REVIEW:
        text = gettext("Version %(number)s of %(title)s is in external review.")
    else:
        text = gettext("Version %(number)s of %(title)s is approved.")
    return text % values


def _queue_of(request: HttpRequest, review: QAReview) -> Organisation:
    """The queue the reviewer works from: the agency's for its reviewers, else the issuer's."""
    agency = review.external_agency
    if agency is not None and organisations.get_roles(request.user, agency):
        return agency
    return review.version.microcredential.organisation


@studio_page
@require_POST
def invite(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    found = services.access_review(request.user, slug, credential, number)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Choose a quality assurance agency."))
        return redirect(_review_url(found))
    try:
        invited = services.invite_external_review(
            actor=request.user, review=found, agency=form.cleaned_data["agency"]
        )
    except (InvalidInput, Conflict) as error:
        messages.error(request, error.message)
    else:
        agency = invited.external_agency
        assert agency is not None, "an invited review names its agency"
        messages.success(
            request,
            gettext("%(agency)s is invited; it reviews after your approval.")
            % {"agency": agency.name},
        )
    return redirect(_review_url(found))


@studio_page
@require_POST
def submit(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    """The designer's "Submit for quality review": refused while the page shows blocking
    findings (nothing is recorded, so the issuer's first-time figure is untouched)."""
    version = catalogue.access_version(
        request.user, slug, credential, number, roles=catalogue.DESIGN_ROLES
    )
    try:
        services.submit_version(actor=request.user, version=version, refuse_blocking=True)
    except Conflict as error:
        findings = error.data.get("findings", [])
        messages.error(
            request, " ".join([error.message, *(finding["message"] for finding in findings)])
        )
    else:
        messages.success(
            request,
            gettext("Version %(number)s is submitted for quality review.") % {"number": number},
        )
    return redirect(_design_url(slug, credential, number))


@studio_page
@require_POST
def draft_findings(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    """The findings the design form's current, unsaved values would have: the panel beside the
    form refreshes with them while the designer edits."""
    version = catalogue.access_version(
        request.user, slug, credential, number, roles=catalogue.DESIGN_ROLES
    )
    forms_ = DesignForms(
        request.POST,
        None,
        version,
        catalogue.get_outcomes(version),
        catalogue.get_rubric(version),
    )
    problem = gettext("Some fields are not valid yet; these are the findings of the saved draft.")
    if forms_.is_valid():
        try:
            found = services.get_draft_findings(version, forms_.changes())
        except InvalidInput as error:
            problem = error.message
        else:
            forms_.place_findings(found)
            return render(request, "quality/studio/_findings.html", {"findings": found})
    found = services.get_findings(version)
    forms_.place_findings(found)
    return render(request, "quality/studio/_findings.html", {"findings": found, "problem": problem})


@studio_page
@require_http_methods(["GET", "POST"])
def quality_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = organisations.access_organisation(request.user, slug, roles=(Role.OWNER,))
    current = services.get_quality_settings(organisation)
    form = SettingsForm(
        _posted(request),
        initial={"profiles": current.profiles, "qa_process": current.qa_process},
    )
    accreditations = AccreditationFormSet(
        _posted(request), prefix="accreditation", initial=current.accreditations or None
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and accreditations.is_valid():
            try:
                services.update_quality_settings(
                    actor=request.user,
                    organisation=organisation,
                    profiles=form.cleaned_data["profiles"],
                    qa_process=form.cleaned_data["qa_process"],
                    accreditations=[
                        item
                        for item in (each.accreditation() for each in accreditations.forms)
                        if item is not None
                    ],
                )
            except InvalidInput as error:
                add_error(form, error)
            else:
                messages.success(request, gettext("The quality settings are saved."))
                return redirect("quality:studio-settings", slug=slug)
        status = 400
    return render(
        request,
        "quality/studio/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "accreditations": accreditations,
            "required": [rules.PROFILES[item] for item in services.required_profiles()],
        },
        status=status,
    )


STUDIO = "studio/orgs/<slug:slug>/quality/"
VERSION = STUDIO + "<slug:credential>/v<int:number>/"

urlpatterns = [
    path(STUDIO, queue, name="studio-queue"),
    path(STUDIO + "settings", quality_settings, name="studio-settings"),
    path(VERSION, review, name="studio-review"),
    path(VERSION + "invite", invite, name="studio-invite"),
    path(VERSION + "submit", submit, name="studio-submit"),
    path(VERSION + "findings", draft_findings, name="studio-findings"),
]
