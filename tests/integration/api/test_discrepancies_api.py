"""``/api/v1/discrepancies/``: the audit's filters, acknowledge (400/404/409) and export."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import DiscrepancyKind, Role
from cmdb.db import transaction
from cmdb.models import Device, Discrepancy, Site
from cmdb.services.discrepancies import raise_discrepancy
from tests.integration.api.conftest import token_for
from tests.integration.api.test_errors import assert_error
from web.db import get_db

URL = "/api/v1/discrepancies/"


@pytest.fixture
def opened(app: Flask) -> dict[str, int | str]:
    """A serial mismatch on one demo device, a silent device at another site; ``demo``:
    the ids of the demo's own discrepancies (the tests look past them)."""
    with app.app_context(), transaction(get_db().sessions) as session:
        demo = set(session.scalars(sa.select(Discrepancy.id)))
        first, second = session.scalars(
            sa.select(Device).join(Site, Site.id == Device.site_id).order_by(Device.id)
        ).all()[:2]
        mismatch, _ = raise_discrepancy(
            session,
            kind=DiscrepancyKind.MISMATCH,
            object_type="device",
            object_id=first.id,
            field="serial",
            values={"netbox": "FOC1", "snmp": "FOC2"},
        )
        silent, _ = raise_discrepancy(
            session,
            kind=DiscrepancyKind.NOT_ON_NETWORK,
            object_type="device",
            object_id=second.id,
            field="presence",
            values={"netbox": "10.9.9.9", "snmp": None},
        )
        session.flush()
        return {
            "mismatch": mismatch.id,
            "silent": silent.id,
            "site": first.site.slug,
            "device": first.name,
            "demo": demo,  # type: ignore[dict-item]
        }


@pytest.fixture
def engineer(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token_for(app, Role.ENGINEER)}"
    return client


def ids(client: FlaskClient, query: str, demo: set[int]) -> set[int]:
    """The ids listed, but the demo's own."""
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.get_json()
    return {r["id"] for r in response.get_json()["results"]} - demo


def test_filters_kind_source_status_type_and_site(client: FlaskClient, opened: dict) -> None:
    both = {opened["mismatch"], opened["silent"]}
    demo = opened["demo"]
    assert ids(client, "kind=mismatch", demo) == {opened["mismatch"]}
    assert ids(client, "source=snmp", demo) == both
    assert ids(client, "source=ansible", demo) == set()
    assert ids(client, "status=open&object_type=device", demo) == both
    assert opened["mismatch"] in ids(client, f"site={opened['site']}", demo)
    row = client.get(f"{URL}{opened['mismatch']}").get_json()
    assert row["kind"] == "mismatch" and row["values"] == {"netbox": "FOC1", "snmp": "FOC2"}


def test_a_bad_source_is_a_400_naming_it(client: FlaskClient, opened: dict) -> None:
    assert "source" in assert_error(client.get(f"{URL}?source=excel"), 400)["errors"]


def test_acknowledge_then_409(engineer: FlaskClient, opened: dict) -> None:
    path = f"{URL}{opened['mismatch']}/acknowledge"
    response = engineer.post(path, json={"comment": "RMA swap, NetBox to follow"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["acknowledged_by"], body["note"]) == (
        "acknowledged",
        "test-engineer",
        "RMA swap, NetBox to follow",
    )
    assert_error(engineer.post(path, json={"comment": "again"}), 409)
    assert ids(engineer, "status=acknowledged", opened["demo"]) == {opened["mismatch"]}


@pytest.mark.parametrize("body", [{"comment": ""}, {"comment": "   "}, {}])
def test_acknowledge_needs_a_comment(engineer: FlaskClient, opened: dict, body: dict) -> None:
    response = engineer.post(f"{URL}{opened['mismatch']}/acknowledge", json=body)
    assert "comment" in assert_error(response, 400)["errors"]
    assert engineer.get(f"{URL}{opened['mismatch']}").get_json()["status"] == "open"


def test_acknowledge_unknown_is_404(engineer: FlaskClient, opened: dict) -> None:
    assert_error(engineer.post(f"{URL}999999/acknowledge", json={"comment": "x"}), 404)


def test_export_csv_honours_the_filters(client: FlaskClient, opened: dict) -> None:
    response = client.get(f"{URL}export?format=csv&kind=mismatch")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    [row] = [r for r in rows if int(r["id"]) not in opened["demo"]]
    assert (row["object"], row["netbox"], row["snmp"], row["status"]) == (
        opened["device"],
        "FOC1",
        "FOC2",
        "open",
    )


def test_export_json(client: FlaskClient, opened: dict) -> None:
    response = client.get(f"{URL}export?format=json&source=netbox")
    body = response.get_json()
    assert body["count"] == len(body["results"])
    added = [r for r in body["results"] if r["id"] not in opened["demo"]]
    assert len(added) == 2
    silent = next(r for r in added if r["id"] == opened["silent"])
    assert silent["values"] == {"netbox": "10.9.9.9", "snmp": None}
    assert silent["object"]["type"] == "device" and silent["first_seen"]


@pytest.mark.parametrize(
    ("query", "field"), [("format=xml", "format"), ("kind=nope", "kind"), ("colour=red", "colour")]
)
def test_export_refuses_bad_parameters(client: FlaskClient, query: str, field: str) -> None:
    assert field in assert_error(client.get(f"{URL}export?{query}"), 400)["errors"]
