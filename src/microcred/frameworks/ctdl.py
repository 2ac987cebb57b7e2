"""Credential Engine CTDL exports: pathways and transfer values as JSON-LD, and a term checker.

Registries such as the Credential Registry describe credentials in CTDL (the Credential
Transparency Description Language). This module builds CTDL JSON-LD from microcred's own
records; it publishes nothing.

Documents follow the registry's "graph" shape: ``@context`` is the CTDL context
(:data:`CONTEXT`), ``@graph`` lists the top-level resources, and each resource carries
``@id`` (its URL on this platform), ``@type`` and ``ceterms:ctid``. A CTID is ``ce-``
followed by a UUID (Credential Engine, "About the CTID"); here it is the UUID5 of the
resource's URL, so the same resource always gets the same CTID and no table of CTIDs is
kept. Literal text is a language map (``{"en": "..."}``), as the context declares for
``ceterms:name`` and ``ceterms:description``.

How a pathway maps (CTDL Pathways, ``ceterms:Pathway``):

- the pathway is a ``ceterms:Pathway``; its target credential is the destination
  component (``ceterms:hasDestinationComponent``), a ``ceterms:CredentialComponent`` whose
  ``ceterms:proxyFor`` is the OB 3.0 achievement id;
- every component of the rule tree, alternatives included, is a
  ``ceterms:CredentialComponent``, a child of the destination (``ceasn:hasChild``) and
  part of the pathway (``ceterms:hasPart``); its credits are a ``ceterms:pointValue``;
- the rule tree becomes ``ceterms:ComponentCondition`` objects on the destination: a group
  is a condition whose ``ceterms:targetComponent`` are its components and whose
  ``ceterms:hasCondition`` are its nested groups, with ``ceterms:requiredNumber`` (every
  child for "all", N for "atLeast"); a credit requirement is a ``ceterms:Constraint``
  (``ceterms:pointValue`` at least the value, ``compare:GTEQ``); a group with alternatives
  is wrapped in a condition needing one of: the group, or any alternative. Levels, results
  and time windows have no CTDL term of their own, so the condition's description says them.

How an organisation and its micro-credentials map (the CTDL handbook's credential shape):

- the organisation is a ``ceterms:CredentialOrganization`` that ``ceterms:owns`` and
  ``ceterms:offers`` its credentials (and owns its pathways), with its type as an
  ``orgType`` concept and its country and region as a ``ceterms:Place``;
- a micro-credential is a ``ceterms:MicroCredential`` (or the CTDL class of its OB 3.0
  achievement type: ``ceterms:Certificate``, ``ceterms:Certification``, an Open Badge),
  its CTID that of its catalogue page, so every version updates the same registry record;
- CTDL puts credits, assessment method and delivery on what a credential requires, not on
  the credential itself: ``ceterms:requires`` holds a ``ceterms:ConditionProfile`` with
  the ``ceterms:creditValue`` (``ceterms:ValueProfile`` per credit system), the learning
  outcomes as ``ceterms:targetCompetency`` and the ``ceterms:targetAssessment``, a
  ``ceterms:AssessmentProfile`` with ``ceterms:assessmentMethodType`` and
  ``ceterms:deliveryType``;
- the learning outcomes are ``ceasn:Competency`` resources of one
  ``ceasn:CompetencyFramework`` per micro-credential, published in the same graph (as the
  handbook asks of frameworks and their competencies); an ESCO alignment is a
  ``ceasn:skillEmbodied``.

A transfer value is a ``ceterms:TransferValueProfile`` with ``ceterms:transferValue``
(``ceterms:ValueProfile``, a subclass of ``schema:QuantitativeValue``),
``ceterms:transferValueFrom`` and ``ceterms:transferValueFor``.

:func:`vocabulary_problems` checks a document against the CTDL schema (the
``credreg.net/ctdl/schema/encoding/json`` document, passed in): every term must exist and
every property must be used on a type in its domain (or a subclass of one).

Adding a kind of resource means a function that returns a node built with :func:`node`;
the graph, the CTIDs and the checker need nothing new.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from microcred.frameworks.credits import SYSTEMS, format_amount
from microcred.frameworks.pathways import Component, Group, PathwayRule, TransferValue

__all__ = [
    "CONTEXT",
    "CREDIT_UNITS",
    "DELIVERY_TYPES",
    "ORGANISATION_TYPES",
    "CredentialRecord",
    "OrganisationRecord",
    "Outcome",
    "Reference",
    "assessment_method_types",
    "credential_class",
    "credential_resources",
    "ctid",
    "graph",
    "node",
    "organisation_node",
    "pathway_graph",
    "transfer_value_profile",
    "vocabulary_problems",
]

CONTEXT = "https://credreg.net/ctdl/schema/context/json"

# CTDL's CreditUnit vocabulary has no ECTS, UK or NZQCF credit: those are degree credits,
# and the value profile's description names the system.
CREDIT_UNITS = {
    "ECTS": "creditUnit:DegreeCredit",
    "UK": "creditUnit:DegreeCredit",
    "NZQCF": "creditUnit:DegreeCredit",
    "US_SEMESTER": "creditUnit:SemesterHour",
    "CEU": "creditUnit:ContinuingEducationUnit",
    "HOURS": "creditUnit:ClockHour",
}

# OB 3.0 achievement types that are CTDL credential classes of the same name; any other
# achievement is described as an Open Badge.
_CREDENTIAL_CLASSES = frozenset(
    {
        "ApprenticeshipCertificate",
        "AssociateDegree",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "License",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    }
)


# Annex I's form of participation, as CTDL's DeliveryType concepts.
DELIVERY_TYPES = {
    "online": "deliveryType:OnlineOnly",
    "onsite": "deliveryType:InPerson",
    "blended": "deliveryType:BlendedDelivery",
}

# The platform's organisation types, as CTDL's OrganizationType concepts ("other" has none).
ORGANISATION_TYPES = {
    "university": "orgType:Postsecondary",
    "vet_provider": "orgType:Technical",
    "professional_body": "orgType:ProfessionalAssociation",
    "professional_learning": "orgType:TrainingProvider",
    "employer": "orgType:Business",
    "qa_agency": "orgType:QualityAssurance",
}

# Words (or their first letters: "observ" for observed, observation) in an assessment's
# description that name a CTDL AssessmentMethod concept.
_ASSESSMENT_WORDS = (
    ("assessMethod:Exam", ("exam", "test", "quiz", "multiple choice")),
    ("assessMethod:PortfolioEvaluation", ("portfolio",)),
    (
        "assessMethod:Performance",
        ("performance", "presentation", "practical", "observ", "demonstrat", "oral"),
    ),
    (
        "assessMethod:Artifact",
        (
            "project",
            "artefact",
            "artifact",
            "report",
            "essay",
            "assignment",
            "plan",
            "product",
            "evidence",
        ),
    ),
)

# Concept schemes, named on the alignment objects that point into them.
_SCHEMES = {
    "assessMethod": ("https://purl.org/ctdl/vocabs/assessMethod/", "Assessment Method"),
    "deliveryType": ("https://purl.org/ctdl/vocabs/deliveryType/", "Delivery Type"),
    "orgType": ("https://purl.org/ctdl/vocabs/orgType/", "Organization Type"),
}


@dataclass(frozen=True)
class Reference:
    """A resource another resource points at: its URL, name and CTDL class."""

    url: str
    name: str
    type: str = "ceterms:OpenBadge"

    def to_node(self, language: str) -> dict[str, Any]:
        return {"@id": self.url, "@type": self.type, "ceterms:name": {language: self.name}}


@dataclass(frozen=True)
class OrganisationRecord:
    """What CTDL says of an organisation: its public page (the id), name and contacts."""

    url: str
    name: str
    country: str
    type: str = "other"
    description: str = ""
    webpage: str = ""
    email: str = ""
    region: str = ""


@dataclass(frozen=True)
class Outcome:
    """A learning outcome and the skills (URI, label) it is aligned to."""

    text: str
    skills: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CredentialRecord:
    """What CTDL says of a published micro-credential version.

    ``url`` is the micro-credential's catalogue page: the CTID follows it, not the version,
    so a new version updates the registry's record instead of adding one. ``webpage`` is the
    version's own page, ``achievement`` its OB 3.0 achievement id.
    """

    url: str
    webpage: str
    achievement: str
    name: str
    version: int
    achievement_type: str
    assessment: str
    participation_form: str
    criteria: str
    description: str = ""
    published: date | None = None
    languages: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    image: str = ""
    credits: Mapping[str, float] | None = None
    outcomes: tuple[Outcome, ...] = ()


def ctid(url: str) -> str:
    """Return the CTID of the resource at ``url``: ``ce-`` and the UUID5 of the URL."""
    return f"ce-{uuid.uuid5(uuid.NAMESPACE_URL, url)}"


def node(type_: str, url: str, **properties: Any) -> dict[str, Any]:
    """Return a top-level resource: ``@id``, ``@type``, its CTID, and the properties given.

    Properties are passed with ``__`` for the colon (``ceterms__name=...``) and left out
    when None or empty, so callers pass optional values as they are.
    """
    data: dict[str, Any] = {"@id": url, "@type": type_, "ceterms:ctid": ctid(url)}
    data.update(_properties(properties))
    return data


def graph(url: str, resources: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Return a CTDL graph document: the context, the graph's id and its resources."""
    return {"@context": CONTEXT, "@id": url, "@graph": list(resources)}


