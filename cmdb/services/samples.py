"""Time-series bookkeeping shared by every writer of samples (demo, poller, API ingest)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.models import SampleDaily, Series


def refresh_daily_marks(session: Session, series_ids: Sequence[int] | None = None) -> None:
    """Recompute ``Series.daily_through`` and ``daily_count`` from the daily rollups.

    Every writer of daily rollups calls this for the series it touched, so that
    readers (the forecast cache) see that new data arrived. ``None``: every series.
    """
    stmt = sa.select(SampleDaily.series_id, sa.func.max(SampleDaily.day), sa.func.count()).group_by(
        SampleDaily.series_id
    )
    if series_ids is not None:
        if not series_ids:
            return
        stmt = stmt.where(SampleDaily.series_id.in_(list(series_ids)))
    marks = {sid: (day, n) for sid, day, n in session.execute(stmt)}
    targets = sa.select(Series)
    if series_ids is not None:
        targets = targets.where(Series.id.in_(list(series_ids)))
    for series in session.scalars(targets):
        series.daily_through, series.daily_count = marks.get(series.id, (None, 0))
    session.flush()
