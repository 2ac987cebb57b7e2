"""European Learning Model (ELM) documents: exports for Europass and imports from it.

The EU's European Digital Credentials (EDC) describe what a credential certifies in the
European Learning Model. This module maps microcred's plain data to ELM and back; it
knows nothing of the database and signs nothing (an EDC is sealed by its issuer's eIDAS
seal, which adds ``issued`` and the issuer's ``eidasLegalIdentifier``).

Two versions are pinned, because their documents are not interchangeable (a 3.2 document
fails the 3.1 shapes and the reverse):

- ``"3.1"``: ELM 3.1 on VC Data Model 1.1, JSON-LD with the ``edc-ap`` context, checked
  against the EDC SHACL shapes (``EDC-generic-no-cv`` and ``EDC-generic-full``);
- ``"3.2"``: ELM 3.2 on VC Data Model 2.0 (EBSI's ``VerifiableAttestation``), checked
  against the Europass EDC JSON Schema. Every multi-valued property is an array and every
  language map holds arrays of strings.

Where each element of the EU Council Recommendation on micro-credentials (Annex I) goes:

- EQF level: ``eqfLevel`` of a ``Qualification`` (a version without a level is a
  ``LearningAchievementSpecification``, which has no level);
- workload: ``creditPoint`` (ECTS concept of the education-credit scheme) and
  ``volumeOfLearning`` (ISO 8601 hours);
- form of participation: ``mode`` (learning-assessment scheme) and ``learningSetting``;
- supervision and identity verification: ``idVerification`` of the learner's
  ``LearningAssessment`` (supervision-verification scheme); the specification says it in
  an ``additionalNote`` since a specification has no such property;
- type of assessment: ``provenBy`` a ``LearningAssessmentSpecification`` whose ``dcType``
  names the assessment and whose ``gradingScheme`` says how it is graded;
- quality assurance: ``accreditation`` of a ``Qualification`` (the version's own quality
  assurance as programme quality assurance, the organisation's accreditations as
  institutional); a ``LearningAchievementSpecification`` cannot carry one and says it in
  an ``additionalNote``;
- learning outcomes: ``learningOutcome`` with their ESCO skills in ``relatedESCOSkill``
  (other frameworks in ``relatedSkill``);
- prerequisites: ``entryRequirement``; language: ``language`` (EU language authority).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

import pycountry

from microcred.text import sentence

__all__ = [
    "CONTEXT_31",
    "CONTEXT_32",
    "VERSIONS",
    "Accreditation",
    "Award",
    "ElmError",
    "ImportedSpecification",
    "Issuer",
    "Outcome",
    "Skill",
    "Specification",
    "Version",
    "credential_document",
    "read_specification",
    "specification_document",
    "uploadable",
]

Version = Literal["3.1", "3.2"]
VERSIONS: tuple[Version, ...] = ("3.1", "3.2")

CONTEXT_EDC = "http://data.europa.eu/snb/model/context/edc-ap"
CONTEXT_31 = ["https://www.w3.org/2018/credentials/v1", CONTEXT_EDC]
CONTEXT_32 = ["https://www.w3.org/ns/credentials/v2", CONTEXT_EDC]
SHACL_PROFILE = "http://data.europa.eu/snb/model/ap/edc-generic-full"

SNB = "http://data.europa.eu/snb"
AUTHORITY = "http://publications.europa.eu/resource/authority"
ESCO_SKILLS = "http://data.europa.eu/esco/concept-scheme/skills"

# Concepts of the Europass controlled vocabularies (EU Vocabularies, "snb" namespace).
GENERIC_PROFILE = (f"{SNB}/credential/e34929035b", f"{SNB}/credential/25831c2", "Generic")
ECTS = (
    f"{SNB}/education-credit/6fcec5c5af",
    f"{SNB}/education-credit/25831c2",
    "European Credit Transfer System",
)
SHORT_LEARNING_PROGRAMME = (
    f"{SNB}/learning-opportunity/74a4a268e8",
    f"{SNB}/learning-opportunity/25831c2",
    "Short learning programme",
)
MODE_SCHEME = f"{SNB}/learning-assessment/25831c2"
MODES = {
    "online": (f"{SNB}/learning-assessment/920fbb3cbe", "Online"),
    "onsite": (f"{SNB}/learning-assessment/9191af2ed9", "Presential"),
    "blended": (f"{SNB}/learning-assessment/e92d221e4d", "Blended"),
}
SETTING_SCHEME = f"{SNB}/learning-setting/25831c2"
SETTINGS = {
    "formal": (f"{SNB}/learning-setting/6fd4685715", "formal learning"),
    "non-formal": (f"{SNB}/learning-setting/e207a81fc7", "non-formal learning"),
}
SUPERVISION_SCHEME = f"{SNB}/supervision-verification/25831c2"
# The EU list's concepts for unsupervised assessment; the published list's identifiers of
# the supervised ones are not available here, so those are minted under microcred's URN
# (still in the EU scheme, which is what the shapes enforce).
SUPERVISION = {
    (False, False): (
        f"{SNB}/supervision-verification/c598449d64",
        "Unsupervised without ID Verification",
    ),
    (False, True): (
        f"{SNB}/supervision-verification/df2880c5cb",
        "Unsupervised with ID verification",
    ),
    (True, False): (
        "urn:microcred:supervision-verification:supervised",
        "Supervised without ID verification",
    ),
    (True, True): (
        "urn:microcred:supervision-verification:supervised-id",
        "Supervised with ID verification",
    ),
}
ACCREDITATION_SCHEME = f"{SNB}/accreditation/25831c2"
PROGRAMME_QA = (f"{SNB}/accreditation/820101cba6", "Programme Quality Assurance")
INSTITUTIONAL_QA = (f"{SNB}/accreditation/bb4618238e", "Institutional Quality Assurance")
EQF_SCHEME = f"{SNB}/eqf/25831c2"
ASSESSMENT_SCHEME = "urn:microcred:assessment-type"


class ElmError(ValueError):
    """An ELM document microcred cannot read; ``field`` is the JSON path of the problem."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str
    framework: str = "ESCO"


