"""What a push to NetBox reads from Headroom, and how what it created comes back.

``push.py`` talks to NetBox only. Its candidates are read off the discovery core's
snapshot (records and marks, ``core.snapshot.load_snapshot``): devices and interfaces
SNMP saw that NetBox has no mark on. What the push created comes back the way every
source's word does — as NetBox observations, ``Identity(record_id=<Headroom id>,
source_id=<new NetBox id>)`` with no facts, planned and written by the core
(``plan_observations``, ``apply_plan``): the plan marks each record seen by NetBox under
its new id, so the next sync and push know it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.models import DiscoveryRun
from discovery.core.coverage import Coverage
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.observations import Identity, Observation, RecordKind
from discovery.core.plan import Plan
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_snapshot
from discovery.core.writer import apply_plan

DEVICE, INTERFACE, SITE = RecordKind.DEVICE, RecordKind.INTERFACE, RecordKind.SITE


@dataclass(frozen=True)
class Candidate:
    """A device SNMP saw whose NetBox object, or some of whose interfaces' objects, NetBox lacks."""

    device: KnownRecord
    netbox_id: str | None  # set when NetBox documents the device: only interfaces are missing
    site_netbox_id: str | None
    interfaces: tuple[KnownRecord, ...]  # the ones SNMP saw and NetBox lacks
    every_interface: tuple[KnownRecord, ...] = ()  # what a device pushed whole takes along

    @property
    def name(self) -> str:
        return self.device.name or f"device {self.device.id}"


@dataclass
class Pushed:
    """NetBox ids of what a push created (Headroom id → NetBox id)."""

    devices: dict[int, str] = field(default_factory=dict)
    interfaces: dict[int, str] = field(default_factory=dict)


def load_push_candidates(session: Session) -> list[Candidate]:
    """Devices and interfaces SNMP saw that have no NetBox mark, by device name."""
    return push_candidates(load_snapshot(session, (DEVICE, INTERFACE, SITE), words=False))


def push_candidates(snapshot: Snapshot) -> list[Candidate]:
    """``load_push_candidates`` over a snapshot (pure)."""
    sites = {r.id: _netbox_id(r) for r in snapshot.of_kind(SITE)}
    parts: dict[int, list[KnownRecord]] = {}
    for interface in snapshot.of_kind(INTERFACE):
        if interface.parent_id is not None:
            parts.setdefault(interface.parent_id, []).append(interface)
    found = []
    for device in sorted(snapshot.of_kind(DEVICE), key=lambda r: (r.name or "", r.id)):
        if device.mark(Source.SNMP) is None:
            continue
        netbox_id = _netbox_id(device)
        every = tuple(sorted(parts.get(device.id, []), key=lambda r: r.id))
        missing = tuple(
            i for i in every if i.mark(Source.SNMP) is not None and i.mark(Source.NETBOX) is None
        )
        if netbox_id is None or missing:
            site = device.values.get("site_id")
            site_netbox_id = sites.get(site) if isinstance(site, int) else None
            found.append(Candidate(device, netbox_id, site_netbox_id, missing, every))
    return found


def pushed_observations(
    candidates: Sequence[Candidate], pushed: Pushed, at: datetime
) -> dict[int, list[Observation]]:
    """What the push created, as NetBox's observations of the records, by device id (no
    facts: NetBox now documents them, the next sync reads what it says)."""
    observations: dict[int, list[Observation]] = {}
    for c in candidates:
        device_id = pushed.devices.get(c.device.id, c.netbox_id)
        host = Identity(record_id=c.device.id, source_id=device_id)
        mine = observations.setdefault(c.device.id, [])
        if c.device.id in pushed.devices:
            mine.append(Observation(Source.NETBOX, DEVICE, host, at, f"netbox device {device_id}"))
        mine += [
            Observation(
                Source.NETBOX,
                INTERFACE,
                Identity(source_id=pushed.interfaces[i.id], name=i.name),
                at,
                f"netbox interface {pushed.interfaces[i.id]}",
                parent=host,
            )
            for i in c.every_interface
            if i.id in pushed.interfaces
        ]
    return {device: found for device, found in observations.items() if found}


def record_created(
    session: Session, run: DiscoveryRun, observations: Sequence[Observation]
) -> Plan:
    """Plan and write ``pushed_observations`` through the core, in the caller's transaction.
    A push reads nothing whole, so its plan concludes nothing absent."""
    snapshot = load_snapshot(session, (DEVICE, INTERFACE), words=False)
    plan = plan_observations(observations, snapshot, Coverage(Source.NETBOX))
    apply_plan(session, plan, run)
    return plan


def _netbox_id(record: KnownRecord) -> str | None:
    mark = record.mark(Source.NETBOX)
    return mark.source_id if mark is not None else None


def refusals_by_device(
    plan: Plan, observations: Mapping[int, Sequence[Observation]]
) -> dict[int, str]:
    """Each device (by id) one of whose observations the plan refused → why."""
    why = {r.label: r.reason for r in plan.refused}
    refused: dict[int, str] = {}
    for device_id, mine in observations.items():
        reasons = [f"{o.label}: {why[o.label]}" for o in mine if o.label in why]
        if reasons:
            refused[device_id] = "; ".join(reasons)
    return refused
