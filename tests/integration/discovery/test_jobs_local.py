"""Jobs without Redis (the embedded default): each runs in a local process of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import pytest

from cmdb.choices import Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryRun
from tests.integration.discovery.jobs_support import (
    JobApp,
    follow,
    make_job_app,
    wait_for_progress,
)
from web.db import get_db

pytestmark = pytest.mark.slow  # real agents and job processes


@pytest.fixture
def job_app(tmp_path: Path, fleet) -> JobApp:
    return make_job_app(tmp_path, {n: p.community or n for n, p in fleet.profiles.items()}, None)


def body(targets: list[str], **limits: float) -> dict:
    parameters = {"targets": targets, "site": "ttdl", "concurrency": 1, "retries": 0}
    return {"kind": "snmp_discovery", "parameters": {**parameters, "timeout": 1, **limits}}


def test_without_redis_a_job_runs_in_a_local_process(job_app: JobApp, fleet) -> None:
    client = job_app.client_as(Role.ENGINEER)
    n5000, linux = fleet.target("n5000"), fleet.target("linux")
    targets = [f"{t.host}:{t.port} {t.profile}" for t in (n5000, linux)]
    targets.append(f"127.0.0.43:{fleet.port} arista")  # nothing answers there
    response = client.post("/api/v1/discovery-runs/", json=body(targets))
    assert response.status_code == 202, response.get_json()
    seen = follow(client, response.get_json()["id"])
    final = seen[-1]
    assert final["status"] == "partial", final["error"]
    assert final["job_id"].startswith(f"local:{socket.gethostname()}:")
    assert final["stats"]["found"] == 2 and final["stats"]["failed"] == 1
    assert final["progress_done"] == final["progress_total"] == 3
    assert [r["status"] for r in final["results"]] == ["succeeded", "succeeded", "failed"]
    assert "127.0.0.43" in final["error"]


def test_cancelling_a_local_job_terminates_its_process(job_app: JobApp, fleet) -> None:
    client = job_app.client_as(Role.ENGINEER)
    silent = [f"127.0.0.{i}:{fleet.port} arista" for i in range(50, 80)]
    run_id = client.post("/api/v1/discovery-runs/", json=body(silent)).get_json()["id"]
    running = wait_for_progress(client, run_id)
    pid = int(running["job_id"].rsplit(":", 1)[1])
    cancelled = client.post(f"/api/v1/discovery-runs/{run_id}/cancel").get_json()
    assert cancelled["status"] == "failed" and cancelled["error"] == "cancelled by test-engineer"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.1)
    assert not _alive(pid), "the job process outlived its cancellation"
    final = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
    assert final["error"] == "cancelled by test-engineer" and final["results"] == []


def test_a_local_run_whose_process_died_is_swept_by_the_next_job(job_app: JobApp, fleet) -> None:
    gone = subprocess.Popen(["true"])
    gone.wait()
    with job_app.app.app_context(), transaction(get_db().sessions) as session:
        stale = DiscoveryRun(
            source=Source.SNMP,
            kind=RunKind.DISCOVERY,
            status=RunStatus.RUNNING,
            job_id=f"local:{socket.gethostname()}:{gone.pid}",
        )
        session.add(stale)
        session.flush()
        stale_id = stale.id
    client = job_app.client_as(Role.ENGINEER)
    target = fleet.target("n5000")
    run_id = client.post(
        "/api/v1/discovery-runs/", json=body([f"{target.host}:{target.port} n5000"])
    ).get_json()["id"]
    assert follow(client, run_id)[-1]["status"] == "succeeded"
    swept = client.get(f"/api/v1/discovery-runs/{stale_id}").get_json()
    assert swept["status"] == "failed"
    assert f"pid {gone.pid}" in swept["error"] and "ended without finishing" in swept["error"]


def _alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie — ended, not yet reaped by the app — counts as not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")


def test_a_poll_job_reads_the_devices_a_discovery_job_found(tmp_path: Path, poll_agent) -> None:
    jobs = make_job_app(tmp_path, {"poll": "poll", "default": "poll"}, None)
    client = jobs.client_as(Role.ENGINEER)
    target = f"{poll_agent.target.host}:{poll_agent.target.port}"
    discovered = client.post("/api/v1/discovery-runs/", json=body([target])).get_json()
    assert follow(client, discovered["id"])[-1]["status"] == "succeeded"
    started = client.post("/api/v1/discovery-runs/", json={"kind": "poll"})
    assert started.status_code == 202, started.get_json()
    final = follow(client, started.get_json()["id"])[-1]
    assert (final["source"], final["kind"], final["status"]) == ("snmp", "poll", "succeeded")
    assert final["target"] == "every discovered device"
    assert final["progress_done"] == final["progress_total"] == 1
    assert final["progress_message"].startswith("stored ")
    (result,) = final["results"]
    assert result["address"] == target and result["device"] is not None
    assert "samples" in final["stats"]
