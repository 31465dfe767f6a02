"""Every write endpoint × every role (and anonymous) gets exactly the intended status.

The calls are enumerated from the route table (``web.api.routes.ROUTES``): the
generated inventory writes each get a call built from the demo, the hand-written
ones a row in ``HAND_WRITTEN``. A write route with neither fails
``test_every_write_route_has_a_call``: permissions are never left implicit.

The intended policy, stated here and not read from the route table: engineers
edit inventory; requesters create and evaluate requests of their own agency;
planners also approve; admins do everything; viewers nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import DiscrepancyKind, Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import Agency, Device, DiscoveryRun
from cmdb.services.discrepancies import raise_discrepancy
from tests.integration.api.conftest import PORTAL, portal, token_for
from tests.integration.api.writes import demo_copy_app, first_row, new_body
from tests.integration.discovery.jobs_support import REDIS_URL, queue_name, write_profiles
from web.api.resource import Resource
from web.api.routes import ROUTES, Route
from web.auth.permissions import READ_METHODS
from web.db import get_db

__all__ = ["queue_name"]

PORTAL_ID = 4  # the demo's portal request, of PORTAL's agency
QUEUED_RUN_ID = 1  # the demo has no run: the one ``app`` adds is the first
DISCOVERY = {"kind": "snmp_discovery", "parameters": {"targets": ["127.0.0.1:9 matrix"]}}
DISCREPANCY_ID = 1  # opened by ``open_discrepancy`` on the demo, which has none


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


def open_discrepancy(app: Flask) -> None:
    with app.app_context(), transaction(get_db().sessions) as session:
        device = session.scalars(sa.select(Device).order_by(Device.id).limit(1)).one()
        row, _ = raise_discrepancy(
            session,
            kind=DiscrepancyKind.MISMATCH,
            object_type="device",
            object_id=device.id,
            field="serial",
            values={"netbox": "A", "snmp": "B"},
        )
        session.flush()
        assert row.id == DISCREPANCY_ID


# Who may call what: "own" is a requester of the request's agency, "other" of another one.
CALLERS = ("anonymous", "viewer", "own", "other", "engineer", "planner", "admin")
INVENTORY_EDITORS = {"engineer", "admin"}


@dataclass(frozen=True)
class Call:
    """A write as a test sends it: where, with what body, and who may."""

    method: str
    path: str
    body: Any
    ok: int
    allowed: frozenset[str]
    setup: Callable[[Flask], None] | None = None  # what the call needs that the demo lacks


HAND_WRITTEN: dict[str, Call] = {
    "requests.evaluate_document": Call(
        "POST", "/api/v1/requests/evaluate", portal(), 200, frozenset({"own", "planner", "admin"})
    ),
    "requests.create_request": Call(
        "POST", "/api/v1/requests/", portal(), 201, frozenset({"own", "planner", "admin"})
    ),
    "requests.evaluate_request": Call(
        "POST",
        f"/api/v1/requests/{PORTAL_ID}/evaluate",
        None,
        201,
        frozenset({"own", "planner", "admin"}),
    ),
    "requests.update_request": Call(
        "PATCH",
        f"/api/v1/requests/{PORTAL_ID}",
        {"growth_pct_per_year": 12.5},
        200,
        frozenset({"own", "planner", "admin"}),
    ),
    "requests.delete_request": Call(
        "DELETE", f"/api/v1/requests/{PORTAL_ID}", None, 204, frozenset({"own", "planner", "admin"})
    ),
    "requests.reject_request": Call(
        "POST",
        f"/api/v1/requests/{PORTAL_ID}/reject",
        {"reason": "no budget"},
        200,
        frozenset({"planner", "admin"}),
    ),
    "samples.ingest": Call(
        "POST",
        "/api/v1/samples/",
        [{"series": 1, "at": "2026-01-15T08:00:00+07:00", "value": 1.0}],
        200,
        frozenset(INVENTORY_EDITORS),  # a collector has an engineer's token of its own
    ),
    "discrepancies.acknowledge": Call(
        "POST",
        f"/api/v1/discrepancies/{DISCREPANCY_ID}/acknowledge",
        {"comment": "known: RMA swap"},
        200,
        frozenset(INVENTORY_EDITORS),
        open_discrepancy,
    ),
    "facts.post_facts": Call(
        "POST",
        "/api/v1/facts/",
        {"host": {"kind": "device", "id": 1}, "facts": {}},
        200,
        frozenset(INVENTORY_EDITORS),
    ),
    "facts.open_facts_run": Call(
        "POST", "/api/v1/facts/runs/", {}, 201, frozenset(INVENTORY_EDITORS)
    ),
    # Past the permission check, an allowed caller learns there is no such run.
    "facts.finish_facts_run": Call(
        "POST", "/api/v1/facts/runs/999999/finish", {}, 404, frozenset(INVENTORY_EDITORS)
    ),
    "discovery_runs.start_run": Call(
        "POST", "/api/v1/discovery-runs/", DISCOVERY, 202, frozenset(INVENTORY_EDITORS)
    ),
    "discovery_runs.cancel_run": Call(
        "POST",
        f"/api/v1/discovery-runs/{QUEUED_RUN_ID}/cancel",
        None,
        200,
        frozenset(INVENTORY_EDITORS),
    ),
    "requests.approve_request": Call(
        "POST",
        f"/api/v1/requests/{PORTAL_ID}/approve",
        {"accept_until": True},
        200,
        frozenset({"planner", "admin"}),
    ),
}

WRITES = [r for r in ROUTES if r.method not in READ_METHODS]
GENERATED = [r for r in WRITES if r.resource is not None]


def generated_call(app: Flask, route: Route) -> Call:
    """The call of a generated write, on records of the app's database.

    DELETE removes a record created for it (nothing refers to a new record).
    """
    resource = route.resource
    assert resource is not None
    base = f"/api/v1/{resource.path}/"
    if route.method == "POST":
        return Call("POST", base, new_body(app, resource), 201, frozenset(INVENTORY_EDITORS))
    if route.method == "PATCH":
        with app.app_context(), get_db().sessions() as session:
            object_id = first_row(session, resource).id
        return Call("PATCH", f"{base}{object_id}", {}, 200, frozenset(INVENTORY_EDITORS))
    assert route.method == "DELETE", route
    return Call(
        "DELETE", f"{base}{created(app, resource)}", None, 204, frozenset(INVENTORY_EDITORS)
    )


def created(app: Flask, resource: Resource) -> int:
    admin = {
        "Authorization": f"Token {token_for(app, Role.ADMIN, f'admin-{uuid.uuid4().hex[:8]}')}"
    }
    response = app.test_client().post(
        f"/api/v1/{resource.path}/", json=new_body(app, resource), headers=admin
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return int(response.get_json()["id"])


def expected(call: Call, caller: str) -> int:
    if caller == "anonymous":
        return 401
    return call.ok if caller in call.allowed else 403


def other_agency(app: Flask) -> str:
    with app.app_context(), get_db().sessions() as session:
        names = session.scalars(sa.select(Agency.short_name).where(Agency.short_name.isnot(None)))
        return next(n for n in names if n.casefold() != PORTAL["agency"].casefold())


def headers_for(app: Flask, caller: str) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    username = f"{caller}-{uuid.uuid4().hex[:8]}"  # apps may be shared: a new user each call
    if caller in {"own", "other"}:
        agency = PORTAL["agency"] if caller == "own" else other_agency(app)
        key = token_for(app, Role.REQUESTER, username, agency=agency)
    else:
        key = token_for(app, Role(caller), username)
    return {"Authorization": f"Token {key}"}


@pytest.fixture(scope="module")
def inventory_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    with demo_copy_app(demo_db_file, tmp_path_factory.mktemp("matrix")) as app:
        yield app


def test_every_write_route_has_a_call() -> None:
    hand = {r.endpoint for r in WRITES if r.resource is None}
    assert hand == set(HAND_WRITTEN), "give each hand-written write route a row in HAND_WRITTEN"
    assert GENERATED, "no inventory resource declares a write schema"


def _send(app: Flask, call: Call, caller: str) -> Any:
    client = app.test_client()
    send: Callable[..., Any] = getattr(client, call.method.lower())
    return send(call.path, json=call.body, headers=headers_for(app, caller))


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(HAND_WRITTEN))
def test_hand_written_writes(app: Flask, endpoint: str, caller: str) -> None:
    call = HAND_WRITTEN[endpoint]
    if call.setup is not None:
        call.setup(app)
    response = _send(app, call, caller)
    assert response.status_code == expected(call, caller), response.get_data(as_text=True)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", GENERATED, ids=[f"{r.endpoint}-{r.method}" for r in GENERATED])
def test_inventory_writes(inventory_app: Flask, route: Route, caller: str) -> None:
    call = generated_call(inventory_app, route)
    response = _send(inventory_app, call, caller)
    assert response.status_code == expected(call, caller), response.get_data(as_text=True)
