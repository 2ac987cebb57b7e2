from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.utils import translation

from tests import conformance

# Keep the test run's data (SQLite file, generated secret key, demo samples) out of ./var.
os.environ.setdefault("MICROCRED_DATA_DIR", tempfile.mkdtemp(prefix="microcred-tests-"))

CHROMIUM = os.environ.get("MICROCRED_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")


@pytest.fixture(autouse=True)
def _english_after_each_test() -> Iterator[None]:
    """A German request leaves German active in the thread; the next test starts in English."""
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, driven by Playwright (its own browser download is not used)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium package (.ci/run does)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; Django's live server runs in another.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def csp_violations() -> list[str]:
    """What Chromium reported as Content-Security-Policy violations during the test."""
    return []


@pytest.fixture
def browser(chromium, csp_violations):
    """Chromium, whose every page reports CSP violations; the test fails on any it left.

    Chromium logs each violation to the page's console ("Refused to execute inline
    script because it violates the following Content Security Policy directive...").
    A test that provokes violations on purpose reads and clears ``csp_violations``.
    """
    open_context = chromium.new_context

    def new_context(**options):
        context = open_context(**options)
        context.on("console", lambda message: _record_csp_violation(message, csp_violations))
        return context

    chromium.new_context = new_context
    try:
        yield chromium
    finally:
        del chromium.new_context
    assert not csp_violations, f"the pages broke their Content-Security-Policy: {csp_violations}"


def _record_csp_violation(message, violations: list[str]) -> None:
    if "Content Security Policy" in message.text:
        violations.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def pytest_report_header() -> str | None:
    """Say once why the conformance tests are skipped, when the corpus is absent."""
    if conformance.available():
        return None
    return (
        f"conformance corpus not found at {conformance.CONFORMANCE}: its tests are skipped "
        "(set MICROCRED_CONFORMANCE)"
    )
