"""Reads of stored requests for the API and the CLI lists: plain queries, no rules."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from cmdb.choices import RequestStatus, Verdict
from cmdb.models import AdminUnit, ChangeLog, Link, RequestEvaluation, ResourceRequest, Site


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
    agency_id: int | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[int, list[ResourceRequest]]:
    """One page of requests, oldest first, with their agency; and how many match in all
    (the CLI's list; the API's and the UI's are the declared resource's)."""
    where = [ResourceRequest.status == status] if status is not None else []
    if agency_id is not None:
        where.append(ResourceRequest.agency_id == agency_id)
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


def load_latest_evaluation(session: Session, request_id: int) -> RequestEvaluation | None:
    """The latest stored answer to one request, document included (the others stay unread)."""
    stmt = (
        sa.select(RequestEvaluation)
        .where(RequestEvaluation.request_id == request_id)
        .order_by(RequestEvaluation.evaluated_at.desc(), RequestEvaluation.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


@dataclass(frozen=True)
class Rejection:
    """Who turned a request down, when and why (kept in the change log)."""

    actor: str
    at: datetime
    reason: str


def load_rejection(session: Session, request_id: int) -> Rejection | None:
    """The latest rejection of a request, read from its change-log entries."""
    stmt = (
        sa.select(ChangeLog)
        .where(
            ChangeLog.object_type == ResourceRequest.__tablename__,
            ChangeLog.object_id == request_id,
        )
        .order_by(ChangeLog.at.desc(), ChangeLog.id.desc())
    )
    for entry in session.scalars(stmt):
        after = entry.after or {}
        if after.get("status") == RequestStatus.REJECTED.value:
            return Rejection(entry.actor, entry.at, str(after.get("reason") or ""))
    return None


@dataclass(frozen=True)
class LinkEnd:
    """One end of a link and where it is in the administrative tree."""

    site: str
    unit_code: str
    unit_name: str
    parent_name: str | None


def load_link_ends(session: Session, link_ids: Sequence[int]) -> dict[int, tuple[LinkEnd, ...]]:
    """Both ends of each link (a, b) with their admin unit and its parent, in one query."""
    if not link_ids:
        return {}
    out: dict[int, tuple[LinkEnd, ...]] = {}
    for end in ("a", "b"):
        site, unit, parent = aliased(Site), aliased(AdminUnit), aliased(AdminUnit)
        site_id = Link.a_site_id if end == "a" else Link.b_site_id
        stmt = (
            sa.select(Link.id, site.name, unit.code, unit.name, parent.name)
            .join(site, site.id == site_id)
            .join(unit, unit.id == site.admin_unit_id)
            .outerjoin(parent, parent.id == unit.parent_id)
            .where(Link.id.in_(link_ids))
        )
        for link_id, *fields in session.execute(stmt):
            out[link_id] = (*out.get(link_id, ()), LinkEnd(*fields))
    return out


#: Requests still to be served: their horizons are what the capacity charts must cover.
OPEN_STATUSES = (
    RequestStatus.DRAFT,
    RequestStatus.SUBMITTED,
    RequestStatus.EVALUATED,
    RequestStatus.APPROVED,
)


def load_open_horizon_end(session: Session) -> date | None:
    """The last day any open request plans for (go-live + its horizon), or None."""
    stmt = sa.select(ResourceRequest.go_live, ResourceRequest.horizon_years).where(
        ResourceRequest.status.in_(OPEN_STATUSES)
    )
    ends = [_years_after(go_live, years) for go_live, years in session.execute(stmt)]
    return max(ends, default=None)


def _years_after(day: date, years: int) -> date:
    """``day`` moved by whole years, 29 February becoming 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
