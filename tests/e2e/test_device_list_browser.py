"""The device list and the global search in a real browser (Chromium, Playwright), as an
engineer used to NetBox works them (issue 22): filter by site and role through the form,
sort by a header and see its indicator, export the filtered list as CSV — each the same
rows as the API gives for the same filters — and find "Quảng Nam" by typing "quang nam"
in the navbar's search box."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_request_browser import (  # noqa: F401 - fixtures
    base_url,
    browser,
    filter_list,
    shot,
    viewer_page,
)
from tests.integration.api.conftest import demo_db_file  # noqa: F401

pytestmark = pytest.mark.slow

DC_SITE = "1"  # the provincial data centre: the demo's fifteen servers
DEVICE_HREF = re.compile(r"^/devices/(\d+)$")


def shown_device_ids(page: Page) -> list[int]:
    hrefs = page.locator("#rows td a").evaluate_all("a => a.map(e => e.getAttribute('href'))")
    return [int(m.group(1)) for h in hrefs if (m := DEVICE_HREF.match(str(h)))]


def test_devices_filtered_sorted_and_exported_as_the_api_lists_them(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context, page = viewer_page(browser, base_url, "/devices/")
    everything = int(page.inner_text("#list-total").replace(",", ""))

    filter_list(page, {"#f-site_id": DC_SITE, "#f-role": "server"}, then="role=server")
    assert f"site_id={DC_SITE}" in page.url
    page.click('#rows th a:has-text("Name")')  # sorted by name already: now descending
    page.wait_for_url(re.compile(r".*[?&]ordering=-name"))
    expect(page.locator('#rows th[aria-sort="descending"]')).to_contain_text("Name")
    expect(page.locator('#rows th[aria-sort="descending"] .sort-indicator')).to_have_text("▼")
    shot(page, "40-devices-filtered-sorted")

    api = page.request.get(
        f"{base_url}/api/v1/devices/?site_id={DC_SITE}&role=server&ordering=-name&limit=1000"
    ).json()
    expected = [d["id"] for d in api["results"]]
    assert 1 < len(expected) == api["count"] < everything
    assert shown_device_ids(page) == expected
    assert page.inner_text("#list-total") == str(len(expected))

    with page.expect_download() as download:
        page.click('#export a:has-text("Export CSV")')
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    header = rows[0]
    assert [int(r[header.index("id")]) for r in rows[1:]] == expected
    assert {r[header.index("role")] for r in rows[1:]} == {"server"}
    context.close()


def test_the_navbar_search_finds_quang_nam_without_its_marks(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context, page = viewer_page(browser, base_url, "/")
    box = page.locator("#nav-search input[name=q]")
    expect(box).to_be_visible()  # in the navbar at 1280 px, not folded away
    box.fill("quang nam")
    box.press("Enter")
    page.wait_for_url(re.compile(r".*/search/\?q=quang(\+|%20)nam"))
    groups = page.locator("section.search-group")
    expect(groups.first).to_be_visible()
    found = page.locator("section.search-group li a")
    names = found.evaluate_all("a => a.map(e => e.textContent)")
    assert any("Quảng Nam" in name for name in names), names
    shot(page, "41-search-quang-nam")
    found.filter(has_text="Quảng Nam").first.click()  # a result is a link to its page
    expect(page.locator("main h1")).to_contain_text("Quảng Nam")
    context.close()
