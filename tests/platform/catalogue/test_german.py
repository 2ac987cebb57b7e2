"""The catalogue's pages in German: the interface translated, what designers wrote as written.

The visitor chooses German with the footer's switcher (the ``django_language`` cookie). The
API and the signed Achievement stay English whatever the visitor chose.
"""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.platform.api import Api
from tests.platform.catalogue.factories import make_draft, make_published
from tests.platform.catalogue.test_pages import (
    assert_error_beside,
    edit_form,
    signed_in,
    studio_url,
)
from tests.platform.catalogue.test_services import designer_of


def test_the_catalogue_and_its_filters_read_in_german(german: Client) -> None:
    make_published(title="Classroom assessment", eqf_level=6)
    page = german.get("/catalogue/").text
    for words in ("Katalog der Micro-Credentials", "Alle Niveaus", "Alle Organisationen", "Suche"):
        assert words in page
    for words in ("Catalogue of micro-credentials", "Any level", "Any organisation", "Filters<"):
        assert words not in page
    # The title is shown as its designer wrote it, marked as English.
    assert 'lang="en"' in page and "Classroom assessment" in page
    assert "EQR-Niveau 6" in page


def test_the_language_filter_names_languages_in_german(german: Client) -> None:
    make_published(title="Data ethics", languages=["de", "en-IE", "nl"])
    choices = german.get("/catalogue/").context["form"].fields["language"].choices
    assert choices == [
        ("", "Alle Sprachen"),
        ("de", "Deutsch"),
        ("en-IE", "Englisch (en-IE)"),
        ("nl", "Niederländisch"),
    ]


def test_a_filter_error_names_the_field_in_german(german: Client) -> None:
    response = german.get("/catalogue/", {"credits_min": "5", "credits_max": "2"})
    assert response.status_code == 400
    assert_error_beside(response.text, "credits_max", "Die Obergrenze liegt unter der Untergrenze.")
    assert "ECTS bis" in response.text


def test_a_micro_credential_page_reads_in_german_with_its_content_as_written(
    german: Client,
) -> None:
    version = make_published(title="Classroom assessment", price_amount="90", price_currency="USD")
    organisation = version.microcredential.organisation.slug
    page = german.get(f"/catalogue/{organisation}/{version.microcredential.slug}/").text
    assert "<dt>Währung</dt><dd>US-Dollar</dd>" in page
    for words in (
        "Das Micro-Credential auf einen Blick",
        "Lernergebnisse",
        "Arbeitsaufwand und Leistungspunkte",
        "Art der Qualitätssicherung",
        "Beaufsichtigt, mit Identitätsprüfung",
        "55 Lernstunden",
    ):
        assert words in page, words
    for words in ("The micro-credential at a glance", "Workload and credits", "Not stated"):
        assert words not in page, words
    # The credit systems' names in the workload tables.
    assert "<tr><td>ECTS-Punkte</td>" in page and "<td>ECTS credits</td>" not in page
    assert "Design classroom assessments" in page
    # Dates as German writes them: 6. Dezember 2026.
    assert re.search(r"<dd>\d{1,2}\. [A-Z][a-zä]+ \d{4}</dd>", page)


def test_the_signed_achievement_stays_english_when_german_is_chosen(german: Client) -> None:
    version = make_published(title="Classroom assessment")
    document = german.get(f"/achievements/{version.achievement_uuid}.json").json()
    narrative = json.dumps(document, ensure_ascii=False)
    assert "Learning outcomes" in narrative and "Lernergebnisse" not in narrative
    assert "Type of quality assurance" in narrative


def test_a_design_form_error_names_the_field_by_its_german_label(german: Client) -> None:
    draft = make_draft()
    signed_in(german, draft)
    page = german.get(studio_url(draft, "edit")).text
    assert "Entwurf speichern" in page and "Fiktiver Arbeitsaufwand (Stunden)" in page
    assert "Save the draft" not in page
    # Countries and currencies by their German names, in German alphabetical order.
    assert '<option value="NL" selected>Niederlande</option>' in page
    assert page.index(">Ägypten<") < page.index(">Albanien<") < page.index(">Deutschland<")
    assert '<option value="USD">US-Dollar</option>' in page
    data = {**edit_form(german, draft), "v-workload_hours": "0", "r-pass_rule": ""}
    response = german.post(studio_url(draft, "edit"), data)
    assert response.status_code == 400
    assert_error_beside(
        response.text,
        "v-workload_hours",
        "Fiktiver Arbeitsaufwand (Stunden) muss größer als 0 und höchstens 99999.9 sein.",
    )


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"r-pass_rule": ""}, "r-pass_rule", "Bestehensregel darf nicht leer sein."),
        ({"k-0-level_2_name": ""}, "k-0-level_2_name", "Stufe 2 braucht einen Namen."),
        ({"v-title": ""}, "v-title", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_design_form_errors_read_in_german(
    german: Client, changes: dict[str, str], field: str, error: str
) -> None:
    draft = make_draft()
    signed_in(german, draft)
    response = german.post(studio_url(draft, "edit"), {**edit_form(german, draft), **changes})
    assert response.status_code == 400
    assert_error_beside(response.text, field, error)


def test_the_api_answers_in_english_when_german_is_chosen(german: Client) -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation.slug
    call = Api(german, designer_of(draft))
    path = f"/orgs/{organisation}/microcredentials/{draft.microcredential.slug}/versions/1"
    response = call("PATCH", path, {"workload_hours": 0})
    assert response.status_code == 422
    assert "must be more than 0" in response.json()["message"]


def test_the_studio_pages_read_in_german(german: Client) -> None:
    draft = make_draft()
    signed_in(german, draft)
    organisation = draft.microcredential.organisation.slug
    listing = german.get(f"/studio/orgs/{organisation}/credentials/").text
    assert "Neues Micro-Credential" in listing and "Entwurf" in listing
    version = german.get(studio_url(draft)).text
    assert "Entwurf bearbeiten" in version and "Edit the draft" not in version
    publish = german.get(studio_url(draft, "publish")).text
    assert "Zurück zu Version 1" in publish
