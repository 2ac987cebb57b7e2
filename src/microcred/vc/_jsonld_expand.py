"""JSON-LD expansion with compiled contexts, in safe mode.

This is the Expansion Algorithm (JSON-LD 1.1 Processing Algorithms, section
5.1) as pyld 3.3 implements it, step for step and with its output, for the
features credentials use: terms, compact IRIs and keyword aliases, type
coercion (``@id``, ``@vocab``, ``@json``, datatypes), default and term
languages, ``@list``, ``@set``, ``@graph`` and ``@language`` containers,
property-scoped and type-scoped contexts, embedded contexts. Anything else
(``@reverse``, ``@nest``, ``@included``, index, id and type maps...) raises
:class:`UnsupportedFeature` and pyld expands the document instead.

Safe mode: where a JSON-LD processor would silently drop data or leave an
IRI relative, this raises :class:`JsonLdError` naming the JSON path. These
are the conditions jsonld.js refuses with its ``safe`` option: a key the
context does not define, a relative ``@id`` or ``@type``, a free-floating
value, an empty object, an object with only ``@id``, ``@value``, ``@list``
or ``@language`` where it would be dropped, a null ``@value``. pyld 3.3
has no safe mode: it drops such keys and resolves relative IRIs against
``http://example.org/base/``, so the bytes it signs are not what the
document says.
"""

from __future__ import annotations

from typing import Any

from microcred.vc._jsonld_contexts import (
    KEYWORDS,
    ActiveContext,
    ContextCache,
    UnsupportedFeature,
    is_absolute_iri,
)
from microcred.vc._shared_nodes import SharedNodes
from microcred.vc.errors import JsonLdError
from microcred.vc.jsontypes import JSONObject

# Keywords that stay scalar when added to an expanded object (pyld's add_value).
_SINGLE_VALUED = frozenset(("@index", "@id", "@type", "@value", "@language"))
# Keys handled below; any other keyword makes the document take the pyld path.
_HANDLED_KEYWORDS = frozenset(
    ("@id", "@type", "@value", "@language", "@direction", "@graph", "@list", "@set", "@context")
)


def expand(document: Any, cache: ContextCache, shared: SharedNodes | None = None) -> list[Any]:
    """Return the expanded form of ``document`` (a list of node objects), as pyld would.

    With ``shared``, the node objects it knows are not expanded again, and the ones this
    document holds are kept in it; their expanded forms are then shared by the documents
    expanded with it, and must not be changed.
    """
    result = _element(cache.initial, None, document, "$", False, shared)
    if isinstance(result, dict) and "@graph" in result and len(result) == 1:
        result = result["@graph"]
    if result is None:
        return []
    return result if isinstance(result, list) else [result]


def _element(
    ctx: ActiveContext,
    active_property: str | None,
    element: Any,
    path: str,
    inside_list: bool,
    shared: SharedNodes | None,
) -> Any:
    if element is None:
        return None
    if isinstance(element, list):
        container = ctx.term(active_property).container if active_property is not None else ()
        inside_list = inside_list or "@list" in container
        expanded_items: list[Any] = []
        for index, item in enumerate(element):
            expanded = _element(ctx, active_property, item, f"{path}[{index}]", inside_list, shared)
            if inside_list and isinstance(expanded, list):
                expanded = {"@list": expanded}
            if isinstance(expanded, list):
                expanded_items.extend(expanded)
            elif expanded is not None:
                expanded_items.append(expanded)
        return expanded_items
    if isinstance(element, dict):
        if shared is None or active_property is None or not shared.worth_keeping(element):
            return _object(ctx, active_property, element, path, inside_list, shared)
        expanded = shared.expanded(element, ctx, active_property, inside_list)
        if expanded is None:
            expanded = _object(ctx, active_property, element, path, inside_list, shared)
            shared.keep_expanded(element, ctx, active_property, inside_list, expanded)
        return expanded
    if not isinstance(element, str | int | float):
        raise UnsupportedFeature(f"a {type(element).__name__} is not JSON")
    if not inside_list and (active_property is None or ctx.term(active_property).iri == "@graph"):
        raise _dropped(path, "it is a value outside any property (a free-floating value)")
    return _value(ctx, active_property, element, path)


