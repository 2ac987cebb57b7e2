"""Country names in the visitor's language, from pycountry's translations of ISO 3166-1.

An organisation stores its country as the ISO code (:mod:`microcred.frameworks.places` reads
and checks it); only the name a page shows follows the language the visitor chose, and the
form's list is sorted as a reader of that language looks for a name ("Österreich" near "Oman").
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from django.utils import translation

from microcred.frameworks.places import COUNTRIES, COUNTRY_NAMES


@cache
def _names(language: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _language() -> str:
    return (translation.get_language() or "en").split("-")[0]


def country_name(code: str) -> str:
    """The country's name in the active language; the code itself when ISO has no such code."""
    english = COUNTRY_NAMES.get(code)
    return _names(_language()).gettext(english) if english else code


def _sort_key(name: str) -> str:
    letters = unicodedata.normalize("NFKD", name)
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """Every country as ``(code, name)`` in the active language, sorted by name."""
    names = _names(_language())
    return sorted(
        ((code, names.gettext(english)) for code, english in COUNTRIES),
        key=lambda pair: _sort_key(pair[1]),
    )
