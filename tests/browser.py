"""Helpers for the tests that drive Chromium."""

from __future__ import annotations

from playwright.sync_api import Locator

# An image's natural width once it has loaded, 0 if it cannot load: a page's images arrive
# after its HTML, so measuring at once can see an image still on its way.
_LOADED_WIDTH = """img => img.complete ? img.naturalWidth : new Promise(done => {
    img.addEventListener("load", () => done(img.naturalWidth));
    img.addEventListener("error", () => done(0));
})"""


def image_width(image: Locator) -> int:
    """The natural width of the image ``image`` finds, once it has loaded (0: it is broken)."""
    return int(image.evaluate(_LOADED_WIDTH))
