"""One utilisation figure (issue 22, DESIGN §6): the link page, the link list, the page
of a device on the link and the API's capacity report give the same current peak."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.models import Link
from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from web import create_app
from web.db import get_db


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    url = demo_sqlite_url(tmp_path_factory.mktemp("demo") / "demo.db", forecasts=True)
    app = create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "CMDB_ANONYMOUS_READ": True,
         "CMDB_TODAY": DEMO_TODAY}
    )  # fmt: skip
    yield app
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture(scope="module")
def client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(scope="module")
def link(app: Flask) -> Link:
    """A demo link plugged into a device's interface (a DC uplink on the DC router)."""
    with app.app_context():
        stmt = sa.select(Link).where(Link.b_interface_id.is_not(None)).order_by(Link.id)
        found = get_db().sessions().scalars(stmt).first()
        assert found is not None and found.b_interface is not None
        _ = found.b_interface.device_id
        return found


def _bar_mbps(html: str, marker: str) -> float:
    """The current peak of the usage bar that follows ``marker`` in the page."""
    after = html[html.index(marker) :]
    return float(re.search(r'class="usage[^"]*" data-mbps="([\d.]+)"', after).group(1))  # type: ignore[union-attr]


def test_link_page_list_device_page_and_api_agree(client: FlaskClient, link: Link) -> None:
    api = client.get("/api/v1/capacity/?kind=link&limit=1000").get_json()
    row = next(r for r in api["results"] if r["resource"] == f"link:{link.id}")
    assert row["current"] is not None and row["current_week"] == "2026-01-05"
    expected = round(row["current"], 3)

    page = client.get(f"/links/{link.id}").get_data(as_text=True)
    card = float(re.search(r'class="current" data-value="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
    listed = client.get(f"/links/?id={link.id}").get_data(as_text=True)
    assert link.b_interface is not None
    device = client.get(f"/devices/{link.b_interface.device_id}").get_data(as_text=True)

    assert round(card, 3) == expected
    assert _bar_mbps(page, 'id="fields"') == expected
    assert _bar_mbps(listed, f'href="/links/{link.id}"') == expected
    assert _bar_mbps(device, f'href="/links/{link.id}"') == expected
    assert row["utilisation"] == pytest.approx(row["current"] / row["capacity"])


def test_the_link_page_shows_one_ceiling_and_the_forecast_as_a_forecast(
    client: FlaskClient, link: Link
) -> None:
    page = client.get(f"/links/{link.id}").get_data(as_text=True)
    fields = page[page.index('id="fields"') :]
    card = re.findall(r'<dd class="ceiling">[^<]*\((\d+)%\)', page)
    field = re.findall(r"<dt[^>]*>Ceiling</dt><dd[^>]*>(\d+)%", fields)

    assert len(card) == 1 and field == card
    assert "Forecast for today" in page and "Current peak" in page
    assert "last day p95" not in page
    # "At risk" says what it means where it is shown: the state badge and the date's label.
    assert re.search(r'capacity-state" title="[^"]*80 % ', page)
    assert "At risk from: the first day the upper bound" in page
