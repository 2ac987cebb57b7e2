"""Bulk issuing's staff pages: upload a CSV, see bad rows by line, follow, cancel, resume and
download the report."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.awards.models import Award
from microcred.bulk import services
from microcred.bulk.models import BulkJob
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import csv_file, rows


def upload(client: Client, slug: str, content: bytes, **fields: str):
    data = {"file": SimpleUploadedFile("cohort.csv", content, "text/csv"), "format": "ldp"}
    return client.post(f"/studio/orgs/{slug}/bulk/", {**data, **fields})


def test_an_upload_with_bad_rows_lists_them_by_line_and_issues_nothing(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    client.force_login(registrar)
    table = rows(version, 3)
    table[1]["learner_email"] = "not-an-address"
    response = upload(client, organisation.slug, csv_file(table))
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 row(s) with problems; nothing was issued. Line 3, learner_email" in page
    assert "<td>3</td><td>learner_email</td><td>&#x27;not-an-address&#x27; is not an email" in page
    assert not BulkJob.objects.exists()
    unreadable = upload(client, organisation.slug, b"colour\nred\n")
    assert unreadable.status_code == 400
    assert "the column &#x27;colour&#x27; is not known" in unreadable.content.decode()


def test_an_upload_starts_a_job_followed_on_its_page(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    client.force_login(registrar)
    table = rows(version, 2)
    table[1]["grade"] = "x" * 101
    response = upload(client, organisation.slug, csv_file(table), good_rows_only="on")
    job = BulkJob.objects.get()
    detail = f"/studio/orgs/{organisation.slug}/bulk/{job.uuid}"
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "1 bad row(s) are reported below" in page
    assert f'data-url="/api/v1/orgs/{organisation.slug}/bulk-jobs/{job.uuid}"' in page
    assert '<progress id="bulk-bar" max="2" value="1">50%</progress>' in page
    assert "bulk/progress.js" in page and ">Cancel</button>" in page
    assert client.post(f"{detail}/cancel").status_code == 302
    assert ">Cancel</button>" not in client.get(detail).content.decode()
    assert client.post(f"{detail}/resume").status_code == 302
    services.process_job(job.uuid)
    page = client.get(detail).content.decode()
    assert '<progress id="bulk-bar" max="2" value="2">100%</progress>' in page
    assert ">Resume</button>" not in page
    assert "<td>3</td><td>grade</td>" in page
    report = client.get(f"{detail}/report")
    text = b"".join(report.streaming_content).decode()
    assert str(Award.objects.get().uuid) in text
    assert client.post(f"{detail}/explode").status_code == 404
    again = upload(client, organisation.slug, csv_file(table), good_rows_only="on")
    assert again["Location"] == detail
    assert "uploaded before: nothing new was issued" in client.get(detail).content.decode()
    listing = client.get(f"/studio/orgs/{organisation.slug}/bulk/").content.decode()
    assert "cohort.csv" in listing
