"""Opening, confirming, acknowledging and settling discrepancies: one place for all sources.

SNMP discovery, NetBox sync, Ansible facts and the audit all say "these sources
disagree on this field of this record" (``raise_discrepancy``) or "they agree again"
(``settle_discrepancy``). There is at most one unsettled (open or acknowledged) row per
(object_type, object_id, field, kind), so a disagreement seen every night stays one row
whose ``last_seen_at`` moves. None of these commit.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.db import utcnow
from cmdb.models import Discrepancy

UNSETTLED = (DiscrepancyStatus.OPEN, DiscrepancyStatus.ACKNOWLEDGED)


class NotAcknowledgeableError(ValueError):
    """Only an open discrepancy can be acknowledged."""


def find_unsettled(
    session: Session, *, kind: DiscrepancyKind, object_type: str, object_id: int, field: str
) -> Discrepancy | None:
    return session.scalars(
        sa.select(Discrepancy).where(
            Discrepancy.kind == kind,
            Discrepancy.object_type == object_type,
            Discrepancy.object_id == object_id,
            Discrepancy.field == field,
            Discrepancy.status.in_(UNSETTLED),
        )
    ).first()


def raise_discrepancy(
    session: Session,
    *,
    kind: DiscrepancyKind,
    object_type: str,
    object_id: int,
    field: str,
    values: Mapping[str, Any],
    at: datetime | None = None,
) -> tuple[Discrepancy, bool]:
    """Open a discrepancy, or confirm the unsettled one; returns it and whether it is new.

    An acknowledged discrepancy whose values change is opened again: the person who
    acknowledged it saw other numbers.
    """
    at = at or utcnow()
    found = find_unsettled(
        session, kind=kind, object_type=object_type, object_id=object_id, field=field
    )
    if found is None:
        found = Discrepancy(
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            field=field,
            values=dict(values),
            opened_at=at,
            last_seen_at=at,
        )
        session.add(found)
        return found, True
    if found.status == DiscrepancyStatus.ACKNOWLEDGED and found.values != dict(values):
        found.status = DiscrepancyStatus.OPEN
    found.values = dict(values)
    found.last_seen_at = at
    return found, False


def settle_discrepancy(
    session: Session,
    *,
    kind: DiscrepancyKind,
    object_type: str,
    object_id: int,
    field: str,
    at: datetime | None = None,
) -> bool:
    """Resolve the unsettled discrepancy, if any, because the sources agree again."""
    found = find_unsettled(
        session, kind=kind, object_type=object_type, object_id=object_id, field=field
    )
    if found is None:
        return False
    found.status = DiscrepancyStatus.RESOLVED
    found.resolved_at = at or utcnow()
    return True


def acknowledge(
    discrepancy: Discrepancy, *, by: str, comment: str, at: datetime | None = None
) -> None:
    """A person has seen it: it stays visible (filtered apart) until the sources agree."""
    if discrepancy.status != DiscrepancyStatus.OPEN:
        raise NotAcknowledgeableError(f"discrepancy {discrepancy.id} is {discrepancy.status.value}")
    discrepancy.status = DiscrepancyStatus.ACKNOWLEDGED
    discrepancy.acknowledged_by = by
    discrepancy.acknowledged_at = at or utcnow()
    discrepancy.note = comment
