"""Assessment as the catalogue's gate: a version learners enrol into needs its assessment plan."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from microcred.assessment import services


class AssessmentGate:
    """The :class:`microcred.catalogue.gates.VersionGate` of assessment."""

    studio_panel = ""

    def check_editable(self, version: Any) -> None:
        """A plan never stops an edit."""

    def check_publishable(self, version: Any) -> None:
        services.check_plan_for_publishing(version)

    def mark_published(self, version: Any, *, now: datetime) -> None:
        """The plan is frozen with the version; nothing more to record."""

    def studio_context(self, version: Any) -> dict[str, Any]:
        return {}

    def public_context(self, version: Any) -> dict[str, Any]:
        return {"enrollable": services.is_enrollable(version)}
