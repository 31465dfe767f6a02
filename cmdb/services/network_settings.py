"""A planner sets how capacity treats one network's DC uplinks: one row per network,
created the first time it is set and changed after (the change log keeps both)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Network
from cmdb.models import NetworkSetting
from cmdb.services.editing import create_record, update_record


def save_network_setting(
    session: Session, network: Network, values: Mapping[str, Any], *, actor: str
) -> NetworkSetting:
    """Create or change ``network``'s setting with ``values`` (redundancy, uplink_site_kinds)."""
    stmt = sa.select(NetworkSetting).where(NetworkSetting.network == network)
    found = session.scalars(stmt).first()
    if found is None:
        return create_record(session, NetworkSetting, {"network": network, **values}, actor=actor)
    return update_record(session, found, values, actor=actor)
