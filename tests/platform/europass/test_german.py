"""The Europass import page in German; a refused upload says why in German."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from tests.platform.europass.test_import import designer_of, upload
from tests.platform.factories import make_organisation


def test_the_import_page_and_its_errors_read_in_german(client: Client) -> None:
    client.cookies["django_language"] = "de"
    organisation = make_organisation()
    client.force_login(designer_of(organisation))
    page = client.get(f"/studio/orgs/{organisation.slug}/europass/import").text
    assert "Aus Europass importieren (ELM)" in page and "ELM-Dokument" in page
    assert "Make the draft" not in page and "Upload a European" not in page
    refused = upload(client, organisation, b"not json")
    assert refused.status_code == 400
    assert "Die Datei ist kein JSON" in refused.text
    translation.deactivate()  # the request left German active in the thread
