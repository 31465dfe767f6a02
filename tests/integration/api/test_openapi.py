"""The OpenAPI document and the docs page: complete, valid, and served with no Internet."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import web
from web.api.routes import ROUTES

EXTERNAL_URL = re.compile(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", re.IGNORECASE)
DOC_ENDPOINTS = {"api-docs.openapi_json", "api-docs.openapi_swagger_ui"}
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


@pytest.fixture
def openapi(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def _api_rules(app: Flask) -> Iterator[tuple[str, str]]:
    """(OpenAPI path, method) of every API route the app serves."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.endpoint in DOC_ENDPOINTS:
            continue
        # <int:id>, <any(a, b):network>: the converter (with its arguments) goes.
        path = re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            yield path, method.lower()


def _operations(openapi: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in openapi["paths"].items():
        for method, op in item.items():
            if method in HTTP_METHODS:
                yield path, method, op


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_document_is_openapi_3(openapi: dict[str, Any]) -> None:
    assert re.fullmatch(r"3\.\d+\.\d+", openapi["openapi"])
    assert openapi["info"]["title"] == "Headroom"
    assert openapi["info"]["version"] == "v1"


def test_every_api_route_is_in_the_document(app: Flask, openapi: dict[str, Any]) -> None:
    served = set(_api_rules(app))
    documented = {(path, method) for path, method, _op in _operations(openapi)}
    assert len(served) == len(ROUTES)
    assert served == documented


def test_every_reference_resolves(openapi: dict[str, Any]) -> None:
    refs = set(_refs(openapi))
    assert refs
    for ref in refs:
        node: Any = openapi
        for part in ref.removeprefix("#/").split("/"):
            assert part in node, f"{ref} does not resolve"
            node = node[part]


def test_every_operation_documents_its_errors_in_the_one_shape(openapi: dict[str, Any]) -> None:
    error = openapi["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"status", "message", "errors"}
    for path, method, op in _operations(openapi):
        assert "default" in op["responses"], (method, path)
        assert op.get("summary"), f"{method} {path} has no summary (the view's docstring)"


def test_request_bodies_are_documented_by_the_request_schema(openapi: dict[str, Any]) -> None:
    for path in ("/api/v1/requests/", "/api/v1/requests/evaluate"):
        body = openapi["paths"][path]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Request"
        }
    request = openapi["components"]["schemas"]["Request"]
    assert {"name", "agency", "security_level", "zone", "go_live"} <= set(request["required"])
    assert request["properties"]["security_level"]["maximum"] == 5


def test_list_filters_and_paging_are_documented(openapi: dict[str, Any]) -> None:
    params = {p["name"]: p for p in openapi["paths"]["/api/v1/requests/"]["get"]["parameters"]}
    # The generic list parameters (issue 6): paging, a filter per column, ordering, brief,
    # and q= on the project name (issue 22: the UI's list is the API's).
    generic = {"limit", "offset", "status", "status__in", "agency_id", "go_live__gte", "ordering"}
    assert generic | {"brief", "q"} <= set(params)
    assert "-horizon_years" in params["ordering"]["schema"]["items"]["enum"]
    assert params["limit"]["schema"]["maximum"] == 1000
    assert "approved" in params["status"]["schema"]["enum"]
    page = openapi["components"]["schemas"]["RequestPage"]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}


def test_docs_page_loads_only_the_apps_own_assets(client: FlaskClient) -> None:
    response = client.get("/api/v1/docs")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert not EXTERNAL_URL.search(html), EXTERNAL_URL.search(html)
    assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert len(assets) == 4  # Swagger UI's three files, and the one that starts it
    for asset in assets:
        assert asset.startswith(("/static/vendor/swagger-ui/", "/static/js/swagger-init.js"))
        assert client.get(asset).status_code == 200
    assert 'data-spec-url="/api/v1/openapi.json"' in html
    config = re.search(r'data-config="([^"]*)"', html)
    assert config and json.loads(unescape(config.group(1)))["validatorUrl"] is None  # no call out


def test_swagger_ui_licence_ships_with_it() -> None:
    vendor = Path(web.__file__).parent / "static" / "vendor" / "swagger-ui"
    assert "Apache License" in (vendor / "LICENSE").read_text(encoding="utf-8")
    assert (vendor / "NOTICE").is_file()


def test_every_operation_documents_the_errors_every_route_shares(openapi: dict[str, Any]) -> None:
    """400 and 401 everywhere, 404 with an id in the path, 403/404/409 on writes (routes.py)."""
    for path, method, op in _operations(openapi):
        expected = {"400", "401"}
        if "{" in path:
            expected.add("404")
        if method not in ("get", "head"):
            expected |= {"403", "404", "409"}
        assert expected <= set(op["responses"]), f"{method} {path}"
        for code in expected:
            content = op["responses"][code]["content"]["application/json"]
            assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, code)
