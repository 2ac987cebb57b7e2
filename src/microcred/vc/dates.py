"""Date-times as the VC data model writes them (XML Schema ``dateTimeStamp``)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from microcred.text import sentence
from microcred.vc.errors import VCError

# XML Schema dateTime: the time zone is optional in the lexical form, but VC 2.0
# (section 4.9) wants dateTimeStamp, which requires it.
DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(?P<tz>Z|[+-]\d{2}:\d{2})?$")


def parse_datetime(value: str, *, require_timezone: bool = False) -> datetime:
    """Return an aware datetime for an XML Schema dateTime; assume UTC when no zone is given.

    Raise :class:`VCError` (code ``datetime.invalid``) for anything else.
    """
    match = DATETIME.match(value) if isinstance(value, str) else None
    if match is None:
        raise VCError(
            sentence(
                "%(value)s is not an XML Schema date-time such as 2026-01-01T00:00:00Z.",
                value=repr(value),
            ),
            code="datetime.invalid",
        )
    if require_timezone and not match.group("tz"):
        raise VCError(
            sentence(
                "%(value)s has no time zone; add Z or an offset such as +01:00.",
                value=repr(value),
            ),
            code="datetime.no_timezone",
        )
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise VCError(
            sentence(
                "%(value)s is not a valid date-time: %(reason)s.",
                value=repr(value),
                reason=exc,
            ),
            code="datetime.invalid",
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def format_datetime(moment: datetime) -> str:
    """Return ``moment`` in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` (seconds precision)."""
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")
