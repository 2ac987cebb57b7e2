"""The catalogue's pages: the public catalogue and achievements, and the design pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.catalogue import services
from microcred.catalogue.models import (
    MicroCredential,
    MicroCredentialVersion,
    RubricLevel,
    VersionStatus,
)
from tests.platform.catalogue.factories import (
    ESCO_ASSESS_STUDENTS,
    ESCO_PYTHON,
    make_designer,
    make_draft,
    make_published,
)
from tests.platform.catalogue.test_services import designer_of, snapshot
from tests.platform.factories import make_organisation, make_user
from tests.platform.quality.factories import approve


def assert_error_beside(page: str, field: str, error: str) -> None:
    """Check that ``error`` is shown in the block of the form field ``field``."""
    start = page.index(f'name="{field}"')
    end = page.find('<div class="field">', start)
    assert error in page[start : end if end != -1 else None]


def studio_url(version: MicroCredentialVersion, tail: str = "") -> str:
    organisation = version.microcredential.organisation.slug
    return (
        f"/studio/orgs/{organisation}/credentials/{version.microcredential.slug}/"
        f"v{version.number}/{tail}"
    )


def signed_in(client: Client, version: MicroCredentialVersion) -> Client:
    client.force_login(designer_of(version))
    return client


# -- the public catalogue ----------------------------------------------------------------------


def test_an_empty_catalogue_says_so(client: Client) -> None:
    make_draft()
    response = client.get("/catalogue/")
    assert response.status_code == 200
    assert "No micro-credential is published yet." in response.text


def test_the_catalogue_lists_searches_and_filters(client: Client) -> None:
    make_published(title="Classroom assessment")
    make_published(title="Python for analysts", eqf_level=5, description="Programming.")
    listing = client.get("/catalogue/").text
    assert "Classroom assessment" in listing and "Python for analysts" in listing
    found = client.get("/catalogue/", {"q": "python"}).text
    assert "Python for analysts" in found and "Classroom assessment" not in found
    assert "Classroom assessment" not in client.get("/catalogue/", {"eqf_level": "5"}).text
    nothing = client.get("/catalogue/", {"q": "astronomy"})
    assert "No published micro-credential matches this search" in nothing.text


def test_the_filters_offer_what_the_catalogue_lists(client: Client) -> None:
    """Organisations by name, the languages taught, and an empty level that reads as any."""
    lakeside = make_organisation(name="Lakeside University", slug="lakeside")
    make_organisation(name="Empty Institute", slug="empty")
    make_published(lakeside, title="Data ethics", languages=["de", "en-IE"])
    make_published(title="Classroom assessment", languages=["en"])
    response = client.get("/catalogue/")
    form = response.context["form"]
    organisations = dict(form.fields["organisation"].choices)
    assert organisations["lakeside"] == "Lakeside University" and "empty" not in organisations
    assert organisations[""] == "Any organisation"
    assert form.fields["language"].choices == [
        ("", "Any language"),
        ("en", "English"),
        ("en-IE", "English (en-IE)"),
        ("de", "German"),
    ]
    assert form.fields["eqf_level"].choices[0] == ("", "Any level")
    assert '<option value="" selected>Any level</option>' in response.text
    assert '<option value="lakeside">Lakeside University</option>' in response.text
    found = client.get("/catalogue/", {"organisation": "lakeside", "language": "de"}).text
    assert "Data ethics" in found and "Classroom assessment" not in found


def test_the_filters_offer_a_newly_published_organisation_at_once(client: Client) -> None:
    make_published(title="Classroom assessment")
    assert "lakeside" not in dict(
        client.get("/catalogue/").context["form"].fields["organisation"].choices
    )
    owner = make_user("lara")
    lakeside = make_organisation(owner, name="Lakeside University", slug="lakeside")
    withdrawn = make_published(lakeside, title="Data ethics")

    choices = dict(client.get("/catalogue/").context["form"].fields["organisation"].choices)
    assert choices["lakeside"] == "Lakeside University"
    services.withdraw_version(actor=owner, version=withdrawn)
    assert "lakeside" not in dict(
        client.get("/catalogue/").context["form"].fields["organisation"].choices
    )


def test_the_long_filters_are_written_as_django_writes_a_select() -> None:
    from django import forms

    from microcred.catalogue.forms import KnownChoices, LongSelect

    choices = [("", "Any"), ("a&b", "A & <B>"), ("c", "C"), (3, "Three"), ("q'\"", 'It\'s "q"')]
    for value in ("", "a&b", "3", "q'\"", None):
        attrs = {"id": "id_o", "aria-describedby": "help", "required": True, "hidden": False}
        ours = LongSelect(attrs=attrs, choices=choices).render("organisation", value)
        known = LongSelect(attrs=attrs, choices=KnownChoices(choices)).render("organisation", value)
        django = forms.Select(attrs=attrs, choices=choices).render("organisation", value)
        assert ours == known == django


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"eqf_level": "12"}, "Select a valid choice"),
        ({"credits_min": "many"}, "Enter a number"),
        ({"credits_min": "5", "credits_max": "2"}, "The upper end is below the lower end"),
        ({"organisation": "not a slug!"}, "Select a valid choice"),
        ({"language": "xx"}, "Select a valid choice"),
    ],
)
def test_bad_filters_are_shown_next_to_the_field(
    client: Client, query: dict[str, str], error: str
) -> None:
    make_published()
    response = client.get("/catalogue/", query)
    assert response.status_code == 400
    assert error in response.text
    assert 'class="catalogue-list"' not in response.text


def test_a_micro_credential_page_shows_every_element(client: Client) -> None:
    version = make_published()
    organisation = version.microcredential.organisation
    response = client.get(f"/catalogue/{organisation.slug}/classroom-assessment/")
    assert response.status_code == 200
    page = response.text
    for label, _ in services.annex_elements(version):
        if label != "Learning outcomes":
            assert f"<dt>{label}</dt>" in page
    assert 'id="outcome-1"' in page and f'href="{ESCO_ASSESS_STUDENTS}"' in page
    assert "UK credits" in page and "5.5" in page  # 55 hours in UK credits
    assert "Proficient" in page and "(minimum to pass)" in page
    assert f"{services.achievement_id(version)}.json" in page
    assert client.get(f"/catalogue/{organisation.slug}/classroom-assessment/v1/").status_code == 200
    assert client.get(f"/catalogue/{organisation.slug}/classroom-assessment/v2/").status_code == 404
    assert client.get(f"/catalogue/{organisation.slug}/nothing/").status_code == 404


def test_an_older_version_stays_readable_and_a_withdrawn_one_says_so(client: Client) -> None:
    version = make_published()
    designer = designer_of(version)
    second = services.create_new_version(actor=designer, microcredential=version.microcredential)
    services.update_draft(actor=designer, version=second, title="Classroom assessment, 2nd")
    approve(second)
    services.publish_version(actor=designer, version=second)
    services.withdraw_version(actor=designer, version=version)
    base = f"/catalogue/{version.microcredential.organisation.slug}/classroom-assessment/"
    assert "Classroom assessment, 2nd" in client.get(base).text
    old = client.get(base + "v1/")
    assert old.status_code == 200 and "has been withdrawn" in old.text


def test_an_achievement_is_json_for_machines_and_a_page_for_people(client: Client) -> None:
    version = make_published()
    url = f"/achievements/{version.achievement_uuid}"
    page = client.get(url, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "As Open Badges 3.0 data" in page.text
    for response in (
        client.get(url, headers={"Accept": "application/ld+json"}),
        client.get(url, headers={"Accept": "application/json"}),
        client.get(url + ".json"),
    ):
        assert response["Content-Type"] == "application/ld+json"
        document = response.json()
        assert document["@context"][0] == "https://www.w3.org/ns/credentials/v2"
        assert document["id"] == services.achievement_id(version)
    assert client.get("/achievements/00000000-0000-0000-0000-000000000000").status_code == 404
    assert client.get(url + "/image").status_code == 404


def test_a_badge_image_is_served_with_a_sandbox(client: Client) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"/></svg>'
    version = make_published(image=SimpleUploadedFile("badge.svg", svg))
    response = client.get(f"/achievements/{version.achievement_uuid}/image")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == (
        b'<svg xmlns="http://www.w3.org/2000/svg"><circle r="4"></circle></svg>'
    )


# -- designing ---------------------------------------------------------------------------------


def test_a_designer_creates_a_micro_credential_and_lands_on_its_design_form(client: Client) -> None:
    organisation = make_organisation()
    client.force_login(make_designer(organisation))
    response = client.post(
        f"/studio/orgs/{organisation.slug}/credentials/new", {"title": "Data literacy"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/credentials/data-literacy/v1/edit")
    form = client.get(response["Location"])
    assert form.status_code == 200 and 'name="v-title"' in form.text
    listing = client.get(f"/studio/orgs/{organisation.slug}/credentials/")
    assert "Data literacy" in listing.text


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x", "slug": "Not a slug"}, "Enter a valid"),
        ({"title": "x", "slug": "taken"}, "has a micro-credential &#x27;taken&#x27; already"),
    ],
)
def test_bad_input_on_the_new_form_creates_nothing(
    client: Client, data: dict[str, str], error: str
) -> None:
    draft = make_draft(slug="taken")
    organisation = draft.microcredential.organisation
    signed_in(client, draft)
    response = client.post(f"/studio/orgs/{organisation.slug}/credentials/new", data)
    assert response.status_code == 400
    assert error in response.text
    assert MicroCredential.objects.count() == 1


def edit_form(client: Client, version: MicroCredentialVersion) -> dict[str, Any]:
    """Return the design form's current values, as a browser would send them back."""
    from microcred.catalogue.forms import DesignForms

    forms = DesignForms(
        None,
        None,
        version,
        services.get_outcomes(version),
        services.get_rubric(version),
    )
    data: dict[str, Any] = {}
    for form in (forms.version, forms.outcomes, forms.credits, forms.rubric):
        for field in form:
            value = field.value()
            if field.name in ("image", "remove_image") or value is None:
                continue
            if field.name == "supervised" and not value:
                continue
            data[field.html_name] = "on" if value is True else value
    data.update(
        {f"k-{key}": value for key, value in forms.criteria.management_form.initial.items()}
    )
    for criterion in forms.criteria:
        for field in criterion:
            if field.value() not in (None, False):
                data[field.html_name] = field.value()
    return data


