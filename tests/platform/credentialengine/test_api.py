"""Publishing to Credential Engine through the API, against the stand-in registry."""

from __future__ import annotations

import socket

from django.test import Client

from microcred.credentialengine.models import Publication
from microcred.organisations.models import Role
from tests.platform.api import Api
from tests.platform.catalogue.factories import make_published
from tests.platform.credentialengine.registry import API_KEY, PATH, Registry
from tests.platform.factories import add_member, make_user


def a_designer(client: Client) -> tuple[str, Api]:
    organisation = make_published(title="Classroom assessment").microcredential.organisation
    designer = add_member(organisation, make_user(password=None), Role.DESIGNER)
    return organisation.slug, Api(client, designer)


def test_publishing_answers_with_the_registrys_envelope(client: Client, registry: Registry) -> None:
    slug, api = a_designer(client)
    path = f"/orgs/{slug}/credential-engine/publications"
    response = api("POST", path)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["successful"] is True and body["http_status"] == 200
    assert body["reply"]["Successful"] is True
    assert body["envelope"] == body["reply"]["RegistryEnvelopeIdentifier"]

    registry.refuse = ["ceterms:name is required."]
    refused = api("POST", path).json()
    assert (refused["successful"], refused["messages"]) == (False, ["ceterms:name is required."])
    listed = api("GET", path).json()
    assert [item["successful"] for item in listed] == [False, True]


def test_an_unreachable_or_unconfigured_registry_records_nothing(client: Client, settings) -> None:
    slug, api = a_designer(client)
    path = f"/orgs/{slug}/credential-engine/publications"
    response = api("POST", path)
    assert response.status_code == 503
    assert response.json()["code"] == "registry.not_configured"

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.CTDL_REGISTRY_URL = f"http://127.0.0.1:{port}{PATH}"
    settings.CTDL_API_KEY = API_KEY
    response = api("POST", path)
    assert response.status_code == 502
    assert response.json()["code"] == "registry.unreachable"
    assert response.json()["field"] == "registry"
    assert not Publication.objects.exists()
