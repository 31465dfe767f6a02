"""``/api/v1/requests/``: evaluate, store, list, evaluate stored, approve — on the demo DC.

On the demo (today 2026-01-15) the citizens' feedback portal fits at go-live and
the SAN runs out in April 2027 (HOST UNTIL); the land database does not fit the
SAN at all (CANNOT HOST).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from capacity import actions
from cmdb.services import requests as request_service
from tests.integration.api.conftest import DEMO_REQUESTS, DEMO_TODAY, count_rows, portal
from tests.integration.api.test_errors import assert_error
from web.db import get_db

PORTAL_ID = 4  # the demo's own copy of the portal request
LAND_DATABASE_ID = 2

INVALID: list[tuple[str, dict[str, Any], str]] = [
    (
        "negative vcpu",
        {"workloads": [{"name": "web", "count": 2, "vcpu": -4, "ram_gb": 8}]},
        "workloads[0].vcpu",
    ),
    (
        "negative ram",
        {
            "workloads": [
                {"name": "a", "vcpu": 2, "ram_gb": 4},
                {"name": "b", "vcpu": 2, "ram_gb": -1},
            ]
        },
        "workloads[1].ram_gb",
    ),
    ("negative storage", {"storage_tb": -1}, "storage_tb"),
    (
        "negative bandwidth",
        {"dc_bandwidth": [{"network": "internet", "mbps": -20}]},
        "dc_bandwidth[0].mbps",
    ),
    (
        "unknown admin unit",
        {"sites": {"network": "tslcd", "per_site_mbps": 2, "admin_units": ["99999"]}},
        "sites.admin_units[0]",
    ),
    ("unknown agency", {"agency": "Sở Không Có Thật"}, "agency"),
    ("unknown cluster", {"cluster": "NO-SUCH-CL"}, "cluster"),
    ("go-live in the past", {"go_live": "2026-01-14"}, "go_live"),
    ("go-live not a date", {"go_live": "next spring"}, "go_live"),
    ("security level 7", {"security_level": 7}, "security_level"),
    ("security level 0", {"security_level": 0}, "security_level"),
    ("unknown zone", {"zone": "dmz"}, "zone"),
    ("unknown field", {"colour": "blue"}, "colour"),
]


@pytest.mark.parametrize("path", ["/api/v1/requests/evaluate", "/api/v1/requests/"])
@pytest.mark.parametrize(("case", "changes", "field"), INVALID, ids=[c[0] for c in INVALID])
def test_bad_request_is_a_400_per_field_and_stores_nothing(
    shared_app: Flask,
    shared_client: FlaskClient,
    path: str,
    case: str,
    changes: dict[str, Any],
    field: str,
) -> None:
    before = count_rows(shared_app)

    body = assert_error(shared_client.post(path, json=portal(**changes)), 400)

    assert field in body["errors"], body
    assert count_rows(shared_app) == before


def test_a_missing_field_is_named(shared_client: FlaskClient) -> None:
    document = portal()
    del document["name"]
    body = assert_error(shared_client.post("/api/v1/requests/", json=document), 400)
    assert body["errors"]["name"] == ["Missing data for required field."]


def test_every_unknown_name_is_reported_at_once(shared_client: FlaskClient) -> None:
    document = portal(
        agency="Sở Không Có Thật",
        cluster="NO-SUCH-CL",
        sites={"network": "tslcd", "per_site_mbps": 2, "admin_units": ["49", "99999"]},
    )
    body = assert_error(shared_client.post("/api/v1/requests/evaluate", json=document), 400)
    assert {"agency", "cluster", "sites.admin_units[1]"} <= set(body["errors"])


def test_evaluate_document_answers_the_evaluation_and_stores_nothing(
    app: Flask, client: FlaskClient
) -> None:
    before = count_rows(app)

    response = client.post("/api/v1/requests/evaluate", json=portal())

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["verdict"] == "host_until"
    assert body["until"] == "2027-04-01"
    assert body["first_shortfall"]["date"] == "2027-04-01"
    assert body["go_live"] == "2026-03-01"
    assert body["cost"]["own_hardware_vnd"] == 1_200_000_000
    assert count_rows(app) == before


def test_evaluation_json_is_exactly_what_the_engine_answers(
    app: Flask, client: FlaskClient
) -> None:
    """The response schema drops, renames and reformats nothing of ``Evaluation.to_dict``."""
    with app.app_context(), get_db().sessions() as session:
        expected = actions.evaluate_document(session, portal(), today=DEMO_TODAY).to_dict()

    body = client.post("/api/v1/requests/evaluate", json=portal()).get_json()

    assert body == json.loads(json.dumps(expected))


def test_create_stores_a_submitted_request(app: Flask, client: FlaskClient) -> None:
    before = count_rows(app)

    response = client.post("/api/v1/requests/", json=portal())

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["id"] == DEMO_REQUESTS + 1
    assert body["url"] == f"http://localhost/api/v1/requests/{body['id']}"
    assert body["status"] == "submitted"
    assert body["agency"]["short_name"] == "VP UBND tỉnh"
    assert (body["security_level"], body["zone"], body["go_live"]) == (2, "internet", "2026-03-01")
    assert (body["horizon_years"], body["growth_pct_per_year"]) == (3, 10.0)
    assert body["spec"] == portal()
    assert body["latest_evaluation"] is None
    assert body["created_at"].endswith("+00:00")
    after = count_rows(app)
    assert after["resource_request"] == before["resource_request"] + 1
    assert after["request_evaluation"] == before["request_evaluation"]


def test_detail_shows_the_stored_request(client: FlaskClient) -> None:
    created = client.post("/api/v1/requests/", json=portal()).get_json()

    response = client.get(f"/api/v1/requests/{created['id']}")

    assert response.status_code == 200
    assert response.get_json() == created


def test_list_pages_netbox_style(shared_client: FlaskClient) -> None:
    client = shared_client
    first = client.get("/api/v1/requests/?limit=3").get_json()

    assert first["count"] == DEMO_REQUESTS
    assert [r["id"] for r in first["results"]] == [1, 2, 3]
    assert first["previous"] is None
    assert first["next"] == "http://localhost/api/v1/requests/?limit=3&offset=3"

    second = client.get(first["next"]).get_json()
    assert [r["id"] for r in second["results"]] == [4]
    assert second["next"] is None
    assert second["previous"] == "http://localhost/api/v1/requests/?limit=3&offset=0"


def test_list_defaults_to_fifty_rows(client: FlaskClient) -> None:
    for _ in range(50):
        assert client.post("/api/v1/requests/", json=portal()).status_code == 201

    body = client.get("/api/v1/requests/").get_json()

    assert body["count"] == DEMO_REQUESTS + 50
    assert len(body["results"]) == 50
    assert "limit=50&offset=50" in body["next"]


def test_list_filters_by_status_and_keeps_the_filter_in_its_links(client: FlaskClient) -> None:
    client.post(f"/api/v1/requests/{PORTAL_ID}/evaluate")

    evaluated = client.get("/api/v1/requests/?status=evaluated").get_json()
    submitted = client.get("/api/v1/requests/?status=submitted&limit=1").get_json()

    assert [r["id"] for r in evaluated["results"]] == [PORTAL_ID]
    assert evaluated["results"][0]["latest_evaluation"]["verdict"] == "host_until"
    assert submitted["count"] == DEMO_REQUESTS - 1
    assert "status=submitted" in submitted["next"]
    assert client.get("/api/v1/requests/?status=approved").get_json()["count"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("colour=blue", "colour"),
        ("q=" + "x" * 201, "q"),
        ("status=bogus", "status"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("limit=ten", "limit"),
        ("offset=-1", "offset"),
    ],
)
def test_list_refuses_unknown_or_bad_parameters(
    shared_client: FlaskClient, query: str, field: str
) -> None:
    body = assert_error(shared_client.get(f"/api/v1/requests/?{query}"), 400)
    assert field in body["errors"]


def test_list_searches_project_names_without_diacritics(shared_client: FlaskClient) -> None:
    """``q=`` as on every list: "dat dai" finds "đất đai" (issue 22)."""
    body = shared_client.get("/api/v1/requests/?q=co+so+du+lieu+dat+dai").get_json()
    assert [r["id"] for r in body["results"]] == [LAND_DATABASE_ID]
    assert shared_client.get("/api/v1/requests/?q=nothing+like+it").get_json()["count"] == 0


def test_evaluate_stored_keeps_the_answer(app: Flask, client: FlaskClient) -> None:
    before = count_rows(app)

    response = client.post(f"/api/v1/requests/{LAND_DATABASE_ID}/evaluate")

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["request_id"] == LAND_DATABASE_ID
    assert body["verdict"] == "cannot_host"
    assert {"id", "evaluated_at", "resources", "links", "expansion", "cost"} <= set(body)
    detail = client.get(f"/api/v1/requests/{LAND_DATABASE_ID}").get_json()
    assert detail["status"] == "evaluated"
    assert detail["latest_evaluation"]["id"] == body["id"]
    assert detail["latest_evaluation"]["verdict"] == "cannot_host"
    assert count_rows(app)["request_evaluation"] == before["request_evaluation"] + 1


def test_evaluate_unknown_request_is_404(shared_client: FlaskClient) -> None:
    assert_error(shared_client.post("/api/v1/requests/999/evaluate"), 404)


def test_host_until_is_approved_only_when_accepted(app: Flask, client: FlaskClient) -> None:
    before = count_rows(app)

    refused = client.post(f"/api/v1/requests/{PORTAL_ID}/approve")

    body = assert_error(refused, 409)
    assert "accept_until" in body["message"]
    assert count_rows(app) == before

    approved = client.post(f"/api/v1/requests/{PORTAL_ID}/approve", json={"accept_until": True})

    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["verdict"] == "host_until"
    detail = client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()
    assert detail["status"] == "approved"
    assert detail["approved_at"] is not None
    assert count_rows(app)["capacity_reservation"] > before["capacity_reservation"]


def test_an_approved_request_reserves_capacity_in_the_report(client: FlaskClient) -> None:
    """From its go-live (2026-03-01) on; the report's day is after it."""

    def san_reserved() -> float:
        rows = client.get("/api/v1/capacity/?kind=storage&at=2026-06-01").get_json()["results"]
        return next(r["reserved"] for r in rows if r["name"] == "SAN-01")

    assert san_reserved() == 0
    client.post(f"/api/v1/requests/{PORTAL_ID}/approve", json={"accept_until": True})
    assert san_reserved() > 0


