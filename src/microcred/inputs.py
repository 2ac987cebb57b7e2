"""Cleaning of free-text input shared by the platform's services.

Every service that takes text from a form, the API or a file checks it the same
way, so a learner, a designer and an API client get the same message for the same
mistake, each naming the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from microcred.errors import InvalidInput


def clean_text(value: Any, field: str, *, required: bool = False, limit: int | None = None) -> str:
    """Return ``value`` stripped; absent (None) is "" unless ``required``.

    Raise :class:`InvalidInput` naming ``field`` when the value is not text, is
    blank but required, or is longer than ``limit`` characters.
    """
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be text.", field=field)
    value = value.strip()
    if required and not value:
        raise InvalidInput(f"{field} must not be empty.", field=field)
    if limit is not None and len(value) > limit:
        raise InvalidInput(f"{field} has at most {limit} characters.", field=field)
    return value


@dataclass(frozen=True)
class RowError:
    """A problem with one row of an uploaded file: its line (the header is line 1), the column
    and what is wrong. Uploads are checked whole first, so every error of a file is reported."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}
