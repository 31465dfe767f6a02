"""In a real browser (Chromium, Playwright): after the header's switch to Vietnamese,
dates are day first (dd/mm/yyyy), numbers group with dots, times carry their zone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser

from tests.e2e.test_request_browser import (  # noqa: F401 - fixtures
    WAIT_MS,
    base_url,
    browser,
    log_in,
    shot,
)
from tests.integration.api.conftest import demo_db_file  # noqa: F401

pytestmark = pytest.mark.slow

DAY_FIRST = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def test_switching_to_vietnamese_writes_dates_and_numbers_the_vietnamese_way(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, base_url, "demo-viewer", "viewer-demo")
    page.goto(f"{base_url}/requests/")
    assert DAY_FIRST.search(page.inner_text("main")) is None  # English names the month

    page.click('#language-switch button[value="vi"]')
    page.wait_for_url(f"{base_url}/requests/")
    requests = page.inner_text("main")
    page.goto(f"{base_url}/links/?ordering=-commit_rate_mbps")
    links = page.inner_text("main")
    shot(page, "20-links-vi")

    assert DAY_FIRST.search(requests)  # go-live dates
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", requests)
    assert re.search(r"\b\d{1,3}(\.\d{3})+ Mbps", links)  # 1.000 Mbps, not 1,000
    context.close()
