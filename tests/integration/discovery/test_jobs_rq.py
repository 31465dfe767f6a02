"""Jobs on a real RQ worker (``cmdb worker --burst``, a separate process) with real Redis.

Started through the API, the job's progress shows in the run while the worker
works; it ends with the discovery's status and stats; a failing or cancelled
job ends failed with its reason; a run whose job vanished is swept on start.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cmdb.choices import Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryRun
from tests.databases import drop_pg_database, migrated_pg_url
from tests.integration.discovery.jobs_support import (
    JobApp,
    follow,
    make_job_app,
    queue_name,
    start_worker,
    wait_for_progress,
    worker_output,
)
from web.cli import main
from web.db import get_db

__all__ = ["queue_name"]

pytestmark = pytest.mark.slow  # real agents and a real worker process

SILENT = ["127.0.0.40", "127.0.0.41", "127.0.0.42"]  # loopback addresses no agent listens on


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def job_app(
    request: pytest.FixtureRequest, tmp_path: Path, fleet, queue_name: str
) -> Iterator[JobApp]:
    """The app and its worker share one database: a SQLite file, or a PostgreSQL database."""
    url = migrated_pg_url() if request.param == "postgresql" else None
    profiles = {n: p.community or n for n, p in fleet.profiles.items()}
    jobs = make_job_app(tmp_path, profiles, queue_name, database_url=url)
    yield jobs
    with jobs.app.app_context():
        get_db().engine.dispose()
    if url:
        drop_pg_database(url)


def discovery_body(fleet, silent: list[str], **limits: float) -> dict:
    targets = [f"{t.host}:{t.port} {t.profile}" for t in fleet.targets]
    targets += [f"{host}:{fleet.port} arista" for host in silent]
    parameters = {"targets": targets, "site": "ttdl", "concurrency": 1, "retries": 0}
    return {"kind": "snmp_discovery", "parameters": {**parameters, "timeout": 1, **limits}}


@pytest.mark.long(reason="a real RQ worker process discovers real agents, polled for progress")
def test_a_discovery_started_through_the_api_runs_on_a_worker_and_shows_progress(
    job_app: JobApp, fleet
) -> None:
    client = job_app.client_as(Role.ENGINEER)
    response = client.post("/api/v1/discovery-runs/", json=discovery_body(fleet, SILENT))
    assert response.status_code == 202, response.get_json()
    queued = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/discovery-runs/{queued['id']}")
    assert queued["status"] == "queued" and queued["job_id"]
    assert queued["requested_by"] == "test-engineer" and queued["kind"] == "discovery"

    worker = start_worker(job_app.worker_env())
    seen = follow(client, queued["id"])
    output = worker_output(worker)
    assert worker.returncode == 0, output

    total = len(fleet.targets) + len(SILENT)
    midway = [s for s in seen if s["status"] == "running" and 0 < s["progress_done"] < total]
    assert midway, (
        f"no progress seen while running: {[(s['status'], s['progress_done']) for s in seen]}"
    )
    final = seen[-1]
    assert final["status"] == "partial", final["error"]
    assert final["progress_done"] == final["progress_total"] == total
    assert final["stats"]["found"] == len(fleet.targets)
    assert final["stats"]["failed"] == len(SILENT)
    failed = {r["address"] for r in final["results"] if r["status"] == "failed"}
    assert failed == {f"{h}:{fleet.port}" for h in SILENT}
    assert all(r["error"] for r in final["results"] if r["status"] == "failed")
    assert all(r["device"] for r in final["results"] if r["status"] == "succeeded")


def test_a_failing_job_ends_failed_with_its_reason(job_app: JobApp, fleet, tmp_path) -> None:
    client = job_app.client_as(Role.ENGINEER)
    body = discovery_body(fleet, [])
    run_id = client.post("/api/v1/discovery-runs/", json=body).get_json()["id"]
    missing = tmp_path / "not-on-this-worker.yaml"
    worker = start_worker(job_app.worker_env(CMDB_SNMP_PROFILES=str(missing)))
    final = follow(client, run_id)[-1]
    worker_output(worker)
    assert final["status"] == "failed"
    assert f"cannot read the SNMP profiles file {missing}" in final["error"]
    assert final["finished_at"] is not None and final["results"] == []


def test_cancelling_a_running_job_stops_it_and_keeps_nothing(job_app: JobApp, fleet) -> None:
    client, run_id, worker = running_slow_job(job_app, fleet)
    response = client.post(f"/api/v1/discovery-runs/{run_id}/cancel")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "failed"
    assert response.get_json()["error"] == "cancelled by test-engineer"
    output = worker_output(worker)  # the horse is killed, the burst worker ends
    assert "stopped by user" in output
    final = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
    assert final["error"] == "cancelled by test-engineer" and final["results"] == []
    again = client.post(f"/api/v1/discovery-runs/{run_id}/cancel")
    assert again.status_code == 409


def test_a_worker_sweeps_runs_whose_job_is_gone(job_app: JobApp) -> None:
    with job_app.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.SNMP, kind=RunKind.POLL, status=RunStatus.RUNNING, job_id="gone-job"
        )
        session.add(run)
        session.flush()
        run_id = run.id
    output = worker_output(start_worker(job_app.worker_env()))
    assert f"run {run_id} ended failed" in output
    with job_app.app.app_context(), get_db().sessions() as session:
        swept = session.get(DiscoveryRun, run_id)
        assert swept is not None and swept.status is RunStatus.FAILED
        assert "no longer in Redis" in (swept.error or "")


def test_a_killed_work_horse_leaves_its_run_failed_with_the_reason(job_app: JobApp, fleet) -> None:
    client, run_id, worker = running_slow_job(job_app, fleet)
    os.kill(work_horse_of(worker.pid), signal.SIGKILL)  # as the OOM killer would
    output = worker_output(worker)
    final = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
    assert final["status"] == "failed", output
    assert final["error"].startswith("the worker process ended unexpectedly"), final["error"]
    assert final["results"] == []


@pytest.mark.parametrize("next_start", ["cmdb jobs", "cmdb worker"])
def test_a_killed_workers_run_is_failed_when_the_next_worker_or_command_starts(
    job_app: JobApp, fleet, next_start: str
) -> None:
    client, run_id, worker = running_slow_job(job_app, fleet)
    horse = work_horse_of(worker.pid)
    with job_app.app.app_context(), get_db().sessions() as session:
        running = session.get_one(DiscoveryRun, run_id)
        assert (running.runner_host, running.runner_pid) == (socket.gethostname(), horse)
    os.kill(worker.pid, signal.SIGKILL)  # the machine's worker dies with its horse:
    os.kill(horse, signal.SIGKILL)  # nothing is left to say the run is over
    worker.communicate(timeout=10)
    waitpid_gone(horse)
    assert client.get(f"/api/v1/discovery-runs/{run_id}").get_json()["status"] == "running"

    if next_start == "cmdb jobs":
        listing = job_app.app.test_cli_runner().invoke(main, ["jobs", "list"])
        assert listing.exit_code == 0, listing.output
        assert f"run {run_id} ended failed" in listing.output
    else:
        output = worker_output(start_worker(job_app.worker_env()))
        assert f"run {run_id} ended failed" in output
    final = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
    assert final["status"] == "failed"
    host = socket.gethostname()
    assert final["error"] == (
        f"its process (pid {horse} on {host}) ended without finishing the run"
    )


def running_slow_job(job_app: JobApp, fleet) -> tuple[Any, int, subprocess.Popen[str]]:
    """An engineer's client, a discovery run on a worker, once it has a first answer.

    30 silent targets one at a time: the job would run 30 s, so it is surely still
    running when the test acts after its first answer; the test does not wait for them."""
    client = job_app.client_as(Role.ENGINEER)
    slow = [f"127.0.0.{i}" for i in range(50, 80)]
    run_id = client.post("/api/v1/discovery-runs/", json=discovery_body(fleet, slow)).get_json()[
        "id"
    ]
    worker = start_worker(job_app.worker_env())
    wait_for_progress(client, run_id)
    return client, run_id, worker


def waitpid_gone(pid: int, limit_s: float = 10.0) -> None:
    """Until ``pid`` (killed, reparented to init, which reaps it) is no longer a process."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} is still there {limit_s:g} s after SIGKILL")


def work_horse_of(worker_pid: int, limit_s: float = 10.0) -> int:
    """The forked child of an RQ worker process that runs the current job."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        found = subprocess.run(
            ["pgrep", "-P", str(worker_pid)], capture_output=True, text=True, check=False
        ).stdout.split()
        if found:
            return int(found[0])
        time.sleep(0.1)
    raise AssertionError(f"worker {worker_pid} has no work horse")
