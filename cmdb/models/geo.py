"""Administrative units, agencies and sites: where things are and who owns them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import AdminLevel, AgencyKind, SiteKind, Status
from cmdb.db import Base, enum_column
from cmdb.models.mixins import VALID_DATES, DatedMixin, SourcedMixin

if TYPE_CHECKING:
    from cmdb.models.dcim import Rack
    from cmdb.models.links import Link


class AdminUnit(SourcedMixin, Base):
    """A node of the administrative tree (GSO codes); any depth, dated validity.

    The 2025 reform removed the district level: a unit's parent may then be the
    province itself, so nothing assumes three levels. A reform also reuses codes
    (Phường Tân Thạnh 20335 became part of a new Phường Bàn Thạch 20335), so a code
    is unique only among the units still in force (``valid_to`` empty); a dissolved
    unit keeps its row, its dates and, when the whole of it went into one unit, its
    ``successor``. ``valid_from`` is inclusive, ``valid_to`` exclusive.
    """

    __tablename__ = "admin_unit"
    __table_args__ = (
        sa.Index(
            "uq_admin_unit_code_in_force",
            "code",
            unique=True,
            sqlite_where=sa.text("valid_to IS NULL"),
            postgresql_where=sa.text("valid_to IS NULL"),
        ),
        sa.CheckConstraint(
            "valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to", name="valid_dates"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(10), index=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    level: Mapped[AdminLevel] = mapped_column(enum_column(AdminLevel))
    kind: Mapped[str] = mapped_column(sa.String(60), doc="Tỉnh, Huyện, Thị xã, Xã, Phường, …")
    parent_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("admin_unit.id", ondelete="RESTRICT"), index=True
    )
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]
    successor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("admin_unit.id", ondelete="RESTRICT"),
        index=True,
        doc="The unit the whole of this one went into when it was dissolved",
    )
    unmapped: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        doc="A source's unit (a NetBox region) that names no unit of the national list: "
        "kept in the tree so that what lies in it is kept; its code is the source's",
    )

    parent: Mapped[AdminUnit | None] = relationship(
        remote_side=[id], back_populates="children", foreign_keys=[parent_id]
    )
    successor: Mapped[AdminUnit | None] = relationship(
        remote_side=[id], foreign_keys=[successor_id]
    )
    children: Mapped[list[AdminUnit]] = relationship(
        back_populates="parent", order_by="AdminUnit.code", foreign_keys=[parent_id]
    )
    sites: Mapped[list[Site]] = relationship(back_populates="admin_unit", order_by="Site.name")

    def __repr__(self) -> str:
        return f"<AdminUnit {self.code} {self.name}>"


class Agency(DatedMixin, SourcedMixin, Base):
    """An owner organisation: a Sở, a ban or ngành, a People's Committee (dated: a
    reform ends the committees of the units it dissolves)."""

    __tablename__ = "agency"
    __table_args__ = (sa.CheckConstraint(VALID_DATES, name="valid_dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    short_name: Mapped[str | None] = mapped_column(sa.String(40))
    kind: Mapped[AgencyKind] = mapped_column(enum_column(AgencyKind))
    admin_unit_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("admin_unit.id", ondelete="RESTRICT"), index=True
    )

    admin_unit: Mapped[AdminUnit | None] = relationship()

    def __repr__(self) -> str:
        return f"<Agency {self.name}>"


class Site(SourcedMixin, Base):
    """A place with equipment; its admin unit is the smallest unit that contains it."""

    __tablename__ = "site"
    __table_args__ = (
        # One site at most is "the DC" (a planner's setting; DESIGN §6).
        sa.Index(
            "uq_site_is_dc",
            "is_dc",
            unique=True,
            sqlite_where=sa.text("is_dc"),
            postgresql_where=sa.text("is_dc"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    kind: Mapped[SiteKind] = mapped_column(enum_column(SiteKind))
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)
    admin_unit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("admin_unit.id", ondelete="RESTRICT"), index=True
    )
    agency_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agency.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str | None] = mapped_column(sa.String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    is_dc: Mapped[bool] = mapped_column(
        default=False,
        server_default=sa.false(),
        doc="The DC that paths lead to (none set: the data centre with the most clusters)",
    )

    admin_unit: Mapped[AdminUnit] = relationship(back_populates="sites")
    agency: Mapped[Agency | None] = relationship()
    # Links to other sites by the end this site is at; cables inside the site apart.
    # (An open end is NULL: a circuit whose other end is a provider network is listed.)
    links_a: Mapped[list[Link]] = relationship(
        primaryjoin="and_(Site.id == Link.a_site_id,"
        " or_(Link.b_site_id.is_(None), Link.a_site_id != Link.b_site_id))",
        viewonly=True,
    )
    links_b: Mapped[list[Link]] = relationship(
        primaryjoin="and_(Site.id == Link.b_site_id,"
        " or_(Link.a_site_id.is_(None), Link.a_site_id != Link.b_site_id))",
        viewonly=True,
    )
    links_inside: Mapped[list[Link]] = relationship(
        primaryjoin="and_(Site.id == Link.a_site_id, Link.a_site_id == Link.b_site_id)",
        viewonly=True,
    )
    racks: Mapped[list[Rack]] = relationship(viewonly=True, order_by="Rack.name")

    @property
    def links(self) -> list[Link]:
        return [*self.links_a, *self.links_b, *self.links_inside]

    def __repr__(self) -> str:
        return f"<Site {self.slug}>"
