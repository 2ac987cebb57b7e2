"""ISO's names of countries and currencies in the reader's language.

The tables of :mod:`microcred.frameworks.places` name them in English (and the platform stores
the codes); pycountry ships ISO's own translations of those names, so the design form, the
version pages and the organisation pages offer and show "Deutschland" and "US-Dollar" to a German
reader, sorted as that reader looks for a name ("Österreich" near "Oman"), without the
interface's catalogues holding some 400 names.
"""

from __future__ import annotations

import functools
import gettext
import unicodedata
from typing import TYPE_CHECKING

import pycountry
from django.utils import translation

from microcred.frameworks.places import COUNTRIES, COUNTRY_NAMES

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The ISO tables whose names pycountry's own catalogues translate, by the field that offers them.
ISO_CATALOGUES = {"country": "iso3166-1", "price_currency": "iso4217"}


def iso_names(
    domain: str, choices: list[tuple[str, StrOrPromise]]
) -> list[tuple[str, StrOrPromise]]:
    """Return ISO's names of countries or currencies in the reader's language, in its
    alphabetical order; as they are for an English reader."""
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return choices
    names = _iso_catalogue(domain, language)
    translated = [(code, names.gettext(str(name))) for code, name in choices]
    return [(code, name) for code, name in sorted(translated, key=lambda pair: _sort_key(pair[1]))]


@functools.cache
def _iso_catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _sort_key(name: str) -> str:
    """Sort Ä with A and Ö with O, as a German (or French) index does."""
    return "".join(
        char for char in unicodedata.normalize("NFD", name) if not unicodedata.combining(char)
    ).casefold()


def iso_name(domain: str, name: str) -> str:
    """Return one ISO name in the reader's language."""
    language = translation.get_language() or "en"
    if language.startswith("en"):
        return name
    return _iso_catalogue(domain, language).gettext(name)


def country_name(code: str) -> str:
    """The country's name in the reader's language; the code itself when ISO has no such code."""
    english = COUNTRY_NAMES.get(code)
    return iso_name(ISO_CATALOGUES["country"], english) if english else code


def country_choices() -> list[tuple[str, StrOrPromise]]:
    """Every country as ``(code, name)`` in the reader's language, sorted by name."""
    return iso_names(ISO_CATALOGUES["country"], list(COUNTRIES))
