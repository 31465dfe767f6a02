"""Use cases of the capacity engine, shared by the REST API, the UI and the CLI.

Each takes a ``Session`` and never commits: the caller (request, command, test)
owns the transaction. Reading goes through ``capacity.inputs`` (the one module
that queries the database); writing goes through ``cmdb.services.requests``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session

from capacity import inputs
from capacity.evaluate import Evaluation, compute_reservations, evaluate_request
from capacity.evaluation import VERDICT_CANNOT_HOST, VERDICT_HOST_UNTIL
from capacity.expansion import Catalogue
from capacity.snapshot import Reservation
from capacity.status import ResourceStatus, compute_resource_status
from cmdb.choices import RequestStatus
from cmdb.errors import DecisionRefusedError, ValidationError
from cmdb.models import RequestEvaluation, ResourceRequest
from cmdb.schemas.request import RequestDocument, SubmittedRequest, load_request
from cmdb.services import requests as store

EVALUABLE = (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.EVALUATED)
# Asked with what a document names, before it is evaluated or stored (the action
# layer's agency check: ``capacity.request_actions``); it raises to refuse.
RefsCheck = Callable[[store.RequestRefs], None]


def evaluate_document(
    session: Session,
    document: object,
    *,
    today: date | None = None,
    catalogue: Catalogue | None = None,
    check: RefsCheck | None = None,
) -> Evaluation:
    """Validate a request document and evaluate it without storing anything.

    Raises ``cmdb.errors.ValidationError`` (per-field messages: unknown agency,
    admin unit, site, cluster; negative sizes; go-live in the past; …).
    """
    today = today or date.today()
    doc = load_request(document, today=today)
    refs = store.resolve_request_refs(session, doc)
    if check is not None:
        check(refs)
    return _evaluate(session, doc, refs, today, catalogue)


def _evaluate(
    session: Session,
    doc: RequestDocument,
    refs: store.RequestRefs,
    today: date,
    catalogue: Catalogue | None,
) -> Evaluation:
    request = inputs.build_request(doc, refs)
    inventory = inputs.load_inventory(session, today=today)
    catalogue = catalogue or inputs.load_catalogue(session)
    return evaluate_request(request, inventory, inputs.load_reservations(session), catalogue)


def submit_request(
    session: Session,
    document: object,
    *,
    today: date | None = None,
    actor: str = "api",
    check: RefsCheck | None = None,
) -> ResourceRequest:
    """Validate and store a request (status submitted). ValidationError on bad input."""
    doc = load_request(document, today=today or date.today())
    refs = store.resolve_request_refs(session, doc)
    if check is not None:
        check(refs)
    return store.save_request(session, doc, _as_json(document), refs, actor=actor)


def _as_json(document: object) -> SubmittedRequest:
    """The document as submitted, with YAML dates turned into ISO text."""
    # load_request has accepted it, so it is an object: its JSON is one too.
    as_json: SubmittedRequest = json.loads(json.dumps(document, default=str))
    return as_json


def evaluate_stored(
    session: Session, request_id: int, *, today: date | None = None
) -> RequestEvaluation:
    """Evaluate a stored request and store the evaluation (status evaluated).

    NotFoundError for an unknown id; ConflictError when its status no longer allows it.
    """
    req = store.get_request(session, request_id, for_update=True)  # not approved meanwhile
    if req.status not in EVALUABLE:
        raise _wrong_status(request_id, req.status, "evaluated")
    evaluation = _evaluate_request_row(session, req, today or date.today())
    return store.save_evaluation(session, req, evaluation.to_dict(), status=RequestStatus.EVALUATED)


def _evaluate_request_row(session: Session, req: ResourceRequest, today: date) -> Evaluation:
    # A stored request is re-validated against today's inventory, not against the
    # date it was written, so a go-live that has passed is still evaluated.
    doc = load_request(req.spec, today=min(today, req.go_live))
    refs = store.resolve_request_refs(session, doc)
    return _evaluate(session, doc, refs, today, None)


def approve_request(
    session: Session,
    request_id: int,
    *,
    today: date | None = None,
    approved_by_id: int | None = None,
    accept_until: bool = False,
    actor: str = "planner",
) -> RequestEvaluation:
    """Approve a request atomically: lock, re-evaluate against current reservations,
    store its reservations and the evaluation, status approved.

    ConflictError (HTTP 409) when it no longer fits (verdict cannot_host, or
    host_until unless ``accept_until``); NotFoundError for an unknown id.
    """
    today = today or date.today()
    store.lock_capacity(session)
    req = store.get_request(session, request_id, for_update=True)
    if req.status not in EVALUABLE:
        raise _wrong_status(request_id, req.status, "approved")
    doc = load_request(req.spec, today=min(today, req.go_live))
    refs = store.resolve_request_refs(session, doc)
    request = inputs.build_request(doc, refs)
    evaluation = evaluate_request(
        request,
        inputs.load_inventory(session, today=today),
        inputs.load_reservations(session),
        inputs.load_catalogue(session),
    )
    _refuse_unless_fits(request_id, evaluation, accept_until)
    # The status stays as it was until the approval, whose change-log entry says from what.
    stored = store.save_evaluation(session, req, evaluation.to_dict(), status=req.status)
    store.save_approval(
        session,
        req,
        [_reservation_row(r) for r in compute_reservations(request, evaluation)],
        cluster_id=_int_or_none(evaluation.placement.cluster),
        storage_pool_id=_int_or_none(evaluation.placement.storage_pool),
        approved_by_id=approved_by_id,
        actor=actor,
    )
    return stored


def reject_request(
    session: Session, request_id: int, reason: str, *, actor: str = "planner"
) -> ResourceRequest:
    """Turn a request down with a reason a project team can act on.

    ValidationError without a reason; ConflictError once it is approved, rejected
    or beyond; NotFoundError for an unknown id. Nothing is reserved, so no lock.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["say why the request is rejected"]}, "invalid rejection")
    req = store.get_request(session, request_id, for_update=True)
    if req.status not in EVALUABLE:
        raise _wrong_status(request_id, req.status, "rejected")
    store.save_rejection(session, req, reason[:2000], actor=actor)
    return req


