"""Countries and currencies are read as ISO codes or exact English names, never cut to size."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.errors import InvalidInput
from microcred.frameworks.places import (
    COUNTRIES,
    CURRENCIES,
    country_code,
    currency_code,
    find_country,
    recode,
)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        # The names that cutting once turned into other countries' codes (IR, GE, NE).
        ("Ireland", "IE"),
        ("Germany", "DE"),
        ("Netherlands", "NL"),
        ("ie", "IE"),
        (" nl ", "NL"),
        ("IR", "IR"),
        ("Iran", "IR"),
        ("Iran, Islamic Republic of", "IR"),
        ("united kingdom", "GB"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_country_is_its_code_or_its_english_name(value: Any, code: str) -> None:
    assert country_code(value, "country") == code


@pytest.mark.parametrize(
    "value", ["Irland", "IRL", "I", "Holland", "Deutschland", "EU", "XX", 353, ["IE"]]
)
def test_anything_else_is_refused_naming_the_field_and_the_value(value: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        country_code(value, "organisation.country")
    assert refused.value.field == "organisation.country"
    assert repr(value) in refused.value.message


@pytest.mark.parametrize(
    ("value", "code"),
    [("eur", "EUR"), ("Euro", "EUR"), ("US Dollar", "USD"), ("pound sterling", "GBP"), ("", "")],
)
def test_a_currency_is_its_code_or_its_english_name(value: Any, code: str) -> None:
    assert currency_code(value, "price_currency") == code


@pytest.mark.parametrize("value", ["dollars", "DOL", "€", "E", "Euros"])
def test_other_currencies_are_refused_naming_the_field(value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        currency_code(value, "price_currency")
    assert refused.value.field == "price_currency"


def test_the_choices_show_names_and_hold_codes() -> None:
    countries = dict(COUNTRIES)
    assert countries["IE"] == "Ireland" and countries["IR"] == "Iran"
    assert dict(CURRENCIES)["EUR"] == "Euro"
    assert all(len(code) == 2 for code in countries)
    assert [name for _, name in COUNTRIES] == sorted(name for _, name in COUNTRIES)


def test_recoding_maps_what_it_can_and_lists_the_rest() -> None:
    mapped, unmapped = recode(["NL", "nl", "ie", "", "XX", "ie", "Ireland"], find_country)
    assert mapped == {"nl": "NL", "ie": "IE", "Ireland": "IE"}
    assert unmapped == ["XX"]
    assert find_country("XX") is None
