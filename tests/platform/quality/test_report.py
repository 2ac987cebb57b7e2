"""What quality assurance makes public: the QA report of a published version, the issuer's
figures, the plain-language summary, and the credential's reference to the report."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.utils import timezone

from microcred.assessment.models import Outcome
from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.errors import NotFound
from microcred.frameworks import quality as rules
from microcred.organisations.models import OrganisationType, Role
from microcred.quality import report, services
from microcred.vc.rdfc import canonicalize
from tests.platform.assessment.factories import (
    make_assessed_version,
    make_enrolment,
    make_submission,
)
from tests.platform.awards.factories import issue, make_registrar
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import (
    all_met,
    approve,
    designer_of,
    make_reviewer,
    publish,
    vet,
)

UNDEFINED_TERM_NAMESPACE = "https://www.w3.org/ns/credentials/issuer-dependent#"


def report_of(version):
    return report.get_report(
        organisation=version.microcredential.organisation.slug,
        slug=version.microcredential.slug,
        number=version.number,
    )


def returned_then_published(version):
    """Submit ``version``, have a reviewer return it, submit it again and publish it."""
    organisation = version.microcredential.organisation
    vet(organisation)
    first = services.submit_version(actor=designer_of(version), version=version)
    services.decide_review(
        actor=make_reviewer(organisation),
        review=first,
        decision="return",
        checklist={item: {"met": False, "note": ""} for item in all_met(first)},
        note="Say how the feedback is assessed.",
    )
    return publish(version)


# -- the report ------------------------------------------------------------------------------


def test_the_report_shows_the_profiles_met_every_check_and_the_review() -> None:
    reviewer_name = "reviewer-with-a-name"
    version = make_draft(review_date="2028-06-30", further_information="")
    organisation = version.microcredential.organisation
    reviewer = add_member(organisation, make_user(reviewer_name, password=None), Role.QA_REVIEWER)
    approve(version, reviewer=reviewer)
    catalogue.publish_version(actor=designer_of(version), version=version)

    found = report_of(version)

    assert (found.title, found.number, found.status) == ("Classroom assessment", 1, "published")
    assert found.url == (f"https://microcred.test/qa/{organisation.slug}/classroom-assessment/v1/")
    assert [(p.id, p.met) for p in found.profiles] == [("eu-annex-i", True), ("coherence", True)]
    annex = found.profiles[0]
    assert annex.name == rules.get_profile("eu-annex-i").name
    assert annex.source == rules.get_profile("eu-annex-i").source
    # Every rule of the profile is listed; those that found nothing as passed.
    assert {check.rule_id for check in annex.checks} == {
        rule.id for rule in rules.get_profile("eu-annex-i").rules
    }
    title = next(check for check in annex.checks if check.rule_id == "eu-annex-i.title")
    assert (title.passed, title.severity, title.field) == (True, "error", "title")
    # What a rule found at submission is shown with its message and field, not as passed.
    further = next(c for c in annex.checks if c.rule_id == "eu-annex-i.further-information")
    assert (further.passed, further.severity, further.field) == (
        False,
        "advice",
        "further_information",
    )
    assert further.message.startswith("Consider giving further information")

    internal = found.internal_review
    assert internal.reviewer.startswith(f"A QA reviewer of {organisation.name}")
    assert reviewer_name not in json.dumps(found.as_dict())
    assert internal.decision == "approved"
    assert internal.reviewed_on == date.today()
    assert [item.id for item in internal.checklist] == [
        item_id for item_id, _ in services.get_checklist(["eu-annex-i", "coherence"])
    ]
    assert all(item.met for item in internal.checklist)
    assert found.external_review is None
    assert (found.attempt, found.next_review) == (1, date(2028, 6, 30))
    assert found.submitted_on == found.approved_on == found.published_on == date.today()


def test_the_report_names_the_external_agency_and_when_it_reviewed() -> None:
    version = make_draft()
    organisation = version.microcredential.organisation
    agency = make_organisation(
        name="Quality Agency", slug="qa-agency", type=OrganisationType.QA_AGENCY
    )
    vet(organisation)
    review = services.submit_version(actor=designer_of(version), version=version)
    internal = make_reviewer(organisation)
    services.invite_external_review(actor=internal, review=review, agency="qa-agency")
    services.decide_review(
        actor=internal, review=review, decision="approve", checklist=all_met(review)
    )
    services.decide_review(
        actor=make_reviewer(agency),
        review=review,
        decision="approve",
        checklist=all_met(review),
        note="Fit for purpose.",
    )
    catalogue.publish_version(actor=designer_of(version), version=version)

    external = report_of(version).external_review
    assert (external.organisation, external.organisation_slug) == ("Quality Agency", "qa-agency")
    assert "Quality Agency" in external.reviewer
    assert (external.reviewed_on, external.note) == (date.today(), "Fit for purpose.")
    assert len(external.checklist) == len(all_met(review))


def test_a_version_returned_once_reports_the_submission_that_passed() -> None:
    version = returned_then_published(make_draft())
    found = report_of(version)
    assert found.attempt == 2
    assert all(item.met for item in found.internal_review.checklist)


def test_the_report_as_json_data() -> None:
    version = publish(make_draft(review_date="2028-06-30"))
    data = report_of(version).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["next_review"] == "2028-06-30"
    assert data["submitted_on"] == date.today().isoformat()
    assert data["profiles"][0]["id"] == "eu-annex-i"
    assert {"rule_id", "severity", "message", "field", "source", "passed"} <= set(
        data["profiles"][0]["checks"][0]
    )
    assert data["internal_review"]["checklist"][0]["met"] is True
    assert data["external_review"] is None


def test_drafts_approved_versions_and_unknown_versions_have_no_report() -> None:
    draft = make_draft()
    with pytest.raises(NotFound) as refused:
        report_of(draft)
    assert refused.value.field == "version"
    approve(draft)
    with pytest.raises(NotFound):
        report_of(draft)
    with pytest.raises(NotFound):
        report.get_report(
            organisation=draft.microcredential.organisation.slug, slug="nope", number=1
        )
    published = publish(make_draft())
    with pytest.raises(NotFound):
        report.get_report(
            organisation=published.microcredential.organisation.slug,
            slug=published.microcredential.slug,
            number=2,
        )


def test_a_withdrawn_version_keeps_its_report_for_the_credentials_that_link_to_it() -> None:
    version = publish(make_draft())
    catalogue.withdraw_version(actor=designer_of(version), version=version, reason="Replaced.")
    found = report_of(version)
    assert found.status == "withdrawn"
    assert found.internal_review is not None


# -- the issuer's figures --------------------------------------------------------------------


def test_the_issuer_figures_count_first_time_passes_publications_and_awards() -> None:
    organisation = make_organisation(accreditations=[{"name": "NVAO", "body": "NVAO"}])
    returned_then_published(make_draft(organisation, title="Returned once"))
    first_time = publish(make_draft(organisation, title="Approved first time"))
    make_draft(organisation, title="Never submitted")
    issue(make_registrar(organisation), first_time)
    services.update_quality_settings(
        actor=organisation.memberships.get(role=Role.OWNER).user,
        organisation=organisation,
        qa_process="Every micro-credential is reviewed by the examination board.",
    )

    figures = report.get_issuer_quality(organisation)

    assert (figures.first_submissions, figures.passed_first_time) == (2, 1)
    assert figures.first_time_percent == 50
    assert [entry.title for entry in figures.published] == ["Approved first time", "Returned once"]
    assert figures.published[0].report_path == report.report_path(first_time)
    assert figures.published[0].catalogue_path == catalogue.version_url(first_time).removeprefix(
        "https://microcred.test"
    )
    assert figures.awards_issued == 1
    assert figures.vetted_on == date.today()
    assert figures.qa_process == "Every micro-credential is reviewed by the examination board."
    assert [item["name"] for item in figures.accreditations] == ["NVAO"]
    assert figures.pass_rate is None
    assert figures.pass_rate_percent is None


def test_the_issuer_pass_rate_comes_from_assessment() -> None:
    organisation = make_organisation()
    version = make_assessed_version(organisation)
    decided = {"status": "decided", "decided_at": timezone.now(), "evidence": False}
    for outcome in (Outcome.PASS, Outcome.FAIL, Outcome.PASS, Outcome.PASS):
        make_submission(make_enrolment(version), outcome=outcome, **decided)
    make_submission(make_enrolment(version), evidence=False)
    figures = report.get_issuer_quality(organisation)
    assert (figures.pass_rate, figures.pass_rate_percent) == (0.75, 75)


def test_an_issuer_with_nothing_decided_has_no_share_and_is_not_vetted() -> None:
    organisation = make_organisation()
    figures = report.get_issuer_quality(organisation)
    assert figures.vetted_on is None
    assert figures.first_time_percent is None
    assert (figures.published, figures.awards_issued) == ((), 0)


# -- the plain-language summary --------------------------------------------------------------


def test_the_summary_answers_an_employer_in_plain_words() -> None:
    version = publish(make_draft())
    organisation = version.microcredential.organisation
    summary = report.get_quality_summary(version)
    assert summary.what == "Submit a portfolio that meets the rubric."
    assert "A portfolio of three assessments" in summary.assessed
    assert "marked against 2 criteria" in summary.assessed
    assert "The assessment is supervised." in summary.assessed
    assert "identity is checked: Video call with photo identity check." in summary.assessed
    assert "EU Council Recommendation on micro-credentials" in summary.checked
    assert f"quality reviewer of {organisation.name} who did not write it" in summary.checked
    assert "coherence" not in summary.checked.lower()
    assert f"The platform vetted {organisation.name}" in summary.checked
    assert summary.size == "2 ECTS credits, 55 hours of learning."
    assert summary.level.startswith("EQF level 6: advanced knowledge")
    assert summary.report_path == f"/qa/{organisation.slug}/classroom-assessment/v1/"
    assert [question for question, _ in summary.as_pairs()] == [
        "What the holder had to do",
        "How it was assessed",
        "Who checked it",
        "How big it is",
        "At what level",
    ]


def test_the_summary_of_an_unreviewed_draft_says_what_is_missing() -> None:
    draft = make_draft(
        credits={"ECTS": "5"},
        workload_hours=None,
        eqf_level=None,
        supervised=False,
        identity_verification="",
        rubric=None,
        criteria="",
    )
    summary = report.get_quality_summary(draft)
    assert summary.report_path is None
    assert summary.checked == "It has not passed a quality review on this platform."
    assert summary.size == "About 5 ECTS credits, 125-150 hours of learning."
    assert summary.level == "No level on the European Qualifications Framework is stated."
    assert "not supervised" in summary.assessed
    assert "identity is not checked" in summary.assessed
    assert "criteri" not in summary.assessed
    assert summary.what == "The issuer has not said what a holder must do."


def test_the_size_converts_the_hours_when_no_ects_is_stated() -> None:
    draft = make_draft(credits={}, workload_hours="55")
    assert report.get_quality_summary(draft).size == "About 2 ECTS credits, 55 hours of learning."


# -- the credential's reference to its report ------------------------------------------------


def test_the_credential_carries_the_report_as_evidence_and_still_verifies() -> None:
    version = publish(make_draft())
    award = issue(
        make_registrar(version.microcredential.organisation),
        version,
        evidence=["https://portfolio.example.org/ada"],
    )
    credential = json.loads(award.signed_credential)
    learner_evidence, qa = credential["evidence"]
    assert learner_evidence == {"type": ["Evidence"], "id": "https://portfolio.example.org/ada"}
    assert qa["id"] == report.report_url(version)
    assert qa["type"] == ["Evidence"]
    assert qa["name"] == qa["genre"] == "Quality assurance report"
    assert qa["description"].endswith(".")
    assert awards.verify_award(award).verified
    nquads = canonicalize(credential)
    assert UNDEFINED_TERM_NAMESPACE not in nquads
    assert "<https://schema.org/genre>" in nquads


def test_a_vc_jwt_credential_carries_the_report_too() -> None:
    version = publish(make_draft())
    award = issue(make_registrar(version.microcredential.organisation), version, format="jwt")
    credential = awards.get_credential_document(award)
    assert credential["evidence"][-1]["id"] == report.report_url(version)
    assert awards.verify_award(award).verified
