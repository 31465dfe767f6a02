"""``POST /api/v1/samples/`` on the demo: counts, idempotence, errors per point, batch limit."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.models import Sample
from tests.integration.api.test_errors import assert_error
from web.api.schemas.samples import MAX_BATCH
from web.db import get_db

SERIES_ID = 1  # the demo's first series (a cluster's vCPU allocation), daily through 2026-01-14


def points(values: list[float], day: str = "2026-01-15") -> list[dict[str, Any]]:
    return [
        {"series": SERIES_ID, "at": f"{day}T{8 + i:02d}:00:00+07:00", "value": v}
        for i, v in enumerate(values)
    ]


def stored_samples(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(Sample)) or 0


def test_ingest_counts_and_advances_the_daily_mark(app: Flask, client: FlaskClient) -> None:
    before = client.get(f"/api/v1/series/{SERIES_ID}").get_json()
    response = client.post("/api/v1/samples/", json=points([100, 110, 120]))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_json() == {"created": 3, "updated": 0, "unchanged": 0, "series_created": 0}
    after = client.get(f"/api/v1/series/{SERIES_ID}").get_json()
    assert (before["daily_through"], after["daily_through"]) == ("2026-01-14", "2026-01-15")
    assert after["daily_count"] == before["daily_count"] + 1


def test_re_posting_writes_nothing_and_a_new_value_updates(app: Flask, client: FlaskClient) -> None:
    client.post("/api/v1/samples/", json=points([100, 110]))
    again = client.post("/api/v1/samples/", json=points([100, 110])).get_json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert stored_samples(app) == 2
    corrected = client.post("/api/v1/samples/", json=points([100, 111])).get_json()
    assert (corrected["updated"], corrected["unchanged"]) == (1, 1)


def test_a_series_by_its_key_is_created_on_first_use(client: FlaskClient) -> None:
    key = {"resource_type": "device", "resource_id": 1, "metric": "cpu_util_pct"}
    sent = [{"series": key, "at": "2026-01-15T00:00:00Z", "value": 12.5}]
    assert client.post("/api/v1/samples/", json=sent).get_json()["series_created"] == 1
    found = client.get("/api/v1/series/?object_type=device&object_id=1&metric=cpu_util_pct")
    assert found.get_json()["results"][0]["unit"] == "%"


def test_errors_are_keyed_by_point_and_field_and_nothing_is_written(
    app: Flask, client: FlaskClient
) -> None:
    sent = [
        *points([1.0]),
        {"series": SERIES_ID, "at": "2026-01-15T09:00:00", "value": -1},  # no zone, negative
        {"series": "x", "at": "2026-01-15T09:00:00Z", "value": 1},
        {"series": 999_999, "at": "2026-01-15T09:00:00Z", "value": 1},
    ]
    body = assert_error(client.post("/api/v1/samples/", json=sent), 400)
    assert set(body["errors"]) == {"[1].at", "[1].value", "[2].series"}
    body = assert_error(client.post("/api/v1/samples/", json=[sent[0], sent[3]]), 400)
    assert set(body["errors"]) == {"[1].series"}
    assert stored_samples(app) == 0


def test_a_batch_over_the_limit_is_a_413(app: Flask, client: FlaskClient) -> None:
    assert_error(client.post("/api/v1/samples/", json=points([1.0]) * (MAX_BATCH + 1)), 413)
    assert stored_samples(app) == 0


def test_the_body_must_be_a_list(client: FlaskClient) -> None:
    assert_error(client.post("/api/v1/samples/", json={"series": 1}), 400)
