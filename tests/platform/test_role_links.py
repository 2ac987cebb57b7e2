"""Every link a signed-in person is shown answers for them: no 403, no 404."""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.conf import settings
from django.test import Client

from microcred.site.demo_platform import load_platform_demo
from tests.platform.test_demo import signs_in

# Where a signed-in person starts: staff at the studio, learners at their dashboard.
STARTS = ("/studio/", "/me/")
# Pages reachable within this many clicks of a start page are requested: the third click
# reaches what a version's staff page links to.
CLICKS = 3
# One demo login of each role, in both issuers (their versions are in different states), the
# QA agency's reviewer, the platform admin and learners (one on a pathway).
DEMO_LOGINS = (
    "admin",
    "northfield-owner",
    "northfield-designer",
    "northfield-reviewer",
    "northfield-assessor",
    "northfield-registrar",
    "lakeside-owner",
    "lakeside-designer",
    "lakeside-reviewer",
    "lakeside-registrar",
    "lakeside-evaluator",
    "meridian-reviewer",
    "eva",
    "hugo",
)
# Links that sign out are not pages; the operators' admin is Django's, with its own checks.
SKIPPED = ("/logout", "/admin/")
# Pages that depend on who asks are walked for each person; any other page (the catalogue,
# credentials, achievements, issuers) is requested once, for the first person who is shown it.
PERSONAL = ("/studio/", "/me/")


class _Links(HTMLParser):
    """The targets of a page's ``<a href>`` links."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def same_site_links(page_path: str, html: str) -> list[str]:
    """Return the paths (with their queries) of the page's links to this site."""
    parser = _Links()
    parser.feed(html)
    paths = []
    for link in parser.links:
        # Ids of achievements and credentials name the platform's public address.
        target = urljoin(page_path, urldefrag(link).url.removeprefix(settings.PUBLIC_URL))
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/"):
            paths.append(target)
    return paths


def broken_links(client: Client, shared: set[str]) -> list[str]:
    """Walk the links within ``CLICKS`` of the start pages; return those answering 403 or 404,
    each with the page that shows it. ``shared`` holds the pages (not personal) already
    requested for someone else."""
    broken = []
    queue = deque((path, 0, "(start)") for path in STARTS)
    visited: set[str] = set()
    while queue:
        path, clicks, shown_on = queue.popleft()
        if path in visited or path in shared or path.startswith(SKIPPED):
            continue
        (visited if path.startswith(PERSONAL) else shared).add(path)
        response = client.get(path)
        if response.status_code in (403, 404):
            broken.append(f"{path} ({response.status_code}), linked from {shown_on}")
            continue
        html = response.get("Content-Type", "").startswith("text/html")
        if clicks < CLICKS and html and response.status_code == 200 and not response.streaming:
            for link in same_site_links(path, response.content.decode()):
                queue.append((link, clicks + 1, path))
    return broken


@pytest.fixture
def demo(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        list(load_platform_demo())


def test_every_link_shown_to_a_demo_person_answers_for_them(demo) -> None:
    broken = []
    shared: set[str] = set()
    for username in DEMO_LOGINS:
        client = Client()
        assert signs_in(client, username), username
        broken += [f"{username}: {link}" for link in broken_links(client, shared)]
    assert not broken, "\n".join(broken)
