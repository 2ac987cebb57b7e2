"""The Credential Engine publishing page in German."""

from __future__ import annotations

from django.test import Client
from django.utils import translation

from tests.platform.credentialengine.test_publish import a_designer_with_a_credential, studio


def test_the_publishing_page_reads_in_german(client: Client) -> None:
    client.cookies["django_language"] = "de"
    slug, _ = a_designer_with_a_credential(client)
    page = client.get(studio(slug)).text
    assert "Veröffentlichungen" in page and "Es wurde noch nichts veröffentlicht." in page
    assert "Publications" not in page and "Nothing has been published yet." not in page
    translation.deactivate()  # the request left German active in the thread
