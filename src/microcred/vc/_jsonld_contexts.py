"""Active JSON-LD contexts, processed once per loader and reused for every document.

Expanding a credential with pyld spends most of its time re-running Context
Processing (JSON-LD 1.1 Processing Algorithms, section 4.1) for the same
few contexts: the document's ``@context``, then the type-scoped and
property-scoped contexts of VC 2.0 and Open Badges 3.0 on every node. Here
pyld's own context processing runs on first sight of each (active context,
local context) pair and the result is kept, together with what expansion
asks of each term. Processing stays pyld's, so protected terms, scoped
contexts and ``@propagate`` behave exactly as they do there.

A cache belongs to one :class:`ContextLoader` and assumes the documents it
serves do not change.
"""

from __future__ import annotations

import json
import re
import threading
import weakref
from dataclasses import dataclass
from typing import Any

from pyld import jsonld as pyld
from pyld.context_resolver import ContextResolver

from microcred.vc.errors import DocumentLoaderError, JsonLdError
from microcred.vc.jsonld import ContextLoader

KEYWORDS = frozenset(pyld.KEYWORDS)
_RESERVED = re.compile(r"@[a-zA-Z]+")
_ABSOLUTE_IRI = re.compile(r"(?:[A-Za-z][A-Za-z0-9+-.]*|_):\S*")

# Processed contexts a loader's cache keeps at most, so that documents with ever
# new embedded contexts cannot exhaust memory; beyond it, work is redone.
CONTEXTS_KEPT = 2048


class UnsupportedFeature(Exception):
    """A signal, not an error: the compiled expansion does not handle this document and
    pyld's expansion must do it (see :mod:`microcred.vc.rdfc`)."""


class Processor(pyld.JsonLdProcessor):  # type: ignore[misc]  # pyld has no type hints
    """pyld's processor, with two seams changed for safe mode.

    - A term that looks like a keyword (``@foo``) is refused, where pyld warns
      and ignores it (JSON-LD 1.1 section 9.15.1 reserves such terms). pyld's
      errors while defining a term name that term.
    - A relative IRI stays relative where pyld would resolve it against its
      made-up default base ``http://example.org/base/`` (there is no document
      base here), so that it can be refused; a context's ``@base`` still applies.
    """

    def _create_term_definition(
        self, active_ctx: Any, local_ctx: Any, term: str, *args: Any, **kwargs: Any
    ) -> Any:
        if _RESERVED.fullmatch(term) and term not in KEYWORDS:
            raise JsonLdError(
                f"The @context defines {term!r}, a term that looks like a JSON-LD keyword; "
                "such terms are reserved and would be ignored.",
                code="jsonld.undefined_term",
                data={"term": term},
            )
        try:
            return super()._create_term_definition(active_ctx, local_ctx, term, *args, **kwargs)
        except pyld.JsonLdError as error:
            details = error.details if isinstance(error.details, dict) else {}
            error.details = {"term": term, **details}
            raise

    def _expand_iri(
        self, active_ctx: Any, value: Any, base: Any = None, *args: Any, **kwargs: Any
    ) -> Any:
        if base == "" and "@base" not in active_ctx:
            base = None
        return super()._expand_iri(active_ctx, value, base, *args, **kwargs)


def is_absolute_iri(value: str) -> bool:
    """Tell whether pyld counts ``value`` as absolute (a blank node label counts)."""
    return _ABSOLUTE_IRI.fullmatch(value) is not None


@dataclass(frozen=True, slots=True)
class Term:
    """What expansion needs to know of a key in one active context.

    ``iri`` is the key expanded as a vocabulary IRI (a keyword, an IRI, a
    relative IRI or None). ``scoped`` is the term's scoped context (None when
    it has none, False for ``"@context": null``); ``language`` and
    ``direction`` already fall back on the context's defaults.
    """

    iri: str | None
    container: tuple[str, ...]
    type: str | None
    scoped: Any
    language: str | None
    direction: str | None
    reverse: bool


