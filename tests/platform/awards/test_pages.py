"""The credential's public page and downloads, the status lists, and the staff pages."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from PIL import Image
from pypdf import PdfReader

from microcred.awards import downloads, services
from microcred.awards.models import Award, StatusList
from microcred.catalogue import services as catalogue
from microcred.catalogue.models import RubricCriterion, RubricLevel
from microcred.organisations.models import Role
from microcred.vc.baking import unbake
from microcred.verification.samples import badge_png
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.factories import add_member, make_user

# A revocation as the detail page sends it, confirmed.
REVOKE_X = {"reason": "x", "confirm": "on"}


def page_text(response) -> str:
    return response.content.decode()


# -- the public page -------------------------------------------------------------------------


def test_the_page_shows_what_is_certified_and_a_live_verification(client, issued) -> None:
    _, _, version, award = issued
    response = client.get(f"/credentials/{award.uuid}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Accept" in response["Vary"]
    text = page_text(response)
    assert version.title in text
    assert "Awarded to <strong>Ada Lovelace</strong>" in text
    assert "Universiteit Utrecht" in text
    for label, _ in catalogue.annex_elements(version):
        assert f"<dt>{label}</dt>" in text
    assert "Write a data management plan for a research project." in text
    assert "<dt>Grade</dt><dd>A</dd>" in text
    assert 'href="https://portfolio.example.org/ada"' in text
    assert 'data-verified="true"' in text
    assert "Verified: " in text
    assert "ada@example.org" not in text


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_the_page_shows_the_results_the_signed_credential_carries(client, format: str) -> None:
    organisation, registrar, _ = make_issuer()
    version = make_version(
        organisation,
        rubric={
            "pass_rule": "Sufficient on the plan and 1 point in all.",
            "pass_points": 1,
            "criteria": [
                {
                    "name": "Data management plan",
                    "outcomes": [1],
                    "levels": [
                        {
                            "name": "Insufficient",
                            "points": 0,
                            "description": "Storage or access is left out.",
                        },
                        {
                            "name": "Sufficient",
                            "points": 1,
                            "description": "Storage and access are covered.",
                        },
                    ],
                }
            ],
        },
    )
    criterion, total = catalogue.get_achievement(version)["resultDescription"]
    sufficient = criterion["rubricCriterionLevel"][1]
    award = issue(
        registrar,
        version,
        format=format,
        result={"grade": "Merit", "score": "87"},
        results=[
            {"resultDescription": criterion["id"], "achievedLevel": sufficient["id"]},
            {"resultDescription": total["id"], "value": "1"},
        ],
    )
    # Changed after issuing: the page shows what was signed, not what the database says now.
    RubricCriterion.objects.filter(rubric__version=version).update(name="Renamed criterion")
    RubricLevel.objects.filter(criterion__rubric__version=version).update(name="Renamed level")

    text = page_text(client.get(f"/credentials/{award.uuid}"))

    results = text[text.index('<section class="card results">') :]
    results = results[: results.index("</section>")]
    assert (
        "<dt>Data management plan</dt><dd>Sufficient"
        ' <span class="result-scale">(scale: Insufficient, Sufficient)</span></dd>'
    ) in results
    assert "<dt>Total points</dt><dd>1 / 1</dd>" in results
    assert "<dt>Grade</dt><dd>Merit</dd>" in results
    assert "<dt>Score</dt><dd>87</dd>" in results
    assert "Renamed" not in results


def test_a_credential_without_results_has_no_result_section(client) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    assert 'class="card results"' not in page_text(client.get(f"/credentials/{award.uuid}"))


def test_a_learner_without_a_name_is_named_by_did_or_not_at_all(client, issued) -> None:
    _, registrar, version, _ = issued
    by_email = issue(registrar, version, learner_email="hidden@example.org")
    text = page_text(client.get(f"/credentials/{by_email.uuid}"))
    assert "Awarded to <strong>a learner identified by email address (kept private)" in text
    assert "hidden@example.org" not in text
    did = "did:web:learners.example.org:grace"
    by_did = services.issue_award(actor=registrar, version=version, learner_did=did)
    assert f"Awarded to <strong>{did}</strong>" in page_text(
        client.get(f"/credentials/{by_did.uuid}")
    )


def test_the_linkedin_link_adds_the_certification(client, issued) -> None:
    _, _, version, award = issued
    url = services.get_linkedin_url(award)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://www.linkedin.com/profile/add"
    assert parse_qs(parts.query) == {
        "startTask": ["CERTIFICATION_NAME"],
        "name": [version.title],
        "organizationName": ["Universiteit Utrecht"],
        "issueYear": [str(award.issued_at.year)],
        "issueMonth": [str(award.issued_at.month)],
        "certUrl": [services.credential_url(award)],
        "certId": [str(award.uuid)],
    }
    assert url.replace("&", "&amp;") in page_text(client.get(f"/credentials/{award.uuid}"))


def test_a_suspended_credential_says_so_and_fails_verification(client, issued) -> None:
    _, registrar, _, award = issued
    services.suspend_award(
        actor=registrar,
        award=award,
        reason="Appeal by the examiner.",
        public_reason="Appeal under review.",
    )
    text = page_text(client.get(f"/credentials/{award.uuid}"))
    assert "This credential is suspended" in text
    assert "Reason: Appeal under review." in text
    assert "Appeal by the examiner." not in text
    assert 'data-verdict="suspended"' in text
    assert 'data-verified="false"' in text
    assert "The issuer has suspended this credential." in text


def test_a_revoked_credential_keeps_its_page_which_says_revoked(client, issued) -> None:
    _, registrar, _, award = issued
    services.revoke_award(actor=registrar, award=award, reason="Plagiarism found.")
    response = client.get(f"/credentials/{award.uuid}")
    assert response.status_code == 200
    text = page_text(response)
    assert "This credential has been revoked" in text
    # No public reason was given: the page gives a neutral one, never the private reason.
    assert "Reason: Revoked by the issuer." in text
    assert "Plagiarism" not in text
    assert 'data-verdict="revoked"' in text
    assert 'data-verified="false"' in text
    # Its one status entry is a suspension entry, set for good: what any verifier reads.
    assert "The issuer has suspended this credential." in text
    assert "linkedin.com" not in text


def test_an_unknown_credential_is_not_found(client) -> None:
    assert client.get("/credentials/9b2e8f4c-0000-4000-8000-000000000000").status_code == 404
    assert client.get("/credentials/9b2e8f4c-0000-4000-8000-000000000000.json").status_code == 404
    assert client.get("/credentials/not-a-uuid").status_code == 404


@pytest.mark.parametrize("accept", ["application/json", "application/ld+json"])
def test_machines_get_the_signed_bytes_exactly(client, issued, accept: str) -> None:
    award = issued[3]
    response = client.get(f"/credentials/{award.uuid}", headers={"accept": accept})
    assert response["Content-Type"] == f"{accept}; charset=utf-8"
    assert response.content.decode() == award.signed_credential
    suffixed = client.get(f"/credentials/{award.uuid}.json")
    assert suffixed["Content-Type"] == "application/json; charset=utf-8"
    assert suffixed.content.decode() == award.signed_credential


def test_a_browser_gets_the_page_even_though_it_accepts_anything(client, issued) -> None:
    award = issued[3]
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(f"/credentials/{award.uuid}", headers={"accept": accept})
    assert response["Content-Type"].startswith("text/html")


def test_a_vc_jwt_award_is_served_as_a_jws(client, issued) -> None:
    _, registrar, version, _ = issued
    award = issue(registrar, version, format="jwt")
    for response in (
        client.get(f"/credentials/{award.uuid}.json"),
        client.get(f"/credentials/{award.uuid}", headers={"accept": "application/json"}),
    ):
        assert response["Content-Type"] == "application/jwt"
        assert response.content.decode() == award.signed_credential
    assert 'data-verified="true"' in page_text(client.get(f"/credentials/{award.uuid}"))


def test_a_vc_jwt_award_is_served_as_text_at_dot_jwt(client, issued) -> None:
    _, registrar, version, json_award = issued
    award = issue(registrar, version, format="jwt")
    response = client.get(f"/credentials/{award.uuid}.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == award.signed_credential
    assert client.get(f"/credentials/{json_award.uuid}.jwt").status_code == 404


# -- downloads -------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["ldp", "jwt"])
@pytest.mark.parametrize(
    ("suffix", "content_type"), [("png", "image/png"), ("svg", "image/svg+xml")]
)
def test_badge_images_carry_the_stored_credential(
    client, issued, format: str, suffix: str, content_type: str
) -> None:
    _, registrar, version, _ = issued
    award = issue(registrar, version, format=format)
    response = client.get(f"/credentials/{award.uuid}.{suffix}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    baked = unbake(response.content)
    assert (baked.kind, baked.version) == (suffix, "ob3")
    assert baked.payload == award.signed_credential


def test_the_versions_own_badge_is_baked_when_it_is_a_png(
    client, issued, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    _, _, version, award = issued
    version.image.save("badge.png", ContentFile(badge_png(96)))
    png = client.get(f"/credentials/{award.uuid}.png").content
    assert Image.open(io.BytesIO(png)).size == (96, 96)
    assert unbake(png).payload == award.signed_credential
    svg = client.get(f"/credentials/{award.uuid}.svg").content
    assert svg.startswith(b"<svg") and unbake(svg).payload == award.signed_credential


def test_other_suffixes_are_not_found(client, issued) -> None:
    assert client.get(f"/credentials/{issued[3].uuid}.exe").status_code == 404


def test_the_pdf_certificate_has_a_qr_code_to_the_page(client, issued, tmp_path) -> None:
    award = issued[3]
    response = client.get(f"/credentials/{award.uuid}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    url = services.credential_url(award)
    assert url.encode() in pdf  # the QR code is also a link to the page
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian's poppler-utils) is needed to read the QR code back")
    (tmp_path / "certificate.pdf").write_bytes(pdf)
    dpi = 150
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "certificate.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    page = Image.open(tmp_path / "page.png").convert("L")
    assert read_qr_modules(page, dpi, len(downloads.qr_matrix(url))) == downloads.qr_matrix(url)


def read_qr_modules(page: Image.Image, dpi: int, count: int) -> list[list[bool]]:
    """Sample the centre of every QR module where the certificate draws the code."""
    scale = dpi / 72
    module = downloads.QR_SIZE / count
    top = downloads.PAGE_HEIGHT - downloads.QR_Y - downloads.QR_SIZE
    return [
        [
            page.getpixel(
                (
                    round((downloads.QR_X + (column + 0.5) * module) * scale),
                    round((top + (row + 0.5) * module) * scale),
                )
            )
            < 128
            for column in range(count)
        ]
        for row in range(count)
    ]


def test_the_pdf_of_a_revoked_credential_says_revoked(client, issued) -> None:
    _, registrar, _, award = issued
    services.revoke_award(
        actor=registrar,
        award=award,
        reason="Under investigation: possible plagiarism",
        public_reason="Plagiarism found.",
    )
    pdf = client.get(f"/credentials/{award.uuid}.pdf").content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Revoked by Universiteit Utrecht: this credential is not valid." in text
    assert "Reason: Plagiarism found." in text
    assert "investigation" not in text


def pdf_text(pdf: bytes) -> str:
    """Return the text of the certificate's one page, lines joined by spaces."""
    [page] = PdfReader(io.BytesIO(pdf)).pages
    return " ".join(page.extract_text().split())


