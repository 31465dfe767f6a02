"""One device with everything its page shows (the list is the generic listing's)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from cmdb.models import Device, Site


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
