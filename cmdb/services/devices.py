"""One device with everything its page shows (the list is the generic listing's)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from cmdb.models import Device, Link, Site


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


def load_interface_links(session: Session, interface_ids: list[int]) -> dict[int, Link]:
    """Interface id → the link or cable plugged into it (either end), for a device's page."""
    if not interface_ids:
        return {}
    stmt = sa.select(Link).where(
        sa.or_(Link.a_interface_id.in_(interface_ids), Link.b_interface_id.in_(interface_ids))
    )
    found: dict[int, Link] = {}
    for link in session.scalars(stmt):
        for end in (link.a_interface_id, link.b_interface_id):
            if end in interface_ids:
                found[end] = link
    return found
