"""The demo data `make run` loads: real organisations, published versions and signed awards."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.accounts.models import User
from microcred.assessment import services as assessment
from microcred.audit.services import check_chain
from microcred.awards import services as awards
from microcred.bulk import services as bulk
from microcred.catalogue import services as catalogue
from microcred.errors import Conflict, InvalidInput
from microcred.frameworks.ctdl import vocabulary_problems
from microcred.organisations import services as organisations
from microcred.quality import services as quality
from microcred.recognition import services as recognition
from microcred.site.demo_platform import DEMO_PASSWORD, load_platform_demo
from microcred.vc.baking import unbake
from microcred.vc.keys import generate_key_file
from microcred.verification.samples import SAMPLES, load_samples
from tests import conformance, ctdl_checks
from tests.ob3_schema import issued_document, schema_errors


def signs_in(client: Client, username: str) -> bool:
    """Sign in through the login page with the demo password, as a person would."""
    client.logout()
    response = client.post("/login", {"login": username, "password": DEMO_PASSWORD})
    return response.status_code == 302


@pytest.fixture
def demo(django_capture_on_commit_callbacks) -> list[str]:
    # Run what the demo's transactions start on commit: the award of the assessor's pass.
    with django_capture_on_commit_callbacks(execute=True):
        return list(load_platform_demo())


def test_the_demo_has_issuers_published_credentials_and_awards_in_every_state(demo) -> None:
    assert any("Awards" in line for line in demo)
    slugs = {o.slug: o.type for o in organisations.get_organisations()}
    assert slugs == {
        "northfield": "professional_learning",
        "lakeside": "university",
        "meridian": "qa_agency",
    }
    published = catalogue.get_published_versions()
    titles = {version.title for version in published}
    assert {"Assessment Literacy", "Understanding Student Well-being"} <= titles
    assert {
        v.eqf_level for v in published if v.microcredential.organisation.slug == "lakeside"
    } == {6, 7}

    admin = User.objects.get(username="admin")
    all_awards = [
        award
        for slug in ("northfield", "lakeside")
        for award in awards.list_awards(actor=admin, organisation_slug=slug)
    ]
    statuses = sorted(award.status for award in all_awards)
    assert statuses.count("revoked") == 1 and statuses.count("suspended") == 1
    for award in all_awards:
        report = awards.verify_award(award)
        assert report.verified is (award.status == "active"), (award.status, report.as_dict())
    assert check_chain().intact


def test_every_credential_the_demo_issues_passes_the_open_badges_3_json_schema(
    demo, settings, tmp_path
) -> None:
    """The demo's awards, in every state, and the verification page's samples (JSON, VC-JWT,
    baked PNG and SVG, tampered and expired)."""
    settings.DATA_DIR = tmp_path
    list(load_samples())
    admin = User.objects.get(username="admin")
    issued = {
        f"award {award.uuid} ({award.status}, {award.format})": award.signed_credential
        for slug in ("northfield", "lakeside")
        for award in awards.list_awards(actor=admin, organisation_slug=slug)
    }
    for name in SAMPLES:
        data = (tmp_path / "demo" / name).read_bytes()
        issued[name] = unbake(data).payload if name.endswith((".png", ".svg")) else data.decode()
    assert len(issued) > len(SAMPLES)
    failures = {
        name: errors
        for name, signed in issued.items()
        if (errors := schema_errors(issued_document(signed)))
    }
    assert failures == {}


def test_every_published_demo_version_went_through_quality_assurance(demo) -> None:
    admin = User.objects.get(username="admin")
    published = catalogue.get_published_versions()
    # Five, the three of the pathway Data Science Foundations, and the institute's
    # equivalent for the transfer value.
    assert len(published) == 9
    for organisation in {version.microcredential.organisation for version in published}:
        vetting = quality.get_quality_settings(organisation)
        assert vetting.vetted_by == admin and vetting.terms_agreed
    agencies = []
    for version in published:
        review = quality.get_latest_review(version)
        assert review is not None and review.status == "published", version.title
        assert review.submitted_by == version.created_by
        assert review.reviewer not in (None, review.submitted_by)
        assert review.reviewer.memberships.filter(
            organisation=version.microcredential.organisation, role="qa_reviewer"
        ).exists()
        assert review.checklist and all(item["met"] for item in review.checklist)
        assert not [f for f in review.findings if f["severity"] == "error"]
        if review.external_agency is not None:
            agencies.append(review.external_agency.slug)
            assert review.external_reviewer.username == "meridian-reviewer"
            assert review.external_checklist and review.external_reviewed_at
    assert agencies == ["meridian"]


def test_the_demo_draft_that_fails_a_blocking_rule_cannot_be_published(demo) -> None:
    designer = User.objects.get(username="northfield-designer")
    organisation = organisations.get_organisation("northfield")
    entry = next(
        entry
        for entry in catalogue.get_microcredentials(organisation)
        if entry.microcredential.slug == "data-protection-in-schools"
    )
    draft = entry.latest
    assert draft.status == "draft" and entry.published is None
    review = quality.get_latest_review(draft)
    assert review.status == "returned"
    blocking = [f for f in review.findings if f["severity"] == "error"]
    assert blocking and any(f["field"].startswith("outcomes") for f in blocking)
    assert any("returned by the automatic checks" in line for line in demo)
    with pytest.raises(Conflict) as refused:
        catalogue.publish_version(actor=designer, version=draft)
    assert refused.value.code == "qa.not_approved"

    # Fixed, it passes the automatic checks and waits for a human reviewer.
    outcomes = [outcome.text for outcome in catalogue.get_outcomes(draft)]
    outcomes[0] = "Explain how data protection law applies to pupils' records."
    catalogue.update_draft(actor=designer, version=draft, outcomes=outcomes)
    assert quality.submit_version(actor=designer, version=draft).status == "internal_review"


def test_the_demo_leaves_a_submitted_draft_waiting_for_its_qa_reviewer(demo, client) -> None:
    lakeside = organisations.get_organisation("lakeside")
    (entry,) = quality.get_review_queue(lakeside)
    review = entry.review
    assert entry.stage == "internal_review"
    assert (
        review.version.status == "draft"
        and review.version.title == "Foundations of Machine Learning"
    )
    assert review.submitted_by.username == "lakeside-designer" and review.reviewer is None
    assert not [f for f in review.findings if f["severity"] == "error"]
    assert any("waits for lakeside-reviewer" in line for line in demo)

    queue = _signed_in(client, "lakeside-reviewer").get("/studio/orgs/lakeside/quality/")
    assert queue.status_code == 200
    assert "Foundations of Machine Learning" in queue.content.decode()
    page = client.get(f"/studio/orgs/lakeside/quality/{review.version.microcredential.slug}/v1/")
    html = page.content.decode()
    assert page.status_code == 200 and "Record the decision" in html
    assert '<a href="/studio/orgs/lakeside/quality/">Quality reviews</a>' in html  # breadcrumbs
    # The returned Northfield draft is not waiting: the automatic checks sent it back.
    assert quality.get_review_queue(organisations.get_organisation("northfield")) == []


def test_the_demo_logins_printed_work_for_qa_reviewers(demo, client: Client) -> None:
    logins = next(line for line in demo if line.startswith("Sign in"))
    for username in ("northfield-reviewer", "lakeside-reviewer", "meridian-reviewer", "admin"):
        assert username in logins
        assert signs_in(client, username), username
    assert client.get("/studio/vetting/").status_code == 200  # admin signed in last


def test_the_catalogue_pages_answer_after_the_demo_loads(demo, client: Client) -> None:
    assert client.get("/catalogue/").status_code == 200
    for version in catalogue.get_published_versions():
        url = (
            f"/catalogue/{version.microcredential.organisation.slug}/"
            f"{version.microcredential.slug}/"
        )
        assert client.get(url).status_code == 200, url


def test_the_demo_issuers_describe_their_quality_assurance(demo, client: Client) -> None:
    for slug in ("northfield", "lakeside"):
        page = client.get(f"/qa/{slug}/").text
        assert "has not described its process yet" not in page
        assert "Vetted by the platform" in page


def test_loading_the_demo_twice_changes_nothing() -> None:
    list(load_platform_demo())
    before = check_chain().events
    assert list(load_platform_demo()) == ["Platform demo data is loaded already."]
    assert check_chain().events == before


# -- assessment at work ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _evidence_storage(settings, tmp_path) -> None:
    """The demo learners' evidence files go to a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": "/no-public-url/"},
        },
    }


