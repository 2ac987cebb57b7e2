"""Bulk issuing in a real browser: a registrar uploads a CSV and the job's page follows the
workers' progress by itself (its static script asks the API), with no inline script."""

from __future__ import annotations

import pytest

from microcred.bulk import services
from microcred.bulk.models import BulkJob
from tests.platform.awards.factories import make_issuer
from tests.platform.browser import sign_in
from tests.platform.bulk.factories import csv_file, rows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_registrar_uploads_a_csv_and_watches_it_finish(browser, live_server, tmp_path) -> None:
    _, registrar, version = make_issuer(slug="uu")
    table = rows(version, 4)
    table[3]["learner_email"] = "nobody"
    source = tmp_path / "cohort.csv"
    source.write_bytes(csv_file(table))

    staff, page = sign_in(browser, live_server, registrar, "/studio/orgs/uu/bulk/")
    page.set_input_files("input[name=file]", str(source))
    page.check("input[name=good_rows_only]")
    page.click("form.bulk-upload button[type=submit]")
    page.wait_for_url("**/studio/orgs/uu/bulk/*-*")
    assert "1 bad row(s) are reported below" in page.locator(".messages").inner_text()
    assert page.locator('[data-figure="status"]').inner_text() == "Running"
    assert page.locator("#bulk-bar").evaluate("bar => [bar.value, bar.max]") == [1, 4]

    # A worker does the job while the page is open; the page notices without being reloaded
    # by the test.
    services.process_job(BulkJob.objects.get().uuid)
    status = page.locator('[data-figure="status"]')
    status.filter(has_text="Finished").wait_for(timeout=20_000)
    assert page.locator("#bulk-bar").evaluate("bar => [bar.value, bar.max]") == [4, 4]
    assert page.locator('[data-figure="issued"]').inner_text() == "3"
    assert page.locator("button", has_text="Cancel").count() == 0
    assert "nobody" in page.locator("table.bulk-errors").inner_text()
    page.screenshot(path=str(tmp_path / "bulk.png"), full_page=True)
    staff.close()
