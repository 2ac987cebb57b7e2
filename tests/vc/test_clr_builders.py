"""CLR 2.0 builders: each object checked where it is built, errors naming the field; a built
ClrCredential signs and verifies with every nested credential verified on its own."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from microcred.cli import app
from microcred.vc import ClrValueError, Ed25519Multikey, LocalFetcher, sign, verify
from microcred.vc import clr_builders as clr
from microcred.vc.clr import validate_clr
from microcred.vc.report import CheckStatus, VerificationReport
from microcred.vc.statuslist import StatusList, build_status_list_credential, status_entry
from tests import conformance
from tests.factories import FIXED_NOW, signed_credential

# The achievement of tests.factories' credentials (the verification samples').
BADGE = "urn:uuid:4f6f8e53-4d3b-4b36-9c59-7d3a5c1f0a11"
GOAL = "urn:uuid:0c9c1b5e-2f43-4a8e-9f2e-6a1d1e2b3c4d"
LIST_URL = "https://issuer.example/status/1"


@pytest.fixture
def key() -> Ed25519Multikey:
    return Ed25519Multikey.generate()


def goal() -> dict[str, Any]:
    return {
        "id": GOAL,
        "type": ["Achievement"],
        "name": "Certificate in Assessment",
        "description": "The programme the module belongs to.",
        "criteria": {"narrative": "Complete every module."},
    }


def build_clr(key: Ed25519Multikey, *nested: Any, **subject: Any) -> dict[str, Any]:
    """Return an unsigned ClrCredential by ``key``'s did:key around ``nested`` credentials."""
    subject.setdefault("id", "did:example:learner")
    subject.setdefault("achievements", [goal()])
    subject.setdefault(
        "associations",
        [clr.build_association(association_type="isChildOf", source_id=BADGE, target_id=GOAL)],
    )
    return clr.build_clr_credential(
        id="urn:uuid:5b8f3f0e-0d0e-4b9c-8a57-1b2c3d4e5f60",
        name="Learner record",
        issuer={"id": key.public.did_key, "type": ["Profile"], "name": "Demo Institute"},
        subject=clr.build_clr_subject(
            verifiable_credentials=list(nested or [signed_credential(key)]), **subject
        ),
        valid_from=FIXED_NOW - timedelta(hours=1),
        partial=False,
    )


def check_statuses(report: VerificationReport, check_id: str) -> list[CheckStatus]:
    return [check.status for check in report.checks_with(check_id)]


# -- building --------------------------------------------------------------------------------


def test_a_built_clr_is_clean_clr_2_and_holds_the_credentials_unchanged(key) -> None:
    badge = signed_credential(key)
    credential = build_clr(key, copy.deepcopy(badge))
    assert validate_clr(credential) == []
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "ClrCredential"]
    assert credential["partial"] is False
    subject = credential["credentialSubject"]
    assert subject["type"] == "ClrSubject"
    assert subject["verifiableCredential"] == [badge]
    assert subject["association"] == [
        {"type": "Association", "associationType": "isChildOf", "sourceId": BADGE, "targetId": GOAL}
    ]


def test_a_vc_jwt_goes_in_enveloped_and_its_achievement_resolves(key) -> None:
    token = signed_credential(key, suite="vc-jwt")
    enveloped = clr.build_enveloped_credential(token)
    assert enveloped == {
        "@context": "https://www.w3.org/ns/credentials/v2",
        "id": f"data:application/vc+jwt,{token}",
        "type": "EnvelopedVerifiableCredential",
    }
    assert validate_clr(build_clr(key, enveloped)) == []


