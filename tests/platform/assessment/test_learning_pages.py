"""Learner pages (dashboard, enrolment, submission with uploads) and the staff pages for plans
and assessors: forms that work without JavaScript, with labels."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from microcred.assessment.models import AssessmentPlan, Enrolment, EvidenceItem, Review
from tests.platform.assessment.factories import (
    PDF,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_evidence,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_user

COMPLETED = {"status": "completed", "completed_at": timezone.now(), "feedback": "Clear."}


def _labelled(html: str) -> None:
    """Every textarea, select and visible input has a label naming its id."""
    ids = set(re.findall(r'<label for="([^"]+)"', html))
    for tag in re.findall(r"<(?:textarea|select|input)\b[^>]*>", html):
        if 'type="hidden"' in tag or 'type="submit"' in tag:
            continue
        found = re.search(r'id="([^"]+)"', tag)
        assert found and found.group(1) in ids, tag


def test_a_learner_enrols_writes_uploads_and_submits_through_the_pages(client) -> None:
    version = make_assessed_version()
    make_assessor(version.microcredential.organisation)
    learner = make_learner()
    client.force_login(learner)
    page = client.get(
        f"/catalogue/{version.microcredential.organisation.slug}/{version.microcredential.slug}/"
    )
    assert f"/me/enrol/{version.achievement_uuid}" in page.content.decode()
    page = client.get(f"/me/enrol/{version.achievement_uuid}")
    assert page.status_code == 200
    _labelled(page.content.decode())
    response = client.post(
        f"/me/enrol/{version.achievement_uuid}", {"participation_form": "online"}
    )
    submission = Enrolment.objects.get(learner=learner).submissions.get()
    assert response["Location"] == f"/me/submissions/{submission.uuid}"

    page = client.get(response["Location"]).content.decode()
    _labelled(page)
    assert "What would you change next time?" in page
    url = f"/me/submissions/{submission.uuid}"
    response = client.post(url, {"texts:goal": "Fair tests.", "action": "save"})
    assert response.status_code == 302
    response = client.post(url, {"texts:goal": "Fair tests.", "action": "submit"})
    assert response.status_code == 400
    assert "missing: An assessment you designed" in response.content.decode()

    response = client.post(
        f"{url}/evidence",
        {"component": "artefact", "file": SimpleUploadedFile("test.exe", b"MZ\x00\x01")},
    )
    assert response.status_code == 400
    assert "test.exe is not an accepted type of file" in response.content.decode()
    assert not EvidenceItem.objects.exists()
    response = client.post(
        f"{url}/evidence",
        {
            "component": "artefact",
            "description": "The test.",
            "public": "on",
            "file": SimpleUploadedFile("test.pdf", PDF),
        },
    )
    assert response.status_code == 302
    item = EvidenceItem.objects.get()
    assert item.public
    client.post(f"/me/evidence/{item.uuid}/public", {})
    item.refresh_from_db()
    assert not item.public

    response = client.post(
        url,
        {
            "texts:goal": "Fair tests.",
            "texts:reflection.1": "Rubrics helped.",
            "texts:reflection.2": "Start sooner.",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "assessment"
    page = client.get(url).content.decode()
    assert "With the assessor" in page and "Rubrics helped." in page
    assert "<textarea" not in page

    dashboard = client.get("/me/").content.decode()
    assert version.title in dashboard and "Decision due" in dashboard


def test_the_dashboard_shows_decisions_and_awards(client) -> None:
    version = make_assessed_version(title="Feedback literacy")
    learner = make_learner()
    enrolment = make_enrolment(version, learner)
    make_submission(enrolment, outcome="pass", status="decided", decided_at=timezone.now())
    enrolment.award = issue(
        make_registrar(version.microcredential.organisation), version, learner_email=learner.email
    )
    enrolment.status = "passed"
    enrolment.save()
    client.force_login(learner)
    page = client.get("/me/").content.decode()
    assert "Attempt 1: Pass" in page
    assert f'href="/credentials/{enrolment.award.uuid}"' in page
    client.force_login(make_learner())
    assert "Feedback literacy" not in client.get("/me/").content.decode()
    client.logout()
    assert client.get("/me/")["Location"].startswith("/login")


def test_a_decided_attempt_no_longer_offers_to_change_what_is_public(client) -> None:
    learner = make_learner()
    enrolment = make_enrolment(make_assessed_version(), learner)
    submission = make_submission(enrolment, evidence=False)
    item = make_evidence(submission, public=True)
    client.force_login(learner)
    url = f"/me/submissions/{submission.uuid}"
    assert "Show on my credential" in client.get(url).content.decode()

    submission.status, submission.outcome = "decided", "fail"
    submission.decided_at = timezone.now()
    submission.save()
    page = client.get(url).content.decode()
    assert "Show on my credential" not in page
    assert f"/me/evidence/{item.uuid}/public" not in page
    response = client.post(f"/me/evidence/{item.uuid}/public", {})
    assert response.status_code == 400
    assert "Attempt 1 is decided, so which of its evidence is public" in response.content.decode()
    item.refresh_from_db()
    assert item.public


def test_learner_pages_link_to_the_feedback_once_there_is_some(client) -> None:
    version = make_assessed_version(plan={"peer_reviews": 1})
    learner = make_learner()
    enrolment = make_enrolment(version, learner)
    first = make_submission(enrolment, outcome="resubmit", status="decided")
    first.decided_at = timezone.now()
    first.save()
    make_review(first, make_assessor(version.microcredential.organisation), **COMPLETED)
    current = make_submission(enrolment)
    peer = make_review(current, make_learner(), "peer")
    client.force_login(learner)
    first_link = f'href="/me/feedback/{first.uuid}"'
    current_link = f'href="/me/feedback/{current.uuid}"'

    dashboard = client.get("/me/").content.decode()
    assert first_link in dashboard and current_link not in dashboard
    assert current_link not in client.get(f"/me/submissions/{current.uuid}").content.decode()
    assert first_link in client.get(f"/me/submissions/{first.uuid}").content.decode()

    Review.objects.filter(pk=peer.pk).update(**COMPLETED)
    dashboard = client.get("/me/").content.decode()
    assert first_link in dashboard and current_link in dashboard
    assert current_link in client.get(f"/me/submissions/{current.uuid}").content.decode()
    assert client.get(f"/me/feedback/{current.uuid}").status_code == 200


def plan_form(components: list[dict[str, str]], **settings: str) -> dict[str, str]:
    """The plan page's fields as a browser sends them: the settings, one form per component."""
    form = {
        "p-peer_reviews": "2",
        "p-max_attempts": "3",
        "p-decision_days": "10",
        "p-max_file_mb": "5",
        "p-file_types": "application/pdf",
        "p-prerequisite_achievements": "",
        "component-TOTAL_FORMS": str(len(components)),
        "component-INITIAL_FORMS": "0",
        **{f"p-{name}": value for name, value in settings.items()},
    }
    for index, component in enumerate(components):
        form.update({f"component-{index}-{name}": value for name, value in component.items()})
    return form


