"""Every demo request's appraisal prints to exactly one A4 page, in both languages.

Chromium (Debian's, driven by Playwright, as in ``test_request_browser``) prints each
appraisal to PDF with the page's own print CSS; the test counts the PDF's pages. Every
request of the demo is evaluated first, the commune video conference (every commune
of the province, hundreds of links on its bills) included. The annex prints too, on as
many pages as it needs. The PDFs are kept under ``var/test-artifacts/e2e/appraisal/``.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser

from capacity import actions
from cmdb.db import transaction
from cmdb.models import ResourceRequest
from cmdb.services.demo_users import save_demo_users
from tests.e2e.test_request_browser import (
    ARTIFACTS,
    WAIT_MS,
    browser,  # noqa: F401
    free_port,
    log_in,
    wait_for_port,
)
from tests.integration.api.conftest import DEMO_TODAY, demo_db_file  # noqa: F401
from web import create_app
from web.db import get_db

pytestmark = pytest.mark.slow

PDFS = ARTIFACTS / "appraisal"
PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
LANGUAGES = {"en": "en-US", "vi": "vi-VN"}


def pdf_pages(pdf: bytes) -> int:
    """Page objects of a PDF (Chromium writes one ``/Type /Page`` per page, uncompressed)."""
    return len(PAGE.findall(pdf))


@pytest.fixture(scope="module")
def served(
    demo_db_file: Path,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, list[int], dict[str, str]]]:
    """The app on a copy of the demo, every request evaluated, served on loopback."""
    from waitress.server import create_server

    path = tmp_path_factory.mktemp("appraisal") / "e2e.db"
    shutil.copyfile(demo_db_file, path)
    app = create_app({"CMDB_DATABASE_URL": f"sqlite:///{path}", "SECRET_KEY": "e2e",
                      "CMDB_TODAY": DEMO_TODAY})  # fmt: skip
    with app.app_context(), transaction(get_db().sessions) as session:
        passwords = {login.username: login.password for login in save_demo_users(session)}
        ids = list(session.scalars(sa.select(ResourceRequest.id).order_by(ResourceRequest.id)))
        for request_id in ids:
            actions.evaluate_stored(session, request_id, today=DEMO_TODAY)
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port(port)
    yield f"http://127.0.0.1:{port}", ids, passwords
    server.close()
    server.task_dispatcher.shutdown()
    thread.join(timeout=10)


@pytest.mark.long(reason="prints every demo request's appraisal and annex in two languages")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_demo_appraisal_prints_on_one_a4_page(
    served: tuple[str, list[int], dict[str, str]],
    browser: Browser,  # noqa: F811
    lang: str,
) -> None:
    base_url, ids, passwords = served
    assert len(ids) >= 4  # the demo's requests, the all-communes video conference first
    context = browser.new_context(
        # The width an A4 sheet leaves inside its margins (188 mm at 96 dpi), so the
        # screenshots kept beside the PDFs wrap lines as the printout does.
        viewport={"width": 710, "height": 1000},
        locale=LANGUAGES[lang],
        extra_http_headers={"Accept-Language": lang},
    )
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    log_in(page, base_url, "demo-planner", passwords["demo-planner"])
    PDFS.mkdir(parents=True, exist_ok=True)
    pages: dict[int, int] = {}
    for request_id in ids:
        page.goto(f"{base_url}/requests/{request_id}/appraisal")
        assert page.locator("#binding-chart svg .band80").count() == 1
        assert page.locator("#annex-link a").count() == 1
        pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (PDFS / f"appraisal-{request_id}-{lang}.pdf").write_bytes(pdf)
        pages[request_id] = pdf_pages(pdf)
        page.emulate_media(media="print")  # what the PDF shows, for a person to look at
        page.screenshot(path=str(PDFS / f"appraisal-{request_id}-{lang}.png"), full_page=True)
        page.emulate_media(media="null")  # no emulation: the next PDF prints as a browser does
        page.click("#annex-link a")
        page.wait_for_url(re.compile(rf".*/requests/{request_id}/appraisal/annex$"))
        annex = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        (PDFS / f"annex-{request_id}-{lang}.pdf").write_bytes(annex)
        assert pdf_pages(annex) >= 1
    context.close()
    assert pages == {request_id: 1 for request_id in ids}
