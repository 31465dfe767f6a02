"""Starting jobs through the API: validation per field, nothing half-written, the queued
run as the API shows it, cancelling a queued job, and Redis being down (503).

No worker runs here (the RQ and local-process tests do that): jobs wait in a
queue of the test's own on the real Redis, whose keys are deleted afterwards.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rq import Queue

from cmdb.choices import Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryRun
from tests.integration.api.test_errors import assert_error
from tests.integration.discovery.jobs_support import (
    JobApp,
    make_job_app,
    queue_name,
    redis_or_fail,
)
from web.db import get_db

__all__ = ["queue_name"]

URL = "/api/v1/discovery-runs/"


@pytest.fixture
def jobs(tmp_path: Path, queue_name: str) -> JobApp:
    return make_job_app(tmp_path, {"dc": "public", "default": "public"}, queue_name)


def discovery(**parameters: Any) -> dict[str, Any]:
    return {"kind": "snmp_discovery", "parameters": {"targets": ["10.0.0.1"], **parameters}}


def netbox_sync(url: str) -> dict[str, Any]:
    """A sync whose URL carries a secret (issue 18): refused, never stored on a run."""
    return {"kind": "netbox_sync", "parameters": {"url": url, "token": "x" * 40}}


def run_count(jobs: JobApp) -> int:
    with jobs.app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(DiscoveryRun)) or 0


@pytest.mark.parametrize(
    ("body", "field", "text"),
    [
        ({"kind": "ping"}, "kind", "Must be one of: snmp_discovery, poll, netbox_sync"),
        ({"parameters": {}}, "kind", "Missing data"),
        (discovery(targets=["10.0.0.1:99999"]), "parameters.targets[0]", "port must be 1-65535"),
        (discovery(ranges=["10.0.0.0/8"]), "parameters.ranges[0]", "the limit is 4096"),
        (discovery(ranges=["10.0.0.0/33"]), "parameters.ranges[0]", "not a CIDR range"),
        (discovery(targets=[]), "parameters.targets", "give targets, ranges or inventory"),
        (discovery(site="nowhere"), "parameters.site", "no site with slug 'nowhere'"),
        (discovery(profile="nope"), "parameters.profile", "no SNMP profile named 'nope'"),
        (discovery(targets=["10.0.0.1 nope"]), "parameters.profile", "named 'nope'"),
        (discovery(concurrency=0), "parameters.concurrency", "greater than or equal to 1"),
        (discovery(community="public"), "parameters.community", "Unknown field"),
        (discovery(link_network="ether"), "parameters.link_network", "Must be one of"),
        ({"kind": "poll"}, "parameters.targets", "no device to poll"),
        ({"kind": "poll", "parameters": {"targets": ["h:0"]}}, "parameters.targets[0]", "port"),
        ({"kind": "netbox_sync"}, "parameters.url", "give NetBox's URL"),
        ({"kind": "netbox_sync"}, "parameters.token", "give an API token"),
        (netbox_sync("http://admin:secret@127.0.0.1:8000"), "parameters.url", "user or password"),
        (netbox_sync("http://admin@127.0.0.1:8000"), "parameters.url", "user or password"),
        (netbox_sync("http://127.0.0.1:8000/?token=abc"), "parameters.url", "query"),
    ],
)
def test_bad_parameters_are_a_400_per_field_and_store_nothing(
    jobs: JobApp, body: dict[str, Any], field: str, text: str
) -> None:
    response = jobs.client_as(Role.ENGINEER).post(URL, json=body)
    errors = assert_error(response, 400)["errors"]
    assert field in errors, errors
    assert any(text in m for m in errors[field]), errors[field]
    assert run_count(jobs) == 0
    assert "secret" not in response.get_data(as_text=True)  # nor echoed back


def test_a_token_is_never_put_on_the_redis_queue(jobs: JobApp) -> None:
    """Redis keeps a job's arguments: a typed token is refused there (the local backend
    hands it to its process's stdin), and the server's own token is used instead."""
    body = {"kind": "netbox_sync", "parameters": {"url": "http://127.0.0.1:9", "token": "t0ken"}}
    refused = jobs.client_as(Role.ENGINEER).post(URL, json=body)
    assert "CMDB_NETBOX_TOKEN" in assert_error(refused, 400)["errors"]["parameters.token"][0]
    assert run_count(jobs) == 0
    jobs.app.config["CMDB_NETBOX_TOKEN"] = "t0ken"
    del body["parameters"]["token"]
    queued = jobs.client_as(Role.ENGINEER).post(URL, json=body)
    assert queued.status_code == 202
    queue = Queue(jobs.queue or "", connection=redis_or_fail())
    job = queue.fetch_job(queued.get_json()["job_id"])
    assert job is not None and "t0ken" not in repr(job.args) + repr(job.kwargs)


def test_a_server_without_profiles_file_says_so(jobs: JobApp) -> None:
    jobs.app.config["CMDB_SNMP_PROFILES"] = None
    errors = assert_error(jobs.client_as(Role.ENGINEER).post(URL, json=discovery()), 400)["errors"]
    assert "CMDB_SNMP_PROFILES" in errors["parameters.profile"][0]


def test_a_started_job_is_a_queued_run_with_its_parameters(jobs: JobApp) -> None:
    response = jobs.client_as(Role.ENGINEER).post(URL, json=discovery(profile="dc"))
    assert response.status_code == 202
    run = response.get_json()
    assert response.headers["Location"] == run["url"]
    assert run["status"] == "queued" and run["source"] == "snmp" and run["kind"] == "discovery"
    assert run["progress_done"] == 0 and run["progress_total"] is None
    assert run["results"] == [] and run["requested_by"] == "test-engineer"
    assert run["parameters"]["targets"] == ["10.0.0.1"] and run["parameters"]["timeout"] == 1.0
    queue = Queue(jobs.queue or "", connection=redis_or_fail())
    assert queue.get_job_ids() == [run["job_id"]]
    assert jobs.client_as(Role.VIEWER).get(run["url"]).get_json() == run


def test_cancelling_a_queued_job_takes_it_out_of_the_queue(jobs: JobApp) -> None:
    client = jobs.client_as(Role.ENGINEER)
    run = client.post(URL, json=discovery()).get_json()
    cancelled = client.post(f"{URL}{run['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.get_json()["status"] == "failed"
    assert cancelled.get_json()["error"] == "cancelled by test-engineer"
    assert Queue(jobs.queue or "", connection=redis_or_fail()).get_job_ids() == []
    assert_error(client.post(f"{URL}{run['id']}/cancel"), 409)
    assert_error(client.post(f"{URL}999999/cancel"), 404)


def test_redis_down_is_a_503_and_the_run_ends_failed_with_why(jobs: JobApp) -> None:
    jobs.app.config["CMDB_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    body = assert_error(jobs.client_as(Role.ENGINEER).post(URL, json=discovery()), 503)
    assert "cannot queue the job on Redis (redis://127.0.0.1:1/0)" in body["message"]
    with jobs.app.app_context(), get_db().sessions() as session:
        run = session.scalars(sa.select(DiscoveryRun)).one()
        assert run.status.value == "failed" and "cannot queue" in (run.error or "")


def test_a_run_of_a_terminal_command_cannot_be_cancelled(jobs: JobApp) -> None:
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(source=Source.SNMP, kind=RunKind.POLL, status=RunStatus.RUNNING)
        session.add(run)
        session.flush()
        run_id = run.id
    body = assert_error(jobs.client_as(Role.ENGINEER).post(f"{URL}{run_id}/cancel"), 409)
    assert "not a background job" in body["message"]
