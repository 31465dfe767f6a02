"""How full each link (or interface) is today: the last daily p95 of its busier direction.

The admin tree and the link list show a utilisation bar per link, a device's page
each interface's; reading it from the last daily rollup costs one query for all of
them, where a forecast would cost a fit per link.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind
from cmdb.models import SampleDaily, Series

DIRECTIONS = (Metric.IN_MBPS, Metric.OUT_MBPS)


def load_link_peaks(session: Session, link_ids: Iterable[int] | None = None) -> dict[int, float]:
    """Link id → the larger of its in/out daily p95 (Mbps) on its last rolled-up day.

    Links without rolled-up samples are absent. ``link_ids`` narrows the read.
    """
    return _peaks(session, ResourceKind.LINK, link_ids)


def load_interface_peaks(session: Session, interface_ids: Iterable[int]) -> dict[int, float]:
    """Interface id → the larger of its in/out daily p95 (Mbps), as ``load_link_peaks``."""
    return _peaks(session, ResourceKind.INTERFACE, interface_ids)


def _peaks(session: Session, kind: ResourceKind, ids: Iterable[int] | None) -> dict[int, float]:
    stmt = (
        sa.select(Series.object_id, sa.func.max(SampleDaily.p95))
        .join(
            SampleDaily,
            sa.and_(SampleDaily.series_id == Series.id, SampleDaily.day == Series.daily_through),
        )
        .where(Series.object_type == kind, Series.metric.in_(DIRECTIONS))
        .group_by(Series.object_id)
    )
    if ids is not None:
        stmt = stmt.where(Series.object_id.in_(list(ids)))
    return {object_id: float(mbps) for object_id, mbps in session.execute(stmt)}
