"""One extreme value must not break the product for everyone (issue 18).

A pool of 1e300 TB, a sample of 1e300 or a ceiling of 1e-320 used to be stored, and
then the dashboard and every evaluation failed. Each is now a 400 on its field
(``cmdb.bounds``), the pages and an evaluation still answer 200 afterwards, and an
evaluation stored with such figures before the bounds existed still renders.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.models import StoragePool
from tests.integration.api.conftest import portal
from tests.integration.api.test_errors import assert_error
from web.db import get_db


def refused_on(response: Any, field: str) -> list[str]:
    return assert_error(response, 400)["errors"][field]


@pytest.mark.parametrize("value", [0.85, 1, 0.5])
def test_a_ceiling_read_as_a_fraction_is_refused_and_says_to_send_a_percent(
    client: FlaskClient, value: float
) -> None:
    messages = refused_on(
        client.patch("/api/v1/clusters/1", json={"ceiling_pct": value}), "ceiling_pct"
    )
    assert "reads as a fraction" in messages[0]
    assert f"send {value * 100:g}" in messages[0]


@pytest.mark.parametrize("value", [0, -5, 100.5, 1e300, 1e-320, 0.005])
def test_a_ceiling_outside_the_percent_range_is_refused(client: FlaskClient, value: float) -> None:
    messages = refused_on(
        client.patch("/api/v1/storage-pools/1", json={"ceiling_pct": value}), "ceiling_pct"
    )
    assert "a percent of capacity" in messages[0]


def test_a_ceiling_in_percent_is_taken_as_a_percent(client: FlaskClient) -> None:
    response = client.patch("/api/v1/links/1", json={"ceiling_pct": 85})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["ceiling_pct"] == 85


@pytest.mark.parametrize(
    ("path", "field", "value"),
    [
        ("/api/v1/storage-pools/1", "raw_tb", 1e300),
        ("/api/v1/clusters/1", "cpu_ratio", 1e300),
        ("/api/v1/links/1", "commit_rate_mbps", 1e308),
        ("/api/v1/devices/1", "ram_gb", 1e20),
        ("/api/v1/racks/1", "power_kw", 1e9),
        ("/api/v1/interfaces/1", "speed_mbps", 2**40),
    ],
)
def test_an_absurd_quantity_is_refused_on_its_field(
    client: FlaskClient, path: str, field: str, value: float
) -> None:
    refused_on(client.patch(path, json={field: value}), field)


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"value": 1e300}, "[0].value"),
        ({"at": "0001-01-01T00:00:00+14:00"}, "[0].at"),
        ({"at": "9999-12-31T23:59:59-14:00"}, "[0].at"),
        ({"at": "1970-01-01T00:00:00Z"}, "[0].at"),
    ],
)
def test_an_extreme_sample_is_refused(
    client: FlaskClient, point: dict[str, Any], field: str
) -> None:
    sample = {"series": 1, "at": "2026-01-14T08:00:00+07:00", "value": 1.0, **point}
    refused_on(client.post("/api/v1/samples/", json=[sample]), field)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"go_live": "9999-12-31"}, "go_live"),
        ({"storage_tb": 1e308}, "storage_tb"),
        ({"own_hardware_cost_vnd": 10**30}, "own_hardware_cost_vnd"),
        ({"workloads": [{"name": "vm", "vcpu": 1, "ram_gb": 1e308}]}, "workloads[0].ram_gb"),
        ({"dc_bandwidth": [{"network": "internet", "mbps": 1e300}]}, "dc_bandwidth[0].mbps"),
    ],
)
def test_an_extreme_request_is_refused_on_its_field(
    client: FlaskClient, changes: dict[str, Any], field: str
) -> None:
    refused_on(client.post("/api/v1/requests/evaluate", json=portal(**changes)), field)


def test_after_refused_extreme_values_the_dashboard_and_an_evaluation_answer(
    client: FlaskClient,
) -> None:
    client.patch("/api/v1/storage-pools/1", json={"raw_tb": 1e300})
    client.patch("/api/v1/clusters/1", json={"ceiling_pct": 1e-320})
    client.post(
        "/api/v1/samples/", json=[{"series": 1, "at": "2026-01-14T00:00:00Z", "value": 1e300}]
    )
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/capacity/").status_code == 200
    assert client.post("/api/v1/requests/evaluate", json=portal()).status_code == 200


def test_an_evaluation_stored_with_absurd_figures_still_renders(
    app: Flask, client: FlaskClient
) -> None:
    """A database from before the bounds may hold a pool of 1e300 TB and evaluations made
    with it; once the pool is put back, those stored figures must still render."""
    with app.app_context(), get_db().sessions() as session:
        pool = session.scalars(sa.select(StoragePool).order_by(StoragePool.id)).first()
        assert pool is not None
        raw_tb, pool_id = pool.raw_tb, pool.id
    set_raw_tb(app, pool_id, 1e300)  # straight to the database: the API refuses it
    created = client.post("/api/v1/requests/", json=portal())
    assert created.status_code == 201, created.get_json()
    request_id = created.get_json()["id"]
    assert client.post(f"/api/v1/requests/{request_id}/evaluate").status_code == 201
    set_raw_tb(app, pool_id, raw_tb)
    for path in ("/", f"/requests/{request_id}", f"/requests/{request_id}/appraisal", "/requests/"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/api/v1/requests/{request_id}").status_code == 200


def set_raw_tb(app: Flask, pool_id: int, raw_tb: float) -> None:
    with app.app_context(), get_db().engine.begin() as conn:
        conn.execute(sa.update(StoragePool).where(StoragePool.id == pool_id).values(raw_tb=raw_tb))


def test_the_refusals_speak_vietnamese_when_asked(client: FlaskClient) -> None:
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "vi"
    ceiling = client.patch("/api/v1/clusters/1", json={"ceiling_pct": 0.85})
    assert "trông như một phân số; hãy gửi 85" in refused_on(ceiling, "ceiling_pct")[0]
    text = client.patch("/api/v1/clusters/1", json={"name": "a\u0000b"})
    assert refused_on(text, "name")[0].startswith("văn bản không được chứa")
