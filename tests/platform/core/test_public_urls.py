"""Every address :mod:`microcred.core.public_urls` builds is served by the site.

The addresses are signed into credentials, so they are a contract: each one
must resolve to the view that serves it, and answer for a real record.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import resolve

from microcred.awards import services as awards
from microcred.core import public_urls
from microcred.vc.did import did_web_url
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.factories import make_user

BUILDERS = sorted(public_urls.__all__)


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == "https://microcred.test", url
    return parts.path


@pytest.fixture
def issued():
    organisation, registrar, version = make_issuer()
    learner = make_user()
    award = issue(registrar, version, learner_email=learner.email)
    awards.issue_clr(actor=registrar, organisation=organisation, learner=learner, awards=[award])
    return organisation, version, award


def built_addresses(organisation, version, award) -> dict[str, str]:
    """Return one address of each builder, for real records."""
    staff = organisation.memberships.first().user
    [status_list, *_] = awards.list_status_lists(actor=staff, organisation_slug=organisation.slug)
    [record] = awards.list_learner_records(actor=staff, organisation_slug=organisation.slug)
    slug, credential_slug = organisation.slug, version.microcredential.slug
    return {
        "absolute": public_urls.absolute("/catalogue/"),
        "achievement_id": public_urls.achievement_id(version.achievement_uuid),
        "catalogue_url": public_urls.catalogue_url(slug, credential_slug, version.number),
        "credential_url": public_urls.credential_url(award.uuid),
        "did_document_url": public_urls.did_document_url(slug),
        "learner_dashboard_url": public_urls.learner_dashboard_url(),
        "learner_record_url": public_urls.learner_record_url(record.uuid),
        "organisation_did": did_web_url(public_urls.organisation_did(slug)),
        "profile_url": public_urls.profile_url(slug),
        "public_evidence_url": public_urls.public_evidence_url(uuid4()),
        "public_key_url": public_urls.public_key_url(slug, organisation.keys.get().key_id),
        "qa_report_url": public_urls.qa_report_url(slug, credential_slug, version.number),
        "status_list_url": public_urls.status_list_url(slug, status_list.slug),
        "verification_method_id": did_web_url(
            public_urls.verification_method_id(slug, "key-1").split("#")[0]
        ),
    }


def test_every_builder_is_covered(issued) -> None:
    assert sorted(built_addresses(*issued)) == BUILDERS


@pytest.mark.parametrize("builder", BUILDERS)
def test_every_address_resolves_to_a_view(issued, builder: str) -> None:
    url = built_addresses(*issued)[builder]
    assert resolve(_path(url)).func is not None


@pytest.mark.parametrize(
    "builder",
    [
        "achievement_id",
        "catalogue_url",
        "credential_url",
        "did_document_url",
        "learner_record_url",
        "organisation_did",
        "profile_url",
        "public_key_url",
        "qa_report_url",
        "status_list_url",
    ],
)
def test_public_addresses_answer_for_real_records(issued, builder: str) -> None:
    url = built_addresses(*issued)[builder]
    assert Client().get(_path(url)).status_code == 200, url


def test_the_signed_credential_names_its_addresses_from_this_module(issued) -> None:
    organisation, version, award = issued
    credential = awards.get_credential_document(award)
    assert credential["id"] == public_urls.credential_url(award.uuid)
    assert credential["credentialSubject"]["achievement"]["id"] == public_urls.achievement_id(
        version.achievement_uuid
    )
    assert credential["issuer"]["id"] == public_urls.organisation_did(organisation.slug)
    assert credential["proof"]["verificationMethod"].startswith(
        public_urls.organisation_did(organisation.slug) + "#"
    )
    status_url = credential["credentialStatus"]["statusListCredential"]
    assert status_url.startswith(public_urls.absolute("/status/"))
    evidence = [item["id"] for item in credential.get("evidence", [])]
    assert (
        public_urls.qa_report_url(organisation.slug, version.microcredential.slug, version.number)
        in evidence
    )


def test_a_did_web_with_a_port_is_percent_encoded(settings) -> None:
    settings.PUBLIC_URL = "http://127.0.0.1:8000"
    assert public_urls.organisation_did("lakeside") == "did:web:127.0.0.1%3A8000:orgs:lakeside"
