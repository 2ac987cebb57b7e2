"""A request that acts is authorised once, by the action; an award that follows a decision is
authorised by that decision, not again.

Each test counts the role checks of the organisations service (the one place roles are
checked) while the real check runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from microcred.awards.models import Award, AwardStatus
from microcred.organisations import services as organisations
from tests.platform.api import Api
from tests.platform.assessment.judging import PASS, assessed, scored, scores, with_assessor
from tests.platform.awards.factories import issue, make_issuer, make_registrar
from tests.platform.factories import make_user


class Checks:
    def __init__(self) -> None:
        self.made = 0


@pytest.fixture
def checks(monkeypatch) -> Iterator[Checks]:
    counted = Checks()
    authorise = organisations._authorise

    def counting(*args, **kwargs):
        counted.made += 1
        return authorise(*args, **kwargs)

    monkeypatch.setattr(organisations, "_authorise", counting)
    yield counted


def test_issuing_through_the_api_authorises_once(client: Client, checks: Checks) -> None:
    organisation, registrar, version = make_issuer()
    api = Api(client, registrar)
    checks.made = 0
    body = {"version": str(version.achievement_uuid), "learner_email": "ada@example.org"}
    response = api("POST", f"/orgs/{organisation.slug}/awards", body)
    assert response.status_code == 201, response.content
    assert checks.made == 1


@pytest.mark.parametrize("action", ["revoke", "suspend"])
def test_changing_a_status_through_the_api_authorises_once(
    client: Client, checks: Checks, action: str
) -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version)
    api = Api(client, registrar)
    checks.made = 0
    response = api("POST", f"/awards/{award.uuid}/{action}", {"reason": "Checked."})
    assert response.status_code == 200, response.content
    assert checks.made == 1


def test_changing_a_status_on_the_studio_page_authorises_once(
    client: Client, checks: Checks
) -> None:
    organisation, registrar, version = make_issuer()
    award = issue(registrar, version)
    client.force_login(registrar)
    checks.made = 0
    path = f"/studio/orgs/{organisation.slug}/awards/{award.uuid}/revoke"
    assert client.post(path, {"reason": "Issued in error.", "confirm": "on"}).status_code == 302
    assert checks.made == 1
    assert Award.objects.get(pk=award.pk).status == AwardStatus.REVOKED


def test_issuing_on_the_studio_page_authorises_once(client: Client, checks: Checks) -> None:
    organisation, registrar, version = make_issuer()
    client.force_login(registrar)
    checks.made = 0
    path = f"/studio/orgs/{organisation.slug}/awards/issue"
    body = {"version": version.pk, "learner_email": "ada@example.org", "format": "ldp"}
    assert client.post(path, body).status_code == 302
    assert checks.made == 1


def test_a_pass_and_its_award_are_authorised_once(
    client: Client, checks: Checks, django_capture_on_commit_callbacks
) -> None:
    """The assessor is checked when scoring; the award that follows is issued on the
    authority of the pass."""
    setting = assessed()
    review = with_assessor(setting)
    api = Api(client, setting.assessor)
    checks.made = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = api(
            "POST", f"/reviews/{review.uuid}/scores", {"scores": scores(setting.version, PASS)}
        )
    assert response.status_code == 200, response.content
    assert checks.made == 1
    assert Award.objects.get().issued_by == setting.assessor


def test_a_sign_off_and_its_award_are_authorised_once(
    client: Client, checks: Checks, django_capture_on_commit_callbacks
) -> None:
    setting = assessed(signoff=True)
    registrar = make_registrar(setting.organisation)
    submission = scored(setting, with_assessor(setting))
    api = Api(client, registrar)
    checks.made = 0
    with django_capture_on_commit_callbacks(execute=True):
        response = api("POST", f"/submissions/{submission.uuid}/signoff")
    assert response.status_code == 200, response.content
    assert checks.made == 1
    assert Award.objects.get().issued_by == registrar


def test_issuing_a_learner_record_through_the_api_authorises_once(
    client: Client, checks: Checks
) -> None:
    organisation, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    api = Api(client, registrar)
    checks.made = 0
    body = {"learner": learner.username, "awards": [str(award.uuid)]}
    response = api("POST", f"/orgs/{organisation.slug}/clr", body)
    assert response.status_code == 201, response.content
    assert checks.made == 1


def test_starting_a_bulk_job_through_the_api_authorises_once(
    client: Client, checks: Checks
) -> None:
    organisation, registrar, version = make_issuer()
    api = Api(client, registrar)
    checks.made = 0
    row = {"version": str(version.achievement_uuid), "learner_email": "ada@example.org"}
    response = api("POST", f"/orgs/{organisation.slug}/bulk-jobs", {"rows": [row]})
    assert response.status_code == 201, response.content
    assert checks.made == 1
