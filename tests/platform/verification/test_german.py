"""The public /verify page in German: the form, its errors naming the fields, the samples."""

from __future__ import annotations

from django.test import Client


def test_the_form_speaks_german(german: Client) -> None:
    page = german.get("/verify").content.decode()
    assert "Nachweis prüfen" in page and "Nachweis einfügen" in page
    assert "…oder eine Datei hochladen" in page and "E-Mail-Adresse prüfen (optional)" in page
    assert "Paste a credential" not in page and "Nothing you submit is stored" not in page


def test_an_empty_submission_is_explained_in_german_by_its_fields(german: Client) -> None:
    response = german.post("/verify", {"credential": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Fügen Sie einen Nachweis ein oder wählen Sie eine Datei zur Prüfung aus." in page
    assert "Paste a credential or choose a file" not in page


def test_a_bad_email_address_is_refused_in_german_under_its_field(german: Client) -> None:
    response = german.post("/verify", {"credential": "{}", "email": "not an address"})
    assert response.status_code == 400
    page = response.content.decode()
    field = page.split('for="id_email"', 1)[1].split('class="help"', 1)[0]
    assert "E-Mail-Adresse prüfen (optional)" in field
    assert "Bitte gültige E-Mail-Adresse eingeben." in field


def test_what_the_engine_says_of_a_bad_input_reads_in_german(german: Client) -> None:
    response = german.post("/verify", {"credential": "not json at all"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "The input is not JSON" not in page
    assert "Die Eingabe ist weder JSON" in page


def test_english_stays_the_default(client: Client) -> None:
    page = client.post("/verify", {"credential": "  "}).content.decode()
    assert "Paste a credential or choose a file to verify." in page
