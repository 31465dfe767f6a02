"""The overview page: counts per kind, each linking to its list, and a local chart."""

from __future__ import annotations

import re
from datetime import date

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import DeviceRole, RequestStatus, SiteKind, Zone
from cmdb.models import Interface, Rack, ResourceRequest
from tests import factories as f
from tests.integration.web.conftest import build_province


def _count(html: str, key: str) -> int:
    found = re.search(rf'id="count-{key}">([\d,]+)<', html)
    assert found, f"no count {key}"
    return int(found.group(1).replace(",", ""))


def _fill(db: Session) -> None:
    province = build_province(db, districts=2, communes_per_district=3)
    dc = province.dc
    cluster = f.cluster(db, site=dc)
    server = f.server(db, site=dc, cluster=cluster)
    f.server(db, site=dc, role=DeviceRole.FIREWALL, name="fw-1")
    db.add(Interface(device=server, name="eth0", speed_mbps=10000))
    db.add(Rack(site=dc, name="R01"))
    f.storage_pool(db, site=dc)
    f.workload(db, cluster=cluster)
    db.add(
        ResourceRequest(
            name="Hội nghị truyền hình",
            status=RequestStatus.SUBMITTED,
            security_level=2,
            zone=Zone.TSLCD,
            go_live=date(2026, 1, 1),
            horizon_years=5,
        )
    )
    db.commit()


def test_overview_counts_every_kind(client: FlaskClient, db: Session) -> None:
    _fill(db)

    html = client.get("/").get_data(as_text=True)

    assert _count(html, "admin_units-province") == 1
    assert _count(html, "admin_units-district") == 2
    assert _count(html, "admin_units-commune") == 1 + 2 + 6  # DC's ward, 2 towns, 6 communes
    assert _count(html, "sites-district_office") == 2
    assert _count(html, "sites-commune_office") == 6
    assert _count(html, f"sites-{SiteKind.DATA_CENTRE}") == 1
    assert _count(html, "devices-server") == 1
    assert _count(html, "devices-firewall") == 1
    assert _count(html, "devices") == 2
    assert _count(html, "links-tslcd") == 2 + 6
    assert _count(html, "requests-submitted") == 1
    assert _count(html, "requests-draft") == 0
    for key, expected in {
        "racks": 1,
        "interfaces": 1,
        "storage_pools": 1,
        "information_systems": 1,
        "workloads": 1,
        "clusters": 1,
        "agencies": 1,
    }.items():
        assert _count(html, key) == expected, key


def test_overview_links_counts_to_their_lists(client: FlaskClient, db: Session) -> None:
    _fill(db)

    html = client.get("/").get_data(as_text=True)

    assert 'href="/admin-units/"' in html
    assert 'href="/devices/?role=server"' in html
    assert 'href="/devices/?role=router"' not in html  # no link to an empty list


def test_overview_chart_uses_the_apps_own_plotly(client: FlaskClient, db: Session) -> None:
    _fill(db)

    html = client.get("/").get_data(as_text=True)

    assert re.search(r'<script src="/vendor/plotly\.min\.js\?v=[\w.]+" defer>', html)
    assert 'class="js-plotly-figure" data-figure="{' in html
    assert "TSLCD" in html


def test_overview_of_an_empty_inventory_has_no_chart(client: FlaskClient) -> None:
    response = client.get("/")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _count(html, "devices") == 0
    assert "plotly" not in html
    assert "No links recorded yet." in html


def test_overview_query_count_is_constant(client: FlaskClient, db: Session, count_queries) -> None:
    build_province(db, code="48", districts=1, communes_per_district=1)
    db.commit()
    with count_queries() as small:
        client.get("/")
    build_province(db, code="49", districts=5, communes_per_district=5)
    db.commit()
    with count_queries() as large:
        client.get("/")
    # The dashboard reads the capacity inputs (clusters, hosts, pools, links, series,
    # allocations, cached forecasts, reservations, the capacity settings: the DC and each
    # network's uplink rule, the last complete week's peaks) and the counts: a fixed number.
    assert small() == large() <= 28