def _object(
    ctx: ActiveContext,
    active_property: str | None,
    element: dict[str, Any],
    path: str,
    inside_list: bool,
    shared: SharedNodes | None,
) -> Any:
    if not all(isinstance(key, str) for key in element):
        raise UnsupportedFeature("an object with keys that are not strings")
    active_term = ctx.term(active_property) if active_property is not None else None
    expanded_active_property = active_term.iri if active_term is not None else None
    # A type-scoped context does not reach nested nodes; it stays for values and
    # references (pyld's _expand, "must_revert").
    if ctx.has_previous and not _keeps_type_scope(ctx, element):
        ctx = ctx.previous
    if active_term is not None and active_term.scoped is not None:
        ctx = ctx.with_scoped(active_term.scoped, path=path, override_protected=True)
    if "@context" in element:
        local = element["@context"]
        if isinstance(local, dict) and len(local) == 1 and "@context" in local:
            raise UnsupportedFeature("a @context holding only @context")
        ctx = ctx.with_document_context(local, path=f"{path}.@context")
    type_scoped_ctx = ctx
    type_key = None
    for key in sorted(element):
        if not ctx.may_alias(key, "@type"):
            continue
        type_key = type_key or key
        types = [value for value in _as_list(element[key]) if isinstance(value, str)]
        for type_ in sorted(types):
            scoped = type_scoped_ctx.term(type_).scoped
            if scoped is not None and scoped is not False:
                ctx = ctx.with_scoped(scoped, path=f"{path}.{key}", propagate=False)
    result: dict[str, Any] = {}
    _expand_entries(
        ctx,
        active_property,
        expanded_active_property,
        element,
        result,
        path,
        type_key,
        type_scoped_ctx,
        shared,
    )
    return _finish_object(
        ctx, active_property, expanded_active_property, element, result, path, inside_list
    )


def _keeps_type_scope(ctx: ActiveContext, element: dict[str, Any]) -> bool:
    if len(element) > 2 or "@context" in element:
        return False
    for key in sorted(element):
        if ctx.may_alias(key, "@value"):
            return True
        if len(element) == 1 and ctx.may_alias(key, "@id"):
            return True
    return False


def _expand_entries(
    ctx: ActiveContext,
    active_property: str | None,
    expanded_active_property: str | None,
    element: dict[str, Any],
    result: dict[str, Any],
    path: str,
    type_key: str | None,
    type_scoped_ctx: ActiveContext,
    shared: SharedNodes | None,
) -> None:
    """Expand each entry of a node or value object into ``result`` (pyld's _expand_object)."""
    is_json_type = False
    if type_key is not None:
        declared = element[type_key]
        first = declared[0] if isinstance(declared, list) and declared else declared
        is_json_type = isinstance(first, str) and ctx.term(first).iri == "@json"
    for key, value in sorted(element.items()):
        if key == "@context":
            continue
        term = ctx.term(key)
        iri = term.iri
        key_path = f"{path}.{key}"
        if iri is None or not (iri in KEYWORDS or is_absolute_iri(iri)):
            raise JsonLdError(
                f"{key!r} at {path} is not defined by the document's @context, so its "
                "value would be left out of the signed data.",
                code="jsonld.undefined_term",
                field=key_path,
                data={"term": key},
            )
        if iri in KEYWORDS:
            if iri not in _HANDLED_KEYWORDS or expanded_active_property == "@reverse":
                raise UnsupportedFeature(iri)
            if iri in result and iri != "@type":
                raise UnsupportedFeature("colliding keywords")
            if _expand_keyword(ctx, type_scoped_ctx, iri, value, result, key_path, is_json_type):
                continue
        if term.reverse:
            raise UnsupportedFeature("@reverse")
        term_ctx = ctx
        if term.scoped is not None:
            term_ctx = ctx.with_scoped(term.scoped, path=key_path, override_protected=True)
            if term_ctx.term(key).reverse:
                raise UnsupportedFeature("@reverse")
        container = term.container
        expanded: JSONObject | list[Any] | None
        if "@language" in container and isinstance(value, dict):
            expanded = _language_map(term_ctx, value, term.direction, key_path)
        elif isinstance(value, dict) and (
            "@index" in container or "@id" in container or "@type" in container
        ):
            raise UnsupportedFeature("index, id and type maps")
        elif iri in ("@list", "@set"):
            is_list = iri == "@list"
            next_property = (
                None if is_list and expanded_active_property == "@graph" else active_property
            )
            expanded = _element(term_ctx, next_property, value, key_path, is_list, shared)
        elif term.type == "@json":
            expanded = {"@type": "@json", "@value": value}
        else:
            expanded = _element(term_ctx, key, value, key_path, False, shared)
        if expanded is None:
            continue
        if iri != "@list" and "@list" in container and not _is_list_object(expanded):
            expanded = {"@list": _as_list(expanded)}
        if "@graph" in container and "@id" not in container and "@index" not in container:
            expanded = [{"@graph": [item]} for item in _as_list(expanded)]
        _add(result, iri, expanded, as_array=iri not in _SINGLE_VALUED)


