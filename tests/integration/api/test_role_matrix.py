"""Every write endpoint × every role (and anonymous) gets exactly the intended status.

The calls are enumerated from the route table (``web.api.routes.ROUTES``): the
generated inventory writes each get a call built from the demo, the hand-written
ones a row in ``HAND_WRITTEN``. A write route with neither fails
``test_every_write_route_has_a_call``: permissions are never left implicit.

The intended policy, stated here and not read from the route table: engineers
edit inventory; planners keep the agencies; requesters create and evaluate requests
of their own agency; planners also approve; admins do everything; viewers nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import DiscrepancyKind, Role, RunKind, RunStatus, Source
from cmdb.db import transaction
from cmdb.models import Agency, ChangeLog, Device, DiscoveryRun, User
from cmdb.services.discrepancies import raise_discrepancy
from tests.demo_databases import DEMO_TODAY
from tests.integration.api.conftest import PORTAL, portal, token_for
from tests.integration.api.writes import first_row, new_body
from tests.integration.discovery.jobs_support import REDIS_URL, own_queue, write_profiles
from tests.integration.request_policy import REQUEST_WRITES
from web import create_app
from web.api.resource import Resource
from web.api.routes import ROUTES, Route
from web.auth.permissions import READ_METHODS
from web.db import get_db

PORTAL_ID = 4  # the demo's portal request, of PORTAL's agency
QUEUED_RUN_ID = 14  # the demo has 13 runs: the one ``add_queued_run`` adds is the 14th
DISCOVERY = {"kind": "snmp_discovery", "parameters": {"targets": ["127.0.0.1:9 matrix"]}}
DISCREPANCY_ID = 9  # opened by ``open_discrepancy`` after the demo's 8


def add_queued_run(app: Flask) -> None:
    with app.app_context(), transaction(get_db().sessions) as session:
        run = DiscoveryRun(
            source=Source.SNMP, kind=RunKind.POLL, status=RunStatus.QUEUED, job_id="matrix-job"
        )
        session.add(run)
        session.flush()
        assert run.id == QUEUED_RUN_ID


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
# Agencies (who owns what, which requests name) are the planners' to keep.
# So are the expansion catalogue's prices.
EDITORS = {
    "admin-units": frozenset({"planner", "admin"}),
    "agencies": frozenset({"planner", "admin"}),
    "catalogue": frozenset({"planner", "admin"}),
}


@dataclass(frozen=True)
class Call:
    """A write as a test sends it: where, with what body, and who may."""

    method: str
    path: str
    body: Any
    ok: int
    allowed: frozenset[str]


HAND_WRITTEN: dict[str, Call] = {
    "network_settings.set_network_setting": Call(
        "PUT",
        "/api/v1/network-settings/networks/wan",
        {"redundancy": "load_sharing", "uplink_site_kinds": ["pop"]},
        200,
        frozenset({"planner", "admin"}),
    ),
    "requests.evaluate_document": Call(
        "POST", "/api/v1/requests/evaluate", portal(), 200, REQUEST_WRITES["file"]
    ),
    "requests.create_request": Call(
        "POST", "/api/v1/requests/", portal(), 201, REQUEST_WRITES["file"]
    ),
    "requests.evaluate_request": Call(
        "POST",
        f"/api/v1/requests/{PORTAL_ID}/evaluate",
        None,
        201,
        REQUEST_WRITES["evaluate"],
    ),
    "requests.update_request": Call(
        "PATCH",
        f"/api/v1/requests/{PORTAL_ID}",
        {"growth_pct_per_year": 12.5},
        200,
        REQUEST_WRITES["revise"],
    ),
    "requests.delete_request": Call(
        "DELETE", f"/api/v1/requests/{PORTAL_ID}", None, 204, REQUEST_WRITES["withdraw"]
    ),
    "requests.reject_request": Call(
        "POST",
        f"/api/v1/requests/{PORTAL_ID}/reject",
        {"reason": "no budget"},
        200,
        REQUEST_WRITES["reject"],
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
    ),
    "facts.post_facts": Call(
        "POST",
        "/api/v1/facts/",
        {"host": {"kind": "device", "id": 1}, "facts": {}},
        200,
        frozenset(INVENTORY_EDITORS),
    ),
    "facts.post_facts_batch": Call(
        "POST",
        "/api/v1/facts/batch",
        {"hosts": [{"host": {"kind": "device", "id": 1}, "facts": {}}]},
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
        REQUEST_WRITES["approve"],
    ),
}

WRITES = [r for r in ROUTES if r.method not in READ_METHODS]
GENERATED = [r for r in WRITES if r.resource is not None]


def generated_call(app: Flask, route: Route, admin: dict[str, str]) -> Call:
    """The call of a generated write, on records of the app's database.

    DELETE removes a record created for it (nothing refers to a new record).
    """
    resource = route.resource
    assert resource is not None
    base = f"/api/v1/{resource.path}/"
    editors = EDITORS.get(resource.path, frozenset(INVENTORY_EDITORS))
    if route.method == "POST":
        return Call("POST", base, new_body(app, resource), 201, editors)
    if route.method == "PATCH":
        with app.app_context(), get_db().sessions() as session:
            object_id = first_row(session, resource).id
        return Call("PATCH", f"{base}{object_id}", {}, 200, editors)
    assert route.method == "DELETE", route
    return Call("DELETE", f"{base}{created(app, resource, admin)}", None, 204, editors)


def created(app: Flask, resource: Resource, admin: dict[str, str]) -> int:
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
    """A user of the caller's kind in the app's database, and the header of a token of theirs."""
    if caller == "anonymous":
        return {}
    if caller in {"own", "other"}:
        agency = PORTAL["agency"] if caller == "own" else other_agency(app)
        key = token_for(app, Role.REQUESTER, f"matrix-{caller}", agency=agency)
    else:
        key = token_for(app, Role(caller), f"matrix-{caller}")
    return {"Authorization": f"Token {key}"}


@dataclass(frozen=True)
class Matrix:
    """The demo as every call of the module finds it: a queued run to cancel, a discrepancy
    to acknowledge and one user per caller, prepared once and copied for each write."""

    template: Path
    config: dict[str, Any]
    headers: dict[str, dict[str, str]]

    @contextmanager
    def app(self, directory: Path) -> Iterator[Flask]:
        """An app on a copy of the template of its own."""
        path = directory / "matrix.db"
        shutil.copyfile(self.template, path)
        app = create_app({**self.config, "CMDB_DATABASE_URL": f"sqlite:///{path}"})
        yield app
        with app.app_context():
            get_db().engine.dispose()
        path.unlink()  # 39 MB a copy: gone before the kernel writes it back to the disk


@pytest.fixture(scope="module")
def matrix(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Matrix]:
    """Jobs go to a queue of the module's own (no worker takes them), with an SNMP profile
    for the discovery; the template is the demo with what the calls need added."""
    directory = tmp_path_factory.mktemp("matrix")
    with own_queue() as queue:
        profiles = write_profiles(directory / "profiles.yaml", {"matrix": "public"})
        config = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_REDIS_URL": REDIS_URL,
            "CMDB_JOB_QUEUE": queue,
            "CMDB_SNMP_PROFILES": str(profiles),
        }
        template = directory / "template.db"
        shutil.copyfile(demo_db_file, template)
        app = create_app({**config, "CMDB_DATABASE_URL": f"sqlite:///{template}"})
        add_queued_run(app)
        open_discrepancy(app)
        headers = {caller: headers_for(app, caller) for caller in CALLERS}
        with app.app_context():
            get_db().engine.dispose()
        yield Matrix(template, config, headers)
    template.unlink()


@pytest.fixture(scope="module")
def shared_app(matrix: Matrix, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One copy for the calls that may write only records they create, and for the refused
    ones (a refusal writes nothing; if one did, its own test fails on the status)."""
    with matrix.app(tmp_path_factory.mktemp("matrix-shared")) as app:
        yield app


