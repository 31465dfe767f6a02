"""Time series: one ``Series`` per (object, metric), raw samples and rollups.

Raw samples are kept short-term; the hourly and daily rollups (avg, max, p95) are
what forecasts read. Two years of daily rollups of every link is a few hundred
thousand rows, well within SQLite.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.choices import Metric, ResourceKind
from cmdb.db import Base, enum_column


class Series(Base):
    """One time series. ``daily_through``/``daily_count`` are the watermark of its daily
    rollups (kept by ``cmdb.services.samples``): a cached forecast is valid while
    they are unchanged, without counting hundreds of thousands of rows each time."""

    __tablename__ = "series"
    __table_args__ = (sa.UniqueConstraint("object_type", "object_id", "metric"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    object_type: Mapped[ResourceKind] = mapped_column(enum_column(ResourceKind))
    object_id: Mapped[int]
    metric: Mapped[Metric] = mapped_column(enum_column(Metric))
    unit: Mapped[str] = mapped_column(sa.String(16))
    last_sample_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    daily_through: Mapped[date | None] = mapped_column(doc="Last day with a daily rollup")
    daily_count: Mapped[int] = mapped_column(default=0, server_default="0", doc="Daily rollups")


class Sample(Base):
    __tablename__ = "sample"

    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    ts: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), primary_key=True)
    value: Mapped[float]


class SampleHourly(Base):
    __tablename__ = "sample_hourly"

    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), primary_key=True)
    avg: Mapped[float]
    max: Mapped[float]
    p95: Mapped[float]
    count: Mapped[int]


class SampleDaily(Base):
    __tablename__ = "sample_daily"

    series_id: Mapped[int] = mapped_column(
        sa.ForeignKey("series.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(primary_key=True)
    avg: Mapped[float]
    max: Mapped[float]
    p95: Mapped[float]
    count: Mapped[int]