GOAL = {"key": "goal", "kind": "goal", "label": "Your goal", "required": "on"}
REFLECTION = {
    "key": "reflection",
    "kind": "reflection",
    "label": "Reflection",
    "instructions": "A paragraph for each.",
    "required": "on",
    "prompts": "What worked?\nWhat would you change?",
}
EXAM = {"key": "exam", "kind": "result", "label": "Exam", "maximum": "10", "pass_mark": "5.5"}


def plan_url(version) -> str:
    return (
        f"/studio/orgs/{version.microcredential.organisation.slug}/credentials/"
        f"{version.microcredential.slug}/v{version.number}/assessment"
    )


def test_designers_edit_the_plan_of_a_draft_in_fields_one_form_per_component(client) -> None:
    draft = make_draft()
    client.force_login(draft.created_by)
    page = client.get(plan_url(draft)).content.decode()
    _labelled(page)
    assert "<textarea" in page and "JSON" not in page
    assert 'name="component-0-key"' in page and 'name="component-1-key"' not in page

    response = client.post(plan_url(draft), plan_form([GOAL, REFLECTION, EXAM, {"kind": "goal"}]))
    assert response.status_code == 302
    plan = AssessmentPlan.objects.get(version=draft)
    assert (plan.peer_reviews, plan.decision_days, plan.file_types) == (2, 10, ["application/pdf"])
    assert [component["key"] for component in plan.components] == ["goal", "reflection", "exam"]
    assert plan.components[1]["prompts"] == ["What worked?", "What would you change?"]
    assert (
        plan.components[2] | {"minimum": 0.0, "maximum": 10.0, "pass_mark": 5.5}
        == (plan.components[2])
    )
    page = client.get(plan_url(draft)).content.decode()
    assert 'name="component-2-pass_mark" value="5.5"' in page
    assert 'name="component-3-key"' in page  # one empty form to add a component


