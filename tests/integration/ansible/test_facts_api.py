"""``POST /api/v1/facts/`` and its runs: identity, errors in the API's one shape, roles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.models import ChangeLog, Device, Discrepancy, Observation, RecordSource
from tests import factories as f
from tests.integration.ansible.conftest import token
from web.db import get_db
from web.jobs.sweep import sweep_with

WRITES = (Observation, RecordSource, ChangeLog, Discrepancy)
FACTS = json.loads(
    (Path(__file__).resolve().parents[2] / "fixtures/ansible/setup-localhost.json").read_text()
)


def rows_written(app) -> list[int]:
    with app.app_context(), get_db().sessions() as session:
        return [session.scalar(sa.select(sa.func.count()).select_from(m)) for m in WRITES]


def post(client, headers, body, path="/api/v1/facts/"):
    response = client.post(path, json=body, headers=headers)
    return response.status_code, response.get_json()


@pytest.mark.parametrize(
    "host",
    [
        {"kind": "device", "id": "local"},
        {"management_address": "127.0.0.1"},
        {"name": "ANSIBLE-CTL.ttdl.example"},  # case and domain do not matter
    ],
)
def test_a_host_is_found_by_id_address_or_name(seeded, engineer, host) -> None:
    app, ids = seeded
    if host.get("id") == "local":
        host = {**host, "id": ids.local_id}
    status, body = post(app.test_client(), engineer, {"host": host, "facts": FACTS})
    assert status == 200, body
    assert (body["kind"], body["id"], body["name"]) == ("device", ids.local_id, "ansible-ctl")
    assert body["opened"] == ["host_sizing:ram_gb"] and body["run"] > 0


def test_a_run_takes_posts_until_it_is_finished(seeded, engineer) -> None:
    app, ids = seeded
    client = app.test_client()
    status, run = post(
        client, engineer, {"parameters": {"limit": "ansible-ctl"}}, "/api/v1/facts/runs/"
    )
    assert status == 201 and run["status"] == "running" and run["requested_by"] == "ansible"
    body = {"run": run["id"], "host": {"kind": "workload", "id": ids.vm_id}, "facts": FACTS}
    assert post(client, engineer, body)[0] == 200
    status, done = post(client, engineer, {"failed": []}, f"/api/v1/facts/runs/{run['id']}/finish")
    assert status == 200 and done["status"] == "succeeded" and done["stats"]["hosts"] == 1
    status, error = post(client, engineer, body)
    assert status == 409 and error["message"] == f"fact-sync run {run['id']} is succeeded"


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"facts": {}}, 400, {"host": ["Missing data for required field."]}),
        (
            {"host": {"id": 3}, "facts": {}},
            400,
            {"host.kind": ["with an id, say 'device' or 'workload'"]},
        ),
        (
            {"host": {}, "facts": {}},
            400,
            {"host": ["give kind and id, management_address or name"]},
        ),
        ({"host": {"name": "x"}, "facts": "x"}, 400, {"facts": ["Not a valid mapping type."]}),
        ({"host": {"name": "nobody"}, "facts": {}}, 404, {}),
        ({"host": {"kind": "workload", "id": 999}, "facts": {}}, 404, {}),
        ({"run": 999, "host": {"name": "hv-01"}, "facts": {}}, 404, {}),
    ],
)
def test_bad_posts_are_refused_in_the_one_error_shape(
    seeded, engineer, body, status, errors
) -> None:
    got, answer = post(seeded[0].test_client(), engineer, body)
    assert got == status, answer
    assert answer["status"] == status and answer["message"]
    assert answer["errors"] == errors


def test_only_engineers_and_admins_post_facts(seeded) -> None:
    app, _ = seeded
    viewer = {"Authorization": f"Token {token(app, Role.VIEWER, 'v')}"}
    status, body = post(app.test_client(), viewer, {"host": {"name": "hv-01"}, "facts": {}})
    assert status == 403 and body["message"] == "a viewer may not do this"


def test_a_run_whose_every_host_is_unmappable_ends_failed_with_each_reason(seeded) -> None:
    app, _ = seeded
    client, engineer = (
        app.test_client(),
        {"Authorization": f"Token {token(app, Role.ENGINEER, 'e')}"},
    )
    status, run = post(client, engineer, {}, "/api/v1/facts/runs/")
    assert status == 201
    for name in ("ghost-01", "ghost-02"):  # what the playbook posts, then lists as failed
        status, error = post(
            client, engineer, {"run": run["id"], "host": {"name": name}, "facts": FACTS}
        )
        assert status == 404 and error["message"] == f"no device or workload known as {name}"
    failed = {"failed": ["ghost-01", "ghost-02"]}
    status, done = post(client, engineer, failed, f"/api/v1/facts/runs/{run['id']}/finish")
    assert status == 200 and done["status"] == "failed"
    assert done["error"].splitlines() == [
        "failed: 0 of 2 done, 2 failed (ghost-01: no device or workload known as ghost-01)",
        "ghost-01: no device or workload known as ghost-01",
        "ghost-02: no device or workload known as ghost-02",
    ]
    assert done["stats"]["attempted"] == 2 and done["stats"]["hosts"] == 0


def test_a_post_of_its_own_for_an_unmappable_host_is_a_failed_run(seeded, engineer) -> None:
    app, _ = seeded
    status, _ = post(app.test_client(), engineer, {"host": {"name": "ghost"}, "facts": FACTS})
    assert status == 404
    runs = app.test_client().get("/api/v1/discovery-runs/?kind=facts", headers=engineer).get_json()
    latest = max(runs["results"], key=lambda r: r["id"])
    assert latest["status"] == "failed"
    assert latest["error"].endswith("ghost: no device or workload known as ghost")


def test_a_run_driven_over_the_api_is_not_swept_while_its_posts_arrive(seeded, engineer) -> None:
    """No process of Headroom's runs a fact-sync run (the playbook does, over the API), so
    the sweep every worker and command starts with has no process to find dead: it
    leaves the run to its posts and its finish."""
    app, ids = seeded
    client = app.test_client()
    status, run = post(client, engineer, {}, "/api/v1/facts/runs/")
    assert status == 201
    body = {"run": run["id"], "host": {"kind": "device", "id": ids.local_id}, "facts": FACTS}
    for _ in range(2):
        with app.app_context():
            assert sweep_with(get_db().sessions) == {}
        assert post(client, engineer, body)[0] == 200
    status, done = post(client, engineer, {"failed": []}, f"/api/v1/facts/runs/{run['id']}/finish")
    assert status == 200 and done["status"] == "succeeded" and done["stats"]["attempted"] == 2


def test_a_host_whose_serial_differs_from_the_record_at_its_address_is_not_merged(
    seeded, engineer
) -> None:
    """Posted by address and name alone (another inventory), facts with another serial
    than hv-01's are another machine: refused, and hv-01 keeps its record untouched."""
    app, ids = seeded
    client = app.test_client()
    host = {"name": "hv-01", "management_address": "10.49.0.11"}
    other = {**FACTS, "ansible_product_serial": "CZ9999"}
    before = rows_written(app)
    status, error = post(client, engineer, {"host": host, "facts": other})
    assert status == 404 and error["message"] == "no device or workload known as hv-01"
    assert rows_written(app) == before
    with app.app_context(), get_db().sessions() as session:
        hv = session.get_one(Device, ids.hv_id)
        assert (hv.serial, hv.cores, hv.ram_gb) == ("CZ2049X01", 32, 512.0)
    status, body = post(
        client, engineer, {"host": host, "facts": {**FACTS, "ansible_product_serial": "CZ2049X01"}}
    )
    assert status == 200 and (body["kind"], body["id"]) == ("device", ids.hv_id)


def test_a_host_that_fits_two_records_equally_is_refused_with_both(seeded, engineer) -> None:
    app, _ = seeded
    with app.app_context(), transaction(get_db().sessions) as session:
        twins = [f.server(session, name="db-01", cores=None) for _ in range(2)]
        ids = sorted(d.id for d in twins)
    before = rows_written(app)
    status, error = post(app.test_client(), engineer, {"host": {"name": "db-01"}, "facts": FACTS})
    assert status == 409, error
    assert error["message"] == (
        f"db-01: hostname names records {ids[0]}, {ids[1]}; nothing tells them apart"
    )
    assert rows_written(app) == before
