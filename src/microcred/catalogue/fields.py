"""One declaration of the fields of a specification version, and the rules that check them.

:data:`SPECIFICATION` declares each field a designer writes once: its name
(the model's attribute, the form's field, the key in the API's JSON and in the
quality checks' specification), label, help text, kind, limits, the EU Council
Recommendation 2022/C 243/02 Annex I element it carries and whether publishing
needs it, and the rule that checks it. The design form, the API's schemas, the
specification the quality checks read and the pages' lists of details are
derived from it; the model keeps its columns written out (Django needs them),
and a test proves the two agree.

Each rule turns an accepted input into the value the model stores, or raises
:class:`InvalidInput` naming the field (and the item, as in ``tags[2]``). A
draft may leave the mandatory elements empty; :func:`missing_elements` says
what publishing still needs.

Adding a field: declare it in :data:`SPECIFICATION`; add its column to
:class:`~microcred.catalogue.models.MicroCredentialVersion` and make the
migration; add it to the quality checks' typed
:class:`~microcred.frameworks.quality.Specification` (and to the format in
that package's docstring), which cannot import this module. The tests of
this declaration fail, naming the field, until the three agree. The Open
Badges Achievement and the demo data take it only if they should.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop, pgettext
from django.utils.translation import gettext_lazy as _

from microcred.catalogue.images import clean_image
from microcred.catalogue.models import (
    AchievementType,
    MicroCredentialVersion,
    ParticipationForm,
)
from microcred.core.iso_names import ISO_CATALOGUES, iso_name
from microcred.errors import InvalidInput
from microcred.frameworks.credits import format_amount
from microcred.frameworks.places import COUNTRIES, CURRENCIES, country_code, currency_code

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_WORKLOAD_HOURS = Decimal("99999.9")
NOT_STATED = _("Not stated")


class Kind(enum.Enum):
    """What a field holds; the form, the API's schemas and the quality checks follow it."""

    LINE = "one line of text"
    TEXT = "text of several lines"
    DECIMAL = "a decimal number"
    INTEGER = "a whole number"
    BOOLEAN = "true or false"
    WORDS = "a list of short texts"
    DATE = "a date"
    IMAGE = "an uploaded image"


class AnnexI(enum.Enum):
    """The elements of Annex I a specification carries, in the Recommendation's order, each
    as ``(words, mandatory)``; the learner, the date of issuing and the grade belong to an
    award. The level is mandatory "if applicable"."""

    TITLE = (gettext_noop("title"), True)
    COUNTRY = (gettext_noop("country of the awarding body"), True)
    AWARDING_BODY = (gettext_noop("awarding body"), True)
    LEARNING_OUTCOMES = (gettext_noop("learning outcomes"), True)
    WORKLOAD = (gettext_noop("notional workload"), True)
    LEVEL = (gettext_noop("level"), True)
    ASSESSMENT = (gettext_noop("type of assessment"), True)
    PARTICIPATION = (gettext_noop("form of participation"), True)
    QUALITY_ASSURANCE = (gettext_noop("type of quality assurance"), True)
    PREREQUISITES = (gettext_noop("prerequisites"), False)
    SUPERVISION = (gettext_noop("supervision and identity verification"), False)
    STACKABILITY = (gettext_noop("integration and stackability options"), False)
    FURTHER_INFORMATION = (gettext_noop("further information"), False)

    @property
    def words(self) -> str:
        """The element in English words (the API's and the records' language)."""
        return self.value[0]

    @property
    def shown_words(self) -> str:
        """The element in the words of the language the page is read in."""
        return gettext(self.value[0])

    @property
    def mandatory(self) -> bool:
        return self.value[1]


Rule = Callable[["SpecField", Any], Any]


def _empty(value: Any) -> bool:
    """Whether a stored value states nothing: ``None``, ``""`` or ``[]``."""
    return value in (None, "", [])


