"""Issuer vetting pages: platform admins record an organisation's vetting before it may publish."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from microcred.audit.models import AuditEvent
from microcred.quality import services
from tests.platform.accounts.factories import make_admin
from tests.platform.factories import make_organisation, make_user
from tests.platform.quality.factories import vet

LIST = "/studio/vetting/"

ANSWERS = {
    "track_record": "Runs accredited teacher education since 1998.",
    "subject_expertise": "Pedagogy and educational assessment.",
    "audience": "Practising teachers.",
    "terms_agreed": "on",
}


@pytest.fixture
def organisation():
    return make_organisation(name="Northfield Institute", slug="northfield", type="vet_provider")


@pytest.fixture
def admin():
    return make_admin(username="pat", display_name="Pat Admin")


def page_of(organisation) -> str:
    return f"/studio/vetting/{organisation.slug}"


def test_an_admin_vets_an_organisation_and_the_vetting_shows_who_and_when(
    client: Client, admin, organisation
) -> None:
    client.force_login(admin)
    before = client.get(LIST)
    assert before.status_code == 200
    assert "Northfield Institute" in before.text and "Not vetted" in before.text

    form = client.get(page_of(organisation))
    assert form.status_code == 200
    assert "Vocational education and training provider" in form.text  # type, from the profile
    assert 'name="terms_agreed"' in form.text and '<label for="id_track_record">' in form.text

    response = client.post(page_of(organisation), ANSWERS)
    assert response.status_code == 302 and response["Location"] == LIST

    vetting = services.get_quality_settings(organisation)
    assert vetting.vetted_by == admin and vetting.vetted_at is not None
    assert vetting.track_record == ANSWERS["track_record"] and vetting.terms_agreed
    assert AuditEvent.objects.filter(action="qa.vet", actor=admin).count() == 1

    after = client.get(LIST)
    assert "Not vetted" not in after.text
    assert f"Vetted {vetting.vetted_at:%-d %b %Y} by Pat Admin" in after.text
    shown = client.get(page_of(organisation))
    assert "Vetted on" in shown.text and "by Pat Admin" in shown.text
    assert ANSWERS["subject_expertise"] in shown.text  # the form shows the recorded answers


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"terms_agreed": ""}, "terms_agreed", "must agree to the platform&#x27;s terms"),
        ({"track_record": "  "}, "track_record", "Vetting needs track record"),
        ({"subject_expertise": ""}, "subject_expertise", "Vetting needs subject expertise"),
        ({"audience": ""}, "audience", "Vetting needs audience"),
    ],
)
def test_missing_answers_are_shown_at_their_field_and_vet_nothing(
    client: Client, admin, organisation, change, field, message
) -> None:
    client.force_login(admin)
    response = client.post(page_of(organisation), {**ANSWERS, **change})
    assert response.status_code == 400
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert message in response.text
    assert services.get_quality_settings(organisation).vetted_at is None
    assert not AuditEvent.objects.filter(action="qa.vet").exists()


def test_an_unknown_organisation_is_not_found(client: Client, admin) -> None:
    client.force_login(admin)
    assert client.get("/studio/vetting/nowhere").status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("url", ["list", "organisation"])
def test_only_platform_admins_may_vet(client: Client, organisation, method, url) -> None:
    target = LIST if url == "list" else page_of(organisation)
    owner = organisation.memberships.get().user
    for user in (owner, make_user()):
        client.force_login(user)
        response = getattr(client, method)(target, ANSWERS)
        assert response.status_code == 403
        assert "Only platform admins may vet organisations" in response.text
    client.logout()
    response = getattr(client, method)(target, ANSWERS)
    assert response.status_code == 302 and response["Location"].startswith("/login?next=")
    assert services.get_quality_settings(organisation).vetted_at is None


def test_the_dashboard_links_platform_admins_to_vetting(client: Client, admin) -> None:
    client.force_login(admin)
    assert f'href="{LIST}"' in client.get("/studio/").text
    client.force_login(make_user())
    assert f'href="{LIST}"' not in client.get("/studio/").text


def test_the_list_shows_the_unvetted_first_in_a_fixed_number_of_queries(
    client: Client, admin
) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    client.force_login(admin)
    vet(make_organisation(name="A vetted one"))
    few = count()
    for _ in range(3):
        vet(make_organisation())
        make_organisation()
    assert count() == few
    unvetted_first = client.get(LIST).text
    assert unvetted_first.rindex("Not vetted") < unvetted_first.index("A vetted one")