@pytest.mark.parametrize(
    ("build", "code", "field"),
    [
        (
            lambda: clr.build_association(
                association_type="contains", source_id=BADGE, target_id=GOAL
            ),
            "clr.associationType.unknown",
            "$.associationType",
        ),
        (
            lambda: clr.build_association(
                association_type="isPartOf", source_id="a badge", target_id=GOAL
            ),
            "clr.not_uri",
            "$.sourceId",
        ),
        (lambda: clr.build_enveloped_credential("not.a-jws"), "clr.not_jws", "$.id"),
        (
            lambda: clr.build_clr_subject(verifiable_credentials=[]),
            "clr.required",
            "$.verifiableCredential",
        ),
        (
            lambda: clr.build_clr_subject(verifiable_credentials=[42]),
            "clr.not_credential",
            "$.verifiableCredential[0]",
        ),
        (
            lambda: clr.build_clr_subject(
                verifiable_credentials=[{"type": "VerifiableCredential"}],
                achievements=[{**goal(), "criteria": None}],
            ),
            "clr.not_object",
            "$.achievement[0].criteria",
        ),
        (
            lambda: clr.build_clr_subject(
                verifiable_credentials=[{"credentialSubject": {"achievement": {"id": BADGE}}}],
                achievements=[goal()],
                associations=[
                    clr.build_association(
                        association_type="precedes", source_id=GOAL, target_id="urn:uuid:nowhere"
                    )
                ],
            ),
            "clr.association.unresolved",
            "$.association[0].targetId",
        ),
    ],
)
def test_each_bad_value_is_refused_naming_the_field(build: Any, code: str, field: str) -> None:
    with pytest.raises(ClrValueError) as raised:
        build()
    assert (raised.value.code, raised.value.field) == (code, field), raised.value.message


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"id": "not a uri"}, "datamodel.id.invalid", "$.id"),
        ({"issuer": 42}, "datamodel.issuer.invalid", "$.issuer"),
    ],
)
def test_the_credential_refuses_bad_values_naming_the_field(
    key, changes: dict[str, Any], code: str, field: str
) -> None:
    arguments = {
        "id": "urn:uuid:5b8f3f0e-0d0e-4b9c-8a57-1b2c3d4e5f60",
        "name": "Learner record",
        "issuer": key.public.did_key,
        "subject": clr.build_clr_subject(verifiable_credentials=[signed_credential(key)]),
        "valid_from": FIXED_NOW,
        **changes,
    }
    with pytest.raises(ClrValueError) as raised:
        clr.build_clr_credential(**arguments)
    assert (raised.value.code, raised.value.field) == (code, field), raised.value.message


# -- signing and verifying ---------------------------------------------------------------------


def test_a_signed_clr_verifies_with_every_nested_credential(key) -> None:
    nested = [
        signed_credential(key),
        clr.build_enveloped_credential(signed_credential(key, suite="vc-jwt")),
    ]
    signed = sign(build_clr(key, *nested), key=key, created=FIXED_NOW)
    [report] = verify(signed, now=FIXED_NOW)
    assert report.verified, [check.as_dict() for check in report.failures]
    assert [inner.verified for inner in report.nested] == [True, True]
    assert [inner.format for inner in report.nested] == [
        "OpenBadgeCredential (JSON)",
        "OpenBadgeCredential (VC-JWT)",
    ]
    assert "every credential inside it verifies" in report.summary


def test_the_command_line_lists_every_nested_credential(key, tmp_path: Path) -> None:
    signed = sign(build_clr(key, signed_credential(key), signed_credential(key)), key=key)
    path = tmp_path / "clr.json"
    path.write_text(json.dumps(signed))

    result = CliRunner().invoke(app, ["verify", str(path), "--offline", "--json"])
    assert result.exit_code == 0, result.stdout
    report = json.loads(result.stdout)
    assert report["verified"] and [inner["verified"] for inner in report["nested"]] == [True, True]
    clr_checks = {check["id"]: check["status"] for check in report["checks"]}
    assert clr_checks["clr.nested"] == "passed"

    result = CliRunner().invoke(app, ["verify", str(path), "--offline"])
    assert result.exit_code == 0
    assert result.stdout.count("VERIFIED") == 3
    assert f"issuer:  Demo Institute ({key.public.did_key})" in result.stdout
    assert "at:      $.credentialSubject.verifiableCredential[1]" in result.stdout


