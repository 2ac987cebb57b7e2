"""Checking what a designer writes into a version, field by field, before it is stored.

Each rule turns an accepted input into the value the model stores, or raises
:class:`InvalidInput` naming the field (and the item, as in ``tags[2]``). A
draft may leave the mandatory elements empty; :func:`missing_elements` says
what publishing still needs (EU Council Recommendation 2022/C 243/02, Annex I).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from microcred.catalogue.models import (
    AchievementType,
    MicroCredentialVersion,
    ParticipationForm,
)
from microcred.errors import InvalidInput

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_TAGS = 20
MAX_TAG_LENGTH = 50
MAX_WORKLOAD_HOURS = Decimal("99999.9")


def _max_length(name: str) -> int | None:
    return MicroCredentialVersion._meta.get_field(name).max_length


def text(name: str) -> Callable[[Any], str]:
    """A text field: a string, trimmed, within the column's length."""
    limit = _max_length(name)

    def clean(value: Any) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise InvalidInput(f"{name} must be text.", field=name)
        value = value.strip()
        if limit is not None and len(value) > limit:
            raise InvalidInput(f"{name} has at most {limit} characters.", field=name)
        return value

    return clean


def _title(value: Any) -> str:
    title = text("title")(value)
    if not title:
        raise InvalidInput("The micro-credential needs a title.", field="title")
    return title


def _country(value: Any) -> str:
    country = text("country")(value)
    if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
        raise InvalidInput(
            "country must be an ISO 3166-1 alpha-2 code such as NL.", field="country"
        )
    return country.upper()


def _decimal(value: Any, name: str) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise InvalidInput(f"{name} must be a number.", field=name)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidInput(f"{name} must be a number; got {value!r}.", field=name) from None
    if not number.is_finite():
        raise InvalidInput(f"{name} must be a number; got {value!r}.", field=name)
    return number


def _workload(value: Any) -> Decimal | None:
    hours = _decimal(value, "workload_hours")
    if hours is None:
        return None
    if not Decimal(0) < hours <= MAX_WORKLOAD_HOURS:
        raise InvalidInput(
            f"workload_hours must be more than 0 and at most {MAX_WORKLOAD_HOURS}.",
            field="workload_hours",
        )
    return hours.quantize(Decimal("0.1"))


def _integer(name: str, low: int, high: int) -> Callable[[Any], int | None]:
    def clean(value: Any) -> int | None:
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise InvalidInput(f"{name} must be a whole number from {low} to {high}.", field=name)
        try:
            number = int(value)
        except ValueError:
            raise InvalidInput(
                f"{name} must be a whole number from {low} to {high}; got {value!r}.", field=name
            ) from None
        if not low <= number <= high:
            raise InvalidInput(f"{name} must be from {low} to {high}; got {number}.", field=name)
        return number

    return clean


def _choice(name: str, choices: list[str], *, blank: bool) -> Callable[[Any], str]:
    def clean(value: Any) -> str:
        if blank and value in (None, ""):
            return ""
        if value not in choices:
            raise InvalidInput(
                f"{name} must be one of {', '.join(choices)}; got {value!r}.",
                field=name,
                data={"choices": choices},
            )
        return value

    return clean


def _boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput("supervised must be true or false.", field="supervised")
    return value


