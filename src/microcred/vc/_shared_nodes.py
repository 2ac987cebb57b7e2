"""Node objects that the documents of a batch share, canonicalized once (:class:`SharedNodes`)."""

from __future__ import annotations

from typing import Any

from microcred.vc._nquads import Quad

# What the quads of a node wrote: each quad with its node-map key (None for a quad of a list,
# which is never merged), blank nodes under the labels they had then.
Written = list[tuple[Quad, Any]]


class SharedNodes:
    """The node objects that a batch of documents holds in common, expanded to JSON-LD and
    written as quads once for the whole batch.

    A registrar's batch of credentials holds one achievement (some 6 of each credential's
    10 kB, two thirds of its canonicalization) and one issuer profile, as the same Python
    objects in every credential. Known by identity, such a node object is expanded once in
    each active context it appears in, and its expanded form written as quads once; every
    document's own parts are canonicalized as usual, and the canonical N-Quads are the same
    bytes. Identity costs nothing to compare, but it only holds while the documents stay as
    they are: use one for a batch that does not change while it is canonicalized.

    Only node objects with an ``id`` are kept (the ones a batch shares; every other object
    would only fill the memo).
    """

    __slots__ = ("_expanded", "_written")

    def __init__(self) -> None:
        # Keyed by the object's id(); the object itself is kept with the entry, so the id is
        # not reused by another object while the entry lives.
        self._expanded: dict[tuple[int, Any, str, bool], tuple[dict[str, Any], Any]] = {}
        self._written: dict[int, tuple[dict[str, Any], Written]] = {}

    @staticmethod
    def worth_keeping(element: dict[str, Any]) -> bool:
        """Tell whether ``element`` is a node object with an id, as shared nodes are."""
        return "id" in element or "@id" in element

    def expanded(
        self, element: dict[str, Any], context: Any, active_property: str, inside_list: bool
    ) -> Any:
        """Return the expanded form of ``element`` in ``context`` kept before, or None."""
        found = self._expanded.get((id(element), context, active_property, inside_list))
        return found[1] if found is not None and found[0] is element else None

    def keep_expanded(
        self,
        element: dict[str, Any],
        context: Any,
        active_property: str,
        inside_list: bool,
        expanded: Any,
    ) -> None:
        self._expanded[(id(element), context, active_property, inside_list)] = (element, expanded)

    def written(self, node: dict[str, Any]) -> Written | None:
        """Return what writing the expanded ``node`` as quads wrote before, or None."""
        found = self._written.get(id(node))
        return found[1] if found is not None and found[0] is node else None

    def keep_written(self, node: dict[str, Any], written: Written) -> None:
        self._written[id(node)] = (node, written)
