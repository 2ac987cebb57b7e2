"""Each role sees the platform in German when it asks for German.

One person of each role signs in to the demo with German chosen, as the footer's switcher
chooses it, and opens every page within two clicks of their start page. No page may show English
interface text: what designers, learners and issuers wrote (titles, outcomes, names) is
content, shown as written, and is left out of the check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import models
from django.test import Client

from tests.platform.test_demo import signs_in
from tests.platform.test_role_links import demo, same_site_links  # noqa: F401 (fixture)

# One demo person of each role, and where each starts.
ROLES = {
    "northfield-owner": "/studio/",
    "northfield-designer": "/studio/",
    "northfield-reviewer": "/studio/",
    "northfield-assessor": "/studio/",
    "northfield-registrar": "/studio/",
    "lakeside-evaluator": "/studio/",
    "admin": "/studio/",
    "eva": "/me/",
}
VISITOR_PAGES = ("/", "/catalogue/", "/orgs/", "/verify", "/pathways/", "/login", "/signup")
# Words of English grammar that German interface text does not use ("was" is German too).
ENGLISH = re.compile(
    r"\b(the|and|your|you|is|are|this|not|with|for|has|have|of|to|will|been|can)\b"
)
SKIPPED = ("/logout", "/admin/", "/api/")
# How far from their start page each person reads.
CLICKS = 2


class _VisibleText(HTMLParser):
    """The text a person reads, outside code and outside content marked with its language."""

    HIDDEN = {"script", "style", "code", "pre", "kbd", "samp"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.pieces: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}:
            return
        lang = dict(attrs).get("lang")
        hidden = tag in self.HIDDEN or bool(lang and not lang.startswith("de") and tag != "html")
        self.stack.append((tag, hidden or (bool(self.stack) and self.stack[-1][1])))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]) and data.strip():
            self.pieces.append(" ".join(data.split()))


def english_text(html: str, content: set[str]) -> list[str]:
    """The pieces of a page's text that read as English interface text."""
    reader = _VisibleText()
    reader.feed(html)
    return [
        piece
        for piece in reader.pieces
        if ENGLISH.search(piece)
        and not any(written in piece or piece in written for written in content)
    ]


# JSON fields that hold what people wrote, with the keys people wrote under (None: all of
# it); the rest of JSON holds what programs wrote (reports, findings), which pages translate.
WRITTEN_JSON: dict[str, set[str] | None] = {
    "assessment.AssessmentPlan.components": None,
    "assessment.Submission.texts": None,
    "catalogue.MicroCredentialVersion.tags": None,
    "organisations.Organisation.accreditations": None,
    "quality.QualitySettings.accreditations": None,
    "quality.QAReview.comments": None,
    "quality.QAReview.external_comments": None,
    "quality.QAReview.checklist": {"note"},
    "quality.QAReview.external_checklist": {"note"},
    "recognition.RecognitionRequest.evidence": None,
}


def written_content() -> set[str]:
    """What people wrote, stored in text fields and in parts of some JSON fields (an
    assessment plan's prompts, accreditations, a reviewer's notes): shown as written, in its
    own language."""
    texts: set[str] = set()
    for model in apps.get_models():
        fields = {
            field.name: WRITTEN_JSON.get(f"{model._meta.label}.{field.name}")
            for field in model._meta.get_fields()
            if (isinstance(field, (models.CharField, models.TextField)) and not field.choices)
            or f"{model._meta.label}.{field.name}" in WRITTEN_JSON
        }
        for row in model.objects.values_list(*fields) if fields else []:
            for value, keys in zip(row, fields.values(), strict=True):
                texts |= {" ".join(text.split()) for text in _texts(value, keys) if " " in text}
    return texts


def _texts(value: object, keys: set[str] | None) -> Iterator[str]:
    """The texts in a JSON value, those under ``keys`` only when given."""
    if isinstance(value, str) and keys is None:
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, None if keys is None or key in keys else keys)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item, keys)


def german_pages(
    client: Client, starts: list[str], content: set[str], shared: set[str]
) -> list[str]:
    """Open the start pages and what is within ``CLICKS`` of them; return the English found,
    by page.

    Pages that are the same for everyone are opened once, for the first person shown them.
    """
    found = []
    personal: set[str] = set()
    queue = [(path, 0) for path in starts]
    while queue:
        path, clicks = queue.pop(0)
        if path in personal or path in shared or urlsplit(path).path.startswith(SKIPPED):
            continue
        (personal if path.startswith(("/studio/", "/me/")) else shared).add(path)
        response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        html = response.content.decode()
        assert '<html lang="de"' in html, path
        found += [f"{path}: {piece}" for piece in english_text(html, content)]
        if clicks < CLICKS:
            queue += [(link, clicks + 1) for link in same_site_links(path, html)]
    return found


@pytest.mark.usefixtures("demo")
def test_every_role_reads_its_pages_in_german() -> None:
    content = written_content()
    shared: set[str] = set()
    visitor = Client()
    visitor.cookies["django_language"] = "de"
    found = german_pages(visitor, list(VISITOR_PAGES), content, shared)
    for username, start in ROLES.items():
        client = Client()
        assert signs_in(client, username), username
        client.cookies["django_language"] = "de"
        found += german_pages(client, [start], content, shared)
    assert not found, "\n".join(found)


def test_the_switcher_sets_the_language_for_the_next_pages(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/catalogue/"})
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"
    page = client.get("/catalogue/").content.decode()
    assert '<html lang="de"' in page
    assert "Katalog" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get("/catalogue/").content.decode()


def test_a_browser_asking_for_german_gets_german(client: Client) -> None:
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9,en;q=0.5").content.decode()
    assert '<html lang="de"' in page
    assert '<html lang="en"' in client.get("/").content.decode()


@pytest.mark.parametrize("path", ["/api/v1/catalogue", "/ims/ob/v3p0/discovery", "/oid4vci/nonce"])
def test_the_apis_answer_in_english_whatever_the_client_asks(client: Client, path: str) -> None:
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="de", HTTP_COOKIE="django_language=de")
    assert response["Content-Language"] == "en"


def test_pages_answer_in_the_language_asked_for(client: Client) -> None:
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Content-Language"] == "de"
