"""Organisation pages in German: the public profile, the staff pages for members and keys,
and the invitation, with German chosen; an organisation's own texts stay as written."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from microcred.organisations.models import Role
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.organisations.invitations import invite

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner():
    return make_user(password=None)


@pytest.fixture
def organisation(owner):
    return make_organisation(
        owner, name="Utrecht University", slug="uu", description="A university in Utrecht."
    )


def test_the_public_profile_is_in_german_and_its_description_as_written(german, organisation):
    page = german.get("/orgs/uu/").text
    assert "Hochschule" in page and "Für Prüfende" in page and "DID-Dokument" in page
    assert "For verifiers" not in page and "University or college" not in page
    assert "A university in Utrecht." in page
    assert "Niederlande" in page and "Netherlands" not in page  # its country, in German
    listing = german.get("/orgs/").text
    assert "Organisationen" in listing and "The organisations that issue" not in listing


def test_the_members_page_and_its_invitation_form_are_in_german(german, owner, organisation):
    add_member(organisation, make_user("rita", password=None), Role.REGISTRAR)
    german.force_login(owner)
    page = german.get("/studio/orgs/uu/members").text
    assert "Mitglieder und Rollen" in page and "Prüfungsamt" in page and "Inhaber/in" in page
    assert "Members and roles" not in page and "Registrar" not in page
    response = german.post("/studio/orgs/uu/members", {"email": "", "roles": ["designer"]})
    assert response.status_code == 400
    field = response.context["invite_form"]["email"]
    assert field.label == "E-Mail-Adresse"
    assert field.errors == ["Dieses Feld ist zwingend erforderlich."]
    response = german.post(
        "/studio/orgs/uu/members", {"email": "new@example.org", "roles": ["designer"]}
    )
    assert response.status_code == 302
    assert "Eine Einladung ging an new@example.org" in german.get(response["Location"]).text


def test_the_keys_page_says_in_german_what_marking_a_key_compromised_does(
    german, owner, organisation
):
    german.force_login(owner)
    page = german.get("/studio/orgs/uu/keys").text
    assert "Signaturschlüssel" in page and "Aktiv" in page
    assert "Ich habe verstanden: Der Schlüssel wird aus dem DID-Dokument entfernt" in page
    assert "Rotate the signing key" not in page and "I understand" not in page


def test_the_invitation_email_and_page_are_in_german(german, owner, organisation):
    # The email goes out in the language of the owner's request that sends it.
    with translation.override("de"):
        _, token = invite(owner, organisation, email="new@example.org")
    assert mail.outbox[-1].subject == "Einladung zu Utrecht University auf microcred"
    assert "Öffnen Sie diesen Link" in mail.outbox[-1].body
    page = german.get(f"/invitations/{token}").text
    assert "Utrecht University beitreten" in page and "Ihr Konto anlegen" in page
    assert "Create your account" not in page


def test_the_profile_form_lists_the_countries_by_their_german_names(german, owner, organisation):
    german.force_login(owner)
    page = german.get("/studio/orgs/uu/profile").text
    assert '<option value="NL" selected>Niederlande</option>' in page
    assert page.index(">Oman<") < page.index(">Österreich<") < page.index(">Pakistan<")
    assert "Bosnia and Herzegovina" not in page
    response = german.post("/studio/orgs/uu/profile", {"name": "Utrecht University"})
    assert response.status_code == 400
    field = response.context["form"]["type"]
    assert field.label == "Art" and field.errors == ["Dieses Feld ist zwingend erforderlich."]
