"""Every API error has one shape, ``{status, message, errors}``, and is JSON — never a page."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def assert_error(response: TestResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"status", "message", "errors"}
    assert body["status"] == status
    assert isinstance(body["message"], str) and body["message"]
    assert isinstance(body["errors"], dict)
    assert all(isinstance(v, list) and v for v in body["errors"].values())
    return body


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v2/requests/", "/api/"])
def test_unknown_api_route_is_a_json_404(client: FlaskClient, path: str) -> None:
    body = assert_error(client.get(path), 404)
    assert path in body["message"]


def test_unknown_request_is_a_json_404_with_its_id(client: FlaskClient) -> None:
    body = assert_error(client.get("/api/v1/requests/999"), 404)
    assert "999" in body["message"]


def test_a_page_outside_the_api_is_still_html(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/requests/"),
        ("put", "/api/v1/requests/1"),
        ("get", "/api/v1/requests/evaluate"),
        ("get", "/api/v1/requests/1/approve"),
        ("post", "/api/v1/capacity/"),
    ],
)
def test_wrong_method_is_a_json_405_naming_the_allowed_ones(
    client: FlaskClient, method: str, path: str
) -> None:
    response = getattr(client, method)(path)
    body = assert_error(response, 405)
    assert method.upper() in body["message"]
    assert response.headers["Allow"]


@pytest.mark.parametrize(
    "path", ["/api/v1/requests/", "/api/v1/requests/evaluate", "/api/v1/requests/1/approve"]
)
def test_malformed_json_is_a_400(client: FlaskClient, path: str) -> None:
    response = client.post(path, data='{"name": ', content_type="application/json")
    body = assert_error(response, 400)
    assert "_schema" in body["errors"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        ("name=x&agency=y", "application/x-www-form-urlencoded"),
        ('{"name": "x"}', "text/plain"),
        ("name: x", "application/yaml"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/api/v1/requests/", "/api/v1/requests/evaluate", "/api/v1/requests/1/approve"]
)
def test_a_body_that_is_not_json_is_a_400(
    client: FlaskClient, path: str, data: str, content_type: str
) -> None:
    body = assert_error(client.post(path, data=data, content_type=content_type), 400)
    assert body["errors"]["_schema"] == ["send Content-Type: application/json"]


@pytest.mark.parametrize("path", ["/api/v1/requests/", "/api/v1/requests/evaluate"])
def test_a_missing_request_document_is_a_400(client: FlaskClient, path: str) -> None:
    body = assert_error(client.post(path), 400)
    assert "_schema" in body["errors"]


@pytest.mark.parametrize("document", [[], "a request", 42])
def test_a_document_that_is_not_an_object_is_a_400(client: FlaskClient, document: Any) -> None:
    body = assert_error(client.post("/api/v1/requests/evaluate", json=document), 400)
    assert "_schema" in body["errors"]


def test_unhandled_error_is_a_json_500_without_internals(app: Flask) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def broken() -> str:
        raise RuntimeError("secret detail at /srv/headroom/db.py line 42")

    app.add_url_rule("/api/v1/broken", view_func=broken)

    response = app.test_client().get("/api/v1/broken")

    body = assert_error(response, 500)
    text = response.get_data(as_text=True)
    assert "secret" not in text and "Traceback" not in text and "RuntimeError" not in text
    assert body["errors"] == {}
