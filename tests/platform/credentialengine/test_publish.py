"""Publishing to Credential Engine, against a stand-in registry on a real socket.

The stand-in answers as the Registry Assistant does: it checks the API key in the
``Authorization`` header, the publishing organisation's CTID and the graph, and replies with
its envelope (``Successful``, ``Messages``, ``CTID``, ``RegistryEnvelopeIdentifier``).
"""

from __future__ import annotations

import json
import socket
from typing import Any

from django.test import Client

from microcred.audit.models import AuditEvent
from microcred.core import public_urls
from microcred.credentialengine.models import Publication
from microcred.credentialengine.services import MAX_REPLY
from microcred.frameworks.ctdl import ctid
from microcred.organisations.models import Role
from tests import ctdl_checks
from tests.platform.catalogue.factories import make_published
from tests.platform.credentialengine.registry import API_KEY, PATH, Registry
from tests.platform.factories import add_member, make_user


def a_designer_with_a_credential(client: Client) -> tuple[str, Any]:
    version = make_published(title="Classroom assessment")
    organisation = version.microcredential.organisation
    designer = add_member(organisation, make_user(), Role.DESIGNER)
    client.force_login(designer)
    return organisation.slug, designer


def studio(slug: str) -> str:
    return f"/studio/orgs/{slug}/credential-engine/"


def test_publishing_posts_the_graph_and_shows_the_registrys_reply(
    client: Client, registry: Registry
) -> None:
    slug, designer = a_designer_with_a_credential(client)
    page = client.get(studio(slug))
    assert "Publish to Credential Engine" in page.content.decode()
    assert "Nothing has been published yet." in page.content.decode()

    response = client.post(studio(slug) + "publish", follow=True)
    assert response.redirect_chain == [(studio(slug), 302)]
    text = response.content.decode()
    assert "Credential Engine accepted the graph." in text

    [request] = registry.requests
    assert request["method"] == "POST"
    assert request["path"] == PATH
    assert request["headers"]["Authorization"] == f"ApiToken {API_KEY}"
    assert request["headers"]["Content-Type"] == "application/json"
    organisation_ctid = ctid(public_urls.profile_url(slug))
    assert request["body"]["PublishForOrganizationIdentifier"] == organisation_ctid
    graph = request["body"]["GraphInput"]
    assert graph == json.loads(client.get(f"/orgs/{slug}/ctdl.json").content)
    ctdl_checks.assert_clean(graph)

    [publication] = Publication.objects.all()
    assert publication.successful
    assert publication.published_by == designer
    assert publication.http_status == 200
    assert publication.organisation_ctid == organisation_ctid
    assert publication.registry_ctid == organisation_ctid
    assert publication.resources == len(graph["@graph"])
    assert publication.envelope and publication.envelope in text
    assert AuditEvent.objects.filter(action="ctdl.publish").count() == 1


def test_a_refusal_is_shown_with_the_registrys_messages_and_recorded(
    client: Client, registry: Registry
) -> None:
    slug, _ = a_designer_with_a_credential(client)
    registry.refuse = ["ceterms:MicroCredential requires ceterms:inLanguage."]
    text = client.post(studio(slug) + "publish", follow=True).content.decode()
    assert (
        "Credential Engine refused the graph: ceterms:MicroCredential requires "
        "ceterms:inLanguage." in text
    )
    [publication] = Publication.objects.all()
    assert not publication.successful
    assert publication.messages == registry.refuse
    assert publication.reply["Successful"] is False
    assert "Refused" in client.get(studio(slug)).content.decode()
    assert AuditEvent.objects.filter(action="ctdl.publish_refused").count() == 1


def test_a_wrong_api_key_is_refused_by_the_registry(
    client: Client, registry: Registry, settings
) -> None:
    slug, _ = a_designer_with_a_credential(client)
    settings.CTDL_API_KEY = "not-the-key"
    text = client.post(studio(slug) + "publish", follow=True).content.decode()
    assert "The API key is missing or not valid." in text
    [publication] = Publication.objects.all()
    assert (publication.successful, publication.http_status) == (False, 401)


def test_an_answer_that_is_no_envelope_is_a_refusal(client: Client, registry: Registry) -> None:
    slug, _ = a_designer_with_a_credential(client)
    registry.raw = (502, b"<html>Bad gateway</html>")
    text = client.post(studio(slug) + "publish", follow=True).content.decode()
    assert "The registry answered HTTP 502 without a publishing envelope." in text
    [publication] = Publication.objects.all()
    assert not publication.successful
    assert publication.reply == {"body": "<html>Bad gateway</html>"}


def test_an_endless_answer_is_cut_short(client: Client, registry: Registry) -> None:
    slug, _ = a_designer_with_a_credential(client)
    registry.raw = (200, b"{" + b" " * (1024 * 1024))
    client.post(studio(slug) + "publish")
    [publication] = Publication.objects.all()
    assert not publication.successful
    assert len(publication.reply["body"]) == MAX_REPLY


def test_nul_characters_in_an_answer_are_kept_as_replacement_characters(
    client: Client, registry: Registry
) -> None:
    """PostgreSQL stores no NUL in JSON; the answer is kept all the same."""
    slug, _ = a_designer_with_a_credential(client)
    registry.raw = (200, b'{"Successful": false, "Messages": ["bad\\u0000byte"]}')
    client.post(studio(slug) + "publish")
    registry.raw = (500, b"crash\x00dump")
    client.post(studio(slug) + "publish")
    refused, crashed = Publication.objects.order_by("pk")
    assert refused.messages == ["bad\ufffdbyte"]
    assert crashed.reply == {"body": "crash\ufffddump"}


def test_an_unreachable_registry_is_said_and_nothing_is_recorded(client: Client, settings) -> None:
    slug, _ = a_designer_with_a_credential(client)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CTDL_REGISTRY_URL = f"http://127.0.0.1:{port}{PATH}"
    settings.CTDL_API_KEY = API_KEY
    events = AuditEvent.objects.count()
    text = client.post(studio(slug) + "publish", follow=True).content.decode()
    assert f"The Credential Engine registry at http://127.0.0.1:{port}{PATH} could not be" in text
    assert "nothing was published" in text
    assert not Publication.objects.exists()
    assert AuditEvent.objects.count() == events


def test_without_a_registry_configured_nothing_is_sent(client: Client, settings) -> None:
    slug, _ = a_designer_with_a_credential(client)
    settings.CTDL_REGISTRY_URL = ""
    page = client.get(studio(slug)).content.decode()
    assert "Publish to Credential Engine" not in page
    assert "MICROCRED_CTDL_REGISTRY_URL" in page
    text = client.post(studio(slug) + "publish", follow=True).content.decode()
    assert "Publishing to Credential Engine is not set up on this platform" in text
    assert not Publication.objects.exists()
