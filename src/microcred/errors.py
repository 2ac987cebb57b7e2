"""The root of every error microcred raises on purpose.

Each error carries a stable ``code`` (``"award.already_revoked"``), an optional
``field`` (a JSON path or form field the error concerns) and ``data`` that
explains it. Nothing here knows about HTTP: the API layer maps codes to
statuses, the command line to exit codes.
"""

from __future__ import annotations

from typing import Any


class MicrocredError(Exception):
    """Base class: a failure we anticipated and can explain to a person."""

    code: str = "microcred.error"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        data: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field
        self.data = data or {}

    def as_dict(self) -> dict[str, Any]:
        """Return the error as the API and ``--json`` outputs show it."""
        return {"code": self.code, "message": self.message, "field": self.field, "data": self.data}


class InvalidInput(MicrocredError):
    """Input that is well formed but not acceptable: a missing field, a value out of range."""

    code = "input.invalid"


class NotFound(MicrocredError):
    """The thing asked for does not exist, or the actor may not know that it does."""

    code = "not_found"


class Forbidden(MicrocredError):
    """The actor is known but may not do this."""

    code = "forbidden"


class Conflict(MicrocredError):
    """The request conflicts with the current state (already revoked, already published...)."""

    code = "conflict"


class TooLarge(InvalidInput):
    """The input is larger than the limit for it; ``data`` gives the limit in bytes."""

    code = "input.too_large"


class UnsupportedMediaType(InvalidInput):
    """The input comes in a media type that is not read here; ``data`` lists those that are."""

    code = "input.unsupported_media_type"


class RateLimited(MicrocredError):
    """Too many requests from one client; ``retry_after`` is how many seconds to wait."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after
        self.data.setdefault("retryAfter", retry_after)