def _signed_in(client: Client, username: str) -> Client:
    assert signs_in(client, username), username
    return client


def test_the_demo_assessed_version_has_a_frozen_plan_with_peer_review(demo) -> None:
    version = next(
        v
        for v in catalogue.get_published_versions()
        if v.microcredential.slug == "assessment-literacy"
    )
    plan = assessment.get_plan(version)
    assert plan is not None and plan.peer_reviews == 1
    assert [c["kind"] for c in plan.components] == ["goal", "artefact", "reflection"]
    with pytest.raises(Conflict) as refused:
        assessment.save_plan(
            actor=User.objects.get(username="northfield-designer"),
            version=version,
            components=plan.components,
        )
    assert refused.value.code == "version.not_draft" and refused.value.field == "version"
    # The other published versions have no plan: nobody can enrol in them in the demo.
    others = [v for v in catalogue.get_published_versions() if v != version]
    assert [assessment.get_plan(v) for v in others] == [None] * len(others)


def test_the_passed_learner_holds_an_award_from_the_assessors_decision(demo, client) -> None:
    eva = User.objects.get(username="eva")
    (entry,) = assessment.get_dashboard(eva)
    assert entry.enrolment.status == "passed"
    (decided,) = entry.decided
    assert decided.outcome == "pass" and decided.status == "decided"
    award = entry.enrolment.award
    assert award is not None and award.status == "active"
    assert awards.verify_award(award).verified

    credential = awards.get_credential_document(award)
    subject = credential["credentialSubject"]
    levels = [result for result in subject["result"] if "achievedLevel" in result]
    described = {item["id"] for item in subject["achievement"]["resultDescription"]}
    assert len(levels) == 2 and {r["resultDescription"] for r in levels} <= described
    assert {"type": ["Result"], "value": "5"} in subject["result"]  # Exemplary 3 + Proficient 2
    assert "Identity verification: institutional login" in subject["narrative"]
    (portfolio,) = [item for item in credential["evidence"] if item["name"].endswith(".md")]
    assert portfolio["name"] == "exit-tickets-portfolio.md"
    public_path = portfolio["id"].removeprefix("https://microcred.test")
    assert client.get(public_path).status_code == 200  # made public by the learner

    # The peer's feedback reached the learner, without the peer's name.
    feedback = assessment.get_feedback(eva, decided)
    assert {item.role for item in feedback} == {"peer", "assessor"}
    assert "Farid" not in repr(feedback)

    page = _signed_in(client, "eva").get("/me/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Assessment Literacy" in html and "Passed" in html
    assert f"/credentials/{award.uuid}" in html
    credential_page = client.get(f"/credentials/{award.uuid}").content.decode()
    assert "exit-tickets-portfolio.md" in credential_page


def test_the_waiting_learner_is_in_the_assessors_queue(demo, client) -> None:
    farid = User.objects.get(username="farid")
    (entry,) = assessment.get_dashboard(farid)
    assert entry.enrolment.status == "active" and entry.enrolment.award is None
    assert entry.current.status == "assessment" and not entry.decided
    assert entry.due.startswith("Decision due")
    html = _signed_in(client, "farid").get("/me/").content.decode()
    assert "with the assessor" in html and "Decision due" in html

    assessor = User.objects.get(username="northfield-assessor")
    northfield = organisations.get_organisation("northfield")
    (review,) = assessment.get_queue(assessor, northfield)
    assert review.role == "assessor" and review.submission == entry.current
    assert review.due_at > entry.current.submitted_at
    client.logout()
    queue = _signed_in(client, "northfield-assessor").get(
        "/studio/orgs/northfield/assessment/queue"
    )
    assert queue.status_code == 200
    assert f"/assessment/reviews/{review.uuid}" in queue.content.decode()


def test_the_demo_prints_the_assessment_logins(demo, client) -> None:
    assert any(line.startswith("Assessment:") for line in demo)
    logins = next(line for line in demo if line.startswith("Sign in"))
    for username in ("northfield-assessor", "eva", "farid"):
        assert username in logins
        assert signs_in(client, username), username


def test_the_samples_need_an_ed25519_issuer_key(settings, tmp_path) -> None:
    """The samples are issued by the demo key's did:key, which an RSA key does not have."""
    settings.DATA_DIR = tmp_path
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "issuer-key.json").write_text(generate_key_file("rsa"))
    with pytest.raises(InvalidInput, match="must be an Ed25519 key") as caught:
        list(load_samples())
    assert caught.value.field == "issuer-key.json"


