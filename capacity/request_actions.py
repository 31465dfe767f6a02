"""The request lifecycle as actions: file, evaluate, revise, withdraw, approve (reserve),
reject — the one path of the API, the UI and the CLI.

Each action opens its unit of work with its permission (``cmdb.actions.unit``), so the
caller's role is checked before anything is read, and then applies the visibility rule
(a requester acts only on their own agency's requests, and files only for it). The
work itself is ``capacity.actions`` (evaluation, reservations) and
``cmdb.services.request_lifecycle``; every change-log row names the caller, and the
unit commits once. ``today`` None is the real today (``CMDB_TODAY`` not pinned). They
live beside the capacity engine, not in ``cmdb.actions``,
because approving evaluates: cmdb imports no capacity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from capacity import actions
from capacity.evaluate import Evaluation
from cmdb.actions.caller import Caller
from cmdb.actions.policy import OTHER_AGENCY, Permission
from cmdb.actions.unit import UnitOfWork
from cmdb.errors import ForbiddenError
from cmdb.models import RequestEvaluation, ResourceRequest
from cmdb.services import request_lifecycle
from cmdb.services.requests import RequestRefs, get_request


@dataclass(frozen=True)
class Filed:
    """A stored request, with its first evaluation when it was asked for."""

    request: ResourceRequest
    evaluation: RequestEvaluation | None


def evaluate_document(uow: UnitOfWork, document: object, *, today: date | None) -> Evaluation:
    """The verdict on a document, storing nothing (a requester: for their own agency)."""
    with uow.begin(Permission.FILE_REQUEST) as session:
        check = _for_own_agency(uow.caller)
        return actions.evaluate_document(session, document, today=today, check=check)


def file_request(
    uow: UnitOfWork, document: object, *, today: date | None, evaluate: bool = False
) -> Filed:
    """Store a request (submitted) and, with ``evaluate``, its first evaluation."""
    with uow.begin(Permission.FILE_REQUEST) as session:
        req = actions.submit_request(
            session,
            document,
            today=today,
            actor=uow.caller.actor,
            check=_for_own_agency(uow.caller),
        )
        stored = actions.evaluate_stored(session, req.id, today=today) if evaluate else None
    return Filed(req, stored)


def evaluate_request(uow: UnitOfWork, request_id: int, *, today: date | None) -> RequestEvaluation:
    """Evaluate a stored request against today's inventory and keep the answer."""
    with uow.begin(Permission.FILE_REQUEST) as session:
        _visible(session, uow.caller, request_id)
        return actions.evaluate_stored(session, request_id, today=today)


def revise_request(
    uow: UnitOfWork, request_id: int, changes: object, *, today: date | None
) -> ResourceRequest:
    """Change a pending request's document; it may not move to another agency."""
    with uow.begin(Permission.FILE_REQUEST) as session:
        _visible(session, uow.caller, request_id)
        req = request_lifecycle.revise_request(
            session, request_id, changes, today=today, actor=uow.caller.actor
        )
        if not uow.caller.may_act_for_agency(req.agency_id):
            raise ForbiddenError(OTHER_AGENCY)
    return req


def withdraw_request(uow: UnitOfWork, request_id: int) -> None:
    """Delete a pending request with its evaluations."""
    with uow.begin(Permission.FILE_REQUEST) as session:
        _visible(session, uow.caller, request_id)
        request_lifecycle.withdraw_request(session, request_id, actor=uow.caller.actor)


def approve_request(
    uow: UnitOfWork, request_id: int, *, today: date | None, accept_until: bool = False
) -> RequestEvaluation:
    """Re-evaluate and reserve the request's capacity, atomically (ConflictError: it no
    longer fits); the approval names the caller as its approver."""
    with uow.begin(Permission.DECIDE_REQUEST) as session:
        _visible(session, uow.caller, request_id)
        return actions.approve_request(
            session,
            request_id,
            today=today,
            accept_until=accept_until,
            approved_by_id=uow.caller.user_id,
            actor=uow.caller.actor,
        )


def reject_request(uow: UnitOfWork, request_id: int, reason: str) -> ResourceRequest:
    """Turn a pending request down with a reason (kept in the change log)."""
    with uow.begin(Permission.DECIDE_REQUEST) as session:
        _visible(session, uow.caller, request_id)
        return actions.reject_request(session, request_id, reason, actor=uow.caller.actor)


def _visible(session: Session, caller: Caller, request_id: int) -> ResourceRequest:
    """The request (NotFoundError), if the caller may see it (ForbiddenError otherwise)."""
    req = get_request(session, request_id)
    if not caller.sees(req):
        raise ForbiddenError(OTHER_AGENCY)
    return req


def _for_own_agency(caller: Caller) -> actions.RefsCheck:
    def check(refs: RequestRefs) -> None:
        if not caller.may_act_for_agency(refs.agency.id):
            raise ForbiddenError(OTHER_AGENCY)

    return check
