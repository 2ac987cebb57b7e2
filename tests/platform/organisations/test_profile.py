"""The organisation's profile: checked fields, the Open Badges 3.0 Profile, public pages, API."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.errors import Forbidden, InvalidInput
from microcred.organisations import services
from microcred.organisations.models import Organisation, Role
from microcred.vc import ob3
from microcred.vc.jsonld import DEFAULT_LOADER
from microcred.vc.rdfc import canonicalize
from tests.platform.accounts.factories import bearer, make_admin
from tests.platform.factories import add_member, make_organisation, make_user

PROFILE = {
    "legal_name": "Stichting Universiteit Utrecht",
    "region": "Utrecht",
    "url": "https://www.uu.nl",
    "email": "credentials@uu.nl",
    "description": "A research university in the Netherlands.",
    "accreditations": [
        {"name": "Institutional audit", "body": "NVAO", "url": "https://www.nvao.net"},
        {"name": "ISO 9001"},
    ],
    "identifiers": [
        {"identifier": "NL UTRECHT01", "identifierType": "ext:ErasmusCode"},
        {"identifier": "21PD", "identifierType": "sourcedId"},
    ],
}


@pytest.fixture
def owner():
    return make_user(password=None)


@pytest.fixture
def organisation(owner):
    return make_organisation(owner, name="Utrecht University", slug="uu", **PROFILE)


def test_the_profile_is_an_open_badges_profile_named_by_the_did(organisation):
    profile = services.get_profile(organisation)
    assert profile == {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "did:web:microcred.test:orgs:uu",
        "type": ["Profile"],
        "name": "Utrecht University",
        "url": "https://www.uu.nl",
        "email": "credentials@uu.nl",
        "description": "A research university in the Netherlands.",
        "address": {
            "type": ["Address"],
            "addressCountry": "NL",
            "addressCountryCode": "NL",
            "addressRegion": "Utrecht",
        },
        "otherIdentifier": [
            {
                "type": "IdentifierEntry",
                "identifier": "NL UTRECHT01",
                "identifierType": "ext:ErasmusCode",
            },
            {"type": "IdentifierEntry", "identifier": "21PD", "identifierType": "sourcedId"},
        ],
    }
    assert ob3.model_problems(ob3.Profile, profile, prefix="$") == []
    # Every term is defined in the contexts: JSON-LD processing drops nothing silently.
    assert "https://purl.imsglobal.org/spec/vc/ob/vocab.html#CountryCode" in canonicalize(
        profile, loader=DEFAULT_LOADER
    )
    embedded = services.get_profile(organisation, embedded=True)
    assert "@context" not in embedded and embedded["id"] == profile["id"]


def test_a_bare_profile_links_to_the_platform_page():
    organisation = make_organisation(slug="bare", name="Bare")
    profile = services.get_profile(organisation)
    assert profile["url"] == "https://microcred.test/orgs/bare/"
    assert "otherIdentifier" not in profile and "email" not in profile
    assert ob3.model_problems(ob3.Profile, profile, prefix="$") == []


def test_an_owner_updates_the_profile_and_it_is_audited(owner, organisation):
    services.update_organisation(
        actor=owner, organisation=organisation, name="  Universiteit Utrecht ", country="nl"
    )
    organisation.refresh_from_db()
    assert (organisation.name, organisation.country) == ("Universiteit Utrecht", "NL")
    [event] = AuditEvent.objects.filter(action="organisation.update")
    # The country was NL already: only the name changed.
    assert event.data == {"fields": ["name"]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": " "}, "name"),
        ({"type": "castle"}, "type"),
        ({"country": "NLD"}, "country"),
        ({"url": "ftp://uu.nl"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"email": "nobody"}, "email"),
        ({"slug": "other"}, "slug"),
        ({"colour": "red"}, "colour"),
        ({"accreditations": "NVAO"}, "accreditations"),
        ({"accreditations": [{"body": "NVAO"}]}, "accreditations[0].name"),
        ({"accreditations": [{"name": "X", "url": "nope"}]}, "accreditations[0].url"),
        ({"accreditations": [{"name": "X", "since": "2020"}]}, "accreditations[0].since"),
        (
            {"identifiers": [{"identifier": "1", "identifierType": "pic"}]},
            "identifiers[0].identifierType",
        ),
        ({"identifiers": [{"identifierType": "sourcedId"}]}, "identifiers[0].identifier"),
        (
            {"identifiers": [{"identifier": 7, "identifierType": "sourcedId"}]},
            "identifiers[0].identifier",
        ),
    ],
)
def test_bad_profile_input_names_the_field_and_changes_nothing(owner, organisation, changes, field):
    before = Organisation.objects.values().get(pk=organisation.pk)
    with pytest.raises(InvalidInput) as raised:
        services.update_organisation(actor=owner, organisation=organisation, **changes)
    assert raised.value.field == field
    assert Organisation.objects.values().get(pk=organisation.pk) == before
    assert not AuditEvent.objects.filter(action="organisation.update").exists()


def test_only_owners_update_the_profile(organisation):
    designer = add_member(organisation, make_user(password=None), Role.DESIGNER)
    with pytest.raises(Forbidden):
        services.update_organisation(actor=designer, organisation=organisation, name="Mine")


def test_only_platform_admins_register_organisations():
    admin = make_admin()
    future_owner = make_user("ada", email="ada@example.org", password=None)
    with pytest.raises(Forbidden):
        services.register_organisation(
            actor=future_owner, name="Ada Academy", type="other", country="GB"
        )
    organisation = services.register_organisation(
        actor=admin, owner="ada@example.org", name="Ada Academy", type="other", country="gb"
    )
    assert organisation.slug == "ada-academy" and organisation.country == "GB"
    assert services.get_roles(future_owner, organisation) == {Role.OWNER}
    assert services.get_roles(admin, organisation) == set()
    with pytest.raises(InvalidInput) as raised:
        services.register_organisation(
            actor=admin, owner="ghost", name="Ghost", type="other", country="GB"
        )
    assert raised.value.field == "owner"


@pytest.mark.parametrize("slug", ["Upper", "under_score", "-edge", "a--b", "x" * 61])
def test_a_slug_is_plain_lowercase_with_single_hyphens(slug: str):
    with pytest.raises(InvalidInput) as raised:
        make_organisation(slug=slug)
    assert raised.value.field == "slug"


def test_a_slug_made_from_a_name_is_valid():
    organisation = make_organisation(slug=None, name="École d'Ingénieurs — Génie_Civil")
    assert organisation.slug == "ecole-dingenieurs-genie-civil"


def test_the_public_pages_show_the_organisation(client: Client, organisation):
    make_organisation(name="Another College", slug="another")
    listing = client.get("/orgs/").content.decode()
    assert "Utrecht University" in listing and "Another College" in listing
    page = client.get("/orgs/uu/").content.decode()
    for text in (
        "Utrecht University",
        "Stichting Universiteit Utrecht",
        "Institutional audit",
        "NVAO",
        "ISO 9001",
        "did:web:microcred.test:orgs:uu",
        "/orgs/uu/did.json",
        "/orgs/uu/profile.json",
        "NL UTRECHT01",
    ):
        assert text in page, text
    profile = client.get("/orgs/uu/profile.json")
    assert profile.json() == services.get_profile(organisation)
    assert client.get("/orgs/nobody/").status_code == 404
    assert client.get("/orgs/nobody/profile.json").status_code == 404


def test_the_api_reads_and_patches_the_profile(client: Client, owner, organisation):
    listed = client.get("/api/v1/orgs").json()
    assert [entry["slug"] for entry in listed] == ["uu"]
    read = client.get("/api/v1/orgs/uu").json()
    assert read["did"] == "did:web:microcred.test:orgs:uu"
    assert read["did_document_url"] == "https://microcred.test/orgs/uu/did.json"
    assert read["accreditations"] == PROFILE["accreditations"]
    headers = bearer(owner)
    patched = client.patch(
        "/api/v1/orgs/uu",
        {
            "description": "Changed.",
            "identifiers": [{"identifier": "X1", "identifierType": "systemId"}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200
    assert patched.json()["description"] == "Changed."
    assert patched.json()["identifiers"] == [{"identifier": "X1", "identifierType": "systemId"}]
    assert patched.json()["accreditations"] == PROFILE["accreditations"]
    bad = client.patch(
        "/api/v1/orgs/uu",
        {"identifiers": [{"identifier": "X1", "identifierType": "nope"}]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "identifiers[0].identifierType"
    assert client.get("/api/v1/orgs/nobody").status_code == 404


def test_the_api_registers_organisations_for_platform_admins(client: Client):
    make_user("ada", password=None)
    body = {"name": "Ada Academy", "type": "other", "country": "GB", "owner": "ada"}
    created = client.post(
        "/api/v1/orgs", body, content_type="application/json", headers=bearer(make_admin())
    )
    assert created.status_code == 201 and created.json()["slug"] == "ada-academy"
    again = client.post(
        "/api/v1/orgs", body, content_type="application/json", headers=bearer(make_admin())
    )
    assert again.status_code == 409 and again.json()["field"] == "slug"


def test_the_profile_page_saves_lines_as_accreditations_and_identifiers(
    client: Client, owner, organisation
):
    client.force_login(owner)
    form = client.get("/studio/orgs/uu/profile").context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    assert data["accreditations"] == ("Institutional audit | NVAO | https://www.nvao.net\nISO 9001")
    data["accreditations"] += "\nEQAR listed | | https://www.eqar.eu"
    response = client.post("/studio/orgs/uu/profile", data)
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.accreditations[-1] == {"name": "EQAR listed", "url": "https://www.eqar.eu"}
    assert organisation.identifiers == PROFILE["identifiers"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "javascript:alert(1)"}, "url"),
        ({"accreditations": "a | b | c | d"}, "accreditations"),
        ({"identifiers": "12 | passport"}, "identifiers"),
        ({"country": ""}, "country"),
    ],
)
def test_the_profile_page_shows_errors_by_the_field_and_changes_nothing(
    client: Client, owner, organisation, changes, field
):
    client.force_login(owner)
    form = client.get("/studio/orgs/uu/profile").context["form"]
    data = {**{name: form.initial.get(name, "") for name in form.fields}, **changes}
    before = Organisation.objects.values().get(pk=organisation.pk)
    response = client.post("/studio/orgs/uu/profile", data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Organisation.objects.values().get(pk=organisation.pk) == before


def test_platform_admins_register_organisations_on_a_page(client: Client):
    client.force_login(make_user(password=None))
    page = client.get("/studio/orgs/new").content.decode()
    main = page.split("<main>")[1].split("</main>")[0]  # the footer has the language form
    assert "ask one of its owners" in page and "<form" not in main
    admin = make_admin()
    client.force_login(admin)
    response = client.post(
        "/studio/orgs/new", {"name": "Ada Academy", "type": "other", "country": "GB"}
    )
    assert response.status_code == 302 and response["Location"] == "/studio/orgs/ada-academy/"
    response = client.post(
        "/studio/orgs/new", {"name": "Ada Academy", "type": "other", "country": "GB"}
    )
    assert response.status_code == 400 and "exists already" in str(response.context["form"].errors)
    response = client.post(
        "/studio/orgs/new", {"name": "Bad", "slug": "Bad Slug", "type": "other", "country": "GB"}
    )
    assert response.status_code == 400 and list(response.context["form"].errors) == ["slug"]
    assert Organisation.objects.count() == 1


def test_the_dashboard_lists_my_organisations_with_the_areas_my_roles_open(client: Client):
    designer = make_user(password=None)
    make_organisation(designer, name="Mine", slug="mine")
    other = make_organisation(name="Theirs", slug="theirs")
    add_member(other, designer, Role.DESIGNER)
    make_organisation(name="Unrelated", slug="unrelated")
    client.force_login(designer)
    page = client.get("/studio/").content.decode()
    assert "Mine" in page and "Theirs" in page and "Unrelated" not in page
    assert "/studio/orgs/mine/profile" in page and "/studio/orgs/theirs/profile" not in page
    assert "/studio/orgs/theirs/members" in page
    client.force_login(make_admin())
    page = client.get("/studio/").content.decode()
    assert "/studio/orgs/unrelated/" in page and "Register an organisation" in page


def test_the_overview_shows_roles_key_and_areas(client: Client, owner, organisation):
    client.force_login(owner)
    page = client.get("/studio/orgs/uu/").content.decode()
    assert "Owner" in page and "key-1" in page and "did:web:microcred.test:orgs:uu" in page
    assert "/studio/orgs/uu/keys" in page


def test_the_profile_page_offers_countries_by_name_and_stores_the_code(
    client: Client, owner, organisation
):
    client.force_login(owner)
    page = client.get("/studio/orgs/uu/profile")
    html = page.content.decode()
    assert '<select name="country"' in html
    assert '<option value="IE">Ireland</option>' in html
    assert '<option value="IR">Iran</option>' in html
    data = {
        name: page.context["form"].initial.get(name, "") for name in page.context["form"].fields
    }
    # What a text box once cut "Ireland" to is Iran's code; the select sends codes only.
    refused = client.post("/studio/orgs/uu/profile", {**data, "country": "Ireland"})
    assert refused.status_code == 400 and list(refused.context["form"].errors) == ["country"]
    assert client.post("/studio/orgs/uu/profile", {**data, "country": "IE"}).status_code == 302
    organisation.refresh_from_db()
    assert organisation.country == "IE"
    assert "<dd>Ireland, Utrecht</dd>" in client.get("/orgs/uu/").content.decode()


@pytest.mark.parametrize(("given", "stored"), [("Ireland", "IE"), ("de", "DE"), ("NL", "NL")])
def test_the_api_takes_a_country_code_or_its_english_name(client: Client, given, stored):
    body = {"name": "Ada Academy", "type": "other", "country": given}
    created = client.post(
        "/api/v1/orgs", body, content_type="application/json", headers=bearer(make_admin())
    )
    assert created.status_code == 201, created.json()
    assert Organisation.objects.get(slug="ada-academy").country == stored


@pytest.mark.parametrize("given", ["Irland", "IRL", "Ire", "I"])
def test_the_api_refuses_other_countries_naming_the_field(client: Client, given):
    body = {"name": "Ada Academy", "type": "other", "country": given}
    refused = client.post(
        "/api/v1/orgs", body, content_type="application/json", headers=bearer(make_admin())
    )
    assert refused.status_code == 422
    assert refused.json()["field"] == "country" and given in refused.json()["message"]
    assert not Organisation.objects.filter(slug="ada-academy").exists()


def test_the_migration_recodes_countries_it_can_and_leaves_the_rest(organisation, capsys):
    migration = importlib.import_module("microcred.organisations.migrations.0003_iso_country_codes")
    Organisation.objects.filter(pk=organisation.pk).update(country="ie")
    other = make_organisation(slug="odd", name="Odd")
    Organisation.objects.filter(pk=other.pk).update(country="XX")
    migration.recode_countries(django_apps, SimpleNamespace(connection=connection))
    assert Organisation.objects.get(pk=organisation.pk).country == "IE"
    assert Organisation.objects.get(pk=other.pk).country == "XX"
    assert "'XX' is no ISO 3166-1 code; left as it is: odd" in capsys.readouterr().out
