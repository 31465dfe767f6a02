"""A pending request revised, withdrawn or rejected: the steps besides submit and approve.

A request is pending while nothing is reserved for it (draft, submitted,
evaluated). While pending its team may revise it — the stored document takes
the fields sent and is validated whole again, and an evaluation made before no
longer holds, so it goes back to submitted — or withdraw it (it is deleted, with
its evaluations). A planner may reject it. Once approved, its capacity is
reserved: changing it is a planner's decision, not an edit (409).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, RequestStatus
from cmdb.errors import ConflictError, ValidationError
from cmdb.models import ResourceRequest
from cmdb.schemas.request import load_request
from cmdb.services.provenance import log_change
from cmdb.services.requests import get_request, resolve_request_refs

PENDING = (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.EVALUATED)
# The columns a request document sets; the rest of it lives in ``spec``.
DOCUMENT_COLUMNS = (
    "name",
    "security_level",
    "zone",
    "go_live",
    "horizon_years",
    "growth_pct_per_year",
    "own_hardware_cost_vnd",
)


def _pending(session: Session, request_id: int, what: str) -> ResourceRequest:
    req = get_request(session, request_id, for_update=True)
    if req.status not in PENDING:
        raise ConflictError(f"request {request_id} is {req.status.value}: it cannot be {what}")
    return req


def revise_request(
    session: Session, request_id: int, changes: Any, *, today: date | None, actor: str
) -> ResourceRequest:
    """Apply the top-level fields of ``changes`` to a pending request's document;
    ``today`` None is the real today (``CMDB_TODAY`` not pinned)."""
    today = today or date.today()
    if not isinstance(changes, Mapping):
        raise ValidationError({"_schema": ["send an object with the fields to change"]})
    req = _pending(session, request_id, "changed")
    document = json.loads(json.dumps({**req.spec, **changes}, default=str))
    # A go-live already passed stays valid unless the revision moves it.
    doc = load_request(document, today=today if "go_live" in changes else min(today, req.go_live))
    refs = resolve_request_refs(session, doc)
    before = {name: getattr(req, name) for name in (*DOCUMENT_COLUMNS, "agency_id", "status")}
    after = {name: doc.get(name) for name in DOCUMENT_COLUMNS}
    after |= {"agency_id": refs.agency.id, "status": RequestStatus.SUBMITTED}
    changed = {k: v for k, v in after.items() if before[k] != v}
    old_spec = dict(req.spec)
    # The document's other parts (workloads, sites, agency as named): logged as spec.<key>.
    spec_keys = [
        k
        for k in dict.fromkeys([*old_spec, *document])
        if k not in DOCUMENT_COLUMNS and old_spec.get(k) != document.get(k)
    ]
    for name, value in changed.items():
        setattr(req, name, value)
    req.spec = document
    session.flush()
    log_change(
        session,
        actor=actor,
        action=ChangeAction.UPDATE,
        obj=req,
        object_repr=req.name,
        before={**{k: before[k] for k in changed}, **_spec(old_spec, spec_keys)},
        after={**changed, **_spec(document, spec_keys)},
    )
    return req


def _spec(document: Mapping[str, Any], keys: list[str]) -> dict[str, Any]:
    return {f"spec.{k}": document.get(k) for k in keys}


def withdraw_request(session: Session, request_id: int, *, actor: str) -> None:
    """Delete a pending request and its evaluations; the change log keeps what it was."""
    req = _pending(session, request_id, "withdrawn")
    log_change(
        session,
        actor=actor,
        action=ChangeAction.DELETE,
        obj=req,
        object_repr=req.name,
        before={"name": req.name, "agency_id": req.agency_id, "status": req.status},
        after=None,
    )
    session.delete(req)  # its evaluations go with it (nothing is reserved while pending)
    session.flush()
