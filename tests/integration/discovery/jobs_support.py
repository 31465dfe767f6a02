"""Helpers of the background-job tests: an app with jobs configured, a real RQ worker
process, and following a run through the API until it ends.

Redis is the real server on 127.0.0.1:6379; each test takes its own queue name
(RQ's keys carry it), so parallel runs never take each other's jobs, and its
keys are deleted afterwards.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue
from rq.exceptions import NoSuchJobError
from rq.job import Job
from sqlalchemy.orm import Session

from cmdb.choices import Role, RunKind, SiteKind, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryRun
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from discovery.core.lifecycle import queue_run
from tests import factories
from tests.databases import migrated_sqlite_url
from web import create_app
from web.db import get_db

REDIS_URL = os.environ.get("CMDB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
UNFINISHED = {"queued", "running"}


def redis_or_fail() -> Redis:
    connection = Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        connection.ping()
    except RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: start it (see .ci/run): {exc}")
    return connection


@pytest.fixture
def queue_name() -> Iterator[str]:
    """A queue of the test's own; its keys (queue, registries, jobs) are deleted after."""
    with own_queue() as name:
        yield name


@contextlib.contextmanager
def own_queue() -> Iterator[str]:
    """A new queue name; its keys (queue, registries, jobs) are deleted when the block ends."""
    connection = redis_or_fail()
    name = f"headroom-test-{uuid.uuid4().hex[:10]}"
    yield name
    queue = Queue(name, connection=connection)
    registries = (queue.started_job_registry, queue.finished_job_registry)
    registries += (queue.failed_job_registry, queue.canceled_job_registry)
    job_ids = {*queue.get_job_ids(), *(j for r in registries for j in r.get_job_ids())}
    for job_id in job_ids:
        with contextlib.suppress(NoSuchJobError):
            Job.fetch(job_id, connection=connection).delete()
    for key in connection.scan_iter(f"rq:*{name}*"):
        connection.delete(key)
    connection.close()


def queue_discovery_run(session: Session, job_id: str) -> DiscoveryRun:
    """A discovery job's run, queued (no worker needed to look at it)."""
    return queue_run(
        session,
        source=Source.SNMP,
        kind=RunKind.DISCOVERY,
        target="t",
        parameters={},
        requested_by="me",
        job_id=job_id,
    )


def write_profiles(path: Path, profiles: dict[str, str]) -> Path:
    """A profiles file: name → community."""
    lines = ["profiles:"] + [f"  {n}: {{version: 2c, community: {c}}}" for n, c in profiles.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@dataclass
class JobApp:
    app: Flask
    database_url: str
    profiles: Path
    queue: str | None
    tokens: dict[str, str] = field(default_factory=dict)

    def client_as(self, role: Role) -> Any:
        client = self.app.test_client()
        if role.value not in self.tokens:
            with self.app.app_context(), transaction(get_db().sessions) as session:
                user = create_user(session, f"test-{role.value}", role)
                self.tokens[role.value] = create_token(session, user)[1]
        client.environ_base["HTTP_AUTHORIZATION"] = f"Token {self.tokens[role.value]}"
        return client

    def worker_env(self, **overrides: str) -> dict[str, str]:
        env = {
            **os.environ,
            "CMDB_DATABASE_URL": self.database_url,
            "CMDB_REDIS_URL": REDIS_URL,
            "CMDB_JOB_QUEUE": self.queue or "",
            "CMDB_SNMP_PROFILES": str(self.profiles),
        }
        env.update(overrides)
        return env


def make_job_app(
    tmp_path: Path, profiles: dict[str, str], queue: str | None, database_url: str | None = None
) -> JobApp:
    """An app on a migrated database with a DC site (slug ``ttdl``); RQ when ``queue``."""
    url = database_url or migrated_sqlite_url(tmp_path / "jobs.db")
    profiles_file = write_profiles(tmp_path / "profiles.yaml", profiles)
    config: dict[str, Any] = {
        "TESTING": True,
        "CMDB_DATABASE_URL": url,
        "SECRET_KEY": "test",
        "CMDB_SNMP_PROFILES": str(profiles_file),
        "CMDB_REDIS_URL": REDIS_URL if queue else None,
        "CMDB_JOB_QUEUE": queue or "headroom",
        "CMDB_DEFAULT_LANGUAGE": "en",  # pages asserted in English; Vietnamese is asked for
    }
    app = create_app(config)
    with app.app_context(), transaction(get_db().sessions) as session:
        factories.site(session, kind=SiteKind.DATA_CENTRE, slug="ttdl", name="TTDL")
    return JobApp(app, url, profiles_file, queue)


def start_worker(env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """``cmdb worker --burst`` in its own process: a real RQ worker forking work horses."""
    return subprocess.Popen(
        [sys.executable, "-c", "from web.cli import main; main()", "worker", "--burst", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def worker_output(worker: subprocess.Popen[str], limit_s: float = 60.0) -> str:
    """What the worker printed once it has ended; one that outlives ``limit_s`` is killed
    and fails the test with all it printed (a hung worker must not outlive its test)."""
    try:
        return worker.communicate(timeout=limit_s)[0]
    except subprocess.TimeoutExpired:
        worker.kill()
        output = worker.communicate()[0]
        raise AssertionError(f"the worker did not end within {limit_s:g} s:\n{output}") from None


def follow(client: Any, run_id: int, limit_s: float = 120.0) -> list[dict[str, Any]]:
    """Every distinct state of the run the API showed, polled every 0.1 s, until it ends."""
    seen: list[dict[str, Any]] = []
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
        state = {k: run[k] for k in ("status", "progress_done", "progress_total")}
        if not seen or {k: seen[-1][k] for k in state} != state:
            seen.append(run)
        if run["status"] not in UNFINISHED:
            return seen
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not end within {limit_s:g} s; last: {seen[-1]}")


def wait_for_progress(client: Any, run_id: int, limit_s: float = 60.0) -> dict[str, Any]:
    """The run once it is running with at least one target done."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/discovery-runs/{run_id}").get_json()
        if run["status"] == "running" and run["progress_done"] >= 1:
            return run
        assert run["status"] in UNFINISHED, run
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} made no progress within {limit_s:g} s")
