"""Pages of learning: the learner's dashboard, enrolment and submissions, evidence files, and
the staff pages for plans, assessor qualifications and assignment. They call services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.assessment import services
from microcred.assessment.forms import PlanForms
from microcred.assessment.models import IdentityVerification
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.catalogue.services import ParticipationForm
from microcred.core.pages import studio_page
from microcred.errors import Conflict, InvalidInput, MicrocredError, NotFound
from microcred.organisations import services as organisations
from microcred.organisations.services import Role

# -- the learner -----------------------------------------------------------------------------


@require_GET
@studio_page
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What the learner is working on, what is due, what was decided, and their awards."""
    return render(
        request,
        "assessment/learner/dashboard.html",
        {
            "entries": services.get_dashboard(request.user),
            "peer_reviews": services.get_peer_reviews(request.user),
            "record_organisations": awards.get_learner_record_organisations(request.user),
            "credential_count": awards.count_learner_awards(request.user),
        },
    )


@studio_page
def enrol(request: AuthenticatedHttpRequest, achievement: str) -> HttpResponse:
    """Enrol in a published version: choose the form of participation, then start."""
    version = catalogue.get_version_by_achievement(achievement)
    error = None
    if request.method == "POST":
        try:
            enrolment = services.enrol(
                actor=request.user,
                version=version,
                participation_form=request.POST.get("participation_form", ""),
            )
        except (InvalidInput, Conflict) as failure:
            error = failure
        else:
            messages.success(
                request, gettext("You are enrolled in %(title)s.") % {"title": version.title}
            )
            current = enrolment.submissions.get(attempt=1)
            return redirect("assessment:submission", uuid=current.uuid)
    return render(
        request,
        "assessment/learner/enrol.html",
        {
            "version": version,
            "plan": services.get_plan(version),
            "forms": ParticipationForm.choices,
            "error": error,
        },
        status=400 if error else 200,
    )


