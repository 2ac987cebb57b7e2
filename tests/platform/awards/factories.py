"""Factories for the awards tests: published versions to issue, and issued awards."""

from __future__ import annotations

import itertools
import json
from typing import Any

from microcred.awards import services, status
from microcred.awards.models import CredentialFormat, StatusEntry, StatusPurpose
from microcred.catalogue import services as catalogue
from microcred.catalogue.models import MicroCredentialVersion
from microcred.organisations import services as organisations
from microcred.organisations.models import Organisation, Role
from microcred.vc import sign
from tests.ob3_schema import ISSUED_WITH_TWO_STATUS_ENTRIES
from tests.platform.factories import add_member, make_organisation, make_user
from tests.platform.quality.factories import publish

_numbers = itertools.count(1)


def make_version(
    organisation: Organisation, *, status: str = "published", **fields: Any
) -> MicroCredentialVersion:
    """Return a version with every mandatory Annex I element, published unless told otherwise.

    Made through the catalogue's services, by a designer of the organisation.
    """
    designer = add_member(organisation, make_user(password=None), Role.DESIGNER)
    fields.setdefault("title", f"Data Stewardship {next(_numbers)}")
    fields.setdefault("description", "Plans, documents and shares research data responsibly.")
    fields.setdefault("workload_hours", "50")
    fields.setdefault("eqf_level", 6)
    fields.setdefault("assessment_type", "A data management plan, marked against a rubric.")
    fields.setdefault("participation_form", "online")
    fields.setdefault("quality_assurance", "Internal QA by the faculty's examination board.")
    fields.setdefault("criteria", "Submit a data management plan that meets the rubric.")
    fields.setdefault("outcomes", ["Write a data management plan for a research project."])
    fields.setdefault("rubric", _rubric(len(fields["outcomes"])))
    version = catalogue.create_microcredential(actor=designer, organisation=organisation, **fields)
    if status != "draft":
        version = publish(version)
    if status == "withdrawn":
        version = catalogue.withdraw_version(actor=designer, version=version, reason="Replaced.")
    return version


def _rubric(outcomes: int) -> dict[str, Any]:
    """A rubric whose one criterion assesses every outcome, as quality assurance asks."""
    return {
        "pass_rule": "The plan reaches Sufficient.",
        "criteria": [
            {
                "name": "Data management plan",
                "outcomes": list(range(1, outcomes + 1)),
                "levels": [
                    {
                        "name": "Insufficient",
                        "points": 0,
                        "description": "The plan leaves out storage, access or retention.",
                    },
                    {
                        "name": "Sufficient",
                        "points": 1,
                        "description": "The plan covers storage, access and retention.",
                    },
                ],
            }
        ],
    }


def make_registrar(organisation: Organisation, **fields: Any):
    return add_member(organisation, make_user(**fields), Role.REGISTRAR)


def make_issuer(**fields: Any) -> tuple[Organisation, Any, MicroCredentialVersion]:
    """Return an organisation, one of its registrars, and a published version of it."""
    organisation = make_organisation(**fields)
    return organisation, make_registrar(organisation), make_version(organisation)


def issue(actor: Any, version: MicroCredentialVersion, **arguments: Any):
    arguments.setdefault("learner_email", f"learner{next(_numbers)}@example.org")
    return services.issue_award(actor=actor, version=version, **arguments)


def issue_with_two_status_entries(actor: Any, version: MicroCredentialVersion, **arguments: Any):
    """Return an award as the platform issued them before one status entry per credential:
    signed with a revocation entry and a suspension entry, each backed by its StatusEntry row.
    """
    award = issue(actor, version, **arguments)
    [slot] = status.reserve_indexes(
        award.organisation, 1, purpose=StatusPurpose.REVOCATION, now=award.issued_at
    )
    StatusEntry.objects.create(award=award, status_list=slot.status_list, index=slot.index)
    revocation = slot.entry()
    credential = services.get_credential_document(award)
    credential.pop("proof", None)
    credential["credentialStatus"] = [revocation, credential["credentialStatus"]]
    if award.format == CredentialFormat.VC_JWT:
        key, kid = organisations.get_jwt_signer(award.organisation)
        signed = sign(
            credential, key=key, suite="vc-jwt", verification_method=kid, created=award.issued_at
        )
    else:
        key, method = organisations.get_signer(award.organisation)
        document = sign(credential, key=key, verification_method=method, created=award.issued_at)
        signed = json.dumps(document, ensure_ascii=False, indent=2)
    award.signed_credential = signed
    award.save(update_fields=["signed_credential"])
    ISSUED_WITH_TWO_STATUS_ENTRIES.add(str(award.uuid))
    return award
