"""Recognition pages in German: a learner or an evaluator who chose German reads the pages,
choices, messages and form errors in German; what people wrote stays as written."""

from __future__ import annotations

import pytest

from tests.platform.recognition.factories import apply, make_setting

pytestmark = pytest.mark.django_db


def test_the_learner_reads_their_requests_in_german(german) -> None:
    setting = make_setting()
    apply(setting, evidence=[{"url": "", "text": "A talk at a meetup."}])
    german.force_login(setting.learner)
    page = german.get("/me/recognition/").text
    assert "Anerkennung von Vorkenntnissen" in page and "Anerkennung beantragen" in page
    assert "Wartet auf eine Evaluatorin oder einen Evaluator" in page
    assert "Recognition of prior learning" not in page and "Waiting for an evaluator" not in page
    # The title is the designers' own words, marked as written in their language.
    assert 'lang="en">Data Visualisation</a>' in page


def test_the_application_form_and_its_errors_are_in_german(german) -> None:
    setting = make_setting()
    german.force_login(setting.learner)
    search = german.get("/me/recognition/apply", {"q": "visualisation"}).text
    assert "Suchen Sie zuerst das Micro-Credential" in search and "Data Visualisation" in search
    nothing = german.get("/me/recognition/apply", {"q": "astrophysik"}).text
    assert "Nichts im Katalog passt zu diesen Wörtern." in nothing
    form = german.get(f"/me/recognition/apply?version={setting.version.achievement_uuid}").text
    assert "Was Sie gelernt haben, wo und wie" in form and "Non-formales Lernen" in form
    assert "ein anderes wählen" in form
    assert "What you learned, where and how" not in form
    response = german.post(
        "/me/recognition/apply",
        {"version": str(setting.version.achievement_uuid), "learning_setting": "informal"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (
        list(errors) == ["statement"]
        and "Dieses Feld ist zwingend erforderlich." in errors["statement"]
    )
    # The service's own error, shown above the form, is German too.
    response = german.post(
        "/me/recognition/apply",
        {
            "version": str(setting.version.achievement_uuid),
            "statement": "Dashboards.",
            "learning_setting": "informal",
        },
    )
    assert "mindestens einen Nachweis, eine Datei oder einen Beleg" in response.text


def test_evaluators_compare_and_propose_in_german(german) -> None:
    setting = make_setting()
    item = apply(setting, evidence=[{"url": "", "text": "A talk at a meetup."}])
    german.force_login(setting.first)
    base = f"/studio/orgs/{setting.organisation.slug}/recognition/"
    queue = german.get(base).text
    assert "Anträge auf Anerkennung bei" in queue and "Warten auf einen Vorschlag" in queue
    assert "Waiting for a proposal" not in queue
    page = german.get(f"{base}{item.uuid}").text
    assert "Eine Entscheidung vorschlagen" in page and "Volle Anerkennung" in page
    assert "Propose a decision" not in page and "Full recognition" not in page
    assert "I built dashboards for two years" in page  # the learner's words, as written
    response = german.post(
        f"{base}{item.uuid}/propose",
        {"decision": "partial", "reasons": "Outcomes 1 and 2 are met."},
    )
    assert response.status_code == 400
    assert "Teilweise Anerkennung rechnet Leistungspunkte an" in response.text
    response = german.post(
        f"{base}{item.uuid}/propose", {"decision": "full", "reasons": "All outcomes met."}
    )
    assert response.status_code == 302
    assert "Vorgeschlagen; eine zweite Evaluatorin" in german.get(response["Location"]).text


def test_the_grade_conversion_page_is_in_german(german) -> None:
    page = german.get("/grades/convert").text
    assert "Eine Note umrechnen" in page and "Convert a grade" not in page
