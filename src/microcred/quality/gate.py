"""Quality assurance as the catalogue's gate: no edits in review, no publication unapproved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microcred.catalogue.gates import FIELD_FINDINGS
from microcred.quality import report, services


class QualityGate:
    """The :class:`microcred.catalogue.gates.VersionGate` of quality assurance."""

    studio_panel = "quality/studio/_status.html"

    def check_editable(self, version: Any) -> None:
        services.check_editable(version)

    def check_publishable(self, version: Any) -> None:
        services.check_publishable(version)

    def mark_published(self, version: Any, *, now: datetime) -> None:
        services.mark_published(version, now=now)

    def studio_context(self, version: Any) -> dict[str, Any]:
        status = services.get_quality_status(version)
        return {"quality": status, FIELD_FINDINGS: status.findings}

    def public_context(self, version: Any) -> dict[str, Any]:
        return {"qa_summary": report.get_quality_summary(version)}
