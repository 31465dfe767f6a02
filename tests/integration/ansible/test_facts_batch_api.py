"""``POST /api/v1/facts/batch``: many hosts in one request, a result per host."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from cmdb.models import DiscoveryRun, Observation
from tests.integration.ansible.test_facts_api import FACTS, post, rows_written
from web.db import get_db

BATCH = "/api/v1/facts/batch"


def observed_hosts(app) -> set[tuple[str, int]]:
    with app.app_context(), get_db().sessions() as session:
        rows = session.execute(
            sa.select(Observation.object_type, Observation.object_id).where(
                Observation.object_type.in_(("device", "workload"))
            )
        )
        return {(kind, record) for kind, record in rows}


def test_a_batch_records_each_host_and_refuses_only_the_unknown_one(seeded, engineer) -> None:
    app, ids = seeded
    client = app.test_client()
    status, run = post(client, engineer, {}, "/api/v1/facts/runs/")
    assert status == 201
    hosts = [
        {"host": {"kind": "device", "id": ids.local_id, "name": "ansible-ctl"}, "facts": FACTS},
        {"host": {"name": "ghost-01"}, "facts": FACTS},
        {"host": {"kind": "workload", "id": ids.vm_id, "name": "vm-portal"}, "facts": FACTS},
    ]
    status, body = post(client, engineer, {"run": run["id"], "hosts": hosts}, BATCH)
    assert status == 200, body
    assert (body["run"], body["succeeded"], body["failed"]) == (run["id"], 2, 1)
    assert [(r["host"], r["ok"], r["error"]) for r in body["results"]] == [
        ("ansible-ctl", True, None),
        ("ghost-01", False, "no device or workload known as ghost-01"),
        ("vm-portal", True, None),
    ]
    assert body["results"][0]["result"]["opened"] == ["host_sizing:ram_gb"]
    assert body["results"][1]["result"] is None
    assert observed_hosts(app) == {("device", ids.local_id), ("workload", ids.vm_id)}

    finish = {  # ghost-01 keeps Headroom's reason; vm-lost's batch never arrived
        "failed": ["ghost-01", "vm-lost", "vm-dark"],
        "reasons": {"ghost-01": "ignored", "vm-lost": "cannot reach Headroom at x: timed out"},
    }
    status, done = post(client, engineer, finish, f"/api/v1/facts/runs/{run['id']}/finish")
    assert status == 200 and done["status"] == "partial"
    assert done["stats"]["attempted"] == 5 and done["stats"]["hosts"] == 2
    assert done["error"].splitlines() == [
        "partial: 2 of 5 done, 3 failed (ghost-01: no device or workload known as ghost-01)",
        "ghost-01: no device or workload known as ghost-01",
        "vm-lost: cannot reach Headroom at x: timed out",
        "vm-dark: no facts",
    ]


def test_a_batch_without_a_run_is_a_run_of_its_own_and_reposting_changes_nothing(
    seeded, engineer
) -> None:
    app, ids = seeded
    client = app.test_client()
    batch = {"hosts": [{"host": {"kind": "device", "id": ids.local_id}, "facts": FACTS}]}
    first = post(client, engineer, batch, BATCH)
    written = rows_written(app)
    second = post(client, engineer, batch, BATCH)
    assert first[0] == second[0] == 200
    assert first[1]["results"][0]["result"]["changed"] is True
    assert second[1]["results"][0]["result"]["changed"] is False
    assert rows_written(app) == written
    with app.app_context(), get_db().sessions() as session:
        runs = session.scalars(sa.select(DiscoveryRun).order_by(DiscoveryRun.id)).all()
        assert [r.id for r in runs] == [first[1]["run"], second[1]["run"]]
        assert {r.status.value for r in runs} == {"succeeded"}


@pytest.mark.parametrize(
    ("body", "status", "errors"),
    [
        ({"hosts": []}, 400, {"hosts": ["Length must be between 1 and 200."]}),
        (
            {"hosts": [{"host": {"name": "hv-01"}, "facts": FACTS}, {"facts": FACTS}]},
            400,
            {"hosts[1].host": ["Missing data for required field."]},
        ),
        ({"run": 999, "hosts": [{"host": {"name": "hv-01"}, "facts": FACTS}]}, 404, {}),
    ],
)
def test_a_bad_batch_is_refused_whole_and_writes_nothing(
    seeded, engineer, body, status, errors
) -> None:
    app, _ = seeded
    before = rows_written(app)
    got, answer = post(app.test_client(), engineer, body, BATCH)
    assert got == status, answer
    assert answer["errors"] == errors and answer["message"]
    assert rows_written(app) == before
