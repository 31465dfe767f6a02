"""The security defaults in a real browser (Debian's Chromium, Playwright): the pages,
their charts and the API's docs work under the Content-Security-Policy, with no
violation reported, and a crafted ``next=`` leaves the browser on the site (issue 18)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from tests.e2e.test_request_browser import WAIT_MS, base_url, browser, log_in  # noqa: F401
from tests.integration.api.conftest import demo_db_file  # noqa: F401

pytestmark = pytest.mark.slow

# Page → what shows that its scripts ran (a plotly chart, Swagger UI, a form's script).
PAGES = {
    "/": ".js-plotly-figure svg.main-svg",
    "/clusters/1": ".js-plotly-figure svg.main-svg",
    "/api/v1/docs": ".swagger-ui .info",
    "/requests/new": "#add-workload",
}


def violations_of(page: Page) -> list[str]:
    seen: list[str] = []

    def keep(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            seen.append(f"{page.url}: {message.text}")

    page.on("console", keep)
    return seen


def test_pages_charts_and_docs_work_under_the_policy(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    violations = violations_of(page)
    log_in(page, base_url, "demo-planner", "planner-demo")
    for path, sign in PAGES.items():
        answer = page.goto(f"{base_url}{path}")
        assert answer is not None and answer.ok, path
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        page.wait_for_selector(sign)
    page.click("#add-workload")  # the request form's own script adds a row
    assert page.locator("tr.workload-row").count() == 2
    assert violations == []
    context.close()


@pytest.mark.parametrize("target", ["/%09/evil.example", "/%5Cevil.example", "//evil.example"])
def test_a_crafted_next_leaves_the_browser_on_the_site(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    target: str,
) -> None:
    context = browser.new_context(locale="en-US")
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    page.goto(f"{base_url}/login?next={target}")
    page.fill("#username", "demo-viewer")
    page.fill("#password", "viewer-demo")
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url == f"{base_url}/"
    context.close()
