"""``cmdb capacity report`` and ``cmdb request …`` as a user runs them: real processes on a
real SQLite file holding the demo."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from tests.demo_databases import demo_sqlite_url
from tests.e2e.test_cli_db import run_cmdb

DEMO_DAY = "2026-01-15"


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The demo as ``cmdb demo load --today 2026-01-15`` leaves it, forecasts fitted: a copy
    of the suite's cached demo (the CLI's own load is tested in
    ``tests/integration/cmdb/test_cli_demo_and_import.py``)."""
    path = tmp_path_factory.mktemp("e2e") / "demo.db"
    return {"CMDB_DATABASE_URL": demo_sqlite_url(path, forecasts=True)}


def test_report_as_json_parses(env: dict[str, str]) -> None:
    result = run_cmdb("capacity", "report", "--at", DEMO_DAY, "--format", "json", env=env)

    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 6 + 3 + 262
    assert {row["kind"] for row in rows} == {"vcpu", "ram", "storage", "link"}


def test_report_as_csv_has_a_header(env: dict[str, str]) -> None:
    result = run_cmdb(
        "capacity", "report", "--at", DEMO_DAY, "--format", "csv", "--kind", "link", env=env
    )

    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0].startswith("resource,name,kind,unit,capacity")
    assert len(rows) == 262


def test_evaluate_prints_json_and_stores_nothing(env: dict[str, str], tmp_path: Path) -> None:
    """On the real today: the go-live is set ahead of it, whatever day the suite runs."""
    document = {
        "name": "Cổng thông tin thử nghiệm",
        "agency": "VP UBND tỉnh",
        "security_level": 2,
        "zone": "internet",
        "go_live": (date.today() + timedelta(days=90)).isoformat(),
        "workloads": [{"name": "web", "count": 2, "vcpu": 2, "ram_gb": 4, "disk_gb": 50}],
    }
    path = tmp_path / "request.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")

    result = run_cmdb("request", "evaluate", str(path), "--format", "json", env=env)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["verdict"] in {"host", "host_until", "cannot_host"}
    listed = run_cmdb("request", "list", env=env)
    assert listed.stdout.splitlines()[-1] == "4 request(s)"


def test_a_bad_file_exits_1_with_a_message(env: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: [unclosed\n", encoding="utf-8")

    result = run_cmdb("request", "evaluate", str(path), env=env)

    assert result.returncode == 1
    assert "broken.yaml: not valid YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_approving_what_does_not_fit_exits_1(env: dict[str, str]) -> None:
    result = run_cmdb("request", "approve", "2", env=env)
    assert result.returncode == 1
    assert "no longer fits" in result.stderr
