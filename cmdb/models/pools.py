"""Compute clusters and storage pools: the capacity the DC can offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import PROTECTION_EFFICIENCY, Protection, StoragePoolKind, Zone
from cmdb.db import Base, enum_column
from cmdb.models.mixins import SourcedMixin

if TYPE_CHECKING:
    from cmdb.models.dcim import Device
    from cmdb.models.geo import Site
    from cmdb.models.systems import Workload


cluster_storage_pool = sa.Table(
    "cluster_storage_pool",
    Base.metadata,
    sa.Column("cluster_id", sa.ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True),
    sa.Column(
        "storage_pool_id", sa.ForeignKey("storage_pool.id", ondelete="CASCADE"), primary_key=True
    ),
)
"""Which clusters can mount which pools; a pool with no row is mountable by every cluster."""


class Cluster(SourcedMixin, Base):
    """A compute pool: its hosts, allocation ratios, HA reserve and certification."""

    __tablename__ = "cluster"
    __table_args__ = (
        sa.CheckConstraint("cpu_ratio > 0", name="cpu_ratio_positive"),
        sa.CheckConstraint("ram_ratio > 0", name="ram_ratio_positive"),
        sa.CheckConstraint("ha_reserve_hosts >= 0", name="ha_reserve_nonnegative"),
        sa.CheckConstraint("max_security_level BETWEEN 1 AND 5", name="max_security_level_range"),
        sa.CheckConstraint("ceiling_pct > 0 AND ceiling_pct <= 100", name="ceiling_pct"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    description: Mapped[str | None] = mapped_column(sa.String(300))
    site_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("site.id", ondelete="RESTRICT"),
        index=True,
        doc="Empty: unplaced (NetBox scopes it to no site, or to a region or site group)",
    )
    cpu_ratio: Mapped[float] = mapped_column(default=4.0, doc="vCPU per physical core")
    ram_ratio: Mapped[float] = mapped_column(default=1.0, doc="vRAM per GB of physical RAM")
    ha_reserve_hosts: Mapped[int] = mapped_column(default=1)
    max_security_level: Mapped[int] = mapped_column(doc="Highest level it is certified for")
    zones: Mapped[list[str]] = mapped_column(sa.JSON, default=list, doc="Zone values")
    ceiling_pct: Mapped[float] = mapped_column(default=85.0)

    site: Mapped[Site | None] = relationship()
    hosts: Mapped[list[Device]] = relationship(back_populates="cluster", order_by="Device.name")
    workloads: Mapped[list[Workload]] = relationship(back_populates="cluster")
    storage_pools: Mapped[list[StoragePool]] = relationship(
        secondary=cluster_storage_pool, back_populates="clusters", order_by="StoragePool.name"
    )

    @property
    def zone_set(self) -> frozenset[Zone]:
        return frozenset(Zone(z) for z in self.zones)

    def __repr__(self) -> str:
        return f"<Cluster {self.name}>"


class StoragePool(SourcedMixin, Base):
    """Raw capacity, protection scheme (hence usable TB) and planning ceiling."""

    __tablename__ = "storage_pool"
    __table_args__ = (
        sa.CheckConstraint("raw_tb > 0", name="raw_tb_positive"),
        sa.CheckConstraint("ceiling_pct > 0 AND ceiling_pct <= 100", name="ceiling_pct"),
        sa.CheckConstraint("max_security_level BETWEEN 1 AND 5", name="max_security_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    kind: Mapped[StoragePoolKind] = mapped_column(enum_column(StoragePoolKind))
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"), index=True)
    protection: Mapped[Protection] = mapped_column(enum_column(Protection))
    raw_tb: Mapped[float]
    ceiling_pct: Mapped[float] = mapped_column(default=80.0)
    max_security_level: Mapped[int] = mapped_column(default=3)

    site: Mapped[Site] = relationship()
    devices: Mapped[list[Device]] = relationship(back_populates="storage_pool")
    workloads: Mapped[list[Workload]] = relationship(back_populates="storage_pool")
    clusters: Mapped[list[Cluster]] = relationship(
        secondary=cluster_storage_pool, back_populates="storage_pools", order_by="Cluster.name"
    )

    @property
    def usable_tb(self) -> float:
        return self.raw_tb * PROTECTION_EFFICIENCY[self.protection]

    def __repr__(self) -> str:
        return f"<StoragePool {self.name}>"