# -- pathways --------------------------------------------------------------------------------


def test_the_demo_pathway_has_a_learner_two_thirds_through_and_one_who_completed_it(
    demo, client: Client
) -> None:
    from microcred.pathways import services as pathways

    pathway = pathways.get_pathway("lakeside", "data-science-foundations")
    assert len(pathway.rules["children"]) == 3
    gina, hugo = User.objects.get(username="gina"), User.objects.get(username="hugo")
    halfway = pathways.get_progress(gina, pathway)
    assert (halfway.done, halfway.percent, halfway.met) == (2, 67, False)
    [request] = pathways.get_learner_requests(hugo, pathway)
    assert request.status == "issued" and awards.verify_award(request.award).verified
    [record] = hugo.learner_records.all()
    assert record.awards.count() == 4
    assert any("Data Science Foundations" in line for line in demo)
    assert signs_in(client, "hugo")
    page = client.get("/pathways/lakeside/data-science-foundations/").content.decode()
    assert page.count('class="pathway-component done"') == 3


def test_the_demo_has_a_transfer_value_a_waiting_application_and_grading_tables(
    demo, client
) -> None:
    lakeside = organisations.get_organisation("lakeside")
    target = catalogue.get_version(organisation="lakeside", slug="data-science-foundations")
    [value] = recognition.get_transfer_values(target_version=target)
    equivalent = catalogue.get_version(organisation="northfield", slug="visualising-school-data")
    assert value.achievement == catalogue.achievement_id(equivalent)
    assert value.counts_as == ("data-visualisation",) and dict(value.credits) == {"ECTS": 5.0}
    document = recognition.get_transfer_value_document("lakeside")
    assert vocabulary_problems(document, conformance.load_json("ctdl", "ctdl", "schema.json")) == []

    evaluator = User.objects.get(username="lakeside-evaluator")
    queue = recognition.get_queue(actor=evaluator, organisation_slug=lakeside.slug)
    [waiting] = queue["submitted"]
    assert waiting.learner.username == "ben" and waiting.credentials.get().verified
    assert signs_in(client, "lakeside-evaluator")
    page = client.get(f"/studio/orgs/lakeside/recognition/{waiting.uuid}")
    assert page.status_code == 200 and "Data Analysis with Python" in page.text

    tables = {table.organisation.slug: table for table in recognition.get_grading_tables()}
    conversion = recognition.convert_grade(
        source=tables["lakeside"].uuid, target=tables["northfield"].uuid, grade="9"
    )
    assert conversion.main == "Distinction"


