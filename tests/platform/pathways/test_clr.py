"""Learner records and pathways: a pathway's record nests its components whoever issued them,
and the record a learner downloads carries the pathways their awards are components of."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from microcred.awards import services as awards
from microcred.awards.models import LearnerRecord
from microcred.catalogue import services as catalogue
from microcred.errors import InvalidInput
from microcred.pathways import services
from tests.platform.awards.factories import issue, make_issuer
from tests.platform.awards.test_clr import verify_with_cli
from tests.platform.pathways.factories import all_of, make_world


def associations(record: Any) -> set[tuple[str, str, str]]:
    subject = json.loads(record.signed_credential)["credentialSubject"]
    return {
        (item["sourceId"], item["associationType"], item["targetId"])
        for item in subject.get("association", [])
    }


def world_with_another_issuer():
    """A pathway over two of its organisation's versions and one of another organisation."""
    world = make_world(publish=False)
    _, other_registrar, other_version = make_issuer(name="Institute of Professional Learning")
    services.update_pathway(
        actor=world.designer,
        pathway=world.pathway,
        rules=all_of(world.versions[0], world.versions[1], other_version),
    )
    services.publish_pathway(actor=world.designer, pathway=world.pathway)
    return world, other_registrar, other_version


def test_a_pathway_record_nests_components_of_every_issuer_each_verifying(tmp_path: Path) -> None:
    world, other_registrar, other_version = world_with_another_issuer()
    learner = world.learner(holds=2)
    other_award = issue(
        other_registrar, other_version, learner_email=learner.email, learner=learner
    )
    stacked = services.request_stacked_credential(
        actor=learner, pathway=world.pathway, learner=learner
    )
    assert stacked.status == "issued"
    record = services.issue_pathway_clr(
        actor=world.registrar, pathway=world.pathway, learner=learner
    )
    nested = awards.get_record_awards(record)
    assert len(nested) == 4 and other_award in nested
    assert not record.partial
    report = awards.verify_learner_record(record)
    assert report.verified
    assert len(report.nested) == 4 and all(inner.verified for inner in report.nested)
    issuers = {inner.issuer for inner in report.nested}
    assert len(issuers) == 2
    target = catalogue.achievement_id(world.target)
    other = catalogue.achievement_id(other_version)
    assert (other, "isChildOf", target) in associations(record)
    assert (target, "isParentOf", other) in associations(record)
    exit_code, output = verify_with_cli(record, tmp_path)
    assert exit_code == 0, output


def test_a_revoked_component_of_another_issuer_is_left_out_of_the_record() -> None:
    world, other_registrar, other_version = world_with_another_issuer()
    learner = world.learner(holds=2)
    other_award = issue(
        other_registrar, other_version, learner_email=learner.email, learner=learner
    )
    services.request_stacked_credential(actor=learner, pathway=world.pathway, learner=learner)
    awards.revoke_award(actor=other_registrar, award=other_award, reason="Plagiarism found.")
    record = services.issue_pathway_clr(
        actor=world.registrar, pathway=world.pathway, learner=learner
    )
    assert other_award not in awards.get_record_awards(record)
    assert awards.verify_learner_record(record).verified


def test_an_award_of_another_issuer_is_refused_in_an_ordinary_record() -> None:
    world, other_registrar, other_version = world_with_another_issuer()
    learner = world.learner(holds=1)
    other_award = issue(
        other_registrar, other_version, learner_email=learner.email, learner=learner
    )
    with pytest.raises(InvalidInput) as caught:
        awards.issue_clr(
            actor=world.registrar,
            organisation=world.organisation,
            learner=learner,
            awards=[other_award],
        )
    assert caught.value.field == "awards[0]"
    assert "was issued by another organisation" in caught.value.message


