"""Reads what a poll needs of the inventory: each device's interfaces by ifIndex.

(The inventory the discovery planner compares against is the core's snapshot,
``discovery.core.snapshot``.)"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.models import Interface


def interfaces_by_index(
    session: Session, device_ids: list[int]
) -> dict[int, dict[int, tuple[int, int | None]]]:
    """Device id → ifIndex → (interface id, speed): counters become interface series."""
    out: dict[int, dict[int, tuple[int, int | None]]] = defaultdict(dict)
    rows = session.execute(
        sa.select(
            Interface.device_id, Interface.if_index, Interface.id, Interface.speed_mbps
        ).where(Interface.device_id.in_(device_ids), Interface.if_index.is_not(None))
    )
    for device_id, if_index, if_id, speed in rows:
        assert if_index is not None  # the query keeps set ifIndexes only
        out[device_id][if_index] = (if_id, speed)
    return out
