"""Evidence files: checked by content, stored outside the web root, served only to those
allowed; bad uploads change nothing."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from microcred.assessment import services
from microcred.assessment.models import EvidenceItem
from microcred.assessment.uploads import check_upload
from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, InvalidInput, NotFound
from tests.platform.assessment.factories import (
    PDF,
    PNG,
    make_assessed_version,
    make_assessor,
    make_enrolment,
    make_evidence,
    make_learner,
    make_review,
    make_submission,
)
from tests.platform.awards.factories import issue, make_registrar


def _draft(**plan):
    version = make_assessed_version(plan=plan or None)
    enrolment = services.enrol(actor=make_learner(), version=version)
    return enrolment.submissions.get()


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("run.exe", "MZ")
    return buffer.getvalue()


def _add(submission, name: str, content: bytes, **arguments):
    return services.add_evidence(
        actor=submission.enrolment.learner,
        submission=submission,
        component=arguments.pop("component", "artefact"),
        file=SimpleUploadedFile(name, content),
        **arguments,
    )


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("photo.png", PNG, "image/png"),
        ("notes.txt", "Réflexion: it worked.\n".encode(), "text/plain"),
        (
            "essay.docx",
            _docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_accepted_files_are_stored_outside_the_web_root(name, content, media_type) -> None:
    submission = _draft()
    item = _add(submission, name, content, description="My work.", public=True)
    assert (item.kind, item.filename, item.content_type, item.size) == (
        "file",
        name,
        media_type,
        len(content),
    )
    stored = Path(item.file.path)
    assert stored.read_bytes() == content
    assert name not in stored.name  # a random name: nothing to guess
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT))
    assert not stored.is_relative_to(Path(settings.BASE_DIR))
    with services.open_evidence(item) as opened:
        assert opened.read() == content


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("empty.pdf", b"", "evidence.empty"),
        ("huge.pdf", PDF + b"0" * (1024 * 1024), "evidence.too_large"),
        ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "evidence.type_not_allowed"),
        ("photo.png", b"\x89PNG\r\n\x1a\nnot really an image", "evidence.type_not_allowed"),
        ("archive.docx", _zip(), "evidence.type_not_allowed"),
        ("report.png", PDF, "evidence.type_mismatch"),
        ("report.exe", PDF, "evidence.type_mismatch"),
    ],
)
def test_bad_uploads_get_clear_errors_and_store_nothing(name, content, code) -> None:
    submission = _draft(max_file_mb=1)
    folder = Path(settings.STORAGES["evidence"]["OPTIONS"]["location"])
    with pytest.raises(InvalidInput) as caught:
        _add(submission, name, content)
    assert caught.value.code == code
    assert caught.value.field == "file"
    assert name in caught.value.message
    assert not EvidenceItem.objects.exists()
    assert not folder.exists() or not any(p.is_file() for p in folder.rglob("*"))


def test_the_plan_may_narrow_the_accepted_types() -> None:
    submission = _draft(file_types=["application/pdf"])
    with pytest.raises(InvalidInput) as caught:
        _add(submission, "photo.png", PNG)
    assert caught.value.code == "evidence.type_not_allowed"
    assert ".pdf" in caught.value.message
    assert _add(submission, "plan.pdf", PDF).content_type == "application/pdf"


def test_check_upload_names_the_field_and_keeps_only_the_base_name() -> None:
    upload = SimpleUploadedFile("C:\\Users\\ada\\..\\plan.pdf", PDF)
    assert check_upload(upload, allowed_types=[], max_bytes=len(PDF)) == (
        PDF,
        "application/pdf",
        "plan.pdf",
    )
    with pytest.raises(InvalidInput) as caught:
        check_upload(
            SimpleUploadedFile("plan.pdf", PDF),
            allowed_types=["image/png"],
            max_bytes=len(PDF),
            field="evidence.artefact",
        )
    assert (caught.value.code, caught.value.field) == (
        "evidence.type_not_allowed",
        "evidence.artefact",
    )
    assert "accepted: .png." in caught.value.message
    with pytest.raises(InvalidInput) as caught:
        check_upload(SimpleUploadedFile("plan.pdf", PDF), allowed_types=[], max_bytes=len(PDF) - 1)
    assert caught.value.code == "evidence.too_large"


def test_links_and_components_are_checked() -> None:
    submission = _draft(
        components=[
            {"key": "goal", "kind": "goal", "label": "Goal"},
            {"key": "portfolio", "kind": "link", "label": "Portfolio"},
        ]
    )
    learner = submission.enrolment.learner
    item = services.add_evidence(
        actor=learner,
        submission=submission,
        component="portfolio",
        url="https://example.org/portfolio",
    )
    assert (item.kind, item.url) == ("link", "https://example.org/portfolio")
    for url in ("javascript:alert(1)", "ftp://example.org/x", ""):
        with pytest.raises(InvalidInput) as caught:
            services.add_evidence(
                actor=learner, submission=submission, component="portfolio", url=url
            )
        assert caught.value.field == "url"
    with pytest.raises(InvalidInput) as caught:
        services.add_evidence(
            actor=learner, submission=submission, component="goal", url="https://example.org"
        )
    assert caught.value.field == "component"
    assert EvidenceItem.objects.count() == 1


def test_evidence_is_added_removed_and_made_public_only_in_a_draft_by_the_learner(
    django_capture_on_commit_callbacks,
) -> None:
    submission = _draft()
    learner = submission.enrolment.learner
    item = _add(submission, "plan.pdf", PDF)
    path = Path(item.file.path)
    with pytest.raises(NotFound):
        services.access_evidence(make_learner(), item.uuid)
    services.set_evidence_public(actor=learner, item=item, public=True)
    assert services.access_evidence(None, item.uuid) == item
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(actor=learner, item=item)
    assert not EvidenceItem.objects.exists()
    assert not path.exists()

    submitted = make_submission(make_enrolment(make_assessed_version()))
    with pytest.raises(Conflict):
        _add(submitted, "plan.pdf", PDF)


@pytest.mark.parametrize("settled", ["decided", "signoff", "award issued"])
def test_what_is_public_is_fixed_once_the_attempt_is_decided(settled) -> None:
    version = make_assessed_version()
    enrolment = make_enrolment(version)
    submission = make_submission(enrolment, evidence=False)
    item = make_evidence(submission, public=True)
    learner = enrolment.learner
    # Submitted and awaiting the decision: the learner may still choose.
    services.set_evidence_public(actor=learner, item=item, public=False)
    services.set_evidence_public(actor=learner, item=item, public=True)
    if settled == "award issued":
        enrolment.award = issue(
            make_registrar(version.microcredential.organisation),
            version,
            learner_email=learner.email,
        )
        enrolment.save()
    else:
        submission.status, submission.outcome = settled, "pass"
        submission.decided_at = timezone.now()
        submission.save()
    events = AuditEvent.objects.count()

    with pytest.raises(Conflict) as caught:
        services.set_evidence_public(actor=learner, item=item, public=False)

    assert (caught.value.code, caught.value.field) == ("evidence.decided", "public")
    assert "Attempt 1 is decided" in caught.value.message
    item.refresh_from_db()
    assert item.public
    assert AuditEvent.objects.count() == events
    assert not services.can_choose_public(learner, submission)


def test_who_may_read_an_evidence_file() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    submission = make_submission(make_enrolment(version))
    item = submission.evidence.get()
    learner = submission.enrolment.learner
    peer, assessor, bystander = (
        make_learner(),
        make_assessor(organisation),
        make_assessor(organisation),
    )
    make_review(submission, peer, "peer")
    make_review(submission, assessor)
    owner = organisation.memberships.get(role="owner").user
    for allowed in (learner, peer, assessor, owner):
        assert services.access_evidence(allowed, item.uuid) == item
    for refused in (None, make_learner(), bystander):
        with pytest.raises(NotFound):
            services.access_evidence(refused, item.uuid)
    public = make_evidence(submission, public=True)
    assert services.access_evidence(None, public.uuid) == public


# -- through the web -------------------------------------------------------------------------


def test_files_cannot_be_fetched_by_guessing_their_url(client) -> None:
    version = make_assessed_version()
    submission = make_submission(make_enrolment(version))
    item = submission.evidence.get()
    name = item.file.name
    for url in (
        f"/evidence/{item.uuid}/file",
        f"/evidence/{item.uuid}",
        f"{settings.MEDIA_URL}{name}",
        f"/media/{name}",
        f"/no-public-url/{name}",
        f"/evidence/{name}",
    ):
        assert client.get(url).status_code == 404, url
    client.force_login(submission.enrolment.learner)
    response = client.get(f"/evidence/{item.uuid}/file")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    client.force_login(make_learner())
    assert client.get(f"/evidence/{item.uuid}/file").status_code == 404
