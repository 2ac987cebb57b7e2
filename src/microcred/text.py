"""Sentences the standards engine writes for people: English everywhere, translated on a page.

The engine (``vc``, ``frameworks``) knows nothing of Django, and what it says is stored and
served in English: the API, ``--json``, stored findings and reports stay English whatever
the reader's language. A page translates a sentence only when it shows it.

So the engine writes :func:`sentence` (or :func:`plural_sentence`) instead of an f-string.
The result is a :class:`Sentence`: a ``str`` holding the English text, which also keeps its
English template and named arguments. Django's templates call ``__html__`` on what they
output; that method translates the template through the catalogue the site installed at
start (:func:`install`), then fills in the arguments, escaped. Without an installed
catalogue (the command line, the engine's own tests) it stays English.

Text stored as plain English (the findings kept on a QA review, a verification report
kept as JSON) is turned back into sentences by :func:`recognise`, which matches it against
the templates of the engine's own catalogues.

``makemessages`` finds the templates by the keywords ``sentence`` and
``plural_sentence:1,2`` (the core app's ``makemessages`` command adds them).
"""

from __future__ import annotations

import html
import re
import struct
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = [
    "Sentence",
    "capitalised",
    "concat",
    "install",
    "joined",
    "plural_sentence",
    "recognise",
    "recognise_items",
    "recognise_report",
    "sentence",
    "translated",
]

_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")
# The catalogues whose templates recognise() knows: the engine's own.
_CATALOGUES = ("frameworks", "vc")

Translate = Callable[[str], str]
TranslatePlural = Callable[[str, str, int], str]


def _english(message: str) -> str:
    return message


def _english_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


_translate: Translate = _english
_translate_plural: TranslatePlural = _english_plural


def install(translate: Translate, translate_plural: TranslatePlural) -> None:
    """Translate sentences shown on pages with ``translate`` (gettext) and
    ``translate_plural`` (ngettext); the site installs Django's at start."""
    global _translate, _translate_plural
    _translate, _translate_plural = translate, translate_plural


class _Markup(str):
    """Text already escaped for HTML: escaping it again leaves it as it is."""

    def __html__(self) -> _Markup:
        return self


class Sentence(str):
    """English text that remembers its template and arguments, to be translated when shown.

    As a ``str`` (comparison, JSON, storage, logs) it is the English sentence. ``number`` is
    the count that chose a plural form (``count`` is ``str.count``, left alone).
    """

    template: str
    plural: str | None
    number: int | None
    args: dict[str, Any]
    capital: bool

    def __new__(
        cls,
        template: str,
        args: Mapping[str, Any] | None = None,
        *,
        plural: str | None = None,
        count: int | None = None,
        capital: bool = False,
    ) -> Sentence:
        values = dict(args or {})
        chosen = _english_plural(template, plural, count or 0) if plural is not None else template
        english = (
            chosen % values if values and _formats_exactly(chosen) else _fill(chosen, values, str)
        )
        self = super().__new__(cls, _capitalise(english) if capital else english)
        self.template, self.plural, self.number, self.args = template, plural, count, values
        self.capital = capital
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.args, self.plural, self.number, self.capital))

    def translated(self, *, escape: Callable[[Any], str] | None = None) -> str:
        """Return the sentence in the installed language (arguments that are sentences are
        translated in turn). With ``escape`` (for HTML), each argument is escaped by it and
        the sentence's own words by :func:`html.escape`."""
        literal = html.escape if escape else _same
        if self.plural is not None:
            chosen = _translate_plural(self.template, self.plural, self.number or 0)
        else:
            chosen = _translate(self.template)

        def shown(value: Any) -> str:
            if isinstance(value, Sentence):
                return value.translated(escape=escape)
            return escape(value) if escape else str(value)

        try:
            text = _fill(chosen, self.args, shown, literal)
        except (KeyError, ValueError, TypeError):  # a translation that does not fit: English
            english = self.template if self.plural is None else self.plural
            text = _fill(english if self.number != 1 else self.template, self.args, shown, literal)
        return _capitalise(text) if self.capital else text

    def __html__(self) -> _Markup:
        """The sentence translated, its arguments escaped: what a Django template outputs."""
        return _Markup(self.translated(escape=_escape))


