"""Issue 21 on the demo: the project pays what it adds, not the DC's own growth.

A 1-vCPU, 1-GB system on the TSLCD zone lands on PROD-CL01, whose RAM runs short
on 2027-02-01 by itself (baseline forecast alone) and needs more RAM to last the five
years than four 512 GB servers add (2,048 GB) but no more than two 1 TB servers and one
of 384 GB do (768 — a 1 TB host becomes the HA reserve in place of a 768 GB one — +
1,024 + 384 = 2,176 GB): with the demo's price list that mix is the cheapest
(2 × 880,000,000 + 520,000,000 = 2,280,000,000 VND; three 1 TB servers would cost
2,640,000,000, five 512 GB ones 3,250,000,000).
Before issue 21 the request was charged the DC's servers and shown "avoided
−3,240,000,000 VND"; now it is charged nothing, and the servers are the DC's own
need, reported beside it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask.testing import FlaskClient, FlaskCliRunner

from tests.integration.api.conftest import portal
from web.cli import main

OWN_NEED_VND = 2_280_000_000


def tiny(**changes: Any) -> dict[str, Any]:
    document = {
        "name": "Hệ thống nhỏ (thử)",
        "zone": "tslcd",
        "horizon_years": 5,
        "workloads": [{"name": "app", "vcpu": 1, "ram_gb": 1}],
        "storage_tb": 0,
        "dc_bandwidth": [],
        "own_hardware_cost_vnd": 10_000_000,
    }
    return portal(**(document | changes))


def assert_charged_nothing_and_own_need_reported(body: dict[str, Any]) -> None:
    assert (body["verdict"], body["until"]) == ("host_until", "2027-02-01")
    assert body["first_shortfall"] == {
        "resource": "cluster:1:ram",
        "date": "2027-02-01",
        "payer": "dc",
        "network": None,
        "without_request": True,
    }
    assert body["expansion"]["at_horizon"] == [] and body["expansion"]["horizon_cost_vnd"] == 0
    assert body["bills"]["dc"]["lines"] == [] and body["bills"]["network"]["lines"] == []
    (own,) = body["dc_own_need"]
    assert (own["resource"], own["date"], own["payer"]) == ("cluster:1", "2027-02-01", "dc")
    assert [(i["kind"], i["quantity"]) for i in own["expansion"]] == [("server", 3)]
    assert own["cost_vnd"] == OWN_NEED_VND
    cost = body["cost"]
    assert (cost["expansion_vnd"], cost["dc_own_need_vnd"]) == (0, OWN_NEED_VND)
    assert cost["avoided_vnd"] == 10_000_000  # nothing charged: the whole estimate is avoided


def test_the_api_charges_a_tiny_request_no_server(shared_client: FlaskClient) -> None:
    response = shared_client.post("/api/v1/requests/evaluate", json=tiny())
    assert response.status_code == 200, response.get_json()
    assert_charged_nothing_and_own_need_reported(response.get_json())


def test_the_cli_json_is_the_same_answer(runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny()), encoding="utf-8")
    result = runner.invoke(main, ["request", "evaluate", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert_charged_nothing_and_own_need_reported(json.loads(result.stdout))


def test_the_cli_text_names_who_must_act_and_the_own_need(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny(own_hardware_cost_vnd=None)), encoding="utf-8")
    out = runner.invoke(main, ["request", "evaluate", str(path)]).output
    assert (
        "Binding:   PROD-CL01 ram from 2027-02-01: the DC must act; short even without this request"
    ) in out
    assert "DC bill (compute, storage, DC uplinks): 0 VND — nothing to buy" in out
    # The mix's line is cut at 100 columns; its cost is in the JSON (the test above).
    assert "from 2027-02-01: PROD-CL01: 3 × servers (1 × 2U 2×24-core 384 GB RAM + 2 × 2U" in out
    assert "investment avoided: none — no own-hardware estimate given" in out
    assert "−" not in out.split("Cost (VND)")[1]  # never a negative saving
