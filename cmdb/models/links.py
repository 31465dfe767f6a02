"""Links: the circuits through which every commune reaches the data centre."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cmdb.choices import Network, Redundancy, SiteKind, Status
from cmdb.db import Base, enum_column
from cmdb.models.mixins import VALID_DATES, DatedMixin, SourcedMixin, TimestampMixin

if TYPE_CHECKING:
    from cmdb.models.dcim import Interface
    from cmdb.models.geo import Site


class Link(DatedMixin, SourcedMixin, Base):
    """A circuit or cable between two sites (optionally two interfaces).

    Capacity is the commit rate when the provider sells one, else the port speed.
    A cable inside one site (both ends in the DC) names its interfaces (one, when the
    other end is a patch panel's port or a circuit's termination); it is an edge of no
    path to the DC and never a DC uplink (see ``inside_one_site``).
    A circuit with one known end (a provider network, an Internet transit) keeps the
    other end empty (``open_ended``): it is on no path, and is a DC uplink of its
    network when its known end is the DC.
    """

    __tablename__ = "link"
    __table_args__ = (
        sa.CheckConstraint(
            "commit_rate_mbps IS NULL OR commit_rate_mbps > 0", name="commit_rate_positive"
        ),
        sa.CheckConstraint(
            "port_speed_mbps IS NULL OR port_speed_mbps > 0", name="port_speed_positive"
        ),
        sa.CheckConstraint(
            "commit_rate_mbps IS NOT NULL OR port_speed_mbps IS NOT NULL", name="has_capacity"
        ),
        # Two sites, or one site and an interface (a cable inside the DC: to another
        # interface, or to a patch panel's port or a circuit's termination); two differ.
        sa.CheckConstraint(
            "a_site_id <> b_site_id OR ((a_interface_id IS NOT NULL OR b_interface_id IS NOT NULL)"
            " AND (a_interface_id IS NULL OR b_interface_id IS NULL"
            " OR a_interface_id <> b_interface_id))",
            name="distinct_ends",
        ),
        sa.CheckConstraint(
            "ceiling_pct IS NULL OR (ceiling_pct > 0 AND ceiling_pct <= 100)", name="ceiling_pct"
        ),
        sa.CheckConstraint(VALID_DATES, name="valid_dates"),
        # A circuit with one known end (a provider network, a single termination).
        sa.CheckConstraint("a_site_id IS NOT NULL OR b_site_id IS NOT NULL", name="has_an_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    network: Mapped[Network] = mapped_column(enum_column(Network), index=True)
    status: Mapped[Status] = mapped_column(enum_column(Status), default=Status.ACTIVE)
    a_site_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("site.id", ondelete="RESTRICT"),
        index=True,
        doc="The end nearer the users (empty: an open end)",
    )
    b_site_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("site.id", ondelete="RESTRICT"),
        index=True,
        doc="The end nearer the DC (empty: an open end)",
    )
    a_interface_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interface.id", ondelete="SET NULL")
    )
    b_interface_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("interface.id", ondelete="SET NULL")
    )
    commit_rate_mbps: Mapped[float | None]
    port_speed_mbps: Mapped[float | None]
    provider: Mapped[str | None] = mapped_column(sa.String(100))
    circuit_id: Mapped[str | None] = mapped_column(sa.String(100), index=True)
    ceiling_pct: Mapped[float | None] = mapped_column(doc="Override of the default link ceiling")

    a_site: Mapped[Site | None] = relationship(foreign_keys=[a_site_id])
    b_site: Mapped[Site | None] = relationship(foreign_keys=[b_site_id])
    a_interface: Mapped[Interface | None] = relationship(foreign_keys=[a_interface_id])
    b_interface: Mapped[Interface | None] = relationship(foreign_keys=[b_interface_id])

    @property
    def inside_one_site(self) -> bool:
        """A cable between two interfaces of one site, not a way from a site to another."""
        return self.a_site_id == self.b_site_id

    @property
    def open_ended(self) -> bool:
        return self.a_site_id is None or self.b_site_id is None

    @property
    def capacity_mbps(self) -> float:
        """Commit rate, else port speed (a constraint guarantees one is set)."""
        if self.commit_rate_mbps is not None:
            return self.commit_rate_mbps
        return self.port_speed_mbps or 0.0

    def __repr__(self) -> str:
        return f"<Link {self.name} {self.network} {self.capacity_mbps} Mbps>"


class NetworkSetting(TimestampMixin, Base):
    """How capacity treats one network's DC uplinks (DESIGN §6), kept by the planners.

    ``uplink_site_kinds``: a link from the DC counts as the network's DC uplink when its
    far end is a site of one of these kinds (default: a provider's point of presence);
    links from the DC to districts or communes are paths, not uplinks. ``redundancy``:
    active/standby (each uplink carries the whole DC-side demand) or load-sharing (the
    demand splits in proportion to capacity). A network without a row takes the defaults.
    """

    __tablename__ = "network_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    network: Mapped[Network] = mapped_column(enum_column(Network), unique=True)
    redundancy: Mapped[Redundancy] = mapped_column(
        enum_column(Redundancy), default=Redundancy.ACTIVE_STANDBY
    )
    uplink_site_kinds: Mapped[list[str]] = mapped_column(
        sa.JSON, default=lambda: [SiteKind.POP.value]
    )

    def __repr__(self) -> str:
        return f"<NetworkSetting {self.network} {self.redundancy}>"
