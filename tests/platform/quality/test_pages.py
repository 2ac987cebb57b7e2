"""The staff pages of quality assurance, and the quality panel on the designer's pages."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.audit.models import AuditEvent
from microcred.catalogue.models import MicroCredentialVersion
from microcred.quality import services
from microcred.quality.models import QAReview
from microcred.quality.report import get_issuer_quality
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import make_organisation, make_user
from tests.platform.quality.factories import approve, make_reviewer, publish, vet

VAGUE = ["Understand classroom assessment", "Give feedback that helps students learn"]


def where(version: MicroCredentialVersion) -> str:
    return f"{version.microcredential.organisation.slug}/{version.microcredential.slug}"


def design_url(version: MicroCredentialVersion, page: str = "") -> str:
    organisation, credential = where(version).split("/")
    return f"/studio/orgs/{organisation}/credentials/{credential}/v{version.number}/{page}"


def review_url(version: MicroCredentialVersion, page: str = "") -> str:
    organisation, credential = where(version).split("/")
    return f"/studio/orgs/{organisation}/quality/{credential}/v{version.number}/{page}"


def decision(review: QAReview, verdict: str = "yes", **fields: Any) -> dict[str, Any]:
    data = {
        "comment-TOTAL_FORMS": "3",
        "comment-INITIAL_FORMS": "0",
        "decision": "approve",
        "note": "",
    }
    for item_id, _ in services.get_checklist(review.profiles):
        data[f"met:{item_id}"] = verdict
        data[f"note:{item_id}"] = ""
    data.update(fields)
    return data


def test_the_designer_sees_findings_submits_fixes_and_sees_the_gate(client: Client) -> None:
    draft = make_draft(outcomes=VAGUE)
    vet(draft.microcredential.organisation)
    client.force_login(draft.created_by)
    page = client.get(design_url(draft, "edit")).text
    assert "Automatic checks" in page and "Blocking" in page
    assert '<a href="#id_o-outcomes">Learning outcomes, outcome 1</a>' in page
    assert "Submit for quality review" in page
    assert "needs an approved quality review" in page
    response = client.post(review_url(draft, "submit"), follow=True)
    assert "Not submitted: fix the 1 blocking finding of the automatic checks first." in (
        response.text
    )
    assert "&#x27;understand&#x27;" in response.text.split("Not submitted", 1)[1].split("</", 1)[0]
    assert services.get_latest_review(draft) is None

    publish_page = client.get(design_url(draft, "publish")).text
    assert "It cannot be published yet" in publish_page and "four eyes" in publish_page
    assert '<button type="submit">Publish' not in publish_page
    assert client.post(design_url(draft, "publish")).status_code == 400


def test_a_submission_refused_on_the_page_is_no_returned_first_submission(
    client: Client,
) -> None:
    organisation = make_organisation()
    vet(organisation)
    refused = make_draft(organisation, outcomes=VAGUE)
    client.force_login(refused.created_by)
    client.post(review_url(refused, "submit"))
    assert not QAReview.objects.filter(version=refused).exists()
    assert not AuditEvent.objects.filter(action__in=["qa.submit", "qa.return"]).exists()
    approve(make_draft(organisation))
    figures = get_issuer_quality(organisation)
    assert (figures.first_submissions, figures.first_time_percent) == (1, 100)


def test_the_findings_follow_the_unsaved_form_while_editing(client: Client) -> None:
    draft = make_draft()
    client.force_login(draft.created_by)
    form = {
        "v-title": "Classroom assessment",
        "v-achievement_type": "MicroCredential",
        "v-workload_hours": "55",
        "o-outcomes": "Understand classroom assessment",
        "k-TOTAL_FORMS": "0",
        "k-INITIAL_FORMS": "0",
    }
    response = client.post(review_url(draft, "findings"), form)
    assert response.status_code == 200
    assert 'data-anchor="id_o-outcomes"' in response.text
    assert "Learning outcomes, outcome 1" in response.text and "coherence.rubric" in response.text
    assert "not valid yet" not in response.text
    assert services.get_findings(draft) != [] and not [
        item for item in services.get_findings(draft) if item["severity"] == "error"
    ]
    invalid = client.post(review_url(draft, "findings"), {**form, "v-title": ""})
    assert invalid.status_code == 200 and "not valid yet" in invalid.text
    assert "coherence.rubric" not in invalid.text


def test_the_reviewer_walks_the_checklist_and_returns_it_with_comments(client: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    reviewer = make_reviewer(organisation)
    client.force_login(reviewer)
    queue = client.get(f"/studio/orgs/{organisation.slug}/quality/")
    assert queue.status_code == 200 and review_url(draft) in queue.text
    page = client.get(review_url(draft))
    assert page.status_code == 200
    assert "Checklist" in page.text and "The specification" in page.text
    for _, text in services.get_checklist(review.profiles):
        assert text in page.text

    unmet = decision(review, "no")
    refused = client.post(review_url(draft), unmet)
    assert refused.status_code == 400 and "Approval needs every checklist item met" in refused.text
    no_note = client.post(review_url(draft), {**unmet, "decision": "return"})
    assert no_note.status_code == 400 and "Say which changes are required" in no_note.text
    half = client.post(review_url(draft), {**unmet, "comment-0-text": "Which element?"})
    assert half.status_code == 400 and "Choose the element" in half.text
    returned = client.post(
        review_url(draft),
        {
            **unmet,
            "decision": "return",
            "note": "Evidence the workload.",
            "comment-0-field": "workload_hours",
            "comment-0-text": "55 hours for two outcomes?",
        },
    )
    assert returned.status_code == 302
    assert returned["Location"] == f"/studio/orgs/{organisation.slug}/quality/"
    decided = services.get_latest_review(draft)
    assert decided.status == "returned" and decided.comments == [
        {"field": "workload_hours", "text": "55 hours for two outcomes?"}
    ]

    client.force_login(draft.created_by)
    version_page = client.get(design_url(draft)).text
    assert "Returned by" in version_page and "Evidence the workload." in version_page
    assert "55 hours for two outcomes?" in version_page
    assert "Submit for quality review" in version_page


def test_the_reviewer_approves_and_the_designer_may_publish(client: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    client.force_login(make_reviewer(organisation))
    assert client.post(review_url(draft), decision(review)).status_code == 302
    assert services.get_latest_review(draft).status == "approved"
    client.force_login(draft.created_by)
    page = client.get(design_url(draft)).text
    assert "Approved by" in page and "Publish…" in page and "Not publishable" not in page
    assert client.post(design_url(draft, "publish"), {"confirm": "on"}).status_code == 302
    assert MicroCredentialVersion.objects.get(pk=draft.pk).status == "published"


def test_the_edit_page_is_closed_while_the_draft_is_in_review(client: Client) -> None:
    draft = make_draft()
    vet(draft.microcredential.organisation)
    services.submit_version(actor=draft.created_by, version=draft)
    client.force_login(draft.created_by)
    response = client.get(design_url(draft, "edit"), follow=True)
    assert response.redirect_chain[0][0] == design_url(draft)
    assert "it can change once the reviewer has decided" in response.text


def test_the_designer_cannot_approve_own_version_on_the_page(client: Client) -> None:
    draft = make_draft()
    vet(draft.microcredential.organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    client.force_login(draft.created_by)
    assert client.post(review_url(draft), decision(review)).status_code == 403
    assert services.get_latest_review(draft).status == "internal_review"


def test_inviting_an_agency_from_the_review_page(client: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    agency = make_organisation(name="Agency for Quality", slug="afq", type="qa_agency")
    client.force_login(make_reviewer(organisation))
    assert "Agency for Quality" in client.get(review_url(draft)).text
    bad = client.post(review_url(draft, "invite"), {"agency": organisation.slug}, follow=True)
    assert "Choose a quality assurance agency" in bad.text
    done = client.post(review_url(draft, "invite"), {"agency": "afq"}, follow=True)
    assert "Agency for Quality is invited" in done.text
    assert client.post(review_url(draft), decision(review)).status_code == 302

    auditor = make_reviewer(agency)
    client.force_login(auditor)
    queue = client.get("/studio/orgs/afq/quality/").text
    assert "Invitations to review as an agency" in queue and review_url(draft) in queue
    response = client.post(review_url(draft), decision(review))
    assert response.status_code == 302 and response["Location"] == "/studio/orgs/afq/quality/"
    final = services.get_latest_review(draft)
    assert (final.status, final.external_reviewer) == ("approved", auditor)


def test_the_queue_lists_reviews_due_without_a_query_per_row(client: Client) -> None:
    organisation = make_organisation()
    for number in range(3):
        draft = make_draft(
            organisation,
            title=f"Course {number}",
            review_date=date.today() + timedelta(days=1),
        )
        publish(draft)
    QAReview.objects.update(submitted_at=QAReview.objects.first().submitted_at)
    client.force_login(make_reviewer(organisation))
    url = f"/studio/orgs/{organisation.slug}/quality/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    make_draft(organisation, title="Course 4", review_date=date.today() + timedelta(days=1))
    services.submit_version(
        actor=MicroCredentialVersion.objects.get(title="Course 4").created_by,
        version=MicroCredentialVersion.objects.get(title="Course 4"),
    )
    with CaptureQueriesContext(connection) as more:
        page = client.get(url)
    assert len(more) <= len(few) + 1
    assert "Course 4" in page.text
    assert "No published micro-credential has reached its review date" in page.text


def test_the_owner_edits_the_settings(client: Client) -> None:
    owner = make_user()
    organisation = make_organisation(owner)
    client.force_login(owner)
    url = f"/studio/orgs/{organisation.slug}/quality/settings"
    page = client.get(url).text
    assert "New Zealand" in page or "NZQA" in page
    assert 'name="profiles"' in page and 'value="eu-annex-i"' not in page
    data = {
        "profiles": ["nzqa", "in-ncvet"],
        "qa_process": "Each version is read by two colleagues.",
        "accreditation-TOTAL_FORMS": "2",
        "accreditation-INITIAL_FORMS": "0",
        "accreditation-0-name": "Institutional accreditation",
        "accreditation-0-body": "NVAO",
        "accreditation-0-url": "https://www.nvao.net/",
        "accreditation-0-valid_until": "2030-06-30",
    }
    assert client.post(url, data).status_code == 302
    saved = services.get_quality_settings(organisation)
    assert saved.profiles == ["nzqa", "in-ncvet"]
    assert saved.accreditations == [
        {
            "name": "Institutional accreditation",
            "body": "NVAO",
            "url": "https://www.nvao.net/",
            "valid_until": "2030-06-30",
        }
    ]
    bad = client.post(url, {**data, "accreditation-0-body": "", "profiles": ["mars"]})
    assert bad.status_code == 400 and "mars" in bad.text
    missing_body = client.post(url, {**data, "accreditation-0-body": ""})
    assert missing_body.status_code == 400 and "needs its body" in missing_body.text
    assert services.get_quality_settings(organisation).accreditations[0]["body"] == "NVAO"
