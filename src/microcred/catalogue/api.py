"""API routes of the catalogue app; handlers stay thin and call services.

The catalogue, achievements and skill suggestions are public; an
organisation's micro-credentials need a member's access, and changing them the
designer's (owners may too). Errors name the field by its JSON path, such as
``outcomes[1].skills[0].uri``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict, create_model

from microcred.accounts.auth import AUTH, AuthenticatedHttpRequest
from microcred.catalogue import services
from microcred.catalogue.fields import SPECIFICATION, Kind, SpecField
from microcred.catalogue.models import MicroCredentialVersion
from microcred.organisations import services as organisations

router = Router(tags=["catalogue"], auth=AUTH)


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class SkillIn(Strict):
    uri: str = Field(description="The skill's URI, such as http://data.europa.eu/esco/skill/...")
    label: str | None = Field(
        None, description="Its name; taken from ESCO when absent (required outside ESCO)."
    )
    framework: str = Field("ESCO", description="The framework the skill belongs to.")


class OutcomeIn(Strict):
    text: str = Field(description="The learning outcome: what a learner can do.")
    skills: list[SkillIn] = Field([], description="Skills the outcome aligns to.")


class LevelIn(Strict):
    name: str = Field(description="Name of the level, such as Proficient.")
    points: int = Field(0, ge=0, description="Points the level is worth.")
    description: str = ""


class CriterionIn(Strict):
    name: str = Field(description="What is judged.")
    description: str = ""
    outcomes: list[int] = Field([], description="Numbers of the outcomes it assesses (1 first).")
    levels: list[LevelIn] = Field(description="Its levels, lowest first.")
    minimum_level: str | None = Field(None, description="Name of the level needed to pass.")


class RubricIn(Strict):
    pass_rule: str = Field(description="The pass rule in words.")
    pass_points: int | None = Field(None, ge=0, description="Minimum total points, if any.")
    criteria: list[CriterionIn] = Field(description="The criteria, at least one.")


# The declared fields the API's JSON carries; the badge image is uploaded on the design page.
API_FIELDS = tuple(field for field in SPECIFICATION if field.kind is not Kind.IMAGE)
# Those a new micro-credential cannot do without: no default stands in for them.
CREATE_FIELDS = tuple(field for field in API_FIELDS if not field.blank and field.default is None)


def input_type(field: SpecField) -> Any:
    """Return the type the API's input schemas give a declared field, ``None`` aside."""
    match field.kind:
        case Kind.LINE | Kind.TEXT if field.schema_lists_choices:
            return Literal[(*field.choice_values, *([""] if field.blank else []))]
        case Kind.LINE | Kind.TEXT:
            return str
        case Kind.DECIMAL:
            return Decimal
        case Kind.INTEGER:
            return int
        case Kind.BOOLEAN:
            return bool
        case Kind.WORDS:
            return list[str]
        case Kind.DATE:
            return date
    raise ValueError(f"The API has no type for {field.kind}.")


def output_type(field: SpecField) -> Any:
    """Return the type :class:`VersionOut` gives a declared field: a text (even one of
    choices) or a list is empty, a number or a date ``None``, when not stated."""
    if field.kind in (Kind.DECIMAL, Kind.INTEGER, Kind.DATE):
        return input_type(field) | None
    if field.kind in (Kind.LINE, Kind.TEXT):
        return str
    return input_type(field)


def describe(field: SpecField) -> str:
    """Return a declared field's description in the API document: in English, as the API
    answers, even when the module is first loaded while a page is read in another language."""
    with translation.override("en"):
        words = [str(field.help_text or f"{field.label}.")]
    if field.annex_i is not None:
        need = "mandatory" if field.annex_i.mandatory else "optional"
        words.append(f"Annex I element: {field.annex_i.words} ({need}).")
    return " ".join(words)


def input_fields(fields: Iterable[SpecField], *, optional: bool) -> dict[str, Any]:
    """Return pydantic definitions of declared fields for an input schema; an optional one
    may be absent or ``null`` (not changed, or not stated)."""
    return {
        field.name: (
            input_type(field) | None if optional else input_type(field),
            Field(None if optional else ..., description=describe(field)),
        )
        for field in fields
    }