# -- status lists ----------------------------------------------------------------------------


def test_status_lists_are_served_signed_with_a_short_cache(client, issued) -> None:
    response = client.get("/status/uu/suspension-1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "max-age=30," in response["Cache-Control"]
    assert response.content.decode() == services.get_status_list_credential("uu", "suspension-1")
    assert json.loads(response.content)["type"][1] == "BitstringStatusListCredential"
    vc = client.get("/status/uu/suspension-1", headers={"accept": "application/vc+ld+json"})
    assert vc["Content-Type"] == "application/vc+ld+json; charset=utf-8"
    assert client.get("/status/uu/revocation-9").status_code == 404
    assert client.get("/status/nobody/revocation-1").status_code == 404


# -- staff pages -----------------------------------------------------------------------------


def staff_urls(organisation, award) -> list[str]:
    base = f"/studio/orgs/{organisation.slug}/awards/"
    return [base, f"{base}issue", f"{base}{award.uuid}"]


def test_staff_pages_need_sign_in(client, issued) -> None:
    organisation, _, _, award = issued
    for url in staff_urls(organisation, award):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login")
    response = client.post(f"/studio/orgs/uu/awards/{award.uuid}/revoke", REVOKE_X)
    assert response.status_code == 302
    award.refresh_from_db()
    assert award.status == "active"


def test_outsiders_see_nothing(client, issued) -> None:
    organisation, _, _, award = issued
    client.force_login(make_issuer()[1])
    for url in staff_urls(organisation, award):
        assert client.get(url).status_code == 404
    response = client.post(f"/studio/orgs/uu/awards/{award.uuid}/revoke", REVOKE_X)
    assert response.status_code == 404
    award.refresh_from_db()
    assert award.status == "active"


def test_members_without_the_registrar_role_may_look_but_not_act(client, issued) -> None:
    organisation, _, _, award = issued
    client.force_login(add_member(organisation, make_user(), Role.DESIGNER))
    listing = client.get("/studio/orgs/uu/awards/")
    assert listing.status_code == 200
    assert "Ada Lovelace" in page_text(listing)
    assert "/studio/orgs/uu/awards/issue" not in page_text(listing)
    assert client.get("/studio/orgs/uu/awards/issue").status_code == 403
    detail = client.get(f"/studio/orgs/uu/awards/{award.uuid}")
    assert detail.status_code == 200 and "status-change" not in page_text(detail)
    response = client.post(f"/studio/orgs/uu/awards/{award.uuid}/revoke", REVOKE_X)
    assert response.status_code == 403
    award.refresh_from_db()
    assert award.status == "active"


def test_the_list_searches_and_filters_by_status(client, issued) -> None:
    _, registrar, version, _ = issued
    other = issue(registrar, version, learner_name="Grace Hopper")
    services.revoke_award(actor=registrar, award=other, reason="Cheating.")
    client.force_login(registrar)
    everything = page_text(client.get("/studio/orgs/uu/awards/"))
    assert "Ada Lovelace" in everything and "Grace Hopper" in everything
    revoked = page_text(client.get("/studio/orgs/uu/awards/?status=revoked"))
    assert "Grace Hopper" in revoked and "Ada Lovelace" not in revoked
    found = page_text(client.get("/studio/orgs/uu/awards/?q=lovelace"))
    assert "Ada Lovelace" in found and "Grace Hopper" not in found
    assert "Ada Lovelace" in page_text(client.get("/studio/orgs/uu/awards/?status=bogus"))


def issue_form(chosen, **changes) -> dict[str, str]:
    data = {
        "version": str(chosen.pk),
        "learner_email": "katherine@example.org",
        "learner_did": "",
        "learner_name": "Katherine Johnson",
        "grade": "Distinction",
        "score": "",
        "narrative": "",
        "evidence_url": "",
        "format": "ldp",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("format", ["ldp", "jwt"])
def test_a_registrar_issues_through_the_form(client, issued, format: str) -> None:
    _, registrar, version, _ = issued
    client.force_login(registrar)
    form = client.get("/studio/orgs/uu/awards/issue")
    assert form.status_code == 200 and version.title in page_text(form)
    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version, format=format))
    award = Award.objects.get(learner_email="katherine@example.org")
    assert response.status_code == 302
    assert response["Location"] == f"/studio/orgs/uu/awards/{award.uuid}"
    assert award.format == format and award.result == {"grade": "Distinction"}
    detail = page_text(client.get(response["Location"]))
    assert "The credential was issued." in detail
    assert f"/credentials/{award.uuid}" in detail
    assert services.verify_award(award).verified


