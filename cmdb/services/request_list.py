"""Reads of stored requests for the API and the CLI lists: plain queries, no rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from cmdb.choices import RequestStatus, Verdict
from cmdb.models import RequestEvaluation, ResourceRequest


@dataclass(frozen=True)
class EvaluationSummary:
    """The latest answer to a request, without its per-resource tables."""

    id: int
    request_id: int
    verdict: Verdict
    until: date | None
    evaluated_at: datetime


def load_requests(
    session: Session,
    *,
    status: RequestStatus | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[ResourceRequest]]:
    """One page of requests, oldest first, with their agency; and how many match in all."""
    where = [ResourceRequest.status == status] if status is not None else []
    total = session.scalar(sa.select(sa.func.count(ResourceRequest.id)).where(*where)) or 0
    stmt = (
        sa.select(ResourceRequest)
        .where(*where)
        .options(selectinload(ResourceRequest.agency))
        .order_by(ResourceRequest.id)
        .offset(offset)
        .limit(limit)
    )
    return total, list(session.scalars(stmt))


def load_latest_evaluations(
    session: Session, request_ids: Sequence[int]
) -> dict[int, EvaluationSummary]:
    """The latest evaluation of each request, in one query that leaves the documents unread."""
    if not request_ids:
        return {}
    stmt = (
        sa.select(
            RequestEvaluation.id,
            RequestEvaluation.request_id,
            RequestEvaluation.verdict,
            RequestEvaluation.until,
            RequestEvaluation.evaluated_at,
        )
        .where(RequestEvaluation.request_id.in_(request_ids))
        .order_by(RequestEvaluation.evaluated_at, RequestEvaluation.id)
    )
    latest: dict[int, EvaluationSummary] = {}
    for row in session.execute(stmt):
        latest[row.request_id] = EvaluationSummary(*row)
    return latest