@dataclass(frozen=True)
class Outcome:
    text: str
    skills: tuple[Skill, ...] = ()


@dataclass(frozen=True)
class Accreditation:
    """An organisation's accreditation: what it is, by whom, and where to read about it."""

    name: str
    body: str
    url: str = ""


@dataclass(frozen=True)
class Issuer:
    """The awarding organisation as ELM needs it. ``id`` is an IRI (its DID)."""

    id: str
    name: str
    country: str
    legal_name: str = ""
    url: str = ""
    email: str = ""
    eidas_identifier: str = ""
    identifiers: tuple[tuple[str, str], ...] = ()
    accreditations: tuple[Accreditation, ...] = ()


@dataclass(frozen=True)
class Specification:
    """A published version, as plain data. ``key`` makes its nodes' identifiers unique."""

    key: str
    title: str
    description: str
    homepage: str
    participation_form: str
    supervised: bool
    identity_verification: str
    assessment_type: str
    quality_assurance: str
    outcomes: tuple[Outcome, ...]
    languages: tuple[str, ...] = ("en",)
    eqf_level: int | None = None
    ects: float | None = None
    workload_hours: Decimal | None = None
    prerequisites: str = ""
    grading: str = ""
    stackability: str = ""
    further_information: str = ""
    formal: bool = False
    modified: datetime | None = None


@dataclass(frozen=True)
class Award:
    """An issued award as plain data: the learner and the result."""

    key: str
    learner_id: str
    issued_at: datetime
    learner_name: str = ""
    valid_until: datetime | None = None
    grade: str = "Pass"
    image_png: bytes | None = None


# -- building --------------------------------------------------------------------------