def test_posting_the_form_twice_issues_once(client, issued) -> None:
    _, registrar, version, _ = issued
    client.force_login(registrar)
    first = client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    second = client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    assert first["Location"] == second["Location"]
    assert Award.objects.filter(learner_email="katherine@example.org").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"learner_email": ""}, "learner_email", "Give the learner"),
        ({"learner_email": "katherine"}, "learner_email", "valid email"),
        ({"learner_email": "", "learner_did": "did:nope"}, "learner_did", "is not a DID"),
        ({"version": "999999"}, "version", "valid choice"),
        ({"version": ""}, "version", "required"),
        ({"format": "docx"}, "format", "valid choice"),
        ({"evidence_url": "not a url at all"}, "evidence_url", "valid URL"),
    ],
)
def test_bad_issue_input_shows_the_error_by_the_field_and_changes_nothing(
    client, issued, changes: dict, field: str, message: str
) -> None:
    _, registrar, version, _ = issued
    client.force_login(registrar)
    lists = list(StatusList.objects.values_list("next_index", "signed_credential"))
    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version, **changes))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert f'id="id_{field}"' in page_text(response)
    assert Award.objects.count() == 1
    assert list(StatusList.objects.values_list("next_index", "signed_credential")) == lists


def test_unpublished_versions_are_not_offered_nor_accepted(client, issued) -> None:
    organisation, registrar, _, _ = issued
    draft = make_version(organisation, status="draft", title="Unfinished draft")
    client.force_login(registrar)
    assert "Unfinished draft" not in page_text(client.get("/studio/orgs/uu/awards/issue"))
    other_organisation_version = make_issuer()[2]
    for version in (draft, other_organisation_version):
        response = client.post("/studio/orgs/uu/awards/issue", issue_form(version))
        assert response.status_code == 400
        assert "version" in response.context["form"].errors
    assert Award.objects.count() == 1


