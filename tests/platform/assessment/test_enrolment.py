"""Enrolment: published versions only, prerequisites held, what is recorded; plan editing."""

from __future__ import annotations

import pytest

from microcred.assessment import services
from microcred.assessment.models import Enrolment
from microcred.audit.models import AuditEvent
from microcred.catalogue import services as catalogue
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from tests.platform.assessment.factories import (
    default_components,
    make_assessed_version,
    make_assessor,
    make_learner,
)
from tests.platform.awards.factories import issue as issue_award
from tests.platform.awards.factories import make_registrar
from tests.platform.catalogue.factories import make_draft
from tests.platform.factories import make_organisation
from tests.platform.quality.factories import approve


def test_a_learner_enrols_in_a_published_version_and_gets_a_first_draft() -> None:
    version = make_assessed_version()
    learner = make_learner()
    enrolment = services.enrol(actor=learner, version=version, participation_form="")
    assert enrolment.status == "active"
    assert enrolment.identity_verification == "none"
    assert enrolment.participation_form == version.participation_form
    assert [(s.attempt, s.status) for s in enrolment.submissions.all()] == [(1, "draft")]
    assert AuditEvent.objects.filter(action="assessment.enrol").count() == 1


def test_drafts_are_refused_with_a_clear_error() -> None:
    version = make_assessed_version(published=False)
    with pytest.raises(InvalidInput) as caught:
        services.enrol(actor=make_learner(), version=version)
    assert caught.value.code == "enrolment.version_not_published"
    assert caught.value.field == "version"
    assert "draft" in caught.value.message
    assert not Enrolment.objects.exists()


def test_a_version_without_a_plan_and_a_second_enrolment_are_refused() -> None:
    organisation = make_organisation()
    version = make_assessed_version(organisation)
    version.assessment_plan.delete()
    with pytest.raises(Conflict) as caught:
        services.enrol(actor=make_learner(), version=version)
    assert caught.value.code == "enrolment.no_plan"

    planned = make_assessed_version(organisation)
    learner = make_learner()
    services.enrol(actor=learner, version=planned)
    with pytest.raises(Conflict) as caught:
        services.enrol(actor=learner, version=planned)
    assert caught.value.code == "enrolment.exists"
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"participation_form": "telepathy"}, "participation_form"),
    ],
)
def test_bad_enrolment_choices_name_the_field(fields, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.enrol(actor=make_learner(), version=make_assessed_version(), **fields)
    assert caught.value.field == field
    assert not Enrolment.objects.exists()


def test_anonymous_cannot_enrol() -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(Forbidden):
        services.enrol(actor=AnonymousUser(), version=make_assessed_version())


def test_a_prerequisite_not_held_is_named_then_an_active_award_meets_it() -> None:
    organisation = make_organisation()
    basics = make_assessed_version(organisation, title="Assessment basics")
    advanced = make_assessed_version(
        organisation,
        title="Advanced assessment",
        plan={"prerequisite_achievements": [str(basics.achievement_uuid)]},
    )
    learner = make_learner()
    with pytest.raises(Conflict) as caught:
        services.enrol(actor=learner, version=advanced)
    assert caught.value.code == "enrolment.prerequisite_missing"
    assert "Assessment basics" in caught.value.message
    assert caught.value.data["achievement"] == str(basics.achievement_uuid)

    award = issue_award(make_registrar(organisation), basics, learner_email=learner.email)
    enrolment = services.enrol(actor=learner, version=advanced)
    assert enrolment.prerequisites_met == [
        {
            "achievement": str(basics.achievement_uuid),
            "title": "Assessment basics",
            "award": str(award.uuid),
            "shown_by": "platform award",
        }
    ]


def test_a_revoked_prerequisite_award_does_not_count() -> None:
    from microcred.awards import services as awards

    organisation = make_organisation()
    basics = make_assessed_version(organisation, title="Assessment basics")
    advanced = make_assessed_version(
        organisation, plan={"prerequisite_achievements": [str(basics.achievement_uuid)]}
    )
    learner = make_learner()
    registrar = make_registrar(organisation)
    award = issue_award(registrar, basics, learner_email=learner.email)
    awards.revoke_award(actor=registrar, award=award, reason="Awarded in error.")
    with pytest.raises(Conflict):
        services.enrol(actor=learner, version=advanced)


# -- the plan --------------------------------------------------------------------------------


def _designer(version):
    return version.created_by


def test_a_designer_saves_a_plan_on_a_draft_and_it_freezes_when_published() -> None:
    draft = make_draft()
    plan = services.save_plan(
        actor=_designer(draft),
        version=draft,
        components=default_components(),
        peer_reviews=2,
        max_attempts="2",
        file_types=["application/pdf"],
    )
    assert [c["key"] for c in plan.components] == ["goal", "artefact", "reflection"]
    assert plan.peer_reviews == 2 and plan.max_attempts == 2
    published = make_assessed_version()
    with pytest.raises(Conflict) as caught:
        services.save_plan(
            actor=_designer(published), version=published, components=default_components()
        )
    assert caught.value.code == "version.not_draft"


def _with(index: int, **changes):
    components = default_components()
    components[index].update(changes)
    return components


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"components": []}, "components"),
        ({"components": _with(1, key="goal")}, "components[1].key"),
        ({"components": _with(0, key="Has Spaces")}, "components[0].key"),
        ({"components": _with(0, kind="essay")}, "components[0].kind"),
        ({"components": _with(0, label="")}, "components[0].label"),
        ({"components": _with(2, prompts=[])}, "components[2].prompts"),
        (
            {"components": _with(0, kind="result", minimum=10, maximum=5)},
            "components[0].maximum",
        ),
        (
            {"components": _with(0, kind="result", minimum=0, maximum=10, pass_mark=11)},
            "components[0].pass_mark",
        ),
        ({"peer_reviews": 6}, "peer_reviews"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"max_attempts": 11}, "max_attempts"),
        ({"max_attempts": "three"}, "max_attempts"),
        ({"file_types": ["application/x-msdownload"]}, "file_types"),
        ({"prerequisite_achievements": ["not-a-uuid"]}, "prerequisite_achievements[0]"),
    ],
)
def test_bad_plans_are_refused_naming_the_field(arguments, field) -> None:
    draft = make_draft()
    arguments.setdefault("components", default_components())
    with pytest.raises(InvalidInput) as caught:
        services.save_plan(actor=_designer(draft), version=draft, **arguments)
    assert caught.value.field == field
    assert services.get_plan(draft) is None