class _Builder:
    """Builds nodes for one ELM version: language maps, arrays and identifiers differ."""

    def __init__(self, version: Version, language: str) -> None:
        if version not in VERSIONS:
            raise ValueError(f"ELM version {version!r} is not one of {', '.join(VERSIONS)}.")
        self.version = version
        self.language = language

    def text(self, value: str) -> dict[str, Any]:
        return {self.language: [value] if self.version == "3.2" else value}

    def many(self, values: list[Any]) -> Any:
        """An array in 3.2; in 3.1 a lone value stands alone, as the EU sample writes it."""
        if self.version == "3.2" or len(values) != 1:
            return values
        return values[0]

    def concept(self, iri: str, scheme: str, label: str, notation: str = "") -> dict[str, Any]:
        node: dict[str, Any] = {
            "id": iri,
            "type": "Concept",
            "inScheme": {"id": scheme, "type": "ConceptScheme"},
            "prefLabel": self.text(label),
        }
        if notation:
            node["notation"] = notation
        return node

    def note(self, iri: str, text: str) -> dict[str, Any]:
        return {"id": iri, "type": "Note", "noteLiteral": self.text(text)}

    def country(self, code: str) -> dict[str, Any]:
        country = pycountry.countries.get(alpha_2=code.upper())
        if country is None:
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code.")
        return self.concept(
            f"{AUTHORITY}/country/{country.alpha_3}",
            f"{AUTHORITY}/country",
            country.name,
            "country",
        )

    def languages(self, codes: Sequence[str]) -> list[dict[str, Any]]:
        found = []
        for code in codes:
            language = _language(code)
            if language is not None:
                found.append(
                    self.concept(
                        f"{AUTHORITY}/language/{language.alpha_3.upper()}",
                        f"{AUTHORITY}/language",
                        language.name,
                        "language",
                    )
                )
        return found or self.languages(["en"])


def _language(code: str) -> Any:
    primary = code.split("-")[0].lower()
    if len(primary) == 2:
        return pycountry.languages.get(alpha_2=primary)
    return pycountry.languages.get(alpha_3=primary)


def _hours(hours: Decimal) -> str:
    """ISO 8601 duration of a number of hours: PT60H, PT1H30M."""
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"PT{whole}H{minutes}M" if minutes else f"PT{whole}H"


def _point(value: float) -> str:
    return format(Decimal(str(value)).normalize(), "f")


def _date(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _organisation(b: _Builder, issuer: Issuer) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": issuer.id,
        "type": "Organisation",
        "legalName": b.text(issuer.legal_name or issuer.name),
        "location": b.many(
            [
                {
                    "id": f"{issuer.id}#location",
                    "type": "Location",
                    "address": b.many(
                        [
                            {
                                "id": f"{issuer.id}#address",
                                "type": "Address",
                                "countryCode": b.country(issuer.country),
                            }
                        ]
                    ),
                }
            ]
        ),
    }
    if issuer.legal_name and issuer.legal_name != issuer.name:
        node["altLabel"] = b.text(issuer.name)
    if issuer.url:
        node["homepage"] = b.many(
            [{"id": f"{issuer.id}#homepage", "type": "WebResource", "contentURL": issuer.url}]
        )
    if issuer.email:
        node["contactPoint"] = b.many(
            [
                {
                    "id": f"{issuer.id}#contact",
                    "type": "ContactPoint",
                    "emailAddress": b.many([{"id": f"mailto:{issuer.email}", "type": "Mailbox"}]),
                }
            ]
        )
    if issuer.identifiers:
        node["identifier"] = b.many(
            [
                {
                    "id": f"{issuer.id}#identifier-{number}",
                    "type": "Identifier",
                    "notation": notation,
                    "schemeName": scheme,
                }
                for number, (notation, scheme) in enumerate(issuer.identifiers, start=1)
            ]
        )
    if issuer.eidas_identifier:
        node["eIDASIdentifier"] = {
            "id": f"{issuer.id}#eidas",
            "type": "LegalIdentifier",
            "notation": issuer.eidas_identifier,
            "spatial": b.country(issuer.country),
        }
    return node


