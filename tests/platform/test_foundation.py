"""The foundation: organisations get a key, a DID and an audit trail; access is checked."""

from __future__ import annotations

import pytest

from microcred.audit.services import check_chain
from microcred.errors import Conflict, Forbidden, InvalidInput, NotFound
from microcred.organisations import services
from microcred.organisations.models import Role
from tests.platform.factories import add_member, make_organisation, make_user


def test_a_new_organisation_has_an_owner_an_encrypted_key_and_a_did() -> None:
    owner = make_user()
    organisation = make_organisation(owner, slug="uni-a", name="University A")
    assert services.get_roles(owner, organisation) == {Role.OWNER}
    key = services.get_active_key(organisation)
    assert key.public_key_multibase.startswith("z6Mk")
    pair, method = services.get_signer(organisation)
    assert pair.public.public_key_multibase == key.public_key_multibase
    assert bytes(key.encrypted_secret) != pair.seed
    assert method == "did:web:microcred.test:orgs:uni-a#key-1"


def test_creating_an_organisation_is_audited_in_an_intact_chain() -> None:
    make_organisation()
    make_organisation()
    chain = check_chain()
    assert chain.intact and chain.events == 2


def test_a_changed_audit_event_breaks_the_chain() -> None:
    from microcred.audit.models import AuditEvent

    make_organisation()
    make_organisation()
    AuditEvent.objects.filter(sequence=1).update(action="organisation.delete")
    chain = check_chain()
    assert not chain.intact and chain.broken_at == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"type": "castle"}, "type"),
        ({"country": "Holland"}, "country"),
    ],
)
def test_bad_organisation_input_names_the_field(fields: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        make_organisation(**fields)
    assert raised.value.field == field


def test_slugs_are_unique() -> None:
    make_organisation(slug="same")
    with pytest.raises(Conflict):
        make_organisation(slug="same")


def test_access_needs_membership_and_the_role() -> None:
    organisation = make_organisation()
    outsider, designer = make_user(), make_user()
    add_member(organisation, designer, Role.DESIGNER)
    with pytest.raises(NotFound):
        services.access_organisation(outsider, organisation.slug)
    assert services.access_organisation(designer, organisation.slug, roles=[Role.DESIGNER])
    with pytest.raises(Forbidden):
        services.access_organisation(designer, organisation.slug, roles=[Role.REGISTRAR])
