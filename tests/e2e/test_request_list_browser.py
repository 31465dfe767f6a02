"""The requests list in a real browser (Chromium, Playwright): filtered through its form,
sorted by a header, exported as CSV — each the same rows as the API's list (issue 22)."""

from __future__ import annotations

import csv
import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_request_browser import (  # noqa: F401 - fixtures
    base_url,
    browser,
    filter_list,
    shot,
    viewer_page,
)
from tests.integration.api.conftest import demo_db_file  # noqa: F401

pytestmark = [
    pytest.mark.slow,
    pytest.mark.long(reason="the demo served to Chromium: filter, sort and export one list"),
]


def test_requests_filter_sort_and_export_as_the_api_lists_them(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context, page = viewer_page(browser, base_url, "/requests/")

    filter_list(page, {"#f-zone": "tslcd"}, then="zone=tslcd")  # three of the four requests
    page.click('#rows th a:has-text("Go-live")')
    page.wait_for_url(re.compile(r".*[?&]ordering=go_live"))
    page.click('#rows th a:has-text("Go-live")')  # a second click reverses the order
    page.wait_for_url(re.compile(r".*[?&]ordering=-go_live"))
    expect(page.locator('#rows th[aria-sort="descending"]')).to_contain_text("Go-live")
    shot(page, "30-requests-filtered-sorted")

    api = page.request.get(f"{base_url}/api/v1/requests/?zone=tslcd&ordering=-go_live")
    expected = [r["id"] for r in api.json()["results"]]
    links = page.locator('#rows td a[href^="/requests/"]')
    shown = [
        int(str(h).rsplit("/", 1)[1])
        for h in links.evaluate_all("a => a.map(e => e.getAttribute('href'))")
    ]
    assert shown == expected and len(expected) > 1
    with page.expect_download() as download:
        page.click('#export a:has-text("Export CSV")')
    with open(download.value.path(), encoding="utf-8", newline="") as exported:
        rows = list(csv.reader(exported))
    assert [int(r[0]) for r in rows[1:]] == expected
    assert all(r[rows[0].index("zone")] == "tslcd" for r in rows[1:])
    context.close()