def _accreditations(b: _Builder, spec: Specification, issuer: Issuer) -> list[dict[str, Any]]:
    """The version's quality assurance (programme) and the issuer's accreditations."""
    base = f"urn:epass:accreditation:{spec.key}"
    agent = _organisation(b, issuer)
    found = [
        {
            "id": f"{base}:1",
            "type": "Accreditation",
            "dcType": b.concept(PROGRAMME_QA[0], ACCREDITATION_SCHEME, PROGRAMME_QA[1]),
            "title": b.text(spec.quality_assurance),
            "accreditingAgent": agent,
        }
    ]
    for number, accreditation in enumerate(issuer.accreditations, start=2):
        node: dict[str, Any] = {
            "id": f"{base}:{number}",
            "type": "Accreditation",
            "dcType": b.concept(INSTITUTIONAL_QA[0], ACCREDITATION_SCHEME, INSTITUTIONAL_QA[1]),
            "title": b.text(accreditation.name),
            "accreditingAgent": {
                "id": f"{base}:{number}:agent",
                "type": "Organisation",
                "legalName": b.text(accreditation.body or accreditation.name),
                "location": b.many(
                    [
                        {
                            "id": f"{base}:{number}:location",
                            "type": "Location",
                            "address": b.many(
                                [
                                    {
                                        "id": f"{base}:{number}:address",
                                        "type": "Address",
                                        "countryCode": b.country(issuer.country),
                                    }
                                ]
                            ),
                        }
                    ]
                ),
            },
        }
        if accreditation.url:
            node["homepage"] = b.many(
                [
                    {
                        "id": f"{base}:{number}:homepage",
                        "type": "WebResource",
                        "contentURL": accreditation.url,
                    }
                ]
            )
        found.append(node)
    return found


def _assessment_specification(b: _Builder, spec: Specification) -> dict[str, Any]:
    key = spec.key
    grading: dict[str, Any] = {
        "id": f"urn:epass:gradingScheme:{key}",
        "type": "GradingScheme",
        "title": b.text("Pass or fail"),
    }
    if spec.grading:
        grading["description"] = b.text(spec.grading)
    mode = MODES.get(spec.participation_form)
    node: dict[str, Any] = {
        "id": f"urn:epass:learningAssessmentSpec:{key}",
        "type": "LearningAssessmentSpecification",
        "title": b.text(spec.assessment_type),
        "dcType": b.concept(f"{ASSESSMENT_SCHEME}:{key}", ASSESSMENT_SCHEME, spec.assessment_type),
        "gradingScheme": grading,
        "language": b.many(b.languages(spec.languages)),
    }
    if mode is not None:
        node["mode"] = b.many([b.concept(mode[0], MODE_SCHEME, mode[1])])
    return node


