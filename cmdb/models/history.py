"""Where a site stood and whose it was before: the dated past of a site's placement.

An administrative reform moves sites to new units and hands old committee offices
to new committees, yet "which unit was this site in on 30 June 2025, and whose
office was it?" must keep its answer: the tree as of that day, and requests whose
go-live falls before the reform, are worked out from it. ``Site`` holds the current
placement; each earlier one is a ``SiteHistory`` row covering
[``valid_from``, ``valid_to``) (``valid_from`` empty: since the site was recorded).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.choices import SiteKind
from cmdb.db import Base, enum_column
from cmdb.models.mixins import TimestampMixin


class SiteHistory(TimestampMixin, Base):
    """One past placement of a site: its admin unit, agency and kind over a period."""

    __tablename__ = "site_history"
    __table_args__ = (
        sa.CheckConstraint("valid_from IS NULL OR valid_from < valid_to", name="valid_dates"),
        sa.Index("ix_site_history_site_period", "site_id", "valid_to"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="CASCADE"))
    admin_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("admin_unit.id", ondelete="RESTRICT"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agency.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind))
    valid_from: Mapped[date | None]
    valid_to: Mapped[date]

    def __repr__(self) -> str:
        return f"<SiteHistory site#{self.site_id} unit#{self.admin_unit_id} to {self.valid_to}>"