# The schemas of declared fields are built from catalogue.fields.SPECIFICATION when the module
# loads; a type checker sees each as its base.
if TYPE_CHECKING:
    _DeclaredFields = Strict
else:
    _DeclaredFields = create_model(
        "DeclaredFields",
        __base__=Strict,
        **input_fields((f for f in API_FIELDS if f not in CREATE_FIELDS), optional=True),
    )


class VersionFields(_DeclaredFields):
    """A version's fields; every one is optional while it is a draft."""

    outcomes: list[OutcomeIn] | None = Field(
        None, description="The learning outcomes, replacing the current ones."
    )
    credits: dict[str, Decimal] | None = Field(
        None,
        description="Credit values by system (ECTS, UK, NZQCF, US_SEMESTER, CEU, HOURS), "
        "replacing the current ones.",
    )
    rubric: RubricIn | None = Field(None, description="The rubric, replacing the current one.")


if TYPE_CHECKING:
    VersionPatch = VersionFields
    MicroCredentialIn = VersionFields
else:
    VersionPatch = create_model(
        "VersionPatch", __base__=VersionFields, **input_fields(CREATE_FIELDS, optional=True)
    )
    MicroCredentialIn = create_model(
        "MicroCredentialIn",
        __base__=VersionFields,
        **input_fields(CREATE_FIELDS, optional=False),
        slug=(
            str | None,
            Field(
                None,
                description="Lowercase letters, digits and hyphens; made from the title if absent.",
            ),
        ),
    )


class SkillOut(Schema):
    uri: str
    label: str
    framework: str


class OutcomeOut(Schema):
    number: int
    text: str
    skills: list[SkillOut]


class CreditOut(Schema):
    system: str
    value: Decimal
    hours_low: float
    hours_high: float


class CreditFindingOut(Schema):
    field: str
    message: str


class MissingOut(Schema):
    field: str
    element: str


class _VersionHead(Schema):
    organisation: str
    microcredential: str
    number: int
    status: str
    achievement_id: str
    page_url: str | None = Field(description="Its catalogue page, once published.")


if TYPE_CHECKING:
    _VersionOwn = _VersionHead
else:
    _VersionOwn = create_model(
        "VersionOwn",
        __base__=_VersionHead,
        **{
            field.name: (output_type(field), Field(description=describe(field)))
            for field in API_FIELDS
        },
    )


class VersionOut(_VersionOwn):
    outcomes: list[OutcomeOut]
    credits: list[CreditOut]
    credit_findings: list[CreditFindingOut] = Field(
        description="Credit values that disagree with the workload."
    )
    rubric: dict[str, Any] | None
    missing: list[MissingOut] = Field(description="Mandatory Annex I elements still missing.")
    published_at: datetime | None


class VersionSummary(Schema):
    number: int
    status: str
    title: str
    achievement_id: str
    published_at: datetime | None


class MicroCredentialOut(Schema):
    organisation: str
    slug: str
    title: str = Field(description="The title of its latest version.")
    versions: list[VersionSummary]


class CatalogueItem(Schema):
    organisation: str
    microcredential: str
    number: int
    title: str
    description: str
    awarding_body: str
    workload_hours: Decimal | None
    ects: float | None = Field(description="Stated ECTS, or the workload at 27.5 hours each.")
    eqf_level: int | None
    languages: list[str]
    tags: list[str]
    achievement_id: str
    page_url: str


class CataloguePage(Schema):
    count: int
    items: list[CatalogueItem]


class CatalogueQuery(Schema):
    q: str = Field("", max_length=200, description="Words to find in titles, outcomes, tags.")
    organisation: str = Field("", description="Slug of the organisation.")
    eqf_level: int | None = Field(None, ge=1, le=8)
    credits_min: Decimal | None = Field(None, ge=0, description="Lowest ECTS.")
    credits_max: Decimal | None = Field(None, ge=0, description="Highest ECTS.")
    language: str = Field("", max_length=35, description="A BCP 47 language code.")
    tag: str = Field("", max_length=50)
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class SkillSuggestion(Schema):
    uri: str
    label: str
    description: str
    score: float = Field(description="How well it matches, 0 to 1.")