def _specification_node(b: _Builder, spec: Specification, issuer: Issuer) -> dict[str, Any]:
    key = spec.key
    qualification = spec.eqf_level is not None
    node: dict[str, Any] = {
        "id": f"urn:epass:{'qualification' if qualification else 'learningAchievementSpec'}:{key}",
        "type": "Qualification" if qualification else "LearningAchievementSpecification",
        "title": b.text(spec.title),
    }
    if spec.description:
        node["description"] = b.text(spec.description)
    if qualification:
        level = spec.eqf_level
        node["eqfLevel"] = b.concept(f"{SNB}/eqf/{level}", EQF_SCHEME, f"Level {level}")
    if spec.ects is not None:
        node["creditPoint"] = b.many(
            [
                {
                    "id": f"urn:epass:creditPoint:{key}",
                    "type": "CreditPoint",
                    "framework": b.concept(ECTS[0], ECTS[1], ECTS[2]),
                    "point": _point(spec.ects),
                }
            ]
        )
    if spec.workload_hours is not None:
        node["volumeOfLearning"] = _hours(spec.workload_hours)
    mode = MODES.get(spec.participation_form)
    if mode is not None:
        node["mode"] = b.many([b.concept(mode[0], MODE_SCHEME, mode[1])])
    setting = SETTINGS["formal" if spec.formal else "non-formal"]
    node["learningSetting"] = b.concept(setting[0], SETTING_SCHEME, setting[1])
    node["language"] = b.many(b.languages(spec.languages))
    node["dcType"] = b.many([b.concept(*SHORT_LEARNING_PROGRAMME)])
    if spec.prerequisites:
        node["entryRequirement"] = b.note(f"urn:epass:note:{key}:entry", spec.prerequisites)
    node["learningOutcome"] = [_outcome(b, key, n, o) for n, o in enumerate(spec.outcomes, 1)]
    node["provenBy"] = b.many([_assessment_specification(b, spec)])
    if spec.homepage:
        node["homepage"] = b.many(
            [{"id": f"{spec.homepage}#page", "type": "WebResource", "contentURL": spec.homepage}]
        )
    notes = [
        ("Supervision and identity verification", _supervision_words(spec)),
        ("Integration and stackability", spec.stackability),
        ("Further information", spec.further_information),
    ]
    if not qualification:
        notes.insert(0, ("Quality assurance", spec.quality_assurance))
    literal = [f"{label}: {text}" for label, text in notes if text]
    node["additionalNote"] = [
        b.note(f"urn:epass:note:{key}:{number}", text) for number, text in enumerate(literal, 1)
    ]
    if qualification:
        node["accreditation"] = _accreditations(b, spec, issuer)
    if spec.modified is not None:
        node["modified" if b.version == "3.1" else "dateModified"] = _date(spec.modified)
    return node


def _supervision_words(spec: Specification) -> str:
    words = SUPERVISION[(spec.supervised, bool(spec.identity_verification))][1]
    return f"{words} ({spec.identity_verification})" if spec.identity_verification else words


def _outcome(b: _Builder, key: str, number: int, outcome: Outcome) -> dict[str, Any]:
    node: dict[str, Any] = {
        "id": f"urn:epass:learningOutcome:{key}:{number}",
        "type": "LearningOutcome",
        "title": b.text(outcome.text),
    }
    esco = [s for s in outcome.skills if s.uri.startswith("http://data.europa.eu/esco/")]
    other = [s for s in outcome.skills if s not in esco]
    if esco:
        node["relatedESCOSkill"] = b.many(
            [b.concept(s.uri, ESCO_SKILLS, s.label, "Skill") for s in esco]
        )
    if other:
        node["relatedSkill"] = b.many(
            [b.concept(s.uri, f"urn:microcred:framework:{s.framework}", s.label) for s in other]
        )
    return node


def specification_document(
    spec: Specification, issuer: Issuer, *, version: Version = "3.1"
) -> dict[str, Any]:
    """Return a version as an ELM ``Qualification`` (with an EQF level) or
    ``LearningAchievementSpecification``, a JSON-LD document of its own."""
    b = _Builder(version, _primary(spec))
    node = _specification_node(b, spec, issuer)
    return {"@context": CONTEXT_31 if version == "3.1" else CONTEXT_32, **node}


def _primary(spec: Specification) -> str:
    language = _language(spec.languages[0]) if spec.languages else None
    code = getattr(language, "alpha_2", None)
    return code if isinstance(code, str) else "en"


