"""What the planner reads on the demo: what runs out first (with its 80 % and 95 %
dates), charts over the longest open request, the catalogue in the navigation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from flask import Flask

from capacity.actions import capacity_report
from capacity.status import runs_out_first
from cmdb.db import transaction
from tests.integration.api.conftest import DEMO_TODAY, demo_db_file  # noqa: F401
from tests.integration.web.request_pages import client_as, make_app, with_callers
from web.db import get_db


@pytest.fixture(scope="module")
def demo_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:  # noqa: F811
    callers = with_callers(demo_db_file, tmp_path_factory.mktemp("callers") / "callers.db")
    yield from make_app(callers, tmp_path_factory.mktemp("planner"))


def _section(page: str, element_id: str) -> str:
    start = page.index(f'id="{element_id}"')
    return page[start : page.index("</table>", start)]


def test_the_dashboard_lists_what_runs_out_first_with_both_bounds(demo_app: Flask) -> None:
    with demo_app.app_context(), transaction(get_db().sessions) as session:
        expected = runs_out_first(capacity_report(session, at=DEMO_TODAY), 10)
    assert expected, "the demo has resources that run out"

    page = client_as(demo_app, "planner").get("/").get_data(as_text=True)

    card = _section(page, "runs-out-first")
    shown = re.findall(r'<tr data-resource="([^"]+)"', card)
    assert shown == [row.resource for row in expected]
    first = expected[0]
    assert first.at_risk_95_date is not None and first.at_risk_date is not None
    assert first.at_risk_95_date <= first.at_risk_date
    assert "Upper 80 % bound" in card and "Upper 95 % bound" in card
    # English dates read "5 Jan 2028", never ISO.
    assert first.at_risk_95_date.isoformat() not in card


def test_what_runs_out_first_speaks_vietnamese(demo_app: Flask) -> None:
    client = client_as(demo_app, "planner")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    page = client.get("/").get_data(as_text=True)
    card = _section(page, "runs-out-first")
    assert "Cận trên 80 %" in card and "Cận trên 95 %" in card
    assert "Upper 80 % bound" not in card


def test_the_navigation_links_to_the_catalogue(demo_app: Flask) -> None:
    client = client_as(demo_app, "viewer")
    page = client.get("/").get_data(as_text=True)
    assert 'href="/catalogue/"' in page
    assert client.get("/catalogue/").status_code == 200


def test_a_clusters_chart_spans_the_longest_open_request(demo_app: Flask) -> None:
    """The demo's open requests plan five years ahead; the chart goes that far, not two."""
    from cmdb.services.request_list import load_open_horizon_end

    with demo_app.app_context(), get_db().sessions() as session:
        until = load_open_horizon_end(session)
    assert until is not None and until > DEMO_TODAY.replace(year=DEMO_TODAY.year + 2)
    page = client_as(demo_app, "viewer").get("/clusters/1").get_data(as_text=True)
    figure = json.loads(unescape(re.search(r'data-figure="([^"]+)"', page).group(1)))
    ends = [trace["x"][-1] for trace in figure["data"] if trace.get("x")]
    assert max(date.fromisoformat(x) for x in ends) >= until.replace(day=1) - (
        date(2000, 1, 8) - date(2000, 1, 1)
    )


def test_price_dates_follow_the_users_language(demo_app: Flask) -> None:
    """The catalogue's "priced on" reads 15/01/2026 in Vietnamese and 15 Jan 2026 in
    English (Babel's patterns of each language), never the ISO 2026-01-15."""
    from cmdb.models import CatalogueItem

    with demo_app.app_context(), get_db().sessions() as session:
        priced_on = (
            session.query(CatalogueItem.priced_on)
            .filter(CatalogueItem.priced_on.isnot(None))
            .first()[0]
        )
    client = client_as(demo_app, "viewer")
    english = client.get("/catalogue/").get_data(as_text=True)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    vietnamese = client.get("/catalogue/").get_data(as_text=True)

    assert priced_on.strftime("%d/%m/%Y") in vietnamese
    assert f"{priced_on.day} {priced_on.strftime('%b %Y')}" in english
    assert priced_on.isoformat() not in english and priced_on.isoformat() not in vietnamese


def test_the_dc_is_set_on_a_sites_form(demo_app: Flask) -> None:
    """An engineer ticks "the DC" on a site's form; the API shows it, in Vietnamese too."""
    client = client_as(demo_app, "engineer")
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    form = client.get("/sites/1/edit").get_data(as_text=True)
    assert "Trung tâm dữ liệu (mọi đường truyền dẫn về đây)" in form and 'name="is_dc"' in form
