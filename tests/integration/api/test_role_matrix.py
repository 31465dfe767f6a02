"""Every write endpoint × every role (and anonymous) gets exactly the intended status.

A write route added to ``web.api.routes`` without a row here fails
``test_the_matrix_covers_every_write_route``: permissions are never left implicit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import DiscrepancyKind, Role
from cmdb.db import transaction
from cmdb.models import Agency, Device
from cmdb.services.discrepancies import raise_discrepancy
from tests.integration.api.conftest import PORTAL, portal, token_for
from web.api.routes import ROUTES
from web.auth.permissions import READ_METHODS
from web.db import get_db

PORTAL_ID = 4  # the demo's portal request, of PORTAL's agency
DISCREPANCY_ID = 1  # opened by ``open_discrepancy`` on the demo, which has none


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


@dataclass(frozen=True)
class Call:
    endpoint: str
    path: str
    body: dict[str, Any] | None
    ok: int
    setup: Callable[[Flask], None] | None = None  # what the call needs that the demo lacks


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
    Call(
        "discrepancies.acknowledge",
        f"/api/v1/discrepancies/{DISCREPANCY_ID}/acknowledge",
        {"comment": "known: RMA swap"},
        200,
        open_discrepancy,
    ),
    Call(
        "facts.post_facts",
        "/api/v1/facts/",
        {"host": {"kind": "device", "id": 1}, "facts": {}},
        200,
    ),
    Call("facts.open_facts_run", "/api/v1/facts/runs/", {}, 201),
    # Past the permission check, an allowed caller learns there is no such run.
    Call("facts.finish_facts_run", "/api/v1/facts/runs/999999/finish", {}, 404),
    Call("requests.reject_request", f"/api/v1/requests/{PORTAL_ID}/reject", {"reason": "no"}, 200),
)

# Who may call what: "own" is a requester of the request's agency, "other" of another one.
CALLERS = ("anonymous", "viewer", "own", "other", "engineer", "planner", "admin")
ALLOWED: dict[str, set[str]] = {
    "requests.evaluate_document": {"own", "planner", "admin"},
    "requests.create_request": {"own", "planner", "admin"},
    "requests.evaluate_request": {"own", "planner", "admin"},
    "requests.approve_request": {"planner", "admin"},
    "discrepancies.acknowledge": {"engineer", "admin"},
    "facts.post_facts": {"engineer", "admin"},
    "facts.open_facts_run": {"engineer", "admin"},
    "facts.finish_facts_run": {"engineer", "admin"},
    "requests.reject_request": {"planner", "admin"},
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
    if call.setup is not None:
        call.setup(app)
    client = app.test_client()
    response = client.post(call.path, json=call.body, headers=headers_for(app, caller))
    assert response.status_code == expected(call, caller), response.get_data(as_text=True)
