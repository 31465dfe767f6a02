"""The NetBox sync as a background job: started through the API, run by a real RQ worker
(``cmdb worker --burst``, its own process, real Redis) against the real NetBox peer."""

from __future__ import annotations

import socket
import zlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.choices import Role
from cmdb.models import Device, DiscoveryRun, Interface, Link, Site, Workload
from tests.integration.discovery.jobs_support import (
    follow,
    make_job_app,
    queue_name,
    redis_or_fail,
    start_worker,
)
from tests.integration.netbox.conftest import Netbox
from tests.integration.netbox.seed import EXPECTED_CREATED
from web.db import get_db

__all__ = ["queue_name"]

pytestmark = pytest.mark.slow  # the NetBox peer and a worker process


def test_a_sync_started_through_the_api_runs_on_a_worker_against_netbox(
    netbox: Netbox, tmp_path: Path, queue_name: str
) -> None:
    jobs = make_job_app(tmp_path, {}, queue_name)
    jobs.app.config["CMDB_NETBOX_TOKEN"] = netbox.token  # the token never goes through Redis
    client = jobs.client_as(Role.ENGINEER)
    body = {"kind": "netbox_sync", "parameters": {"url": netbox.url, "page_size": 2}}
    response = client.post("/api/v1/discovery-runs/", json=body)
    assert response.status_code == 202, response.get_json()
    queued = response.get_json()
    assert queued["status"] == "queued" and queued["source"] == "netbox"
    assert netbox.token not in str(queued)  # the token is a secret: never stored on the run
    _assert_no_secret_in_redis(queued["job_id"], netbox.token)

    worker = start_worker(jobs.worker_env(CMDB_NETBOX_TOKEN=netbox.token))
    seen = follow(jobs.client_as(Role.VIEWER), queued["id"], limit_s=300)
    output, _ = worker.communicate(timeout=120)
    assert worker.returncode == 0, output
    assert netbox.token not in output  # nor in what the worker logged

    midway = [s for s in seen if s["status"] == "running" and s["progress_done"] > 0]
    assert midway, f"no progress shown while the sync ran: {seen}"
    assert any(s["progress_done"] < s["progress_total"] for s in midway), midway
    final = seen[-1]
    assert final["status"] == "succeeded", final.get("error")
    created = {k: c["created"] for k, c in final["stats"]["kinds"].items()}
    assert {k: created[k] for k in EXPECTED_CREATED} == EXPECTED_CREATED
    assert final["progress_done"] == final["progress_total"]

    with jobs.app.app_context():
        session = get_db().sessions()
        count = lambda model: session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        sync_run = session.get_one(DiscoveryRun, final["id"])  # the job's run is the sync's
        assert sync_run.status == "succeeded"
        assert count(Device) == EXPECTED_CREATED["devices"]
        assert count(Interface) == EXPECTED_CREATED["interfaces"]
        assert count(Link) == EXPECTED_CREATED["links"]
        assert count(Workload) == EXPECTED_CREATED["workloads"]
        assert count(Site) == EXPECTED_CREATED["sites"] + 1  # and the app's own DC site
        names = set(session.scalars(sa.select(Device.name)))
        assert {"esx-01", "esx-02", "core-sw-01", "rt-duyxuyen"} <= names
        session.close()
        get_db().engine.dispose()


def _assert_no_secret_in_redis(job_id: str, token: str) -> None:
    """The job as RQ keeps it in Redis (its hash; ``data`` is the zlib'd pickle of the
    call): the run's id is there, the token is not — the worker resolves its own."""
    stored = redis_or_fail().hgetall(f"rq:job:{job_id}")
    assert stored, f"job {job_id} is not in Redis"
    call = zlib.decompress(stored[b"data"])
    assert b"run_job" in call  # the payload was read, not an empty shell
    secret = token.encode()
    for value in [*stored.values(), call]:
        assert secret not in value and secret.split(b".")[-1] not in value


def test_a_token_typed_for_a_queued_sync_is_refused_and_nothing_is_queued(
    tmp_path: Path, queue_name: str
) -> None:
    """Redis keeps what it carries: a token in the parameters is a 400, not a payload."""
    jobs = make_job_app(tmp_path, {}, queue_name)
    token = "nbt_typedkey12.typedsecretthatmustnotbequeued"
    body = {"kind": "netbox_sync", "parameters": {"url": "http://nb.example", "token": token}}
    response = jobs.client_as(Role.ENGINEER).post("/api/v1/discovery-runs/", json=body)
    assert response.status_code == 400
    assert "CMDB_NETBOX_TOKEN" in response.get_json()["errors"]["parameters.token"][0]
    redis = redis_or_fail()
    assert not any(token.encode() in (redis.dump(k) or b"") for k in redis.scan_iter("rq:*"))
    with jobs.app.app_context():
        with get_db().sessions() as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) == 0
        get_db().engine.dispose()


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_sync_job_where_nothing_listens_ends_its_own_run_failed(
    tmp_path: Path, queue_name: str, dry_run: bool
) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{s.getsockname()[1]}"  # released on close: nothing listens
    jobs = make_job_app(tmp_path, {}, queue_name)
    jobs.app.config["CMDB_NETBOX_TOKEN"] = "x" * 40
    body = {"kind": "netbox_sync", "parameters": {"url": url, "dry_run": dry_run}}
    queued = jobs.client_as(Role.ENGINEER).post("/api/v1/discovery-runs/", json=body).get_json()
    worker = start_worker(jobs.worker_env(CMDB_NETBOX_TOKEN="x" * 40))
    final = follow(jobs.client_as(Role.VIEWER), queued["id"], limit_s=60)[-1]
    worker.communicate(timeout=60)
    assert final["status"] == "failed"
    assert final["error"].startswith(f"failed: cannot reach NetBox at {url}")
    with jobs.app.app_context():
        with get_db().sessions() as session:
            assert session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) == 1
        get_db().engine.dispose()
