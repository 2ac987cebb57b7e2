"""How an app above the catalogue takes part in a version's life without the catalogue importing it.

Quality assurance sits above the catalogue in the layer order (its watch and
public report read awards and assessment figures), yet it decides whether a
draft may change and whether it may be published. It registers a
:class:`VersionGate` from its ``AppConfig.ready()``; the catalogue's services
ask every registered gate, and its pages show what the gates add to a version.
This is the pattern the dashboard's areas and the platform fetcher follow.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol


class VersionGate(Protocol):
    """What a gate answers about a version. Each method may raise a ``MicrocredError``."""

    #: The template fragment the version's staff pages include to show the gate's state;
    #: it reads what :meth:`studio_context` gives. Empty for a gate that shows staff nothing.
    studio_panel: str

    def check_editable(self, version: Any) -> None:
        """Raise unless the draft may change now."""

    def check_publishable(self, version: Any) -> None:
        """Raise unless the draft may be published now; the caller holds the version's lock."""

    def mark_published(self, version: Any, *, now: datetime) -> None:
        """Record the publication, inside the publish transaction."""

    def studio_context(self, version: Any) -> dict[str, Any]:
        """Return what the staff pages of this version show of the gate (template context).

        Findings the design form should show beside the fields they concern go under
        :data:`FIELD_FINDINGS`: dicts with ``field`` (the specification's JSON path, such
        as ``credits.ECTS``), ``severity`` and ``message``.
        """

    def public_context(self, version: Any) -> dict[str, Any]:
        """Return what the public catalogue page of this version shows of the gate."""


FIELD_FINDINGS = "field_findings"

_GATES: dict[str, VersionGate] = {}


def register_gate(name: str, gate: VersionGate) -> None:
    """Ask ``gate`` about every version from now on; registering ``name`` again replaces it."""
    _GATES[name] = gate


def check_editable(version: Any) -> None:
    for gate in _GATES.values():
        gate.check_editable(version)


def check_publishable(version: Any) -> None:
    for gate in _GATES.values():
        gate.check_publishable(version)


def mark_published(version: Any, *, now: datetime) -> None:
    for gate in _GATES.values():
        gate.mark_published(version, now=now)


def studio_context(version: Any) -> dict[str, Any]:
    """Return the context the gates give a version's staff pages, with ``panels``: the
    template fragments that show it."""
    context: dict[str, Any] = {
        "panels": [gate.studio_panel for gate in _GATES.values() if gate.studio_panel]
    }
    field_findings: list[dict[str, Any]] = []
    for gate in _GATES.values():
        given = gate.studio_context(version)
        field_findings.extend(given.pop(FIELD_FINDINGS, []))
        context.update(given)
    context[FIELD_FINDINGS] = field_findings
    return context


def public_context(version: Any) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for gate in _GATES.values():
        context.update(gate.public_context(version))
    return context
