"""Reads what the planner compares against: the inventory as plain records."""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from cmdb.choices import SiteKind, Source
from cmdb.models import Device, Discrepancy, Interface, Link, RecordSource, Site
from cmdb.services.discrepancies import UNSETTLED
from discovery.known import Inventory, KnownDevice, KnownInterface, KnownLink, KnownSite


def load_known(session: Session) -> Inventory:
    """Every device (with interfaces), link, site and open discrepancy, in five queries."""
    endpoints = _snmp_ids(session)
    devices = tuple(
        _device(d, endpoints.get(d.id))
        for d in session.scalars(sa.select(Device).options(selectinload(Device.interfaces)))
    )
    links = tuple(
        KnownLink(lk.id, lk.a_site_id, lk.b_site_id, lk.a_interface_id, lk.b_interface_id)
        for lk in session.scalars(sa.select(Link))
    )
    sites = tuple(
        KnownSite(s.id, s.slug, s.name, s.kind == SiteKind.DATA_CENTRE)
        for s in session.scalars(sa.select(Site))
    )
    opened = {
        (d.object_type, d.object_id, d.field): d.values
        for d in session.scalars(sa.select(Discrepancy).where(Discrepancy.status.in_(UNSETTLED)))
    }
    return Inventory(devices, links, sites, opened)


def _snmp_ids(session: Session) -> dict[int, str]:
    rows = session.execute(
        sa.select(RecordSource.object_id, RecordSource.external_id).where(
            RecordSource.object_type == "device", RecordSource.source == Source.SNMP
        )
    )
    return {oid: ext for oid, ext in rows if ext}


def _device(d: Device, endpoint: str | None) -> KnownDevice:
    return KnownDevice(
        id=d.id,
        name=d.name,
        site_id=d.site_id,
        serial=d.serial,
        model=d.model,
        manufacturer=d.manufacturer,
        firmware=d.firmware,
        sys_object_id=d.sys_object_id,
        chassis_id=d.chassis_id,
        management_address=d.management_address,
        cores=d.cores,
        ram_gb=d.ram_gb,
        raw_storage_tb=d.raw_storage_tb,
        snmp_endpoint=endpoint,
        interfaces=tuple(
            KnownInterface(
                id=i.id,
                name=i.name,
                if_index=i.if_index,
                if_type=i.if_type,
                description=i.description,
                speed_mbps=i.speed_mbps,
                mac_address=i.mac_address,
                ip_addresses=tuple(i.ip_addresses or ()),
                enabled=i.enabled,
            )
            for i in d.interfaces
        ),
    )


def snmp_endpoints(session: Session) -> dict[int, str]:
    """Device id → the SNMP endpoint it was discovered at (what polls ask)."""
    return _snmp_ids(session)


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
