"""Evidence files on recognition requests: checked by content, kept in the evidence storage,
served to the learner and the organisation's evaluators only, with the user-file headers."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, InvalidInput, NotFound
from microcred.recognition import services
from tests.platform.api import Api
from tests.platform.assessment.factories import PDF, PNG
from tests.platform.factories import make_user
from tests.platform.recognition.factories import apply, make_setting

JPEG_HEADER_ONLY = b"\xff\xd8\xff\xe0" + b"\x00" * 40


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_a_learner_applies_with_files_and_an_evaluator_reads_them(client) -> None:
    setting = make_setting()
    request = apply(
        setting,
        evidence=[],
        files=[upload("certificate.pdf", PDF), upload("dashboard.png", PNG, "image/png")],
    )
    files = list(request.files.all())
    assert [(f.filename, f.content_type, f.size) for f in files] == [
        ("certificate.pdf", "application/pdf", len(PDF)),
        ("dashboard.png", "image/png", len(PNG)),
    ]
    # Stored under a random name, not the learner's.
    assert "certificate" not in files[0].file.name
    event = AuditEvent.objects.filter(action="recognition.apply").latest("pk")
    assert event.data["files"] == [str(f.uuid) for f in files]
    studio = f"/studio/orgs/{setting.organisation.slug}/recognition/{request.uuid}"
    client.force_login(setting.first)
    page = client.get(studio).content.decode()
    link = f"/recognition/{request.uuid}/files/{files[0].uuid}"
    assert link in page and "certificate.pdf" in page
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "certificate.pdf" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_files_alone_are_enough_evidence_to_apply() -> None:
    setting = make_setting()
    request = apply(setting, evidence=[], files=[upload("portfolio.pdf", PDF)])
    assert request.files.count() == 1


@pytest.mark.parametrize(
    ("files", "field", "code"),
    [
        ([upload("notes.txt", b"just some text")], "files[0]", "evidence.type_not_allowed"),
        (
            [upload("page.html", b"<html><script>alert(1)</script>")],
            "files[0]",
            "evidence.type_not_allowed",
        ),
        ([upload("photo.jpg", JPEG_HEADER_ONLY)], "files[0]", "evidence.type_not_allowed"),
        ([upload("a.pdf", PDF), upload("b.png", PDF)], "files[1]", "evidence.type_mismatch"),
        ([upload("empty.pdf", b"")], "files[0]", "evidence.empty"),
        ([upload("huge.pdf", PDF + b"0" * (10 * 1024 * 1024))], "files[0]", "evidence.too_large"),
        ([upload(f"{n}.pdf", PDF) for n in range(6)], "files", "recognition.too_many_files"),
    ],
    ids=["text", "html", "broken-jpeg", "misnamed", "empty", "too-large", "too-many"],
)
def test_bad_files_refuse_the_request_naming_the_file(
    files: list[Any], field: str, code: str
) -> None:
    setting = make_setting()
    with pytest.raises(InvalidInput) as caught:
        apply(setting, files=files)
    assert caught.value.field == field
    assert caught.value.code == code
    assert not services.RecognitionRequest.objects.exists()


def test_the_learner_attaches_more_files_while_the_request_waits(client) -> None:
    setting = make_setting()
    request = apply(setting, evidence=[{"text": "Two years of newsroom dashboards."}])
    client.force_login(setting.learner)
    page = f"/me/recognition/{request.uuid}"
    assert "Attach files" in client.get(page).content.decode()
    response = client.post(f"{page}/files", {"evidence_files": [upload("one.pdf", PDF)]})
    assert response.status_code == 302
    [attached] = request.files.all()
    assert attached.filename == "one.pdf"
    assert f"/recognition/{request.uuid}/files/{attached.uuid}" in client.get(page).content.decode()
    # A refused file is shown on the page, and nothing is stored.
    refused = client.post(f"{page}/files", {"evidence_files": [upload("x.png", PDF)]})
    assert refused.status_code == 400
    assert "x.png holds application/pdf content" in refused.content.decode()
    assert request.files.count() == 1
    # Once an evaluator proposes, the evidence is what they saw: no more files.
    services.propose_decision(
        actor=setting.first, request=request, decision="refused", reasons="Not enough."
    )
    assert "Attach files" not in client.get(page).content.decode()
    with pytest.raises(Conflict):
        services.attach_evidence_files(
            actor=setting.learner, request=request, files=[upload("two.pdf", PDF)]
        )
    assert request.files.count() == 1


def test_only_the_learner_attaches_and_only_they_and_evaluators_read(client) -> None:
    setting = make_setting()
    request = apply(setting, files=[upload("certificate.pdf", PDF)])
    [item] = request.files.all()
    link = f"/recognition/{request.uuid}/files/{item.uuid}"
    with pytest.raises(NotFound):
        services.attach_evidence_files(
            actor=setting.first, request=request, files=[upload("mine.pdf", PDF)]
        )
    stranger = make_user(password=None)
    with pytest.raises(NotFound):
        services.access_evidence_file(stranger, request.uuid, item.uuid)
    client.force_login(stranger)
    assert client.get(link).status_code == 404
    client.force_login(setting.learner)
    assert client.get(link).status_code == 200
    # A file id of another request is not found through this request.
    other = apply(make_setting(), files=[upload("other.pdf", PDF)])
    client.force_login(setting.first)
    assert (
        client.get(f"/recognition/{request.uuid}/files/{other.files.get().uuid}").status_code == 404
    )
    assert client.get(f"/recognition/{request.uuid}/files/not-a-uuid").status_code == 404


def test_the_api_lists_a_request_s_files_for_the_learner(client) -> None:
    setting = make_setting()
    request = apply(setting, evidence=[], files=[upload("certificate.pdf", PDF)])
    [item] = request.files.all()
    [listed] = Api(client, setting.learner)("GET", "/recognition/requests").json()
    assert listed["files"] == [
        {
            "filename": "certificate.pdf",
            "content_type": "application/pdf",
            "size": len(PDF),
            "url": f"{settings.PUBLIC_URL}/recognition/{request.uuid}/files/{item.uuid}",
        }
    ]
