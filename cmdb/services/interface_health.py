"""An interface's health as the last poll saw it: up or not, errors and discards a second.

The poll writes these as series of the interface (``discovery.apply_poll``); a page
shows each interface's latest sample of each, read in one statement for all the
interfaces it lists (the series keep the time of their last sample, so no scan).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind
from cmdb.models import Sample, SampleHourly, Series

# What an interface's chart draws: each hour's worst errors and discards, and the share
# of the hour it was up (the hourly average of 1s and 0s).
CHARTED = (
    Metric.IN_ERRORS_PPS,
    Metric.OUT_ERRORS_PPS,
    Metric.IN_DISCARDS_PPS,
    Metric.OUT_DISCARDS_PPS,
    Metric.OPER_UP,
)
HEALTH_METRICS = (
    Metric.OPER_UP,
    Metric.ADMIN_UP,
    Metric.IN_ERRORS_PPS,
    Metric.OUT_ERRORS_PPS,
    Metric.IN_DISCARDS_PPS,
    Metric.OUT_DISCARDS_PPS,
    Metric.IN_MBPS,
    Metric.OUT_MBPS,
)


@dataclass
class InterfaceHealth:
    """The latest value of each health series (absent: never polled), and when."""

    values: dict[Metric, float] = field(default_factory=dict)
    at: datetime | None = None

    def up(self, metric: Metric = Metric.OPER_UP) -> bool | None:
        value = self.values.get(metric)
        return None if value is None else value >= 1.0


def load_interface_health(
    session: Session, interface_ids: Iterable[int]
) -> dict[int, InterfaceHealth]:
    """Interface id → its latest health samples; interfaces never polled are absent."""
    ids = list(interface_ids)
    if not ids:
        return {}
    stmt = (
        sa.select(Series.object_id, Series.metric, Sample.value, Sample.ts)
        .join(Sample, sa.and_(Sample.series_id == Series.id, Sample.ts == Series.last_sample_at))
        .where(
            Series.object_type == ResourceKind.INTERFACE,
            Series.object_id.in_(ids),
            Series.metric.in_(HEALTH_METRICS),
        )
    )
    found: dict[int, InterfaceHealth] = {}
    for object_id, metric, value, ts in session.execute(stmt):
        health = found.setdefault(object_id, InterfaceHealth())
        health.values[Metric(metric)] = float(value)
        health.at = ts if health.at is None else max(health.at, ts)
    return found


def load_health_history(
    session: Session, interface_ids: Iterable[int], since: datetime
) -> dict[int, dict[Metric, list[tuple[datetime, float]]]]:
    """Interface id → metric → (hour, value) since ``since``, from the hourly rollups:
    the hour's max for errors and discards, its average for the status (the share up)."""
    ids = list(interface_ids)
    if not ids:
        return {}
    stmt = (
        sa.select(
            Series.object_id, Series.metric, SampleHourly.hour, SampleHourly.max, SampleHourly.avg
        )
        .join(SampleHourly, SampleHourly.series_id == Series.id)
        .where(
            Series.object_type == ResourceKind.INTERFACE,
            Series.object_id.in_(ids),
            Series.metric.in_(CHARTED),
            SampleHourly.hour >= since,
        )
        .order_by(SampleHourly.hour)
    )
    found: dict[int, dict[Metric, list[tuple[datetime, float]]]] = {}
    for object_id, metric, hour, peak, mean in session.execute(stmt):
        value = mean if metric == Metric.OPER_UP else peak
        found.setdefault(object_id, {}).setdefault(Metric(metric), []).append((hour, value))
    return found
