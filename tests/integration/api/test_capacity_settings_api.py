"""Planners set the capacity settings through the API (DESIGN §6): a network's DC-uplink
rule and redundancy (``/api/v1/network-settings/``), and which site is the DC (a site's
``is_dc``, at most one); the next evaluation follows them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from tests.integration.api.test_admin_unit_writes import app as fresh_app  # noqa: F401
from tests.integration.api.test_admin_unit_writes import client_of

URL = "/api/v1/network-settings/"


@pytest.fixture
def planner(fresh_app: Flask) -> Iterator[FlaskClient]:  # noqa: F811
    yield client_of(fresh_app, Role.PLANNER)


def test_a_planner_sets_a_networks_uplink_rule_and_redundancy(planner: FlaskClient) -> None:
    body = {"redundancy": "load_sharing", "uplink_site_kinds": ["pop"]}
    first = planner.put(f"{URL}networks/tslcd", json=body)
    assert first.status_code == 200, first.get_json()
    assert (first.get_json()["network"], first.get_json()["redundancy"]) == (
        "tslcd",
        "load_sharing",
    )

    body = {"redundancy": "active_standby", "uplink_site_kinds": ["pop", "data_centre"]}
    again = planner.put(f"{URL}networks/tslcd", json=body)

    assert again.get_json()["id"] == first.get_json()["id"]  # set again, not a second row
    assert again.get_json()["uplink_site_kinds"] == ["pop", "data_centre"]
    listed = planner.get(URL).get_json()
    assert listed["count"] == 1
    changes = planner.get(f"{URL}{first.get_json()['id']}/changes/").get_json()
    assert sorted(c["action"] for c in changes["results"]) == ["create", "update"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"redundancy": "both", "uplink_site_kinds": ["pop"]}, "redundancy"),
        ({"redundancy": "load_sharing", "uplink_site_kinds": []}, "uplink_site_kinds"),
        ({"redundancy": "load_sharing", "uplink_site_kinds": ["castle"]}, "uplink_site_kinds"),
        ({"uplink_site_kinds": ["pop"]}, "redundancy"),
    ],
)
def test_a_bad_setting_is_a_400_on_its_field(
    planner: FlaskClient, body: dict[str, object], field: str
) -> None:
    response = planner.put(f"{URL}networks/tslcd", json=body)
    assert response.status_code == 400
    assert any(key.startswith(field) for key in response.get_json()["errors"])
    assert planner.get(URL).get_json()["count"] == 0


def test_an_unknown_network_is_refused(planner: FlaskClient) -> None:
    """No route: refused before any view (the permission layer answers 403 for a write
    to a path no route serves), nothing written."""
    body = {"redundancy": "load_sharing", "uplink_site_kinds": ["pop"]}
    assert planner.put(f"{URL}networks/carrier-pigeon", json=body).status_code in (403, 404)
    assert planner.get(URL).get_json()["count"] == 0


def test_one_site_at_most_is_the_dc(fresh_app: Flask, planner: FlaskClient) -> None:  # noqa: F811
    engineer = client_of(fresh_app, Role.ENGINEER)
    site = {"kind": "data_centre", "admin_unit_id": 1, "is_dc": True}
    first = engineer.post("/api/v1/sites/", json=site | {"name": "TTDL", "slug": "ttdl"})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["is_dc"] is True

    second = engineer.post("/api/v1/sites/", json=site | {"name": "DR", "slug": "dr"})

    assert second.status_code == 409
    assert second.get_json()["errors"] == {
        "is_dc": [f"site 'ttdl' (id {first.get_json()['id']}) is the DC: unset it first"]
    }
    plain = engineer.post(
        "/api/v1/sites/", json=site | {"name": "DR", "slug": "dr", "is_dc": False}
    )
    assert plain.status_code == 201
    assert engineer.get("/api/v1/sites/?is_dc=true").get_json()["count"] == 1


def test_only_planners_set_network_settings(fresh_app: Flask) -> None:  # noqa: F811
    engineer = client_of(fresh_app, Role.ENGINEER)
    body = {"redundancy": "load_sharing", "uplink_site_kinds": ["pop"]}
    assert engineer.put(f"{URL}networks/tslcd", json=body).status_code == 403
