"""Issue 21 on the request page and the appraisal: who must act, two bills, the DC's own need.

On the demo's day the commune video conference (request 1) binds on a commune
link and needs nothing of the DC beyond what the DC needs anyway: its bill is the
TSLCD network operator's, the commune links grouped by speeds. The portal
(request 4) tips nothing over: SAN-01 needs its shelf by 2027-05-01 without it,
so the project is charged 0 and the whole 1.2 bn VND estimate is avoided.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.integration.api.conftest import demo_db_file  # noqa: F401
from tests.integration.web.request_pages import client_as, make_app, with_callers
from tests.integration.web.test_request_pages import evaluate

VIDEO_ID, PORTAL_ID = 1, 4


@pytest.fixture(scope="module")
def evaluated(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:  # noqa: F811
    callers = with_callers(demo_db_file, tmp_path_factory.mktemp("bills") / "callers.db")
    for app in make_app(callers, tmp_path_factory.mktemp("bills-app")):
        evaluate(app, VIDEO_ID)
        evaluate(app, PORTAL_ID)
        yield app


def _section(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : start + 4000]


def test_the_network_binds_and_pays_for_the_commune_roll_out(evaluated: Flask) -> None:
    page = client_as(evaluated, "planner").get(f"/requests/{VIDEO_ID}").get_data(as_text=True)
    binding = _section(page, 'id="binding"')
    assert 'data-payer="network"' in binding
    assert "the network operator (TSLCD) must act." in binding.split("</p>")[0]
    # PROD-CL01's own need is sized to the cheapest mix (2 × 1 TB + 1 × 384 GB, 2,280 M),
    # with no room left for the roll-out's 144 GB: with it, 3 × 1 TB (2,640 M). The
    # project pays the step it causes, 360 M, on the DC's bill.
    assert 'id="bill-dc" data-total="360000000"' in page
    network = _section(page, 'id="bill-network"')
    # Like commune links are one line, the count in words, the yearly fee each.
    # The demo price list: TSLCD 50 Mbps at 14,400,000 VND a year.
    assert re.search(r"\d+ commune TSLCD links 20 → 50 Mbps, 14,400,000 VND/year each", network)
    avoided = _section(page, 'id="avoided"').split("</dd>")[0]
    # At the demo's TSLCD prices the roll-out costs less than the 18.5 bn VND the project
    # would spend on its own: 18,500,000,000 − 15,402,000,000 (the network bill) − 360,000,000.
    assert 'data-total="15402000000"' in network
    assert "2,738,000,000 VND" in avoided
    assert not re.search(r"[-−]\d", avoided)  # never a negative saving


def test_the_appraisal_reports_the_dcs_own_need_in_vietnamese(evaluated: Flask) -> None:
    client = client_as(evaluated, "planner")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    page = client.get(f"/requests/{PORTAL_ID}/appraisal").get_data(as_text=True)
    assert "Tài nguyên quyết định: Lưu trữ SAN-01 — trung tâm dữ liệu phải mở rộng." in page
    own = _section(page, 'id="dc-own-need"')
    assert "01/05/2027" in own and "SAN-01: 1 × 24 × 8 TB NL-SAS shelf" in own  # day first
    assert "900.000.000" in own and "Trung tâm dữ liệu" in own
    assert 'id="bill-dc" data-total="0"' in page
    assert "1.200.000.000 VND" in _section(page, 'id="avoided"').split("</dd>")[0]