def test_saving_the_design_form_unchanged_changes_nothing(client: Client) -> None:
    draft = make_draft()
    before = snapshot(draft)
    signed_in(client, draft)
    response = client.post(studio_url(draft, "edit"), edit_form(client, draft))
    assert response.status_code == 302, response.text[:2000]
    assert snapshot(draft) == before
    assert services.get_outcomes(draft)[0].alignments.count() == 1


def test_the_design_form_saves_fields_outcomes_credits_and_rubric(client: Client) -> None:
    draft = make_draft()
    signed_in(client, draft)
    data = edit_form(client, draft)
    data.update(
        {
            "v-title": "Assessment literacy",
            "v-tags": "assessment, literacy",
            "o-outcomes": "Design classroom assessments\nExplain validity\n",
            "c-UK": "5.5",
            "k-2-name": "Validity",
            "k-2-outcomes": "2",
            "k-2-level_1_name": "Weak",
            "k-2-level_1_points": "0",
            "k-2-level_1_description": "Names no threat to validity.",
            "k-2-level_2_name": "Strong",
            "k-2-level_2_points": "2",
            "k-2-level_2_description": "Explains all threats",
            "k-2-minimum_level": "Strong",
            "k-TOTAL_FORMS": "3",
        }
    )
    response = client.post(studio_url(draft, "edit"), data)
    assert response.status_code == 302
    version = MicroCredentialVersion.objects.get(pk=draft.pk)
    assert version.title == "Assessment literacy" and version.tags == ["assessment", "literacy"]
    first, second = services.get_outcomes(version)
    assert first.alignments.count() == 1 and second.text == "Explain validity"
    assert {row.system for row in services.get_credit_values(version)} == {"ECTS", "UK", "HOURS"}
    criteria = list(services.get_rubric(version).criteria.all())
    assert [criterion.name for criterion in criteria] == [
        "Assessment design",
        "Feedback",
        "Validity",
    ]
    assert criteria[2].minimum_level.name == "Strong"


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"v-title": ""}, "v-title", "This field is required."),
        # A select of codes: typed text, as before cut to its first letters, is not a choice.
        ({"v-country": "Ireland"}, "v-country", "Select a valid choice"),
        ({"v-country": "XX"}, "v-country", "Select a valid choice"),
        ({"v-price_currency": "DOL"}, "v-price_currency", "Select a valid choice"),
        ({"v-workload_hours": "a lot"}, "v-workload_hours", "Enter a number."),
        ({"v-languages": "en, english!"}, "v-languages", "Languages: item 2 must be a BCP 47"),
        ({"v-workload_hours": "0"}, "v-workload_hours", "Notional workload (hours) must be more"),
        ({"v-price_amount": "10"}, "v-price_currency", "A price needs its currency"),
        ({"c-ECTS": "-1"}, "c-ECTS", "ECTS credits must be more than 0"),
        ({"k-0-level_1_points": "lots"}, "k-0-level_1_points", "Enter a whole number."),
        ({"k-0-level_2_name": ""}, "k-0-level_2_name", "Level 2 needs a name."),
        ({"k-0-level_2_name": "Beginning"}, "k-0-level_2_name", "Two levels are called"),
        ({"k-0-minimum_level": "Legendary"}, "k-0-minimum_level", "one of its levels"),
        ({"k-0-outcomes": "7"}, "k-0-outcomes", "number of a learning outcome"),
        ({"r-pass_rule": ""}, "r-pass_rule", "must not be empty"),
        ({"o-outcomes": "x" * 2001}, "o-outcomes", "at most 2000 characters"),
    ],
)
def test_bad_input_on_the_design_form_is_shown_by_the_field_and_changes_nothing(
    client: Client, changes: dict[str, str], field: str, error: str
) -> None:
    draft = make_draft()
    before = snapshot(draft)
    signed_in(client, draft)
    data = {**edit_form(client, draft), **changes}
    response = client.post(studio_url(draft, "edit"), data)
    assert response.status_code == 400
    assert_error_beside(response.text, field, error)
    assert snapshot(draft) == before