def _languages(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput(
            "languages must be a list of language codes such as en or fr-BE.", field="languages"
        )
    languages: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not _LANGUAGE.match(item.strip()):
            raise InvalidInput(
                f"languages[{index}] must be a BCP 47 language code such as en or fr-BE; "
                f"got {item!r}.",
                field=f"languages[{index}]",
            )
        if item.strip() not in languages:
            languages.append(item.strip())
    return languages


def _tags(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInput("tags must be a list of words or short phrases.", field="tags")
    if len(value) > MAX_TAGS:
        raise InvalidInput(f"At most {MAX_TAGS} tags.", field="tags")
    tags: list[str] = []
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > MAX_TAG_LENGTH:
            raise InvalidInput(
                f"tags[{index}] must be text of 1 to {MAX_TAG_LENGTH} characters.",
                field=f"tags[{index}]",
            )
        if item.strip() not in tags:
            tags.append(item.strip())
    return tags


def _price(value: Any) -> Decimal | None:
    amount = _decimal(value, "price_amount")
    if amount is not None and amount < 0:
        raise InvalidInput("price_amount cannot be negative.", field="price_amount")
    return None if amount is None else amount.quantize(Decimal("0.01"))


def _currency(value: Any) -> str:
    currency = text("price_currency")(value).upper()
    if currency and not _CURRENCY.match(currency):
        raise InvalidInput(
            "price_currency must be an ISO 4217 code such as EUR.", field="price_currency"
        )
    return currency


def _date(value: Any) -> datetime.date | None:
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
        f"review_date must be a date such as 2027-06-30; got {value!r}.", field="review_date"
    )


RULES: dict[str, Callable[[Any], Any]] = {
    "title": _title,
    "awarding_body": text("awarding_body"),
    "country": _country,
    "description": text("description"),
    "workload_hours": _workload,
    "eqf_level": _integer("eqf_level", 1, 8),
    "assessment_type": text("assessment_type"),
    "participation_form": _choice("participation_form", list(ParticipationForm.values), blank=True),
    "supervised": _boolean,
    "identity_verification": text("identity_verification"),
    "quality_assurance": text("quality_assurance"),
    "prerequisites": text("prerequisites"),
    "stackability": text("stackability"),
    "further_information": text("further_information"),
    "statement_of_purpose": text("statement_of_purpose"),
    "evidence_of_need": text("evidence_of_need"),
    "achievement_type": _choice("achievement_type", list(AchievementType.values), blank=False),
    "criteria": text("criteria"),
    "languages": _languages,
    "delivery_mode": text("delivery_mode"),
    "duration": text("duration"),
    "price_amount": _price,
    "price_currency": _currency,
    "validity_months": _integer("validity_months", 1, 1200),
    "tags": _tags,
    "field_of_study": text("field_of_study"),
    "review_date": _date,
}
EDITABLE_FIELDS = (*RULES, "image")


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """Return ``fields`` as the model stores them; raise for an unknown or bad field."""
    unknown = sorted(set(fields) - set(RULES))
    if unknown:
        raise InvalidInput(
            f"Unknown field {unknown[0]!r} of a micro-credential version.",
            field=unknown[0],
            data={"fields": sorted(RULES)},
        )
    return {name: RULES[name](value) for name, value in fields.items()}


def check_together(version: MicroCredentialVersion) -> None:
    """Check the rules that join two fields: a price needs its currency."""
    if version.price_amount is not None and not version.price_currency:
        raise InvalidInput(
            "A price needs its currency (price_currency, such as EUR).", field="price_currency"
        )


# Annex I's mandatory elements that a specification carries, with the field that holds each.
MANDATORY_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("title", "title"),
    ("country", "country of the awarding body"),
    ("outcomes", "learning outcomes"),
    ("workload_hours", "notional workload"),
    ("assessment_type", "type of assessment"),
    ("participation_form", "form of participation"),
    ("quality_assurance", "type of quality assurance"),
)


def missing_elements(version: MicroCredentialVersion, *, outcome_count: int) -> list[str]:
    """Return the fields of the mandatory Annex I elements that ``version`` leaves empty.

    The awarding body is the organisation unless the version names another,
    so it is never missing; the level is mandatory only where applicable.
    """
    present = {
        "title": bool(version.title),
        "country": bool(version.country),
        "outcomes": outcome_count > 0,
        "workload_hours": version.workload_hours is not None,
        "assessment_type": bool(version.assessment_type),
        "participation_form": bool(version.participation_form),
        "quality_assurance": bool(version.quality_assurance),
    }
    return [field for field, _ in MANDATORY_ELEMENTS if not present[field]]
