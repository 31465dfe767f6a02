"""Hourly and daily rollups (avg, max, p95) of raw samples: what forecasts read.

One function writes both, from the raw samples of the hours and days it is told
were touched, so a late or repeated poll recomputes the same figures (idempotent),
and then refreshes the series' daily marks so cached forecasts refit.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.models import Sample, SampleDaily, SampleHourly
from cmdb.services.samples import refresh_daily_marks

Stats = tuple[float, float, float, int]


def compute_stats(values: Sequence[float]) -> Stats:
    """avg, max, p95 (linear interpolation between closest ranks) and count."""
    ordered = sorted(values)
    n = len(ordered)
    rank = 0.95 * (n - 1)
    low, high = math.floor(rank), math.ceil(rank)
    p95 = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return sum(ordered) / n, ordered[-1], p95, n


def _utc(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts.astimezone(UTC)


def rollup_series(session: Session, series_ids: Iterable[int], days: Iterable[date]) -> None:
    """Recompute every hourly and daily rollup of ``days`` (UTC) for the series."""
    ids, wanted = sorted(set(series_ids)), sorted(set(days))
    if not ids or not wanted:
        return
    start = datetime.combine(wanted[0], time(), UTC)
    end = datetime.combine(wanted[-1] + timedelta(days=1), time(), UTC)
    hourly: dict[tuple[int, datetime], list[float]] = defaultdict(list)
    daily: dict[tuple[int, date], list[float]] = defaultdict(list)
    rows = session.execute(
        sa.select(Sample.series_id, Sample.ts, Sample.value).where(
            Sample.series_id.in_(ids), Sample.ts >= start, Sample.ts < end
        )
    )
    for sid, ts, value in rows:
        ts = _utc(ts)
        if ts.date() in wanted:
            hourly[(sid, ts.replace(minute=0, second=0, microsecond=0))].append(value)
            daily[(sid, ts.date())].append(value)
    _save(session, SampleHourly, SampleHourly.hour, hourly)
    _save(session, SampleDaily, SampleDaily.day, daily)
    session.flush()
    refresh_daily_marks(session, ids)


_Rollup = TypeVar("_Rollup", SampleHourly, SampleDaily)


def _save(
    session: Session,
    model: type[_Rollup],
    period: sa.orm.InstrumentedAttribute,
    groups: dict[tuple[int, Any], list[float]],
) -> None:
    """Update the rollup rows that exist, add the others: one query, whatever the count."""
    if not groups:
        return
    ids = {sid for sid, _ in groups}
    periods = {p for _, p in groups}
    existing = {
        (row.series_id, _period_key(getattr(row, period.key))): row
        for row in session.scalars(
            sa.select(model).where(model.series_id.in_(ids), period.in_(periods))
        )
    }
    for (sid, when), values in groups.items():
        avg, mx, p95, n = compute_stats(values)
        row = existing.get((sid, _period_key(when)))
        if row is None:
            session.add(
                model(series_id=sid, avg=avg, max=mx, p95=p95, count=n, **{period.key: when})
            )
        else:
            row.avg, row.max, row.p95, row.count = avg, mx, p95, n


def _period_key(value: Any) -> Any:
    """Hours compare in UTC whatever the backend returns (SQLite: naive)."""
    return _utc(value) if isinstance(value, datetime) else value
