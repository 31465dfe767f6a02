"""Counts of everything in the inventory, for the overview page and health checks.

Six queries whatever the size: one row of plain counts (scalar subqueries) and
one ``GROUP BY`` per breakdown. Dated records (admin units, agencies, links) count
when in force on the day asked for. Every choice appears in a breakdown, with 0 when
absent, so the page's layout does not change as data arrives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from cmdb.choices import AdminLevel, DeviceRole, Network, RequestStatus, SiteKind
from cmdb.db import Base
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Rack,
    ResourceRequest,
    Site,
    StoragePool,
    Workload,
)
from cmdb.services.as_of import in_force

_PLAIN: dict[str, type[Base]] = {
    "agencies": Agency,
    "racks": Rack,
    "interfaces": Interface,
    "clusters": Cluster,
    "storage_pools": StoragePool,
    "information_systems": InformationSystem,
    "workloads": Workload,
}


@dataclass(frozen=True, slots=True)
class InventoryCounts:
    admin_units_by_level: dict[str, int]
    sites_by_kind: dict[str, int]
    devices_by_role: dict[str, int]
    links_by_network: dict[str, int]
    requests_by_status: dict[str, int]
    agencies: int
    racks: int
    interfaces: int
    clusters: int
    storage_pools: int
    information_systems: int
    workloads: int


def load_inventory_counts(session: Session, on: date) -> InventoryCounts:
    """What the inventory holds on ``on``: admin units, agencies and links in force that
    day (a reform's dissolved units and ended committees are history, not counted)."""
    dated = {"agencies": Agency}
    plain = session.execute(
        sa.select(
            *(
                sa.select(sa.func.count())
                .select_from(model)
                .where(*([in_force(on, model)] if name in dated else []))
                .scalar_subquery()
                .label(name)
                for name, model in _PLAIN.items()
            )
        )
    ).one()
    return InventoryCounts(
        admin_units_by_level=_count_by(
            session, AdminUnit.level, AdminLevel, in_force(on, AdminUnit)
        ),
        sites_by_kind=_count_by(session, Site.kind, SiteKind),
        devices_by_role=_count_by(session, Device.role, DeviceRole),
        links_by_network=_count_by(session, Link.network, Network, in_force(on, Link)),
        requests_by_status=_count_by(session, ResourceRequest.status, RequestStatus),
        **plain._asdict(),
    )


def _count_by(
    session: Session,
    column: InstrumentedAttribute[StrEnum],
    choices: type[StrEnum],
    *where: sa.ColumnElement[bool],
) -> dict[str, int]:
    rows = session.execute(sa.select(column, sa.func.count()).where(*where).group_by(column))
    return complete_counts(choices, ((value, count) for value, count in rows))


def complete_counts(choices: Iterable[StrEnum], rows: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Counts in the choices' declared order, every choice present (0 when absent)."""
    counts = {str(choice): 0 for choice in choices}
    for value, count in rows:
        counts[str(value)] = counts.get(str(value), 0) + count
    return counts


def load_link_capacity_counts(session: Session) -> list[tuple[str, float, int]]:
    """(network, capacity Mbps, number of links): the input of the capacity-band chart."""
    capacity = sa.func.coalesce(Link.commit_rate_mbps, Link.port_speed_mbps)
    stmt = (
        sa.select(Link.network, capacity, sa.func.count())
        .group_by(Link.network, capacity)
        .order_by(Link.network, capacity)
    )
    return [(str(network), float(mbps), n) for network, mbps, n in session.execute(stmt)]