def test_a_published_version_cannot_be_edited_from_the_page(client: Client) -> None:
    version = make_published()
    signed_in(client, version)
    response = client.post(studio_url(version, "edit"), {"v-title": "Changed"})
    assert response.status_code == 302 and response["Location"] == studio_url(version)
    assert MicroCredentialVersion.objects.get(pk=version.pk).title == "Classroom assessment"


def test_skills_are_suggested_for_an_outcome_and_added_and_removed(client: Client) -> None:
    draft = make_draft()
    signed_in(client, draft)
    url = studio_url(draft, "outcomes/2/skills")
    page = client.get(url)
    assert page.status_code == 200
    assert "Suggested ESCO skills" in page.text and "feedback" in page.text.lower()
    searched = client.get(url, {"q": "python programming"})
    assert ESCO_PYTHON in searched.text
    fragment = client.get(url, {"q": "python"}, headers={"HX-Request": "true"})
    assert ESCO_PYTHON in fragment.text and "<html" not in fragment.text
    assert client.post(url, {"uri": ESCO_PYTHON, "action": "add"}).status_code == 302
    assert [s.uri for s in services.get_outcomes(draft)[1].alignments.all()] == [ESCO_PYTHON]
    assert client.post(url, {"uri": ESCO_PYTHON, "action": "remove"}).status_code == 302
    assert services.get_outcomes(draft)[1].alignments.count() == 0


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"uri": "http://data.europa.eu/esco/skill/nope", "action": "add"}, "not an ESCO skill"),
        ({"uri": "not a uri", "action": "add"}, "Enter a valid URL."),
        ({"uri": ESCO_PYTHON, "action": "steal"}, "Select a valid choice."),
        ({"uri": ESCO_PYTHON, "action": "remove"}, "is not aligned to"),
    ],
)
def test_bad_skill_changes_are_refused(client: Client, data: dict[str, str], error: str) -> None:
    draft = make_draft()
    signed_in(client, draft)
    response = client.post(studio_url(draft, "outcomes/2/skills"), data)
    assert response.status_code == 400
    assert error in response.text
    assert services.get_outcomes(draft)[1].alignments.count() == 0
    assert client.get(studio_url(draft, "outcomes/9/skills")).status_code == 404


