"""Bulk issuing in German: the registrar's pages, a file's problems and a job's progress read
in German once German is chosen; the progress script takes its words from the page."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.bulk.models import BulkJob
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import csv_file, rows


def upload(client: Client, slug: str, content: bytes, **fields: str):
    data = {"file": SimpleUploadedFile("cohort.csv", content, "text/csv"), "format": "ldp"}
    return client.post(f"/studio/orgs/{slug}/bulk/", {**data, **fields})


def test_the_upload_page_and_its_errors_are_in_german(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    client.cookies["django_language"] = "de"
    client.force_login(registrar)

    page = client.get(f"/studio/orgs/{organisation.slug}/bulk/").content.decode()
    assert "<h1>Massenausstellung</h1>" in page and "CSV-Datei" in page
    assert "Fehlerfreie Zeilen ausstellen" in page and "Prüfen und ausstellen" in page
    assert "<h1>Bulk issuing</h1>" not in page and "Check and issue" not in page

    unreadable = upload(client, organisation.slug, b"colour\nred\n")
    assert unreadable.status_code == 400
    assert "Zeile 1: Die Spalte &#x27;colour&#x27; ist unbekannt" in unreadable.content.decode()

    missing = client.post(f"/studio/orgs/{organisation.slug}/bulk/", {"format": "ldp"})
    assert missing.status_code == 400
    assert "CSV-Datei" in missing.content.decode()

    table = rows(version, 3)
    table[1]["learner_email"] = "not-an-address"
    response = upload(client, organisation.slug, csv_file(table))
    text = response.content.decode()
    assert "1 Zeile(n) mit Problemen; nichts wurde ausgestellt. Zeile 3, learner_email" in text
    assert "Zeilen mit Problemen" in text and not BulkJob.objects.exists()


def test_a_job_page_and_its_progress_words_are_in_german(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    client.cookies["django_language"] = "de"
    client.force_login(registrar)
    table = rows(version, 2)
    table[1]["grade"] = "x" * 101
    response = upload(client, organisation.slug, csv_file(table), good_rows_only="on")
    page = client.get(response["Location"]).content.decode()
    assert "1 fehlerhafte Zeile(n) werden unten gemeldet" in page
    assert "Verbleibende Zeit" in page and ">Abbrechen</button>" in page
    assert "2 Zeilen, Format ldp; gestartet von" in page
    assert 'data-unknown="unbekannt"' in page and 'data-seconds="{seconds} s"' in page
    assert "Time left" not in page and ">Cancel</button>" not in page
