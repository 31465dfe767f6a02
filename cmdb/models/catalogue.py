"""The expansion catalogue (DESIGN §6): what the DC can buy, at what price, since when.

One table for the three kinds, so that one price list (``cmdb catalogue import``)
holds them all: a server model has cores and RAM, a storage shelf raw TB, a link
tier a speed and a network (empty: any network without tiers of its own). Prices
are VND — a link tier's a year — as of ``priced_on``.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cmdb.choices import CatalogueKind, Network
from cmdb.db import Base, enum_column
from cmdb.models.mixins import TimestampMixin

#: The fields each kind needs (the table's CHECK ``kind_fields``).
KIND_FIELDS = (
    "(kind = 'server' AND cores > 0 AND ram_gb > 0)"
    " OR (kind = 'storage_shelf' AND raw_tb > 0)"
    " OR (kind = 'link_tier' AND mbps > 0)"
)


class CatalogueItem(TimestampMixin, Base):
    """One entry of the price list: a server model, a storage shelf or a link tier."""

    __tablename__ = "catalogue_item"
    __table_args__ = (
        sa.CheckConstraint("price_vnd >= 0", name="price_nonnegative"),
        sa.CheckConstraint(KIND_FIELDS, name="kind_fields"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CatalogueKind] = mapped_column(enum_column(CatalogueKind), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    network: Mapped[Network | None] = mapped_column(enum_column(Network), nullable=True)
    cores: Mapped[int | None] = mapped_column(doc="Physical cores of a server model")
    ram_gb: Mapped[float | None] = mapped_column(doc="RAM of a server model, GB")
    raw_tb: Mapped[float | None] = mapped_column(doc="Raw capacity of a shelf, TB")
    mbps: Mapped[float | None] = mapped_column(doc="Speed of a link tier")
    price_vnd: Mapped[float] = mapped_column(doc="VND per unit; a link tier's per year")
    priced_on: Mapped[date] = mapped_column(doc="Day the price was quoted")

    def __repr__(self) -> str:
        return f"<CatalogueItem {self.kind} {self.name} {self.price_vnd:,.0f} VND>"
