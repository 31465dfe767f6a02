"""``/api/v1/requests/``: evaluate a request document, store requests, evaluate, revise,
withdraw, approve and reject them.

Views are thin: read the input, call the request's action (``capacity.request_actions``:
permission, visibility, one unit of work), present the result. Validation and rules
live in the actions.
"""

from __future__ import annotations

from typing import Any

from capacity import request_actions as actions
from capacity.evaluation import EvaluationDocument
from cmdb.schemas.request import RequestSchema
from cmdb.services.listing import load_page
from cmdb.services.request_list import load_latest_evaluations
from cmdb.services.requests import get_request as load_request
from web.api.blueprint import ApiBlueprint
from web.api.body import json_document
from web.api.pagination import page
from web.api.presenters import present_evaluation, present_request, present_requests
from web.api.resource_args import list_query
from web.api.resource_views import readable_only
from web.api.schemas.evaluation import EvaluationSchema, StoredEvaluationSchema
from web.api.schemas.requests import (
    REQUEST_LIST,
    ApproveArgsSchema,
    RejectArgsSchema,
    RequestPageSchema,
    RequestResourceSchema,
)
from web.auth.caller import api_unit
from web.auth.permissions import require_visible
from web.db import get_session
from web.today import configured_today

blp = ApiBlueprint(
    "requests",
    __name__,
    url_prefix="/api/v1/requests",
    description="Resource requests of project teams: can the DC host them, and approval.",
)

REQUEST_DOCUMENT = "The request document (the same as the YAML file of `cmdb request evaluate`)"


@blp.document_body(RequestSchema, REQUEST_DOCUMENT)
@blp.response(200, EvaluationSchema)
@blp.errors(400)
def evaluate_document() -> EvaluationDocument:
    """Evaluate a request document, storing nothing.

    The answer says whether the DC can host it over its horizon, where, until
    when, and the smallest expansion otherwise.
    """
    evaluation = actions.evaluate_document(api_unit(), json_document(), today=configured_today())
    return evaluation.to_dict()


@blp.arguments(REQUEST_LIST.args_schema, location="query")
@blp.response(200, RequestPageSchema)
@blp.errors(400)
def list_requests(args: dict[str, Any]) -> dict[str, Any]:
    """List requests, oldest first, with their latest verdict.

    The filters, `q=` and `ordering=` of every inventory list (`status`, `agency_id`,
    `go_live__gte` …); an unknown parameter is a 400.
    """
    query = readable_only(REQUEST_LIST, list_query(REQUEST_LIST, args))  # a requester's: theirs
    session = get_session()
    total, rows = load_page(session, REQUEST_LIST.model, query)
    results = present_requests(session, rows)
    if args["brief"]:
        results = [{k: r[k] for k in REQUEST_LIST.brief} for r in results]
    return page(results, total, args["limit"], args["offset"])


@blp.document_body(RequestSchema, REQUEST_DOCUMENT)
@blp.response(201, RequestResourceSchema)
@blp.errors(400)
def create_request() -> dict[str, Any]:
    """Store a request (status submitted); evaluate it with `POST …/<id>/evaluate`."""
    filed = actions.file_request(api_unit(), json_document(), today=configured_today())
    return present_request(filed.request, None)


@blp.response(200, RequestResourceSchema)
@blp.errors(403, 404)
def get_request(request_id: int) -> dict[str, Any]:
    """One request, with its latest verdict (403 for a requester of another agency)."""
    session = get_session()
    req = load_request(session, request_id)
    require_visible(req)
    return present_request(req, load_latest_evaluations(session, [req.id]).get(req.id))


@blp.response(201, StoredEvaluationSchema)
@blp.errors(404, 409)
def evaluate_request(request_id: int) -> dict[str, Any]:
    """Evaluate a stored request against today's inventory and keep the answer."""
    evaluation = actions.evaluate_request(api_unit(), request_id, today=configured_today())
    return present_evaluation(evaluation)


@blp.arguments(ApproveArgsSchema, required=False)
@blp.response(200, StoredEvaluationSchema)
@blp.errors(400, 404, 409)
def approve_request(args: dict[str, Any], request_id: int) -> dict[str, Any]:
    """Approve a request: re-evaluate it and reserve its capacity, atomically.

    409 when it no longer fits: capacity another approval took meanwhile, or a
    host_until verdict without `accept_until`.
    """
    evaluation = actions.approve_request(
        api_unit(), request_id, today=configured_today(), accept_until=args["accept_until"]
    )
    return present_evaluation(evaluation)


@blp.document_body(
    RequestSchema,
    "The top-level fields of the request document to change; the others are kept "
    "(none is required)",
)
@blp.response(200, RequestResourceSchema)
@blp.errors(400, 404, 409)
def update_request(request_id: int) -> dict[str, Any]:
    """Revise a pending request (draft, submitted, evaluated); it goes back to submitted.

    The document with the changes is validated whole again. 409 once approved,
    rejected or deployed.
    """
    req = actions.revise_request(api_unit(), request_id, json_document(), today=configured_today())
    return present_request(req, None)


@blp.response(204)
@blp.errors(404, 409)
def delete_request(request_id: int) -> None:
    """Withdraw a pending request: it is deleted with its evaluations (409 once approved)."""
    actions.withdraw_request(api_unit(), request_id)


@blp.arguments(RejectArgsSchema)
@blp.response(200, RequestResourceSchema)
@blp.errors(400, 404, 409)
def reject_request(args: dict[str, Any], request_id: int) -> dict[str, Any]:
    """Reject a request with a reason (kept in the change log); nothing is reserved.

    409 once it is approved, rejected or beyond.
    """
    req = actions.reject_request(api_unit(), request_id, args["reason"])
    latest = load_latest_evaluations(get_session(), [req.id]).get(req.id)
    return present_request(req, latest)
