"""``/discovery/``: runs, a run's per-target results, and starting or cancelling a job,
per role, through the Flask test client (jobs go to a Redis queue of the test's own;
no worker takes them here — the RQ and local-process tests run them)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from rq import Queue

from cmdb.choices import Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import DiscoveryResult, DiscoveryRun
from cmdb.services.users import create_user
from tests.integration.discovery.jobs_support import (
    JobApp,
    make_job_app,
    queue_name,
    redis_or_fail,
)
from web.auth.csrf import SESSION_KEY as CSRF_KEY
from web.auth.identity import SESSION_KEY
from web.db import get_db

__all__ = ["queue_name"]

CSRF = "test-csrf-token"


@pytest.fixture
def jobs(tmp_path: Path, queue_name: str) -> JobApp:
    return make_job_app(tmp_path, {"dc": "public", "default": "public"}, queue_name)


def browser(jobs: JobApp, role: Role | None) -> FlaskClient:
    """A client logged in (session cookie) as a new user of ``role``; None: anonymous."""
    client = jobs.app.test_client()
    user_id = None
    if role is not None:
        with jobs.app.app_context(), transaction(get_db().sessions) as session:
            user_id = create_user(session, f"ui-{role.value}", role).id
    with client.session_transaction() as s:
        s[CSRF_KEY] = CSRF
        if user_id is not None:
            s[SESSION_KEY] = user_id
    return client


def runs(jobs: JobApp) -> list[DiscoveryRun]:
    with jobs.app.app_context(), get_db().sessions() as session:
        return list(session.scalars(sa.select(DiscoveryRun).order_by(DiscoveryRun.id)))


START = {"csrf_token": CSRF, "kind": "snmp_discovery", "targets": "10.0.0.1\n10.0.0.2:1161 dc"}


def test_anonymous_is_sent_to_log_in(jobs: JobApp) -> None:
    response = browser(jobs, None).get("/discovery/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_viewer_sees_the_runs_but_no_start_form(jobs: JobApp) -> None:
    html = browser(jobs, Role.VIEWER).get("/discovery/").get_data(as_text=True)
    assert 'id="start-job"' not in html and "No runs yet." in html
    assert re.search(r'class="nav-link active"\s+aria-current="page"\s+href="/discovery/"', html)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PLANNER])
def test_the_server_refuses_a_start_from_other_roles(jobs: JobApp, role: Role) -> None:
    assert browser(jobs, role).post("/discovery/", data=START).status_code == 403
    assert runs(jobs) == []


def test_a_form_without_its_csrf_token_is_refused(jobs: JobApp) -> None:
    data = {k: v for k, v in START.items() if k != "csrf_token"}
    assert browser(jobs, Role.ENGINEER).post("/discovery/", data=data).status_code == 400
    assert runs(jobs) == []


def test_an_engineer_starts_a_discovery_and_lands_on_its_queued_run(jobs: JobApp) -> None:
    client = browser(jobs, Role.ENGINEER)
    response = client.post("/discovery/", data={**START, "site": "ttdl"})
    assert response.status_code == 303
    (run,) = runs(jobs)
    assert response.headers["Location"].endswith(f"/discovery/{run.id}")
    assert run.status is RunStatus.QUEUED and run.requested_by == "ui-engineer"
    assert run.parameters["targets"] == ["10.0.0.1", "10.0.0.2:1161 dc"]
    assert run.parameters["site"] == "ttdl"
    assert Queue(jobs.queue or "", connection=redis_or_fail()).get_job_ids() == [run.job_id]
    html = client.get(f"/discovery/{run.id}").get_data(as_text=True)
    assert f'data-run-api="/api/v1/discovery-runs/{run.id}"' in html
    assert 'data-run-state="queued"' in html and ">Cancel</button>" in html
    assert "js/discovery.js" in html
    listing = client.get("/discovery/").get_data(as_text=True)
    assert f'href="/discovery/{run.id}"' in listing and "SNMP discovery" in listing


def test_bad_input_shows_the_form_again_with_the_messages(jobs: JobApp) -> None:
    data = {**START, "targets": "10.0.0.1:99999", "profile": "nope"}
    response = browser(jobs, Role.ENGINEER).post("/discovery/", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "port must be 1-65535" in html and "no SNMP profile named" in html
    assert "10.0.0.1:99999" in html  # what was typed is kept
    assert runs(jobs) == []


def test_cancelling_from_the_page_ends_the_run(jobs: JobApp) -> None:
    client = browser(jobs, Role.ENGINEER)
    client.post("/discovery/", data=START)
    (run,) = runs(jobs)
    response = client.post(f"/discovery/{run.id}/cancel", data={"csrf_token": CSRF})
    assert response.status_code == 303
    (ended,) = runs(jobs)
    assert ended.status is RunStatus.FAILED and ended.error == "cancelled by ui-engineer"
    viewer = browser(jobs, Role.VIEWER)
    assert viewer.post(f"/discovery/{run.id}/cancel", data={"csrf_token": CSRF}).status_code == 403


def test_a_run_page_lists_failed_targets_first_with_their_errors(jobs: JobApp) -> None:
    start = datetime(2026, 1, 14, 2, 0, tzinfo=UTC)
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.SNMP,
            kind=RunKind.POLL,
            status=RunStatus.PARTIAL,
            started_at=start,
            finished_at=start + timedelta(seconds=75),
            stats={"targets": 2, "failed": 1, "samples": 12, "resets": []},
            error="10.0.0.9:161: no answer",
        )
        session.add(run)
        session.add(DiscoveryResult(run=run, address="10.0.0.1:161", status=RunStatus.SUCCEEDED))
        session.add(
            DiscoveryResult(
                run=run, address="10.0.0.9:161", status=RunStatus.FAILED, error="no answer"
            )
        )
        session.flush()
        run_id = run.id
    viewer = browser(jobs, Role.VIEWER)
    html = viewer.get(f"/discovery/{run_id}").get_data(as_text=True)
    assert html.index("10.0.0.9:161") < html.index("10.0.0.1:161")
    assert 'class="table-danger"' in html and "no answer" in html
    assert "1 min 15 s" in html and "samples: <strong>12</strong>" in html
    assert ">Cancel</button>" not in html and 'data-run-state="partial"' in html
    assert viewer.get("/discovery/999999").status_code == 404


def test_the_live_progress_script_is_served_by_the_app(jobs: JobApp) -> None:
    response = browser(jobs, Role.VIEWER).get("/static/js/discovery.js")
    assert response.status_code == 200 and "data-run-api" in response.get_data(as_text=True)


def test_the_pages_speak_vietnamese(jobs: JobApp) -> None:
    client = browser(jobs, Role.ENGINEER)
    html = client.get("/discovery/", headers={"Accept-Language": "vi"}).get_data(as_text=True)
    assert "Khám phá" in html and "Bắt đầu một tác vụ" in html and "Chưa có lần chạy nào." in html


def test_a_split_polls_page_lists_its_parts_and_each_part_links_back(jobs: JobApp) -> None:
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        parent = DiscoveryRun(
            source=Source.SNMP, kind=RunKind.POLL, status=RunStatus.RUNNING, job_id="p"
        )
        session.add(parent)
        session.flush()
        parts = [
            DiscoveryRun(
                source=Source.SNMP,
                kind=RunKind.POLL,
                status=status,
                job_id=f"c{i}",
                parent_id=parent.id,
                progress_done=done,
                progress_total=2,
                runner_host="worker-b" if i else None,
                runner_pid=4321 if i else None,
            )
            for i, (status, done) in enumerate([(RunStatus.QUEUED, 0), (RunStatus.RUNNING, 1)])
        ]
        session.add_all(parts)
        session.flush()
        parent_id, part_ids = parent.id, [p.id for p in parts]
    client = browser(jobs, Role.VIEWER)
    html = client.get(f"/discovery/{parent_id}").get_data(as_text=True)
    table = html[html.index('id="parts"') :]
    for part_id in part_ids:
        assert f'href="/discovery/{part_id}">#{part_id}</a>' in table
    assert "worker-b:4321" in table and ">1/2<" in table
    part_page = client.get(f"/discovery/{part_ids[0]}").get_data(as_text=True)
    assert f'href="/discovery/{parent_id}" id="parent-run"' in part_page
    assert 'id="parts"' not in part_page


def test_a_syncs_unmapped_objects_are_listed_and_only_web_addresses_are_links(
    jobs: JobApp,
) -> None:
    failures = [
        {"kind": "links", "label": "INET-01", "reason": "no end at a site",
         "url": "https://netbox.example/circuits/circuits/7/"},
        {"kind": "devices", "label": "sw-x", "reason": "no site",
         "url": "javascript:alert(1)"},
    ]  # fmt: skip
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.NETBOX,
            kind=RunKind.SYNC,
            status=RunStatus.PARTIAL,
            stats={"failures": failures},
        )
        session.add(run)
        session.flush()
        run_id = run.id
    html = browser(jobs, Role.VIEWER).get(f"/discovery/{run_id}").get_data(as_text=True)
    table = html[html.index('id="failures"') :]
    assert '<a href="https://netbox.example/circuits/circuits/7/"' in table
    assert "javascript:" not in html and "<td>sw-x</td>" in table.replace("\n", "")


def test_a_syncs_skipped_objects_and_counts_per_kind_are_on_its_page(jobs: JobApp) -> None:
    """What a sync read but deliberately did not store is listed with its reason, apart
    from the failures (the run succeeded), and counted per kind."""
    skipped = [
        {"kind": "links", "external_id": "cable:9", "label": "sw-01 con0 – esx-01 ttyS1",
         "reason": "a console cable", "url": "https://netbox.example/dcim/cables/9/"},
    ]  # fmt: skip
    kinds = {
        "devices": {"created": 3, "updated": 0, "unchanged": 0, "failed": 0, "incomplete": 0,
                    "skipped": 0},
        "links": {"created": 2, "updated": 0, "unchanged": 0, "failed": 0, "incomplete": 0,
                  "skipped": 1},
        "racks": {"created": 0, "updated": 0, "unchanged": 0, "failed": 0, "incomplete": 0,
                  "skipped": 0},
    }  # fmt: skip
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.NETBOX,
            kind=RunKind.SYNC,
            status=RunStatus.SUCCEEDED,
            stats={"failures": [], "skipped": skipped, "kinds": kinds},
        )
        session.add(run)
        session.flush()
        run_id = run.id
    html = browser(jobs, Role.VIEWER).get(f"/discovery/{run_id}").get_data(as_text=True)
    assert 'id="failures"' not in html
    table = html[html.index('id="skipped"') :]
    assert '<a href="https://netbox.example/dcim/cables/9/"' in table
    assert "sw-01 con0 – esx-01 ttyS1" in table and "a console cable" in table
    counts = html[html.index('id="kind-counts"') : html.index('id="skipped"')]
    assert 'data-count="links-skipped">1<' in counts
    assert 'data-count="devices-created">3<' in counts
    assert 'data-count="racks-' not in counts  # a kind with nothing counted is left out


def test_a_push_runs_count_of_skipped_devices_is_no_list(jobs: JobApp) -> None:
    """``--push`` ends its own run with ``skipped`` as a number: shown as a count only."""
    with jobs.app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.NETBOX,
            kind=RunKind.PUSH,
            status=RunStatus.SUCCEEDED,
            stats={"devices": 2, "interfaces": 5, "skipped": 1},
        )
        session.add(run)
        session.flush()
        run_id = run.id
    response = browser(jobs, Role.VIEWER).get(f"/discovery/{run_id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="skipped"' not in html and "skipped: <strong>1</strong>" in html