def _expand_keyword(
    ctx: ActiveContext,
    type_scoped_ctx: ActiveContext,
    iri: str,
    value: Any,
    result: dict[str, Any],
    path: str,
    is_json_type: bool,
) -> bool:
    """Expand an entry whose key is a keyword; return False for @graph, @list and @set,
    whose values expand like any property's.

    Types expand in the context from before the type-scoped contexts applied.
    """
    if iri == "@id":
        if not isinstance(value, str):
            raise _invalid('"@id" must be a string', path, "invalid @id value")
        result["@id"] = _reference(ctx, value, path, vocab=False)
    elif iri == "@type":
        if value is None:
            raise UnsupportedFeature("a null @type")
        values = value if isinstance(value, list) else [value]
        if not all(isinstance(item, str) for item in values):
            raise _invalid(
                '"@type" must be a string or an array of strings', path, "invalid type value"
            )
        _add(
            result,
            "@type",
            [_type_iri(type_scoped_ctx, item, path) for item in values],
            as_array=False,
        )
    elif iri == "@value":
        if not is_json_type and isinstance(value, list | dict):
            raise _invalid(
                '"@value" must not be an object or an array', path, "invalid value object value"
            )
        if is_json_type:
            result["@value"] = value
        else:
            _add(result, "@value", value, as_array=False)
    elif iri == "@language":
        if value is not None:
            if not isinstance(value, str):
                raise _invalid(
                    '"@language" must be a string', path, "invalid language-tagged string"
                )
            result["@language"] = value.lower()
    elif iri == "@direction":
        if value not in ("ltr", "rtl"):
            raise _invalid('"@direction" must be "ltr" or "rtl"', path, "invalid base direction")
        result["@direction"] = value
    elif iri == "@graph" and not isinstance(value, dict | list):
        raise _invalid('"@graph" must be an object or an array', path, "invalid @graph value")
    else:
        return False
    return True


def _finish_object(
    ctx: ActiveContext,
    active_property: str | None,
    expanded_active_property: str | None,
    element: dict[str, Any],
    result: dict[str, Any],
    path: str,
    inside_list: bool,
) -> Any:
    """Check and simplify an expanded object, or refuse to drop it (end of pyld's _expand)."""
    count = len(result)
    if "@value" in result:
        _check_value_object(ctx, element, result, path)
    elif "@type" in result:
        if not isinstance(result["@type"], list):
            result["@type"] = [result["@type"]]
    elif "@set" in result or "@list" in result:
        if count > 1:
            raise _invalid(
                "an object with @set or @list may have no other entries",
                path,
                "invalid set or list object",
            )
        if "@set" in result:
            return result["@set"]
    elif count == 1 and "@language" in result:
        raise _dropped(path, "an object with only @language says nothing")
    if (
        not inside_list
        and (active_property is None or expanded_active_property == "@graph")
        and (
            count == 0
            or "@value" in result
            or "@list" in result
            or (count == 1 and "@id" in result)
        )
    ):
        raise _dropped(
            path,
            "at the top of a document or graph, an empty object, a value, a list or a "
            "node with only an @id is not data",
        )
    return result


def _check_value_object(
    ctx: ActiveContext, element: dict[str, Any], result: dict[str, Any], path: str
) -> None:
    if "@type" in result and ("@language" in result or "@direction" in result):
        raise _invalid(
            "a value object may not have both @type and @language or @direction",
            path,
            "invalid value object",
        )
    if any(name not in ("@value", "@type", "@language", "@direction") for name in result):
        raise _invalid("a value object has an entry it may not have", path, "invalid value object")
    if isinstance(result.get("@type"), list) or (
        "@type" in result
        and any(
            ctx.term(key).iri == "@type" and isinstance(value, list)
            for key, value in element.items()
        )
    ):
        raise _invalid("the @type of a value object must be a string", path, "invalid typed value")
    if result.get("@type") == "@json":
        return
    if result["@value"] is None:
        raise _dropped(path, "its @value is null")
    if "@language" in result and not isinstance(result["@value"], str):
        raise _invalid("only strings may have a language", path, "invalid language-tagged value")
    datatype = result.get("@type")
    if datatype is not None and (not is_absolute_iri(datatype) or datatype.startswith("_:")):
        raise _invalid("the @type of a value must be an IRI", path, "invalid typed value")