class ActiveContext:
    """A pyld active context with memos of everything derived from it."""

    __slots__ = ("_children", "_previous", "_terms", "active", "cache")

    def __init__(self, cache: ContextCache, active: Any) -> None:
        self.cache = cache
        self.active = active
        self._terms: dict[str, Term] = {}
        self._children: dict[Any, tuple[Any, ActiveContext]] = {}
        self._previous: ActiveContext | None = None

    @property
    def has_previous(self) -> bool:
        return "previousContext" in self.active

    @property
    def previous(self) -> ActiveContext:
        """The context a type-scoped context reverts to (the active context itself if none)."""
        if self._previous is None:
            previous = self.active.get("previousContext")
            self._previous = self if previous is None else ActiveContext(self.cache, previous)
        return self._previous

    def may_alias(self, key: str, keyword: str) -> bool:
        """Tell whether ``key`` can expand to ``keyword``: only it or a term defined as its
        alias can (a quick test that spares defining keys that are document data)."""
        return key == keyword or (key in self.active["mappings"] and self.term(key).iri == keyword)

    def term(self, key: str) -> Term:
        term = self._terms.get(key)
        if term is None:
            term = self._define(key)
            # Only what the context defines is kept: other keys are document data.
            if key in self.active["mappings"] or key in KEYWORDS:
                self._terms[key] = term
        return term

    def _define(self, key: str) -> Term:
        active = self.active
        iri = self.cache.processor._expand_iri(active, key, vocab=True)
        language = active.get("@language")
        direction = active.get("@direction")
        mapping = active["mappings"].get(key)
        if key in active["mappings"] and mapping is None:
            return Term(iri, (), None, None, None, None, False)
        if mapping is None:
            return Term(iri, (), None, None, language, direction, False)
        return Term(
            iri=iri,
            container=tuple(mapping.get("@container", ())),
            type=mapping.get("@type"),
            scoped=mapping.get("@context"),
            language=mapping.get("@language", language),
            direction=mapping.get("@direction", direction),
            reverse=bool(mapping.get("reverse")),
        )

    def expand_iri(self, value: str, *, vocab: bool) -> str | None:
        """Expand an IRI reference as pyld does, but leave it relative where pyld would
        resolve it against its made-up default base (the caller then refuses it).

        The two commonest cases are answered without pyld, with pyld's own rules:
        a term of the context (a type name) is the term's IRI, and a blank node
        label or an IRI with an authority (``https://...``) stays as it is.
        """
        if vocab and value in self.active["mappings"]:
            return self.term(value).iri
        prefix, colon, suffix = value.partition(":")
        if prefix and colon and (prefix == "_" or suffix.startswith("//")):
            return value
        iri: str | None = self.cache.processor._expand_iri(self.active, value, vocab=vocab, base="")
        return iri

    def with_document_context(self, local: Any, *, path: str) -> ActiveContext:
        """Return this context updated by a ``@context`` found in a document."""
        key = _content_key(local)
        child = self._children.get(key)
        if child is None:
            child = (local, self._process_document_context(local, path=path))
            self._remember(key, child)
        return child[1]

    def with_scoped(
        self, local: Any, *, path: str, propagate: bool = True, override_protected: bool = False
    ) -> ActiveContext:
        """Return this context updated by a term's scoped context (property- or type-scoped)."""
        key = (id(local), propagate, override_protected)
        child = self._children.get(key)
        # The identity of a term's context value is stable: it lives in a cached context.
        if child is None or child[0] is not local:
            child = (
                local,
                self._process(
                    local, path=path, propagate=propagate, override_protected=override_protected
                ),
            )
            self._remember(key, child)
        return child[1]

    def _remember(self, key: Any, child: tuple[Any, ActiveContext]) -> None:
        if self.cache.contexts_kept < CONTEXTS_KEPT:
            self.cache.contexts_kept += 1
            self._children[key] = child

    def _process_document_context(self, local: Any, *, path: str) -> ActiveContext:
        items = local if isinstance(local, list) else [local]
        if not any(isinstance(item, dict) and item.get("@vocab", "") is None for item in items):
            return self._process(local, path=path)
        # pyld fails on "@vocab": null when no vocabulary is set (KeyError), although
        # it only means "no vocabulary": process item by item and drop that entry then.
        if isinstance(items[0], dict) and "@propagate" in items[0]:
            raise UnsupportedFeature("@propagate with a null @vocab")
        context = self
        for item in items:
            null_vocab = isinstance(item, dict) and "@vocab" in item and item["@vocab"] is None
            if null_vocab and "@vocab" not in context.active:
                item = {name: value for name, value in item.items() if name != "@vocab"}
            context = context._process(item, path=path)
        return context

    def _process(
        self, local: Any, *, path: str, propagate: bool = True, override_protected: bool = False
    ) -> ActiveContext:
        cache = self.cache
        with cache.lock:
            try:
                active = cache.processor._process_context(
                    self.active,
                    local,
                    cache.options,
                    override_protected=override_protected,
                    propagate=propagate,
                )
            except pyld.JsonLdError as error:
                raise translate_pyld_error(error, path=path) from error
            except JsonLdError as error:
                raise located(error, path) from error
        return ActiveContext(cache, active)


