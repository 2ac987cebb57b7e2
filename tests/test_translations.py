"""Every word the interface shows is marked for translation, and German is complete.

A template's text outside ``{% translate %}`` and ``{% blocktranslate %}`` reaches a German
visitor in English, so each template is read as a person would: its text and the
attributes a person reads (``alt``, ``title``, ``placeholder``, ``aria-label``). Code
samples, scripts and styles are not words to translate, nor are the names of standards
and products in ``ALWAYS_AS_WRITTEN``.

Each app keeps its own German catalogue in ``locale/de/LC_MESSAGES/django.po`` with the
compiled ``django.mo`` beside it (`make messages` refreshes both). The catalogue has no
message left untranslated or fuzzy, keeps each message's placeholders, and the compiled
file says what the source says.
"""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType

SOURCE = Path(__file__).resolve().parent.parent / "src" / "microcred"
TEMPLATES = sorted(
    path for path in SOURCE.glob("*/templates/**/*") if path.suffix in {".html", ".txt"}
)
CATALOGUES = sorted(SOURCE.glob("*/locale/de/LC_MESSAGES/django.po"))

# Names of standards, formats and products: a German page writes them the same way.
ALWAYS_AS_WRITTEN = {
    "microcred",
    "JSON",
    "JSON-LD",
    "PDF",
    "PNG",
    "SVG",
    "JWT",
    "CSV",
    "API",
    "ECTS",
    "EQF",
    "ESCO",
    "CLR",
    "DID",
    "DIDs",
    "LinkedIn",
    "Europass",
    "ELM",
    "CTDL",
    "OpenID",
    "OB",
    "Open",
    "Badges",
    "VC",
    "QA",
    "URL",
    "ID",
    "UUID",
    "ISO",
    "Credential",
    "Engine",
    "ORCID",
    "OAuth",
    "HTTP",
    "HTTPS",
    "did",
    "web",
    "key",
    "jwk",
    "eddsa",
    "rdfc",
    "ecdsa",
    "EdDSA",
    "Ed25519",
    "SHA",
    "GitHub",
    "Swagger",
    "OpenAPI",
    "CASE",
    "CEDS",
}
# Text a person does not read as words.
NOT_WORDS = re.compile(
    r"&[a-z]+;|&#\d+;|https?://\S+|\S+@\S+|[\w.-]+\.(json|jwt|svg|png|pdf|csv)\b"
)
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label"}
NOT_READ_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
PLACEHOLDER = "\x1f"


def template_words(text: str) -> list[str]:
    """The untranslated words a person reads in one template's source."""
    source = _without_translated_parts(text)
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return [piece for piece in reader.pieces if _has_words(piece)]


def _without_translated_parts(text: str) -> str:
    """The template with its tags, variables, comments and translated blocks replaced."""
    parts = []
    skip_until: str | None = None
    for token in Lexer(text).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if skip_until and name == skip_until:
                skip_until = None
            elif name in {"blocktranslate", "blocktrans"}:
                skip_until = "end" + name
            elif name == "comment":
                skip_until = "endcomment"
            elif name == "verbatim":
                skip_until = "endverbatim"
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not skip_until:
            parts.append(token.contents)
        else:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def _has_words(text: str) -> bool:
    text = NOT_WORDS.sub(" ", text.replace(PLACEHOLDER, " "))
    words = re.findall(r"[^\W\d_][\w'\u2019-]*", text)
    return any(word not in ALWAYS_AS_WRITTEN and len(word) > 1 for word in words)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.pieces: list[str] = []
        self.hidden: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.pieces.extend(
            value for name, value in attrs if name in READ_ATTRIBUTES and value is not None
        )
        if tag in NOT_READ_ELEMENTS:
            self.hidden.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.hidden and self.hidden[-1] == tag:
            self.hidden.pop()

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.pieces.append(data.strip())


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: str(path.relative_to(SOURCE)))
def test_every_template_is_marked_for_translation(path: Path) -> None:
    assert template_words(path.read_text(encoding="utf-8")) == []


def test_the_checker_finds_text_and_attributes_left_in_english() -> None:
    template = (
        '{% load i18n %}<h1>{% translate "Catalogue" %}</h1><p>Issued by {{ issuer }}</p>'
        '<img alt="Badge image" src="x.png"><code>did:web:example.org</code>'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}"
        "<script>let x = 'text';</script>{% comment %}Not shown{% endcomment %}"
    )
    assert template_words(template) == ["Issued by", "Badge image"]


def test_every_app_with_text_has_a_german_catalogue() -> None:
    apps_with_templates = {path.relative_to(SOURCE).parts[0] for path in TEMPLATES}
    apps_with_catalogues = {path.relative_to(SOURCE).parts[0] for path in CATALOGUES}
    assert apps_with_templates - apps_with_catalogues == set()


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.relative_to(SOURCE).parts[0])
def test_the_german_catalogue_is_complete_and_compiled(path: Path) -> None:
    with path.open("rb") as po_file:
        catalogue = read_po(po_file)
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", ids[0]))
        for string in strings:
            if set(re.findall(r"%\(\w+\)[sd]|\{\w+\}", string)) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {string!r}")
    assert problems == []

    with path.with_suffix(".mo").open("rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    for message in catalogue:
        if message.id and not isinstance(message.id, tuple):
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            assert compiled._catalog.get(key) == message.string, (  # type: ignore[attr-defined]
                f"{path.with_suffix('.mo').name} is older than the .po: run make messages"
            )


def test_a_message_reads_the_same_in_every_catalogue() -> None:
    """Django merges the catalogues, so one app's German for a message shows on every page:
    a word that must read differently somewhere gets a context (``pgettext``)."""
    german: dict[str, dict[str, str]] = {}
    for path in CATALOGUES:
        for message in read_po(path.open("rb")):
            if message.id and not message.context:
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                msgstr = message.string if isinstance(message.string, str) else message.string[0]
                german.setdefault(msgid, {})[str(path.relative_to(SOURCE).parts[0])] = msgstr
    assert {
        msgid: by_app for msgid, by_app in german.items() if len(set(by_app.values())) > 1
    } == {}