class WithdrawIn(Strict):
    reason: str = Field("", max_length=500)


# The version's own columns that VersionOut shows as they are.
VERSION_FIELDS = (*(field.name for field in API_FIELDS), "number", "status", "published_at")


def _version(version: MicroCredentialVersion) -> dict[str, Any]:
    microcredential = version.microcredential
    rubric = services.get_rubric(version)
    return {
        "organisation": microcredential.organisation.slug,
        "microcredential": microcredential.slug,
        **{name: getattr(version, name) for name in VERSION_FIELDS},
        "achievement_id": services.achievement_id(version),
        "page_url": services.version_url(version)
        if version.status in services.PUBLIC_STATUSES
        else None,
        "outcomes": [
            {
                "number": outcome.position,
                "text": outcome.text,
                "skills": [
                    {"uri": skill.uri, "label": skill.label, "framework": skill.framework}
                    for skill in outcome.alignments.all()
                ],
            }
            for outcome in services.get_outcomes(version)
        ],
        "credits": [
            {
                "system": row.system,
                "value": row.value,
                "hours_low": row.hours_low,
                "hours_high": row.hours_high,
            }
            for row in services.get_credit_values(version)
        ],
        "credit_findings": [
            {"field": finding.field, "message": finding.message}
            for finding in services.check_version_credits(version)
        ],
        "rubric": _rubric(rubric),
        "missing": services.get_missing_elements(version),
    }


def _rubric(rubric: Any) -> dict[str, Any] | None:
    if rubric is None:
        return None
    return {
        "pass_rule": rubric.pass_rule,
        "pass_points": rubric.pass_points,
        "criteria": [
            {
                "name": criterion.name,
                "description": criterion.description,
                "outcomes": [outcome.position for outcome in criterion.outcomes.all()],
                "levels": [
                    {"name": level.name, "points": level.points, "description": level.description}
                    for level in criterion.levels.all()
                ],
                "minimum_level": criterion.minimum_level.name if criterion.minimum_level else None,
            }
            for criterion in rubric.criteria.all()
        ],
    }


