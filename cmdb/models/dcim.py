"""Racks, devices and interfaces: the physical inventory."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import DeviceRole, RackFace, Status
from cmdb.db import Base, enum_column, trigram_index
from cmdb.models.mixins import SourcedMixin

if TYPE_CHECKING:
    from cmdb.models.geo import Site
    from cmdb.models.pools import Cluster, StoragePool


class Rack(SourcedMixin, Base):
    __tablename__ = "rack"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "name"),
        sa.CheckConstraint("u_height > 0 AND u_height <= 60", name="u_height_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(sa.String(60))
    u_height: Mapped[int] = mapped_column(default=42)
    location: Mapped[str | None] = mapped_column(
        sa.String(200), doc="Where in the site, outermost first: 'Phòng máy 1 / Dãy A'"
    )
    power_kw: Mapped[float | None] = mapped_column(doc="Power budget of the rack in kW")

    site: Mapped[Site] = relationship()
    devices: Mapped[list[Device]] = relationship(back_populates="rack", order_by="Device.name")


class Device(SourcedMixin, Base):
    """A server, storage array, switch, router or firewall, with its specs."""

    __tablename__ = "device"
    __table_args__ = (
        sa.UniqueConstraint("site_id", "name"),
        sa.CheckConstraint("cores IS NULL OR cores > 0", name="cores_positive"),
        sa.CheckConstraint("ram_gb IS NULL OR ram_gb > 0", name="ram_gb_positive"),
        sa.CheckConstraint(
            "raw_storage_tb IS NULL OR raw_storage_tb >= 0", name="raw_storage_tb_nonnegative"
        ),
        sa.CheckConstraint("rack_position_u IS NULL OR rack_position_u > 0", name="position_u"),
        sa.CheckConstraint(
            "height_u IS NULL OR (height_u > 0 AND height_u <= 60)", name="height_u_range"
        ),
        sa.Index("ix_device_serial", "serial"),
        # A site's devices in id order (also the foreign key's index): the API's list of
        # one site reads its page from here instead of sorting the whole site (0011).
        sa.Index("ix_device_site_id_id", "site_id", "id"),
        # the API's q= on devices: name, serial, management address, model; global search's
        # asset tag (0018)
        *(
            trigram_index("device", c)
            for c in ("name", "serial", "management_address", "model", "asset_tag")
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    name_generated: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        doc="The source had no name: this one was made from its type and the source's id",
    )
    role: Mapped[DeviceRole] = mapped_column(enum_column(DeviceRole))
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)
    manufacturer: Mapped[str | None] = mapped_column(sa.String(100))
    model: Mapped[str | None] = mapped_column(sa.String(100))
    serial: Mapped[str | None] = mapped_column(sa.String(100))
    asset_tag: Mapped[str | None] = mapped_column(
        sa.String(50), doc="The owner's inventory label (NetBox's asset tag)"
    )
    firmware: Mapped[str | None] = mapped_column(sa.String(100), doc="Software/firmware version")
    platform: Mapped[str | None] = mapped_column(
        sa.String(100), doc="Operating system or firmware family, e.g. NetBox's platform"
    )
    sys_object_id: Mapped[str | None] = mapped_column(
        sa.String(128), doc="SNMP sysObjectID: the vendor's identifier of the platform"
    )
    chassis_id: Mapped[str | None] = mapped_column(
        sa.String(64), doc="LLDP chassis id (usually the base MAC): how neighbours name it"
    )
    management_address: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    sys_location: Mapped[str | None] = mapped_column(
        sa.String(255), doc="SNMP sysLocation: where the device's own configuration says it is"
    )
    sys_contact: Mapped[str | None] = mapped_column(
        sa.String(255), doc="SNMP sysContact: whom its configuration names"
    )
    snmp_profile: Mapped[str | None] = mapped_column(
        sa.String(100), doc="The credential profile its agent last answered (tried first)"
    )
    site_id: Mapped[int] = mapped_column(sa.ForeignKey("site.id", ondelete="RESTRICT"))
    rack_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("rack.id", ondelete="SET NULL"), index=True
    )
    rack_position_u: Mapped[int | None]
    rack_face: Mapped[RackFace | None] = mapped_column(
        enum_column(RackFace), doc="Mounted on the front or the rear; none: full depth"
    )
    height_u: Mapped[int | None] = mapped_column(doc="Rack units the device takes (from U up)")
    location: Mapped[str | None] = mapped_column(
        sa.String(200), doc="Where in the site, outermost first (a device may have no rack)"
    )
    tags: Mapped[list[str]] = mapped_column(
        sa.JSON, default=list, server_default="[]", doc="Tag slugs (NetBox's tags)"
    )
    cores: Mapped[int | None] = mapped_column(doc="Physical CPU cores")
    ram_gb: Mapped[float | None]
    raw_storage_tb: Mapped[float | None]
    cluster_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("cluster.id", ondelete="SET NULL"), index=True
    )
    storage_pool_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("storage_pool.id", ondelete="SET NULL"), index=True
    )

    site: Mapped[Site] = relationship()
    rack: Mapped[Rack | None] = relationship(back_populates="devices")
    cluster: Mapped[Cluster | None] = relationship(back_populates="hosts")
    storage_pool: Mapped[StoragePool | None] = relationship(back_populates="devices")
    interfaces: Mapped[list[Interface]] = relationship(
        back_populates="device", order_by="Interface.name", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Device {self.name}>"


class Interface(SourcedMixin, Base):
    __tablename__ = "interface"
    __table_args__ = (
        sa.UniqueConstraint("device_id", "name"),
        sa.CheckConstraint("speed_mbps IS NULL OR speed_mbps > 0", name="speed_positive"),
        # the API's q= on interfaces (a million rows in a large estate)
        *(trigram_index("interface", c) for c in ("name", "description", "mac_address")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    device_id: Mapped[int] = mapped_column(
        sa.ForeignKey("device.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(64))
    description: Mapped[str | None] = mapped_column(sa.String(200))
    if_index: Mapped[int | None] = mapped_column(doc="SNMP ifIndex")
    if_type: Mapped[str | None] = mapped_column(
        sa.String(40), doc="IANA ifType, e.g. ethernetCsmacd"
    )
    speed_mbps: Mapped[int | None]
    mac_address: Mapped[str | None] = mapped_column(sa.String(17))
    ip_addresses: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    enabled: Mapped[bool] = mapped_column(default=True)

    device: Mapped[Device] = relationship(back_populates="interfaces")