def test_publishing_from_the_page_shows_what_is_missing(client: Client) -> None:
    draft = make_draft(complete=False)
    signed_in(client, draft)
    page = client.get(studio_url(draft, "publish"))
    assert "Type of quality assurance" in page.text and "(field quality_assurance)" in page.text
    response = client.post(studio_url(draft, "publish"))
    assert response.status_code == 400
    assert "cannot be published yet" in response.text
    assert MicroCredentialVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


def test_publishing_from_the_page_then_a_new_version(client: Client) -> None:
    draft = make_draft()
    approve(draft)
    signed_in(client, draft)
    page = client.get(studio_url(draft, "publish")).text
    assert "the version is frozen and can never change" in page
    unconfirmed = client.post(studio_url(draft, "publish"))
    assert unconfirmed.status_code == 400
    assert "Tick the box to confirm that the version is published." in unconfirmed.text
    assert MicroCredentialVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    response = client.post(studio_url(draft, "publish"), {"confirm": "on"})
    assert response.status_code == 302
    assert MicroCredentialVersion.objects.get(pk=draft.pk).status == VersionStatus.PUBLISHED
    credential = studio_url(draft).rsplit("v1/", 1)[0]
    response = client.post(credential + "new-version")
    assert response["Location"].endswith("/v2/edit")
    again = client.post(credential + "new-version", follow=True)
    assert "Version 2 is still a draft" in again.text