@pytest.mark.parametrize(
    ("components", "changes", "field", "error"),
    [
        ([GOAL, {**GOAL, "label": "Again"}], {}, "component-1-key", "the key &#x27;goal&#x27;"),
        ([{**GOAL, "key": "Has Spaces"}], {}, "component-0-key", "Component 1: the key must"),
        ([{**GOAL, "label": ""}], {}, "component-0-label", "Component 1 needs a label."),
        ([{**REFLECTION, "prompts": ""}], {}, "component-0-prompts", "needs at least one prompt"),
        ([{**EXAM, "minimum": "20"}], {}, "component-0-maximum", "highest result must be above"),
        ([{**EXAM, "pass_mark": "11"}], {}, "component-0-pass_mark", "pass mark must be from 0"),
        ([{**EXAM, "pass_mark": "lots"}], {}, "component-0-pass_mark", "Enter a number."),
        ([GOAL], {"max_attempts": "0"}, "p-max_attempts", "greater than or equal to 1"),
        ([GOAL], {"prerequisite_achievements": "nope"}, "p-prerequisite_achievements", "nope"),
        ([], {}, None, "The plan needs at least one component"),
    ],
)
def test_bad_input_on_the_plan_form_is_shown_by_its_field_and_saves_nothing(
    client, components, changes, field, error
) -> None:
    draft = make_draft()
    client.force_login(draft.created_by)
    response = client.post(plan_url(draft), plan_form(components, **changes))
    assert response.status_code == 400
    page = response.content.decode()
    if field is None:
        assert error in page[page.index("<form") :]
    else:
        start = page.index(f'name="{field}"')
        assert error in page[start : page.find('<div class="field">', start)]
    assert not AssessmentPlan.objects.filter(version=draft).exists()


def test_owners_record_qualifications_and_assign_on_the_assessors_page(client) -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    owner = organisation.memberships.get(role="owner").user
    client.force_login(owner)
    url = f"/studio/orgs/{organisation.slug}/assessment/assessors"
    person = add_member(organisation, make_user(first_name="Ada", last_name="Assessor"), "assessor")
    response = client.post(url, {"user": "nobody"})
    assert response.status_code == 400 and "No user" in response.content.decode()
    response = client.post(url, {"user": person.username, "valid_until": "2999-12-31"})
    assert response.status_code == 302
    submission = make_submission(make_enrolment(version))
    page = client.get(url).content.decode()
    _labelled(page)
    assert "Ada Assessor" in page and f"/me/submissions/{submission.uuid}" in page
    response = client.post(
        f"/studio/orgs/{organisation.slug}/assessment/submissions/{submission.uuid}/assign",
        {"assessor": person.username},
    )
    assert response.status_code == 302
    assert submission.reviews.get().reviewer == person
    dashboard = client.get("/studio/").content.decode()
    assert url in dashboard


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_dashboard_and_assessors_page_make_as_many_queries_for_more_rows(client) -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    learner = make_learner()
    make_assessor(organisation)

    def add_rows() -> None:
        other = make_assessed_version(organisation)
        make_submission(make_enrolment(other, learner))
        make_submission(make_enrolment(version))

    add_rows()
    client.force_login(learner)
    dashboard = _queries(client, "/me/")
    client.force_login(organisation.memberships.get(role="owner").user)
    assessors = _queries(client, f"/studio/orgs/{organisation.slug}/assessment/assessors")
    for _ in range(3):
        add_rows()
    client.force_login(learner)
    assert _queries(client, "/me/") == dashboard
    client.force_login(organisation.memberships.get(role="owner").user)
    assert _queries(client, f"/studio/orgs/{organisation.slug}/assessment/assessors") == assessors


def test_the_enrol_button_shows_only_where_learners_can_enrol(client) -> None:
    def catalogue_page(version) -> str:
        organisation, slug = version.microcredential.organisation.slug, version.microcredential.slug
        return client.get(f"/catalogue/{organisation}/{slug}/v{version.number}/").content.decode()

    client.force_login(make_learner())
    assessed = make_assessed_version()
    assert f'href="/me/enrol/{assessed.achievement_uuid}"' in catalogue_page(assessed)
    without_plan = make_assessed_version()
    AssessmentPlan.objects.filter(version=without_plan).delete()
    assert "enrol-link" not in catalogue_page(without_plan)
