"""Pages of recognition: the learner's requests and what their credentials are worth, the
evaluators' queue, comparison and decisions, transfer values. They call services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from microcred.accounts.auth import AuthenticatedHttpRequest
from microcred.catalogue import services as catalogue
from microcred.core.pages import add_error, studio_page
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound, RateLimited
from microcred.recognition import services
from microcred.recognition.forms import (
    ApplyForm,
    ChooseVersionForm,
    ConvertForm,
    DecisionForm,
    EvidenceFilesForm,
    GradingTableForm,
    ProposalForm,
    TransferValueForm,
)

# -- the learner -----------------------------------------------------------------------------


@require_GET
@studio_page
def my_requests(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/learner/requests.html",
        {"requests": services.get_learner_requests(request.user)},
    )


# How many versions the first step of an application offers: a page that loads at once;
# more words narrow the search.
VERSIONS_TO_CHOOSE_FROM = 20


@studio_page
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Apply for recognition of prior learning as a published version.

    The learner first finds the version by searching the catalogue (``?q=``), then fills in
    the form for it (``?version=`` its achievement's UUID): a list of every published
    version to choose from would be a page of megabytes at a national catalogue's size.
    """
    reference = (request.POST if request.method == "POST" else request.GET).get("version", "")
    if not reference:
        return _choose_version(request)
    try:
        version = catalogue.get_version_by_achievement(reference)
    except NotFound:
        return _choose_version(
            request,
            error=gettext("No published micro-credential has this reference: search for it."),
            status=400 if request.method == "POST" else 404,
        )
    form = ApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.apply_for_recognition(
                actor=request.user,
                version=version,
                statement=form.cleaned_data["statement"],
                learning_setting=form.cleaned_data["learning_setting"],
                credentials=[
                    services.Submission(data, source) for data, source in form.submissions()
                ],
                evidence=form.evidence_items(),
                files=form.cleaned_data["evidence_files"],
            )
        except (InvalidInput, RateLimited) as error:
            add_error(form, error)
        else:
            messages.success(request, gettext("Your request is with the evaluators."))
            return redirect("recognition:request", uuid=created.uuid)
    context = {"form": form, "version": version}
    return render(request, "recognition/learner/apply.html", context)


def _choose_version(
    request: AuthenticatedHttpRequest, *, error: str = "", status: int = 200
) -> HttpResponse:
    """The first step of an application: the catalogue's results for the learner's words."""
    form = ChooseVersionForm(request.GET)
    results = None
    if form.is_valid():
        results = catalogue.search_catalogue(
            q=form.cleaned_data["q"], limit=VERSIONS_TO_CHOOSE_FROM
        )
    else:
        status = 400
    context = {"form": form, "results": results, "error": error}
    return render(request, "recognition/learner/choose.html", context, status=status)