def test_a_downloaded_record_carries_the_pathways_of_its_awards(client, tmp_path: Path) -> None:
    world = make_world()
    learner = world.learner(holds=2)
    client.force_login(learner)
    response = client.get(f"/me/records/{world.organisation.slug}")
    assert response.status_code == 200
    [record] = LearnerRecord.objects.filter(learner=learner)
    target = catalogue.achievement_id(world.target)
    held = [catalogue.achievement_id(version) for version in world.versions[:2]]
    assert associations(record) == {
        *((achievement, "isChildOf", target) for achievement in held),
        *((target, "isParentOf", achievement) for achievement in held),
    }
    # The goal not reached yet is in the record, so every association resolves.
    subject = json.loads(record.signed_credential)["credentialSubject"]
    assert [achievement["id"] for achievement in subject["achievement"]] == [target]
    assert awards.verify_learner_record(record).verified
    exit_code, output = verify_with_cli(record, tmp_path)
    assert exit_code == 0, output
    # Downloading again with nothing changed gives the same record.
    client.get(f"/me/records/{world.organisation.slug}")
    assert LearnerRecord.objects.filter(learner=learner).count() == 1
    # Once the stacked credential is held, the goal is nested, not named apart.
    world.award(learner, world.versions[2])
    services.request_stacked_credential(actor=learner, pathway=world.pathway, learner=learner)
    client.get(f"/me/records/{world.organisation.slug}")
    latest = LearnerRecord.objects.filter(learner=learner).order_by("-created_at", "-pk").first()
    assert latest is not None and latest.pk != record.pk
    assert len(associations(latest)) == 6
    assert "achievement" not in json.loads(latest.signed_credential)["credentialSubject"]


def test_a_downloaded_record_without_pathways_carries_no_associations(client) -> None:
    _, registrar, version = make_issuer()
    world = make_world()
    learner = world.learner()
    issue(registrar, version, learner_email=learner.email, learner=learner)
    client.force_login(learner)
    response = client.get(f"/me/records/{version.microcredential.organisation.slug}")
    assert response.status_code == 200
    assert "association" not in json.loads(response.content)["credentialSubject"]


def test_a_record_page_shows_each_credential_verified_and_the_associations(client) -> None:
    world, other_registrar, other_version = world_with_another_issuer()
    learner = world.learner(holds=2)
    issue(other_registrar, other_version, learner_email=learner.email, learner=learner)
    services.request_stacked_credential(actor=learner, pathway=world.pathway, learner=learner)
    record = services.issue_pathway_clr(
        actor=world.registrar, pathway=world.pathway, learner=learner
    )
    path = f"/records/{record.uuid}"
    page = client.get(path, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    html = page.content.decode()
    assert html.count('class="nested-credential" data-verified="true"') == 4
    for version in (*world.versions[:2], other_version, world.target):
        assert version.title in html
    assert "Institute of Professional Learning" in html
    assert html.count('class="association"') == 6
    assert "isChildOf" in html and "isParentOf" in html
    assert f'href="/records/{record.uuid}.json"' in html
    # Machines still get the signed record: by default, by asking for JSON, or by the link.
    for accept in ("*/*", "application/json", "application/ld+json"):
        response = client.get(path, HTTP_ACCEPT=accept)
        assert response.content.decode() == record.signed_credential, accept
        assert response["Content-Type"].startswith(accept.replace("*/*", "application/json"))
    download = client.get(f"{path}.json", HTTP_ACCEPT="text/html")
    assert download["Content-Type"].startswith("application/json")
    assert download.content.decode() == record.signed_credential


def test_a_tampered_record_shows_as_not_verified(client) -> None:
    world = make_world()
    learner = world.learner(holds=1)
    client.force_login(learner)
    client.get(f"/me/records/{world.organisation.slug}")
    [record] = LearnerRecord.objects.filter(learner=learner)
    document = json.loads(record.signed_credential)
    document["name"] = "Learner record of somebody grander"
    LearnerRecord.objects.filter(pk=record.pk).update(signed_credential=json.dumps(document))
    client.logout()
    html = client.get(f"/records/{record.uuid}", HTTP_ACCEPT="text/html").content.decode()
    assert 'data-verified="false"' in html
    assert "Not verified" in html


def test_an_unknown_record_page_is_not_found(client) -> None:
    missing = "/records/00000000-0000-4000-8000-000000000000"
    assert client.get(missing, HTTP_ACCEPT="text/html").status_code == 404
    assert client.get(f"{missing}.json").status_code == 404
