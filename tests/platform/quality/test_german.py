"""The quality pages in German: a visitor who chooses German reads the review, the report,
the vetting and the watch in German, while what people wrote and the JSON stay as they are."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.test import Client
from django.urls import reverse
from django.utils import translation

from microcred.quality import report, services
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import make_organisation
from tests.platform.quality.factories import make_admin, make_reviewer, publish, vet
from tests.platform.quality.test_pages import VAGUE, decision, design_url, review_url
from tests.platform.quality.test_public_pages import path_of


def test_the_reviewer_reads_the_review_page_and_its_errors_in_german(german: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    german.force_login(make_reviewer(organisation))

    page = german.get(review_url(draft)).text
    assert "Qualitätsbegutachtung:" in page and "Checkliste" in page
    assert "Die Beschreibung" in page and "Entscheidung erfassen" in page
    assert "Mit erforderlichen Änderungen zurückgeben" in page
    assert "Record the decision" not in page and "The specification" not in page
    assert f'lang="{draft.content_language}">{draft.title}</span>' in page

    unmet = decision(review, "no")
    refused = german.post(review_url(draft), unmet)
    assert refused.status_code == 400
    assert "Eine Genehmigung setzt voraus, dass jeder Punkt der Checkliste erfüllt ist" in (
        refused.text
    )
    half = german.post(review_url(draft), {**unmet, "comment-0-text": "Welches Element?"})
    assert half.status_code == 400
    assert "Wählen Sie das Element, auf das sich dieser Kommentar bezieht." in half.text
    assert "Choose the element" not in half.text

    returned = german.post(
        review_url(draft), {**unmet, "decision": "return", "note": "Belegen Sie den Aufwand."}
    )
    assert returned.status_code == 302
    queue = german.get(returned["Location"]).text
    assert "ist mit erforderlichen Änderungen zurückgegeben" in queue
    assert "Qualitätsbegutachtungen von" in queue and "Waiting for review" not in queue


def test_a_refused_submission_counts_its_blocking_findings_in_german(german: Client) -> None:
    draft = make_draft(outcomes=VAGUE)
    vet(draft.microcredential.organisation)
    german.force_login(draft.created_by)
    response = german.post(review_url(draft, "submit"), follow=True)
    assert "Nicht eingereicht: Beheben Sie zuerst den 1 blockierenden Befund" in response.text
    panel = german.get(design_url(draft, "edit")).text
    assert "Noch nicht zur Qualitätsbegutachtung eingereicht." in panel
    assert "Zur Qualitätsbegutachtung einreichen" in panel and "Blockierend" in panel


def test_the_vetting_form_names_the_missing_answer_in_german(german: Client) -> None:
    organisation = make_organisation(name="Northfield Institute")
    german.force_login(make_admin())
    listing = german.get("/studio/vetting/").text
    assert "Überprüfung der Aussteller" in listing and "Nicht überprüft" in listing
    refused = german.post(
        f"/studio/vetting/{organisation.slug}",
        {"subject_expertise": "Pädagogik.", "audience": "Lehrkräfte.", "terms_agreed": "on"},
    )
    assert refused.status_code == 400
    assert "Bisherige Erfahrung" in refused.text
    assert "Für die Überprüfung fehlt die bisherige Erfahrung." in refused.text
    assert "Track record" not in refused.text and "Vetting needs" not in refused.text


def test_the_public_report_is_german_and_its_json_stays_english(german: Client) -> None:
    published = publish(make_draft(review_date="2028-06-30"))
    organisation = published.microcredential.organisation
    page = german.get(path_of(published)).text
    assert "<h1>Qualitätssicherungsbericht</h1>" in page
    assert "Automatische Prüfungen" in page and "Interne Begutachtung" in page
    assert f"Ein/e Gutachter/in von {organisation.name}" in page
    assert "Quality assurance report" not in page and "Internal review" not in page

    data = german.get(path_of(published, ".json")).json()
    assert data["internal_review"]["reviewer"].startswith(f"A QA reviewer of {organisation.name}")

    issuer = german.get(f"/qa/{organisation.slug}/").text
    assert f"Qualität bei {organisation.name}" in issuer and "Kennzahlen" in issuer
    assert "Vetting by the platform" not in issuer


def test_the_summary_for_employers_speaks_the_pages_language() -> None:
    published = publish(make_draft())
    with translation.override("de"):
        summary = report.get_quality_summary(published)
        questions = [question for question, _ in summary.as_pairs()]
    assert questions[0] == "Welche Leistung die Inhaberin oder der Inhaber erbringen musste"
    assert summary.size == "2 ECTS-Leistungspunkte, 55 Stunden Lernzeit."
    assert summary.level.startswith("EQR-Niveau 6: fortgeschrittenes Wissen")
    assert "Die Prüfung ist beaufsichtigt." in summary.assessed
    assert "Vor der Veröffentlichung hat es automatische Prüfungen" in summary.checked


def test_the_watch_is_german(german: Client) -> None:
    organisation = make_organisation()
    registrar = make_registrar(organisation)
    version = publish(make_draft(organisation))
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    for number in range(3):
        issue(registrar, version, now=start + timedelta(minutes=number))
    german.force_login(make_reviewer(organisation))
    html = german.get(reverse("quality:watch", args=[organisation.slug])).text
    assert f"Inflationsmonitor für Nachweise: {organisation.name}" in html
    assert "Vergaben pro Monat" in html and "2026-03: 3 Vergaben" in html
    assert "der höchste Balken steht für 3 Vergaben" in html
    assert "Awards per month" not in html and "Per assessor" not in html
