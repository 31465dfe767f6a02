"""The dashboard's inventory reads: work waiting for people, and where links sit in the tree.

Fixed cost: a handful of grouped queries, whatever the size of the inventory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cmdb.choices import RequestStatus
from cmdb.models import AdminUnit, Discrepancy, Link, ResourceRequest, Site
from cmdb.services.discrepancies import UNSETTLED

#: Requests a planner has to decide on: submitted (to evaluate) or evaluated (to approve).
AWAITING_DECISION = (RequestStatus.SUBMITTED, RequestStatus.EVALUATED)


@dataclass(frozen=True, slots=True)
class LinkPlace:
    """Where a link is: its user end and that end's unit and the unit's parent."""

    link_id: int
    network: str
    site_id: int
    site_name: str
    unit_code: str
    unit_name: str
    parent_name: str | None


def count_open_discrepancies(session: Session) -> dict[str, int]:
    """Unsettled discrepancies (open or acknowledged) per kind."""
    stmt = (
        sa.select(Discrepancy.kind, sa.func.count())
        .where(Discrepancy.status.in_(UNSETTLED))
        .group_by(Discrepancy.kind)
    )
    return {str(kind): n for kind, n in session.execute(stmt)}


def load_requests_awaiting_decision(
    session: Session, limit: int = 10, visible: sa.ColumnElement[bool] | None = None
) -> tuple[int, list[ResourceRequest]]:
    """The oldest requests waiting for a decision (of those the reader may see, ``visible``),
    and how many wait in all."""
    where: sa.ColumnElement[bool] = ResourceRequest.status.in_(AWAITING_DECISION)
    if visible is not None:
        where = sa.and_(where, visible)
    total = session.scalar(sa.select(sa.func.count(ResourceRequest.id)).where(where)) or 0
    stmt = sa.select(ResourceRequest).where(where).order_by(ResourceRequest.id).limit(limit)
    return total, list(session.scalars(stmt))


def load_link_places(session: Session, link_ids: Iterable[int]) -> dict[int, LinkPlace]:
    """Each link's user end (``a`` side) with its unit and parent unit, in one query."""
    ids = list(link_ids)
    if not ids:
        return {}
    parent = aliased(AdminUnit)
    stmt = (
        sa.select(Link.id, Link.network, Site.id, Site.name, AdminUnit.code, AdminUnit.name,
                  parent.name)
        .join(Site, Site.id == Link.a_site_id)
        .join(AdminUnit, AdminUnit.id == Site.admin_unit_id)
        .outerjoin(parent, parent.id == AdminUnit.parent_id)
        .where(Link.id.in_(ids))
    )  # fmt: skip
    return {row[0]: LinkPlace(row[0], str(row[1]), *row[2:]) for row in session.execute(stmt)}
