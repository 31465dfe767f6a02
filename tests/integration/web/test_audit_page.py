"""``/audit/`` per role: the list and its filters, the acknowledge form (engineers only,
CSRF, a comment required), and the CSV export link with the filters kept."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, Role
from cmdb.models import Discrepancy, Interface
from cmdb.services.discrepancies import raise_discrepancy
from cmdb.services.users import create_user
from tests import factories as f

CSRF = "test-csrf-token"


@pytest.fixture
def rows(db: Session) -> dict[str, int]:
    """A serial mismatch on a DC switch, an undocumented port at a commune office."""
    dc = f.site(db, name="TTDL Quảng Nam", slug="ttdl")
    office = f.site(db, name="UBND xã Tam Kỳ", slug="xa-tam-ky")
    switch = f.server(db, name="sw-core-1", site=dc)
    router = f.server(db, name="rt-xa-1", site=office)
    port = Interface(device=router, name="Gi0/2")
    db.add(port)
    db.flush()
    mismatch, _ = raise_discrepancy(
        db,
        kind=DiscrepancyKind.MISMATCH,
        object_type="device",
        object_id=switch.id,
        field="serial",
        values={"netbox": "FOC123", "snmp": "FOC999"},
    )
    undocumented, _ = raise_discrepancy(
        db,
        kind=DiscrepancyKind.NOT_IN_NETBOX,
        object_type="interface",
        object_id=port.id,
        field="presence",
        values={"snmp": "Gi0/2", "netbox": None},
    )
    db.commit()
    return {"mismatch": mismatch.id, "undocumented": undocumented.id}


def log_in(client: FlaskClient, db: Session, role: Role) -> None:
    user = create_user(db, f"ui-{role.value}", role)
    db.commit()
    with client.session_transaction() as session:
        session["user_id"] = user.id
        session["csrf_token"] = CSRF


def status_of(db: Session, discrepancy_id: int) -> DiscrepancyStatus:
    db.expire_all()
    return db.scalars(sa.select(Discrepancy.status).where(Discrepancy.id == discrepancy_id)).one()


def test_lists_every_discrepancy_with_its_sources(client: FlaskClient, rows: dict) -> None:
    html = client.get("/audit/").get_data(as_text=True)
    assert 'id="discrepancies"' in html
    assert "sw-core-1" in html and "FOC123" in html and "FOC999" in html
    assert "rt-xa-1 Gi0/2" in html and "UBND xã Tam Kỳ" in html
    assert 'href="/audit/"' in html  # the nav entry
    assert "acknowledge-form" not in html  # anonymous readers see no form


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("kind=mismatch", {"mismatch"}),
        ("site=xa-tam-ky", {"undocumented"}),
        ("source=netbox&status=open", {"mismatch", "undocumented"}),  # a null value counts
        ("source=manual", set()),
        ("status=resolved", set()),
    ],
)
def test_filters(client: FlaskClient, rows: dict, query: str, shown: set[str]) -> None:
    html = client.get(f"/audit/?{query}").get_data(as_text=True)
    listed = {int(n) for n in re.findall(r'<tr id="discrepancy-(\d+)"', html)}
    assert listed == {rows[name] for name in shown}


def test_export_link_keeps_the_filters(client: FlaskClient, rows: dict) -> None:
    html = client.get("/audit/?kind=mismatch&site=ttdl").get_data(as_text=True)
    assert "/api/v1/discrepancies/export?format=csv&amp;kind=mismatch&amp;site=ttdl" in html
    export = client.get("/api/v1/discrepancies/export?format=csv&kind=mismatch")
    assert export.status_code == 200 and "FOC999" in export.get_data(as_text=True)


@pytest.mark.parametrize("query", ["kind=bogus", "status=closed", "source=excel"])
def test_an_unknown_filter_value_is_a_400(client: FlaskClient, query: str) -> None:
    assert client.get(f"/audit/?{query}").status_code == 400


def test_engineer_acknowledges_with_a_comment(client: FlaskClient, db: Session, rows: dict) -> None:
    log_in(client, db, Role.ENGINEER)
    assert "acknowledge-form" in client.get("/audit/").get_data(as_text=True)
    response = client.post(
        f"/audit/{rows['mismatch']}/acknowledge",
        data={"csrf_token": CSRF, "comment": "RMA swap; NetBox to follow", "kind": "mismatch"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/audit/?kind=mismatch")
    assert status_of(db, rows["mismatch"]) is DiscrepancyStatus.ACKNOWLEDGED
    html = client.get("/audit/").get_data(as_text=True)
    assert "RMA swap; NetBox to follow" in html and "ui-engineer" in html
    again = client.post(
        f"/audit/{rows['mismatch']}/acknowledge", data={"csrf_token": CSRF, "comment": "x"}
    )
    assert again.status_code == 409 and 'id="form-error"' in again.get_data(as_text=True)


def test_an_empty_comment_is_a_form_error(client: FlaskClient, db: Session, rows: dict) -> None:
    log_in(client, db, Role.ENGINEER)
    response = client.post(
        f"/audit/{rows['mismatch']}/acknowledge", data={"csrf_token": CSRF, "comment": "  "}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="form-error"' in html and "is-invalid" in html
    assert status_of(db, rows["mismatch"]) is DiscrepancyStatus.OPEN


def test_a_post_without_the_csrf_token_is_refused(
    client: FlaskClient, db: Session, rows: dict
) -> None:
    log_in(client, db, Role.ENGINEER)
    response = client.post(f"/audit/{rows['mismatch']}/acknowledge", data={"comment": "x"})
    assert response.status_code == 400
    assert status_of(db, rows["mismatch"]) is DiscrepancyStatus.OPEN


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REQUESTER, Role.PLANNER, None])
def test_others_see_no_form_and_the_server_refuses_them(
    client: FlaskClient, db: Session, rows: dict, role: Role | None
) -> None:
    if role is Role.REQUESTER:
        agency = f.agency(db, name="Sở Thử", short_name="STT")
        db.commit()
        user = create_user(db, "ui-requester", role, agency=agency.name)
        db.commit()
        with client.session_transaction() as session:
            session["user_id"], session["csrf_token"] = user.id, CSRF
    elif role is not None:
        log_in(client, db, role)
    else:
        with client.session_transaction() as session:
            session["csrf_token"] = CSRF
    assert "acknowledge-form" not in client.get("/audit/").get_data(as_text=True)
    response = client.post(
        f"/audit/{rows['mismatch']}/acknowledge", data={"csrf_token": CSRF, "comment": "x"}
    )
    assert response.status_code == 403
    assert status_of(db, rows["mismatch"]) is DiscrepancyStatus.OPEN


def test_unknown_discrepancy_is_404(client: FlaskClient, db: Session, app: Flask) -> None:
    log_in(client, db, Role.ADMIN)
    response = client.post("/audit/999/acknowledge", data={"csrf_token": CSRF, "comment": "x"})
    assert response.status_code == 404


def test_the_page_speaks_vietnamese(client: FlaskClient, rows: dict) -> None:
    html = client.get("/audit/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Đối soát: sai lệch giữa các nguồn" in html
    assert "Giá trị khác nhau" in html  # the mismatch's kind
    english = client.get("/audit/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Audit: discrepancies between sources" in english


def test_old_and_new_mismatch_values_both_render(
    client: FlaskClient, db: Session, rows: dict
) -> None:
    """Settled rows keep the old audit's shape (no ``record``, migration 0026 changes
    only unsettled ones); the core's rows name the record's own value: both are shown."""
    device_id = db.scalars(
        sa.select(Discrepancy.object_id).where(Discrepancy.id == rows["mismatch"])
    ).one()
    new, _ = raise_discrepancy(
        db,
        kind=DiscrepancyKind.MISMATCH,
        object_type="device",
        object_id=device_id,
        field="model",
        values={"record": "C9300-48P", "netbox": "C9300-48P", "snmp": "C9500-24Y"},
    )
    db.commit()
    html = client.get("/audit/?kind=mismatch").get_data(as_text=True)
    old_row = html.split(f'<tr id="discrepancy-{rows["mismatch"]}"')[1].split("</tr>")[0]
    new_row = html.split(f'<tr id="discrepancy-{new.id}"')[1].split("</tr>")[0]
    assert "FOC123" in old_row and "FOC999" in old_row and "Inventory record" not in old_row
    assert "Inventory record" in new_row and "C9500-24Y" in new_row and "NetBox" in new_row
    for row_id, keys in (
        (rows["mismatch"], {"netbox", "snmp"}),
        (new.id, {"record", "netbox", "snmp"}),
    ):
        api = client.get(f"/api/v1/discrepancies/{row_id}").get_json()
        assert set(api["values"]) == keys