class ContextCache:
    """Processed contexts for one document loader."""

    def __init__(self, loader: ContextLoader) -> None:
        # pyld keeps the loader; a proxy lets the loader (the cache's key) be collected.
        proxy = weakref.proxy(loader)
        self.loader = proxy
        self.processor = Processor()
        self.options = {
            "base": "",
            "documentLoader": proxy,
            # Keyed by context URL: only URLs the loader serves get there.
            "contextResolver": ContextResolver({}, proxy),
            "processingMode": "json-ld-1.1",
        }
        self.lock = threading.Lock()
        self.contexts_kept = 0
        self.initial = ActiveContext(self, self.processor._get_initial_context(self.options))


_CACHES: weakref.WeakKeyDictionary[ContextLoader, ContextCache] = weakref.WeakKeyDictionary()


def cache_for(loader: ContextLoader) -> ContextCache:
    """Return the context cache of ``loader``, creating it on first use."""
    cache = _CACHES.get(loader)
    if cache is None:
        cache = _CACHES.setdefault(loader, ContextCache(loader))
    return cache


def translate_pyld_error(error: pyld.JsonLdError, *, path: str | None) -> Exception:
    """Return our error for a pyld error: ours if pyld wrapped one (the loader's, a
    refused term), else a :class:`JsonLdError` saying what pyld said."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DocumentLoaderError):
            return cause
        if isinstance(cause, JsonLdError):
            return located(cause, path)
        cause = cause.__cause__
    innermost = error
    while isinstance(innermost.__cause__, pyld.JsonLdError):
        innermost = innermost.__cause__
    details = innermost.details if isinstance(innermost.details, dict) else {}
    code = innermost.code or innermost.type
    message = str(innermost.args[0]) if innermost.args else code
    term = details.get("term")
    where = f" at {path}" if path else ""
    about = f" (term {term!r})" if isinstance(term, str) else ""
    return JsonLdError(
        f"{message.rstrip('.')}{about}{where}.",
        field=path,
        data={"jsonld_code": code, **({"term": term} if isinstance(term, str) else {})},
    )


def located(error: JsonLdError, path: str | None) -> JsonLdError:
    """Return ``error`` as raised at ``path`` (errors from inside pyld know no path)."""
    if error.field is not None or path is None:
        return error
    return JsonLdError(f"At {path}: {error.message}", code=error.code, field=path, data=error.data)


def _content_key(local: Any) -> Any:
    if isinstance(local, str):
        return local
    if isinstance(local, list) and all(isinstance(item, str) for item in local):
        return tuple(local)
    try:
        return ("json", json.dumps(local, ensure_ascii=False, allow_nan=False))
    except (TypeError, ValueError) as error:
        raise UnsupportedFeature("a @context that is not JSON") from error
