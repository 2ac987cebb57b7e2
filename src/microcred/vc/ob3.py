"""Open Badges 3.0 data models and their structural checks.

The models follow the 1EdTech data model (Open Badges 3.0, appendix B, "Data
Models"): the spec's class and property names, required properties and
cardinalities, and ``extra="allow"`` because OB 3.0 may be extended. A
property of cardinality 0..* accepts a single value too, as JSON-LD does;
``type`` accepts a string or a list and must include the class's own type.

:func:`validate_ob3` reports each departure as a
:class:`~microcred.vc.datamodel.Problem` whose path points into the JSON as
received, in plain words. Rules the models cannot express (a result must
refer to one of the achievement's result descriptions; extensible
vocabularies) run on the JSON afterwards. The VC data model's own rules are
:mod:`microcred.vc.datamodel`'s business and are not repeated here.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Generic, Literal, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from microcred.text import sentence
from microcred.vc.datamodel import (
    ROOT,
    Problem,
    as_list,
    child,
    data_model_version,
    is_compact_jws,
    is_url,
    items_with_paths,
)
from microcred.vc.dates import parse_datetime
from microcred.vc.errors import VCError

OB3_CONTEXT_PREFIX = "https://purl.imsglobal.org/spec/ob/v3p0/context"
OB3_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
EXTENSION_PREFIX = "ext:"

# Extensible enumerations (appendix B, "EnumExt"): other values must start with "ext:".
ACHIEVEMENT_TYPES = frozenset(
    (
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    )
)
ALIGNMENT_TARGET_TYPES = frozenset(
    (
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    )
)
RESULT_TYPES = frozenset(
    (
        "GradePointAverage",
        "LetterGrade",
        "Percent",
        "PerformanceLevel",
        "PredictedScore",
        "RawScore",
        "Result",
        "RubricCriterion",
        "RubricCriterionLevel",
        "RubricScore",
        "ScaledScore",
        "Status",
    )
)
IDENTIFIER_TYPES = frozenset(
    (
        "name",
        "sourcedId",
        "systemId",
        "productId",
        "userName",
        "accountId",
        "emailAddress",
        "nationalIdentityNumber",
        "isbn",
        "issn",
        "lisSourcedId",
        "oneRosterSourcedId",
        "sisSourcedId",
        "ltiContextId",
        "ltiDeploymentId",
        "ltiToolId",
        "ltiPlatformId",
        "ltiUserId",
        "identifier",
    )
)
VOCABULARIES = {
    "achievementType": ACHIEVEMENT_TYPES,
    "targetType": ALIGNMENT_TARGET_TYPES,
    "resultType": RESULT_TYPES,
    "identityType": IDENTIFIER_TYPES,
    "identifierType": IDENTIFIER_TYPES,
}
# A closed enumeration (appendix B, ResultStatusType).
ResultStatusType = Literal[
    "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"
]

T = TypeVar("T")
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}$")
_URL_TAG, _PROFILE_TAG, _IMAGE_TAG = "<URL>", "<Profile>", "<Image>"


# -- value types -------------------------------------------------------------------------


def _uri(value: str) -> str:
    if not is_url(value):
        raise PydanticCustomError(
            "not_uri", f"must be a URI, such as https://... or urn:uuid:...; got {value!r}."
        )
    return value


def _datetime(value: str) -> str:
    try:
        parse_datetime(value)
    except VCError as error:
        raise PydanticCustomError(
            "not_datetime", f"is not a valid date-time: {error.message}"
        ) from error
    return value


def _date(value: str) -> str:
    if not _DATE.match(value):
        raise PydanticCustomError("not_date", f"must be a date such as 2001-12-31; got {value!r}.")
    return value


def _compact_jws(value: str) -> str:
    if not is_compact_jws(value):
        raise PydanticCustomError(
            "not_jws", "must be a compact JWS (three base64url parts joined by dots)."
        )
    return value


class _TypeIncluding:
    """``type: TypeIncluding[Literal["Profile"]]``: one or more strings, "Profile" among them.

    A literal of several names means any one of them will do.
    """

    def __class_getitem__(cls, literal: Any) -> Any:
        declared = get_args(literal)
        names = frozenset(declared)
        expected = " or ".join(f'"{name}"' for name in declared)

        def check(values: list[str]) -> list[str]:
            if names.isdisjoint(values):
                raise PydanticCustomError(
                    "type_value", f"type must include {expected}; it is {values}."
                )
            return values

        return Annotated[list[str], BeforeValidator(as_list), AfterValidator(check)]


_Names = TypeVar("_Names")

if TYPE_CHECKING:
    # What a type checker sees: a list of strings, whose parameter names the ones it includes.
    class TypeIncluding(list[str], Generic[_Names]): ...
else:
    TypeIncluding = _TypeIncluding


URI = Annotated[str, AfterValidator(_uri)]
DateTime = Annotated[str, AfterValidator(_datetime)]
Date = Annotated[str, AfterValidator(_date)]
CompactJws = Annotated[str, AfterValidator(_compact_jws)]
OneOrMany = Annotated[list[T], BeforeValidator(as_list)]


class OBModel(BaseModel):
    """Base of the Open Badges and CLR models: strict JSON types, extensions allowed."""

    model_config = ConfigDict(extra="allow", strict=True, populate_by_name=True)


# -- appendix B: the classes ---------------------------------------------------------------


class Image(OBModel):
    id: URI = Field(description="the URI or data: URI of the image")
    type: TypeIncluding[Literal["Image"]] = Field(description='"Image"')
    caption: str | None = None


# An Image, or the URL of one: JSON-LD reads both the same; OB 3.0 asks for the object.
ImageRef = Annotated[
    Annotated[URI, Tag(_URL_TAG)] | Annotated[Image, Tag(_IMAGE_TAG)],
    Discriminator(lambda value: _URL_TAG if isinstance(value, str) else _IMAGE_TAG),
]


class GeoCoordinates(OBModel):
    type: TypeIncluding[Literal["GeoCoordinates"]] = Field(description='"GeoCoordinates"')
    latitude: float = Field(description="the latitude of the location")
    longitude: float = Field(description="the longitude of the location")


class Address(OBModel):
    type: TypeIncluding[Literal["Address"]] = Field(description='"Address"')
    addressCountry: str | None = None
    addressCountryCode: str | None = None
    addressRegion: str | None = None
    addressLocality: str | None = None
    streetAddress: str | None = None
    postOfficeBoxNumber: str | None = None
    postalCode: str | None = None
    geo: GeoCoordinates | None = None


class IdentifierEntry(OBModel):
    type: TypeIncluding[Literal["IdentifierEntry"]] = Field(description='"IdentifierEntry"')
    identifier: str = Field(description="the identifier")
    identifierType: str = Field(description="the identifier type, such as sourcedId")


class IdentityObject(OBModel):
    type: TypeIncluding[Literal["IdentityObject"]] = Field(description='"IdentityObject"')
    hashed: bool = Field(description="whether identityHash is hashed")
    identityHash: str = Field(description="the identity, or its hash")
    identityType: str = Field(description="the identity type, such as emailAddress")
    salt: str | None = None


class EndorsementSubject(OBModel):
    id: URI = Field(description="what is endorsed")
    type: TypeIncluding[Literal["EndorsementSubject"]] = Field(description='"EndorsementSubject"')
    endorsementComment: str | None = None


class Profile(OBModel):
    id: URI = Field(description="the URI that identifies the profile")
    type: TypeIncluding[Literal["Profile"]] = Field(description='"Profile"')
    name: str | None = None
    url: URI | None = None
    phone: str | None = None
    description: str | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsementJwt: OneOrMany[CompactJws] | None = None
    image: ImageRef | None = None
    email: str | None = None
    address: Address | None = None
    otherIdentifier: OneOrMany[IdentifierEntry] | None = None
    official: str | None = None
    parentOrg: Profile | None = None
    familyName: str | None = None
    givenName: str | None = None
    additionalName: str | None = None
    patronymicName: str | None = None
    honorificPrefix: str | None = None
    honorificSuffix: str | None = None
    familyNamePrefix: str | None = None
    dateOfBirth: Date | None = None


# A Profile, or the URL of one (appendix B, ProfileRef). Tagged, so an error names one branch.
ProfileRef = Annotated[
    Annotated[URI, Tag(_URL_TAG)] | Annotated[Profile, Tag(_PROFILE_TAG)],
    Discriminator(lambda value: _URL_TAG if isinstance(value, str) else _PROFILE_TAG),
]


class Criteria(OBModel):
    id: URI | None = None
    narrative: str | None = None


class Alignment(OBModel):
    type: TypeIncluding[Literal["Alignment"]] = Field(description='"Alignment"')
    targetCode: str | None = None
    targetDescription: str | None = None
    targetName: str = Field(description="the name of the alignment target")
    targetFramework: str | None = None
    targetType: str | None = None
    targetUrl: URI = Field(description="the URL of the alignment target")


class Related(OBModel):
    id: URI = Field(description="the related achievement")
    type: TypeIncluding[Literal["Related"]] = Field(description='"Related"')
    inLanguage: str | None = None
    version: str | None = None


class RubricCriterionLevel(OBModel):
    id: URI = Field(description="the URI results use to refer to this level")
    type: TypeIncluding[Literal["RubricCriterionLevel"]] = Field(
        description='"RubricCriterionLevel"'
    )
    alignment: OneOrMany[Alignment] | None = None
    description: str | None = None
    level: str | None = None
    name: str = Field(description="the name of the level")
    points: str | None = None


class ResultDescription(OBModel):
    id: URI = Field(description="the URI results use to refer to this description")
    type: TypeIncluding[Literal["ResultDescription"]] = Field(description='"ResultDescription"')
    alignment: OneOrMany[Alignment] | None = None
    allowedValue: OneOrMany[str] | None = None
    name: str = Field(description="the name of the result")
    requiredLevel: URI | None = None
    requiredValue: str | None = None
    resultType: str = Field(description="the type of result, such as LetterGrade")
    rubricCriterionLevel: OneOrMany[RubricCriterionLevel] | None = None
    valueMax: str | None = None
    valueMin: str | None = None


class Result(OBModel):
    type: TypeIncluding[Literal["Result"]] = Field(description='"Result"')
    achievedLevel: URI | None = None
    alignment: OneOrMany[Alignment] | None = None
    resultDescription: URI | None = None
    status: ResultStatusType | None = None
    value: str | None = None


class Achievement(OBModel):
    id: URI = Field(description="the URI that identifies the achievement")
    type: TypeIncluding[Literal["Achievement"]] = Field(description='"Achievement"')
    alignment: OneOrMany[Alignment] | None = None
    achievementType: str | None = None
    creator: Profile | None = None
    creditsAvailable: float | None = None
    criteria: Criteria = Field(description="how to earn the achievement")
    description: str = Field(description="a short description of the achievement")
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsementJwt: OneOrMany[CompactJws] | None = None
    fieldOfStudy: str | None = None
    humanCode: str | None = None
    image: ImageRef | None = None
    inLanguage: str | None = None
    name: str = Field(description="the name of the achievement")
    otherIdentifier: OneOrMany[IdentifierEntry] | None = None
    related: OneOrMany[Related] | None = None
    resultDescription: OneOrMany[ResultDescription] | None = None
    specialization: str | None = None
    tag: OneOrMany[str] | None = None
    version: str | None = None


class Evidence(OBModel):
    id: URI | None = None
    type: TypeIncluding[Literal["Evidence"]] = Field(description='"Evidence"')
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class AchievementSubject(OBModel):
    id: URI | None = None
    type: TypeIncluding[Literal["AchievementSubject"]] = Field(description='"AchievementSubject"')
    activityEndDate: DateTime | None = None
    activityStartDate: DateTime | None = None
    creditsEarned: float | None = None
    achievement: Achievement = Field(description="the achievement being awarded")
    identifier: OneOrMany[IdentityObject] | None = None
    image: ImageRef | None = None
    licenseNumber: str | None = None
    narrative: str | None = None
    result: OneOrMany[Result] | None = None
    role: str | None = None
    source: Profile | None = None
    term: str | None = None


class VerifiableCredentialBase(OBModel):
    """The properties OB 3.0 and CLR 2.0 credentials share (appendix B, VerifiableCredential)."""

    context: OneOrMany[Any] = Field(alias="@context", description="the JSON-LD contexts")
    id: URI = Field(description="the URI that identifies the credential")
    issuer: ProfileRef = Field(description="the issuer's Profile")
    validFrom: DateTime | None = Field(default=None, validate_default=True)
    validUntil: DateTime | None = None
    awardedDate: DateTime | None = None
    name: str | None = None
    description: str | None = None
    image: ImageRef | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsementJwt: OneOrMany[CompactJws] | None = None

    @field_validator("validFrom")
    @classmethod
    def _valid_from_in_v2(cls, value: str | None, info: ValidationInfo) -> str | None:
        contexts = info.data.get("context") or []
        if value is None and data_model_version({"@context": contexts}) == "2.0":
            raise PydanticCustomError(
                "valid_from_missing",
                "validFrom is missing: an Open Badges 3.0 or CLR 2.0 credential must say from "
                "when it is valid (such as the date it was issued).",
            )
        return value


class EndorsementCredential(VerifiableCredentialBase):
    type: TypeIncluding[Literal["EndorsementCredential"]] = Field(
        description='"EndorsementCredential"'
    )
    credentialSubject: EndorsementSubject = Field(description="what is endorsed")


class AchievementCredential(VerifiableCredentialBase):
    """An awarded achievement; ``OpenBadgeCredential`` is its alias."""

    type: TypeIncluding[Literal["AchievementCredential", "OpenBadgeCredential"]] = Field(
        description='"AchievementCredential" or "OpenBadgeCredential"'
    )
    credentialSubject: AchievementSubject = Field(description="the recipient and the achievement")
    evidence: OneOrMany[Evidence] | None = None


OpenBadgeCredential = AchievementCredential

# Resolve the references to classes defined further down (endorsements appear everywhere).
for _model in (
    Profile,
    Achievement,
    AchievementSubject,
    VerifiableCredentialBase,
    EndorsementCredential,
    AchievementCredential,
):
    _model.model_rebuild()


# -- validation ----------------------------------------------------------------------------


def validate_ob3(document: Any) -> list[Problem]:
    """Return every way ``document`` departs from Open Badges 3.0 (appendix B).

    An ``EndorsementCredential`` is checked as one; anything else as an
    ``AchievementCredential``, so a credential of neither type says so.
    """
    if not isinstance(document, dict):
        return [
            Problem(
                ROOT, sentence("An Open Badges credential must be a JSON object."), "ob3.not_object"
            )
        ]
    model = (
        EndorsementCredential
        if "EndorsementCredential" in as_list(document.get("type"))
        else AchievementCredential
    )
    problems = model_problems(model, document, prefix="ob3")
    problems += context_problems(document, OB3_CONTEXT_PREFIX, OB3_CONTEXT, prefix="ob3")
    problems += name_problems(document, prefix="ob3")
    subject = document.get("credentialSubject")
    if model is AchievementCredential and isinstance(subject, dict):
        subject_path = child(ROOT, "credentialSubject")
        problems += identity_problems(subject, subject_path, prefix="ob3")
        problems += result_problems(subject, subject_path)
    problems += advisory_problems(document, ROOT, prefix="ob3")
    return problems


def model_problems(
    model: type[BaseModel], document: dict[str, Any], *, prefix: str
) -> list[Problem]:
    """Validate ``document`` with ``model`` and return its errors as problems at JSON paths."""
    try:
        model.model_validate(document)
    except ValidationError as error:
        return [_problem(model, document, detail, prefix) for detail in error.errors()]
    return []


def context_problems(
    document: dict[str, Any], family: str, current: str, *, prefix: str
) -> list[Problem]:
    """Require a context of the specification's family, which defines its terms.

    OB 3.0 and CLR 2.0 put it after the VC base context; any version of it
    will do here (outdated versions are the verifier's warning to give).
    """
    if any(isinstance(c, str) and c.startswith(family) for c in as_list(document.get("@context"))):
        return []
    return [
        Problem(
            child(ROOT, "@context"),
            sentence(
                "No %(family)s... context: add %(current)s after the VC base context.",
                family=family,
                current=current,
            ),
            f"{prefix}.context.missing",
        )
    ]


def name_problems(document: dict[str, Any], *, prefix: str) -> list[Problem]:
    """Warn about a credential without a name: wallets show it (appendix B, name)."""
    if "name" in document:
        return []
    return [
        Problem(
            child(ROOT, "name"),
            sentence("The credential has no name: add one so wallets and verifiers can show it."),
            f"{prefix}.name.missing",
            "warning",
        )
    ]


def identity_problems(subject: dict[str, Any], path: str, *, prefix: str) -> list[Problem]:
    """Warn about a subject with neither id nor identifier (appendix B, AchievementSubject).

    OB 3.0 says one MUST be supplied, but its JSON Schema does not enforce it
    and widely used issuers leave both out (the Digital Credentials
    Consortium names the learner instead), so this is a warning: such a
    badge still verifies, but cannot be tied to its recipient.
    """
    if "id" in subject or as_list(subject.get("identifier")):
        return []
    return [
        Problem(
            path,
            sentence(
                "The subject has neither an id nor an identifier, so nothing ties the credential "
                "to its recipient: add the learner's id (such as a DID) or an IdentityObject."
            ),
            f"{prefix}.credentialSubject.identity",
            "warning",
        )
    ]


def result_problems(subject: dict[str, Any], path: str) -> list[Problem]:
    """Appendix B, Result: results refer to what the achievement declares.

    ``resultDescription`` is the id of one of the achievement's result
    descriptions, ``achievedLevel`` the id of one of its rubric criterion
    levels, and a result whose description has ``resultType`` Status carries
    a ``status``.
    """
    achievement = subject.get("achievement")
    declared = achievement.get("resultDescription") if isinstance(achievement, dict) else None
    descriptions = {
        description.get("id"): description
        for description in as_list(declared)
        if isinstance(description, dict)
    }
    levels = {
        level.get("id")
        for description in descriptions.values()
        for level in as_list(description.get("rubricCriterionLevel"))
        if isinstance(level, dict)
    }
    problems = []
    for result_path, result in items_with_paths(subject, path, "result"):
        if not isinstance(result, dict):
            continue
        reference = result.get("resultDescription")
        if reference is not None and reference not in descriptions:
            known = ", ".join(map(str, descriptions)) or "none"
            problems.append(
                Problem(
                    child(result_path, "resultDescription"),
                    sentence(
                        "resultDescription %(reference)s is not the id of a resultDescription "
                        "of the achievement (it declares: %(known)s).",
                        reference=repr(reference),
                        known=known,
                    ),
                    "ob3.result.resultDescription",
                )
            )
        level = result.get("achievedLevel")
        if level is not None and level not in levels:
            problems.append(
                Problem(
                    child(result_path, "achievedLevel"),
                    sentence(
                        "achievedLevel %(level)s is not the id of a rubricCriterionLevel of the"
                        " achievement's result descriptions.",
                        level=repr(level),
                    ),
                    "ob3.result.achievedLevel",
                )
            )
        linked = descriptions.get(reference, {})
        if linked.get("resultType") == "Status" and "status" not in result:
            problems.append(
                Problem(
                    child(result_path, "status"),
                    sentence(
                        "The linked result description has resultType Status, so the result needs "
                        "a status, such as Completed."
                    ),
                    "ob3.result.status",
                )
            )
    return problems


def advisory_problems(value: Any, path: str, *, prefix: str) -> list[Problem]:
    """Return warnings about what the spec recommends, anywhere in ``value``.

    Appendix B: a term outside an extensible vocabulary starts with
    ``ext:``, criteria SHOULD have an id or a narrative, and an
    image is an Image object (a bare URL reads the same in JSON-LD, so it is
    only a warning). Credentials nested in a CLR are checked on their own.
    """
    problems: list[Problem] = []
    _advise(value, path, prefix, problems)
    return problems


# Where the walk is: the path it started at, or (where its parent is, a key or an index). The
# path is written out only for a problem found: nearly every credential has none, and writing
# the path of every object and array walked took half of the walk's time.
_Where = str | tuple["_Where", str | int]


def _path(where: _Where) -> str:
    keys = []
    while isinstance(where, tuple):
        where, key = where
        keys.append(key)
    path = where
    for key in reversed(keys):
        path = child(path, key)
    return path


def _advise(value: Any, where: _Where, prefix: str, problems: list[Problem]) -> None:
    """Add the advisory problems of ``value`` and what it holds to ``problems``."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                _advise(item, (where, index), prefix, problems)
        return
    if not isinstance(value, dict):
        return
    for key, item in value.items():
        if isinstance(item, str):
            terms = VOCABULARIES.get(key)
            if terms is not None:
                if item not in terms and not item.startswith(EXTENSION_PREFIX):
                    problems.append(_outside_vocabulary(_path((where, key)), key, item, prefix))
            elif key == "image":
                problems.append(
                    Problem(
                        _path((where, key)),
                        sentence(
                            "The image is a bare URL; Open Badges 3.0 expects "
                            '{"id": <URL>, "type": "Image"}.'
                        ),
                        f"{prefix}.image.url",
                        "warning",
                    )
                )
        elif isinstance(item, dict | list):
            if key == "criteria" and isinstance(item, dict) and not {"id", "narrative"} & set(item):
                problems.append(
                    Problem(
                        _path((where, key)),
                        sentence(
                            "The criteria have neither an id (a page describing them) nor a "
                            "narrative; add one so people can see how the achievement is earned."
                        ),
                        f"{prefix}.criteria.empty",
                        "warning",
                    )
                )
            elif key not in ("verifiableCredential", "proof", "@context"):
                # Only objects and arrays hold more to check: the walk skips plain values.
                _advise(item, (where, key), prefix, problems)


def _outside_vocabulary(path: str, key: str, item: str, prefix: str) -> Problem:
    return Problem(
        path,
        sentence(
            "%(key)s %(item)s is not in the Open Badges vocabulary; use a defined "
            "term or mark an extension with the ext: prefix "
            "(%(extension_prefix)s%(name)s).",
            key=key,
            item=repr(item),
            extension_prefix=EXTENSION_PREFIX,
            name=item,
        ),
        f"{prefix}.{key}.unknown",
        "warning",
    )


# -- pydantic errors as problems -----------------------------------------------------------

_CODES = {
    "missing": "required",
    "string_type": "not_string",
    "float_type": "not_number",
    "int_type": "not_number",
    "bool_type": "not_boolean",
    "model_type": "not_object",
    "dict_type": "not_object",
    "literal_error": "not_in_vocabulary",
    "too_short": "too_few",
}
_MESSAGES = {
    "not_string": "{name} must be a string.",
    "not_number": "{name} must be a number.",
    "not_boolean": "{name} must be true or false.",
    "not_in_vocabulary": "{name} must be one of {expected}.",
    "too_few": "{name} must have at least {min_length} item(s).",
}
# Our own errors whose message goes after the property name.
_PREDICATES = {"not_uri", "not_date", "not_datetime", "not_jws"}
_TAGS = (_URL_TAG, _PROFILE_TAG, _IMAGE_TAG)


def _problem(model: type[BaseModel], document: Any, detail: Any, prefix: str) -> Problem:
    """Translate one pydantic error into a problem in the words of the data model."""
    loc = [part for part in detail["loc"] if part not in _TAGS]
    name = next((part for part in reversed(loc) if isinstance(part, str)), "The value")
    code = _CODES.get(detail["type"], detail["type"])
    if code == "required":
        owner = _model_at(model, loc[:-1])
        field = _field(owner, loc[-1]) if owner else None
        why = f" ({field.description})" if field and field.description else ""
        owner_name = owner.__name__ if owner else "this object"
        message = f"{name} is missing; {owner_name} requires it{why}."
    elif code == "not_object":
        target = _model_at(model, loc)
        or_url = "a URL or " if any(part in _TAGS for part in detail["loc"]) else ""
        kind = target.__name__ if target else "an object"
        message = f"{name} must be {or_url}a JSON object ({kind})."
    elif code in _MESSAGES:
        message = _MESSAGES[code].format(name=name, **detail.get("ctx", {}))
    elif code in _PREDICATES:
        message = f"{name} {detail['msg']}"
    else:
        message = detail["msg"]
    return Problem(_json_path(document, loc), message, f"{prefix}.{code}")


def _json_path(document: Any, loc: list[str | int]) -> str:
    """Return the JSON path of a pydantic location in the document as received.

    Single values of "one or many" properties were wrapped in a list before
    validation; their index 0 does not exist in the original and is dropped.
    """
    path, node = ROOT, document
    for part in loc:
        if isinstance(part, int):
            if not isinstance(node, list):
                continue
            node = node[part] if part < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
        path = child(path, part)
    return path


def _model_at(model: type[BaseModel], loc: list[str | int]) -> type[BaseModel] | None:
    """Return the model class that validates the value at ``loc``, if one does."""
    current: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = _field(current, part) if current else None
        current = _model_in(field.annotation) if field else None
    return current


def _field(model: type[BaseModel], name: str) -> FieldInfo | None:
    for attribute, field in model.model_fields.items():
        if name in (attribute, field.alias):
            return field
    return None


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
