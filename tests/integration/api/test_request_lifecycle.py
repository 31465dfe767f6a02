"""Revising, withdrawing and rejecting a request through the API, and what the log keeps."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.integration.api.conftest import count_rows
from tests.integration.api.test_errors import assert_error

PORTAL_ID = 4  # the demo's portal request: submitted, fits at go-live (HOST UNTIL)


def changes_of(client: FlaskClient, request_id: int) -> list[dict]:
    query = {"object_type": "resource_request", "object_id": request_id, "limit": 100}
    return client.get("/api/v1/changes/", query_string=query).get_json()["results"]


def test_a_revision_changes_the_fields_sent_and_goes_back_to_submitted(
    client: FlaskClient,
) -> None:
    client.post(f"/api/v1/requests/{PORTAL_ID}/evaluate")
    before = client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()
    assert before["status"] == "evaluated"
    horizon = before["horizon_years"] % 9 + 1  # another valid horizon
    response = client.patch(f"/api/v1/requests/{PORTAL_ID}", json={"horizon_years": horizon})
    assert response.status_code == 200, response.get_data(as_text=True)
    after = response.get_json()
    assert (after["horizon_years"], after["status"]) == (horizon, "submitted")
    assert after["name"] == before["name"] and after["spec"]["horizon_years"] == horizon
    entry = changes_of(client, PORTAL_ID)[-1]
    assert entry["before"] == {
        "horizon_years": before["horizon_years"],
        "status": "evaluated",
    }
    assert entry["after"] == {"horizon_years": horizon, "status": "submitted"}


def test_a_bad_revision_is_a_400_and_changes_nothing(app: Flask, client: FlaskClient) -> None:
    before = client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()
    rows = count_rows(app)
    body = assert_error(
        client.patch(f"/api/v1/requests/{PORTAL_ID}", json={"security_level": 9}), 400
    )
    assert "security_level" in body["errors"]
    assert_error(client.patch(f"/api/v1/requests/{PORTAL_ID}", json=[1]), 400)
    assert client.get(f"/api/v1/requests/{PORTAL_ID}").get_json() == before
    assert count_rows(app) == rows


def test_an_approved_request_can_no_longer_be_revised_withdrawn_or_rejected(
    client: FlaskClient,
) -> None:
    approved = client.post(f"/api/v1/requests/{PORTAL_ID}/approve", json={"accept_until": True})
    assert approved.status_code == 200, approved.get_data(as_text=True)
    assert_error(client.patch(f"/api/v1/requests/{PORTAL_ID}", json={"horizon_years": 3}), 409)
    assert_error(client.delete(f"/api/v1/requests/{PORTAL_ID}"), 409)
    assert_error(client.post(f"/api/v1/requests/{PORTAL_ID}/reject", json={"reason": "late"}), 409)
    entry = changes_of(client, PORTAL_ID)[-1]
    assert entry["after"]["status"] == "approved" and entry["actor"] == "test-admin"
    assert entry["user_id"] is not None


def test_withdrawing_deletes_the_request_and_keeps_its_history(client: FlaskClient) -> None:
    client.post(f"/api/v1/requests/{PORTAL_ID}/evaluate")
    response = client.delete(f"/api/v1/requests/{PORTAL_ID}")
    assert response.status_code == 204
    assert_error(client.get(f"/api/v1/requests/{PORTAL_ID}"), 404)
    assert changes_of(client, PORTAL_ID)[-1]["action"] == "delete"
    assert_error(client.delete(f"/api/v1/requests/{PORTAL_ID}"), 404)


def test_a_rejection_keeps_the_request_and_logs_the_reason(client: FlaskClient) -> None:
    response = client.post(f"/api/v1/requests/{PORTAL_ID}/reject", json={"reason": "no budget"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json()["status"] == "rejected"
    entry = changes_of(client, PORTAL_ID)[-1]
    assert entry["after"] == {"status": "rejected", "reason": "no budget"}
    assert_error(client.post(f"/api/v1/requests/{PORTAL_ID}/evaluate"), 409)


def test_the_list_takes_the_generic_filters(client: FlaskClient) -> None:
    agency_id = client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()["agency"]["id"]
    found = client.get(f"/api/v1/requests/?agency_id={agency_id}&go_live__gte=2026-01-01")
    assert PORTAL_ID in [r["id"] for r in found.get_json()["results"]]
    assert_error(client.get("/api/v1/requests/?colour=blue"), 400)


def test_brief_keeps_only_the_brief_fields(client: FlaskClient) -> None:
    rows = client.get("/api/v1/requests/?brief=1").get_json()["results"]
    assert rows and all(set(r) == {"id", "url", "name", "status"} for r in rows)


def test_a_revision_without_a_pinned_today_takes_the_real_one(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # mypy found it: an unpinned CMDB_TODAY reached min(None, go_live), a 500.
    monkeypatch.setitem(app.config, "CMDB_TODAY", None)
    horizon = client.get(f"/api/v1/requests/{PORTAL_ID}").get_json()["horizon_years"] % 9 + 1
    response = client.patch(f"/api/v1/requests/{PORTAL_ID}", json={"horizon_years": horizon})
    assert response.status_code == 200, response.get_data(as_text=True)
