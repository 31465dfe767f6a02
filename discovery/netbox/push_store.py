"""What a push to NetBox reads from and writes back to Headroom's database.

``push.py`` talks to NetBox only; these two functions are its database side: the
devices and interfaces SNMP saw that NetBox lacks, and the NetBox ids of what the
push created (so the next sync and push know them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from cmdb.choices import Source
from cmdb.db import transaction, utcnow
from cmdb.models import Device, Interface, RecordSource
from cmdb.services.provenance import mark_seen


@dataclass(frozen=True)
class Candidate:
    device: Device
    netbox_id: str | None  # set when NetBox documents the device: only interfaces are missing
    site_netbox_id: str | None
    interfaces: tuple[Interface, ...]


def load_push_candidates(session: Session) -> list[Candidate]:
    """Devices and interfaces SNMP saw that have no NetBox id."""
    sources = _sources(session)
    devices = session.scalars(
        sa.select(Device).options(selectinload(Device.interfaces)).order_by(Device.name)
    )
    result = []
    for d in devices:
        if "snmp" not in sources.get(("device", d.id), {}):
            continue
        netbox_id = sources[("device", d.id)].get("netbox")
        missing = tuple(
            i
            for i in d.interfaces
            if "snmp" in sources.get(("interface", i.id), {})
            and "netbox" not in sources.get(("interface", i.id), {})
        )
        if netbox_id is None or missing:
            site_id = sources.get(("site", d.site_id), {}).get("netbox")
            result.append(Candidate(d, netbox_id, site_id, missing))
    return result


def _sources(session: Session) -> dict[tuple[str, int], dict[str, str | None]]:
    rows = session.execute(
        sa.select(
            RecordSource.object_type,
            RecordSource.object_id,
            RecordSource.source,
            RecordSource.external_id,
        ).where(RecordSource.object_type.in_(("device", "interface", "site")))
    )
    found: dict[tuple[str, int], dict[str, str | None]] = {}
    for object_type, object_id, source, external_id in rows:
        found.setdefault((object_type, object_id), {})[str(Source(source).value)] = external_id
    return found


def record_pushed(
    session_factory: Callable[[], Session], devices: dict[int, str], interfaces: dict[int, str]
) -> None:
    """The created objects' NetBox ids, so the next sync and push know them."""
    if not devices and not interfaces:
        return
    at = utcnow()
    with transaction(session_factory) as session:  # type: ignore[arg-type]
        rows = session.scalars(sa.select(Device).where(Device.id.in_(devices))).all()
        mark_seen(session, rows, Source.NETBOX, lambda d: devices[d.id], at)
        ifs = session.scalars(sa.select(Interface).where(Interface.id.in_(interfaces))).all()
        mark_seen(session, ifs, Source.NETBOX, lambda i: interfaces[i.id], at)
