"""The one writer of discovery: a plan becomes rows, with change log and provenance.

Nothing else in ``discovery`` writes inventory. It never commits (the caller
owns the transaction) and never deletes: what a run did not see stays as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, DeviceRole, DiscrepancyKind, Network, Source
from cmdb.db import utcnow
from cmdb.models import Device, DiscoveryRun, Interface, Link, Observation
from cmdb.services.discrepancies import raise_discrepancy
from cmdb.services.provenance import log_change, mark_seen
from discovery.plan import CREATE, UPDATE, DevicePlan, DiscrepancyPlan, LinkEnd, LinkPlan, Plan

ACTOR = "snmp-discovery"


def apply_plan(session: Session, plan: Plan, run: DiscoveryRun) -> dict[str, Device]:
    """Write the plan; return the devices by plan key (new ones with their ids)."""
    at = utcnow()
    devices = {p.key: _apply_device(session, p) for p in plan.devices}
    session.flush()
    for p in plan.devices:
        _apply_interfaces(session, devices[p.key], p)
    session.flush()
    for p in plan.devices:
        _log_device(session, devices[p.key], p)
        for d in p.discrepancies:
            _open_discrepancy(session, devices[p.key], d)
        _observe(session, run, devices[p.key], p, at)
    links = [_apply_link(session, devices, lp) for lp in plan.links]
    session.flush()
    _mark_seen(session, plan, devices, links, at)
    session.flush()
    return devices


def _apply_device(session: Session, p: DevicePlan) -> Device:
    if p.action == CREATE:
        fields = {c.field: c.new for c in p.changes}
        fields["role"] = DeviceRole(fields.get("role", "other"))
        device = Device(site_id=p.site_id, **fields)
        session.add(device)
        return device
    device = session.get_one(Device, p.device_id)
    for c in p.changes:
        setattr(device, c.field, c.new)
    return device


def _apply_interfaces(session: Session, device: Device, p: DevicePlan) -> None:
    by_id = {i.id: i for i in device.interfaces}
    for ip in p.interfaces:
        if ip.action == CREATE:
            fields = {c.field: c.new for c in ip.changes}
            device.interfaces.append(Interface(name=ip.name, **fields))
        elif ip.action == UPDATE and ip.interface_id in by_id:
            for c in ip.changes:
                setattr(by_id[ip.interface_id], c.field, c.new)


def _log_device(session: Session, device: Device, p: DevicePlan) -> None:
    if p.action == CREATE:
        after: dict[str, Any] = {c.field: c.new for c in p.changes}
        log_change(
            session,
            actor=ACTOR,
            action=ChangeAction.CREATE,
            obj=device,
            object_repr=device.name,
            before=None,
            after=after,
        )
    elif p.changes or any(i.action != "none" for i in p.interfaces):
        before = {c.field: c.old for c in p.changes}
        after = {c.field: c.new for c in p.changes}
        touched = [i.name for i in p.interfaces if i.action != "none"]
        if touched:
            after["interfaces"] = touched
        log_change(
            session,
            actor=ACTOR,
            action=ChangeAction.UPDATE,
            obj=device,
            object_repr=device.name,
            before=before,
            after=after,
        )


def _open_discrepancy(session: Session, device: Device, d: DiscrepancyPlan) -> None:
    """One unsettled discrepancy per (record, field): a newer disagreement updates its values."""
    obj_id = device.id
    if d.object_type == "interface":
        obj_id = next(i.id for i in device.interfaces if i.name == d.interface_name)
    raise_discrepancy(
        session,
        kind=DiscrepancyKind.MISMATCH,
        object_type=d.object_type,
        object_id=obj_id,
        field=d.field,
        values={"inventory": d.inventory, "snmp": d.snmp},
    )


def _observe(
    session: Session, run: DiscoveryRun, device: Device, p: DevicePlan, at: datetime
) -> None:
    obs = p.observation
    data = {
        "system": asdict(obs.system),
        "chassis": asdict(obs.chassis) if obs.chassis else None,
        "host": asdict(obs.host) if obs.host else None,
        "lldp_chassis_id": obs.lldp_chassis_id,
        "lldp_sys_name": obs.lldp_sys_name,
        "interfaces": len(obs.interfaces),
        "neighbours": [asdict(n) for n in obs.neighbours],
        "missing": list(obs.missing),
        "matched_by": p.matched_by,
    }
    session.add(
        Observation(
            run=run,
            object_type="device",
            external_id=obs.target.address,
            object_id=device.id,
            data=data,
            observed_at=at,
        )
    )


def _interface(devices: dict[str, Device], end: LinkEnd) -> Interface | None:
    if end.interface_name is None or end.device_key not in devices:
        return None
    interfaces = devices[end.device_key].interfaces
    return next((i for i in interfaces if i.name == end.interface_name), None)


def _apply_link(session: Session, devices: dict[str, Device], lp: LinkPlan) -> Link:
    a_if, b_if = _interface(devices, lp.a), _interface(devices, lp.b)
    if lp.action == UPDATE:
        link = session.get_one(Link, lp.link_id)
        before = {"a_interface_id": link.a_interface_id, "b_interface_id": link.b_interface_id}
        link.a_interface_id = a_if.id if a_if else None
        link.b_interface_id = b_if.id if b_if else None
        after = {"a_interface_id": link.a_interface_id, "b_interface_id": link.b_interface_id}
        log_change(
            session,
            actor=ACTOR,
            action=ChangeAction.UPDATE,
            obj=link,
            object_repr=link.name,
            before=before,
            after=after,
        )
        return link
    link = Link(
        name=lp.name,
        network=Network(lp.network),
        a_site_id=lp.a_site_id,
        b_site_id=lp.b_site_id,
        a_interface_id=a_if.id if a_if else None,
        b_interface_id=b_if.id if b_if else None,
        port_speed_mbps=float(lp.port_speed_mbps or 0) or None,
    )
    session.add(link)
    session.flush()
    log_change(
        session,
        actor=ACTOR,
        action=ChangeAction.CREATE,
        obj=link,
        object_repr=link.name,
        before=None,
        after={"name": lp.name, "port_speed_mbps": lp.port_speed_mbps},
    )
    return link


def _mark_seen(
    session: Session,
    plan: Plan,
    devices: dict[str, Device],
    links: Sequence[Link],
    at: datetime,
) -> None:
    endpoint = {id(devices[p.key]): p.observation.target.address for p in plan.devices}
    mark_seen(session, list(devices.values()), Source.SNMP, lambda d: endpoint[id(d)], at)
    seen_ifs = [
        i
        for p in plan.devices
        for i in devices[p.key].interfaces
        if i.name in {ip.name for ip in p.interfaces}
    ]
    mark_seen(session, seen_ifs, Source.SNMP, lambda i: str(i.if_index), at)
    mark_seen(session, list(links), Source.SNMP, lambda lk: f"lldp:{lk.id}", at)
