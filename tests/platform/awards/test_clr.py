"""Learner records: CLR 2.0 ClrCredentials that nest a learner's signed awards, each of which
still verifies on its own; issued by registrars, downloaded by learners."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.audit.models import AuditEvent
from microcred.awards import services
from microcred.awards.models import Award, LearnerRecord, RecordOrigin
from microcred.catalogue import services as catalogue
from microcred.cli import app
from microcred.errors import Forbidden, InvalidInput, NotFound
from microcred.organisations.models import Role
from microcred.vc import LocalFetcher, verify
from tests.ob3_schema import issued_document, schema_errors
from tests.platform.api import Api
from tests.platform.awards.factories import issue, make_issuer, make_version
from tests.platform.awards.verifying import published_documents
from tests.platform.factories import add_member, make_user


@pytest.fixture
def world() -> dict[str, Any]:
    """An organisation, its registrar, a learner with two awards (one a VC-JWT), and another
    learner with one."""
    organisation, registrar, version = make_issuer()
    second = make_version(organisation)
    learner = make_user(first_name="Ada", last_name="Lovelace")
    other = make_user()
    return {
        "organisation": organisation,
        "registrar": registrar,
        "learner": learner,
        "other": other,
        "awards": [
            issue(registrar, version, learner_email=learner.email, learner=learner),
            issue(registrar, second, learner_email=learner.email, format="jwt"),
        ],
        "other_award": issue(registrar, version, learner_email=other.email),
    }


def achievement_id(award: Any) -> str:
    return services.get_credential_document(award)["credentialSubject"]["achievement"]["id"]


def issue_record(world: dict[str, Any], **arguments: Any) -> LearnerRecord:
    arguments.setdefault("awards", world["awards"])
    return services.issue_clr(
        actor=world["registrar"],
        organisation=world["organisation"],
        learner=world["learner"],
        **arguments,
    )


def document(record: LearnerRecord) -> dict[str, Any]:
    return json.loads(record.signed_credential)


def record_documents(record: LearnerRecord) -> dict[str, bytes]:
    """Return what a verifier fetches for the record: the documents of every nested award."""
    documents: dict[str, bytes] = {}
    for award in record.awards.all():
        documents.update(published_documents(award))
    return documents


def verify_with_cli(record: LearnerRecord, folder: Path, *options: str) -> tuple[int, str]:
    """Run ``microcred verify`` on the stored record with ``--document`` files."""
    credential = folder / "record.json"
    credential.write_text(record.signed_credential)
    arguments = ["verify", str(credential), *options]
    for number, (url, content) in enumerate(record_documents(record).items()):
        path = folder / f"document-{number}.json"
        path.write_bytes(content)
        arguments += ["--document", f"{url}={path}"]
    result = CliRunner().invoke(app, arguments)
    return result.exit_code, result.stdout


# -- issuing -----------------------------------------------------------------------------------


def test_a_record_nests_the_signed_awards_unchanged_and_verifies_with_the_command_line(
    world: dict[str, Any], tmp_path: Path
) -> None:
    record = issue_record(world)
    credential = document(record)

    assert credential["type"] == ["VerifiableCredential", "ClrCredential"]
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == f"https://microcred.test/records/{record.uuid}"
    assert credential["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert credential["partial"] is False
    ldp, jwt = world["awards"]
    nested = credential["credentialSubject"]["verifiableCredential"]
    assert nested[0] == json.loads(ldp.signed_credential)
    assert nested[1]["type"] == "EnvelopedVerifiableCredential"
    assert nested[1]["id"] == f"data:application/vc+jwt,{jwt.signed_credential}"
    assert set(record.awards.all()) == set(world["awards"])

    exit_code, output = verify_with_cli(record, tmp_path, "--json")
    [report] = [json.loads(line) for line in output.splitlines() if line.strip()]
    assert exit_code == 0 and report["verified"], report
    assert [inner["verified"] for inner in report["nested"]] == [True, True]
    assert [inner["source"] for inner in report["nested"]] == [
        "$.credentialSubject.verifiableCredential[0]",
        "$.credentialSubject.verifiableCredential[1]",
    ]
    for inner in report["nested"]:
        checks = {check["id"]: check["status"] for check in inner["checks"]}
        assert checks["proof.signature"] == checks["issuer.key"] == "passed", inner
        assert checks["status.suspension"] == checks["validity.expired"] == "passed", inner

    exit_code, output = verify_with_cli(record, tmp_path)
    assert exit_code == 0
    assert output.count("VERIFIED") == 3 and "NOT VERIFIED" not in output
    assert "at:      $.credentialSubject.verifiableCredential[1]" in output


def test_nested_credentials_still_pass_the_open_badges_schema(world: dict[str, Any]) -> None:
    record = issue_record(world)
    nested = document(record)["credentialSubject"]["verifiableCredential"]
    jwt = nested[1]["id"].removeprefix("data:application/vc+jwt,")
    for credential in (nested[0], issued_document(jwt)):
        assert schema_errors(credential) == []


def test_the_learner_is_named_and_identified_by_a_hashed_email(world: dict[str, Any]) -> None:
    subject = document(issue_record(world))["credentialSubject"]
    email, name = subject["identifier"]
    assert email["identityType"] == "emailAddress" and email["hashed"] is True
    assert world["learner"].email not in json.dumps(email)
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Ada Lovelace",
    }


def test_associations_express_a_pathway_with_its_goal_achievement(world: dict[str, Any]) -> None:
    first, second = (achievement_id(award) for award in world["awards"])
    goal = catalogue.get_achievement(make_version(world["organisation"]))
    record = issue_record(
        world,
        achievements=[goal],
        associations=[
            services.ClrAssociation(first, goal["id"], "isChildOf"),
            services.ClrAssociation(second, goal["id"], "isChildOf"),
            services.ClrAssociation(first, second, "precedes"),
        ],
    )
    subject = document(record)["credentialSubject"]
    assert subject["achievement"] == [goal]
    assert subject["association"] == [
        {
            "type": "Association",
            "associationType": "isChildOf",
            "sourceId": first,
            "targetId": goal["id"],
        },
        {
            "type": "Association",
            "associationType": "isChildOf",
            "sourceId": second,
            "targetId": goal["id"],
        },
        {
            "type": "Association",
            "associationType": "precedes",
            "sourceId": first,
            "targetId": second,
        },
    ]
    assert services.verify_learner_record(record).verified


def test_a_record_of_some_awards_is_partial(world: dict[str, Any]) -> None:
    record = issue_record(world, awards=world["awards"][:1])
    assert record.partial and document(record)["partial"] is True


def test_issuing_writes_an_audit_event(world: dict[str, Any]) -> None:
    record = issue_record(world)
    event = AuditEvent.objects.get(action="clr.issue")
    assert (event.target_type, event.organisation, event.actor) == (
        "LearnerRecord",
        world["organisation"],
        world["registrar"],
    )
    assert event.target_id in (str(record.pk), str(record.uuid))
    assert event.data["awards"] == [str(award.uuid) for award in world["awards"]]
    assert event.data["origin"] == RecordOrigin.ISSUED


# -- what a record refuses ---------------------------------------------------------------------


def revoked(world: dict[str, Any]) -> list[Any]:
    services.revoke_award(actor=world["registrar"], award=world["awards"][0], reason="Fraud.")
    return world["awards"]


def suspended(world: dict[str, Any]) -> list[Any]:
    services.suspend_award(actor=world["registrar"], award=world["awards"][0], reason="Appeal.")
    return world["awards"]


def expired(world: dict[str, Any]) -> list[Any]:
    """An award whose validity ended (set in the database: signing in the past is refused)."""
    award = world["awards"][0]
    Award.objects.filter(pk=award.pk).update(valid_until=datetime.now(UTC) - timedelta(days=1))
    return world["awards"]


def of_another_organisation(world: dict[str, Any]) -> list[Any]:
    _, registrar, version = make_issuer()
    return [issue(registrar, version, learner_email=world["learner"].email)]


@pytest.mark.parametrize(
    ("awards", "code", "field", "says"),
    [
        (lambda world: [], "clr.no_awards", "awards", "at least one"),
        (lambda world: [world["other_award"]], "clr.award_not_valid", "awards[0]", "not issued to"),
        (revoked, "clr.award_not_valid", "awards[0]", "is revoked"),
        (suspended, "clr.award_not_valid", "awards[0]", "is suspended"),
        (expired, "clr.award_not_valid", "awards[0]", "expired on"),
        (of_another_organisation, "clr.award_not_valid", "awards[0]", "another organisation"),
        (
            lambda world: [world["awards"][1], world["awards"][1]],
            "clr.award_repeated",
            "awards[1]",
            "given twice",
        ),
    ],
)
def test_only_valid_awards_of_the_learner_go_in(
    world: dict[str, Any], awards: Any, code: str, field: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as raised:
        issue_record(world, awards=awards(world))
    assert (raised.value.code, raised.value.field) == (code, field)
    assert says in raised.value.message
    assert not LearnerRecord.objects.exists()


@pytest.mark.parametrize(
    ("association", "field"),
    [
        (("{first}", "{second}", "contains"), "associations[0].associationType"),
        (
            ("{first}", "https://elsewhere.example/achievement", "isPartOf"),
            "associations[0].targetId",
        ),
        (("not a uri", "{second}", "isPartOf"), "associations[0].sourceId"),
    ],
)
def test_associations_that_cannot_be_shown_are_refused_naming_the_field(
    world: dict[str, Any], association: tuple[str, str, str], field: str
) -> None:
    ids = {
        "first": achievement_id(world["awards"][0]),
        "second": achievement_id(world["awards"][1]),
    }
    source, target, kind = (part.format(**ids) for part in association)
    with pytest.raises(InvalidInput) as raised:
        issue_record(world, associations=[services.ClrAssociation(source, target, kind)])
    assert raised.value.field == field, raised.value.message
    assert not LearnerRecord.objects.exists()


@pytest.mark.parametrize(("role", "error"), [(Role.ASSESSOR, Forbidden), (None, NotFound)])
def test_only_a_registrar_of_the_organisation_issues(
    world: dict[str, Any], role: str | None, error: type[Exception]
) -> None:
    someone = make_user()
    if role:
        add_member(world["organisation"], someone, role)
    with pytest.raises(error):
        services.issue_clr(
            actor=someone,
            organisation=world["organisation"],
            learner=world["learner"],
            awards=world["awards"],
        )
    assert not LearnerRecord.objects.exists()
    assert not AuditEvent.objects.filter(action="clr.issue").exists()


# -- verifying what was issued -----------------------------------------------------------------


def test_a_revoked_nested_award_fails_its_status_check(world: dict[str, Any]) -> None:
    record = issue_record(world)
    revoked(world)
    report = services.verify_learner_record(record)
    assert not report.verified
    [inner, _] = report.nested
    assert [c.status for c in inner.checks_with("status.suspension")] == ["failed"]
    assert [c.status for c in report.checks_with("clr.nested")] == ["failed"]
    assert report.checks_with("proof.signature")[0].status == "passed"


def test_a_tampered_nested_credential_fails_even_when_the_record_is_signed_again(
    world: dict[str, Any],
) -> None:
    """A record re-signed around an altered credential: its own proof holds, the nested one not."""
    from microcred.organisations import services as organisations
    from microcred.vc import sign

    credential = document(issue_record(world))
    credential.pop("proof")
    nested = credential["credentialSubject"]["verifiableCredential"][0]
    nested["credentialSubject"]["achievement"]["name"] = "Brain Surgery"
    key, method = organisations.get_signer(world["organisation"])
    resigned = sign(credential, key=key, verification_method=method)
    fetcher = organisations.get_platform_fetcher(fallback=LocalFetcher({}))
    [report] = verify(json.dumps(resigned), fetcher=fetcher)
    assert report.checks_with("proof.signature")[0].status == "passed"
    assert not report.verified
    assert [c.status for c in report.nested[0].checks_with("proof.signature")] == ["failed"]
    assert report.nested[1].verified


# -- the learner's own download ----------------------------------------------------------------


def test_the_learner_downloads_a_record_of_all_their_valid_awards_and_it_is_reused(
    world: dict[str, Any],
) -> None:
    record = services.learner_clr(actor=world["learner"], organisation=world["organisation"])
    assert record.origin == RecordOrigin.DOWNLOADED and not record.partial
    assert set(record.awards.all()) == set(world["awards"])
    assert services.verify_learner_record(record).verified

    again = services.learner_clr(actor=world["learner"], organisation=world["organisation"])
    assert again.pk == record.pk
    assert AuditEvent.objects.filter(action="clr.issue").count() == 1

    revoked(world)
    fresh = services.learner_clr(actor=world["learner"], organisation=world["organisation"])
    assert fresh.pk != record.pk
    assert list(fresh.awards.all()) == [world["awards"][1]]


def test_a_learner_gets_only_their_own_awards(world: dict[str, Any]) -> None:
    record = services.learner_clr(actor=world["other"], organisation=world["organisation"])
    assert list(record.awards.all()) == [world["other_award"]]
    stranger = make_user()
    with pytest.raises(NotFound):
        services.learner_clr(actor=stranger, organisation=world["organisation"])


# -- API -----------------------------------------------------------------------------------------


def test_a_registrar_issues_through_the_api(client, world: dict[str, Any]) -> None:
    first, second = (achievement_id(award) for award in world["awards"])
    body = {
        "learner": world["learner"].email.upper(),
        "awards": [str(award.uuid) for award in world["awards"]],
        "associations": [{"sourceId": first, "targetId": second, "associationType": "precedes"}],
    }
    response = Api(client, world["registrar"])(
        "POST", f"/orgs/{world['organisation'].slug}/clr", body
    )
    assert response.status_code == 201, response.content
    answer = response.json()
    record = services.get_learner_record(answer["uuid"])
    assert answer["credential"] == document(record)
    assert answer["awards"] == [str(award.uuid) for award in world["awards"]]
    assert answer["url"] == f"https://microcred.test/records/{record.uuid}"

    public = client.get(f"/records/{record.uuid}")
    assert public.status_code == 200 and public["Content-Type"].startswith("application/json")
    assert public.content.decode() == record.signed_credential


def test_the_api_takes_a_goal_achievement_for_the_associations(
    client, world: dict[str, Any]
) -> None:
    goal = make_version(world["organisation"])
    goal_id = catalogue.get_achievement(goal)["id"]
    body = {
        "learner": world["learner"].username,
        "awards": [str(world["awards"][0].uuid)],
        "achievements": [str(goal.achievement_uuid)],
        "associations": [
            {
                "sourceId": achievement_id(world["awards"][0]),
                "targetId": goal_id,
                "associationType": "isChildOf",
            }
        ],
    }
    path = f"/orgs/{world['organisation'].slug}/clr"
    response = Api(client, world["registrar"])("POST", path, body)
    assert response.status_code == 201, response.content
    subject = response.json()["credential"]["credentialSubject"]
    assert [achievement["id"] for achievement in subject["achievement"]] == [goal_id]
    assert subject["association"][0]["targetId"] == goal_id


@pytest.mark.parametrize(
    ("changes", "status", "field"),
    [
        ({"learner": "nobody@example.org"}, 422, "learner"),
        ({"awards": ["8c1a7a4e-6f0e-4f4e-9d7e-000000000000"]}, 422, "awards[0]"),
        ({"awards": []}, 422, "awards"),
        ({"achievements": ["8c1a7a4e-6f0e-4f4e-9d7e-000000000000"]}, 422, "achievements[0]"),
        ({"awards": ["not-a-uuid"]}, 422, "awards.0"),
        (
            {
                "associations": [
                    {"sourceId": "urn:x:a", "targetId": "urn:x:b", "associationType": "isPartOf"}
                ]
            },
            422,
            "associations[0].sourceId",
        ),
        ({"associations": [{"sourceId": "urn:x:a"}]}, 422, "associations.0.targetId"),
    ],
)
def test_api_errors_name_the_field(
    client, world: dict[str, Any], changes: dict[str, Any], status: int, field: str
) -> None:
    body = {"learner": world["learner"].username, "awards": [str(world["awards"][0].uuid)]}
    body.update(changes)
    response = Api(client, world["registrar"])(
        "POST", f"/orgs/{world['organisation'].slug}/clr", body
    )
    assert response.status_code == status, response.content
    error = response.json()
    assert {"code", "message", "field", "data"} <= set(error)
    assert error["field"] == field, error
    assert not LearnerRecord.objects.exists()


def test_a_learner_gets_their_own_record_through_the_api(client, world: dict[str, Any]) -> None:
    path = f"/orgs/{world['organisation'].slug}/clr"
    response = Api(client, world["learner"])("GET", path)
    assert response.status_code == 200, response.content
    assert response.json()["awards"] == [str(award.uuid) for award in world["awards"]]
    assert response.json()["origin"] == "downloaded"
    other = Api(client, world["other"])("GET", path).json()
    assert other["awards"] == [str(world["other_award"].uuid)]


# -- pages ---------------------------------------------------------------------------------------


def test_the_learner_dashboard_offers_the_download(client, world: dict[str, Any]) -> None:
    client.force_login(world["learner"])
    page = client.get("/me/").content.decode()
    download = f"/me/records/{world['organisation'].slug}"
    assert "Download my learner record (CLR)" in page and download in page
    response = client.get(download)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    [record] = LearnerRecord.objects.all()
    assert response.content.decode() == record.signed_credential


def test_a_learner_without_awards_is_offered_no_record(client) -> None:
    client.force_login(make_user())
    assert "Download my learner record" not in client.get("/me/").content.decode()


def test_a_registrar_issues_a_record_on_the_studio_pages(client, world: dict[str, Any]) -> None:
    slug = world["organisation"].slug
    client.force_login(world["registrar"])
    assert "Issue a learner record" in client.get(f"/studio/orgs/{slug}/awards/").content.decode()
    path = f"/studio/orgs/{slug}/awards/records/issue"
    assert client.get(path, {"learner": "nobody"}).status_code == 400
    chooser = client.get(path, {"learner": world["learner"].username})
    assert chooser.status_code == 200
    for award in world["awards"]:
        assert str(award.uuid) in chooser.content.decode()
    chosen = {"learner": world["learner"].username, "awards": [str(world["awards"][1].uuid)]}
    response = client.post(path, chosen)
    assert response.status_code == 302, response.content
    [record] = LearnerRecord.objects.all()
    assert record.partial and list(record.awards.all()) == [world["awards"][1]]
    listing = client.get(response["Location"]).content.decode()
    assert services.learner_record_url(record) in listing


def test_the_studio_refuses_another_learners_award_with_the_reason(
    client, world: dict[str, Any]
) -> None:
    slug = world["organisation"].slug
    client.force_login(world["registrar"])
    chosen = {"learner": world["learner"].username, "awards": [str(world["other_award"].uuid)]}
    response = client.post(f"/studio/orgs/{slug}/awards/records/issue", chosen, follow=True)
    assert "was not issued to this learner" in response.content.decode()
    assert not LearnerRecord.objects.exists()
