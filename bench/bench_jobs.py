"""Time what a background job costs beyond its own work: queue → running → ended.

Usage::

    .venv/bin/python bench/bench_jobs.py            # local processes, then RQ (Redis on 127.0.0.1)
    .venv/bin/python bench/bench_jobs.py --jobs 10

Each job is an SNMP discovery of one loopback address where no agent listens
(timeout 0.2 s, no retry): the job's own work is that 0.2 s plus a plan, so the
rest is the backend's overhead. Prints, per backend, the median and worst time
from the API's 202 to the run being ``running`` (a local process starting, or
an RQ work horse forking from a warm worker) and to the run having ended.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from redis import Redis
from rq import Queue
from rq.job import Job

from cmdb import schema
from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from web import create_app
from web.db import get_db

REDIS_URL = "redis://127.0.0.1:6379/0"
BODY = {
    "kind": "snmp_discovery",
    "parameters": {"targets": ["127.0.0.99:9"], "timeout": 0.2, "retries": 0, "profile": "b"},
}


def app_for(directory: Path, queue: str | None) -> Any:
    url = f"sqlite:///{directory / 'bench.db'}"
    schema.upgrade(url)
    profiles = directory / "profiles.yaml"
    profiles.write_text("profiles:\n  b: {version: 2c, community: public}\n", encoding="utf-8")
    app = create_app(
        {
            "CMDB_DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "CMDB_SNMP_PROFILES": str(profiles),
            "CMDB_REDIS_URL": REDIS_URL if queue else None,
            "CMDB_JOB_QUEUE": queue or "headroom",
        }
    )
    with app.app_context(), transaction(get_db().sessions) as session:
        key = create_token(session, create_user(session, "bench", Role.ENGINEER))[1]
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {key}"
    return app, client, url, profiles


def time_job(client: Any) -> tuple[float, float]:
    started = time.perf_counter()
    run_id = client.post("/api/v1/discovery-runs/", json=BODY).get_json()["id"]
    running = None
    while time.perf_counter() - started < 120:
        run = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
        if running is None and run["status"] != "queued":
            running = time.perf_counter() - started
        if run["status"] not in ("queued", "running"):
            return running or 0.0, time.perf_counter() - started
        time.sleep(0.02)
    raise RuntimeError(f"run {run_id} did not end")


def report(name: str, figures: list[tuple[float, float]]) -> None:
    to_running = [f[0] for f in figures]
    to_end = [f[1] for f in figures]
    print(
        f"{name}: to running median {statistics.median(to_running):.2f} s "
        f"(max {max(to_running):.2f}), to ended median {statistics.median(to_end):.2f} s "
        f"(max {max(to_end):.2f}), {len(figures)} jobs"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        _, client, _, _ = app_for(Path(tmp), None)
        report("local process", [time_job(client) for _ in range(args.jobs)])
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    with tempfile.TemporaryDirectory() as tmp:
        _, client, url, profiles = app_for(Path(tmp), queue)
        env = {
            **os.environ,
            "CMDB_DATABASE_URL": url,
            "CMDB_REDIS_URL": REDIS_URL,
            "CMDB_JOB_QUEUE": queue,
            "CMDB_SNMP_PROFILES": str(profiles),
        }
        worker = subprocess.Popen(
            [sys.executable, "-c", "from web.cli import main; main()", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            time_job(client)  # the worker's own start-up is not the jobs' cost
            report("RQ (warm worker)", [time_job(client) for _ in range(args.jobs)])
        finally:
            worker.terminate()
            worker.wait(timeout=30)
            connection = Redis.from_url(REDIS_URL)
            for job_id in Queue(queue, connection=connection).finished_job_registry.get_job_ids():
                Job.fetch(job_id, connection=connection).delete()
            for key in connection.scan_iter(f"rq:*{queue}*"):
                connection.delete(key)


if __name__ == "__main__":
    main()
