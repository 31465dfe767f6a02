"""``cmdb capacity report`` on the demo DC: table, JSON and CSV, filtered and sorted."""

from __future__ import annotations

import csv
import io
import json
import re

from click.testing import Result
from flask.testing import FlaskCliRunner

from tests.integration.api.test_capacity_api import CLUSTER_ROWS, LINKS, POOLS, ROWS
from web.cli import main

AT = ["--at", "2026-01-15"]


def report(runner: FlaskCliRunner, *args: str) -> Result:
    result = runner.invoke(main, ["capacity", "report", *args])
    assert result.exit_code == 0, result.output
    return result


def test_table_shows_every_pool_and_link_in_100_columns(runner: FlaskCliRunner) -> None:
    out = report(runner, *AT).output
    lines = out.splitlines()

    assert max(len(line) for line in lines) <= 100
    assert f"Clusters (vCPU, RAM) ({CLUSTER_ROWS})" in out
    assert f"Storage pools ({POOLS})" in out
    assert f"Links ({LINKS})" in out
    dated = [line for line in lines if re.search(r" (Mbps|TB|GB|vCPU) ", line)]
    assert len(dated) == ROWS
    header = next(line for line in lines if line.startswith("name"))
    for title in ("capacity", "ceiling", "used", "reserved", "headroom", "exhausts", "at risk"):
        assert title in header


def test_table_sorts_soonest_exhaustion_first(runner: FlaskCliRunner) -> None:
    out = report(runner, *AT, "--kind", "link").output
    dates = re.findall(r"Mbps .* (\d{4}-\d\d-\d\d|—) +(?:\d{4}-\d\d-\d\d|—)$", out, re.MULTILINE)

    assert "Clusters" not in out and "Storage" not in out
    assert len(dates) == LINKS
    known = [d for d in dates if d != "—"]
    assert known == sorted(known)
    assert dates[: len(known)] == known  # links that never run out come last


def test_json_parses_and_filters_by_kind(runner: FlaskCliRunner) -> None:
    every = json.loads(report(runner, *AT, "--format", "json").output)
    storage = json.loads(report(runner, *AT, "--format", "json", "--kind", "storage").output)

    assert len(every) == ROWS
    assert [r["kind"] for r in storage] == ["storage"] * POOLS
    assert {"name", "kind", "unit", "capacity", "ceiling", "baseline", "reserved", "headroom",
            "exhaustion_date", "at_risk_date"} <= set(storage[0])  # fmt: skip


def test_json_sorted_by_name(runner: FlaskCliRunner) -> None:
    rows = json.loads(
        report(runner, *AT, "--format", "json", "--kind", "link", "--sort", "name").output
    )
    names = [r["name"].casefold() for r in rows]
    assert names == sorted(names)


def test_csv_has_a_header_and_a_row_per_resource(runner: FlaskCliRunner) -> None:
    out = report(runner, *AT, "--format", "csv", "--kind", "cluster").output
    rows = list(csv.DictReader(io.StringIO(out)))

    assert out.startswith("resource,name,kind,unit,capacity,")
    assert len(rows) == CLUSTER_ROWS
    assert {r["kind"] for r in rows} == {"vcpu", "ram"}


def test_at_defaults_to_the_configured_day(runner: FlaskCliRunner) -> None:
    assert report(runner).output.startswith("Capacity on 2026-01-15.")


def test_bad_date_exits_2_with_usage(runner: FlaskCliRunner) -> None:
    result = runner.invoke(main, ["capacity", "report", "--at", "15/01/2026"])
    assert result.exit_code == 2
    assert "--at" in result.output
