"""The request pages in a real browser: Debian's Chromium driven by Playwright.

A requester files a request for every commune of a district, sees the verdict and
its plotly charts, reads the page in Vietnamese and opens the printable appraisal;
a planner then approves it. The app is served by waitress on a free loopback port,
on a copy of the demo database with the demo log-ins (``cmdb demo users``), on the
demo's day. Screenshots (and the appraisal as an A4 PDF) are kept under
``var/test-artifacts/e2e/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.integration.api.conftest import DEMO_TODAY, demo_db_file  # noqa: F401
from web import create_app

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "e2e"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DISTRICT = "504"  # Huyện Tây Giang: on the demo, 2 Mbps per commune fits at go-live
WAIT_MS = 60_000  # an evaluation on a loaded 2-core machine takes seconds, not a minute
CMDB = str(Path(sys.executable).parent / "cmdb")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"the app did not listen on 127.0.0.1:{port} within {timeout} s")


@pytest.fixture
def base_url(demo_db_file: Path, tmp_path: Path) -> Iterator[str]:  # noqa: F811
    """The app on a copy of the demo database, served by waitress in a thread."""
    from waitress.server import create_server

    path = tmp_path / "e2e.db"
    shutil.copyfile(demo_db_file, path)
    url = f"sqlite:///{path}"
    users = subprocess.run(
        [CMDB, "demo", "users"],
        env={**os.environ, "CMDB_DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert users.returncode == 0, users.stderr
    app = create_app({"CMDB_DATABASE_URL": url, "SECRET_KEY": "e2e", "CMDB_TODAY": DEMO_TODAY})
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}"
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is missing: run 'make system-deps' (as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")  # not the header's language switch
    page.wait_for_url(f"{base_url}/")


def viewer_page(browser: Browser, base_url: str, path: str) -> tuple[BrowserContext, Page]:
    """A page at ``path``, logged in as the demo's viewer, in English at 1280 px, downloads
    kept."""
    context = browser.new_context(
        locale="en-US", viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, base_url, "demo-viewer", "viewer-demo")
    page.goto(f"{base_url}{path}")
    return context, page


def filter_list(page: Page, choices: dict[str, str], *, then: str) -> None:
    """Chooses each select of a list's filter form, submits it and waits for the URL to
    hold ``then`` (a parameter as the form sends it)."""
    for select, value in choices.items():
        page.select_option(select, value)
    page.click("#filter-form button[type=submit]")
    page.wait_for_url(re.compile(rf".*[?&]{re.escape(then)}"))


def fill_request(page: Page) -> None:
    page.fill("#name", "Hệ thống họp trực tuyến huyện Tây Giang (thử e2e)")
    page.fill("#go_live", "2026-03-01")
    page.fill("#horizon_years", "5")
    page.select_option("#security_level", "2")
    page.select_option("#zone", "tslcd")
    page.fill("#growth_pct_per_year", "5")
    page.fill('input[name="workloads-0-name"]', "app")
    page.fill('input[name="workloads-0-count"]', "2")
    page.fill('input[name="workloads-0-vcpu"]', "4")
    page.fill('input[name="workloads-0-ram_gb"]', "8")
    page.fill('input[name="workloads-0-disk_gb"]', "100")
    # Rows are added and removed on the client: add two, drop the first added.
    page.click("#add-workload")
    page.click("#add-workload")
    expect(page.locator("tr.workload-row")).to_have_count(3)
    page.locator("tr.workload-row").nth(1).locator("[data-remove-row]").click()
    expect(page.locator("tr.workload-row")).to_have_count(2)
    last = page.locator("tr.workload-row").nth(1)
    last.locator('input[name$="-name"]').fill("db")
    last.locator('input[name$="-vcpu"]').fill("4")
    last.locator('input[name$="-ram_gb"]').fill("16")
    page.select_option("#sites_admin_units", DISTRICT)
    page.select_option("#sites_level", "commune")
    page.select_option("#sites_network", "tslcd")
    page.fill("#sites_per_site_mbps", "2")
    page.fill("#own_hardware_cost_vnd", "3000000000")


@pytest.mark.long(reason="a request's whole life in Chromium, from filing to approval")
def test_requester_files_reads_translates_prints_and_planner_approves(
    base_url: str, browser: Browser
) -> None:
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()

    log_in(page, base_url, "demo-requester", "requester-demo")
    page.goto(f"{base_url}/requests/new")
    # The browser refuses an empty form before anything is sent.
    page.click("#submit-request")
    assert page.url == f"{base_url}/requests/new"
    assert page.locator("#name:invalid").count() == 1
    fill_request(page)
    shot(page, "01-request-form")
    page.click("#submit-request")
    page.wait_for_url(re.compile(r".*/requests/\d+$"))
    request_url = page.url

    # On the demo it fits at go-live and runs short within the horizon.
    expect(page.locator("#verdict")).to_contain_text(
        re.compile(r"HOST UNTIL 1 [A-Z][a-z]{2} \d{4}")
    )
    page.wait_for_selector(".js-plotly-figure svg.main-svg")
    assert page.locator(".js-plotly-figure svg.main-svg").count() >= 1
    expect(page.locator("#saturating-links")).to_contain_text("Tây Giang")
    assert page.locator("#approve-form").count() == 0  # not a requester's decision
    shot(page, "02-verdict")

    # Vietnamese, through the header's language switch: the same page comes back translated.
    page.click('#language-switch button[value="vi"]')
    page.wait_for_url(request_url)
    expect(page.locator("#verdict")).to_contain_text(re.compile(r"ĐÁP ỨNG ĐẾN NGÀY 01/\d\d/\d{4}"))
    expect(page.locator("#appraisal-link")).to_have_text("Phiếu thẩm định (bản in)")
    page.wait_for_selector(".js-plotly-figure svg.main-svg")
    shot(page, "03-verdict-vi")

    page.click("#appraisal-link")
    page.wait_for_url(re.compile(r".*/appraisal$"))
    expect(page.locator("h1")).to_have_text("Phiếu thẩm định năng lực hạ tầng")
    assert page.locator("nav").count() == 0
    page.emulate_media(media="print")
    shot(page, "04-appraisal-print")
    pdf = ARTIFACTS / "04-appraisal.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    print(f"appraisal PDF: {pdf}")
    page.emulate_media(media="null")
    page.click("#annex-link a")  # the detailed tables and assumptions are the annex
    page.wait_for_url(re.compile(r".*/appraisal/annex$"))
    expect(page.locator("#assumptions")).to_contain_text("Phương pháp dự báo")
    context.close()

    planner = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    planner.set_default_timeout(WAIT_MS)
    page = planner.new_page()
    log_in(page, base_url, "demo-planner", "planner-demo")
    page.goto(request_url)
    page.check("#accept-until")
    page.click("#approve")
    page.wait_for_url(request_url)
    expect(page.locator("#request-status")).to_have_text("Approved")
    expect(page.locator("#request-fields")).to_contain_text("demo-planner")
    assert page.locator("#approve-form").count() == 0
    shot(page, "05-approved")
    planner.close()