def pathway_graph(
    *,
    url: str,
    name: str,
    rule: PathwayRule,
    destination: Reference,
    owner: str | None = None,
    description: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Return the CTDL graph of a pathway: the pathway, its destination and its components.

    ``url`` is the pathway's URL (components are ``url#key``), ``destination`` the target
    credential, ``owner`` the URL of the organisation that owns the pathway.
    """
    destination_url = f"{url}#destination"
    components = [item for item in rule.walk() if isinstance(item, Component)]
    parts = [_component(item, url, destination_url, language) for item in components]
    destination_node = node(
        "ceterms:CredentialComponent",
        destination_url,
        ceterms__name={language: destination.name},
        ceterms__proxyFor=destination.url,
        ceterms__credentialType=destination.type,
        ceterms__isDestinationComponentOf=[url],
        ceterms__isPartOf=[url],
        ceasn__hasChild=[part["@id"] for part in parts],
        ceterms__hasCondition=[_condition(rule, url, language)],
    )
    pathway = node(
        "ceterms:Pathway",
        url,
        ceterms__name={language: name},
        ceterms__description={language: description} if description else None,
        ceterms__ownedBy=[owner] if owner else None,
        ceterms__subjectWebpage=url,
        ceterms__hasDestinationComponent=[destination_url],
        ceterms__hasPart=[destination_url, *(part["@id"] for part in parts)],
    )
    return graph(f"{url}#graph", [pathway, destination_node, *parts])


def transfer_value_profile(
    *,
    url: str,
    name: str,
    transfer: TransferValue,
    source: Reference,
    targets: Sequence[Reference],
    owner: str | None = None,
    description: str | None = None,
    start: date | None = None,
    end: date | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """Return the CTDL graph of one transfer value: what ``source`` is worth towards ``targets``.

    ``transfer`` gives the credits; ``source`` is the recognised achievement
    (``transfer.achievement``), ``targets`` the credentials it counts towards.
    """
    profile = node(
        "ceterms:TransferValueProfile",
        url,
        ceterms__name={language: name},
        ceterms__description={language: description} if description else None,
        ceterms__ownedBy=[owner] if owner else None,
        ceterms__subjectWebpage=url,
        ceterms__startDate=start.isoformat() if start else None,
        ceterms__endDate=end.isoformat() if end else None,
        ceterms__transferValue=_values(transfer.credits, language),
        ceterms__transferValueFrom=[source.to_node(language)],
        ceterms__transferValueFor=[target.to_node(language) for target in targets],
    )
    return graph(f"{url}#graph", [profile])


def organisation_node(
    record: OrganisationRecord,
    *,
    owns: Sequence[str] = (),
    offers: Sequence[str] = (),
    language: str = "en",
) -> dict[str, Any]:
    """Return the organisation as a ``ceterms:CredentialOrganization`` owning ``owns`` and
    offering ``offers`` (resource URLs)."""
    kind = ORGANISATION_TYPES.get(record.type)
    place = _properties(
        {
            "@type": "ceterms:Place",
            "ceterms__addressCountry": {language: record.country},
            "ceterms__addressRegion": {language: record.region} if record.region else None,
        }
    )
    return node(
        "ceterms:CredentialOrganization",
        record.url,
        ceterms__name={language: record.name},
        ceterms__description={language: record.description} if record.description else None,
        ceterms__subjectWebpage=record.webpage or record.url,
        ceterms__email=[record.email] if record.email else None,
        ceterms__agentType=[_alignment(kind, language)] if kind else None,
        ceterms__address=[place],
        ceterms__owns=list(owns),
        ceterms__offers=list(offers),
    )


def credential_class(achievement_type: str) -> str:
    """Return the CTDL class of a micro-credential of this OB 3.0 achievement type.

    The types that are CTDL credential classes keep their name; a badge is an Open Badge
    (it is issued as one); anything else (a course, a module, a competency) is what the
    platform offers it as: a micro-credential.
    """
    if achievement_type in _CREDENTIAL_CLASSES:
        return f"ceterms:{achievement_type}"
    if achievement_type == "Badge":
        return "ceterms:OpenBadge"
    return "ceterms:MicroCredential"


def assessment_method_types(assessment: str) -> list[str]:
    """Return the CTDL assessment methods an assessment's description names, in CTDL's order.

    A description naming none is assessed the platform's way, on evidence the learner
    submits: an artifact.
    """
    text = assessment.lower()
    found = [
        concept
        for concept, words in _ASSESSMENT_WORDS
        if any(re.search(rf"\b{word}", text) for word in words)
    ]
    return found or ["assessMethod:Artifact"]


def credential_resources(
    record: CredentialRecord, *, owner: str, language: str = "en"
) -> list[dict[str, Any]]:
    """Return a micro-credential's resources: the credential, its assessment profile, and
    its outcomes as a competency framework with its competencies.

    ``owner`` is the URL of the organisation that owns and offers it.
    """
    framework_url = f"{record.url}#outcomes"
    assessment_url = f"{record.url}#assessment"
    competencies = [
        node(
            "ceasn:Competency",
            f"{record.url}#outcome-{number}",
            ceasn__competencyText={language: outcome.text},
            ceasn__isPartOf=framework_url,
            ceasn__isTopChildOf=framework_url,
            ceasn__inLanguage=list(record.languages),
            ceasn__skillEmbodied=[uri for uri, _ in outcome.skills],
            ceasn__conceptKeyword={language: [label for _, label in outcome.skills]}
            if outcome.skills
            else None,
        )
        for number, outcome in enumerate(record.outcomes, start=1)
    ]
    framework = node(
        "ceasn:CompetencyFramework",
        framework_url,
        ceasn__name={language: f"Learning outcomes of {record.name}"},
        ceasn__publisher=[owner],
        ceasn__creator=[owner],
        ceasn__inLanguage=list(record.languages),
        ceasn__hasTopChild=[item["@id"] for item in competencies],
    )
    delivery = DELIVERY_TYPES.get(record.participation_form)
    assessment = node(
        "ceterms:AssessmentProfile",
        assessment_url,
        ceterms__name={language: f"Assessment of {record.name}"},
        ceterms__description={language: record.assessment},
        ceterms__subjectWebpage=record.webpage,
        ceterms__ownedBy=[owner],
        ceterms__offeredBy=[owner],
        ceterms__inLanguage=list(record.languages),
        ceterms__assessmentMethodType=[
            _alignment(concept, language) for concept in assessment_method_types(record.assessment)
        ],
        ceterms__assessmentMethodDescription={language: record.assessment},
        ceterms__deliveryType=[_alignment(delivery, language)] if delivery else None,
        ceterms__assesses=[item["@id"] for item in competencies],
    )
    requirements = _properties(
        {
            "@type": "ceterms:ConditionProfile",
            "ceterms__name": {language: f"Requirements of {record.name}"},
            "ceterms__description": {language: record.criteria},
            "ceterms__creditValue": _values(record.credits or {}, language),
            "ceterms__targetCompetency": [
                _properties(
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms__targetNode": item["@id"],
                        "ceterms__targetNodeName": item["ceasn:competencyText"],
                        "ceterms__framework": framework_url,
                        "ceterms__frameworkName": framework["ceasn:name"],
                    }
                )
                for item in competencies
            ],
            "ceterms__targetAssessment": [assessment_url],
        }
    )
    credential = node(
        credential_class(record.achievement_type),
        record.url,
        ceterms__name={language: record.name},
        ceterms__description={language: record.description} if record.description else None,
        ceterms__subjectWebpage=record.webpage,
        ceterms__sameAs=[record.achievement],
        ceterms__versionIdentifier=[
            {
                "@type": "ceterms:IdentifierValue",
                "ceterms:identifierTypeName": {language: "Version"},
                "ceterms:identifierValueCode": str(record.version),
            }
        ],
        ceterms__ownedBy=[owner],
        ceterms__offeredBy=[owner],
        ceterms__dateEffective=record.published.isoformat() if record.published else None,
        ceterms__inLanguage=list(record.languages),
        ceterms__keyword={language: list(record.keywords)} if record.keywords else None,
        ceterms__image=record.image or None,
        ceterms__learningDeliveryType=[_alignment(delivery, language)] if delivery else None,
        ceterms__requires=[requirements],
    )
    return [credential, assessment, framework, *competencies]


def _alignment(concept: str, language: str) -> dict[str, Any]:
    """Return a concept (``deliveryType:OnlineOnly``) as a CredentialAlignmentObject."""
    prefix, name = concept.split(":", 1)
    scheme, scheme_name = _SCHEMES[prefix]
    return {
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": scheme,
        "ceterms:frameworkName": {language: scheme_name},
        "ceterms:targetNode": concept,
        "ceterms:targetNodeName": {language: re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)},
    }


def _component(item: Component, pathway_url: str, parent: str, language: str) -> dict[str, Any]:
    kind = item.achievement_type
    credential_type = f"ceterms:{kind}" if kind in _CREDENTIAL_CLASSES else "ceterms:OpenBadge"
    return node(
        "ceterms:CredentialComponent",
        f"{pathway_url}#{item.key}",
        ceterms__name={language: item.name},
        ceterms__proxyFor=item.achievement,
        ceterms__credentialType=credential_type,
        ceterms__isPartOf=[pathway_url],
        ceasn__isChildOf=[parent],
        ceterms__pointValue=_values(item.credits, language),
    )


def _condition(group: Group, pathway_url: str, language: str) -> dict[str, Any]:
    """Return ``group`` as a ComponentCondition (wrapped with its alternatives, if any)."""
    components = [c for c in group.children if isinstance(c, Component)]
    groups = [g for g in group.children if isinstance(g, Group)]
    require = group.require
    # A credit group is met by its constraint, not by a number of its children.
    required_number = None
    if require.at_least is not None:
        required_number = require.at_least
    elif require.all:
        required_number = len(group.children)
    condition = _properties(
        {
            "@type": "ceterms:ComponentCondition",
            "ceterms__name": {language: group.name},
            "ceterms__description": {language: _describe(group)},
            "ceterms__requiredNumber": required_number,
            "ceterms__targetComponent": [f"{pathway_url}#{c.key}" for c in components],
            "ceterms__hasCondition": [_condition(g, pathway_url, language) for g in groups],
            "ceterms__requiredConstraints": 1 if require.credits is not None else None,
            "ceterms__hasConstraint": (
                [_credit_constraint(require.credits, require.system or "ECTS", language)]
                if require.credits is not None
                else None
            ),
        }
    )
    if not group.alternatives:
        return condition
    return _properties(
        {
            "@type": "ceterms:ComponentCondition",
            "ceterms__name": {language: f"{group.name}, or an alternative"},
            "ceterms__description": {
                language: f"{group.name}, or one of "
                + ", ".join(alternative.name for alternative in group.alternatives)
                + ", which stands for the whole group."
            },
            "ceterms__requiredNumber": 1,
            "ceterms__targetComponent": [f"{pathway_url}#{a.key}" for a in group.alternatives],
            "ceterms__hasCondition": [condition],
        }
    )


def _credit_constraint(value: float, system: str, language: str) -> dict[str, Any]:
    text = f"At least {format_amount(value)} {SYSTEMS[system].name}"
    return {
        "@type": "ceterms:Constraint",
        "ceterms:name": {language: text},
        "ceterms:leftSource": ["ceterms:pointValue"],
        "ceterms:comparator": "compare:GTEQ",
        "ceterms:rightSource": [format_amount(value)],
    }


def _describe(group: Group) -> str:
    """Say in words what a group asks, including what CTDL has no term for."""
    require = group.require
    if require.at_least is not None:
        text = f"At least {require.at_least} of {len(group.children)}."
    elif require.credits is not None:
        system = SYSTEMS[require.system or "ECTS"]
        text = f"At least {format_amount(require.credits)} {system.name}."
    else:
        text = f"All {len(group.children)}."
    if group.minimum_level is not None:
        text += f" Each at EQF level {group.minimum_level} or higher."
    if group.minimum_result is not None:
        minimum = group.minimum_result
        text += f" Each with a {minimum.result_type} of {minimum.required_value} or better."
    if group.within is not None:
        window = group.within
        if window.months is not None:
            text += f" Earned within the last {window.months} months."
        else:
            if window.start is not None:
                text += f" Earned on or after {window.start.isoformat()}."
            if window.end is not None:
                text += f" Earned on or before {window.end.isoformat()}."
    return text


def _values(credits: Mapping[str, float], language: str) -> list[dict[str, Any]] | None:
    """Return credits as ValueProfiles, one per credit system."""
    return [
        {
            "@type": "ceterms:ValueProfile",
            "ceterms:creditUnitType": [CREDIT_UNITS[system]],
            "schema:value": value,
            "schema:description": {language: SYSTEMS[system].name},
        }
        for system, value in credits.items()
    ] or None


def _properties(properties: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name.replace("__", ":"): value
        for name, value in properties.items()
        if value is not None and value != [] and value != {}
    }


# ---------------------------------------------------------------------------------------------
# Checking terms against the CTDL schema

# A value such as "compare:GTEQ" or "ceterms:OpenBadge": a prefixed term, not a URL.
_TERM = re.compile(r"^([A-Za-z][A-Za-z0-9]*):([A-Za-z][A-Za-z0-9_]*)$")
_NOT_TERMS = frozenset({"http", "https", "urn", "did", "mailto", "data"})


@dataclass(frozen=True)
class _Vocabulary:
    classes: frozenset[str]
    properties: Mapping[str, frozenset[str]]  # property -> the classes of its domain
    concepts: frozenset[str]
    parents: Mapping[str, frozenset[str]]  # class -> its direct superclasses

    @classmethod
    def of(cls, schema: Mapping[str, Any]) -> _Vocabulary:
        classes, concepts = set(), set()
        properties: dict[str, frozenset[str]] = {}
        parents: dict[str, frozenset[str]] = {}
        for term in schema.get("@graph", []):
            kinds = term.get("@type")
            kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
            name = term.get("@id")
            if "rdfs:Class" in kinds:
                classes.add(name)
                parents[name] = frozenset(term.get("rdfs:subClassOf") or ())
            if "rdf:Property" in kinds:
                properties[name] = frozenset(term.get("schema:domainIncludes") or ())
            if kinds & {"skos:Concept", "skos:ConceptScheme"}:
                concepts.add(name)
        return cls(frozenset(classes), properties, frozenset(concepts), parents)

    def lineage(self, name: str) -> set[str]:
        """Return ``name`` and every class it is a subclass of."""
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, ()))
        return seen

    def known(self, term: str) -> bool:
        return term in self.classes or term in self.properties or term in self.concepts


def vocabulary_problems(document: Mapping[str, Any], schema: Mapping[str, Any]) -> list[str]:
    """Return every term of ``document`` the CTDL ``schema`` does not know or allow there.

    Reported: a class, property or concept (``compare:GTEQ``) missing from the schema,
    and a property used on a node none of whose types (or their superclasses) is in the
    property's ``schema:domainIncludes``. Each problem starts with the JSON path.
    """
    vocabulary = _Vocabulary.of(schema)
    problems: list[str] = []
    top = document.get("@graph")
    if isinstance(top, list):
        for index, item in enumerate(top):
            _check_node(item, f"@graph[{index}]", vocabulary, problems)
    else:
        _check_node(document, "$", vocabulary, problems)
    return problems


def _check_node(data: Any, path: str, vocabulary: _Vocabulary, problems: list[str]) -> None:
    if not isinstance(data, Mapping):
        return
    raw_types = data.get("@type")
    types = [raw_types] if isinstance(raw_types, str) else list(raw_types or ())
    lineage: set[str] = set()
    for type_ in types:
        if type_ in vocabulary.classes:
            lineage |= vocabulary.lineage(type_)
        else:
            problems.append(f"{path}.@type: unknown class {type_!r}")
    for name, value in data.items():
        if name.startswith("@"):
            continue
        where = f"{path}.{name}"
        if name not in vocabulary.properties:
            problems.append(f"{where}: unknown property {name!r}")
        else:
            domain = vocabulary.properties[name]
            # An unknown class is reported once, not again for each of its properties.
            if domain and lineage and not domain & lineage:
                problems.append(f"{where}: {name} is not a property of {', '.join(types)}")
        _check_value(value, where, vocabulary, problems)


def _check_value(value: Any, path: str, vocabulary: _Vocabulary, problems: list[str]) -> None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, f"{path}[{index}]", vocabulary, problems)
    elif isinstance(value, Mapping):
        # A nested resource has a type; any other object is a language map.
        if "@type" in value:
            _check_node(value, path, vocabulary, problems)
    elif isinstance(value, str):
        match = _TERM.match(value)
        if match and match.group(1) not in _NOT_TERMS and not vocabulary.known(value):
            problems.append(f"{path}: unknown term {value!r}")
