"""Designing micro-credentials: drafts, publishing frozen versions, new versions, the catalogue."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from microcred.audit.models import AuditEvent
from microcred.audit.services import check_chain
from microcred.catalogue import services
from microcred.catalogue.models import MicroCredentialVersion, VersionStatus
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations.models import Role
from tests.platform.catalogue.factories import (
    ESCO_ASSESS_STUDENTS,
    ESCO_PYTHON,
    complete_fields,
    make_designer,
    make_draft,
    make_published,
)
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import approve

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def designer_of(version: MicroCredentialVersion) -> Any:
    return version.microcredential.organisation.memberships.get(role=Role.DESIGNER).user


def snapshot(version: MicroCredentialVersion) -> dict[str, Any]:
    """Everything a version holds, to show that a refused change changed nothing."""
    version = MicroCredentialVersion.objects.get(pk=version.pk)
    rubric = services.get_rubric(version)
    return {
        "fields": {name: getattr(version, name) for name in ("title", "status", "workload_hours")},
        "outcomes": [
            (o.text, [s.uri for s in o.alignments.all()]) for o in services.get_outcomes(version)
        ],
        "credits": [(c.system, c.value) for c in services.get_credit_values(version)],
        "rubric": None
        if rubric is None
        else [(c.name, [lv.name for lv in c.levels.all()]) for c in rubric.criteria.all()],
    }


# -- creating and editing drafts ---------------------------------------------------------------


def test_a_new_micro_credential_is_a_complete_draft_with_outcomes_skills_credits_and_rubric() -> (
    None
):
    organisation = make_organisation(country="BE", slug="uni-b")
    draft = make_draft(organisation)
    assert (draft.number, draft.status) == (1, VersionStatus.DRAFT)
    assert draft.microcredential.slug == "classroom-assessment"
    assert draft.country == "BE"
    assert draft.workload_hours == Decimal("55.0")
    [first, second] = services.get_outcomes(draft)
    [skill] = first.alignments.all()
    assert (skill.uri, skill.label, skill.framework) == (
        ESCO_ASSESS_STUDENTS,
        "assess students",
        "ESCO",
    )
    assert second.alignments.count() == 0
    assert [(row.system, row.value) for row in services.get_credit_values(draft)] == [
        ("ECTS", Decimal("2.00")),
        ("HOURS", Decimal("55.00")),
    ]
    rubric = services.get_rubric(draft)
    design, _feedback = rubric.criteria.all()
    assert [level.name for level in design.levels.all()] == ["Beginning", "Proficient", "Exemplary"]
    assert design.minimum_level.name == "Proficient"
    assert [o.position for o in design.outcomes.all()] == [1]
    assert AuditEvent.objects.filter(action="microcredential.create").count() == 1


def test_slugs_are_made_from_the_title_and_unique_in_the_organisation() -> None:
    organisation = make_organisation()
    designer = make_designer(organisation)
    first = make_draft(organisation, actor=designer, complete=False)
    second = make_draft(organisation, actor=designer, complete=False)
    assert (first.microcredential.slug, second.microcredential.slug) == (
        "classroom-assessment",
        "classroom-assessment-2",
    )
    with pytest.raises(Conflict) as raised:
        make_draft(organisation, actor=designer, complete=False, slug="classroom-assessment")
    assert raised.value.field == "slug"
    with pytest.raises(InvalidInput) as raised:
        make_draft(organisation, actor=designer, complete=False, slug="Not A Slug")
    assert raised.value.field == "slug"


def test_update_draft_changes_fields_and_replaces_parts() -> None:
    draft = make_draft()
    changed = services.update_draft(
        actor=designer_of(draft),
        version=draft,
        title="Assessment for learning",
        eqf_level=None,
        outcomes=[{"text": "Write Python programs", "skills": [ESCO_PYTHON]}],
        credits={"UK": 5},
    )
    assert changed.title == "Assessment for learning" and changed.eqf_level is None
    [outcome] = services.get_outcomes(changed)
    assert [s.label for s in outcome.alignments.all()] == ["Python (computer programming)"]
    assert [(row.system, row.value) for row in services.get_credit_values(changed)] == [
        ("UK", Decimal("5.00"))
    ]
    # The rubric kept its criteria; the one about outcome 2 lost its link as outcome 2 went.
    design, feedback = services.get_rubric(changed).criteria.all()
    assert [o.text for o in design.outcomes.all()] == ["Write Python programs"]
    assert list(feedback.outcomes.all()) == []


def test_a_rubric_can_be_removed_and_skills_added_and_removed_one_by_one() -> None:
    draft = make_draft()
    designer = designer_of(draft)
    services.update_draft(actor=designer, version=draft, rubric=None)
    assert services.get_rubric(draft) is None
    alignment = services.add_skill(actor=designer, version=draft, outcome=2, uri=ESCO_PYTHON)
    assert alignment.label == "Python (computer programming)"
    services.remove_skill(actor=designer, version=draft, outcome=2, uri=ESCO_PYTHON)
    assert services.get_outcomes(draft)[1].alignments.count() == 0
    with pytest.raises(NotFound) as raised:
        services.remove_skill(actor=designer, version=draft, outcome=2, uri=ESCO_PYTHON)
    assert raised.value.field == "uri"
    with pytest.raises(NotFound) as raised:
        services.add_skill(actor=designer, version=draft, outcome=9, uri=ESCO_PYTHON)
    assert raised.value.field == "outcome"


BAD_INPUT = [
    ({"title": "  "}, "title"),
    ({"country": "Belgique"}, "country"),
    ({"country": "Irland"}, "country"),
    ({"price_currency": "dollars"}, "price_currency"),
    ({"price_currency": "DOL"}, "price_currency"),
    ({"workload_hours": "-3"}, "workload_hours"),
    ({"workload_hours": "lots"}, "workload_hours"),
    ({"eqf_level": 9}, "eqf_level"),
    ({"participation_form": "by post"}, "participation_form"),
    ({"achievement_type": "Trophy"}, "achievement_type"),
    ({"supervised": "yes"}, "supervised"),
    ({"languages": ["en", "not a language"]}, "languages[1]"),
    ({"tags": ["ok", ""]}, "tags[1]"),
    ({"price_amount": "12"}, "price_currency"),
    ({"price_currency": "€"}, "price_currency"),
    ({"validity_months": 0}, "validity_months"),
    ({"review_date": "next year"}, "review_date"),
    ({"colour": "blue"}, "colour"),
    ({"outcomes": "not a list"}, "outcomes"),
    ({"outcomes": [{"text": ""}]}, "outcomes[0].text"),
    ({"outcomes": [{"text": "x", "skills": [{"uri": "ftp://x"}]}]}, "outcomes[0].skills[0].uri"),
    (
        {"outcomes": ["a", {"text": "b", "skills": ["http://data.europa.eu/esco/skill/nope"]}]},
        "outcomes[1].skills[0].uri",
    ),
    (
        {
            "outcomes": [
                {"text": "b", "skills": [{"uri": "https://onet.example/1", "framework": "O*NET"}]}
            ]
        },
        "outcomes[0].skills[0].label",
    ),
    ({"credits": {"KUDOS": 3}}, "credits.KUDOS"),
    ({"credits": {"ECTS": 0}}, "credits.ECTS"),
    ({"credits": {"ECTS": "two"}}, "credits.ECTS"),
    ({"rubric": {"pass_rule": "all", "criteria": []}}, "rubric.criteria"),
    (
        {"rubric": {"pass_rule": "", "criteria": [{"name": "a", "levels": [{"name": "x"}]}]}},
        "rubric.pass_rule",
    ),
    (
        {"rubric": {"pass_rule": "all", "criteria": [{"name": "a", "levels": []}]}},
        "rubric.criteria[0].levels",
    ),
    (
        {
            "rubric": {
                "pass_rule": "all",
                "criteria": [{"name": "a", "levels": [{"name": "x", "points": -1}]}],
            }
        },
        "rubric.criteria[0].levels[0].points",
    ),
    (
        {
            "rubric": {
                "pass_rule": "all",
                "criteria": [{"name": "a", "levels": [{"name": "x"}, {"name": "x"}]}],
            }
        },
        "rubric.criteria[0].levels[1].name",
    ),
    (
        {
            "rubric": {
                "pass_rule": "all",
                "criteria": [{"name": "a", "outcomes": [3], "levels": [{"name": "x"}]}],
            }
        },
        "rubric.criteria[0].outcomes[0]",
    ),
    (
        {
            "rubric": {
                "pass_rule": "all",
                "criteria": [{"name": "a", "levels": [{"name": "x"}], "minimum_level": "y"}],
            }
        },
        "rubric.criteria[0].minimum_level",
    ),
    ({"image": SimpleUploadedFile("x.svg", b"<svg onload='alert(1)'/>")}, "image"),
    ({"image": SimpleUploadedFile("x.gif", b"GIF89a")}, "image"),
    ({"image": SimpleUploadedFile("x.png", PNG + b"\x00" * (1024 * 1024))}, "image"),
]


@pytest.mark.parametrize(("fields", "field"), BAD_INPUT, ids=[field for _, field in BAD_INPUT])
def test_bad_input_names_the_field_and_changes_nothing(fields: dict[str, Any], field: str) -> None:
    draft = make_draft()
    before = snapshot(draft)
    with pytest.raises(InvalidInput) as raised:
        services.update_draft(actor=designer_of(draft), version=draft, **fields)
    assert raised.value.field == field
    assert snapshot(draft) == before


def test_a_badge_image_is_stored_under_a_new_name_and_can_be_removed() -> None:
    draft = make_draft()
    designer = designer_of(draft)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    changed = services.update_draft(
        actor=designer, version=draft, image=SimpleUploadedFile("../../evil.svg", svg)
    )
    assert changed.image.name.endswith(".svg") and "evil" not in changed.image.name
    # Kept as cleaned and re-serialized, not as uploaded.
    assert changed.image.read() == (
        b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"></circle></svg>'
    )
    removed = services.update_draft(actor=designer, version=draft, image=None)
    assert not removed.image


# -- publishing and immutability ---------------------------------------------------------------


def test_publishing_lists_every_missing_mandatory_element_and_changes_nothing() -> None:
    draft = make_draft(complete=False, country="")
    with pytest.raises(InvalidInput) as raised:
        services.publish_version(actor=designer_of(draft), version=draft)
    missing = [item["field"] for item in raised.value.data["missing"]]
    assert missing == [
        "country",
        "outcomes",
        "workload_hours",
        "assessment_type",
        "participation_form",
        "quality_assurance",
    ]
    assert raised.value.code == "version.incomplete"
    assert raised.value.field == "country"
    for field in missing:
        assert f"({field})" in raised.value.message
    assert MicroCredentialVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert not AuditEvent.objects.filter(action="version.publish").exists()


def test_publishing_freezes_the_version_and_is_audited() -> None:
    version = make_published()
    assert version.status == VersionStatus.PUBLISHED and version.published_at is not None
    event = AuditEvent.objects.get(action="version.publish")
    assert event.data["achievement"] == str(version.achievement_uuid)
    assert check_chain().intact


MUTATIONS: dict[str, Callable[[Any, MicroCredentialVersion], Any]] = {
    "field": lambda actor, v: services.update_draft(actor=actor, version=v, title="Changed"),
    "outcomes": lambda actor, v: services.update_draft(actor=actor, version=v, outcomes=["x"]),
    "credits": lambda actor, v: services.update_draft(actor=actor, version=v, credits={}),
    "rubric": lambda actor, v: services.update_draft(actor=actor, version=v, rubric=None),
    "image": lambda actor, v: services.update_draft(
        actor=actor, version=v, image=SimpleUploadedFile("b.png", PNG)
    ),
    "add skill": lambda actor, v: services.add_skill(
        actor=actor, version=v, outcome=2, uri=ESCO_PYTHON
    ),
    "remove skill": lambda actor, v: services.remove_skill(
        actor=actor, version=v, outcome=1, uri=ESCO_ASSESS_STUDENTS
    ),
    "publish": lambda actor, v: services.publish_version(actor=actor, version=v),
}


@pytest.mark.parametrize("status", ["published", "withdrawn"])
@pytest.mark.parametrize("mutation", MUTATIONS)
def test_every_mutation_of_a_published_version_is_refused(mutation: str, status: str) -> None:
    version = make_published()
    designer = designer_of(version)
    if status == "withdrawn":
        version = services.withdraw_version(actor=designer, version=version)
    before = snapshot(version)
    with pytest.raises(Conflict) as raised:
        MUTATIONS[mutation](designer, version)
    assert raised.value.code == "version.frozen"
    assert snapshot(version) == before


def test_a_new_version_copies_the_latest_into_a_draft() -> None:
    version = make_published()
    designer = designer_of(version)
    draft = services.create_new_version(actor=designer, microcredential=version.microcredential)
    assert (draft.number, draft.status) == (2, VersionStatus.DRAFT)
    assert draft.achievement_uuid != version.achievement_uuid
    assert snapshot(draft)["outcomes"] == snapshot(version)["outcomes"]
    assert snapshot(draft)["credits"] == snapshot(version)["credits"]
    assert snapshot(draft)["rubric"] == snapshot(version)["rubric"]
    design = services.get_rubric(draft).criteria.first()
    assert design.minimum_level.criterion_id == design.pk
    assert [o.version_id for o in design.outcomes.all()] == [draft.pk]
    services.update_draft(actor=designer, version=draft, title="Second edition")
    assert MicroCredentialVersion.objects.get(pk=version.pk).title == "Classroom assessment"
    with pytest.raises(Conflict) as raised:
        services.create_new_version(actor=designer, microcredential=version.microcredential)
    assert raised.value.code == "version.draft_exists"


def test_withdrawing_takes_a_version_out_of_the_catalogue_but_keeps_its_achievement() -> None:
    version = make_published()
    designer = designer_of(version)
    with pytest.raises(Conflict):
        services.withdraw_version(
            actor=designer,
            version=services.create_new_version(
                actor=designer, microcredential=version.microcredential
            ),
        )
    services.withdraw_version(actor=designer, version=version, reason="Superseded")
    assert services.get_published_versions() == []
    assert services.get_version_by_achievement(version.achievement_uuid) == version
    assert AuditEvent.objects.get(action="version.withdraw").data["reason"] == "Superseded"


# -- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "error"),
    [("outsider", NotFound), ("assessor", Forbidden), ("anonymous", NotFound)],
)
def test_only_designers_owners_and_admins_design(who: str, error: type[Exception]) -> None:
    organisation = make_organisation()
    draft = make_draft(organisation)
    actor = {
        "outsider": make_user(),
        "assessor": add_member(organisation, make_user(), Role.ASSESSOR),
        "anonymous": None,
    }[who]
    events = AuditEvent.objects.count()
    for act in (
        lambda: services.create_microcredential(
            actor=actor, organisation=organisation, title="Another"
        ),
        lambda: services.update_draft(actor=actor, version=draft, title="x"),
        lambda: services.publish_version(actor=actor, version=draft),
        lambda: services.add_skill(actor=actor, version=draft, outcome=1, uri=ESCO_PYTHON),
        lambda: services.create_new_version(actor=actor, microcredential=draft.microcredential),
    ):
        with pytest.raises(error):
            act()
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["owner", "admin"])
def test_owners_and_platform_admins_may_design_and_publish(who: str) -> None:
    owner = make_user()
    organisation = make_organisation(owner)
    actor = owner if who == "owner" else make_user(is_staff=True)
    draft = make_draft(organisation, actor=actor)
    approve(draft)
    assert services.publish_version(actor=actor, version=draft).status == VersionStatus.PUBLISHED


def test_members_access_drafts_and_outsiders_do_not() -> None:
    organisation = make_organisation()
    draft = make_draft(organisation)
    assessor = add_member(organisation, make_user(), Role.ASSESSOR)
    slug = draft.microcredential.slug
    assert services.access_version(assessor, organisation.slug, slug, 1) == draft
    with pytest.raises(Forbidden):
        services.access_version(assessor, organisation.slug, slug, 1, roles=services.DESIGN_ROLES)
    with pytest.raises(NotFound):
        services.access_version(make_user(), organisation.slug, slug, 1)
    with pytest.raises(NotFound):
        services.access_version(assessor, organisation.slug, slug, 7)


# -- reading the catalogue -------------------------------------------------------------------


def test_drafts_are_not_public_and_the_latest_published_version_is_shown() -> None:
    version = make_published()
    organisation, slug = version.microcredential.organisation.slug, version.microcredential.slug
    designer = designer_of(version)
    draft = services.create_new_version(actor=designer, microcredential=version.microcredential)
    assert services.get_version(organisation=organisation, slug=slug) == version
    with pytest.raises(NotFound):
        services.get_version(organisation=organisation, slug=slug, number=2)
    with pytest.raises(NotFound):
        services.get_version_by_achievement(draft.achievement_uuid)
    with pytest.raises(NotFound):
        services.get_version_by_achievement("not-a-uuid")
    approve(draft)
    services.publish_version(actor=designer, version=draft)
    assert services.get_version(organisation=organisation, slug=slug).number == 2
    assert services.get_version(organisation=organisation, slug=slug, number=1) == version
    assert [v.number for v in services.get_published_versions()] == [2]


def test_the_catalogue_searches_and_filters() -> None:
    first_org, second_org = make_organisation(slug="alpha"), make_organisation(slug="beta")
    teaching = make_published(first_org, title="Classroom assessment")
    python = make_published(
        second_org,
        title="Python for analysts",
        description="Programming for data work.",
        eqf_level=5,
        workload_hours="140",
        credits={},
        languages=["fr"],
        tags=["programming"],
        outcomes=["Write Python programs to clean data"],
        rubric={
            "pass_rule": "Programs that run.",
            "criteria": [
                {
                    "name": "Programs",
                    "outcomes": [1],
                    "levels": [{"name": "Runs", "description": "The program runs on the data."}],
                }
            ],
        },
    )
    make_draft(first_org, title="Unpublished draft")

    def titles(**filters: Any) -> list[str]:
        return [v.title for v in services.get_published_versions(**filters)]

    assert titles() == ["Classroom assessment", "Python for analysts"]
    assert titles(q="python clean") == ["Python for analysts"]
    assert titles(q="feedback") == ["Classroom assessment"]
    assert titles(q="draft") == []
    assert titles(organisation="alpha") == ["Classroom assessment"]
    assert titles(eqf_level=5) == ["Python for analysts"]
    assert titles(language="FR") == ["Python for analysts"]
    assert titles(tag="teaching") == ["Classroom assessment"]
    # Stated 2 ECTS; 140 hours are about 5.1 ECTS.
    assert titles(credits_min=1, credits_max=3) == ["Classroom assessment"]
    assert titles(credits_min=5) == ["Python for analysts"]
    assert services.ects_of(teaching) == 2.0
    assert services.ects_of(python) == pytest.approx(140 / 27.5)


def test_credit_values_are_checked_against_the_workload() -> None:
    draft = make_draft(credits={"ECTS": 6, "UK": "5.5"})
    [finding] = services.check_version_credits(draft)
    assert finding.system == "ECTS" and "should be 1.8-2.2" in finding.message
    conversions = {row.system: row for row in services.get_conversions(draft)}
    assert conversions["ECTS"].low == pytest.approx(55 / 30)
    assert conversions["UK"].low == conversions["UK"].high == pytest.approx(5.5)


def test_complete_fields_are_enough_to_publish() -> None:
    assert set(complete_fields()) >= {"outcomes", "workload_hours", "quality_assurance"}


def test_a_country_or_currency_is_stored_as_its_code_whether_named_or_coded() -> None:
    draft = make_draft()
    changed = services.update_draft(
        actor=designer_of(draft),
        version=draft,
        country="Ireland",
        price_amount="120",
        price_currency="euro",
    )
    assert (changed.country, changed.price_currency) == ("IE", "EUR")
    changed = services.update_draft(
        actor=designer_of(draft), version=draft, country="de", price_currency="US Dollar"
    )
    assert (changed.country, changed.price_currency) == ("DE", "USD")


def test_the_migration_recodes_versions_it_can_and_leaves_the_rest(capsys) -> None:
    migration = importlib.import_module(
        "microcred.catalogue.migrations.0003_iso_country_currency_codes"
    )
    lower, odd = make_draft(), make_draft(make_organisation(slug="uni-b", name="Uni B"))
    MicroCredentialVersion.objects.filter(pk=lower.pk).update(country="nl", price_currency="eur")
    MicroCredentialVersion.objects.filter(pk=odd.pk).update(country="XX", price_currency="DOL")
    migration.recode_versions(django_apps, SimpleNamespace(connection=connection))
    lower.refresh_from_db()
    odd.refresh_from_db()
    assert (lower.country, lower.price_currency) == ("NL", "EUR")
    assert (odd.country, odd.price_currency) == ("XX", "DOL")
    report = capsys.readouterr().out
    assert f"country 'XX' is no ISO 3166-1 code; left as it is in versions {odd.pk}" in report
    assert f"price_currency 'DOL' is no ISO 4217 code; left as it is in versions {odd.pk}" in report