def _escape(value: Any) -> str:
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _same(text: str) -> str:
    return text


def _fill(
    template: str,
    args: Mapping[str, Any],
    show: Callable[[Any], str],
    literal: Callable[[str], str] = _same,
) -> str:
    """Return ``template`` with each ``%(name)s`` replaced by ``show(args[name])`` and the
    text between them passed through ``literal``."""
    if not args:
        return literal(template)
    parts, position = [], 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(literal(template[position : match.start()]))
        parts.append(literal("%") if match.group(0) == "%%" else show(args[match.group(1)]))
        position = match.end()
    parts.append(literal(template[position:]))
    return "".join(parts)


@lru_cache(maxsize=4096)
def _formats_exactly(template: str) -> bool:
    """Tell whether ``template % args`` gives what :func:`_fill` gives in English (in a
    fraction of the time): its only ``%`` are ``%(name)s`` placeholders and ``%%``."""
    return "%" not in _PLACEHOLDER.sub("", template)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _rebuild(
    template: str, args: dict[str, Any], plural: str | None, count: int | None, capital: bool
) -> Sentence:
    return Sentence(template, args, plural=plural, count=count, capital=capital)


def sentence(template: str, /, **args: Any) -> Sentence:
    """Return ``template`` (English, with ``%(name)s`` placeholders) filled with ``args``.

    Write the template as a literal: ``makemessages`` collects it for the catalogue.
    Use ``%%`` for a percent sign when the template has arguments.
    """
    return Sentence(template, args)


def plural_sentence(singular: str, plural: str, /, count: int, **args: Any) -> Sentence:
    """Return the singular or plural template, chosen by ``count`` in the shown language.

    Both templates should contain ``%(count)s``.
    """
    return Sentence(singular, {"count": count, **args}, plural=plural, count=count)


def capitalised(text: Sentence) -> Sentence:
    """Return ``text`` with its first letter a capital, in English and in translation."""
    return Sentence(text.template, text.args, plural=text.plural, count=text.number, capital=True)


def concat(*parts: Any) -> Sentence:
    """Return ``parts`` (text or sentences) written one after the other, as one sentence
    whose sentence parts are translated where it is shown."""
    names = [f"part{index}" for index in range(len(parts))]
    return Sentence("".join(f"%({name})s" for name in names), dict(zip(names, parts, strict=True)))


def joined(parts: Iterable[Any], template: str) -> Any:
    """Join ``parts`` with ``template`` (such as ``"%(first)s; %(rest)s"``), each part kept a
    sentence of its own; a template with words of its own must be in a catalogue (write it
    as a :func:`sentence` once) to be translated."""
    items = list(parts)
    if not items:
        return ""
    result = items[-1]
    for part in reversed(items[:-1]):
        result = Sentence(template, {"first": part, "rest": result})
    return result


def translated(text: Any) -> str:
    """Return ``text`` in the installed language if it is a sentence, else as it is."""
    return text.translated() if isinstance(text, Sentence) else str(text)


# The engine's sentences are short (their longest template has some 210 characters); a longer
# text carries what someone sent (a credential's name, say), and reading it word by word against
# every template costs time that grows with the square of its length (50 ms at 600 characters).
LONGEST_RECOGNISED = 500


def recognise(text: Any) -> Any:
    """Return ``text`` as a :class:`Sentence` when it is a sentence of the engine's
    catalogues (kept as plain English), otherwise ``text`` unchanged."""
    if not isinstance(text, str) or isinstance(text, Sentence) or not text:
        return text
    if len(text) > LONGEST_RECOGNISED:
        return text
    return _recognise(text)


def recognise_items(items: Iterable[Any], keys: Iterable[str] = ("message",)) -> list[Any]:
    """Return ``items`` (dicts as stored in JSON) with each value under ``keys`` recognised."""
    keys = tuple(keys)
    return [
        {key: recognise(value) if key in keys else value for key, value in item.items()}
        if isinstance(item, dict)
        else item
        for item in items
    ]


