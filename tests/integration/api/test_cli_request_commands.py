"""``cmdb request evaluate|approve|list`` on the demo DC, through the real command group."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import Result
from flask import Flask
from flask.testing import FlaskCliRunner

from tests.integration.api.conftest import DEMO_REQUESTS, count_rows, portal
from web.cli import main

PORTAL_ID = 4
LAND_DATABASE_ID = 2


def cmdb(runner: FlaskCliRunner, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(main, list(args), input=stdin)


def write(tmp_path: Path, name: str, document: Any) -> str:
    path = tmp_path / name
    text = json.dumps(document) if name.endswith(".json") else yaml.safe_dump(document)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_evaluate_yaml_prints_the_verdict_in_words_and_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = count_rows(app)

    result = cmdb(runner, "request", "evaluate", write(tmp_path, "portal.yaml", portal()))

    assert result.exit_code == 0, result.output
    out = result.output
    assert "Verdict:   HOST UNTIL 2027-04-01 (storage SAN-01)" in out
    assert "Placement: cluster DMZ-CL01, storage pool SAN-01" in out
    assert "Resources at go-live" in out and "DMZ-CL01 ram" in out
    assert "Binding:   storage SAN-01 from 2027-04-01: the DC must act" in out
    assert "Expansion to fit until 2029-03-01, charged to the project: 0 VND" in out
    # SAN-01 needs its shelf by 2027-05-01 without the portal: the DC's own need, not the
    # project's (issue 21: the old "expansion 900,000,000" billed the DC's growth to it).
    assert "from 2027-05-01: SAN-01: 1 × 24 × 8 TB NL-SAS shelf (900,000,000 VND)" in out
    assert "Cost (VND): expansion 0 · own hardware 1,200,000,000" in out
    assert "investment avoided 1,200,000,000" in out
    assert max(len(line) for line in out.splitlines()[1:]) <= 100
    assert count_rows(app) == before


def test_evaluate_json_file_as_json(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = cmdb(
        runner, "request", "evaluate", write(tmp_path, "p.json", portal()), "--format", "json"
    )

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert (body["verdict"], body["until"]) == ("host_until", "2027-04-01")


def test_evaluate_reads_stdin(runner: FlaskCliRunner) -> None:
    result = cmdb(runner, "request", "evaluate", "-", stdin=yaml.safe_dump(portal()))
    assert result.exit_code == 0, result.output
    assert "HOST UNTIL 2027-04-01" in result.output


def test_cannot_host_says_what_is_short_and_exits_0(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask
) -> None:
    """The land database: the SAN and PROD-CL01's RAM are short at go-live."""
    land = cmdb(runner, "request", "list").output  # ensures the demo is there
    assert "Xây dựng cơ sở dữ liệu đất đai" in land
    document = _demo_spec(app, LAND_DATABASE_ID)

    result = cmdb(runner, "request", "evaluate", write(tmp_path, "land.yaml", document))

    assert result.exit_code == 0, result.output
    assert "Verdict:   CANNOT HOST — 2 resource(s) short at go-live" in result.output
    assert "  storage SAN-01: 72.0 TB" in result.output
    assert "NL-SAS shelf" in result.output
    assert "Links on the paths: 19, short at some step:" in result.output