def _refuse_unless_fits(request_id: int, evaluation: Evaluation, accept_until: bool) -> None:
    if evaluation.verdict == VERDICT_CANNOT_HOST or (
        evaluation.verdict == VERDICT_HOST_UNTIL and not accept_until
    ):
        short = evaluation.first_shortfall
        where = f" ({short.resource} from {short.date.isoformat()})" if short else ""
        hint = "" if evaluation.verdict == VERDICT_CANNOT_HOST else "; accept_until approves it"
        row = next((r for r in evaluation.rows if short and r.resource == short.resource), None)
        raise DecisionRefusedError(
            f"request {request_id} no longer fits: {evaluation.verdict}{where}{hint}",
            evaluation.verdict,
            resource=short.resource if short else "",
            kind=row.kind if row else "",
            name=row.name if row else "",
            date=short.date.isoformat() if short else "",
        )


def _wrong_status(request_id: int, status: RequestStatus, step: str) -> DecisionRefusedError:
    """The request has moved on (approved, rejected, …): ``step`` is no longer possible."""
    return DecisionRefusedError(
        f"request {request_id} is {status.value}: it cannot be {step}",
        "status",
        status=status.value,
        step=step,
    )


def _reservation_row(reservation: Reservation) -> store.ReservationRow:
    return store.ReservationRow(
        resource=reservation.resource,
        start=reservation.start,
        d0=reservation.d0,
        growth_pct_per_year=reservation.growth_pct_per_year,
    )


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value else None


def capacity_report(session: Session, *, at: date | None = None) -> list[ResourceStatus]:
    """Every cluster (vCPU, RAM), storage pool and link: capacity, used, headroom,
    time-to-exhaustion and at-risk dates, reservations included, and the current peak."""
    at = at or date.today()
    inventory = inputs.load_inventory(session, today=at)
    current = inputs.load_current_peaks(session, at=at)
    return list(compute_resource_status(inventory, inputs.load_reservations(session), at, current))
