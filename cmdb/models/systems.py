"""Information systems (HTTT/CSDL) and the workloads (VMs) that run them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import Status
from cmdb.db import Base, enum_column
from cmdb.models.mixins import SourcedMixin

if TYPE_CHECKING:
    from cmdb.models.geo import Agency
    from cmdb.models.pools import Cluster, StoragePool


class InformationSystem(SourcedMixin, Base):
    """A system with its owner and security level (cấp độ ATTT, 1–5)."""

    __tablename__ = "information_system"
    __table_args__ = (
        sa.CheckConstraint("security_level BETWEEN 1 AND 5", name="security_level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    code: Mapped[str | None] = mapped_column(sa.String(40), unique=True)
    description: Mapped[str | None] = mapped_column(sa.Text)
    agency_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agency.id", ondelete="RESTRICT"), index=True
    )
    security_level: Mapped[int]
    zones: Mapped[list[str]] = mapped_column(sa.JSON, default=list, doc="Zone values")
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)

    agency: Mapped[Agency] = relationship()
    # A system's VMs go with it, as the foreign key's ON DELETE CASCADE says (the ORM
    # would otherwise try to set their NOT NULL system to NULL).
    workloads: Mapped[list[Workload]] = relationship(
        back_populates="information_system",
        order_by="Workload.name",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"<InformationSystem {self.name}>"


class Workload(SourcedMixin, Base):
    """A virtual machine of a system, placed on a cluster and a storage pool.

    One without vCPU or memory (a stock NetBox's VM often has neither) is kept and
    marked ``incomplete``, and capacity leaves it out (``sized``), counting how many."""

    __tablename__ = "workload"
    __table_args__ = (
        sa.UniqueConstraint("information_system_id", "name"),
        sa.CheckConstraint("vcpu > 0", name="vcpu_positive"),
        sa.CheckConstraint("ram_gb > 0", name="ram_gb_positive"),
        sa.CheckConstraint("disk_gb >= 0", name="disk_gb_nonnegative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    information_system_id: Mapped[int] = mapped_column(
        sa.ForeignKey("information_system.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    vcpu: Mapped[int | None] = mapped_column(doc="Empty: unknown (incomplete, not counted)")
    ram_gb: Mapped[float | None] = mapped_column(doc="Empty: unknown (incomplete, not counted)")
    disk_gb: Mapped[float] = mapped_column(default=0.0)
    incomplete: Mapped[str | None] = mapped_column(
        sa.String(200), doc="What its source lacks (no tenant, size): kept, left out if unsized"
    )
    management_address: Mapped[str | None] = mapped_column(
        sa.String(80), doc="The VM's primary address (NetBox primary IP; Ansible's target)"
    )
    cluster_id: Mapped[int] = mapped_column(
        sa.ForeignKey("cluster.id", ondelete="RESTRICT"), index=True
    )
    storage_pool_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("storage_pool.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)
    tags: Mapped[list[str]] = mapped_column(
        sa.JSON, default=list, server_default="[]", doc="Tag slugs (NetBox's tags)"
    )

    information_system: Mapped[InformationSystem] = relationship(back_populates="workloads")
    cluster: Mapped[Cluster] = relationship(back_populates="workloads")
    storage_pool: Mapped[StoragePool | None] = relationship(back_populates="workloads")

    @property
    def sized(self) -> bool:
        """Whether capacity can count it: its vCPU and memory are known."""
        return self.vcpu is not None and self.ram_gb is not None
