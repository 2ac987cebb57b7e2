"""Bulk issuing through the API: start a job from JSON rows, follow it, cancel, resume, and
download its report."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.awards.models import Award
from microcred.bulk import services
from tests.platform.api import Api
from tests.platform.awards.factories import make_issuer
from tests.platform.bulk.factories import csv_file, rows
from tests.platform.factories import add_member, make_organisation, make_user


def test_rows_posted_are_checked_issued_followed_and_reported(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    api = Api(client, registrar)
    path = f"/orgs/{organisation.slug}/bulk-jobs"
    table = rows(version, 3)
    table[2]["learner_email"] = "nobody"
    response = api("POST", path, {"rows": table, "name": "spring", "good_rows_only": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rejected_rows"] == [
        {"line": 3, "column": "learner_email", "message": "'nobody' is not an email address."}
    ]
    assert body["progress"] == {
        "status": "running",
        "total": 3,
        "issued": 0,
        "failed": 1,
        "done": 1,
        "remaining": 2,
        "rate": 0.0,
        "seconds_left": None,
    }
    job = body["uuid"]
    assert api("POST", f"{path}/{job}/cancel").json()["progress"]["status"] == "cancelled"
    assert api("POST", f"{path}/{job}/cancel").status_code == 409
    assert api("POST", f"{path}/{job}/resume").json()["progress"]["status"] == "running"
    services.process_job(job)
    progress = api("GET", f"{path}/{job}").json()["progress"]
    assert (progress["status"], progress["issued"], progress["failed"]) == ("finished", 2, 1)
    assert progress["rate"] > 0 and progress["seconds_left"] == 0
    report = api("GET", f"{path}/{job}/report")
    assert report["Content-Type"] == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode())))
    assert [(line[0], line[4]) for line in lines[1:]] == [
        ("1", "issued"),
        ("2", "issued"),
        ("3", "failed"),
    ]
    award = Award.objects.get(learner_email="learner1@example.org")
    assert lines[1][5] == f"https://microcred.test/credentials/{award.uuid}"
    assert [item["uuid"] for item in api("GET", path).json()] == [job]
    again = api("POST", path, {"rows": table, "name": "spring", "good_rows_only": True})
    assert again.status_code == 200 and again.json()["created"] is False
    assert again.json()["uuid"] == job


def test_bad_rows_are_refused_with_every_line(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    api = Api(client, registrar)
    table = rows(version, 3)
    table[0]["version"] = "nonsense"
    table[2]["score"] = "x" * 101
    response = api("POST", f"/orgs/{organisation.slug}/bulk-jobs", {"rows": table})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "bulk.invalid_rows"
    assert [(e["line"], e["column"]) for e in body["data"]["errors"]] == [
        (1, "version"),
        (3, "score"),
    ]
    assert not Award.objects.exists()
    unknown = api("POST", f"/orgs/{organisation.slug}/bulk-jobs", {"rows": [{"colour": "red"}]})
    assert unknown.status_code == 422 and unknown.json()["field"] == "rows[0].colour"
    missing = api("GET", f"/orgs/{organisation.slug}/bulk-jobs/not-a-uuid")
    assert missing.status_code == 404


def test_a_csv_file_starts_a_job_for_registrars_only(client: Client) -> None:
    organisation, registrar, version = make_issuer()
    designer = add_member(organisation, make_user(password=None), "designer")
    outsider = make_user(password=None)
    make_organisation(outsider)
    path = f"/orgs/{organisation.slug}/bulk-jobs/csv"

    def upload(user, content: bytes, **fields):
        data = {"file": SimpleUploadedFile("cohort.csv", content, "text/csv"), **fields}
        if user is None:
            return client.post(f"/api/v1{path}", data)
        return Api(client, user).upload(path, data)

    good = csv_file(rows(version, 2))
    # Refused before the file is read: a bad file tells an outsider nothing.
    assert upload(None, good).status_code == 401
    assert upload(outsider, b"nonsense").status_code == 404
    assert upload(designer, b"nonsense").status_code == 403
    bad = upload(registrar, b"version,learner_email\nnonsense,ada@example.org\n")
    assert bad.status_code == 422
    assert bad.json()["data"]["errors"][0]["line"] == 2
    started = upload(registrar, good, format="jwt", good_rows_only="true")
    assert started.status_code == 201, started.content
    assert (started.json()["format"], started.json()["good_rows_only"]) == ("jwt", True)
    assert started.json()["progress"]["remaining"] == 2
    services.process_job(started.json()["uuid"])
    assert {award.format for award in Award.objects.all()} == {"jwt"}
    assert upload(registrar, good, format="jwt", good_rows_only="true").status_code == 200
