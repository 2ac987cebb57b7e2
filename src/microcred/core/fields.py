"""Model fields the apps share."""

from __future__ import annotations

from typing import Any

from django.db import models


class DocumentField(models.TextField):
    """A text column that holds a whole document, such as a signed credential (some 10 kB of
    JSON, a thousand quotes).

    On PostgreSQL Django inserts many rows at once as one array per column
    (``UNNEST``), and psycopg writes a text array by escaping each quote and
    backslash of each value with a regular expression: half a millisecond for
    each signed credential, more than signing it. Django inserts a field with a
    placeholder of its own as plain parameters, one per value, which need no
    escaping.
    """

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return "%s"
