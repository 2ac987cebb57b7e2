"""Pages of judging: the assessor's queue, the review form, moderation, sign-off, CSV results.

They call services and render; a service's error is shown next to what it names.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.assessment import services
from microcred.core.pages import studio_page
from microcred.errors import Conflict, InvalidInput
from microcred.organisations import services as organisations

STUDIO = "studio/orgs/<slug:slug>/assessment/"


@studio_page
@require_GET
def queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The reviews assigned to the signed-in assessor, soonest due first."""
    organisation = organisations.access_organisation(
        request.user, slug, roles=services.ASSESSOR_ROLES
    )
    context = {
        "organisation": organisation,
        "reviews": services.get_queue(request.user, organisation),
        "can_sign_off": services.can_sign_off(request.user, organisation),
    }
    return render(request, "assessment/staff/queue.html", context)


@studio_page
def review(request: AuthenticatedHttpRequest, review_uuid: str) -> HttpResponse:
    """The submission and the rubric as a form: a level and feedback per criterion, overall
    feedback. Peers reach it from their dashboard, staff from their queue."""
    error = None
    status = 200
    if request.method == "POST":
        # score_review authorises; an error it raises comes after it has.
        item = services.get_review(review_uuid)
        try:
            services.score_review(
                actor=request.user,
                review=item,
                scores=_posted_scores(request),
                feedback=request.POST.get("feedback", ""),
            )
        except (InvalidInput, Conflict) as problem:
            error = problem
            status = 400
        else:
            messages.success(request, gettext("Thank you: your review is recorded."))
            return redirect(request.path)
    else:
        item = services.access_review(request.user, review_uuid)
    page = services.get_review_page(item)
    context = {
        "page": page,
        "error": error,
        "criteria": _criteria_rows(page, request.POST if error else None),
        "overall": request.POST.get("feedback", "") if error else page.review.feedback,
        "organisation": page.submission.enrolment.version.microcredential.organisation,
    }
    return render(request, "assessment/staff/review.html", context, status=status)


def _criteria_rows(page: Any, posted: Any) -> list[dict[str, Any]]:
    """Return each criterion with its levels, the level chosen and the feedback given: what
    was posted when the form comes back with an error, else the review's scores."""
    rows = []
    for criterion in page.criteria:
        score = page.scores.get(criterion.pk)
        if posted is not None:
            chosen = posted.get(f"level-{criterion.pk}", "")
            note = posted.get(f"feedback-{criterion.pk}", "")
        else:
            chosen = str(score.level_id) if score else ""
            note = score.feedback if score else ""
        rows.append(
            {
                "criterion": criterion,
                "levels": list(criterion.levels.all()),
                "chosen": chosen,
                "note": note,
                "score": score,
            }
        )
    return rows


def _posted_scores(request: HttpRequest) -> dict[str, Any]:
    """Read ``level-<criterion>`` and ``feedback-<criterion>`` fields into the service's scores."""
    scores: dict[str, Any] = {}
    for name, value in request.POST.items():
        kind, _, criterion = name.partition("-")
        if kind in ("level", "feedback") and criterion:
            scores.setdefault(criterion, {})[kind] = value
    return scores


@studio_page
@require_GET
def moderation(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Second-marked attempts: the assessor's, second marker's and moderator's outcomes."""
    rows = services.get_moderation(actor=request.user, organisation_slug=slug)
    context = {"organisation": organisations.get_organisation(slug), "rows": rows}
    return render(request, "assessment/staff/moderation.html", context)


@studio_page
@require_POST
def find_moderator(
    request: AuthenticatedHttpRequest, slug: str, submission_uuid: str
) -> HttpResponse:
    submission = services.access_moderation(request.user, submission_uuid)
    try:
        review = services.find_moderator(actor=request.user, submission=submission)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        name = review.reviewer.get_full_name() or review.reviewer.get_username()
        messages.success(request, gettext("%(name)s will moderate it.") % {"name": name})
    return redirect("assessment:moderation", slug=slug)


@studio_page
@require_GET
def signoff_list(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Passes waiting for a registrar's sign-off before their award is issued."""
    submissions = services.get_signoff_list(actor=request.user, organisation_slug=slug)
    context = {"organisation": organisations.get_organisation(slug), "submissions": submissions}
    return render(request, "assessment/staff/signoff.html", context)


@studio_page
@require_POST
def sign_off(request: AuthenticatedHttpRequest, slug: str, submission_uuid: str) -> HttpResponse:
    submission = services.get_submission(submission_uuid)
    try:
        signed = services.sign_off(actor=request.user, submission=submission)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        learner = signed.enrolment.learner.get_full_name()
        if signed.enrolment.award is not None:
            messages.success(
                request,
                gettext("Signed off: the credential was issued to %(learner)s.")
                % {"learner": learner},
            )
        else:
            messages.warning(
                request,
                gettext(
                    "Signed off: the pass of %(learner)s is recorded, but the credential could "
                    "not be signed now; it is issued when signing works again "
                    "(issue_awaiting_awards)."
                )
                % {"learner": learner},
            )
    return redirect("assessment:signoff", slug=slug)


@studio_page
def results(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Upload a CSV of exam or coursework results: every row is checked, then all applied."""
    versions = services.get_result_versions(actor=request.user, organisation_slug=slug)
    errors: list[Any] = []
    message = ""
    status = 200
    chosen = request.POST.get("version", "")
    if request.method == "POST":
        version = next((v for v in versions if str(v.achievement_uuid) == chosen), None)
        upload = request.FILES.get("file")
        if version is None:
            message = gettext("Choose a micro-credential.")
        elif upload is None:
            message = gettext("Choose a CSV file to upload.")
        else:
            try:
                count = services.apply_results_csv(
                    actor=request.user, version=version, content=upload.read()
                )
            except InvalidInput as error:
                message = error.message
                errors = error.data.get("errors", [])
            else:
                messages.success(
                    request, gettext("%(count)s result(s) entered.") % {"count": count}
                )
                return redirect("assessment:results", slug=slug)
        status = 400
    context = {
        "organisation": organisations.get_organisation(slug),
        "versions": versions,
        "chosen": chosen,
        "columns": services.CSV_COLUMNS,
        "message": message,
        "errors": errors,
    }
    return render(request, "assessment/staff/results.html", context, status=status)


@studio_page
@require_GET
def feedback(request: AuthenticatedHttpRequest, submission_uuid: str) -> HttpResponse:
    """The learner's feedback on one attempt: peers by number, the decision's reviewer by role."""
    submission = services.access_submission_for_feedback(request.user, submission_uuid)
    context = {
        "submission": submission,
        "feedback": services.get_feedback(request.user, submission),
    }
    return render(request, "assessment/staff/feedback.html", context)


urlpatterns = [
    path(f"{STUDIO}queue", queue, name="queue"),
    path(f"{STUDIO}moderation", moderation, name="moderation"),
    path(
        f"{STUDIO}moderation/<uuid:submission_uuid>/moderator",
        find_moderator,
        name="find-moderator",
    ),
    path(f"{STUDIO}signoff", signoff_list, name="signoff"),
    path(f"{STUDIO}signoff/<uuid:submission_uuid>", sign_off, name="sign-off"),
    path(f"{STUDIO}results", results, name="results"),
    path("assessment/reviews/<uuid:review_uuid>", review, name="review"),
    path("me/feedback/<uuid:submission_uuid>", feedback, name="feedback"),
]
