"""Every write endpoint × every role (and anonymous) gets exactly the intended status.

A write route added to ``web.api.routes`` without a row here fails
``test_the_matrix_covers_every_write_route``: permissions are never left implicit.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import Agency, DiscoveryRun
from tests.integration.api.conftest import PORTAL, portal, token_for
from tests.integration.discovery.jobs_support import REDIS_URL, queue_name, write_profiles
from web.api.routes import ROUTES
from web.auth.permissions import READ_METHODS
from web.db import get_db

__all__ = ["queue_name"]

PORTAL_ID = 4  # the demo's portal request, of PORTAL's agency
QUEUED_RUN_ID = 1  # the demo has no run: the one ``app`` adds is the first
DISCOVERY = {"kind": "snmp_discovery", "parameters": {"targets": ["127.0.0.1:9 matrix"]}}


@pytest.fixture
def app(app: Flask, tmp_path: Path, queue_name: str) -> Flask:
    """The demo app with jobs going to a queue of the test's own (no worker takes them),
    an SNMP profile for the discovery, and a queued run to cancel."""
    profiles = write_profiles(tmp_path / "profiles.yaml", {"matrix": "public"})
    app.config.update(
        CMDB_REDIS_URL=REDIS_URL, CMDB_JOB_QUEUE=queue_name, CMDB_SNMP_PROFILES=str(profiles)
    )
    with app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.SNMP, kind=RunKind.POLL, status=RunStatus.QUEUED, job_id="matrix-job"
        )
        session.add(run)
        session.flush()
        assert run.id == QUEUED_RUN_ID
    return app


@dataclass(frozen=True)
class Call:
    endpoint: str
    path: str
    body: dict[str, Any] | None
    ok: int


CALLS = (
    Call("requests.evaluate_document", "/api/v1/requests/evaluate", portal(), 200),
    Call("requests.create_request", "/api/v1/requests/", portal(), 201),
    Call("requests.evaluate_request", f"/api/v1/requests/{PORTAL_ID}/evaluate", None, 201),
    Call(
        "requests.approve_request",
        f"/api/v1/requests/{PORTAL_ID}/approve",
        {"accept_until": True},
        200,
    ),
    Call("discovery_runs.start_run", "/api/v1/discovery-runs/", DISCOVERY, 202),
    Call("discovery_runs.cancel_run", f"/api/v1/discovery-runs/{QUEUED_RUN_ID}/cancel", None, 200),
)

# Who may call what: "own" is a requester of the request's agency, "other" of another one.
CALLERS = ("anonymous", "viewer", "own", "other", "engineer", "planner", "admin")
ALLOWED: dict[str, set[str]] = {
    "requests.evaluate_document": {"own", "planner", "admin"},
    "requests.create_request": {"own", "planner", "admin"},
    "requests.evaluate_request": {"own", "planner", "admin"},
    "requests.approve_request": {"planner", "admin"},
    "discovery_runs.start_run": {"engineer", "admin"},
    "discovery_runs.cancel_run": {"engineer", "admin"},
}


def expected(call: Call, caller: str) -> int:
    if caller == "anonymous":
        return 401
    return call.ok if caller in ALLOWED[call.endpoint] else 403


def other_agency(app: Flask) -> str:
    with app.app_context(), get_db().sessions() as session:
        names = session.scalars(sa.select(Agency.short_name).where(Agency.short_name.isnot(None)))
        return next(n for n in names if n.casefold() != PORTAL["agency"].casefold())


def headers_for(app: Flask, caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    if caller in {"own", "other"}:
        agency = PORTAL["agency"] if caller == "own" else other_agency(app)
        key = token_for(app, Role.REQUESTER, f"requester-{caller}", agency=agency)
    else:
        key = token_for(app, Role(caller))
    return {"Authorization": f"Token {key}"}


def test_the_matrix_covers_every_write_route() -> None:
    writes = {r.endpoint for r in ROUTES if r.method not in READ_METHODS}
    assert writes == {c.endpoint for c in CALLS} == set(ALLOWED)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("call", CALLS, ids=[c.endpoint for c in CALLS])
def test_role_matrix(app: Flask, call: Call, caller: str) -> None:
    client = app.test_client()
    response = client.post(call.path, json=call.body, headers=headers_for(app, caller))
    assert response.status_code == expected(call, caller), response.get_data(as_text=True)