def test_a_conflicting_reissue_is_shown_above_the_form(client, issued) -> None:
    _, registrar, version, _ = issued
    client.force_login(registrar)
    client.post("/studio/orgs/uu/awards/issue", issue_form(version))
    response = client.post("/studio/orgs/uu/awards/issue", issue_form(version, grade="Merit"))
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert "The learner holds this micro-credential already" in errors
    assert "idempotency key" not in errors
    assert Award.objects.count() == 2


def test_revoking_through_the_detail_page(client, issued) -> None:
    _, registrar, _, award = issued
    client.force_login(registrar)
    detail = page_text(client.get(f"/studio/orgs/uu/awards/{award.uuid}"))
    assert "Suspend this credential" in detail and "Revoke this credential" in detail
    assert "Unsuspend" not in detail
    assert "fails verification for everyone who checks it" in detail
    assert "this cannot be undone" in detail
    blank = client.post(f"/studio/orgs/uu/awards/{award.uuid}/revoke", {"reason": "  "})
    assert blank.status_code == 400
    assert "This field is required." in page_text(blank)
    unconfirmed = client.post(
        f"/studio/orgs/uu/awards/{award.uuid}/revoke", {"reason": "Plagiarism."}
    )
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm that the credential is revoked." in page_text(unconfirmed)
    award.refresh_from_db()
    assert award.status == "active"
    done = client.post(
        f"/studio/orgs/uu/awards/{award.uuid}/revoke", {"reason": "Plagiarism.", "confirm": "on"}
    )
    assert done.status_code == 302
    award.refresh_from_db()
    assert award.status == "revoked" and award.status_reason == "Plagiarism."
    after = page_text(client.get(done["Location"]))
    assert "the credential is now revoked" in after
    assert "status-change" not in after
    again = client.post(
        f"/studio/orgs/uu/awards/{award.uuid}/revoke", {"reason": "Twice.", "confirm": "on"}
    )
    assert again.status_code == 400
    assert "is revoked; a revoked award cannot change any more." in page_text(again)


