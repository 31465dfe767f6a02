"""Interface health on the pages: a device's interface list shows each port's oper status
and current utilisation; an interface's page and a link's page (its two ends) show
status, traffic, errors and discards as the last poll wrote them (through the poll's own
writer, ``discovery.apply_poll.PollWriter``)."""

from __future__ import annotations

import html as markup
import json
import re
from datetime import UTC, datetime

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import Network, SiteKind
from discovery.apply_poll import PollWriter
from discovery.rates import Rates
from discovery.records import CounterReading, Target
from tests import factories as f


def _polled(db: Session):
    """A switch with an uplink that is up, busy and erring, and a port that is down."""
    dc = f.site(db, kind=SiteKind.DATA_CENTRE, name="TTDL")
    switch = f.server(db, site=dc, name="sw-core", cores=None, ram_gb=None)
    uplink = f.interface(db, device=switch, name="Gi0/1", if_index=1, speed_mbps=1000)
    down = f.interface(db, device=switch, name="Gi0/2", if_index=2, speed_mbps=1000)
    quiet = f.interface(db, device=switch, name="Gi0/3", if_index=3, speed_mbps=1000)
    commune = f.site(db, name="UBND xã A")
    cable = f.link(
        db, a_site=commune, b_site=dc, b_interface_id=uplink.id, network=Network.WAN, name="xa-a"
    )
    db.flush()
    at = datetime.now(UTC)
    reading = CounterReading(
        Target("10.0.0.1"),
        1000,
        statuses={"if.1.oper": 1, "if.1.admin": 1, "if.2.oper": 2, "if.2.admin": 1},
    )
    rates = Rates(
        mbps={"if.1.in": 250.0, "if.1.out": 420.0},
        per_s={"if.1.in_errors": 1.25, "if.1.out_errors": 0.0, "if.1.in_discards": 3.5},
    )
    writer = PollWriter(db, [switch.id], at)
    writer.store(switch.id, reading, rates, {1: uplink.id, 2: down.id})
    writer.finish()
    db.commit()
    return switch, uplink, down, quiet, cable


def _row(html: str, interface_id: int) -> str:
    start = html.index(f'data-interface="{interface_id}"')
    return html[start : html.index("</tr>", start)]


def test_the_device_page_lists_each_port_with_status_and_utilisation(client: FlaskClient, db):
    switch, uplink, down, quiet, _ = _polled(db)
    html = client.get(f"/devices/{switch.id}").get_data(as_text=True)
    up_row, down_row, quiet_row = (_row(html, i.id) for i in (uplink, down, quiet))
    assert 'data-status="up"' in up_row and "420 Mbps (42%)" in up_row  # the busier direction
    assert 'data-status="down"' in down_row and "Mbps" not in down_row
    assert 'data-status="unknown"' in quiet_row  # never polled
    assert f'href="/interfaces/{uplink.id}"' in up_row
    assert "health-chart" not in html  # the list stays a list: charts are on their pages


def test_the_interface_page_shows_errors_and_discards(client: FlaskClient, db) -> None:
    _, uplink, _, _, _ = _polled(db)
    response = client.get(f"/interfaces/{uplink.id}")
    assert response.status_code == 200
    row = _row(response.get_data(as_text=True), uplink.id)
    assert re.search(r'class="if-errors">\s*1\.25 / 0\s*<', row)
    assert re.search(r'class="if-discards">\s*3\.5 / —\s*<', row)
    assert re.search(r'class="if-traffic">\s*250 / 420\s*<', row)
    figure = _figure(response.get_data(as_text=True), uplink.id)
    lines = {line["name"]: line["y"] for line in figure["data"]}
    assert lines["Input errors per second"] == [1.25]  # the hour's worst
    assert lines["Input discards per second"] == [3.5]
    assert lines["Share of the hour up"] == [1.0]


def _figure(html: str, interface_id: int) -> dict:
    """The chart of one interface's hours, as the page hands it to plotly.js."""
    start = html.index(f'class="card-body border-top health-chart" data-interface="{interface_id}"')
    found = re.search(r'data-figure="([^"]+)"', html[start:])
    assert found is not None
    return json.loads(markup.unescape(found.group(1)))


def test_the_link_page_shows_its_ends_health(client: FlaskClient, db) -> None:
    _, uplink, _, _, cable = _polled(db)
    html = client.get(f"/links/{cable.id}").get_data(as_text=True)
    assert 'id="interface-health"' in html
    row = _row(html, uplink.id)
    assert "Towards the DC" in row and 'data-status="up"' in row
    assert "sw-core Gi0/1" in row
    assert _figure(html, uplink.id)["data"]


def test_the_vietnamese_page_says_up_and_down_in_vietnamese(client: FlaskClient, db) -> None:
    switch, *_ = _polled(db)
    html = client.get(f"/devices/{switch.id}", headers={"Accept-Language": "vi"}).get_data(
        as_text=True
    )
    assert "Trạng thái hoạt động" in html