def test_every_demo_issuer_exports_a_clean_ctdl_graph(demo, client) -> None:
    for organisation in organisations.get_organisations():
        response = client.get(f"/orgs/{organisation.slug}/ctdl.json")
        assert response.status_code == 200
        document = response.json()
        ctdl_checks.assert_clean(document)
        if organisation.slug == "lakeside":
            types = [item["@type"] for item in document["@graph"]]
            assert "ceterms:Pathway" in types and "ceasn:CompetencyFramework" in types
    # The README's example.
    response = client.get("/catalogue/lakeside/data-science-foundations/v1/ctdl.json")
    assert response.status_code == 200
    ctdl_checks.assert_clean(response.json())


def test_the_demo_has_a_finished_bulk_job_with_a_reported_row(demo) -> None:
    assert any(line.startswith("Bulk issuing: a cohort of 4") for line in demo)
    registrar = User.objects.get(username="lakeside-registrar")
    (job,) = bulk.list_jobs(actor=registrar, organisation_slug="lakeside")
    progress = bulk.get_progress(job)
    assert (progress.status, progress.issued, progress.failed) == ("finished", 3, 1)
    outcomes = [row[4] for row in bulk.report_rows(job)][1:]
    assert outcomes == ["issued", "issued", "issued", "failed"]


def test_the_demo_learner_hugo_has_a_backpack_connected(demo, client: Client) -> None:
    from microcred.obapi import services as obapi

    hugo = User.objects.get(username="hugo")
    [connection] = obapi.get_connections(hugo)
    assert connection.name == "Demo Backpack"
    assert signs_in(client, "hugo")
    assert "Demo Backpack" in client.get("/me/connections/").content.decode()
    assert any("/me/connections/" in line for line in demo)