def test_suspending_and_unsuspending_through_the_detail_page(client, issued) -> None:
    _, registrar, _, award = issued
    client.force_login(registrar)
    not_suspended = client.post(f"/studio/orgs/uu/awards/{award.uuid}/unsuspend", {"reason": "x"})
    assert not_suspended.status_code == 400
    assert "is not suspended" in page_text(not_suspended)
    client.post(f"/studio/orgs/uu/awards/{award.uuid}/suspend", {"reason": "Appeal."})
    award.refresh_from_db()
    assert award.status == "suspended"
    assert "Unsuspend this credential" in page_text(
        client.get(f"/studio/orgs/uu/awards/{award.uuid}")
    )
    client.post(f"/studio/orgs/uu/awards/{award.uuid}/unsuspend", {"reason": "Upheld."})
    award.refresh_from_db()
    assert award.status == "active"


def test_unknown_actions_and_awards_of_other_organisations_are_not_found(client, issued) -> None:
    _, registrar, _, award = issued
    client.force_login(registrar)
    unknown = client.post(f"/studio/orgs/uu/awards/{award.uuid}/delete", {"reason": "x"})
    assert unknown.status_code == 404
    assert client.get(f"/studio/orgs/uu/awards/{award.uuid}/revoke").status_code == 405
    other_organisation, other_registrar, other_version = make_issuer(slug="elsewhere")
    add_member(other_organisation, registrar, Role.REGISTRAR)
    theirs = issue(other_registrar, other_version)
    assert client.get(f"/studio/orgs/uu/awards/{theirs.uuid}").status_code == 404
    response = client.post(f"/studio/orgs/uu/awards/{theirs.uuid}/revoke", REVOKE_X)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active"
