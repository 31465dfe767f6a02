"""A poll split across two real RQ workers (``cmdb worker`` processes) and real agents.

The fleet's six devices are discovered, then polled in chunks of two (the server's
``CMDB_POLL_CHUNK_SIZE``): the poll's
run queues three chunk runs under it, two workers started beforehand both take
chunks (each worker's log names the runs it ran), and the parent ends with the last
chunk, its progress and stats the sum of theirs.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from rq import Queue, Worker

from cmdb.choices import Role
from tests.integration.discovery.jobs_support import (
    REDIS_URL,
    JobApp,
    follow,
    make_job_app,
    queue_name,
    start_worker,
    worker_output,
)
from web.cli import main
from web.db import get_db

__all__ = ["queue_name"]

pytestmark = pytest.mark.slow  # real agents and two real worker processes


@pytest.fixture
def job_app(tmp_path: Path, fleet, queue_name: str) -> Iterator[JobApp]:
    # every profile of the fleet, and a default one: the poll asks every device with it
    profiles = {n: p.community or n for n, p in fleet.profiles.items()}
    jobs = make_job_app(tmp_path, {**profiles, "default": "linux"}, queue_name)
    jobs.app.config["CMDB_POLL_CHUNK_SIZE"] = 2  # the server's setting: chunks of two devices
    yield jobs
    with jobs.app.app_context():
        get_db().engine.dispose()


def serving_worker(env: dict[str, str], name: str) -> subprocess.Popen[str]:
    """``cmdb worker`` (not burst): it waits for jobs until it is told to stop."""
    return subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "worker", "--name", name],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_listening(queue: str, names: set[str], limit_s: float = 60.0) -> None:
    connection = Redis.from_url(REDIS_URL)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        workers = Worker.all(queue=Queue(queue, connection=connection))
        if {w.name for w in workers if w.get_state() == "idle"} >= names:
            return
        time.sleep(0.1)
    raise AssertionError(f"workers {sorted(names)} did not start listening within {limit_s} s")


@pytest.mark.long(reason="discovers six real agents, then two worker processes poll them")
def test_a_split_poll_is_shared_by_two_workers_under_one_run(job_app: JobApp, fleet) -> None:
    client = job_app.client_as(Role.ENGINEER)
    targets = [f"{t.host}:{t.port} {t.profile}" for t in fleet.targets]
    discovery = {"targets": targets, "site": "ttdl", "retries": 0, "timeout": 2}
    found = client.post(
        "/api/v1/discovery-runs/", json={"kind": "snmp_discovery", "parameters": discovery}
    )
    worker_output(start_worker(job_app.worker_env()))
    assert follow(client, found.get_json()["id"])[-1]["stats"]["found"] == 6

    names = {f"{job_app.queue}-a", f"{job_app.queue}-b"}
    workers = [serving_worker(job_app.worker_env(), name) for name in sorted(names)]
    try:
        wait_until_listening(job_app.queue or "", names)
        poll = {"kind": "poll", "parameters": {"retries": 0, "timeout": 2}}
        started = client.post("/api/v1/discovery-runs/", json=poll)
        assert started.status_code == 202, started.get_json()
        final = follow(client, started.get_json()["id"])[-1]
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)  # warm shut-down: the current job ends first
    outputs = [worker_output(w) for w in workers]

    parent_id = final["id"]
    shown = job_app.app.test_cli_runner().invoke(main, ["jobs", "show", str(parent_id)])
    assert shown.exit_code == 0, shown.output
    parts = json.loads(shown.output)["parts"]
    listed = client.get(f"/api/v1/discovery-runs/?parent_id={parent_id}").get_json()
    chunk_ids = [p["id"] for p in parts]
    assert sorted(r["id"] for r in listed["results"]) == chunk_ids
    assert len(chunk_ids) == 3 and all(p["total"] == 2 for p in parts)
    assert final["progress_done"] == final["progress_total"] == 6
    assert final["stats"]["chunks"] == 3 and final["stats"]["attempted"] == 6
    took = [
        {c for c in chunk_ids if f"discovery run {c})" in out or f"discovery run {c} " in out}
        for out in outputs
    ]
    assert all(took), f"each worker should have run a chunk: {took}\n" + "\n".join(outputs)
    assert took[0] | took[1] == set(chunk_ids)
    statuses = {p["status"] for p in parts}
    expected = (
        "succeeded"
        if statuses == {"succeeded"}
        else ("failed" if statuses == {"failed"} else "partial")
    )
    assert final["status"] == expected
    linux = fleet.target("linux")
    chunk_results = [
        r
        for c in chunk_ids
        for r in client.get(f"/api/v1/discovery-runs/{c}").get_json()["results"]
    ]
    assert len(chunk_results) == 6
    assert {r["address"]: r["status"] for r in chunk_results}[
        f"{linux.host}:{linux.port}"
    ] == "succeeded"
