"""A credential's page, its PDF certificate, the staff pages and the learner's emails in German.

German is chosen as a visitor chooses it (the footer's cookie); what people wrote (titles,
names, outcomes, a public reason staff typed) stays as written, and what programs read (the
API, the signed credential, the audit log) stays English.
"""

from __future__ import annotations

import io
import json
import re

from pypdf import PdfReader

from microcred.audit.models import AuditEvent
from microcred.awards import services
from tests.platform.accounts.factories import bearer
from tests.platform.awards.factories import issue, make_issuer, make_version


def pdf_text(response) -> str:
    assert response.status_code == 200
    [page] = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(page.extract_text().split())


def test_the_credential_page_speaks_german_and_shows_the_content_as_written(german, issued) -> None:
    _, _, version, award = issued
    text = german.get(f"/credentials/{award.uuid}").content.decode()
    assert "Verliehen an <strong>Ada Lovelace</strong>" in text
    assert "Soeben geprüft" in text
    assert "Was dieser Nachweis bescheinigt" in text
    assert "<dt>Note</dt><dd>A</dd>" in text
    assert re.search(r"am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}", text)
    assert f'<h1 lang="en">{version.title}</h1>' in text
    for english in ("Awarded to", "Checked just now", "What this credential certifies"):
        assert english not in text
    assert "<dt>Lernergebnisse</dt>" in text and "<dt>Learning outcomes</dt>" not in text


def test_the_certificate_is_made_in_the_language_of_the_request(german, issued) -> None:
    _, _, version, award = issued
    text = pdf_text(german.get(f"/credentials/{award.uuid}.pdf"))
    assert "Universiteit Utrecht bescheinigt, dass Ada Lovelace" in text
    assert version.title in text
    assert re.search(r"Ausgestellt am \d{1,2}\. [A-ZÄÖÜ][a-zäöü]+ \d{4}", text)
    assert "Lernergebnisse" in text
    assert "Zum Prüfen scannen" in text
    for english in ("certifies that", "Issued on", "Scan to verify"):
        assert english not in text
    # The same certificate, asked for without German, is English.
    german.cookies["django_language"] = "en"
    assert "certifies that" in pdf_text(german.get(f"/credentials/{award.uuid}.pdf"))


def test_a_neutral_public_reason_is_shown_in_german_but_stored_in_english(german, issued) -> None:
    _, registrar, _, award = issued
    award = services.revoke_award(actor=registrar, award=award, reason="Investigation.")
    assert award.public_reason == "Revoked by the issuer."
    page = german.get(f"/credentials/{award.uuid}").content.decode()
    assert "Dieser Nachweis wurde widerrufen" in page
    assert "Grund: Vom Aussteller widerrufen." in page
    text = pdf_text(german.get(f"/credentials/{award.uuid}.pdf"))
    assert "Widerrufen von Universiteit Utrecht" in text
    assert "Grund: Vom Aussteller widerrufen." in text
    event = AuditEvent.objects.get(action="award.revoke")
    assert event.data["publicReason"] == "Revoked by the issuer."


def test_the_staff_pages_and_their_form_errors_are_german(german, issued) -> None:
    _, registrar, _, award = issued
    german.force_login(registrar)
    listing = german.get("/studio/orgs/uu/awards/").content.decode()
    assert "Ausgestellte Nachweise von Universiteit Utrecht" in listing
    assert "Aktiv" in listing and "Awards of" not in listing
    detail = german.get(f"/studio/orgs/uu/awards/{award.uuid}").content.decode()
    assert "Diesen Nachweis widerrufen" in detail
    assert "Interner Grund (erforderlich)" in detail

    refused = german.post(f"/studio/orgs/uu/awards/{award.uuid}/revoke", {"reason": "x"})
    assert refused.status_code == 400
    assert "Setzen Sie das Häkchen" in refused.content.decode()

    issuing = german.post(
        "/studio/orgs/uu/awards/issue", {"version": award.version.pk, "format": "ldp"}
    )
    assert issuing.status_code == 400
    text = issuing.content.decode()
    assert "E-Mail-Adresse der/des Lernenden" in text
    assert "Geben Sie die E-Mail-Adresse oder die DID der/des Lernenden an." in text
    assert "Give the learner" not in text


def test_the_api_answers_in_english_whatever_is_asked(german, issued) -> None:
    _, registrar, _, award = issued
    services.suspend_award(actor=registrar, award=award, reason="Checking.")
    response = german.post(
        f"/api/v1/awards/{award.uuid}/suspend",
        json.dumps({"reason": "Again."}),
        content_type="application/json",
        headers={**bearer(registrar), "Accept-Language": "de"},
    )
    assert response.status_code == 409
    assert "is suspended already" in response.content.decode()
    detail = german.get(f"/api/v1/awards/{award.uuid}", headers=bearer(registrar)).json()
    assert detail["public_reason"] == "Suspended by the issuer."


def test_the_learner_is_written_to_in_the_language_they_were_taught_in(
    client, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    organisation, registrar, _ = make_issuer(name="Universität Hamburg")
    taught_in_german = make_version(organisation, languages=["de"])
    taught_in_english = make_version(organisation, languages=["en"])
    with django_capture_on_commit_callbacks(execute=True):
        german_award = issue(registrar, taught_in_german, learner_email="a@example.org")
        english_award = issue(registrar, taught_in_english, learner_email="b@example.org")
        services.revoke_award(actor=registrar, award=german_award, reason="Plagiarism.")
        services.suspend_award(
            actor=registrar, award=english_award, reason="Checking.", public_reason="Checking."
        )
    issued_de, issued_en, revoked, suspended = mailoutbox
    assert issued_de.subject == f"Ihr Nachweis: {taught_in_german.title}"
    assert "Guten Tag," in issued_de.body and "90 Tage lang gültig" in issued_de.body
    assert issued_en.subject == f"Your credential: {taught_in_english.title}"
    assert revoked.subject == f"Ihr Nachweis wurde widerrufen: {taught_in_german.title}"
    assert "hat Ihren Nachweis" in revoked.body
    assert "Vom Aussteller widerrufen." in revoked.body
    assert "Plagiarism" not in revoked.body
    assert suspended.subject == f"Your credential was suspended: {taught_in_english.title}"
    assert "has suspended your credential" in suspended.body
