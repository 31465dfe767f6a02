"""What the capacity engine stores: reservations of approved requests, cached forecasts."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.db import Base, utcnow


class CapacityReservation(Base):
    """Capacity an approved request holds on one resource from ``start`` with its growth.

    ``resource`` is the capacity engine's key (``cluster:<id>:vcpu``, ``storage:<id>``,
    ``link:<id>``), so a reservation means the same thing in every evaluation.
    """

    __tablename__ = "capacity_reservation"
    __table_args__ = (
        sa.CheckConstraint("d0 >= 0", name="d0_nonnegative"),
        sa.CheckConstraint("growth_pct_per_year >= 0", name="growth_nonnegative"),
        sa.UniqueConstraint("request_id", "resource"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        sa.ForeignKey("resource_request.id", ondelete="CASCADE"), index=True
    )
    resource: Mapped[str] = mapped_column(sa.String(80), index=True)
    start: Mapped[date]
    d0: Mapped[float] = mapped_column(doc="Demand at start, in the resource's unit")
    growth_pct_per_year: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)


class ForecastCache(Base):
    """The last baseline forecast of a resource, valid while its samples are unchanged.

    Keyed by the capacity engine's resource key: a link's baseline is fitted on
    max(in, out) of two series, so a series id would not name it.
    """

    __tablename__ = "forecast_cache"

    resource: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    fitted_through: Mapped[date] = mapped_column(doc="Last daily rollup the fit saw")
    sample_count: Mapped[int] = mapped_column(doc="Daily rollups the fit saw")
    method: Mapped[str] = mapped_column(sa.String(60), doc="Forecast settings the fit used")
    computed_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    data: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
