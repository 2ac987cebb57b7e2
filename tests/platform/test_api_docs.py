"""The API's documentation works without the internet: Swagger UI comes from the platform."""

from __future__ import annotations

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_render_with_the_network_limited_to_the_platform(browser, live_server) -> None:
    context = browser.new_context()
    elsewhere: list[str] = []

    def only_the_platform(route) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", only_the_platform)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/")
        page.click("text=the API documentation")
        page.wait_for_url("**/api/v1/docs")
        page.wait_for_selector(".opblock", timeout=15_000)
        page.wait_for_load_state("networkidle")
        assert page.locator(".swagger-ui .info .title").inner_text().startswith("microcred API")
        assert page.locator(".opblock").count() > 10
        assert page.locator(".opblock-summary-path", has_text="/api/v1/verify").count() >= 1
        assert "microcred/favicon.svg" in page.locator("link[rel=icon]").first.get_attribute("href")
    finally:
        context.close()
    assert not elsewhere, f"the documentation asked for files elsewhere: {elsewhere}"
