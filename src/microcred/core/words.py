"""Words of the interface that change with the language they are shown in."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import get_language, pgettext


def in_sentence(label: Any) -> str:
    """Return a choice label as it reads inside a sentence: lower case in English ("the job
    is cancelled"), as written in German, whose nouns keep their capital."""
    text = str(label)
    return text.lower() if (get_language() or "en").startswith("en") else text


def long_date(moment: date | datetime) -> str:
    """Return a day as the pages, the certificate and the emails write it, in the language of
    the request: 6 December 2026, 6. Dezember 2026 (the templates' ``date:long_date``)."""
    return date_format(moment, pgettext("date format", "j F Y"))
