"""Claiming an award issued to an address the learner has not verified, from the email."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from microcred.audit.models import AuditEvent
from microcred.awards import services as awards
from microcred.errors import InvalidInput, NotFound
from microcred.learners import services
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_user

CLAIM = re.compile(r"https://microcred\.test(/me/credentials/claim/\S+)")


@pytest.fixture
def emailed(django_capture_on_commit_callbacks):
    """An award issued to an address no account has, and the claim link its email gave."""
    _, registrar, version = make_issuer()
    with django_capture_on_commit_callbacks(execute=True):
        award = issue(registrar, version, learner_email="Ada.Work@example.org")
    [message] = mail.outbox
    assert message.to == ["ada.work@example.org"]
    return award, CLAIM.search(message.body).group(1)


def test_the_issuance_email_carries_a_claim_link_that_attaches_the_award(client, emailed) -> None:
    award, link = emailed
    learner = make_user()
    assert services.get_credentials(learner).awards == []
    client.force_login(learner)

    response = client.get(link)

    assert response.status_code == 302
    assert response["Location"] == f"/me/credentials/{award.uuid}"
    assert [item.award for item in services.get_credentials(learner).awards] == [award]
    assert AuditEvent.objects.filter(action="award.claim").count() == 1
    assert client.get(link).status_code == 302  # opened again: nothing changes


def test_an_anonymous_visitor_signs_in_first_and_comes_back(client, emailed) -> None:
    _, link = emailed
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"].startswith("/login?next=/me/credentials/claim/")


def test_an_award_claimed_by_someone_else_is_refused(client, emailed) -> None:
    _award, link = emailed
    client.force_login(make_user())
    client.get(link)
    client.force_login(make_user())
    response = client.get(link)
    assert response.status_code == 409
    assert "claimed by another account" in response.content.decode()


def test_an_altered_or_expired_link_is_refused(emailed) -> None:
    _award, link = emailed
    token = link.rsplit("/", 1)[1]
    with pytest.raises(InvalidInput) as error:
        awards.claim_award(actor=make_user(), token=token[:-2] + "xx")
    assert error.value.code == "claim.invalid" and error.value.field == "token"
    later = timezone.now() + timedelta(days=awards.CLAIM_DAYS + 1)
    with pytest.raises(InvalidInput) as error:
        awards.claim_award(actor=make_user(), token=token, now=later)
    assert error.value.code == "claim.expired"


def test_the_link_names_the_address_the_award_was_issued_to() -> None:
    _, registrar, version = make_issuer()
    award = issue(registrar, version, learner_email="one@example.org")
    token = awards.claim_url(award).rsplit("/", 1)[1]
    award.learner_email = "two@example.org"
    award.save()
    with pytest.raises(NotFound):
        awards.claim_award(actor=make_user(), token=token)
    award.refresh_from_db()
    assert award.learner_id is None
