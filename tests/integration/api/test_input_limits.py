"""Inputs the fuzzer found answered with a 500 (issue 18), now refused as documented.

Ids past the database's integer range name no record (404), NUL and lone surrogates
in any text are a 400 on their field, and a body too large, too deep or a URL too
long is refused in the API's JSON shape — on SQLite and on PostgreSQL, which
refused these itself (``integer out of range``, ``invalid byte sequence``) with a 500.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cmdb.bounds import MAX_ID
from tests.integration.api.conftest import count_rows
from tests.integration.api.readonly import (  # noqa: F401 - fixtures
    read_app,
    read_client,
    read_db_file,
    read_url,
)
from tests.integration.api.test_errors import assert_error
from web.input_limits import MAX_BODY_BYTES, MAX_DEPTH, MAX_URL_LENGTH, TEXT_MESSAGE

HUGE_IDS = (MAX_ID + 1, 2**63, 2**64 + 1, 10**40)


@pytest.mark.parametrize("object_id", HUGE_IDS)
@pytest.mark.parametrize(
    "path", ["/api/v1/devices/{}", "/api/v1/admin-units/{}/changes/", "/api/v1/requests/{}"]
)
def test_an_id_past_the_integer_range_names_no_record(
    read_client: FlaskClient,  # noqa: F811 - fixture
    path: str,
    object_id: int,
) -> None:
    assert_error(read_client.get(path.format(object_id)), 404)


@pytest.mark.parametrize("object_id", HUGE_IDS)
def test_writing_to_an_id_past_the_integer_range_is_a_404(
    client: FlaskClient, object_id: int
) -> None:
    assert_error(client.patch(f"/api/v1/devices/{object_id}", json={"name": "x"}), 404)
    assert_error(client.delete(f"/api/v1/devices/{object_id}"), 404)


BAD_QUERIES = [
    *((parameter, value) for parameter in ("id", "site_id", "id__in", "cores__gte")
      for value in (str(MAX_ID + 1), str(2**64 + 1), f"1,{10**30}")),  # past the column
    *((parameter, text) for parameter in ("name", "q", "name__ic") for text in ("a%00b", "%00")),
]  # fmt: skip


@pytest.mark.parametrize(("parameter", "value"), BAD_QUERIES)
def test_a_filter_past_the_column_range_or_with_nul_is_a_400_on_it(
    read_client: FlaskClient,  # noqa: F811 - fixture
    parameter: str,
    value: str,
) -> None:
    body = assert_error(read_client.get(f"/api/v1/devices/?{parameter}={value}"), 400)
    assert [key.partition("[")[0] for key in body["errors"]] == [parameter]
    if "%00" in value:
        assert body["errors"][parameter] == [TEXT_MESSAGE]


def post_json(client: FlaskClient, path: str, document: object) -> TestResponse:
    """``document`` sent as JSON with every non-ASCII character escaped: a lone surrogate
    cannot be encoded as UTF-8, but ``\\ud800`` is valid JSON."""
    return client.post(path, data=json.dumps(document), content_type="application/json")


@pytest.mark.parametrize("text", ["Rack\u0000A", "\ud800", "tail \udfff"])
def test_forbidden_text_in_a_body_is_a_400_on_its_field_and_nothing_is_written(
    app: Flask, client: FlaskClient, text: str
) -> None:
    before = count_rows(app)
    body = assert_error(post_json(client, "/api/v1/racks/", {"site_id": 1, "name": text}), 400)
    assert body["errors"] == {"name": [TEXT_MESSAGE]}
    nested = {"name": "Portal", "workloads": [{"name": text, "vcpu": 1, "ram_gb": 1}]}
    body = assert_error(post_json(client, "/api/v1/requests/", nested), 400)
    assert body["errors"] == {"workloads[0].name": [TEXT_MESSAGE]}
    assert count_rows(app) == before


def test_forbidden_text_in_a_key_is_refused_too(client: FlaskClient) -> None:
    raw = '{"site_id": 1, "name": "A", "\\u0000": 1}'
    response = client.post("/api/v1/racks/", data=raw, content_type="application/json")
    assert assert_error(response, 400)["errors"] == {"_schema": [TEXT_MESSAGE]}


def test_a_lone_surrogate_escape_in_raw_json_is_refused(client: FlaskClient) -> None:
    raw = '[{"series": 1, "at": "2026-01-15T00:00:00Z", "value": 1, "note": "\\ud83d"}]'
    response = client.post("/api/v1/samples/", data=raw, content_type="application/json")
    assert assert_error(response, 400)["errors"] == {"[0].note": [TEXT_MESSAGE]}


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_json_nested_too_deep_is_a_400(client: FlaskClient, depth: int) -> None:
    raw = '{"name": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/requests/evaluate", data=raw, content_type="application/json")
    assert "nested" in assert_error(response, 400)["message"]


def test_json_at_the_depth_limit_is_judged_by_its_schema(client: FlaskClient) -> None:
    raw = json.dumps({"name": json.loads("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1))})
    response = client.post("/api/v1/racks/", data=raw, content_type="application/json")
    assert "name" in assert_error(response, 400)["errors"]  # a list is no name


def test_a_body_over_the_limit_is_a_json_413(client: FlaskClient) -> None:
    raw = json.dumps({"name": "x" * MAX_BODY_BYTES})
    response = client.post("/api/v1/racks/", data=raw, content_type="application/json")
    assert_error(response, 413)


def test_a_url_over_the_limit_is_a_json_414(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/devices/?q=" + "x" * MAX_URL_LENGTH), 414)


def test_nul_in_a_form_field_of_a_page_is_a_400_page(client: FlaskClient) -> None:
    response = client.post("/requests/new", data={"name": "a\u0000b"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"


@pytest.mark.parametrize("number", [MAX_ID + 1, 2**70])
@pytest.mark.parametrize(
    "path", ["/requests/?page={}", "/sites/?page={}", "/devices/?page={}", "/audit/?page={}"]
)
def test_a_page_given_a_number_past_the_integer_range_still_answers(
    read_client: FlaskClient,  # noqa: F811 - fixture
    path: str,
    number: int,
) -> None:
    assert read_client.get(path.format(number)).status_code == 200
