"""``POST /api/v1/requests/<id>/reject``: a reason is required, kept, and final."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.integration.api.conftest import count_rows

PORTAL_ID = 4


def test_reject_needs_a_reason(app: Flask, client: FlaskClient) -> None:
    before = count_rows(app)
    for body in ({}, {"reason": ""}):
        response = client.post(f"/api/v1/requests/{PORTAL_ID}/reject", json=body)
        assert response.status_code == 400
        assert "reason" in response.get_json()["errors"]
    blank = client.post(f"/api/v1/requests/{PORTAL_ID}/reject", json={"reason": "   "})
    assert blank.status_code == 400
    assert blank.get_json()["errors"] == {"reason": ["say why the request is rejected"]}
    assert count_rows(app) == before


def test_a_rejected_request_stays_rejected(app: Flask, client: FlaskClient) -> None:
    response = client.post(
        f"/api/v1/requests/{PORTAL_ID}/reject", json={"reason": "trùng với hệ thống sẵn có"}
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "rejected"

    again = client.post(f"/api/v1/requests/{PORTAL_ID}/reject", json={"reason": "again"})
    assert again.status_code == 409
    approve = client.post(f"/api/v1/requests/{PORTAL_ID}/approve", json={"accept_until": True})
    assert approve.status_code == 409


def test_rejecting_an_unknown_request_is_404(client: FlaskClient) -> None:
    response = client.post("/api/v1/requests/999/reject", json={"reason": "x"})
    assert response.status_code == 404
