"""Security headers: every HTML page carries the Content-Security-Policy and refuses framing;
every SVG, user-supplied file and other non-page answer carries the sandbox (issue 9).

The platform's demo is walked link by link, anonymously and as each kind of user, so a
page kind added later is checked without being listed here. Run alone:
``python -m pytest tests/security/test_headers.py``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client

import microcred
from microcred.accounts.models import User
from microcred.awards.downloads import generated_svg
from microcred.awards.views import CERTIFICATE_POLICY
from microcred.catalogue import services as catalogue
from microcred.site.demo_platform import load_platform_demo
from microcred.site.security import USER_CONTENT_POLICY
from microcred.vc import Ed25519Multikey
from tests.factories import signed_credential

WHO = ("admin", "northfield-designer", "northfield-reviewer", "northfield-assessor",
       "northfield-registrar", "eva")  # fmt: skip
STARTS = ("/", "/verify", "/login", "/studio/", "/me/", "/studio/tokens", "/admin/",
          "/api/docs", "/api/v1/docs", "/api/openapi.json", "/no-such-page")  # fmt: skip
# Pages of one kind differ only in ids: a couple of each is enough.
PER_KIND = 2
# Links that change state on GET would be a bug of their own; these only sign out.
SKIPPED = ("/logout", "/admin/logout/")
# Page kinds the walk must reach, so that a broken link cannot shrink what is checked.
EXPECTED_KINDS = {
    "/",
    "/catalogue/",
    "/catalogue/<slug>/<slug>/",
    "/achievements/<id>",
    "/achievements/<id>.json",
    "/achievements/<id>/image",
    "/credentials/<id>",
    "/credentials/<id>.svg",
    "/credentials/<id>.pdf",
    "/orgs/<slug>/",
    "/orgs/<slug>/did.json",
    "/verify",
    "/login",
    "/studio/",
    "/me/",
    "/admin/",
    "/api/v1/docs",
}


class _Links(HTMLParser):
    """Collect a page's links and any inline script, event handler or style attribute."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("href", "src", "action"):
            if attributes.get(name) and tag != "form":
                self.links.append(attributes[name] or "")
        for name in attributes:
            if name.startswith("on") or name == "style":
                self.inline.append(f"<{tag} {name}=...>")
        data_block = attributes.get("type") in ("application/json", "application/ld+json")
        self._in_script = tag == "script" and not attributes.get("src") and not data_block

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline.append(f"<script>{data.strip()[:60]}</script>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False


def policy(header: str) -> dict[str, list[str]]:
    """Return a Content-Security-Policy as {directive: [sources]}."""
    directives: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def kind(path: str) -> str:
    """The kind of page a path is: ids and slugs stand for any."""
    path = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>", path)
    path = re.sub(r"/v\d+/", "/v<n>/", path)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", path)
    parts = path.split("/")
    if len(parts) >= 4 and parts[1] == "catalogue" and parts[2]:
        parts[2:4] = ["<slug>", "<slug>"]
    if len(parts) >= 3 and parts[1] in ("orgs", "qa", "status") and parts[2]:
        parts[2] = "<slug>"
    return "/".join(parts)


def check_page(path: str, response: Any) -> list[str]:
    """Return what is wrong with the security headers (and inline code) of one answer."""
    problems = []
    content_type = response.get("Content-Type", "")
    csp = response.get("Content-Security-Policy", "")
    if content_type.startswith("text/html"):
        directives = policy(csp)
        expected = {
            "default-src": ["'self'"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "object-src": ["'none'"],
            "base-uri": ["'none'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
        }
        for name, sources in expected.items():
            if directives.get(name) != sources:
                problems.append(f"{path}: {name} is {directives.get(name)}, not {sources}")
        if response.get("X-Frame-Options") != "DENY":
            problems.append(f"{path}: X-Frame-Options is {response.get('X-Frame-Options')}")
        if not getattr(response, "streaming", False):
            parser = _Links()
            parser.feed(response.content.decode())
            problems += [f"{path}: inline {found}" for found in parser.inline]
    elif re.fullmatch(r"/credentials/[0-9a-f-]+\.pdf", path):
        if csp != CERTIFICATE_POLICY:
            problems.append(f"{path}: the certificate's policy is {csp!r}")
    elif csp != USER_CONTENT_POLICY:
        problems.append(f"{path} ({content_type}): Content-Security-Policy is {csp!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{path}: no X-Content-Type-Options: nosniff")
    return problems


def walk(client: Client, starts: tuple[str, ...], seen_kinds: dict[str, int]) -> list[str]:
    """Follow same-site links from ``starts``; return the problems of every answer met."""
    problems: list[str] = []
    queue = deque(starts)
    visited: set[str] = set()
    while queue:
        path = queue.popleft()
        if path in visited or path.startswith(SKIPPED):
            continue
        visited.add(path)
        page_kind = kind(urlsplit(path).path)
        if seen_kinds.get(page_kind, 0) >= PER_KIND:
            continue
        seen_kinds[page_kind] = seen_kinds.get(page_kind, 0) + 1
        response = client.get(path)
        problems += check_page(path, response)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            parser = _Links()
            parser.feed(response.content.decode())
            for link in parser.links:
                # Ids of achievements and credentials name the platform's public address.
                target = urldefrag(link).url.removeprefix(settings.PUBLIC_URL)
                if target.startswith("/") and not target.startswith("//"):
                    queue.append(target)
    return problems


@pytest.fixture
def demo(settings, tmp_path) -> tuple[str, ...]:
    """Load the demo; return pages no link leads to (the achievement's page for people)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {
            **settings.STORAGES["evidence"],
            "OPTIONS": {"location": str(tmp_path / "evidence"), "base_url": "/no-public-url/"},
        },
    }
    list(load_platform_demo())
    version = catalogue.get_published_versions()[0]
    version.image.save("badge.svg", ContentFile(generated_svg(version.title)))
    return (f"/achievements/{version.achievement_uuid}",)


@pytest.mark.django_db
def test_every_page_carries_the_policy_and_every_other_answer_the_sandbox(demo) -> None:
    seen_kinds: dict[str, int] = {}
    problems = walk(Client(), STARTS + demo, seen_kinds)
    for username in WHO:
        client = Client()
        client.force_login(User.objects.get(username=username))
        problems += walk(client, STARTS + demo, seen_kinds)
    assert not problems, "\n".join(problems)
    missing = {kind(path) for path in EXPECTED_KINDS} - set(seen_kinds)
    assert not missing, f"the walk never reached {sorted(missing)}"
    assert len(seen_kinds) > 60, sorted(seen_kinds)


@pytest.mark.django_db
def test_answers_to_forms_and_errors_carry_the_policy_too(client) -> None:
    """What POST answers and error pages show is HTML of the site as well."""
    key = Ed25519Multikey.generate()
    report = client.post("/verify", {"credential": json.dumps(signed_credential(key))})
    refused = client.post("/verify", {"credential": "x" * 10})
    failed_sign_in = client.post("/login", {"login": "nobody", "password": "wrong"})
    forbidden = Client(enforce_csrf_checks=True).post("/verify", {"credential": "{}"})
    for name, response in {
        "verification report": report,
        "refused input": refused,
        "failed sign-in": failed_sign_in,
        "CSRF failure": forbidden,
    }.items():
        assert not check_page(name, response), check_page(name, response)


def test_no_template_has_inline_script_handlers_or_styles() -> None:
    """Every template, including pages no walk reaches, keeps code and style in static files."""
    offenders = []
    for template in Path(microcred.__file__).parent.rglob("templates/**/*.html"):
        parser = _Links()
        parser.feed(template.read_text("utf-8"))
        offenders += [f"{template.name}: {found}" for found in parser.inline]
    assert not offenders, offenders


# -- HTTPS settings --------------------------------------------------------------------------


def deploy_warnings(tmp_path, **environment: str) -> set[str]:
    """Return the ids of Django's deployment checks that warn under ``environment``."""
    result = subprocess.run(
        [sys.executable, "-m", "microcred", "manage", "check", "--deploy"],
        env={**os.environ, "MICROCRED_DATA_DIR": str(tmp_path), **environment},
        capture_output=True,
        text=True,
        check=False,
    )
    return set(re.findall(r"security\.W\d+", result.stdout + result.stderr))


def test_microcred_secure_turns_on_hsts_secure_cookies_and_the_https_redirect(tmp_path) -> None:
    plain = deploy_warnings(tmp_path)
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= plain
    secure = deploy_warnings(tmp_path, MICROCRED_SECURE="1")
    assert secure <= {"security.W005", "security.W021"}  # subdomains and preload: your call
    assert not deploy_warnings(
        tmp_path,
        MICROCRED_SECURE="1",
        MICROCRED_HSTS_INCLUDE_SUBDOMAINS="1",
        MICROCRED_HSTS_PRELOAD="1",
    )


# -- in a real browser -----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_report_no_csp_violation_in_chromium(page, live_server, demo) -> None:
    """Chromium loads the pages with their scripts and styles and reports no violation
    (the ``browser`` fixture fails the test on any); the live QA checks still run."""
    for path in ("/", "/catalogue/", "/verify", "/login", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1
    assert page.locator(".opblock").count() > 10  # Swagger UI ran, from static files


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_check_for_violations_sees_an_inline_handler(
    page, live_server, csp_violations: list[str]
) -> None:
    """The control for the test above: a handler slipped into a page is refused and reported."""
    page.goto(f"{live_server.url}/verify")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(
            "document.body.insertAdjacentHTML('beforeend',"
            ' \'<img src="/static/none.png" onerror="document.title = 1">\')'
        )
    assert page.title() != "1"
    assert any("inline event handler" in violation for violation in csp_violations)
    csp_violations.clear()