def recognise_report(report: Any) -> Any:
    """Return a verification report kept as JSON (``VerificationReport.as_dict``, perhaps with
    its ``summary``) with its sentences recognised, nested reports too."""
    if not isinstance(report, dict):
        return report
    out = dict(report)
    if "summary" in out:
        out["summary"] = recognise(out["summary"])
    if isinstance(out.get("checks"), list):
        out["checks"] = recognise_items(out["checks"])
    if isinstance(out.get("nested"), list):
        out["nested"] = [recognise_report(inner) for inner in out["nested"]]
    return out


@lru_cache(maxsize=4096)
def _recognise(text: str) -> str:
    exact, patterns = _templates()
    if text in exact:
        return Sentence(text)
    # The summary's sentences are written with a capital first letter where they start it.
    lowered = text[:1].lower() + text[1:]
    if lowered != text and lowered in exact:
        return capitalised(Sentence(lowered))
    # The best reading leaves the least text unrecognised in its arguments, then has the
    # most literal text: "A, b and c." is "%(findings)s." around a list, not "%(names)s and
    # %(last)s" with "c." left over.
    best: tuple[tuple[int, int], Sentence] | None = None
    for literal, regex, template, plural in patterns:
        if best is not None and best[0][0] == 0 and literal <= best[0][1]:
            break  # sorted longest literal text first: nothing after this reads better
        match = regex.match(text)
        if not match:
            continue
        args: dict[str, Any] = {name: recognise(value) for name, value in match.groupdict().items()}
        if plural is None:
            found = Sentence(template, args)
        else:
            try:
                count = int(args["count"])
            except (KeyError, ValueError):
                continue
            found = Sentence(template, {**args, "count": count}, plural=plural, count=count)
        score = (-_prose(args.values()), literal)
        if found == text and (best is None or score > best[0]):
            best = (score, found)
    if lowered != text and (best is None or best[0][0] < 0):
        again = _recognise(lowered)
        if isinstance(again, Sentence) and (best is None or _prose([again]) < -best[0][0]):
            return capitalised(again)
    return best[1] if best else text


def _prose(values: Iterable[Any]) -> int:
    """How much text of these arguments, and of the arguments of sentences among them, no
    catalogue recognised."""
    return sum(
        _prose(value.args.values()) if isinstance(value, Sentence) else len(str(value))
        for value in values
    )


@lru_cache(maxsize=1)
def _templates() -> tuple[set[str], list[tuple[int, re.Pattern[str], str, str | None]]]:
    """The engine's templates: those without arguments, and patterns for those with."""
    exact: set[str] = set()
    patterns = []
    root = Path(__file__).resolve().parent
    for package in _CATALOGUES:
        for path in sorted((root / package / "locale").glob("*/LC_MESSAGES/django.mo")):
            for key in _msgids(path.read_bytes()):
                singular, _, plural = key.partition("\x00")
                if not singular or "\x04" in singular:
                    continue  # the header, or a message with a context
                if not plural and not _PLACEHOLDER.search(singular):
                    exact.add(singular)
                    continue
                for form in (singular, plural) if plural else (singular,):
                    if _literal_length(form) >= 1:  # a bare placeholder would match anything
                        patterns.append(
                            (_literal_length(form), _pattern(form), singular, plural or None)
                        )
    patterns.sort(key=lambda entry: -entry[0])
    return exact, patterns


def _msgids(data: bytes) -> list[str]:
    """The message ids of a compiled catalogue (GNU .mo), plural ids as ``singular\\0plural``
    (:class:`gettext.GNUTranslations` keeps only the singular of those)."""
    order = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    count, originals = struct.unpack(order + "2I", data[8:16])
    ids = []
    for index in range(count):
        length, offset = struct.unpack_from(order + "2I", data, originals + 8 * index)
        ids.append(data[offset : offset + length].decode("utf-8"))
    return ids


def _literal_length(template: str) -> int:
    return len(_PLACEHOLDER.sub("", template))


def _pattern(template: str) -> re.Pattern[str]:
    parts = []
    seen: set[str] = set()
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        name = match.group(1)
        if name is None:
            parts.append("%")
        elif name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>.+?)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts) + r"\Z", re.DOTALL)
