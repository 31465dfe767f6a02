"""SNMP as an adapter of the discovery core: what an agent said → core observations. Pure.

One ``DeviceObservation`` (the collector's plain record) becomes one device
observation and one per interface. The device is identified by its chassis serial,
the agent's address *and port*, and its sysName — never by the endpoint alone: a
different box answering where another used to (a switch swapped, an address
reused) is a different device when its serial or, without serials, its name
differs (DESIGN §5; the core decides). Every fact is *observed*: SNMP reads the
device, it declares nothing. A new device's site and role are not facts the agent
states, so they travel as the observation's ``defaults`` (used only when the plan
creates the device): ``--site``, else the site its sysLocation names, else the
only data centre; the role guessed from sysDescr and the model.

The run's ``Coverage`` is the agents that answered: whatever answered at an address
is what is there; a target that timed out says nothing of the device known there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from cmdb.choices import SiteKind, Source
from discovery.core import observations as ob
from discovery.core.coverage import Coverage
from discovery.core.known import Snapshot
from discovery.records import DeviceObservation, InterfaceRecord, TargetOutcome
from discovery.roles import guess_role

MAX_NAME, MAX_CHASSIS_ID, MAX_DESCRIPTION, MAX_SYS_TEXT = 100, 64, 200, 255  # column lengths


@dataclass(frozen=True)
class Observed:
    """What one SNMP run gives the core: its observations and what it read."""

    observations: tuple[ob.Observation, ...]
    coverage: Coverage


def map_outcomes(
    outcomes: Sequence[TargetOutcome],
    snapshot: Snapshot,
    seen_at: datetime,
    site_id: int | None = None,
) -> Observed:
    """Every answered target's observations; the answered agents as the coverage."""
    observations: list[ob.Observation] = []
    answered: set[ob.Endpoint] = set()
    for outcome in outcomes:
        if outcome.observation is None:
            continue
        observations += map_device(
            outcome.observation, seen_at, new_device(outcome.observation, snapshot, site_id)
        )
        answered.add(endpoint(outcome.observation))
    return Observed(tuple(observations), Coverage(Source.SNMP, addresses=frozenset(answered)))


def endpoint(obs: DeviceObservation) -> ob.Endpoint:
    return ob.Endpoint(obs.target.host, obs.target.port)


def identity(obs: DeviceObservation) -> ob.Identity:
    """Serial, the agent's address and port, sysName (LLDP's name when sysName is blank)."""
    return ob.Identity(
        serial=obs.chassis.serial if obs.chassis else None,
        address=endpoint(obs),
        name=obs.system.name or obs.lldp_sys_name,
    )


def map_device(
    obs: DeviceObservation, seen_at: datetime, defaults: ob.Facts
) -> list[ob.Observation]:
    """The device, then each interface (when the ifTable was read; the first row of a
    name is kept, as the interface's unique name demands)."""
    me = identity(obs)
    label = obs.target.address
    parts_read = "ifTable" not in obs.missing
    device = ob.Observation(
        Source.SNMP,
        ob.RecordKind.DEVICE,
        me,
        seen_at,
        label,
        observed=device_facts(obs),
        parts_read=parts_read,
        defaults=defaults,
    )
    parts: list[ob.Observation] = []
    names: set[str] = set()
    for itf in obs.interfaces if parts_read else ():
        if itf.name in names:
            continue
        names.add(itf.name)
        parts.append(
            ob.Observation(
                Source.SNMP,
                ob.RecordKind.INTERFACE,
                ob.Identity(name=itf.name),
                seen_at,
                f"{label}/{itf.name}",
                observed=interface_facts(itf),
                parent=me,
            )
        )
    return [device, *parts]


def device_facts(obs: DeviceObservation) -> dict[str, ob.FactValue]:
    """The device columns one agent states (None: not stated)."""
    chassis, host = obs.chassis, obs.host
    return {
        "name": (obs.system.name or obs.lldp_sys_name or obs.target.host)[:MAX_NAME],
        "serial": chassis.serial if chassis else None,
        "model": chassis.model if chassis else None,
        "manufacturer": chassis.manufacturer if chassis else None,
        "firmware": (chassis.software or chassis.firmware) if chassis else None,
        "sys_object_id": obs.system.object_id,
        "chassis_id": (obs.lldp_chassis_id or "")[:MAX_CHASSIS_ID] or None,
        "management_address": obs.target.host,
        "sys_location": (obs.system.location or "")[:MAX_SYS_TEXT] or None,
        "sys_contact": (obs.system.contact or "")[:MAX_SYS_TEXT] or None,
        "cores": (host.processors or None) if host else None,
        "ram_gb": host.ram_gb if host else None,
        "raw_storage_tb": host.disk_tb if host else None,
    }


def interface_facts(itf: InterfaceRecord) -> dict[str, ob.FactValue]:
    """The interface columns one ifTable row states (None: not stated)."""
    return {
        "name": itf.name,
        "if_index": itf.if_index,
        "if_type": itf.if_type,
        "description": (itf.alias or "")[:MAX_DESCRIPTION] or None,
        "speed_mbps": itf.speed_mbps,
        "mac_address": itf.mac_address,
        "ip_addresses": tuple(itf.ip_addresses) or None,
        "enabled": itf.admin_up,
    }


def new_device(obs: DeviceObservation, snapshot: Snapshot, site_id: int | None) -> ob.Facts:
    """What a device this agent is would be created with beyond what it states."""
    site = pick_site(snapshot, obs, site_id)
    role: dict[str, ob.FactValue] = {"role": guess_role(obs)}
    return role if site is None else {**role, "site_id": site}


def pick_site(snapshot: Snapshot, obs: DeviceObservation, site_id: int | None) -> int | None:
    """``--site``, else the site its sysLocation names (slug or name), else the only
    data centre; None when none of them tells."""
    if site_id is not None:
        return site_id
    sites = snapshot.of_kind(ob.RecordKind.SITE)
    location = (obs.system.location or "").strip().casefold()
    for site in sites:
        names = {str(site.values.get("slug") or "").casefold(), (site.name or "").casefold()}
        if location and location in names:
            return site.id
    centres = [s.id for s in sites if s.values.get("kind") == SiteKind.DATA_CENTRE.value]
    return centres[0] if len(centres) == 1 else None
