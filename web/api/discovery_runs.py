"""``POST /api/v1/discovery-runs/``: start a discovery, a poll or a NetBox sync as a job.

The run is answered at once (202, ``Location`` of the run) and the job goes on
in a worker; ``GET`` the run to follow its progress. Reads of runs are the
generated resource views (``web.api.resources``).
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Response, current_app, jsonify, url_for
from marshmallow import fields, validate

from cmdb.errors import ValidationError
from cmdb.models import DiscoveryRun
from cmdb.schemas import flatten_errors
from cmdb.services.listing import load_one
from web.api.body import json_document
from web.api.errors import error_response
from web.api.resource import DETAIL_ARG
from web.api.resource_schema import detail_schema
from web.api.resources import DISCOVERY_RUNS
from web.api.transaction import unit_of_work
from web.auth.identity import actor
from web.db import get_session
from web.jobs.actions import end_job, queue_job, stop_job, submit_job
from web.jobs.backend import BackendError, backend_for
from web.jobs.context import JobContext
from web.jobs.kinds import KINDS

blp = DISCOVERY_RUNS.blueprint


class StartRunSchema(ma.Schema):
    kind = fields.String(required=True, validate=validate.OneOf(list(KINDS)))
    parameters = fields.Dict(
        load_default=dict,
        metadata={
            "description": "Per kind: snmp_discovery — targets (`host[:port] [profile]`), "
            "ranges (CIDR), inventory, profile, site, link_network, concurrency, timeout, "
            "retries, deadline; poll — targets, profile and the same limits; netbox_sync — "
            "url, token (never stored), since, dry_run, page_size"
        },
    )


@blp.document_body(StartRunSchema, "The job: its kind and parameters")
@blp.response(202, detail_schema(DISCOVERY_RUNS))
@blp.errors(400, 503)
def start_run() -> Response:
    """Start a background job; its run is answered queued, to be followed by `GET`."""
    document = json_document()
    errors = StartRunSchema().validate(document if isinstance(document, dict) else {})
    if not isinstance(document, dict):
        errors = {"_schema": ["expected a JSON object"]}
    if errors:
        raise ValidationError(flatten_errors(errors))
    backend = backend_for(current_app.config)
    with unit_of_work(commit_now=True) as session:  # the job must find it stored
        queued = queue_job(
            session,
            backend,
            JobContext.from_config(current_app.config),
            document["kind"],
            document.get("parameters"),
            actor(),
        )
    try:
        submit_job(session, backend, queued)
    except BackendError as exc:  # the message names no secret; a 5xx body otherwise hides it
        return error_response(503, str(exc))
    run_id = queued.run.id
    response = _run_response(run_id)
    response.status_code = 202
    values: dict[str, Any] = {DETAIL_ARG: run_id}
    response.headers["Location"] = url_for("discovery_runs.detail", **values, _external=True)
    return response


@blp.response(200, detail_schema(DISCOVERY_RUNS))
@blp.errors(404, 409, 503)
def cancel_run(**kwargs: int) -> Response:
    """Cancel a queued or running job: its run ends failed ("cancelled by …"); 409 if over."""
    run_id = kwargs[DETAIL_ARG]
    with unit_of_work(commit_now=True) as session:  # ended before its job is stopped
        job_ids = end_job(session, run_id, actor())
    try:
        stop_job(backend_for(current_app.config), job_ids)
    except BackendError as exc:
        return error_response(503, str(exc))
    return _run_response(run_id)


def _run_response(run_id: int) -> Response:
    loads = (*DISCOVERY_RUNS.loads, *DISCOVERY_RUNS.detail_nested)
    session = get_session()
    session.expire_all()  # the run as stored now, not as this request last saw it
    run: Any = load_one(session, DiscoveryRun, run_id, loads)
    return jsonify(DISCOVERY_RUNS.detail_schema.dump(run))
