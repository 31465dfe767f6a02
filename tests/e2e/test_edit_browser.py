"""An engineer edits the inventory in a real browser (Debian's Chromium, Playwright).

The browser checks the schema's rules first (``required``, ``min``), the server then
answers with the same messages as the API, in the page's language; a saved change
shows in the record's history under the engineer's name.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from tests.e2e.test_request_browser import (  # noqa: F401 - fixtures
    WAIT_MS,
    base_url,
    browser,
    log_in,
    shot,
)
from tests.integration.api.conftest import demo_db_file  # noqa: F401

pytestmark = pytest.mark.slow


def test_engineer_edits_a_workload_and_is_told_what_blocks_a_delete(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, base_url, "demo-engineer", "engineer-demo")

    page.goto(f"{base_url}/workloads/1")
    page.click("a.edit-record")
    page.wait_for_url(re.compile(r".*/workloads/1/edit$"))
    # The browser refuses what the schema refuses, before anything is sent.
    page.fill("#f-vcpu", "0")
    page.click("#edit-form button[type=submit]")
    assert page.url.endswith("/workloads/1/edit")
    assert page.locator("#f-vcpu:invalid").count() == 1
    page.fill("#f-vcpu", "6")
    page.click("#edit-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/workloads/1$"))
    expect(page.locator(".flash")).to_contain_text("Saved")
    expect(page.locator("#history")).to_contain_text("demo-engineer")
    expect(page.locator("#history")).to_contain_text("vcpu")
    shot(page, "10-workload-saved")

    # In Vietnamese, a cluster that workloads run on cannot be deleted, and the page says why.
    page.click('#language-switch button[value="vi"]')
    page.wait_for_url(f"{base_url}/workloads/1")
    page.goto(f"{base_url}/clusters/1/delete")
    expect(page.locator("#delete-blockers")).to_contain_text("máy ảo")
    expect(page.locator("#delete-blockers")).to_contain_text("tham chiếu đến nó qua trường")
    assert page.locator("#delete-form").count() == 0
    shot(page, "11-cluster-delete-blocked-vi")
    context.close()


def test_a_reference_too_long_for_a_select_is_found_by_searching(
    base_url: str,  # noqa: F811
    browser: Browser,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Past the select's limit the form asks for an id; the search box beside it asks the
    API and fills the id in (the demo has 251 interfaces: a limit of 100 forces it)."""
    monkeypatch.setattr("web.ui.edit_views.REF_SELECT_LIMIT", 100)
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, base_url, "demo-engineer", "engineer-demo")

    page.goto(f"{base_url}/links/1/edit")
    before = page.locator("#f-a_interface_id").input_value()
    box = page.locator("#f-a_interface_id-search")
    box.fill("vmnic")
    options = page.locator("#f-a_interface_id-list option")
    expect(options.first).to_have_attribute("value", re.compile(r"vmnic\d+ \(#\d+\)$"))
    values = [options.nth(i).get_attribute("value") or "" for i in range(options.count())]
    assert 2 <= len(values) <= 20, values
    chosen = next(v for v in values if not v.endswith(f"(#{before})"))
    box.fill(chosen)  # what picking the suggestion does
    interface_id = re.search(r"\(#(\d+)\)$", chosen).group(1)  # type: ignore[union-attr]
    expect(page.locator("#f-a_interface_id")).to_have_value(interface_id)
    expect(page.locator("#f-a_interface_id-help")).to_have_text(chosen.rsplit(" (#", 1)[0])
    shot(page, "12-interface-found-by-search")
    context.close()