def test_only_designers_save_plans() -> None:
    draft = make_draft()
    with pytest.raises(NotFound):
        services.save_plan(actor=make_learner(), version=draft, components=default_components())
    assert services.get_plan(draft) is None


def test_staff_record_how_the_identity_was_verified() -> None:
    version = make_assessed_version()
    organisation = version.microcredential.organisation
    learner = make_learner()
    enrolment = services.enrol(actor=learner, version=version)
    assessor = make_assessor(organisation)
    recorded = services.record_identity_verification(
        actor=assessor, enrolment=enrolment, method="document"
    )
    assert recorded.identity_verification == "document"
    event = AuditEvent.objects.get(action="assessment.identity_verification")
    assert event.data == {"from": "none", "to": "document"}
    with pytest.raises(InvalidInput) as caught:
        services.record_identity_verification(actor=assessor, enrolment=enrolment, method="retina")
    assert caught.value.field == "method"
    with pytest.raises(NotFound):
        services.record_identity_verification(
            actor=learner, enrolment=enrolment, method="supervised"
        )
    enrolment.refresh_from_db()
    assert enrolment.identity_verification == "document"


# -- publishing a version learners enrol into ---------------------------------------------------


def test_a_version_learners_enrol_into_is_not_published_without_its_plan() -> None:
    draft = make_draft(enrolment=True)
    approve(draft)
    with pytest.raises(Conflict) as refused:
        catalogue.publish_version(actor=draft.created_by, version=draft)
    assert refused.value.code == "version.no_plan"
    assert "has no assessment plan, so nobody could enrol" in refused.value.message
    draft.refresh_from_db()
    assert draft.status == "draft"

    services.save_plan(actor=draft.created_by, version=draft, components=default_components())
    published = catalogue.publish_version(actor=draft.created_by, version=draft)
    assert published.status == "published" and services.is_enrollable(published)


def test_a_version_registrars_issue_is_published_without_a_plan_and_nobody_can_enrol() -> None:
    draft = make_draft()
    assert draft.enrolment is False
    approve(draft)
    published = catalogue.publish_version(actor=draft.created_by, version=draft)
    assert not services.is_enrollable(published)
    assert not services.is_enrollable(make_assessed_version(published=False))
    assert services.is_enrollable(make_assessed_version())
