"""Pathways on the catalogue's pages: a micro-credential's page links the pathways it counts in.

The catalogue stands below pathways and cannot ask them; this gate plugs into the
catalogue's hook (:mod:`microcred.catalogue.gates`). It never stops an edit or a
publication: it only adds the links to the public page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.urls import reverse

from microcred.pathways import services


class PathwaysGate:
    """The :class:`microcred.catalogue.gates.VersionGate` of pathways: links, no decisions."""

    studio_panel = ""

    def check_editable(self, version: Any) -> None:
        """Pathways never stop an edit."""

    def check_publishable(self, version: Any) -> None:
        """Pathways never stop a publication."""

    def mark_published(self, version: Any, *, now: datetime) -> None:
        """Pathways record nothing when a version is published."""

    def studio_context(self, version: Any) -> dict[str, Any]:
        return {}

    def public_context(self, version: Any) -> dict[str, Any]:
        return {
            "pathways": [
                (
                    pathway.name,
                    reverse("pathways:detail", args=[pathway.organisation.slug, pathway.slug]),
                    pathway.target_id == version.pk,
                )
                for pathway in services.get_pathways_with(version)
            ]
        }