def credential_document(
    award: Award, spec: Specification, issuer: Issuer, *, version: Version = "3.1"
) -> dict[str, Any]:
    """Return an award as an unsealed European Digital Credential.

    ``issued`` is left out: the EDC issuer adds it when it seals the credential.
    """
    b = _Builder(version, _primary(spec))
    key = award.key
    organisation = _organisation(b, issuer)
    awarding = {
        "id": f"urn:epass:awardingProcess:{key}",
        "type": "AwardingProcess",
        "awardingBody": b.many([organisation]),
        "awardingDate": _date(award.issued_at),
    }
    specification = _specification_node(b, spec, issuer)
    supervision = SUPERVISION[(spec.supervised, bool(spec.identity_verification))]
    assessment = {
        "id": f"urn:epass:learningAssessment:{key}",
        "type": "LearningAssessment",
        "title": b.text(spec.assessment_type),
        "grade": b.note(f"urn:epass:note:{key}:grade", award.grade),
        "awardedBy": awarding,
        "idVerification": b.concept(supervision[0], SUPERVISION_SCHEME, supervision[1]),
        "specifiedBy": b.many([_assessment_specification(b, spec)]),
    }
    achievement = {
        "id": f"urn:epass:learningAchievement:{key}",
        "type": "LearningAchievement",
        "title": b.text(spec.title),
        "awardedBy": awarding,
        "provenBy": b.many([assessment]),
        "specifiedBy": specification,
    }
    subject: dict[str, Any] = {
        "id": award.learner_id,
        "type": "Person",
        "hasClaim": b.many([achievement]),
    }
    if award.learner_name:
        subject["fullName"] = b.text(award.learner_name)
    languages = b.languages(spec.languages)
    display: dict[str, Any] = {
        "id": f"urn:epass:displayParameter:{key}",
        "type": "DisplayParameter",
        "title": b.text(spec.title),
        "description": b.text("has successfully completed a micro-credential"),
        "language": b.many(languages),
        "primaryLanguage": languages[0],
        "individualDisplay": b.many(
            [
                {
                    "id": f"urn:epass:individualDisplay:{key}",
                    "type": "IndividualDisplay",
                    "language": languages[0],
                    "displayDetail": b.many(
                        [
                            {
                                "id": f"urn:epass:displayDetail:{key}",
                                "type": "DisplayDetail",
                                "image": _image(b, key, award.image_png),
                                "page": 1,
                            }
                        ]
                    ),
                }
            ]
        ),
    }
    document: dict[str, Any] = {
        "@context": CONTEXT_31 if version == "3.1" else CONTEXT_32,
        "id": f"urn:credential:{key}",
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": b.many([b.concept(*GENERIC_PROFILE)]),
        "displayParameter": display,
        "credentialSchema": b.many([{"id": SHACL_PROFILE, "type": "ShaclValidator2017"}]),
        "credentialSubject": subject,
        "issuer": organisation,
        "validFrom": _date(award.issued_at),
    }
    if version == "3.2":
        # VC 2.0 has no sealing step to add them later: the attestation carries them.
        document["type"] = [
            "VerifiableCredential",
            "VerifiableAttestation",
            "EuropeanDigitalCredential",
        ]
        document["issued"] = _date(award.issued_at)
    if award.valid_until is not None:
        document["expirationDate" if version == "3.1" else "validUntil"] = _date(award.valid_until)
    return document


def _image(b: _Builder, key: str, png: bytes | None) -> dict[str, Any]:
    return {
        "id": f"urn:epass:mediaObject:{key}",
        "type": "MediaObject",
        "content": base64.b64encode(png or b"").decode("ascii"),
        "contentEncoding": b.concept(
            f"{SNB}/encoding/6146cde7dd", f"{SNB}/encoding/25831c2", "base64"
        ),
        "contentType": b.concept(
            f"{AUTHORITY}/file-type/PNG", f"{AUTHORITY}/file-type", "PNG", "file-type"
        ),
    }


def uploadable(credential: Mapping[str, Any]) -> dict[str, Any]:
    """Return an ELM 3.1 credential in the form the EU's EDC issuer accepts as an upload."""
    return {"credential": dict(credential)}


# -- reading ---------------------------------------------------------------------------

SPECIFICATION_TYPES = ("Qualification", "LearningAchievementSpecification")
MODE_NAMES = {iri: name for name, (iri, _label) in MODES.items()}


