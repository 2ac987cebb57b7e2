"""Members and roles: only owners change them, and an organisation always keeps an owner."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations import services
from microcred.organisations.models import Membership, Role
from tests.platform.accounts.factories import bearer, make_admin
from tests.platform.factories import add_member, make_organisation, make_user


@pytest.fixture
def owner():
    return make_user(password=None)


@pytest.fixture
def organisation(owner):
    return make_organisation(owner, name="Utrecht University", slug="uu")


def roles_of(organisation, user) -> set[str]:
    return services.get_roles(user, organisation)


def membership_events() -> list[dict]:
    return [event.data for event in AuditEvent.objects.filter(action="membership.change")]


def test_an_owner_adds_a_member_by_email_changes_roles_and_removes_them(owner, organisation):
    ada = make_user("ada", email="Ada@Example.org", password=None)
    member = services.add_member(
        actor=owner, organisation=organisation, user="ada@example.ORG", roles=["registrar"]
    )
    assert member.user == ada and member.roles == ("registrar",)
    services.change_member_roles(
        actor=owner, organisation=organisation, user="ada", roles=["designer", "registrar"]
    )
    assert roles_of(organisation, ada) == {"designer", "registrar"}
    services.remove_member(actor=owner, organisation=organisation, user="ada")
    assert roles_of(organisation, ada) == set()
    assert membership_events() == [
        {"user": "ada", "before": [], "after": ["registrar"]},
        {"user": "ada", "before": ["registrar"], "after": ["designer", "registrar"]},
        {"user": "ada", "before": ["designer", "registrar"], "after": []},
    ]
    assert (
        AuditEvent.objects.filter(action="membership.change", organisation=organisation).count()
        == 3
    )


def test_setting_the_same_roles_again_changes_and_audits_nothing(owner, organisation):
    add_member(organisation, make_user("bo", password=None), Role.DESIGNER)
    services.change_member_roles(
        actor=owner, organisation=organisation, user="bo", roles=["designer"]
    )
    assert membership_events() == []


def test_the_last_owner_cannot_leave_or_lose_the_role(owner, organisation):
    with pytest.raises(Conflict) as raised:
        services.remove_member(actor=owner, organisation=organisation, user=owner.username)
    assert raised.value.code == "membership.last_owner"
    with pytest.raises(Conflict):
        services.change_member_roles(
            actor=owner, organisation=organisation, user=owner.username, roles=["designer"]
        )
    assert roles_of(organisation, owner) == {"owner"}
    second = add_member(organisation, make_user(password=None), Role.OWNER)
    services.remove_member(actor=second, organisation=organisation, user=owner.username)
    assert roles_of(organisation, owner) == set()
    assert membership_events() == [{"user": owner.username, "before": ["owner"], "after": []}]


@pytest.mark.parametrize(
    ("user", "roles", "error", "field"),
    [
        ("nobody", ["designer"], InvalidInput, "user"),
        ("", ["designer"], InvalidInput, "user"),
        ("newcomer", [], InvalidInput, "roles"),
        ("newcomer", ["king"], InvalidInput, "roles"),
        ("existing", ["designer"], Conflict, "user"),
    ],
)
def test_adding_a_member_names_what_is_wrong_and_changes_nothing(
    owner, organisation, user, roles, error, field
):
    make_user("newcomer", password=None)
    add_member(organisation, make_user("existing", password=None), Role.ASSESSOR)
    before = set(Membership.objects.values_list("user__username", "role"))
    with pytest.raises(error) as raised:
        services.add_member(actor=owner, organisation=organisation, user=user, roles=roles)
    assert raised.value.field == field
    assert set(Membership.objects.values_list("user__username", "role")) == before
    assert membership_events() == []


def test_changing_someone_who_is_not_a_member_is_not_found(owner, organisation):
    make_user("stranger", password=None)
    with pytest.raises(NotFound):
        services.change_member_roles(
            actor=owner, organisation=organisation, user="stranger", roles=["designer"]
        )
    with pytest.raises(NotFound):
        services.remove_member(actor=owner, organisation=organisation, user="ghost")


def test_only_owners_and_platform_admins_manage_members(owner, organisation):
    registrar = add_member(organisation, make_user(password=None), Role.REGISTRAR)
    outsider = make_organisation().memberships.get().user
    make_user("newcomer", password=None)
    with pytest.raises(Forbidden):
        services.add_member(
            actor=registrar, organisation=organisation, user="newcomer", roles=["owner"]
        )
    with pytest.raises(NotFound):
        services.add_member(
            actor=outsider, organisation=organisation, user="newcomer", roles=["owner"]
        )
    services.add_member(
        actor=make_admin(), organisation=organisation, user="newcomer", roles=["owner"]
    )
    assert roles_of(organisation, registrar) == {"registrar"}


def test_the_members_api_adds_changes_and_removes(client: Client, owner, organisation):
    make_user("ada", password=None)
    headers = bearer(owner)
    url = "/api/v1/orgs/uu/members"
    added = client.post(
        url,
        {"user": "ada", "roles": ["designer"]},
        content_type="application/json",
        headers=headers,
    )
    assert added.status_code == 201
    assert added.json()["roles"] == ["designer"]
    changed = client.put(
        f"{url}/ada", {"roles": ["assessor"]}, content_type="application/json", headers=headers
    )
    assert changed.json()["roles"] == ["assessor"]
    listed = client.get(url, headers=headers).json()
    assert [(member["username"], member["roles"]) for member in listed] == sorted(
        [(owner.username, ["owner"]), ("ada", ["assessor"])]
    )
    assert client.delete(f"{url}/ada", headers=headers).status_code == 204
    last = client.delete(f"{url}/{owner.username}", headers=headers)
    assert last.status_code == 409 and last.json()["code"] == "membership.last_owner"
    bad = client.post(
        url,
        {"user": "ghost", "roles": ["designer"]},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 422 and bad.json()["field"] == "user"
    none = client.post(
        url, {"user": "ada", "roles": []}, content_type="application/json", headers=headers
    )
    assert none.status_code == 422 and none.json()["field"] == "roles"


def test_the_members_page_lists_members_and_shows_forms_to_owners_only(
    client: Client, owner, organisation
):
    designer = add_member(organisation, make_user("dee", password=None), Role.DESIGNER)
    client.force_login(designer)
    page = client.get("/studio/orgs/uu/members").content.decode()
    assert "dee" in page and owner.username in page
    assert "Invite someone" not in page
    client.force_login(owner)
    page = client.get("/studio/orgs/uu/members").content.decode()
    assert "Invite someone" in page and 'value="remove"' in page


def test_the_members_page_changes_roles_and_removes(client: Client, owner, organisation):
    ada = add_member(organisation, make_user("ada", password=None), Role.DESIGNER, Role.ASSESSOR)
    client.force_login(owner)
    client.post("/studio/orgs/uu/members/ada", {"roles": ["registrar"], "action": "save"})
    assert roles_of(organisation, ada) == {"registrar"}
    client.post("/studio/orgs/uu/members/ada", {"action": "remove"})
    assert roles_of(organisation, ada) == set()


def test_the_members_page_shows_errors_next_to_the_field_and_changes_nothing(
    client: Client, owner, organisation
):
    client.force_login(owner)
    response = client.post("/studio/orgs/uu/members", {"email": "ghost", "roles": ["designer"]})
    assert response.status_code == 400
    assert "'ghost' is not an email address" in response.context["invite_form"].errors["email"][0]
    response = client.post("/studio/orgs/uu/members", {"email": "", "roles": []})
    assert response.status_code == 400
    assert set(response.context["invite_form"].errors) == {"email", "roles"}
    response = client.post(
        f"/studio/orgs/uu/members/{owner.username}", {"roles": ["designer"], "action": "save"}
    )
    assert response.status_code == 400
    assert "at least one owner" in response.content.decode()
    assert roles_of(organisation, owner) == {"owner"}
    assert membership_events() == []
