"""Resource requests of project teams and their stored evaluations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import RequestStatus, Verdict, Zone
from cmdb.db import Base, enum_column, utcnow
from cmdb.models.geo import Agency
from cmdb.models.mixins import TimestampMixin


class ResourceRequest(TimestampMixin, Base):
    """A project's request; ``spec`` keeps the whole request document as submitted.

    Lifecycle: draft → submitted → evaluated → approved (reserves capacity) /
    rejected → deployed → retired.
    """

    __tablename__ = "resource_request"
    __table_args__ = (
        sa.CheckConstraint("security_level BETWEEN 1 AND 5", name="security_level_range"),
        sa.CheckConstraint("horizon_years > 0 AND horizon_years <= 15", name="horizon_range"),
        sa.CheckConstraint("growth_pct_per_year >= 0", name="growth_nonnegative"),
        sa.CheckConstraint(
            "own_hardware_cost_vnd IS NULL OR own_hardware_cost_vnd >= 0", name="own_cost"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    agency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus), default=RequestStatus.DRAFT, index=True
    )
    security_level: Mapped[int]
    zone: Mapped[Zone] = mapped_column(enum_column(Zone))
    go_live: Mapped[date]
    horizon_years: Mapped[int]
    growth_pct_per_year: Mapped[float] = mapped_column(default=0.0)
    own_hardware_cost_vnd: Mapped[int | None] = mapped_column(sa.BigInteger)
    spec: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cluster.id", ondelete="SET NULL"), doc="Placement once approved"
    )
    storage_pool_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("storage_pool.id", ondelete="SET NULL")
    )
    approved_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    approved_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user.id", ondelete="SET NULL")
    )

    agency: Mapped[Agency | None] = relationship()
    evaluations: Mapped[list[RequestEvaluation]] = relationship(
        back_populates="request",
        order_by="RequestEvaluation.evaluated_at.desc()",
        cascade="all, delete-orphan",
    )


class RequestEvaluation(Base):
    """One stored answer: the verdict and the whole evaluation document."""

    __tablename__ = "request_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource_request.id", ondelete="CASCADE"), index=True
    )
    evaluated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    verdict: Mapped[Verdict] = mapped_column(enum_column(Verdict))
    until: Mapped[date | None]
    result: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    request: Mapped[ResourceRequest] = relationship(back_populates="evaluations")
