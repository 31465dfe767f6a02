"""``/api/v1/capacity/``: the capacity report of the demo DC, paged like every list."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.api.test_errors import assert_error

CLUSTER_ROWS = 6  # 3 clusters × (vCPU, RAM)
POOLS = 3
LINKS = 262
ROWS = CLUSTER_ROWS + POOLS + LINKS


def test_report_lists_every_pool_and_link(client: FlaskClient) -> None:
    body = client.get("/api/v1/capacity/?limit=1000").get_json()

    assert body["at"] == "2026-01-15"  # CMDB_TODAY
    assert body["count"] == ROWS == len(body["results"])
    assert body["next"] is None
    kinds = [row["kind"] for row in body["results"]]
    assert kinds.count("link") == LINKS and kinds.count("storage") == POOLS
    row = body["results"][0]
    assert set(row) == {
        "resource", "name", "kind", "unit", "capacity", "ceiling_pct", "ceiling", "baseline",
        "reserved", "headroom", "exhaustion_date", "at_risk_date", "baseline_model",
        "backtest_mape_pct", "current", "current_week", "utilisation", "at_risk_95_date",
    }  # fmt: skip
    assert row["headroom"] == pytest.approx(row["ceiling"] - row["baseline"] - row["reserved"])


def test_report_pages_by_fifty(client: FlaskClient) -> None:
    body = client.get("/api/v1/capacity/").get_json()

    assert body["count"] == ROWS
    assert len(body["results"]) == 50
    assert body["next"] == "http://localhost/api/v1/capacity/?limit=50&offset=50"


def test_report_filters_by_kind(client: FlaskClient) -> None:
    body = client.get("/api/v1/capacity/?kind=storage").get_json()

    assert body["count"] == POOLS
    assert {row["name"] for row in body["results"]} == {"SAN-01", "NAS-01", "BACKUP-01"}


def test_report_at_a_later_day_sees_more_use(client: FlaskClient) -> None:
    def san() -> tuple[str, float]:
        body = client.get(f"/api/v1/capacity/?kind=storage&at={day}").get_json()
        return body["at"], next(r["baseline"] for r in body["results"] if r["name"] == "SAN-01")

    day = "2026-01-15"
    now = san()
    day = "2026-12-01"
    later = san()

    assert later[0] == "2026-12-01"
    assert later[1] > now[1]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("at=15/01/2026", "at"),
        ("kind=cluster", "kind"),
        ("site=1", "site"),
        ("limit=5000", "limit"),
    ],
)
def test_report_refuses_bad_parameters(client: FlaskClient, query: str, field: str) -> None:
    body = assert_error(client.get(f"/api/v1/capacity/?{query}"), 400)
    assert field in body["errors"]
