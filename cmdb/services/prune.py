"""Bounded history (DESIGN §4), as LibreNMS and RRD keep it: raw samples and observations
a number of days (default 35), hourly rollups 13 months, daily rollups for ever,
discovery results 90 days — each a setting (``CMDB_RETENTION_*``).

Deletes in batches, each in its own short transaction (``commit`` is called between
batches), so polls and the web app keep writing while a year of history goes. What
must stay stays:

- raw samples only of days whose daily rollup exists: a day that was never rolled up
  (a gap in polling, an import without rollups) keeps its samples, so no figure is lost;
- each record's latest observation from each source, however old: the discovery core
  compares a new run with what each source last said (``core.snapshot``), and a source
  whose facts have not changed for months writes no new observation (the writer's rule);
- runs themselves (a few rows a day): only their per-target results go.

Late samples for a pruned day are refused by the ingest (``sample_ingest``), so a
rollup is never recomputed from part of its day.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import CursorResult
from sqlalchemy.orm import Session

from cmdb.models import (
    DiscoveryResult,
    DiscoveryRun,
    Observation,
    Sample,
    SampleDaily,
    SampleHourly,
)

BATCH = 5_000  # rows per DELETE: well under a second a batch on SQLite and PostgreSQL
WINDOW = timedelta(days=30)  # raw samples of one series per DELETE: 8,640 at a 5-minute step


@dataclass(frozen=True)
class Retention:
    """Days each kind of history is kept (from the settings)."""

    raw_days: int = 35
    hourly_days: int = 396  # 13 months
    results_days: int = 90


@dataclass(frozen=True)
class Pruned:
    """Rows deleted (or, in a dry run, that would be) per table."""

    samples: int = 0
    hourly: int = 0
    observations: int = 0
    results: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "sample": self.samples,
            "sample_hourly": self.hourly,
            "observation": self.observations,
            "discovery_result": self.results,
        }


def raw_cutoff(today: date, retention: Retention) -> datetime:
    """The first instant whose raw samples are kept (UTC midnight)."""
    return datetime.combine(today - timedelta(days=retention.raw_days), time(), UTC)


def prune(
    session: Session,
    today: date,
    retention: Retention,
    *,
    commit: Callable[[], None],
    dry_run: bool = False,
) -> Pruned:
    """Delete what is older than ``retention`` on ``today``; ``commit`` after each batch."""
    raw = raw_cutoff(today, retention)
    hourly = datetime.combine(today - timedelta(days=retention.hourly_days), time(), UTC)
    results = datetime.combine(today - timedelta(days=retention.results_days), time(), UTC)
    steps = (
        lambda: _samples(session, raw, dry_run, commit),
        lambda: _by_key(session, _hourly_keys(hourly), SampleHourly, dry_run, commit),
        lambda: _by_id(session, _old_observations(raw), Observation, dry_run, commit),
        lambda: _by_id(session, _old_results(results), DiscoveryResult, dry_run, commit),
    )
    return Pruned(*(step() for step in steps))


def _samples(session: Session, cutoff: datetime, dry_run: bool, commit: Callable[[], None]) -> int:
    """Per series, the raw samples before ``cutoff`` of the days that have a daily rollup:
    those days joined into runs, each run deleted by time range in ``WINDOW`` pieces (a
    range of the primary key: no per-row test, so a year goes at index speed)."""
    total = 0
    oldest = (
        sa.select(Sample.series_id)
        .where(Sample.ts < cutoff)
        .group_by(Sample.series_id)
        .order_by(Sample.series_id)
    )
    for series_id in session.scalars(oldest).all():
        for start, end in _rolled_up_ranges(session, series_id, cutoff):
            where = sa.and_(Sample.series_id == series_id, Sample.ts >= start, Sample.ts < end)
            if dry_run:
                total += session.scalar(sa.select(sa.func.count()).where(where)) or 0
            else:
                deleted = session.execute(sa.delete(Sample).where(where))
                total += cast("CursorResult[Any]", deleted).rowcount or 0
                commit()
    return total


def _rolled_up_ranges(
    session: Session, series_id: int, cutoff: datetime
) -> list[tuple[datetime, datetime]]:
    """[start, end) time ranges, each at most ``WINDOW``, covering exactly the UTC days
    before ``cutoff`` that have this series' daily rollup."""
    days = session.scalars(
        sa.select(SampleDaily.day)
        .where(SampleDaily.series_id == series_id, SampleDaily.day < cutoff.date())
        .order_by(SampleDaily.day)
    ).all()
    ranges: list[tuple[datetime, datetime]] = []
    for day in days:
        start = datetime.combine(day, time(), UTC)
        end = start + timedelta(days=1)
        if ranges and ranges[-1][1] == start and end - ranges[-1][0] <= WINDOW:
            ranges[-1] = (ranges[-1][0], end)
        else:
            ranges.append((start, end))
    return ranges


def _hourly_keys(cutoff: datetime) -> sa.Select[int, datetime]:
    return sa.select(SampleHourly.series_id, SampleHourly.hour).where(SampleHourly.hour < cutoff)


def _by_key(
    session: Session,
    keys: sa.Select[int, datetime],
    model: type[SampleHourly],
    dry_run: bool,
    commit: Callable[[], None],
) -> int:
    """Rows of a table keyed (series_id, time), in batches of ``BATCH``."""
    total = 0
    while True:
        batch = session.execute(keys.limit(BATCH)).all()
        if not batch:
            return total
        if dry_run:
            return session.scalar(sa.select(sa.func.count()).select_from(keys.subquery())) or 0
        pairs = [(k[0], k[1]) for k in batch]
        session.execute(sa.delete(model).where(sa.tuple_(model.series_id, model.hour).in_(pairs)))
        commit()
        total += len(batch)


def _old_observations(cutoff: datetime) -> sa.Select[int]:
    """Observations before ``cutoff`` that are not a record's latest from their source."""
    latest = (
        sa.select(sa.func.max(Observation.id))
        .join(DiscoveryRun, DiscoveryRun.id == Observation.run_id)
        .where(Observation.object_id.is_not(None))
        .group_by(Observation.object_type, Observation.object_id, DiscoveryRun.source)
    )
    return sa.select(Observation.id).where(
        Observation.observed_at < cutoff, Observation.id.not_in(latest)
    )


def _old_results(cutoff: datetime) -> sa.Select[int]:
    runs = sa.select(DiscoveryRun.id).where(DiscoveryRun.started_at < cutoff)
    return sa.select(DiscoveryResult.id).where(DiscoveryResult.run_id.in_(runs))


def _by_id(
    session: Session,
    ids: sa.Select[int],
    model: type[Observation] | type[DiscoveryResult],
    dry_run: bool,
    commit: Callable[[], None],
) -> int:
    """Rows by id, in batches of ``BATCH``."""
    if dry_run:
        return session.scalar(sa.select(sa.func.count()).select_from(ids.subquery())) or 0
    total = 0
    while True:
        batch = list(session.scalars(ids.order_by(model.id).limit(BATCH)))
        if not batch:
            return total
        session.execute(sa.delete(model).where(model.id.in_(batch)))
        commit()
        total += len(batch)
