"""The device list (filtered, searched, paged) and one device with its interfaces.

The list reads plain columns in two queries per page (the rows and their total),
never one query per device: a page of 50 devices costs the same as a page of 5.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from cmdb.choices import DeviceRole, Status
from cmdb.models import AdminUnit, Cluster, Device, Site
from cmdb.services.paging import Page, clamp_page

S = TypeVar("S", bound="sa.Select[*tuple[Any, ...]]")


@dataclass(frozen=True, slots=True)
class DeviceFilter:
    """What the list is narrowed to; ``None`` means no restriction."""

    site: str | None = None  # a site slug
    role: DeviceRole | None = None
    status: Status | None = None
    q: str | None = None  # case-insensitive text in name, serial, address, model


@dataclass(frozen=True, slots=True)
class DeviceRow:
    id: int
    name: str
    role: str
    status: str
    manufacturer: str | None
    model: str | None
    serial: str | None
    management_address: str | None
    site_name: str
    site_slug: str
    unit_code: str
    cluster_name: str | None


#: The list's sortable columns by name ("-name" sorts descending); the id breaks ties.
ORDERINGS: dict[str, Any] = {
    "name": Device.name,
    "role": Device.role,
    "status": Device.status,
    "model": Device.model,
    "serial": Device.serial,
    "site": Site.name,
    "cluster": Cluster.name,
}


def load_devices(
    session: Session, where: DeviceFilter, page: int, page_size: int, ordering: str = "name"
) -> Page[DeviceRow]:
    """One page of devices in ``ordering`` (a key of ``ORDERINGS``, ``-`` for descending);
    a page past the end gives the last page."""
    base = _filtered(sa.select(Device.id).join(Site, Site.id == Device.site_id), where)
    total = session.scalar(sa.select(sa.func.count()).select_from(base.subquery())) or 0
    number = clamp_page(page, total, page_size)
    stmt = _filtered(
        sa.select(
            Device.id,
            Device.name,
            Device.role,
            Device.status,
            Device.manufacturer,
            Device.model,
            Device.serial,
            Device.management_address,
            Site.name,
            Site.slug,
            AdminUnit.code,
            Cluster.name,
        )
        .join(Site, Site.id == Device.site_id)
        .join(AdminUnit, AdminUnit.id == Site.admin_unit_id)
        .outerjoin(Cluster, Cluster.id == Device.cluster_id),
        where,
    )
    column = ORDERINGS[ordering.removeprefix("-")]
    key = column.desc() if ordering.startswith("-") else column.asc()
    stmt = stmt.order_by(key, Device.name, Device.id)
    stmt = stmt.limit(page_size).offset((number - 1) * page_size)
    # mypy cannot unpack a Row of more than ten typed columns (a TypeVarTuple tail)
    rows = [DeviceRow(*row) for row in session.execute(stmt)]  # type: ignore[call-arg]
    return Page(items=rows, total=total, number=number, size=page_size)


def _filtered(stmt: S, where: DeviceFilter) -> S:
    """Apply the filter; the statement must already join ``Site``."""
    if where.site:
        stmt = stmt.where(Site.slug == where.site)
    if where.role is not None:
        stmt = stmt.where(Device.role == where.role)
    if where.status is not None:
        stmt = stmt.where(Device.status == where.status)
    if where.q:
        text = where.q.strip()
        stmt = stmt.where(
            sa.or_(
                *(
                    column.icontains(text, autoescape=True)
                    for column in (
                        Device.name,
                        Device.serial,
                        Device.management_address,
                        Device.model,
                        Device.manufacturer,
                    )
                )
            )
        )
    return stmt


def load_device_sites(session: Session) -> list[tuple[str, str]]:
    """(slug, name) of the sites that have devices: the choices of the site filter."""
    stmt = (
        sa.select(Site.slug, Site.name)
        .where(sa.exists().where(Device.site_id == Site.id))
        .order_by(Site.name)
    )
    return [(slug, name) for slug, name in session.execute(stmt)]


def get_device(session: Session, device_id: int) -> Device | None:
    """A device with everything its page shows, loaded up front (a handful of queries)."""
    stmt = (
        sa.select(Device)
        .where(Device.id == device_id)
        .options(
            joinedload(Device.site).joinedload(Site.admin_unit),
            joinedload(Device.rack),
            joinedload(Device.cluster),
            joinedload(Device.storage_pool),
            selectinload(Device.interfaces),
        )
    )
    return session.scalars(stmt).unique().one_or_none()
