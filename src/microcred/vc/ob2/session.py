"""One Open Badges 2.0 verification: its inputs, its findings and the documents it fetched."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from microcred.vc.errors import DocumentLoaderError
from microcred.vc.http import Fetcher
from microcred.vc.jsonld import ContextLoader
from microcred.vc.ob2.vocabulary import OB2_CONTEXTS, context_terms
from microcred.vc.report import Check, CheckStatus


class Findings:
    """Problems of one finding id, turned into checks at the end."""

    def __init__(self, check_id: str) -> None:
        self.check_id = check_id
        self.checks: list[Check] = []

    def error(self, message: str, path: str | None = None) -> None:
        self._add(CheckStatus.FAILED, message, path)

    def warning(self, message: str, path: str | None = None) -> None:
        self._add(CheckStatus.WARNING, message, path)

    def _add(self, status: CheckStatus, message: str, path: str | None) -> None:
        data = {"path": path} if path else {}
        self.checks.append(Check(self.check_id, status, message, data))

    @property
    def failed(self) -> bool:
        return any(check.status is CheckStatus.FAILED for check in self.checks)


class Session:
    """One verification: its fetcher, loader and clock, the findings and the documents fetched.

    Data-model problems go to ``structure`` and are reported together as
    ``ob2.structure``; every other finding is a check of its own.
    """

    def __init__(self, *, fetcher: Fetcher, loader: ContextLoader, now: datetime) -> None:
        self.fetcher = fetcher
        self.loader = loader
        self.now = now if now.tzinfo else now.replace(tzinfo=UTC)
        self.structure = Findings("ob2.structure")
        self.checks: list[Check] = []
        self._fetched: dict[str, Any] = {}

    def add(self, check_id: str, status: CheckStatus, message: str, **data: Any) -> None:
        self.checks.append(Check(check_id, status, message, data))

    def skip(self, check_id: str, message: str) -> None:
        self.add(check_id, CheckStatus.SKIPPED, message)

    def revoked(self, reason: Any) -> None:
        """Fail ``ob2.revocation``, giving the issuer's reason when it states one."""
        if isinstance(reason, str) and reason:
            message = f"The issuer has revoked this assertion: {reason}"
        else:
            message = "The issuer has revoked this assertion."
        self.add("ob2.revocation", CheckStatus.FAILED, message)

    def fetch_json(self, url: str) -> Any:
        """Return the JSON at ``url``, fetching each URL once per verification."""
        if url not in self._fetched:
            self._fetched[url] = self.fetcher.fetch(url).json()
        return self._fetched[url]

    def terms_of(self, url: Any) -> dict[str, Any]:
        """Return the terms of the context document at ``url``; an unknown one defines none."""
        try:
            return context_terms(self.loader.get(url)) if isinstance(url, str) else {}
        except DocumentLoaderError:
            return {}

    def ob2_terms(self) -> dict[str, Any]:
        return self.terms_of(OB2_CONTEXTS[0])

    def all_checks(self) -> list[Check]:
        """Return every finding, the data-model ones first (led by a pass when none failed)."""
        checks = self.structure.checks
        if not self.structure.failed:
            checks = [
                Check(
                    "ob2.structure",
                    CheckStatus.PASSED,
                    "The documents follow the Open Badges 2.0 data model.",
                ),
                *checks,
            ]
        return checks + self.checks