def test_commune_roll_out_lists_the_links_that_fail(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask
) -> None:
    document = _demo_spec(app, 1)

    out = cmdb(runner, "request", "evaluate", write(tmp_path, "vc.yaml", document)).output

    assert "Links on the paths: 260, short at some step:" in out
    assert "TSLCD xã Trà Cang" in out  # a 4 Mbps mountain commune link
    assert max(len(line) for line in out.splitlines()[1:]) <= 100


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.yaml", "name: [unclosed", "not valid YAML"),
        ("bad.json", '{"name": ', "not valid JSON"),
        ("list.yaml", "- a\n- b\n", "a request is a JSON/YAML object"),
    ],
)
def test_unreadable_file_exits_1_with_a_message(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path, name: str, text: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    before = count_rows(app)

    result = cmdb(runner, "request", "evaluate", str(path), "--save")

    assert result.exit_code == 1
    assert message in result.output
    assert count_rows(app) == before


def test_missing_file_exits_1(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = cmdb(runner, "request", "evaluate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert "cannot read" in result.output


def test_invalid_request_exits_1_with_a_message_per_field_and_stores_nothing(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    document = portal(
        security_level=7,
        go_live="2025-12-31",
        workloads=[{"name": "web", "vcpu": -2, "ram_gb": 8}],
    )
    before = count_rows(app)

    result = cmdb(runner, "request", "evaluate", write(tmp_path, "r.yaml", document), "--save")

    assert result.exit_code == 1
    for field in ("security_level:", "go_live:", "workloads[0].vcpu:"):
        assert field in result.output
    assert count_rows(app) == before


def test_unknown_names_exit_1_per_field(runner: FlaskCliRunner, tmp_path: Path) -> None:
    document = portal(
        agency="Sở Không Có Thật",
        sites={"network": "tslcd", "per_site_mbps": 2, "admin_units": ["99999"]},
    )
    result = cmdb(runner, "request", "evaluate", write(tmp_path, "r.yaml", document))
    assert result.exit_code == 1
    assert "agency: unknown agency" in result.output
    assert "sites.admin_units[0]: unknown admin unit code '99999'" in result.output


def test_save_stores_the_request_and_its_evaluation(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    before = count_rows(app)

    result = cmdb(
        runner, "request", "evaluate", write(tmp_path, "p.yaml", portal()), "--save",
        "--format", "json",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["request_id"] == DEMO_REQUESTS + 1
    assert f"stored as request {DEMO_REQUESTS + 1}" in result.stderr
    after = count_rows(app)
    assert after["resource_request"] == before["resource_request"] + 1
    assert after["request_evaluation"] == before["request_evaluation"] + 1
    listed = cmdb(runner, "request", "list", "--status", "evaluated").output
    assert "UNTIL 2027-04-01" in listed


def test_list_shows_every_request_in_100_columns(runner: FlaskCliRunner) -> None:
    result = cmdb(runner, "request", "list")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["id", "name", "agency", "status", "go-live", "last", "verdict"]
    assert len(lines) == 2 + DEMO_REQUESTS + 1
    assert "STNMT" in result.output and "2026-07-01" in result.output
    assert f"{DEMO_REQUESTS} request(s)" in lines[-1]
    assert max(len(line) for line in lines) <= 100


def test_approve_host_until_needs_accept_until(app: Flask, runner: FlaskCliRunner) -> None:
    before = count_rows(app)

    refused = cmdb(runner, "request", "approve", str(PORTAL_ID))

    assert refused.exit_code == 1
    assert "no longer fits" in refused.output and "accept_until" in refused.output
    assert count_rows(app) == before

    approved = cmdb(runner, "request", "approve", str(PORTAL_ID), "--accept-until")

    assert approved.exit_code == 0, approved.output
    assert "request 4 approved: HOST UNTIL 2027-04-01 (storage SAN-01)" in approved.output
    assert count_rows(app)["capacity_reservation"] > before["capacity_reservation"]
    assert "approved" in cmdb(runner, "request", "list", "--status", "approved").output


def test_approve_what_does_not_fit_exits_1(app: Flask, runner: FlaskCliRunner) -> None:
    before = count_rows(app)
    result = cmdb(runner, "request", "approve", str(LAND_DATABASE_ID), "--accept-until")
    assert result.exit_code == 1
    assert "cannot_host" in result.output
    assert count_rows(app) == before


def test_approve_unknown_request_exits_1(runner: FlaskCliRunner) -> None:
    result = cmdb(runner, "request", "approve", "999")
    assert result.exit_code == 1
    assert "request 999 does not exist" in result.output


def _demo_spec(app: Flask, request_id: int) -> dict[str, Any]:
    with app.test_client() as client:
        return client.get(f"/api/v1/requests/{request_id}").get_json()["spec"]


def test_evaluate_names_each_ineligible_cluster_and_why(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """The portal is for the Internet zone: the demo's MGMT-CL01 (internal) and PROD-CL01
    (internal, TSLCD) are not certified for it."""
    out = cmdb(runner, "request", "evaluate", write(tmp_path, "portal.yaml", portal())).output

    assert (
        "Ineligible: cluster MGMT-CL01: not certified for zone 'internet' (only: internal)" in out
    )
    assert (
        "Ineligible: cluster PROD-CL01: not certified for zone 'internet' (only: internal, tslcd)"
        in out
    )
    assert "Ineligible: cluster DMZ-CL01" not in out
    assert "Reserved by approved requests on these resources: none" in out


def test_evaluate_shows_the_reservations_it_counts(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Once the portal (request 4: 2 × 4 + 1 × 4 vCPU, 2 × 8 + 1 × 16 GB, 0.5 TB + 700 GB)
    is approved, a second portal on the same cluster sees what it holds."""
    assert cmdb(runner, "request", "approve", str(PORTAL_ID), "--accept-until").exit_code == 0

    result = cmdb(runner, "request", "evaluate", write(tmp_path, "portal.yaml", portal()))
    as_json = cmdb(
        runner, "request", "evaluate", write(tmp_path, "p.json", portal()), "--format", "json"
    )

    out = result.output
    assert "  request 4:\n    DMZ-CL01 vcpu: 12.0 vCPU from 2026-03-01" in out
    assert "    DMZ-CL01 ram: 32.0 GB from 2026-03-01" in out
    assert "    storage SAN-01: 1.0 TB from 2026-03-01" in out
    assert max(len(line) for line in out.splitlines()[1:]) <= 100
    held = json.loads(as_json.stdout)["reservations"]
    assert {(r["request"], r["resource"].split(":")[0]) for r in held} >= {
        ("4", "cluster"),
        ("4", "storage"),
    }
