"""The review workflow: submit, checks, four eyes, external agencies, publish, re-review."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from microcred.audit.models import AuditEvent
from microcred.catalogue import services as catalogue
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations.models import Role
from microcred.quality import services
from microcred.quality.models import QAReview
from tests.platform.catalogue.factories import make_designer, make_draft
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import all_met, approve, make_reviewer, publish, vet

VAGUE = ["Understand classroom assessment", "Give feedback that helps students learn"]
FIXED = ["Design classroom assessments", "Give feedback that helps students learn"]


def events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("sequence"))


def submitted(**fields) -> QAReview:
    draft = make_draft(**fields)
    vet(draft.microcredential.organisation)
    return services.submit_version(actor=draft.created_by, version=draft)


# -- submitting ------------------------------------------------------------------------------


def test_a_blocking_finding_returns_the_submission_at_once_and_a_fix_resubmits() -> None:
    draft = make_draft(outcomes=VAGUE)
    designer = draft.created_by
    first = services.submit_version(actor=designer, version=draft)
    assert (first.attempt, first.status) == (1, "returned")
    blocking = [item for item in first.findings if item["severity"] == "error"]
    assert [(item["rule_id"], item["field"]) for item in blocking] == [
        ("coherence.observable-verb", "outcomes[0].text")
    ]
    assert "'understand'" in blocking[0]["message"]
    assert first.decided_at is not None and first.reviewer is None
    assert catalogue.access_version(designer, *_where(draft)).status == "draft"
    returned = events("qa.return")[-1]
    assert returned.actor == designer and returned.data["by"] == "automatic checks"
    assert returned.data["rules"] == ["coherence.observable-verb"]

    catalogue.update_draft(actor=designer, version=draft, outcomes=FIXED)
    second = services.submit_version(actor=designer, version=draft)
    assert (second.attempt, second.status) == (2, "internal_review")
    assert not [item for item in second.findings if item["severity"] == "error"]
    assert second.submitted_by == designer and second.profiles == ["eu-annex-i", "coherence"]
    assert [event.data["attempt"] for event in events("qa.submit")] == [1, 2]


def _where(version) -> tuple[str, str, int]:
    return (
        version.microcredential.organisation.slug,
        version.microcredential.slug,
        version.number,
    )


def test_a_version_in_review_or_published_cannot_be_submitted_again() -> None:
    review = submitted()
    designer = review.version.created_by
    with pytest.raises(Conflict) as again:
        services.submit_version(actor=designer, version=review.version)
    assert again.value.code == "qa.already_submitted"
    version = publish(make_draft())
    with pytest.raises(Conflict) as frozen:
        services.submit_version(actor=version.created_by, version=version)
    assert (frozen.value.code, frozen.value.field) == ("qa.not_draft", "status")


def test_only_designers_submit() -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    with pytest.raises(Forbidden):
        services.submit_version(actor=make_reviewer(organisation), version=draft)
    with pytest.raises(NotFound):
        services.submit_version(actor=make_user(), version=draft)
    assert not QAReview.objects.exists()


# -- reviewing -------------------------------------------------------------------------------


def test_the_author_and_the_submitter_cannot_approve_four_eyes() -> None:
    draft = make_draft()
    organisation = draft.microcredential.organisation
    vet(organisation)
    author = add_member(organisation, draft.created_by, Role.QA_REVIEWER)
    submitter = add_member(organisation, make_designer(organisation), Role.QA_REVIEWER)
    review = services.submit_version(actor=submitter, version=draft)
    for person in (author, submitter):
        with pytest.raises(Forbidden) as refused:
            services.decide_review(
                actor=person, review=review, decision="approve", checklist=all_met(review)
            )
        assert refused.value.code == "qa.four_eyes"
    assert QAReview.objects.get(pk=review.pk).status == "internal_review"
    assert not events("qa.approve")


def test_a_member_of_another_organisation_cannot_review() -> None:
    review = submitted()
    stranger = make_reviewer(make_organisation())
    with pytest.raises(NotFound):
        services.decide_review(
            actor=stranger, review=review, decision="approve", checklist=all_met(review)
        )
    with pytest.raises(NotFound):
        services.access_review(stranger, *_where(review.version))
    designer = make_designer(review.version.microcredential.organisation)
    with pytest.raises(Forbidden):
        services.decide_review(
            actor=designer, review=review, decision="approve", checklist=all_met(review)
        )


def test_approving_records_the_checklist_and_lets_the_designer_publish() -> None:
    review = submitted()
    reviewer = make_reviewer(review.version.microcredential.organisation)
    checklist = all_met(review)
    first_item = next(iter(checklist))
    checklist[first_item]["note"] = "  The portfolio fits the outcomes.  "
    comments = [{"field": "outcomes", "text": "Clear outcomes."}]
    decided = services.decide_review(
        actor=reviewer, review=review, decision="approve", checklist=checklist, comments=comments
    )
    assert (decided.status, decided.reviewer, decided.comments) == ("approved", reviewer, comments)
    assert decided.reviewed_at is not None and decided.decided_at is not None
    assert decided.checklist[0]["note"] == "The portfolio fits the outcomes."
    assert {item["id"] for item in decided.checklist} == set(checklist)
    approved = events("qa.approve")[-1]
    assert approved.actor == reviewer and approved.data["stage"] == "internal"

    version = catalogue.publish_version(actor=review.version.created_by, version=review.version)
    assert version.status == "published"
    assert services.get_latest_review(version).status == "published"
    assert services.get_latest_review(version).published_at == version.published_at


def test_approval_needs_every_item_met_and_a_return_needs_a_note() -> None:
    review = submitted()
    reviewer = make_reviewer(review.version.microcredential.organisation)
    checklist = all_met(review)
    unmet = list(checklist)[1]
    checklist[unmet] = {"met": False, "note": "No evidence."}
    with pytest.raises(InvalidInput) as refused:
        services.decide_review(
            actor=reviewer, review=review, decision="approve", checklist=checklist
        )
    assert (refused.value.code, refused.value.field) == ("qa.checklist_unmet", f"checklist.{unmet}")
    with pytest.raises(InvalidInput) as no_note:
        services.decide_review(
            actor=reviewer, review=review, decision="return", checklist=checklist
        )
    assert no_note.value.field == "note"
    assert QAReview.objects.get(pk=review.pk).status == "internal_review"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"decision": "maybe"}, "decision"),
        ({"checklist": {}}, "checklist.{first}"),
        ({"checklist": {"no-such-item": {"met": True}}}, "checklist.no-such-item"),
        ({"checklist": "all fine"}, "checklist"),
        ({"comments": [{"field": "", "text": "Hm."}]}, "comments[0].field"),
        ({"comments": [{"field": "outcomes", "text": " "}]}, "comments[0].text"),
        ({"comments": "outcomes"}, "comments"),
        ({"note": "x" * 5001}, "note"),
    ],
)
def test_bad_decisions_name_the_field_and_change_nothing(change: dict, field: str) -> None:
    review = submitted()
    reviewer = make_reviewer(review.version.microcredential.organisation)
    arguments = {"decision": "return", "checklist": all_met(review), "note": "Fix it.", **change}
    with pytest.raises(InvalidInput) as refused:
        services.decide_review(actor=reviewer, review=review, **arguments)
    assert refused.value.field == field.format(first=next(iter(all_met(review))))
    assert QAReview.objects.get(pk=review.pk).status == "internal_review"
    assert not events("qa.return")


def test_returned_with_changes_the_designer_edits_and_resubmits() -> None:
    review = submitted()
    designer = review.version.created_by
    reviewer = make_reviewer(review.version.microcredential.organisation)
    returned = services.decide_review(
        actor=reviewer,
        review=review,
        decision="return",
        checklist=all_met(review),
        comments=[{"field": "assessment_type", "text": "Say who marks the portfolio."}],
        note="Describe the marking.",
    )
    assert (returned.status, returned.decision_note) == ("returned", "Describe the marking.")
    with pytest.raises(Conflict):
        services.decide_review(
            actor=reviewer, review=returned, decision="approve", checklist=all_met(review)
        )
    catalogue.update_draft(
        actor=designer, version=review.version, assessment_type="A portfolio marked by two tutors."
    )
    again = services.submit_version(actor=designer, version=review.version)
    assert (again.attempt, again.status) == (2, "internal_review")
    assert [r.status for r in services.get_reviews(review.version)] == [
        "returned",
        "internal_review",
    ]


def test_publishing_needs_a_vetted_issuer_an_approval_and_no_change_since() -> None:
    draft = make_draft()
    designer = draft.created_by
    with pytest.raises(Conflict) as unvetted:
        catalogue.publish_version(actor=designer, version=draft)
    assert unvetted.value.code == "organisation.not_vetted"
    review = submitted()
    with pytest.raises(Conflict) as unapproved:
        catalogue.publish_version(actor=review.version.created_by, version=review.version)
    assert unapproved.value.code == "qa.not_approved"
    approved = approve(make_draft())
    version = approved.version
    catalogue.update_draft(actor=version.created_by, version=version, title="Changed after")
    with pytest.raises(Conflict) as changed:
        catalogue.publish_version(actor=version.created_by, version=version)
    assert changed.value.code == "qa.changed_since_review"
    assert catalogue.access_version(version.created_by, *_where(version)).status == "draft"


def test_a_draft_in_review_cannot_change_until_the_reviewer_decides() -> None:
    review = submitted()
    version = review.version
    with pytest.raises(Conflict) as refused:
        catalogue.update_draft(actor=version.created_by, version=version, title="Changed")
    assert (refused.value.code, refused.value.field) == ("qa.in_review", "status")
    assert catalogue.access_version(version.created_by, *_where(version)).title != "Changed"
    services.decide_review(
        actor=make_reviewer(version.microcredential.organisation),
        review=review,
        decision="return",
        checklist=all_met(review),
        note="Say how the project is marked.",
    )
    catalogue.update_draft(actor=version.created_by, version=version, title="Changed")
    assert catalogue.access_version(version.created_by, *_where(version)).title == "Changed"


# -- external review -------------------------------------------------------------------------


def test_an_invited_agency_reviews_after_the_internal_approval() -> None:
    review = submitted()
    organisation = review.version.microcredential.organisation
    reviewer = make_reviewer(organisation)
    agency = make_organisation(name="Quality Agency", slug="nvao", type="qa_agency")
    auditor = make_reviewer(agency)
    invited = services.invite_external_review(actor=reviewer, review=review, agency="nvao")
    assert (invited.external_agency, invited.invited_by) == (agency, reviewer)
    assert events("qa.external_invite")[-1].data["agency"] == "nvao"

    internal = services.decide_review(
        actor=reviewer, review=review, decision="approve", checklist=all_met(review)
    )
    assert internal.status == "external_review"
    assert [entry.stage for entry in services.get_review_queue(agency)] == ["external_invitation"]
    with pytest.raises(NotFound):
        services.decide_review(
            actor=reviewer, review=internal, decision="approve", checklist=all_met(review)
        )

    seen = services.access_review(auditor, *_where(review.version))
    assert seen.pk == review.pk
    final = services.decide_review(
        actor=auditor,
        review=seen,
        decision="approve",
        checklist=all_met(review),
        note="Meets our standards.",
    )
    assert (final.status, final.external_reviewer, final.external_note) == (
        "approved",
        auditor,
        "Meets our standards.",
    )
    assert final.reviewer == reviewer and final.external_reviewed_at is not None
    assert events("qa.approve")[-1].data["stage"] == "external"
    assert services.get_review_queue(agency) == []


def test_an_author_who_serves_the_agency_cannot_approve_externally() -> None:
    review = submitted()
    organisation = review.version.microcredential.organisation
    reviewer = make_reviewer(organisation)
    agency = make_organisation(name="Quality Agency", slug="aqas", type="qa_agency")
    author = add_member(agency, review.version.created_by, Role.QA_REVIEWER)
    services.invite_external_review(actor=reviewer, review=review, agency="aqas")
    internal = services.decide_review(
        actor=reviewer, review=review, decision="approve", checklist=all_met(review)
    )
    with pytest.raises(Forbidden) as refused:
        services.decide_review(
            actor=author, review=internal, decision="approve", checklist=all_met(review)
        )
    assert refused.value.code == "qa.four_eyes"
    assert services.get_latest_review(review.version).status == "external_review"


@pytest.mark.parametrize(
    ("agency", "message"), [("nowhere", "No organisation"), ("{issuer}", "is not a quality")]
)
def test_only_a_qa_agency_can_be_invited(agency: str, message: str) -> None:
    review = submitted()
    organisation = review.version.microcredential.organisation
    with pytest.raises(InvalidInput) as refused:
        services.invite_external_review(
            actor=make_reviewer(organisation),
            review=review,
            agency=agency.format(issuer=organisation.slug),
        )
    assert refused.value.field == "agency" and message in refused.value.message
    assert QAReview.objects.get(pk=review.pk).external_agency is None


# -- settings --------------------------------------------------------------------------------


def test_the_owner_chooses_profiles_and_describes_the_process() -> None:
    owner = make_user()
    organisation = make_organisation(owner)
    row = services.update_quality_settings(
        actor=owner,
        organisation=organisation,
        profiles=["nzqa", "microbol", "nzqa"],
        qa_process="  Two readers per version.  ",
        accreditations=[
            {
                "name": "Institutional audit",
                "body": "NVAO",
                "url": "https://www.nvao.net/",
                "valid_until": "2030-01-01",
            }
        ],
    )
    assert (row.profiles, row.qa_process) == (["nzqa", "microbol"], "Two readers per version.")
    assert row.accreditations[0]["body"] == "NVAO"
    assert services.get_profiles_for(organisation) == [
        "eu-annex-i",
        "coherence",
        "nzqa",
        "microbol",
    ]
    assert events("qa.settings")[-1].actor == owner

    draft = make_draft(organisation)
    vet(organisation)
    review = services.submit_version(actor=draft.created_by, version=draft)
    assert review.profiles == ["eu-annex-i", "coherence", "nzqa", "microbol"]
    assert {item["profile"] for item in review.findings} >= {"nzqa"}


def test_the_platform_setting_says_which_profiles_everyone_meets(settings) -> None:
    settings.REQUIRED_QA_PROFILES = ["stacq"]
    assert services.get_profiles_for(make_organisation()) == ["stacq"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"profiles": ["eu-annex-i", "mars"]}, "profiles[1]"),
        ({"profiles": "nzqa"}, "profiles"),
        ({"qa_process": 5}, "qa_process"),
        ({"accreditations": {"name": "x"}}, "accreditations"),
        ({"accreditations": [{"name": "A"}]}, "accreditations[0].body"),
        (
            {"accreditations": [{"name": "A", "body": "B", "url": "ftp://x"}]},
            "accreditations[0].url",
        ),
        (
            {"accreditations": [{"name": "A", "body": "B", "valid_until": "soon"}]},
            "accreditations[0].valid_until",
        ),
        ({"accreditations": [{"name": "A", "body": "B", "level": 1}]}, "accreditations[0].level"),
    ],
)
def test_bad_settings_name_the_field(changes: dict, field: str) -> None:
    owner = make_user()
    organisation = make_organisation(owner)
    with pytest.raises(InvalidInput) as refused:
        services.update_quality_settings(actor=owner, organisation=organisation, **changes)
    assert refused.value.field == field
    assert services.get_quality_settings(organisation).pk is None


def test_only_owners_change_settings() -> None:
    organisation = make_organisation()
    with pytest.raises(Forbidden):
        services.update_quality_settings(
            actor=make_reviewer(organisation), organisation=organisation, profiles=[]
        )


def test_checking_a_specification_that_is_not_saved() -> None:
    spec = {"title": "Data literacy", "outcomes": [{"text": "Know statistics"}]}
    findings = services.check_specification(spec, profiles=["au-nmf"])
    assert {item["profile"] for item in findings} == {"au-nmf", "coherence"}
    assert "coherence.observable-verb" in {item["rule_id"] for item in findings}
    with pytest.raises(InvalidInput) as unknown:
        services.check_specification(spec, profiles=["mars"])
    assert unknown.value.field == "profiles[0]"
    with pytest.raises(InvalidInput) as bad:
        services.check_specification({"eqf_level": 12})
    assert bad.value.field == "eqf_level"


# -- re-review at the review date ------------------------------------------------------------


def test_reviews_due_are_listed_and_notified_once_per_organisation() -> None:
    today = date.today()
    owner = make_user(email="owner@example.org")
    organisation = make_organisation(owner)
    reviewer = make_reviewer(organisation)
    soon = publish(make_draft(organisation, title="Soon", review_date=today + timedelta(days=30)))
    publish(make_draft(organisation, title="Later", review_date=today + timedelta(days=400)))
    other = publish(make_draft(title="Elsewhere", review_date=today + timedelta(days=10)))
    later = today + timedelta(days=60)
    assert [review.version for review in services.get_reviews_due(later)] == [other, soon]
    assert [r.version for r in services.get_reviews_due(later, organisation)] == [soon]
    assert services.get_reviews_due(today) == []

    mail.outbox.clear()
    told = services.notify_reviews_due(today=later)
    assert set(told) == {organisation, other.microcredential.organisation}
    assert len(mail.outbox) == 2
    sent = next(message for message in mail.outbox if "owner@example.org" in message.to)
    reviewers = organisation.memberships.filter(role__in=[Role.OWNER, Role.QA_REVIEWER])
    assert sorted(sent.to) == sorted({membership.user.email for membership in reviewers})
    assert reviewer.email in sent.to and soon.created_by.email not in sent.to
    assert "Soon, version 1" in sent.body and "Later" not in sent.body
    assert all(review.due_notified_at for review in services.get_reviews_due(later))
    assert events("qa.review_due")[-1].actor is None

    mail.outbox.clear()
    assert services.notify_reviews_due(today=later) == []
    assert mail.outbox == []


def test_the_qa_due_command_notifies() -> None:
    today = date.today()
    publish(make_draft(review_date=today + timedelta(days=5)))
    out = StringIO()
    call_command("qa_due", today=(today + timedelta(days=6)).isoformat(), stdout=out)
    assert "1 published version(s) due" in out.getvalue() and "notified 1" in out.getvalue()
    assert len(mail.outbox) == 1
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("qa_due", today="tomorrow")


def test_a_submission_refusing_blocking_findings_records_nothing() -> None:
    draft = make_draft(outcomes=VAGUE)
    vet(draft.microcredential.organisation)
    with pytest.raises(Conflict) as refused:
        services.submit_version(actor=draft.created_by, version=draft, refuse_blocking=True)
    assert refused.value.code == "qa.blocking_findings"
    assert [item["rule_id"] for item in refused.value.data["findings"]] == [
        "coherence.observable-verb"
    ]
    assert not QAReview.objects.filter(version=draft).exists()
    assert not events("qa.submit") and not events("qa.return")


def test_the_descriptor_item_cannot_be_met_while_a_level_has_no_descriptor() -> None:
    review = submitted()
    level = review.version.rubric.criteria.first().levels.first()
    level.description = ""  # as a version submitted before descriptors were checked
    level.save(update_fields=["description"])
    reviewer = make_reviewer(review.version.microcredential.organisation)
    with pytest.raises(InvalidInput) as unmet:
        services.decide_review(
            actor=reviewer, review=review, decision="approve", checklist=all_met(review)
        )
    assert unmet.value.code == "qa.checklist_unmeetable"
    assert unmet.value.field == "checklist.coherence.rubric-levels-clear"
    assert "'Assessment design'" in unmet.value.message
    checklist = {**all_met(review), "coherence.rubric-levels-clear": {"met": False, "note": ""}}
    returned = services.decide_review(
        actor=reviewer, review=review, decision="return", checklist=checklist, note="Describe it."
    )
    assert returned.status == "returned"