def _text(field: SpecField, value: Any) -> str:
    """A text field: a string, trimmed, within the field's length."""
    name, limit = field.name, field.max_length
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(gettext("%(label)s must be text.") % {"label": field.label}, field=name)
    value = value.strip()
    if limit is not None and len(value) > limit:
        raise InvalidInput(
            gettext("%(label)s has at most %(limit)s characters.")
            % {"label": field.label, "limit": limit},
            field=name,
        )
    return value


@dataclass(frozen=True)
class SpecField:
    """One field of a specification version, declared once.

    ``name`` is also its path in the API's JSON, in the quality checks'
    specification and in their findings. ``blank`` says whether a draft may
    leave it empty; ``default`` is what a new version holds when the designer
    gives nothing (a blank field holds its kind's empty value). ``choices``
    are ``(value, label)`` pairs, offered with ``blank_choice`` first when
    blank; ``schema_lists_choices`` lets the API's schema refuse other values
    (otherwise the rule does, listing the choices in its error). A ``listed``
    field is shown among the details of a version's page (the Annex I elements
    and the long texts have sections of their own), as ``when_blank`` says
    when it is empty, or not at all.
    """

    name: str
    label: StrOrPromise
    kind: Kind
    help_text: StrOrPromise = ""
    annex_i: AnnexI | None = None
    publish_needs: bool = False
    blank: bool = True
    default: Any = None
    max_length: int | None = None
    max_digits: int | None = None
    decimal_places: int | None = None
    choices: Sequence[tuple[Any, StrOrPromise]] = ()
    blank_choice: StrOrPromise = NOT_STATED
    schema_lists_choices: bool = False
    listed: bool = False
    when_blank: StrOrPromise = ""
    rule: Rule = _text

    def clean(self, value: Any) -> Any:
        """Return ``value`` as the model stores it; raise :class:`InvalidInput` naming the field."""
        return self.rule(self, value)

    @property
    def choice_values(self) -> list[Any]:
        return [value for value, _ in self.choices]

    def display(self, value: Any) -> str:
        """Return a stored value in words for a page; ``when_blank`` when it is empty."""
        if _empty(value):
            return str(self.when_blank)
        if self.choices:
            words = str(dict(self.choices).get(value, value))
            return (
                iso_name(ISO_CATALOGUES[self.name], words) if self.name in ISO_CATALOGUES else words
            )
        match self.kind:
            case Kind.WORDS:
                return ", ".join(value)
            case Kind.DECIMAL:
                return format_amount(value)
            case Kind.DATE:
                return date_format(value, pgettext("date format", "j F Y"))
        return str(value)

    def plain(self, value: Any) -> Any:
        """Return a stored value as plain JSON data, as the quality checks' specification
        holds it: numbers as floats, dates in ISO 8601, the image as whether there is one."""
        if self.kind is Kind.IMAGE:
            return bool(value)
        if value is None:
            return None
        if self.kind is Kind.DECIMAL:
            return float(value)
        if self.kind is Kind.DATE:
            return value.isoformat()
        return value


def _title(field: SpecField, value: Any) -> str:
    title = _text(field, value)
    if not title:
        raise InvalidInput(gettext("The micro-credential needs a title."), field=field.name)
    return title


def _country(field: SpecField, value: Any) -> str:
    return country_code(value, field.name)


def _decimal(field: SpecField, value: Any) -> Decimal | None:
    name, label = field.name, field.label
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(gettext("%(label)s must be a number.") % {"label": label}, field=name)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise InvalidInput(
            gettext("%(label)s must be a number; got %(value)s.")
            % {"label": label, "value": repr(value)},
            field=name,
        )
    return number


def _workload(field: SpecField, value: Any) -> Decimal | None:
    hours = _decimal(field, value)
    if hours is None:
        return None
    if not Decimal(0) < hours <= MAX_WORKLOAD_HOURS:
        raise InvalidInput(
            gettext("%(label)s must be more than 0 and at most %(most)s.")
            % {"label": field.label, "most": MAX_WORKLOAD_HOURS},
            field=field.name,
        )
    return hours.quantize(Decimal("0.1"))


