"""Countries (ISO 3166-1 alpha-2) and currencies (ISO 4217), from pycountry's copy of the ISO
tables.

A country goes into the signed credential and the quality rules compare it with the issuer's;
a currency goes into the catalogue. People type names, so input is read as a code (in any case)
or as a country's or currency's exact English name, and anything else is refused naming the
field: cutting typed text to the code's length once turned "Ireland" into ``IR`` (Iran) and
"Germany" into ``GE`` (Georgia), codes that pass any check of their shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pycountry

from microcred.errors import InvalidInput
from microcred.text import sentence


def _country_names(country: Any) -> list[str]:
    return [
        getattr(country, attribute)
        for attribute in ("name", "common_name", "official_name")
        if getattr(country, attribute, None)
    ]


def _label(record: Any) -> str:
    """The name a person knows: the common name where ISO's is formal ("Iran, Islamic
    Republic of" is shown as "Iran")."""
    return str(getattr(record, "common_name", None) or record.name)


COUNTRIES: tuple[tuple[str, str], ...] = tuple(
    sorted(((c.alpha_2, _label(c)) for c in pycountry.countries), key=lambda pair: pair[1])
)
CURRENCIES: tuple[tuple[str, str], ...] = tuple(
    sorted(((c.alpha_3, c.name) for c in pycountry.currencies), key=lambda pair: pair[1])
)
COUNTRY_NAMES: dict[str, str] = dict(COUNTRIES)
CURRENCY_NAMES: dict[str, str] = dict(CURRENCIES)

_COUNTRY_LOOKUP: dict[str, str] = {
    **{name.casefold(): c.alpha_2 for c in pycountry.countries for name in _country_names(c)},
    **{code.casefold(): code for code in COUNTRY_NAMES},
}
_CURRENCY_LOOKUP: dict[str, str] = {
    **{c.name.casefold(): c.alpha_3 for c in pycountry.currencies},
    **{code.casefold(): code for code in CURRENCY_NAMES},
}


def find_country(value: str) -> str | None:
    """Return the alpha-2 code ``value`` is (a code in any case, or an English name in full),
    or ``None``."""
    return _COUNTRY_LOOKUP.get(value.strip().casefold())


def find_currency(value: str) -> str | None:
    """Return the ISO 4217 code ``value`` is (a code in any case, or its English name in full),
    or ``None``."""
    return _CURRENCY_LOOKUP.get(value.strip().casefold())


def country_code(value: Any, field: str) -> str:
    """Return the alpha-2 code of ``value``, ``""`` when it is blank; raise
    :class:`InvalidInput` naming ``field`` for anything that is not a country."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    code = find_country(value) if isinstance(value, str) else None
    if code is None:
        raise InvalidInput(
            sentence(
                "%(field)s must be an ISO 3166-1 alpha-2 country code such as IE, or a "
                "country's English name such as Ireland; %(value)s is neither.",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    return code


def currency_code(value: Any, field: str) -> str:
    """Return the ISO 4217 code of ``value``, ``""`` when it is blank; raise
    :class:`InvalidInput` naming ``field`` for anything that is not a currency."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ""
    code = find_currency(value) if isinstance(value, str) else None
    if code is None:
        raise InvalidInput(
            sentence(
                "%(field)s must be an ISO 4217 currency code such as EUR, or a "
                "currency's English name such as Euro; %(value)s is neither.",
                field=field,
                value=repr(value),
            ),
            field=field,
        )
    return code


def recode(
    values: Iterable[str], find: Callable[[str], str | None]
) -> tuple[dict[str, str], list[str]]:
    """Sort stored values for a data migration: those ``find`` maps to a code other than
    themselves (``{value: code}``), and those it cannot map, which are left as they are for a
    person to correct (blank values are neither)."""
    mapped: dict[str, str] = {}
    unmapped: list[str] = []
    for value in sorted(set(values)):
        if not value.strip():
            continue
        code = find(value)
        if code is None:
            unmapped.append(value)
        elif code != value:
            mapped[value] = code
    return mapped, unmapped
