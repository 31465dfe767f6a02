"""A rack's page: its fields, its devices by unit from the top, the ones without a
position, and the links that lead to it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import RackFace, SiteKind
from cmdb.models import Rack
from tests import factories as f


def _rack(db: Session) -> Rack:
    dc = f.site(db, name="TTDL tỉnh", slug="dc", kind=SiteKind.DATA_CENTRE)
    rack = Rack(site=dc, name="A01", u_height=10, location="Phòng máy 1 / Dãy A", power_kw=8.0)
    db.add(rack)
    for name, position in [("esx-01", 1), ("esx-02", 3), ("sw-01", 10), ("sw-02", 10)]:
        f.server(db, site=dc, name=name, rack=rack, rack_position_u=position)
    f.server(db, site=dc, name="spare", rack=rack)  # in the rack, no position
    db.commit()
    return rack


def _units(html: str) -> list[tuple[int, str]]:
    rows = re.findall(r'<tr[^>]*id="u(\d+)"><td[^>]*>\d+</td>\s*<td[^>]*>(.*?)</td>', html)
    return [(int(u), re.sub(r"<[^>]+>", "", cell).strip()) for u, cell in rows]


def test_units_from_the_top_with_each_device_at_its_position(
    client: FlaskClient, db: Session
) -> None:
    rack = _rack(db)
    html = client.get(f"/racks/{rack.id}", headers={"Accept-Language": "en"}).text
    units = _units(html)
    assert [u for u, _ in units] == [10, 10, *range(9, 0, -1)]
    shown = {(u, name) for u, name in units if name}
    assert shown == {
        (10, "sw-01 shares this unit"),
        (10, "sw-02 shares this unit"),
        (3, "esx-02"),
        (1, "esx-01"),
    }
    unplaced = re.search(r'id="rack-unplaced">(.*?)</ul>', html, re.DOTALL)
    assert unplaced and ">spare</a>" in unplaced.group(1)
    fields = re.search(r'id="rack-fields">(.*?)</dl>', html, re.DOTALL)
    assert fields and all(t in fields.group(1) for t in ("Phòng máy 1 / Dãy A", "TTDL tỉnh"))


def test_an_unknown_rack_is_a_404(client: FlaskClient) -> None:
    assert client.get("/racks/999999").status_code == 404


def test_the_device_and_site_pages_link_to_the_rack(client: FlaskClient, db: Session) -> None:
    rack = _rack(db)
    device = next(d for d in rack.devices if d.name == "esx-01")
    assert f'href="/racks/{rack.id}"' in client.get(f"/devices/{device.id}").text
    assert f'href="/racks/{rack.id}"' in client.get(f"/sites/{rack.site_id}").text


def test_the_page_in_vietnamese(client: FlaskClient, db: Session) -> None:
    rack = _rack(db)
    html = client.get(f"/racks/{rack.id}", headers={"Accept-Language": "vi"}).text
    assert "Tủ rack A01" in html and "Sơ đồ tủ" in html and "chung đơn vị U này" in html


def _drawn(html: str, face: str) -> dict[str, tuple[int, int, bool]]:
    """Device → (bottom unit, height, clash) as drawn on one face of the rack."""
    svg = re.search(rf'<svg[^>]*id="rack-{face}".*?</svg>', html, re.DOTALL)
    assert svg is not None
    block = r'class="rack-device( clash)?" data-device="([^"]+)" '
    found = re.findall(block + r'data-bottom="(\d+)" data-height="(\d+)"', svg.group(0))
    return {name: (int(bottom), int(height), bool(clash)) for clash, name, bottom, height in found}


def test_the_front_and_rear_are_drawn_from_positions_heights_and_faces(
    client: FlaskClient, db: Session
) -> None:
    dc = f.site(db, name="TTDL", slug="dc-2", kind=SiteKind.DATA_CENTRE)
    rack = Rack(site=dc, name="B01", u_height=12)
    db.add(rack)
    placed = [("san-01", 1, 4, None), ("esx-01", 5, 2, RackFace.FRONT),
              ("pdu-01", 5, 1, RackFace.REAR), ("sw-01", 12, None, RackFace.FRONT),
              ("sw-02", 12, 1, RackFace.FRONT), ("big", 10, 6, None)]  # fmt: skip
    for name, position, height, face in placed:
        device = f.server(db, site=dc, name=name, rack=rack, rack_position_u=position)
        device.height_u, device.rack_face = height, face
    db.commit()

    html = client.get(f"/racks/{rack.id}", headers={"Accept-Language": "en"}).text
    front, rear = _drawn(html, "front"), _drawn(html, "rear")

    assert front == {"san-01": (1, 4, False), "esx-01": (5, 2, False),
                     "sw-01": (12, 1, True), "sw-02": (12, 1, True)}  # fmt: skip
    assert rear == {"san-01": (1, 4, False), "pdu-01": (5, 1, False)}  # full depth: both faces
    assert 'stroke-dasharray="3 2"' in html  # sw-01's height is unknown: drawn 1 U, dashed
    assert "big" not in front  # 10 + 6 units does not fit 12: listed as of no position
    assert "http://" not in html.split('id="rack-drawing"')[1].split("</svg>")[0].replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )  # drawn here, nothing loaded from elsewhere