def test_approving_twice_is_a_conflict(client: FlaskClient) -> None:
    url = f"/api/v1/requests/{PORTAL_ID}/approve"
    assert client.post(url, json={"accept_until": True}).status_code == 200
    body = assert_error(client.post(url, json={"accept_until": True}), 409)
    assert "approved" in body["message"]
    assert_error(client.post(f"/api/v1/requests/{PORTAL_ID}/evaluate"), 409)


def test_what_does_not_fit_is_never_approved(app: Flask, client: FlaskClient) -> None:
    before = count_rows(app)

    response = client.post(
        f"/api/v1/requests/{LAND_DATABASE_ID}/approve", json={"accept_until": True}
    )

    assert "cannot_host" in assert_error(response, 409)["message"]
    assert count_rows(app) == before
    status = client.get(f"/api/v1/requests/{LAND_DATABASE_ID}").get_json()["status"]
    assert status == "submitted"


def test_approve_unknown_request_is_404(shared_client: FlaskClient) -> None:
    assert_error(shared_client.post("/api/v1/requests/999/approve"), 404)


def test_approve_refuses_a_bad_flag(shared_client: FlaskClient) -> None:
    url = f"/api/v1/requests/{PORTAL_ID}/approve"
    body = assert_error(shared_client.post(url, json={"accept_until": "maybe"}), 400)
    assert "accept_until" in body["errors"]


def test_a_failure_half_way_through_an_approval_writes_nothing(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evaluation is stored before the reservations; a crash between them rolls both back."""

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(request_service, "save_approval", crash)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    before = count_rows(app)

    response = client.post(f"/api/v1/requests/{PORTAL_ID}/approve", json={"accept_until": True})

    assert_error(response, 500)
    assert count_rows(app) == before
    assert client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()["status"] == "submitted"