def _fields(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


@router.get("/catalogue", response=CataloguePage, auth=None, summary="Search the catalogue")
def catalogue(request: HttpRequest, query: Query[CatalogueQuery]) -> dict[str, Any]:
    filters = query.model_dump(exclude={"limit", "offset"})
    found = services.search_catalogue(
        **filters, offset=query.offset, limit=query.limit, count=True, with_credits=True
    )
    return {
        "count": found.count,
        "items": [
            {
                "organisation": version.microcredential.organisation.slug,
                "microcredential": version.microcredential.slug,
                "number": version.number,
                "title": version.title,
                "description": version.description,
                "awarding_body": version.awarding_body or version.microcredential.organisation.name,
                "workload_hours": version.workload_hours,
                "ects": services.ects_of(version),
                "eqf_level": version.eqf_level,
                "languages": version.languages,
                "tags": version.tags,
                "achievement_id": services.achievement_id(version),
                "page_url": services.version_url(version),
            }
            for version in found.versions
        ],
    }


@router.get(
    "/orgs/{org}/microcredentials",
    response=list[MicroCredentialOut],
    summary="The organisation's micro-credentials (members)",
)
def list_microcredentials(request: AuthenticatedHttpRequest, org: str) -> list[dict[str, Any]]:
    organisation = organisations.access_organisation(request.auth, org)
    return [
        _microcredential(entry.microcredential)
        for entry in services.get_microcredentials(organisation)
    ]


def _microcredential(microcredential: Any) -> dict[str, Any]:
    versions = services.get_versions(microcredential)
    return {
        "organisation": microcredential.organisation.slug,
        "slug": microcredential.slug,
        "title": versions[-1].title,
        "versions": [
            {
                "number": version.number,
                "status": version.status,
                "title": version.title,
                "achievement_id": services.achievement_id(version),
                "published_at": version.published_at,
            }
            for version in versions
        ],
    }


@router.post(
    "/orgs/{org}/microcredentials",
    response={201: VersionOut},
    summary="Create a micro-credential with its first draft version (designer)",
)
def create_microcredential(
    request: AuthenticatedHttpRequest, org: str, payload: MicroCredentialIn
) -> Status:
    organisation = organisations.access_organisation(request.auth, org, roles=services.DESIGN_ROLES)
    version = services.create_microcredential(
        actor=request.auth, organisation=organisation, **_fields(payload)
    )
    return Status(201, _version(version))


@router.get(
    "/orgs/{org}/microcredentials/{slug}",
    response=MicroCredentialOut,
    summary="A micro-credential and its versions (members)",
)
def get_microcredential(request: AuthenticatedHttpRequest, org: str, slug: str) -> dict[str, Any]:
    return _microcredential(services.access_microcredential(request.auth, org, slug))


@router.post(
    "/orgs/{org}/microcredentials/{slug}/versions",
    response={201: VersionOut},
    summary="Start a new draft version, copied from the latest (designer)",
)
def create_version(request: AuthenticatedHttpRequest, org: str, slug: str) -> Status:
    microcredential = services.access_microcredential(
        request.auth, org, slug, roles=services.DESIGN_ROLES
    )
    version = services.create_new_version(actor=request.auth, microcredential=microcredential)
    return Status(201, _version(version))


@router.get(
    "/orgs/{org}/microcredentials/{slug}/versions/{number}",
    response=VersionOut,
    summary="A version, drafts included (members)",
)
def get_version(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int
) -> dict[str, Any]:
    return _version(services.access_version(request.auth, org, slug, number))


@router.patch(
    "/orgs/{org}/microcredentials/{slug}/versions/{number}",
    response=VersionOut,
    summary="Change a draft version (designer); a published version answers 409",
)
def update_version(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int, payload: VersionPatch
) -> dict[str, Any]:
    version = services.access_version(request.auth, org, slug, number, roles=services.DESIGN_ROLES)
    return _version(services.update_draft(actor=request.auth, version=version, **_fields(payload)))


@router.post(
    "/orgs/{org}/microcredentials/{slug}/versions/{number}/publish",
    response=VersionOut,
    summary="Publish a draft and freeze it (designer); 422 lists missing Annex I elements",
)
def publish_version(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int
) -> dict[str, Any]:
    version = services.access_version(request.auth, org, slug, number, roles=services.DESIGN_ROLES)
    return _version(services.publish_version(actor=request.auth, version=version))


@router.post(
    "/orgs/{org}/microcredentials/{slug}/versions/{number}/withdraw",
    response=VersionOut,
    summary="Withdraw a published version from the catalogue (designer)",
)
def withdraw_version(
    request: AuthenticatedHttpRequest, org: str, slug: str, number: int, payload: WithdrawIn
) -> dict[str, Any]:
    version = services.access_version(request.auth, org, slug, number, roles=services.DESIGN_ROLES)
    return _version(
        services.withdraw_version(actor=request.auth, version=version, reason=payload.reason)
    )


@router.get(
    "/achievements/{achievement}",
    response=dict[str, Any],
    auth=None,
    summary="A published version as an Open Badges 3.0 Achievement (JSON-LD)",
)
def get_achievement(request: HttpRequest, achievement: UUID) -> dict[str, Any]:
    return services.get_achievement_document(services.get_version_by_achievement(achievement))


@router.get(
    "/skills",
    response=list[SkillSuggestion],
    auth=None,
    summary="ESCO skills suggested for a text, best first",
)
def suggest_skills(
    request: HttpRequest,
    q: str = Query(..., min_length=1, max_length=2000, description="The text to match."),
    limit: int = Query(10, ge=1, le=50),
) -> list[dict[str, Any]]:
    return [
        {
            "uri": suggestion.uri,
            "label": suggestion.label,
            "description": suggestion.skill.description,
            "score": round(suggestion.score, 4),
        }
        for suggestion in services.suggest_skills(text=q, limit=limit)
    ]