def test_a_tampered_nested_credential_fails_though_the_clr_is_signed_around_it(key) -> None:
    badge = signed_credential(key)
    badge["credentialSubject"]["achievement"]["name"] = "Brain Surgery"
    signed = sign(build_clr(key, badge), key=key, created=FIXED_NOW)
    [report] = verify(signed, now=FIXED_NOW)
    assert check_statuses(report, "proof.signature") == [CheckStatus.PASSED]
    assert check_statuses(report.nested[0], "proof.signature") == [CheckStatus.FAILED]
    assert check_statuses(report, "clr.nested") == [CheckStatus.FAILED]
    assert not report.verified


def test_a_revoked_nested_credential_fails_its_status_check(key) -> None:
    status_list = StatusList(purpose="revocation")
    status_list.set(3)
    list_credential = sign(
        build_status_list_credential(
            id=LIST_URL,
            issuer=key.public.did_key,
            purpose="revocation",
            status_list=status_list,
            valid_from=FIXED_NOW - timedelta(days=1),
        ),
        key=key,
        created=FIXED_NOW,
    )
    nested = [
        signed_credential(
            key,
            credentialStatus=status_entry(
                list_credential_url=LIST_URL, index=index, purpose="revocation"
            ),
        )
        for index in (3, 4)
    ]
    signed = sign(build_clr(key, *nested), key=key, created=FIXED_NOW)
    [report] = verify(signed, fetcher=LocalFetcher({LIST_URL: list_credential}), now=FIXED_NOW)
    assert [check_statuses(inner, "status.revocation") for inner in report.nested] == [
        [CheckStatus.FAILED],
        [CheckStatus.PASSED],
    ]
    assert not report.verified


def test_an_expired_nested_credential_fails_its_dates(key) -> None:
    expired = signed_credential(key, validUntil="2026-11-01T00:00:00Z")
    signed = sign(build_clr(key, expired), key=key, created=FIXED_NOW)
    [report] = verify(signed, now=FIXED_NOW)
    assert check_statuses(report.nested[0], "validity.expired") == [CheckStatus.FAILED]
    assert not report.verified


# -- the 1EdTech fixtures ----------------------------------------------------------------------

NOW = conformance.CONFORMANCE_NOW


@pytest.mark.parametrize(
    ("parts", "nested"),
    [
        (("1edtech-validator", "clr20", "simple.json"), 1),
        (("1edtech-validator", "clr20", "simple_v1.json"), 6),
        (("ob3-impl-guide", "clrv2p0", "signed-credential.json"), 1),
    ],
)
def test_the_1edtech_clrs_verify_with_every_nested_credential_listed(
    parts: tuple[str, ...], nested: int
) -> None:
    data = conformance.path(*parts).read_bytes()
    [report] = verify(
        data,
        fetcher=LocalFetcher(conformance.onedtech_documents()),
        loader=conformance.supplied_loader(),
        now=_now(),
    )
    assert report.verified, [check.as_dict() for check in report.failures]
    assert [inner.verified for inner in report.nested] == [True] * nested
    assert [inner.source for inner in report.nested] == [
        f"$.credentialSubject.verifiableCredential[{index}]" for index in range(nested)
    ]


def test_the_1edtech_clr_without_proof_is_not_verified() -> None:
    data = conformance.path("1edtech-validator", "clr20", "simple-noproof.json").read_bytes()
    [report] = verify(data, loader=conformance.supplied_loader(), now=_now())
    assert not report.verified
    assert check_statuses(report, "clr.nested") == [CheckStatus.FAILED]


def _now() -> Any:
    from datetime import datetime

    return datetime.fromisoformat(NOW.replace("Z", "+00:00"))
