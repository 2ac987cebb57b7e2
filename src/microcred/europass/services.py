"""Europass exports and imports: versions and awards in the European Learning Model (ELM).

The mapping itself is pure (:mod:`microcred.frameworks.elm`); this module gathers what it
needs from the catalogue, the awards and the organisations, and turns an uploaded ELM
document into a draft through the catalogue's services, so an import is checked like any
other draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from microcred.awards import services as awards
from microcred.catalogue import services as catalogue
from microcred.core import public_urls
from microcred.errors import Conflict, InvalidInput, TooLarge
from microcred.frameworks import elm
from microcred.organisations import services as organisations
from microcred.vc.errors import InputError
from microcred.vc.inputs import parse_json

__all__ = [
    "ELM_VERSIONS",
    "IMPORT_ROLES",
    "MAX_UPLOAD_BYTES",
    "Imported",
    "get_credential_document",
    "get_uploadable_credential",
    "get_version_document",
    "import_specification",
    "read_upload",
]

ELM_VERSIONS = elm.VERSIONS
IMPORT_ROLES = catalogue.DESIGN_ROLES
# The EU's own micro-credential sample, images included, is about 150 kB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _issuer(organisation: Any) -> elm.Issuer:
    return elm.Issuer(
        id=organisations.organisation_did(organisation),
        name=organisation.name,
        country=organisation.country,
        legal_name=organisation.legal_name,
        url=organisation.url or organisations.get_profile_url(organisation),
        email=organisation.email,
        eidas_identifier=organisation.eidas_identifier,
        identifiers=tuple(
            (entry["identifier"], entry["identifierType"]) for entry in organisation.identifiers
        ),
        accreditations=tuple(
            elm.Accreditation(
                name=entry.get("name", ""), body=entry.get("body", ""), url=entry.get("url", "")
            )
            for entry in organisation.accreditations
            if entry.get("name")
        ),
    )


def _specification(version: Any) -> elm.Specification:
    spec = catalogue.get_specification(version)
    microcredential = version.microcredential
    rubric = spec["rubric"]
    return elm.Specification(
        key=str(version.achievement_uuid),
        title=spec["title"],
        description=spec.get("description") or "",
        homepage=public_urls.catalogue_url(
            microcredential.organisation.slug, microcredential.slug, version.number
        ),
        participation_form=version.participation_form,
        supervised=version.supervised,
        identity_verification=version.identity_verification,
        assessment_type=version.assessment_type,
        quality_assurance=version.quality_assurance,
        outcomes=tuple(
            elm.Outcome(
                text=outcome["text"],
                skills=tuple(
                    elm.Skill(uri=skill["uri"], label=skill["label"]) for skill in outcome["skills"]
                ),
            )
            for outcome in spec["outcomes"]
        ),
        languages=tuple(version.languages or ["en"]),
        eqf_level=version.eqf_level,
        ects=catalogue.ects_of(version),
        workload_hours=version.workload_hours,
        prerequisites=version.prerequisites,
        grading=rubric["pass_rule"] if rubric else version.criteria,
        stackability=version.stackability,
        further_information=version.further_information,
        # ELM's learning setting: credit-bearing learning at a university is formal learning
        # (it leads to a qualification of the education system); the rest is non-formal.
        formal=microcredential.organisation.type == "university" and bool(spec["credits"]),
        modified=version.published_at,
    )


def _version(version: str) -> elm.Version:
    if version not in ELM_VERSIONS:
        raise InvalidInput(
            f"ELM version {version!r} is not offered; use {' or '.join(ELM_VERSIONS)}.",
            field="version",
        )
    return "3.1" if version == "3.1" else "3.2"


def get_version_document(
    *, organisation: str, slug: str, number: int | None = None, version: str = "3.1"
) -> dict[str, Any]:
    """Return a published version as an ELM specification document (public)."""
    found = catalogue.get_version(organisation=organisation, slug=slug, number=number)
    return elm.specification_document(
        _specification(found),
        _issuer(found.microcredential.organisation),
        version=_version(version),
    )


def _award(award: Any) -> elm.Award:
    subject = awards.get_credential_document(award).get("credentialSubject")
    learner = subject.get("id") if isinstance(subject, dict) else None
    grade = award.result.get("grade") if isinstance(award.result, dict) else None
    return elm.Award(
        key=str(award.uuid),
        learner_id=learner or award.learner_did or f"urn:epass:person:{award.uuid}",
        issued_at=award.issued_at,
        learner_name=award.learner_name,
        valid_until=award.valid_until,
        grade=str(grade) if grade else "Pass",
        image_png=awards.get_baked_image(award, kind="png"),
    )


def get_credential_document(award_uuid: str, *, version: str = "3.1") -> dict[str, Any]:
    """Return an award as an unsealed European Digital Credential (public, as its page is)."""
    award = awards.get_award(award_uuid)
    return elm.credential_document(
        _award(award),
        _specification(award.version),
        _issuer(award.organisation),
        version=_version(version),
    )


def get_uploadable_credential(award_uuid: str) -> dict[str, Any]:
    """Return the award in the form the EU's EDC issuer accepts as an upload (ELM 3.1).

    The EU issuer seals what it is given, so a revoked or suspended award is refused
    (:class:`Conflict`): sealing it there would issue it again.
    """
    award = awards.get_award(award_uuid)
    if award.status != "active":
        raise Conflict(
            f"This credential is {award.status}; it cannot be sent to the EU issuer to be sealed.",
            code="europass.not_active",
            field="status",
        )
    return elm.uploadable(get_credential_document(award_uuid, version="3.1"))


@dataclass(frozen=True)
class Imported:
    """The draft an import made, and what of the upload it could not keep."""

    draft: Any
    left_out: list[str]


def read_upload(data: bytes) -> elm.ImportedSpecification:
    """Parse and read an uploaded ELM document; raise :class:`InvalidInput` naming the problem."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooLarge(
            gettext("The file is %(size)s bytes; an ELM document may be at most %(most)s bytes.")
            % {"size": f"{len(data):,}", "most": f"{MAX_UPLOAD_BYTES:,}"},
            field="file",
            data={"limit": MAX_UPLOAD_BYTES},
        )
    try:
        document = parse_json(data)
    except InputError as error:
        raise InvalidInput(error.message, code=error.code, field="file") from None
    except ValueError:
        raise InvalidInput(
            gettext("The file is not JSON: upload an ELM document (.json or .jsonld)."),
            field="file",
        ) from None
    try:
        return elm.read_specification(document)
    except elm.ElmError as error:
        raise InvalidInput(f"{error.field}: {error}", code="elm.unreadable", field="file") from None


