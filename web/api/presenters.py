"""Stored records as the documents the API returns (dumped by the schemas)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from flask import url_for
from sqlalchemy.orm import Session

from cmdb.models import RequestEvaluation, ResourceRequest
from cmdb.services.request_list import EvaluationSummary, load_latest_evaluations


def present_request(req: ResourceRequest, latest: EvaluationSummary | None) -> dict[str, Any]:
    agency = req.agency
    return {
        "id": req.id,
        "url": url_for("requests.get_request", request_id=req.id, _external=True),
        "name": req.name,
        "agency": (
            {"id": agency.id, "name": agency.name, "short_name": agency.short_name}
            if agency is not None
            else None
        ),
        "status": req.status,
        "security_level": req.security_level,
        "zone": req.zone,
        "go_live": req.go_live,
        "horizon_years": req.horizon_years,
        "growth_pct_per_year": req.growth_pct_per_year,
        "own_hardware_cost_vnd": req.own_hardware_cost_vnd,
        "spec": req.spec,
        "created_at": req.created_at,
        "updated_at": req.updated_at,
        "approved_at": req.approved_at,
        "latest_evaluation": asdict(latest) if latest is not None else None,
    }


def present_requests(session: Session, rows: Sequence[ResourceRequest]) -> list[dict[str, Any]]:
    """A page of requests with their latest verdicts (one query for all of them)."""
    latest = load_latest_evaluations(session, [r.id for r in rows])
    return [present_request(r, latest.get(r.id)) for r in rows]


def present_evaluation(evaluation: RequestEvaluation) -> dict[str, Any]:
    """A stored evaluation: its document plus where it is kept."""
    return {
        **evaluation.result,
        "id": evaluation.id,
        "request_id": evaluation.request_id,
        "evaluated_at": evaluation.evaluated_at,
    }
