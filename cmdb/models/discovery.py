"""Discovery runs, what they observed, and the discrepancies between sources."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, RunKind, RunStatus, Source
from cmdb.db import Base, enum_column, utcnow

if TYPE_CHECKING:
    from cmdb.models.dcim import Device


class DiscoveryRun(Base):
    __tablename__ = "discovery_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[Source] = mapped_column(enum_column(Source))
    kind: Mapped[RunKind] = mapped_column(
        enum_column(RunKind), default=RunKind.DISCOVERY, server_default=RunKind.DISCOVERY.value
    )
    target: Mapped[str | None] = mapped_column(sa.String(300), doc="Address, URL or scope")
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus), default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    stats: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    # A background job's handle and progress, readable while the run goes on (issue 6).
    job_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    requested_by: Mapped[str | None] = mapped_column(sa.String(100))
    parameters: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON, doc="Job arguments")
    progress_done: Mapped[int] = mapped_column(default=0, server_default="0")
    progress_total: Mapped[int | None]
    progress_message: Mapped[str | None] = mapped_column(sa.String(200))
    # The process that runs it (a command, a local job, an RQ work horse): on its host,
    # a pid no longer alive proves the run will never end by itself (the sweep ends it).
    # runner_space: the host's boot and pid namespace, "<boot id> <pid:[inode]>" — a pid
    # means that process only in the same boot and namespace (a reboot, a container).
    runner_host: Mapped[str | None] = mapped_column(sa.String(255))
    runner_pid: Mapped[int | None]
    runner_space: Mapped[str | None] = mapped_column(sa.String(80))
    # A poll split across workers (issue 20): each chunk is a run of its own whose
    # parent aggregates their progress and ends when the last of them does.
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("discovery_run.id", ondelete="CASCADE"), index=True
    )

    observations: Mapped[list[Observation]] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )
    results: Mapped[list[DiscoveryResult]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="DiscoveryResult.id"
    )


class DiscoveryResult(Base):
    """How one target of a run went: the audit asks "which devices failed last night, why?"

    One row per target (an address, not yet a device: a target that never answered
    has no device), so failures are queryable without parsing the run's stats.
    """

    __tablename__ = "discovery_result"
    __table_args__ = (
        sa.CheckConstraint("duration_ms >= 0", name="duration_nonnegative"),
        sa.CheckConstraint("requests >= 0", name="requests_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("discovery_run.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(sa.String(80), doc="host or host:port as targeted")
    status: Mapped[RunStatus] = mapped_column(enum_column(RunStatus))
    error: Mapped[str | None] = mapped_column(sa.Text)
    duration_ms: Mapped[float] = mapped_column(default=0.0)
    requests: Mapped[int] = mapped_column(default=0, doc="SNMP requests sent")
    device_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("device.id", ondelete="SET NULL"), index=True
    )

    run: Mapped[DiscoveryRun] = relationship(back_populates="results")
    device: Mapped[Device | None] = relationship()


class Observation(Base):
    """What one run saw of one thing, as the source said it."""

    __tablename__ = "observation"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("discovery_run.id", ondelete="CASCADE"), index=True
    )
    object_type: Mapped[str] = mapped_column(sa.String(40))
    external_id: Mapped[str | None] = mapped_column(sa.String(200))
    object_id: Mapped[int | None] = mapped_column(doc="The record it was matched to")
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    observed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    run: Mapped[DiscoveryRun] = relationship(back_populates="observations")


class Discrepancy(Base):
    """Sources disagree on one field of one record; ``values`` holds each source's value.

    ``opened_at`` is when it was first seen, ``last_seen_at`` when a source last
    confirmed it; ``note`` is the acknowledging person's comment. Write through
    ``cmdb.services.discrepancies`` (one unsettled row per object, field and kind).
    """

    __tablename__ = "discrepancy"
    __table_args__ = (sa.Index("ix_discrepancy_object", "object_type", "object_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[DiscrepancyKind] = mapped_column(
        enum_column(DiscrepancyKind),
        default=DiscrepancyKind.MISMATCH,
        server_default=DiscrepancyKind.MISMATCH.value,
        index=True,
    )
    object_type: Mapped[str] = mapped_column(sa.String(40))
    object_id: Mapped[int]
    field: Mapped[str] = mapped_column(sa.String(60))
    values: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    status: Mapped[DiscrepancyStatus] = mapped_column(
        enum_column(DiscrepancyStatus), default=DiscrepancyStatus.OPEN, index=True
    )
    opened_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acknowledged_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    acknowledged_by: Mapped[str | None] = mapped_column(sa.String(100))
    note: Mapped[str | None] = mapped_column(sa.Text)