def import_specification(*, actor: Any, organisation_slug: str, data: bytes) -> Imported:
    """Start a draft micro-credential from an uploaded ELM specification or EDC (designer).

    Title, description, learning outcomes and their skills, EQF level, ECTS, workload,
    languages, form of participation, prerequisites, assessment and quality assurance are
    taken over; the designer completes the rest before review. ESCO skills this platform
    does not know are left out and named.
    """
    organisation = organisations.access_organisation(actor, organisation_slug, roles=IMPORT_ROLES)
    read = read_upload(data)
    left_out = []
    outcomes = []
    for outcome in read.outcomes:
        skills = []
        for skill in outcome.skills:
            if skill.framework == "ESCO" and catalogue.get_skill(skill.uri) is None:
                left_out.append(
                    gettext("ESCO skill %(label)s (%(uri)s), not known here")
                    % {"label": skill.label, "uri": skill.uri}
                )
                continue
            if skill.uri.startswith(("http://", "https://")):
                skills.append(
                    {"uri": skill.uri, "label": skill.label, "framework": skill.framework}
                )
        outcomes.append({"text": outcome.text, "skills": skills})
    fields: dict[str, Any] = {
        "description": read.description,
        "outcomes": outcomes,
        "languages": list(read.languages) or ["en"],
        "prerequisites": read.prerequisites,
        "assessment_type": read.assessment_type,
        "quality_assurance": read.quality_assurance,
    }
    if read.eqf_level is not None:
        fields["eqf_level"] = read.eqf_level
    if read.workload_hours is not None:
        fields["workload_hours"] = str(read.workload_hours)
    if read.ects is not None:
        fields["credits"] = {"ECTS": str(Decimal(str(read.ects)))}
    if read.participation_form:
        fields["participation_form"] = read.participation_form
    draft = catalogue.create_microcredential(
        actor=actor, organisation=organisation, title=read.title, **fields
    )
    return Imported(draft, left_out)