def _value(ctx: ActiveContext, active_property: str | None, value: Any, path: str) -> Any:
    """Expand a scalar under ``active_property`` (pyld's _expand_value)."""
    if active_property is None:
        raise UnsupportedFeature("a value in a list outside any property")
    term = ctx.term(active_property)
    if term.iri in ("@id", "@type"):
        raise UnsupportedFeature("a scalar under @id or @type")
    if isinstance(value, str):
        if term.type == "@id" or term.iri == "@graph":
            return {"@id": _reference(ctx, value, path, vocab=False)}
        if term.type == "@vocab":
            return {"@id": _reference(ctx, value, path, vocab=True)}
    if term.iri in KEYWORDS:
        raise UnsupportedFeature(f"a scalar under {term.iri}")
    expanded: dict[str, Any] = {}
    if term.type is not None and term.type not in ("@id", "@vocab", "@none"):
        expanded["@type"] = term.type
    elif isinstance(value, str):
        if term.language is not None:
            expanded["@language"] = term.language
        if term.direction is not None:
            expanded["@direction"] = term.direction
    expanded["@value"] = value
    return expanded


def _language_map(
    ctx: ActiveContext, value: dict[str, Any], direction: str | None, path: str
) -> list[dict[str, Any]]:
    expanded = []
    for language, strings in sorted(value.items()):
        no_language = ctx.term(language).iri == "@none"
        for item in _as_list(strings):
            if item is None:
                continue
            if not isinstance(item, str):
                raise _invalid(
                    "the values of a language map must be strings",
                    f"{path}.{language}",
                    "invalid language map value",
                )
            entry = {"@value": item}
            if not no_language:
                entry["@language"] = language.lower()
            if direction:
                entry["@direction"] = direction
            expanded.append(entry)
    return expanded


def _reference(ctx: ActiveContext, value: str, path: str, *, vocab: bool) -> str:
    iri = ctx.expand_iri(value, vocab=vocab)
    if iri is None or iri in KEYWORDS or not is_absolute_iri(iri):
        raise JsonLdError(
            f"{value!r} at {path} is not an absolute IRI; with no base IRI it would not "
            "identify anything.",
            code="jsonld.relative_iri",
            field=path,
            data={"value": value},
        )
    return iri


def _type_iri(ctx: ActiveContext, value: str, path: str) -> str:
    iri = ctx.expand_iri(value, vocab=True)
    if iri == "@json":
        return iri
    if iri is None or iri in KEYWORDS or not is_absolute_iri(iri):
        raise JsonLdError(
            f"The type {value!r} at {path} is not defined by the document's @context "
            "and is not an absolute IRI.",
            code="jsonld.undefined_term",
            field=path,
            data={"term": value},
        )
    return iri


def _add(target: dict[str, Any], name: str, value: Any, *, as_array: bool) -> None:
    """Add a value to an expanded object as pyld's add_value does (duplicates allowed)."""
    if isinstance(value, list):
        if not value and as_array and name not in target:
            target[name] = []
        for item in value:
            _add(target, name, item, as_array=as_array)
    elif name in target:
        existing = target[name]
        if not isinstance(existing, list):
            existing = target[name] = [existing]
        existing.append(value)
    else:
        target[name] = [value] if as_array else value


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _is_list_object(value: Any) -> bool:
    return isinstance(value, dict) and "@list" in value


def _invalid(problem: str, path: str, jsonld_code: str) -> JsonLdError:
    return JsonLdError(
        f"Invalid JSON-LD at {path}: {problem}.", field=path, data={"jsonld_code": jsonld_code}
    )


def _dropped(path: str, reason: str) -> JsonLdError:
    return JsonLdError(
        f"The value at {path} would be left out of the signed data: {reason}.",
        code="jsonld.dropped_value",
        field=path,
    )