def _integer(low: int, high: int) -> Rule:
    def clean(field: SpecField, value: Any) -> int | None:
        name, label = field.name, field.label
        if value is None or value == "":
            return None
        words = {"label": label, "low": low, "high": high, "value": repr(value)}
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidInput(
                gettext("%(label)s must be a whole number from %(low)s to %(high)s.") % words,
                field=name,
            )
        try:
            number = int(value)
        except ValueError:
            raise InvalidInput(
                gettext("%(label)s must be a whole number from %(low)s to %(high)s; got %(value)s.")
                % words,
                field=name,
            ) from None
        if not low <= number <= high:
            raise InvalidInput(
                gettext("%(label)s must be from %(low)s to %(high)s; got %(value)s.") % words,
                field=name,
            )
        return number

    return clean


def _choice(field: SpecField, value: Any) -> str:
    if field.blank and value in (None, ""):
        return ""
    choices = field.choice_values
    if value not in choices:
        raise InvalidInput(
            gettext("%(label)s must be one of %(choices)s; got %(value)s.")
            % {"label": field.label, "choices": ", ".join(choices), "value": repr(value)},
            field=field.name,
            data={"choices": choices},
        )
    return value


def _boolean(field: SpecField, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(
            gettext("%(label)s must be true or false.") % {"label": field.label}, field=field.name
        )
    return value


def _languages(field: SpecField, value: Any) -> list[str]:
    name = field.name
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(
            gettext("%(label)s must be a list of language codes such as en or fr-BE.")
            % {"label": field.label},
            field=name,
        )
    languages: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _LANGUAGE.match(item.strip()):
            raise InvalidInput(
                gettext(
                    "%(label)s: item %(number)s must be a BCP 47 language code such as en or "
                    "fr-BE; got %(value)s."
                )
                % {"label": field.label, "number": index + 1, "value": repr(item)},
                field=f"{name}[{index}]",
            )
        if item.strip() not in languages:
            languages.append(item.strip())
    return languages


def _tags(field: SpecField, value: Any) -> list[str]:
    name = field.name
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(
            gettext("%(label)s must be a list of words or short phrases.") % {"label": field.label},
            field=name,
        )
    if len(value) > MAX_TAGS:
        raise InvalidInput(gettext("At most %(most)s tags.") % {"most": MAX_TAGS}, field=name)
    tags: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > MAX_TAG_LENGTH:
            raise InvalidInput(
                gettext("%(label)s: item %(number)s must be text of 1 to %(most)s characters.")
                % {"label": field.label, "number": index + 1, "most": MAX_TAG_LENGTH},
                field=f"{name}[{index}]",
            )
        if item.strip() not in tags:
            tags.append(item.strip())
    return tags


def _price(field: SpecField, value: Any) -> Decimal | None:
    amount = _decimal(field, value)
    if amount is not None and amount < 0:
        raise InvalidInput(
            gettext("%(label)s cannot be negative.") % {"label": field.label}, field=field.name
        )
    return None if amount is None else amount.quantize(Decimal("0.01"))


def _currency(field: SpecField, value: Any) -> str:
    return currency_code(value, field.name)


def _date(field: SpecField, value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput(
        gettext("%(label)s must be a date such as 2027-06-30; got %(value)s.")
        % {"label": field.label, "value": repr(value)},
        field=field.name,
    )


def _image(field: SpecField, value: Any) -> ContentFile:
    return clean_image(value)


EQF_LEVELS = tuple(
    (level, format_lazy(_("EQF level {level}"), level=level)) for level in range(1, 9)
)

# In the order the design form shows them.
SPECIFICATION: tuple[SpecField, ...] = (
    SpecField(
        "title",
        _("Title"),
        Kind.LINE,
        annex_i=AnnexI.TITLE,
        publish_needs=True,
        blank=False,
        max_length=300,
        rule=_title,
    ),
    SpecField(
        "awarding_body",
        _("Awarding body"),
        Kind.LINE,
        _("The awarding body, when it is not the organisation; leave empty for the organisation."),
        annex_i=AnnexI.AWARDING_BODY,
        max_length=300,
    ),
    SpecField(
        "country",
        _("Country"),
        Kind.LINE,
        _(
            "Country of the awarding body (ISO 3166-1; the API takes the code, such as NL, or the "
            "English name)."
        ),
        annex_i=AnnexI.COUNTRY,
        publish_needs=True,
        max_length=2,
        choices=COUNTRIES,
        rule=_country,
    ),
    SpecField("description", _("Description"), Kind.TEXT),
    SpecField("statement_of_purpose", _("Statement of purpose"), Kind.TEXT),
    SpecField("evidence_of_need", _("Evidence of need"), Kind.TEXT),
    SpecField(
        "achievement_type",
        _("Achievement type"),
        Kind.LINE,
        _("Open Badges 3.0 achievementType, such as MicroCredential."),
        blank=False,
        default=AchievementType.MICRO_CREDENTIAL.value,
        max_length=40,
        choices=AchievementType.choices,
        listed=True,
        rule=_choice,
    ),
    SpecField("criteria", _("Criteria"), Kind.TEXT, _("What a learner must do to earn it.")),
    SpecField(
        "workload_hours",
        _("Notional workload (hours)"),
        Kind.DECIMAL,
        _("Notional hours of learning."),
        annex_i=AnnexI.WORKLOAD,
        publish_needs=True,
        max_digits=7,
        decimal_places=1,
        rule=_workload,
    ),
    SpecField(
        "eqf_level",
        _("EQF level"),
        Kind.INTEGER,
        _("EQF level 1-8, if applicable."),
        annex_i=AnnexI.LEVEL,
        choices=EQF_LEVELS,
        blank_choice=_("Not applicable"),
        rule=_integer(1, 8),
    ),
    SpecField(
        "assessment_type",
        _("Type of assessment"),
        Kind.TEXT,
        _("How learners are assessed."),
        annex_i=AnnexI.ASSESSMENT,
        publish_needs=True,
    ),
    SpecField(
        "participation_form",
        _("Form of participation"),
        Kind.LINE,
        annex_i=AnnexI.PARTICIPATION,
        publish_needs=True,
        max_length=20,
        choices=ParticipationForm.choices,
        schema_lists_choices=True,
        rule=_choice,
    ),
    SpecField(
        "delivery_mode", _("Delivery mode"), Kind.LINE, annex_i=AnnexI.PARTICIPATION, max_length=200
    ),
    SpecField(
        "supervised",
        _("Assessment is supervised"),
        Kind.BOOLEAN,
        _("Whether assessment is supervised."),
        annex_i=AnnexI.SUPERVISION,
        default=False,
        rule=_boolean,
    ),
    SpecField(
        "enrolment",
        _("Learners enrol on this platform"),
        Kind.BOOLEAN,
        _(
            "Learners enrol here and hand in their evidence by the assessment plan, so the version "
            "cannot be published without one. Leave it unticked when registrars issue the "
            "credential after assessment elsewhere."
        ),
        default=False,
        rule=_boolean,
    ),
    SpecField(
        "identity_verification",
        _("Identity verification"),
        Kind.LINE,
        _("How the learner's identity is verified during assessment, if it is."),
        annex_i=AnnexI.SUPERVISION,
        max_length=200,
    ),
    SpecField(
        "quality_assurance",
        _("Type of quality assurance"),
        Kind.TEXT,
        annex_i=AnnexI.QUALITY_ASSURANCE,
        publish_needs=True,
    ),
    SpecField("prerequisites", _("Prerequisites"), Kind.TEXT, annex_i=AnnexI.PREREQUISITES),
    SpecField(
        "stackability",
        _("Integration and stackability"),
        Kind.TEXT,
        _("Integration and stackability options."),
        annex_i=AnnexI.STACKABILITY,
    ),
    SpecField(
        "further_information",
        _("Further information"),
        Kind.TEXT,
        annex_i=AnnexI.FURTHER_INFORMATION,
    ),
    SpecField(
        "languages",
        _("Languages"),
        Kind.WORDS,
        _("BCP 47 language codes, such as en or fr-BE."),
        listed=True,
        rule=_languages,
    ),
    SpecField(
        "duration",
        _("Duration"),
        Kind.LINE,
        _("For example: 6 weeks."),
        max_length=100,
        listed=True,
    ),
    SpecField(
        "price_amount",
        _("Price"),
        Kind.DECIMAL,
        max_digits=10,
        decimal_places=2,
        listed=True,
        rule=_price,
    ),
    SpecField(
        "price_currency",
        _("Currency"),
        Kind.LINE,
        _("ISO 4217 currency (the API takes the code, such as EUR, or the English name)."),
        max_length=3,
        choices=CURRENCIES,
        listed=True,
        rule=_currency,
    ),
    SpecField(
        "validity_months",
        _("Valid for (months)"),
        Kind.INTEGER,
        _("How long an award stays valid; empty for no expiry."),
        listed=True,
        when_blank=_("No expiry"),
        rule=_integer(1, 1200),
    ),
    SpecField(
        "field_of_study",
        _("Field of study"),
        Kind.LINE,
        _("ISCED-F 2013 field."),
        max_length=200,
        listed=True,
    ),
    SpecField("tags", _("Tags"), Kind.WORDS, _("Words or short phrases."), listed=True, rule=_tags),
    SpecField(
        "review_date",
        _("Review date"),
        Kind.DATE,
        _("When the micro-credential is next reviewed, such as 2027-06-30."),
        rule=_date,
    ),
    SpecField("image", _("Badge image (PNG or SVG)"), Kind.IMAGE, rule=_image),
)
FIELDS_BY_NAME = {field.name: field for field in SPECIFICATION}
EDITABLE_FIELDS = tuple(FIELDS_BY_NAME)
# The fields a plain value sets; the image is an upload of its own.
VALUE_FIELDS = tuple(field.name for field in SPECIFICATION if field.kind is not Kind.IMAGE)


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Return ``fields`` as the model stores them; raise for an unknown or bad field."""
    unknown = sorted(set(fields) - set(VALUE_FIELDS))
    if unknown:
        raise InvalidInput(
            f"Unknown field {unknown[0]!r} of a micro-credential version.",
            field=unknown[0],
            data={"fields": sorted(VALUE_FIELDS)},
        )
    return {name: FIELDS_BY_NAME[name].clean(value) for name, value in fields.items()}


def check_together(version: MicroCredentialVersion) -> None:
    """Check the rules that join two fields: a price needs its currency."""
    if version.price_amount is not None and not version.price_currency:
        raise InvalidInput(
            gettext("A price needs its currency (price_currency, such as EUR)."),
            field="price_currency",
        )


# The learning outcomes are a part of their own (:mod:`microcred.catalogue.parts`).
OUTCOMES = "outcomes"

# Annex I's mandatory elements that publishing needs, in the Recommendation's order, with the
# field that holds each. The awarding body is the organisation unless the version names
# another, so it is never missing; the level is mandatory only where applicable.
MANDATORY_ELEMENTS: tuple[tuple[str, str], ...] = tuple(
    (name, element.words)
    for element, name in sorted(
        [
            *(
                (field.annex_i, field.name)
                for field in SPECIFICATION
                if field.publish_needs and field.annex_i is not None
            ),
            (AnnexI.LEARNING_OUTCOMES, OUTCOMES),
        ],
        key=lambda pair: list(AnnexI).index(pair[0]),
    )
)


def missing_elements(version: MicroCredentialVersion, *, outcome_count: int) -> list[str]:
    """Return the fields of the mandatory Annex I elements that ``version`` leaves empty."""
    return [
        name
        for name, _ in MANDATORY_ELEMENTS
        if (outcome_count == 0 if name == OUTCOMES else _empty(getattr(version, name)))
    ]
