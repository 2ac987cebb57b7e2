"""Assessment in German: the learner's, assessor's and designer's pages, the errors they
show and the emails they cause read in German once German is chosen, while the APIs and the
signed credential stay English and what people wrote stays as they wrote it."""

from __future__ import annotations

import json

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.assessment.models import Enrolment
from tests.platform.api import Api
from tests.platform.assessment.factories import (
    PDF,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_learner,
    make_submission,
)
from tests.platform.assessment.judging import PASS, assessed, scores, with_assessor
from tests.platform.catalogue.factories import make_draft


def test_the_learner_reads_dashboard_and_submission_in_german(german: Client) -> None:
    version = make_assessed_version(title="Fair assessment design")
    enrolment = make_enrolment(version)
    make_submission(enrolment)
    german.force_login(enrolment.learner)

    dashboard = german.get("/me/").content.decode()
    assert "<h1>Mein Lernbereich</h1>" in dashboard and "Einschreibungen" in dashboard
    assert "Versuch 1, In Bewertung" in dashboard and "Entscheidung fällig am" in dashboard
    assert "<h1>My learning</h1>" not in dashboard and "Enrolments" not in dashboard
    assert "Decision due" not in dashboard
    # The title is shown as its designers wrote it, marked with their language.
    assert f'lang="{version.content_language}"' in dashboard
    assert "Fair assessment design" in dashboard

    submission = enrolment.submissions.get()
    page = german.get(f"/me/submissions/{submission.uuid}").content.decode()
    assert "Versuch 1 von 3" in page and "Identitätsprüfung: Keine" in page
    assert "Attempt 1 of" not in page and "Identity verification" not in page


def test_enrolling_and_submitting_in_german_gives_german_messages_errors_and_emails(
    german, django_capture_on_commit_callbacks
) -> None:
    version = make_assessed_version()
    make_assessor(version.microcredential.organisation)
    learner = make_learner()
    german.force_login(learner)

    enrol = german.get(f"/me/enrol/{version.achievement_uuid}").content.decode()
    assert "Wie Sie bewertet werden" in enrol and ">Einschreiben</button>" in enrol
    assert "How you are assessed" not in enrol
    response = german.post(
        f"/me/enrol/{version.achievement_uuid}", {"participation_form": "online"}, follow=True
    )
    assert "Sie sind in " in response.content.decode()

    submission = Enrolment.objects.get(learner=learner).submissions.get()
    url = f"/me/submissions/{submission.uuid}"
    page = german.get(url).content.decode()
    assert "Zur Bewertung einreichen" in page and "Submit for assessment" not in page
    refused = german.post(url, {"action": "submit"})
    assert refused.status_code == 400
    assert "Noch nicht bereit zur Einreichung; es fehlt:" in refused.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        texts = {
            "texts:goal": "Fair tests.",
            "texts:reflection.1": "A.",
            "texts:reflection.2": "B.",
        }
        upload = SimpleUploadedFile("design.pdf", PDF, "application/pdf")
        german.post(f"{url}/evidence", {"component": "artefact", "file": upload})
        german.post(url, {**texts, "action": "submit"})
    received = next(m for m in mail.outbox if m.to == [learner.email])
    assert received.subject.startswith("Eingegangen: Ihre Einreichung für")
    assert "Wir haben Versuch 1 Ihrer Einreichung" in received.body


def test_the_assessor_reviews_in_german_and_a_missing_level_is_named(german) -> None:
    setting = assessed()
    review = with_assessor(setting)
    german.force_login(setting.assessor)

    queue = german.get(f"/studio/orgs/{setting.organisation.slug}/assessment/queue")
    text = queue.content.decode()
    assert "Ihre Bewertungsliste bei" in text and "Your review queue" not in text

    url = f"/assessment/reviews/{review.uuid}"
    page = german.get(url).content.decode()
    assert "Bewertung als Prüfer/in:" in page and "Bewerten und entscheiden" in page
    assert "Score and decide" not in page and "The rubric" not in page
    # The rubric's criteria are shown as their designers wrote them.
    assert "Assessment design" in page

    response = german.post(url, {"feedback": "Gut."})
    assert response.status_code == 400
    assert "Wählen Sie eine Stufe für &#x27;Assessment design&#x27;." in response.content.decode()


def test_a_pass_decided_in_german_is_signed_in_english(
    german, django_capture_on_commit_callbacks
) -> None:
    setting = assessed()
    review = with_assessor(setting)
    german.force_login(setting.assessor)
    form = {"feedback": "Gut."}
    for criterion, score in scores(setting.version, PASS).items():
        form[f"level-{criterion}"] = score["level"]
    with django_capture_on_commit_callbacks(execute=True):
        response = german.post(f"/assessment/reviews/{review.uuid}", form, follow=True)
    assert "Vielen Dank: Ihre Bewertung ist erfasst." in response.content.decode()

    enrolment = Enrolment.objects.select_related("award").get(pk=review.submission.enrolment_id)
    narrative = json.loads(enrolment.award.signed_credential)["credentialSubject"]["narrative"]
    assert "Identity verification: none" in narrative and "Identitätsprüfung" not in narrative
    learner_mail = [m for m in mail.outbox if m.to == [enrolment.learner.email]]
    assert any(m.subject.startswith("Entscheidung über Ihre Einreichung") for m in learner_mail)


def test_a_plan_form_error_in_german_names_the_field(german) -> None:
    draft = make_draft()
    german.force_login(draft.created_by)
    url = (
        f"/studio/orgs/{draft.microcredential.organisation.slug}/credentials/"
        f"{draft.microcredential.slug}/v{draft.number}/assessment"
    )
    form = {
        "p-peer_reviews": "0",
        "p-max_attempts": "3",
        "p-decision_days": "10",
        "p-max_file_mb": "5",
        "component-TOTAL_FORMS": "1",
        "component-INITIAL_FORMS": "0",
        "component-0-key": "goal",
        "component-0-kind": "goal",
        "component-0-label": "",
        "component-0-instructions": "Schreiben Sie Ihr Ziel auf.",
    }
    response = german.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Bestandteil 1 braucht eine Bezeichnung." in page
    assert "Bezeichnung:</label>" in page and "Was Lernende einreichen" in page
    assert "What learners hand in" not in page and "needs a label" not in page


def test_the_api_answers_in_english_whatever_the_client_asks(german) -> None:
    version = make_assessed_version()
    api = Api(german, make_learner())
    german.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    response = api("POST", "/enrolments", {"achievement": str(version.achievement_uuid)})
    assert response.status_code == 201
    assert response.json()["due"] == "Write and submit attempt 1"
    again = api("POST", "/enrolments", {"achievement": str(version.achievement_uuid)})
    assert "You are enrolled in" in again.json()["message"]