def test_every_write_route_has_a_call() -> None:
    hand = {r.endpoint for r in WRITES if r.resource is None}
    assert hand == set(HAND_WRITTEN), "give each hand-written write route a row in HAND_WRITTEN"
    assert GENERATED, "no inventory resource declares a write schema"


def _send(app: Flask, call: Call, headers: dict[str, str]) -> Any:
    client = app.test_client()
    send: Callable[..., Any] = getattr(client, call.method.lower())
    return send(call.path, json=call.body, headers=headers)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(HAND_WRITTEN))
def test_hand_written_writes(
    matrix: Matrix, shared_app: Flask, tmp_path: Path, endpoint: str, caller: str
) -> None:
    call = HAND_WRITTEN[endpoint]
    want = expected(call, caller)
    if want != call.ok:
        response = _send(shared_app, call, matrix.headers[caller])
    else:  # an allowed call changes what the others rely on (request 4, the queued run)
        with matrix.app(tmp_path) as app:
            response = _send(app, call, matrix.headers[caller])
            logged_by = _logged_by(app, response.headers.get("X-Request-ID"))
        if endpoint in LOGGED_REQUEST_WRITES:
            assert logged_by == {f"matrix-{caller}"}, logged_by  # the user, never unnamed
    assert response.status_code == want, response.get_data(as_text=True)


# The request writes that leave change-log rows (evaluating a document stores nothing;
# evaluating a stored request keeps an evaluation, not a change).
LOGGED_REQUEST_WRITES = {
    "requests.create_request",
    "requests.update_request",
    "requests.delete_request",
    "requests.approve_request",
    "requests.reject_request",
}


def _logged_by(app: Flask, correlation_id: str | None) -> set[str | None]:
    """The usernames of the change-log rows one call wrote (None: a row without a user)."""
    with app.app_context(), get_db().sessions() as session:
        rows = session.execute(
            sa.select(User.username)
            .select_from(ChangeLog)
            .outerjoin(User, User.id == ChangeLog.user_id)
            .where(ChangeLog.correlation_id == correlation_id)
        )
        return {row.username for row in rows}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", GENERATED, ids=[f"{r.endpoint}-{r.method}" for r in GENERATED])
def test_inventory_writes(matrix: Matrix, shared_app: Flask, route: Route, caller: str) -> None:
    call = generated_call(shared_app, route, matrix.headers["admin"])
    response = _send(shared_app, call, matrix.headers[caller])
    assert response.status_code == expected(call, caller), response.get_data(as_text=True)