@require_GET
@studio_page
def request_page(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """A request as its learner sees it: what was submitted, how it verified, the decision."""
    item = services.access_request(request.user, uuid)
    return _learner_page(request, item, EvidenceFilesForm())


def _learner_page(
    request: AuthenticatedHttpRequest, item: Any, form: EvidenceFilesForm, status: int = 200
) -> HttpResponse:
    context = {"item": item, "files_form": form, "own": item.learner_id == request.user.pk}
    return render(request, "recognition/learner/request.html", context, status=status)


@require_POST
@studio_page
def attach_files(request: AuthenticatedHttpRequest, uuid: str) -> HttpResponse:
    """The learner attaches files to their request while it waits for an evaluator."""
    item = services.access_own_request(request.user, uuid)
    form = EvidenceFilesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attach_evidence_files(
                actor=request.user, request=item, files=form.cleaned_data["evidence_files"]
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            messages.success(request, gettext("The files are attached to your request."))
            return redirect("recognition:request", uuid=item.uuid)
    return _learner_page(request, services.access_own_request(request.user, uuid), form, 400)


@require_GET
@login_required
def evidence_file(
    request: AuthenticatedHttpRequest, uuid: str, file: str
) -> FileResponse | HttpResponse:
    """Send an attached file to the learner or an evaluator, as a download of its checked type
    (the security middleware adds the sandbox policy every user file is served with)."""
    try:
        item = services.access_evidence_file(request.user, uuid, file)
    except NotFound as error:
        raise Http404(error.message) from error
    except Forbidden as error:
        return render(request, "core/forbidden.html", {"message": error.message}, status=403)
    response = FileResponse(
        services.open_evidence_file(item),
        as_attachment=True,
        filename=item.filename,
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@studio_page
def worth(request: AuthenticatedHttpRequest) -> HttpResponse:
    """What my credentials are worth at each organisation that publishes transfer values."""
    return render(
        request,
        "recognition/learner/worth.html",
        {"organisations": services.get_credential_worth(request.user)},
    )


# -- evaluators ------------------------------------------------------------------------------


@require_GET
@studio_page
def studio_queue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organisation = services.access_evaluating(request.user, slug)
    return render(
        request,
        "recognition/studio/queue.html",
        {
            "organisation": organisation,
            "queue": services.get_queue(actor=request.user, organisation_slug=slug),
        },
    )


@require_GET
@studio_page
def studio_request(request: AuthenticatedHttpRequest, slug: str, uuid: str) -> HttpResponse:
    services.access_evaluating(request.user, slug)
    return _request_page(request, services.get_request(slug, uuid))


def _request_page(
    request: AuthenticatedHttpRequest,
    item: Any,
    *,
    proposal: ProposalForm | None = None,
    decision: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "recognition/studio/request.html",
        {
            "organisation": item.organisation,
            "item": item,
            "comparison": services.get_comparison(item),
            "proposal": proposal or ProposalForm(),
            "decision": decision or DecisionForm(),
            "can_confirm": item.proposed_by_id != request.user.pk,
        },
        status=status,
    )


@require_POST
@studio_page
def studio_propose(request: AuthenticatedHttpRequest, slug: str, uuid: str) -> HttpResponse:
    item = services.get_request(slug, uuid)
    form = ProposalForm(request.POST)
    if form.is_valid():
        try:
            services.propose_decision(
                actor=request.user,
                request=item,
                decision=form.cleaned_data["decision"],
                reasons=form.cleaned_data["reasons"],
                credit_value=form.cleaned_data["credit_value"],
                credit_system=form.cleaned_data["credit_system"],
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        else:
            messages.success(request, gettext("Proposed; a second evaluator confirms it."))
            return redirect("recognition:studio-request", slug=slug, uuid=item.uuid)
    else:
        # Authorise before showing the page again with the errors.
        services.access_evaluating(request.user, slug)
    return _request_page(request, item, proposal=form, status=400)


@require_POST
@studio_page
def studio_decide(request: AuthenticatedHttpRequest, slug: str, uuid: str) -> HttpResponse:
    item = services.get_request(slug, uuid)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_recognition(
                actor=request.user,
                request=item,
                confirm=form.cleaned_data["confirm"] == "yes",
                note=form.cleaned_data["note"],
            )
        except (InvalidInput, Conflict) as error:
            add_error(form, error)
        except Forbidden as error:
            if error.code != "recognition.four_eyes":
                raise
            add_error(form, error)
        else:
            messages.success(
                request,
                gettext("Decided.")
                if form.cleaned_data["confirm"] == "yes"
                else gettext("Returned."),
            )
            return redirect("recognition:studio-request", slug=slug, uuid=item.uuid)
    else:
        services.access_evaluating(request.user, slug)
    return _request_page(request, item, decision=form, status=400)


@studio_page
def studio_transfer_values(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's transfer values, and a form to publish one more."""
    organisation = services.access_evaluating(request.user, slug)
    versions = catalogue.get_published_versions(organisation=slug)
    form = TransferValueForm(request.POST or None, versions=versions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        credits = {data["credit_system"]: data["credits"]} if data["credits"] else {}
        try:
            services.create_transfer_value(
                actor=request.user,
                organisation_slug=slug,
                target_version=catalogue.get_version_by_achievement(data["target_version"]),
                source_achievement=data["source_achievement"],
                source_issuer=data["source_issuer"],
                source_name=data["source_name"],
                credits=credits,
                component=data["component"],
                description=data["description"],
            )
        except InvalidInput as error:
            add_error(form, error)
        else:
            messages.success(request, gettext("Transfer value published."))
            return redirect("recognition:studio-transfer-values", slug=slug)
    return render(
        request,
        "recognition/studio/transfer_values.html",
        {
            "organisation": organisation,
            "form": form,
            "values": services.get_transfer_value_records(organisation=organisation),
        },
        status=400 if form.errors else 200,
    )


@studio_page
def studio_grading_tables(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Publish the distribution of the organisation's passing grades in a field."""
    organisation = services.access_evaluating(request.user, slug)
    form = GradingTableForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_grading_table(
                actor=request.user, organisation_slug=slug, **form.cleaned_data
            )
        except InvalidInput as error:
            add_error(form, error)
        else:
            messages.success(request, gettext("Grading table published."))
            return redirect("recognition:studio-grading-tables", slug=slug)
    return render(
        request,
        "recognition/studio/grading_tables.html",
        {
            "organisation": organisation,
            "form": form,
            "tables": [
                table
                for table in services.get_grading_tables()
                if table.organisation_id == organisation.pk
            ],
        },
        status=400 if form.errors else 200,
    )


# -- public ----------------------------------------------------------------------------------


@require_GET
def convert(request: HttpRequest) -> HttpResponse:
    """Convert a grade between two published grading tables, showing how."""
    tables = services.get_grading_tables()
    form = ConvertForm(request.GET or None, tables=tables)
    conversion = None
    if form.is_bound and form.is_valid():
        try:
            conversion = services.convert_grade(**form.cleaned_data)
        except (InvalidInput, NotFound) as error:
            add_error(form, error)
    return render(
        request,
        "recognition/public/convert.html",
        {
            "form": form,
            "tables": tables,
            "conversion": conversion,
            "shares": [(grade, f"{share * 100:.1f}%") for grade, share in conversion.shares.items()]
            if conversion
            else [],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def transfer_values_ctdl(request: HttpRequest, org: str) -> HttpResponse:
    """The organisation's published transfer values as CTDL TransferValueProfiles (JSON-LD)."""
    try:
        document = services.get_transfer_value_document(org)
    except NotFound as error:
        raise Http404(error.message) from error
    return _json_ld(document)


@require_GET
def transfer_value_ctdl(request: HttpRequest, org: str, uuid: str) -> HttpResponse:
    try:
        document = services.get_transfer_value_profile(org, uuid)
    except NotFound as error:
        raise Http404(error.message) from error
    return _json_ld(document)


def _json_ld(document: dict[str, Any]) -> HttpResponse:
    return JsonResponse(document, content_type="application/ld+json")