@dataclass(frozen=True)
class ImportedSpecification:
    """What an ELM specification states, in microcred's terms, to start a draft from."""

    title: str
    description: str = ""
    outcomes: tuple[Outcome, ...] = ()
    eqf_level: int | None = None
    ects: float | None = None
    workload_hours: Decimal | None = None
    languages: tuple[str, ...] = ()
    participation_form: str = ""
    prerequisites: str = ""
    assessment_type: str = ""
    quality_assurance: str = ""
    version: Version = "3.1"


def read_specification(document: Any) -> ImportedSpecification:
    """Read an ELM specification: a ``Qualification`` or ``LearningAchievementSpecification``
    on its own, or the one a European Digital Credential's achievement is specified by (the
    credential itself, or the EU issuer's ``{"credential": ...}`` upload form).

    3.1 documents write a language map's value as a string and lone values bare; 3.2
    documents write arrays. Both are read. Raise :class:`ElmError` naming the JSON path.
    """
    if not isinstance(document, dict):
        raise ElmError(sentence("An ELM document is a JSON object."), "$")
    path = "$"
    if set(document) == {"credential"}:
        document, path = document["credential"], "$.credential"
        if not isinstance(document, dict):
            raise ElmError(sentence("The uploaded credential is not a JSON object."), path)
    types = _list(document.get("type"))
    version: Version = (
        "3.2"
        if "https://www.w3.org/ns/credentials/v2" in _list(document.get("@context"))
        else "3.1"
    )
    if "EuropeanDigitalCredential" in types:
        claim_path = f"{path}.credentialSubject.hasClaim"
        subject = _object(document.get("credentialSubject"), f"{path}.credentialSubject")
        claims = _list(subject.get("hasClaim"))
        if not claims:
            raise ElmError(
                sentence("The credential's subject has no claim (hasClaim)."), claim_path
            )
        claim = _object(claims[0], f"{claim_path}[0]")
        document = _object(claim.get("specifiedBy"), f"{claim_path}[0].specifiedBy")
        path = f"{claim_path}[0].specifiedBy"
        types = _list(document.get("type"))
    kind = next((t for t in types if t in SPECIFICATION_TYPES), None)
    if kind is None:
        raise ElmError(
            sentence(
                "Expected a Qualification, a LearningAchievementSpecification or a "
                "EuropeanDigitalCredential; found type %(types)s.",
                types=types or "none",
            ),
            f"{path}.type",
        )
    title = _text(document.get("title"), f"{path}.title")
    if not title:
        raise ElmError(
            sentence(
                "The %(kind)s has no title.",
                kind=kind,
            ),
            f"{path}.title",
        )
    return ImportedSpecification(
        title=title,
        description=_text(document.get("description"), f"{path}.description"),
        outcomes=tuple(
            _read_outcome(item, f"{path}.learningOutcome[{number}]")
            for number, item in enumerate(_list(document.get("learningOutcome")))
        ),
        eqf_level=_eqf(document.get("eqfLevel"), f"{path}.eqfLevel"),
        ects=_ects(document.get("creditPoint"), f"{path}.creditPoint"),
        workload_hours=_duration_hours(
            document.get("volumeOfLearning"), f"{path}.volumeOfLearning"
        ),
        languages=tuple(_read_languages(document.get("language"), f"{path}.language")),
        participation_form=next(
            (
                MODE_NAMES[concept["id"]]
                for concept in _list(document.get("mode"))
                if isinstance(concept, dict) and concept.get("id") in MODE_NAMES
            ),
            "",
        ),
        prerequisites=_note(document.get("entryRequirement"), f"{path}.entryRequirement"),
        assessment_type=next(
            (
                _text(item.get("title"), f"{path}.provenBy.title")
                for item in _list(document.get("provenBy"))
                if isinstance(item, dict)
            ),
            "",
        ),
        quality_assurance="; ".join(
            _text(item.get("title"), f"{path}.accreditation.title")
            for item in _list(document.get("accreditation"))
            if isinstance(item, dict)
        ),
        version=version,
    )


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _object(value: Any, path: str) -> Any:
    if isinstance(value, list) and value:
        value = value[0]
    if not isinstance(value, dict):
        raise ElmError(sentence("Expected a JSON object here."), path)
    return value