@studio_page
def submission(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A submission: the learner edits and submits a draft; anyone allowed reads it."""
    item = services.access_submission(request.user, uuid)
    error = None
    texts = None
    if request.method == "POST":
        texts = {
            key.removeprefix("texts:"): str(value)
            for key, value in request.POST.items()
            if key.startswith("texts:")
        }
        try:
            item = services.save_submission(actor=request.user, submission=item, texts=texts)
            if request.POST.get("action") == "submit":
                item = services.submit_submission(actor=request.user, submission=item)
                messages.success(
                    request, gettext("Submitted. You will be told when it is decided.")
                )
            else:
                messages.success(request, gettext("Your draft is saved."))
        except (InvalidInput, Conflict) as failure:
            error = failure
        else:
            return redirect("assessment:submission", uuid=item.uuid)
    return _submission_page(request, item, error=error, texts=texts)


def _submission_page(
    request: AuthenticatedHttpRequest,
    item: Any,
    *,
    error: MicrocredError | None = None,
    texts: dict[str, str] | None = None,
) -> HttpResponse:
    own = item.enrolment.learner_id == request.user.pk
    components = services.get_components(item)
    if texts is not None:
        for component in components:
            component.text = texts.get(component.key, component.text)
            component.answers = [
                (key, prompt, texts.get(key, answer)) for key, prompt, answer in component.answers
            ]
    return render(
        request,
        "assessment/learner/submission.html",
        {
            "submission": item,
            "version": item.enrolment.version,
            "plan": item.enrolment.version.assessment_plan,
            "components": components,
            "own": own,
            "editable": own and item.status == "draft",
            "choose_public": services.can_choose_public(request.user, item),
            "show_learner": services.can_see_learner(request.user, item),
            "verifier": not own and services.can_verify_identity(request.user, item.enrolment),
            "identity_methods": IdentityVerification.choices,
            "feedback": services.get_feedback(request.user, item) if own else [],
            "error": error,
            "accept": ",".join(
                ext
                for media_type in (item.enrolment.version.assessment_plan.file_types or [])
                for ext in services.FILE_TYPES[media_type]
            ),
        },
        status=400 if error else 200,
    )


@require_POST
@studio_page
def add_evidence(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    item = services.access_submission(request.user, uuid)
    try:
        services.add_evidence(
            actor=request.user,
            submission=item,
            component=request.POST.get("component", ""),
            file=request.FILES.get("file"),
            url=request.POST.get("url", ""),
            description=request.POST.get("description", ""),
            public=request.POST.get("public") == "on",
        )
    except (InvalidInput, Conflict) as failure:
        return _submission_page(request, item, error=failure)
    messages.success(request, gettext("Evidence added."))
    return redirect("assessment:submission", uuid=item.uuid)


@require_POST
@studio_page
def change_evidence(request: AuthenticatedHttpRequest, uuid: str, change: str) -> HttpResponse:
    """Remove an evidence item, or make it public or private."""
    item = services.access_evidence(request.user, uuid)
    submission = services.access_submission(request.user, item.submission.uuid)
    try:
        if change == "remove":
            services.remove_evidence(actor=request.user, item=item)
            messages.success(request, gettext("Evidence removed."))
        else:
            public = request.POST.get("public") == "on"
            services.set_evidence_public(actor=request.user, item=item, public=public)
            messages.success(
                request,
                gettext("It will show on your credential.")
                if public
                else gettext("It stays private."),
            )
    except (InvalidInput, Conflict) as failure:
        return _submission_page(request, submission, error=failure)
    return redirect("assessment:submission", uuid=submission.uuid)


@require_POST
@studio_page
def identity(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """Record how the learner's identity was verified (staff), back to the submission."""
    item = services.access_submission(request.user, uuid)
    try:
        services.record_identity_verification(
            actor=request.user, enrolment=item.enrolment, method=request.POST.get("method", "")
        )
    except InvalidInput as failure:
        messages.error(request, failure.message)
    else:
        messages.success(request, gettext("The identity verification is recorded."))
    return redirect("assessment:submission", uuid=item.uuid)


# -- evidence, for everyone allowed ----------------------------------------------------------


@require_GET
def evidence(request: HttpRequest, uuid: str) -> HttpResponse:
    """An evidence item's page: public evidence for anyone, the rest for those allowed."""
    try:
        item = services.access_evidence(request.user, uuid)
    except NotFound as error:
        raise Http404(error.message) from error
    return render(request, "assessment/learner/evidence.html", {"item": item})


@require_GET
def evidence_file(request: HttpRequest, uuid: str) -> FileResponse:
    """Stream an evidence file, only after :func:`services.access_evidence` allows it."""
    try:
        item = services.access_evidence(request.user, uuid)
        stream = services.open_evidence(item)
    except NotFound as error:
        raise Http404(error.message) from error
    response = FileResponse(
        stream, as_attachment=True, filename=item.filename, content_type=item.content_type
    )
    response["Cache-Control"] = "public, max-age=300" if item.public else "private, no-store"
    return response


# -- staff: the plan, assessors, assignment --------------------------------------------------


@studio_page
def plan(
    request: AuthenticatedHttpRequest, slug: str, credential: str, number: int
) -> HttpResponse:
    """Edit a draft version's assessment plan (read it once published)."""
    version = catalogue.access_version(
        request.user, slug, credential, number, roles=catalogue.DESIGN_ROLES
    )
    forms = PlanForms(
        request.POST if request.method == "POST" else None, services.get_plan(version)
    )
    status = 200
    if request.method == "POST":
        status = 400
        if forms.is_valid():
            try:
                services.save_plan(actor=request.user, version=version, **forms.changes())
            except (InvalidInput, Conflict) as failure:
                forms.show_error(failure)
            else:
                messages.success(request, gettext("The assessment plan is saved."))
                return redirect("assessment:plan", slug=slug, credential=credential, number=number)
    return render(
        request,
        "assessment/plan/edit.html",
        {
            "version": version,
            "organisation": version.microcredential.organisation,
            "forms": forms,
            "editable": version.status == "draft",
        },
        status=status,
    )


@studio_page
def assessors(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Assessor qualifications of an organisation: list, record and end them (owners)."""
    organisation = organisations.access_organisation(request.user, slug, roles=(Role.OWNER,))
    error = None
    if request.method == "POST":
        try:
            if "end" in request.POST:
                services.end_qualification(
                    actor=request.user,
                    qualification=services.get_qualification(organisation, request.POST["end"]),
                )
                messages.success(request, gettext("The qualification was ended."))
            else:
                services.qualify_assessor(
                    actor=request.user,
                    organisation=organisation,
                    user=request.POST.get("user", ""),
                    microcredential=request.POST.get("microcredential", ""),
                    trained_on=request.POST.get("trained_on") or None,
                    valid_until=request.POST.get("valid_until") or None,
                    notes=request.POST.get("notes", ""),
                )
                messages.success(request, gettext("The qualification is recorded."))
        except (InvalidInput, Conflict) as failure:
            error = failure
        else:
            return redirect("assessment:assessors", slug=slug)
    return render(
        request,
        "assessment/plan/assessors.html",
        {
            "organisation": organisation,
            "qualifications": services.get_qualifications(organisation),
            "microcredentials": catalogue.get_microcredentials(organisation),
            "submissions": services.get_submissions_to_assign(organisation),
            "error": error,
            "form": request.POST if error else {},
        },
        status=400 if error else 200,
    )


@require_POST
@studio_page
def assign(request: AuthenticatedHttpRequest, slug: str, uuid: str) -> HttpResponse:
    """Assign an assessor to a submission by hand (owners)."""
    organisations.access_organisation(request.user, slug, roles=(Role.OWNER,))
    item = services.access_submission(request.user, uuid)
    try:
        services.assign_assessor(
            actor=request.user, submission=item, assessor=request.POST.get("assessor", "")
        )
    except (InvalidInput, Conflict) as failure:
        messages.error(request, failure.message)
    else:
        messages.success(request, gettext("The assessor is assigned."))
    return redirect("assessment:assessors", slug=slug)


STUDIO = "studio/orgs/<slug:slug>/"

urlpatterns = [
    path("me/", dashboard, name="dashboard"),
    path("me/enrol/<uuid:achievement>", enrol, name="enrol"),
    path("me/submissions/<uuid:uuid>", submission, name="submission"),
    path("me/submissions/<uuid:uuid>/evidence", add_evidence, name="add-evidence"),
    path("me/submissions/<uuid:uuid>/identity", identity, name="identity"),
    path("me/evidence/<uuid:uuid>/remove", change_evidence, {"change": "remove"}, name="remove"),
    path("me/evidence/<uuid:uuid>/public", change_evidence, {"change": "public"}, name="public"),
    path("evidence/<uuid:uuid>", evidence, name="public_evidence"),
    path("evidence/<uuid:uuid>/file", evidence_file, name="evidence-file"),
    path(
        STUDIO + "credentials/<slug:credential>/v<int:number>/assessment",
        plan,
        name="plan",
    ),
    path(STUDIO + "assessment/assessors", assessors, name="assessors"),
    path(STUDIO + "assessment/submissions/<uuid:uuid>/assign", assign, name="assign"),
]
