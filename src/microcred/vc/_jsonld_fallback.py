"""pyld's own expansion, in safe mode, for documents the compiled expansion does not handle.

pyld 3.3 has no safe mode, so it is added at the seams of its
:class:`JsonLdProcessor`: besides those of :class:`Processor` (reserved terms,
relative IRIs kept relative for the RDF step to refuse), a key it drops
reports itself through ``on_property_dropped`` and an element it drops is
seen where ``_expand`` returns nothing for something. Errors name the JSON
path as far as the expansion knows it (array positions are not tracked here).
"""

from __future__ import annotations

import weakref
from typing import Any

from pyld import jsonld as pyld
from pyld.context_resolver import ContextResolver

from microcred.vc._jsonld_contexts import ContextCache, Processor, located, translate_pyld_error
from microcred.vc.errors import JsonLdError

# Resolved contexts per loader, kept apart from the compiled path's: a relative
# @vocab is processed differently here.
_resolved_contexts: weakref.WeakKeyDictionary[ContextCache, dict[str, Any]] = (
    weakref.WeakKeyDictionary()
)


def expand(document: Any, cache: ContextCache) -> list[Any]:
    """Return the expanded form of ``document`` as pyld computes it, refusing dropped data."""
    resolved = _resolved_contexts.setdefault(cache, {})
    processor = _SafeProcessor()
    options = {
        "documentLoader": cache.loader,
        "contextResolver": ContextResolver(resolved, cache.loader),
        "processingMode": "json-ld-1.1",
    }
    try:
        # pyld's caches are not thread-safe; this path is rare enough to take turns.
        with cache.lock:
            expanded: list[Any] = processor.expand(document, options)
            return expanded
    except pyld.JsonLdError as error:
        raise translate_pyld_error(error, path=processor.path()) from error
    except JsonLdError as error:
        if error.field is None:
            raise located(error, processor.path()) from error
        raise
    except KeyError as error:
        # pyld 3.3 fails this way on "@vocab": null where no vocabulary is set.
        raise JsonLdError(
            f"pyld cannot process the @context of this document (KeyError {error}).",
            field=processor.path(),
        ) from error


class _SafeProcessor(Processor):
    """One expansion's processor: refuses what it drops and knows where it is."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=self._refuse_dropped_property)
        self._properties: list[str | None] = []

    def path(self) -> str:
        names: list[str] = []
        for name in self._properties:
            if name is not None and (not names or names[-1] != name):
                names.append(name)
        return "".join(["$", *(f".{name}" for name in names)])

    def _refuse_dropped_property(self, expanded: str | None) -> None:
        path = self.path()
        raise JsonLdError(
            f"A key in the object at {path} is not defined by the document's @context "
            f"(it expands to {expanded!r}), so its value would be left out of the signed data.",
            code="jsonld.undefined_term",
            field=path,
            data={"expanded": expanded},
        )

    def _expand(
        self, active_ctx: Any, active_property: Any, element: Any, *args: Any, **kwargs: Any
    ) -> Any:
        self._properties.append(active_property)
        try:
            expanded = super()._expand(active_ctx, active_property, element, *args, **kwargs)
            if expanded is None and element is not None:
                path = self.path()
                raise JsonLdError(
                    f"The value at {path} would be left out of the signed data (a "
                    "free-floating value, an empty object, a null @value or an object "
                    "with nothing but @id, @value, @list or @language).",
                    code="jsonld.dropped_value",
                    field=path,
                )
        finally:
            self._properties.pop()
        return expanded