def test_withdrawing_from_the_page(client: Client) -> None:
    version = make_published()
    signed_in(client, version)
    page = client.get(studio_url(version)).text
    assert "no more credentials can be issued for it" in page
    assert "Credentials already awarded for it stay valid." in page
    refused = client.post(
        studio_url(version, "withdraw"), {"reason": "x" * 501, "confirm": "on"}, follow=True
    )
    assert "at most 500 characters" in refused.text
    unconfirmed = client.post(studio_url(version, "withdraw"), {"reason": "Replaced."}, follow=True)
    assert "Tick the box to confirm that the version is withdrawn." in unconfirmed.text
    assert MicroCredentialVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED
    client.post(studio_url(version, "withdraw"), {"reason": "Replaced.", "confirm": "on"})
    assert MicroCredentialVersion.objects.get(pk=version.pk).status == VersionStatus.WITHDRAWN


def test_the_design_form_offers_countries_and_currencies_by_name(client: Client) -> None:
    draft = make_draft()
    signed_in(client, draft)
    page = client.get(studio_url(draft, "edit")).content.decode()
    assert '<select name="v-country"' in page and '<option value="IE">Ireland</option>' in page
    assert '<select name="v-price_currency"' in page and '<option value="EUR">Euro</option>' in page
    data = {**edit_form(client, draft), "v-country": "IE", "v-price_currency": "USD"}
    assert client.post(studio_url(draft, "edit"), data).status_code == 302
    draft.refresh_from_db()
    assert (draft.country, draft.price_currency) == ("IE", "USD")


def test_each_finding_is_shown_beside_its_field_by_its_label_and_links_to_it(
    client: Client,
) -> None:
    draft = make_draft(credits={"ECTS": "10"}, outcomes=["Understand assessment", "Give feedback"])
    signed_in(client, draft)
    page = client.get(studio_url(draft, "edit")).text
    field = page.index('id="id_c-ECTS"')
    beside = page[field : page.index("</ul>", field)]
    assert '<ul class="findings field-findings" data-for="id_c-ECTS">' in beside
    assert (
        '<a href="#id_c-ECTS">ECTS credits</a>: <span class="finding-message">ECTS credits: 10 '
        "does not match" in beside
    )
    outcomes = page.index('id="id_o-outcomes"')
    beside = page[outcomes : page.index("</ul>", outcomes)]
    assert '<a href="#id_o-outcomes">Learning outcomes, outcome 1</a>' in beside
    assert "&#x27;understand&#x27;" in beside
    # The panel at the top keeps the list, each finding linking down to its field.
    panel = page[page.index('id="quality-findings"') : page.index("</section>")]
    assert 'data-anchor="id_c-ECTS"><strong>Blocking</strong>' in panel
    assert "credits.ECTS" not in panel and "outcomes[0].text" not in panel


def test_a_level_without_a_descriptor_is_found_in_its_row_and_named_by_its_label(
    client: Client,
) -> None:
    draft = make_draft()
    signed_in(client, draft)
    page = client.get(studio_url(draft, "edit")).text
    cell = page.index('id="id_k-1-level_1_description"')
    beside = page[cell : page.index("</td>", cell)]
    assert '<a href="#id_k-1-level_1_description">Criterion 2: Level 1: descriptor</a>' not in (
        beside
    )
    RubricLevel.objects.filter(criterion__rubric__version=draft, name="Beginning").update(
        description=""
    )
    page = client.get(studio_url(draft, "edit")).text
    cell = page.index('id="id_k-1-level_1_description"')
    beside = page[cell : page.index("</td>", cell)]
    assert '<a href="#id_k-1-level_1_description">Criterion 2: Level 1: descriptor</a>' in beside
    assert "describe what the evidence shows at level &#x27;Beginning&#x27;" in beside
