"""The pages a newcomer sees after ``make demo``: the whole demo province renders."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from web import create_app


@pytest.fixture(scope="module")
def demo_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FlaskClient]:
    # On the demo's own day, with its forecasts computed once for every test run (the
    # dashboard's; a forecast of the real today would be fitted here, seconds a page).
    url = demo_sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db", forecasts=True)
    app: Flask = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": True}
        | {"CMDB_TODAY": DEMO_TODAY}
    )
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    yield client


def test_tree_shows_every_commune_under_its_district_with_links(demo_client: FlaskClient) -> None:
    html = demo_client.get("/admin-units/").get_data(as_text=True)
    assert "Tỉnh Quảng Nam" in html
    # Every one of the 18 districts and 241 communes is a node of the tree.
    codes = set(re.findall(r'data-code="(\d+)"', html))
    assert len([c for c in codes if len(c) == 3]) == 18
    assert len([c for c in codes if len(c) == 5]) == 241
    assert html.count("tslcd") >= 241 + 18


def test_a_district_page_lists_its_communes(demo_client: FlaskClient) -> None:
    html = demo_client.get("/admin-units/504").get_data(as_text=True)  # Huyện Tây Giang
    assert "Huyện Tây Giang" in html
    assert "Xã A Tiêng" in html


def test_overview_counts_the_demo_inventory(demo_client: FlaskClient) -> None:
    html = demo_client.get("/").get_data(as_text=True)
    numbers = re.findall(r">\s*([\d.,]+)\s*<", html)
    assert "241" in numbers  # communes (and commune offices)
    assert "262" in numbers  # links


def test_device_list_shows_the_dc_servers(demo_client: FlaskClient) -> None:
    html = demo_client.get("/devices/?role=server").get_data(as_text=True)
    assert "PowerEdge" in html
    assert "Nexus 93180YC-FX" not in html  # the core switches are filtered out
