"""Words of the interface that change with the language they are shown in."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def in_sentence(label: Any) -> str:
    """Return a choice label as it reads inside a sentence: lower case in English ("the job
    is cancelled"), as written in German, whose nouns keep their capital."""
    text = str(label)
    return text.lower() if (get_language() or "en").startswith("en") else text