def _text(value: Any, path: str) -> str:
    """The text of a language map, English first: ``{"en": "..."}`` or ``{"en": ["..."]}``."""
    if value is None:
        return ""
    if not isinstance(value, dict) or not value:
        raise ElmError(sentence('Expected a language map such as {"en": "text"}.'), path)
    language = "en" if "en" in value else next(iter(value))
    text = value[language]
    if isinstance(text, list):
        text = " ".join(str(part) for part in text)
    if not isinstance(text, str):
        raise ElmError(
            sentence(
                "The %(language)s text is not a string.",
                language=repr(language),
            ),
            f"{path}.{language}",
        )
    return text.strip()


def _note(value: Any, path: str) -> str:
    notes = _list(value)
    return "\n".join(
        _text(_object(note, path).get("noteLiteral"), f"{path}.noteLiteral") for note in notes
    )


def _read_outcome(value: Any, path: str) -> Outcome:
    outcome = _object(value, path)
    text = _text(outcome.get("title"), f"{path}.title")
    if not text:
        raise ElmError(sentence("A learning outcome has no title."), f"{path}.title")
    skills = []
    for key, framework in (("relatedESCOSkill", "ESCO"), ("relatedSkill", "other")):
        for number, item in enumerate(_list(outcome.get(key))):
            where = f"{path}.{key}[{number}]"
            concept = _object(item, where)
            uri = concept.get("id")
            if not isinstance(uri, str) or not uri:
                raise ElmError(sentence("A skill has no id."), f"{where}.id")
            label = _text(concept.get("prefLabel"), f"{where}.prefLabel") or uri
            skills.append(Skill(uri=uri, label=label, framework=framework))
    return Outcome(text=text, skills=tuple(skills))


def _eqf(value: Any, path: str) -> int | None:
    if value is None:
        return None
    concept = _object(value, path)
    match = re.fullmatch(r"http://data\.europa\.eu/snb/eqf/([1-8])", str(concept.get("id", "")))
    if match is None:
        raise ElmError(
            sentence("The EQF level is not a concept of the EQF scheme (levels 1 to 8)."), path
        )
    return int(match.group(1))


def _ects(value: Any, path: str) -> float | None:
    for number, item in enumerate(_list(value)):
        where = f"{path}[{number}]"
        credit = _object(item, where)
        framework = _object(credit.get("framework"), f"{where}.framework")
        if framework.get("id") != ECTS[0]:
            continue
        try:
            points = float(Decimal(str(credit.get("point"))))
        except ArithmeticError:
            raise ElmError(
                sentence("The credit points are not a number."), f"{where}.point"
            ) from None
        if not 0 < points <= 999:
            raise ElmError(
                sentence("The credit points must be above 0 and at most 999."), f"{where}.point"
            )
        return points
    return None


DURATION = re.compile(r"P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?")


def _duration_hours(value: Any, path: str) -> Decimal | None:
    if value is None:
        return None
    match = DURATION.fullmatch(value) if isinstance(value, str) else None
    if match is None or not any(match.groups()):
        raise ElmError(
            sentence("Expected an ISO 8601 duration in days and hours such as PT60H."), path
        )
    days, hours, minutes = (int(part or 0) for part in match.groups())
    total = Decimal(days * 24 + hours) + (Decimal(minutes) / 60).quantize(Decimal("0.1"))
    if total > 99_999:
        raise ElmError(sentence("The volume of learning is more than 99,999 hours."), path)
    return total


def _read_languages(value: Any, path: str) -> list[str]:
    codes = []
    for number, item in enumerate(_list(value)):
        concept = _object(item, f"{path}[{number}]")
        code = str(concept.get("id", "")).rsplit("/", 1)[-1]
        language = pycountry.languages.get(alpha_3=code.lower())
        short = getattr(language, "alpha_2", None)
        if isinstance(short, str) and short not in codes:
            codes.append(short)
    return codes
