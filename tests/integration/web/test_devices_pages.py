"""The device list (filters, search, pages) and the device page."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import DeviceRole, Network, SiteKind, Status
from cmdb.models import Device, Interface, Link, Rack
from tests import factories as f


def _names(html: str) -> list[str]:
    return re.findall(r'<td><a href="/devices/\d+">([^<]+)</a></td>', html)


def _fleet(db: Session) -> dict[str, Device]:
    dc = f.site(db, name="TTDL tỉnh", slug="dc", kind=SiteKind.DATA_CENTRE)
    pop = f.site(db, name="POP Tam Kỳ", slug="pop-tk", kind=SiteKind.POP)
    cluster = f.cluster(db, site=dc, name="CL-PROD")
    devices = {
        "esx-01": f.server(
            db, site=dc, name="esx-01", cluster=cluster, serial="CZ001", model="DL380"
        ),
        "esx-02": f.server(db, site=dc, name="esx-02", cluster=cluster, serial="CZ002"),
        "core-sw": f.server(
            db, site=dc, name="core-sw", role=DeviceRole.SWITCH, management_address="10.1.0.1"
        ),
        "old-fw": f.server(
            db, site=dc, name="old-fw", role=DeviceRole.FIREWALL, status=Status.OFFLINE
        ),
        "pop-rtr": f.server(db, site=pop, name="pop-rtr", role=DeviceRole.ROUTER),
    }
    db.commit()
    return devices


def test_list_shows_every_column(client: FlaskClient, db: Session) -> None:
    _fleet(db)

    # In English: the role and status labels are translated in Vietnamese, the default.
    html = client.get("/devices/", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert _names(html) == ["core-sw", "esx-01", "esx-02", "old-fw", "pop-rtr"]
    row = html[html.index(">esx-01<") : html.index("</tr>", html.index(">esx-01<"))]
    for text in ("Server", "TTDL tỉnh", "DL380", "CZ001", "Active", "CL-PROD"):
        assert text in row
    assert "10.1.0.1" in html


def test_filters_by_site_role_status_and_text(client: FlaskClient, db: Session) -> None:
    fleet = _fleet(db)
    pop = fleet["pop-rtr"].site_id
    dc = fleet["esx-01"].site_id

    def names(query: str) -> list[str]:
        response = client.get(f"/devices/?{query}")
        assert response.status_code == 200
        return _names(response.get_data(as_text=True))

    assert names(f"site_id={pop}") == ["pop-rtr"]
    assert names("role=server") == ["esx-01", "esx-02"]
    assert names("status=offline") == ["old-fw"]
    assert names("q=cz002") == ["esx-02"]  # serial, case-insensitive
    assert names("q=10.1.0") == ["core-sw"]  # management address
    assert names("q=%25") == []  # a literal %, not a wildcard
    assert names(f"site_id={dc}&role=server&q=esx-01") == ["esx-01"]


def test_filter_form_keeps_the_chosen_values(client: FlaskClient, db: Session) -> None:
    pop = _fleet(db)["pop-rtr"].site_id

    html = client.get(f"/devices/?role=router&site_id={pop}&q=rtr").get_data(as_text=True)

    assert '<option value="router" selected>' in html
    assert f'<option value="{pop}" selected>' in html
    assert re.search(r'name="q"\s+value="rtr"', html)


def test_unknown_role_or_status_is_a_bad_request(client: FlaskClient) -> None:
    assert client.get("/devices/?role=toaster").status_code == 400
    assert client.get("/devices/?status=lost").status_code == 400


def test_pages_by_the_configured_size_and_keeps_filters(
    app: Flask, client: FlaskClient, db: Session
) -> None:
    app.config["CMDB_PAGE_SIZE"] = 2
    _fleet(db)

    first = client.get("/devices/").get_data(as_text=True)
    third = client.get("/devices/?page=3").get_data(as_text=True)
    filtered = client.get("/devices/?role=server&page=1").get_data(as_text=True)

    assert _names(first) == ["core-sw", "esx-01"]
    assert _names(third) == ["pop-rtr"]
    assert "Showing 5–5 of 5" in third
    assert 'href="/devices/?page=2"' in first
    assert "?page=2&amp;role=server" not in filtered  # 2 servers fit one page: no pager
    assert _names(client.get("/devices/?page=99").get_data(as_text=True)) == ["pop-rtr"]
    assert _names(client.get("/devices/?page=x").get_data(as_text=True)) == _names(first)


def test_pager_links_keep_the_filters(app: Flask, client: FlaskClient, db: Session) -> None:
    app.config["CMDB_PAGE_SIZE"] = 1
    _fleet(db)

    html = client.get("/devices/?role=server").get_data(as_text=True)

    assert 'href="/devices/?page=2&amp;role=server"' in html


def test_list_query_count_does_not_grow_with_the_page(
    client: FlaskClient, db: Session, count_queries
) -> None:
    dc = _fleet(db)["esx-01"].site
    with count_queries() as small:
        client.get("/devices/")
    for i in range(30):
        f.server(db, site=dc, name=f"extra-{i:02d}", cluster=f.cluster(db, site=dc))
    db.commit()
    with count_queries() as large:
        html = client.get("/devices/").get_data(as_text=True)
    assert len(_names(html)) == 35
    assert small() == large() <= 10  # rows, count, a select per reference filter


def test_detail_shows_the_device_and_its_interfaces(client: FlaskClient, db: Session) -> None:
    device = _fleet(db)["esx-01"]
    db.add_all(
        [
            Interface(device=device, name="eth0", speed_mbps=10000, ip_addresses=["10.0.0.11/24"]),
            Interface(device=device, name="eth1", speed_mbps=25000, enabled=False),
        ]
    )
    db.commit()

    response = client.get(f"/devices/{device.id}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1" in html and "esx-01" in html
    for text in ("CZ001", "DL380", "CL-PROD", "eth0", "eth1", "10,000", "10.0.0.11/24"):
        assert text in html


def test_detail_of_unknown_device_is_404(client: FlaskClient) -> None:
    response = client.get("/devices/424242")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_detail_shows_the_platform_and_the_racks_location(client: FlaskClient, db: Session) -> None:
    device = _fleet(db)["esx-01"]
    device.platform = "VMware ESXi 8.0"
    device.rack = Rack(site=device.site, name="R01", location="Phòng máy 1 / Dãy A")
    db.commit()

    html = client.get(f"/devices/{device.id}").get_data(as_text=True)

    assert "VMware ESXi 8.0" in html
    located = html[html.index('id="device-location"') :]
    assert located.split("</dd>", 1)[0].endswith("Phòng máy 1 / Dãy A")


def test_detail_shows_what_the_devices_snmp_agent_says_of_its_place_and_contact(
    client: FlaskClient, db: Session
) -> None:
    device = _fleet(db)["esx-01"]
    device.sys_location, device.sys_contact = "Phòng máy 2, tủ B3", "noc@tinh.gov.vn"
    db.commit()

    html = client.get(f"/devices/{device.id}").get_data(as_text=True)

    for field, text in (("location", "Phòng máy 2, tủ B3"), ("contact", "noc@tinh.gov.vn")):
        shown = html[html.index(f'id="device-sys-{field}"') :]
        assert shown.split("</dd>", 1)[0].endswith(text)


def test_site_page_lists_cables_inside_it_apart_from_its_links(
    client: FlaskClient, db: Session
) -> None:
    devices = _fleet(db)
    dc = devices["esx-01"].site
    ends = [
        Interface(device=devices[n], name="vmnic0", speed_mbps=25000) for n in ("esx-01", "esx-02")
    ]
    db.add(Link(name="esx-01 – esx-02", network=Network.LAN, a_site=dc, b_site=dc,
                a_interface=ends[0], b_interface=ends[1], port_speed_mbps=25000.0))  # fmt: skip
    db.commit()

    html = client.get(f"/sites/{dc.id}").get_data(as_text=True)

    inside = html[html.index("Cables inside the site") :]
    assert "esx-01 vmnic0" in inside and "esx-02 vmnic0" in inside
    towards = html[html.index("Links towards the DC") : html.index("Cables inside the site")]
    assert "esx-01 – esx-02" not in towards


def test_detail_says_when_the_name_was_made_because_netbox_had_none(
    client: FlaskClient, db: Session
) -> None:
    fleet = _fleet(db)
    unnamed, named = fleet["esx-01"], fleet["esx-02"]
    unnamed.name, unnamed.name_generated = "UAP-AC-PRO-nb17", True
    db.commit()

    assert 'id="name-generated"' in client.get(f"/devices/{unnamed.id}").get_data(as_text=True)
    assert 'id="name-generated"' not in client.get(f"/devices/{named.id}").get_data(as_text=True)
