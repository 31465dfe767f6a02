"""Observations + inventory → a plan of changes. Pure: no database, no network.

Identity (DESIGN.md §5): the SNMP source's id (the agent endpoint) → serial →
management address → hostname (case-insensitive, domain stripped). Audited facts
(hostname, serial, model, interface speed) fill empty fields; when the inventory
already says otherwise it keeps its value and a discrepancy is planned. Technical
facts (firmware, sysObjectID, MACs, addresses, ifIndex) follow SNMP. A value SNMP
did not give never erases one, and nothing absent is deleted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

from discovery.known import Inventory, KnownDevice, KnownInterface
from discovery.lldp import plan_links
from discovery.plan import (
    CREATE,
    NONE,
    UPDATE,
    DevicePlan,
    DiscrepancyPlan,
    FieldChange,
    InterfacePlan,
    Plan,
)
from discovery.records import DeviceObservation, InterfaceRecord, SourceValues
from discovery.roles import guess_role
from discovery.snmp.parsers import normalize_hostname

AUDITED = ("name", "serial", "model")
SPECS = ("manufacturer", "cores", "ram_gb", "raw_storage_tb")
TECHNICAL = ("firmware", "sys_object_id", "chassis_id", "management_address")
BOGUS_SERIALS = {"", "0", "n/a", "na", "none", "unknown", "serial", "0000000000"}


@dataclass(frozen=True)
class PlanDefaults:
    site_id: int | None = None  # where new devices go (--site); else sysLocation, else the DC
    link_network: str = "wan"


def device_key(device: KnownDevice) -> str:
    return f"device:{device.id}"


def new_key(observation: DeviceObservation) -> str:
    return f"new:{observation.target.address}"


def clean_serial(serial: str | None) -> str | None:
    if serial is None or serial.strip().lower() in BOGUS_SERIALS:
        return None
    return serial.strip().upper()


class DeviceIndex:
    """The inventory's devices by each identity, most trusted first."""

    def __init__(self, devices: Iterable[KnownDevice]) -> None:
        self.by: dict[str, dict[str, KnownDevice]] = {
            "endpoint": {},
            "serial": {},
            "address": {},
            "hostname": {},
        }
        for d in sorted(devices, key=lambda d: d.id):
            for how, value in (
                ("endpoint", d.snmp_endpoint),
                ("serial", clean_serial(d.serial)),
                ("address", d.management_address),
                ("hostname", normalize_hostname(d.name)),
            ):
                if value:
                    self.by[how].setdefault(value, d)

    def match(self, obs: DeviceObservation) -> tuple[KnownDevice | None, str | None]:
        serial = clean_serial(obs.chassis.serial) if obs.chassis else None
        for how, value in (
            ("endpoint", obs.target.address),
            ("serial", serial),
            ("address", obs.target.host),
            ("hostname", normalize_hostname(obs.system.name)),
        ):
            if value and value in self.by[how]:
                return self.by[how][value], how
        return None, None


class ObservedDevice(TypedDict):
    """The device columns an SNMP observation states (None: not stated); the keys are
    ``KnownDevice`` attributes, which reconciliation compares them with by name."""

    name: str
    serial: str | None
    model: str | None
    manufacturer: str | None
    firmware: str | None
    sys_object_id: str | None
    chassis_id: str | None
    management_address: str
    cores: int | None
    ram_gb: float | None
    raw_storage_tb: float | None


class ObservedInterface(TypedDict):
    """The interface columns an SNMP interface row states (None: not stated); the keys
    are ``KnownInterface`` attributes."""

    if_index: int
    if_type: str | None
    description: str | None
    speed_mbps: int | None
    mac_address: str | None
    ip_addresses: list[str] | None
    enabled: bool | None


def observed_fields(obs: DeviceObservation) -> ObservedDevice:
    """The device facts one observation states (None: not stated)."""
    chassis, host = obs.chassis, obs.host
    return {
        "name": (obs.system.name or obs.lldp_sys_name or obs.target.host)[:100],
        "serial": chassis.serial if chassis else None,
        "model": chassis.model if chassis else None,
        "manufacturer": chassis.manufacturer if chassis else None,
        "firmware": (chassis.software or chassis.firmware) if chassis else None,
        "sys_object_id": obs.system.object_id,
        "chassis_id": (obs.lldp_chassis_id or "")[:64] or None,
        "management_address": obs.target.host,
        "cores": (host.processors or None) if host else None,
        "ram_gb": host.ram_gb if host else None,
        "raw_storage_tb": host.disk_tb if host else None,
    }


def plan_discovery(
    inventory: Inventory,
    observations: Sequence[DeviceObservation],
    defaults: PlanDefaults | None = None,
) -> Plan:
    """The whole plan: devices and their interfaces, then the LLDP links between them."""
    defaults = defaults or PlanDefaults()
    index = DeviceIndex(inventory.devices)
    names = {(d.site_id, d.name.lower()) for d in inventory.devices}
    claimed: dict[int, str] = {}
    plans: list[DevicePlan] = []
    errors: dict[str, str] = {}
    for obs in observations:
        known, how = index.match(obs)
        if known is not None and known.id in claimed:
            errors[obs.target.address] = (
                f"matches device {known.name!r} by {how}, already seen at {claimed[known.id]} "
                "in this run: two agents claim one identity"
            )
            continue
        if known is not None:
            claimed[known.id] = obs.target.address
            plans.append(plan_known_device(known, obs, how or "", inventory))
            continue
        site_id = pick_site(inventory, obs, defaults)
        if site_id is None:
            errors[obs.target.address] = "no site for a new device: give --site"
            continue
        plans.append(plan_new_device(obs, site_id, names))
    links = plan_links(inventory, plans, defaults.link_network)
    return Plan(devices=tuple(plans), links=links, errors=errors)


def pick_site(inventory: Inventory, obs: DeviceObservation, defaults: PlanDefaults) -> int | None:
    """--site, else the site its sysLocation names, else the only data centre."""
    if defaults.site_id is not None:
        return defaults.site_id
    location = (obs.system.location or "").strip().lower()
    for site in inventory.sites:
        if location and location in (site.slug.lower(), site.name.lower()):
            return site.id
    centres = [s.id for s in inventory.sites if s.is_data_centre]
    return centres[0] if len(centres) == 1 else None


def plan_new_device(
    obs: DeviceObservation, site_id: int, names: set[tuple[int, str]]
) -> DevicePlan:
    observed = observed_fields(obs)
    fields = {k: v for k, v in observed.items() if v is not None}
    name = observed["name"]
    if (site_id, name.lower()) in names:
        name = f"{name}-{obs.target.host}"[:100]
    names.add((site_id, name.lower()))
    fields["name"] = name
    fields["role"] = guess_role(obs)
    changes = tuple(FieldChange(k, None, v) for k, v in fields.items())
    interfaces, _ = plan_interfaces(new_key(obs), (), obs, {})
    return DevicePlan(
        key=new_key(obs),
        action=CREATE,
        observation=obs,
        site_id=site_id,
        changes=changes,
        interfaces=interfaces,
    )


def plan_known_device(
    known: KnownDevice, obs: DeviceObservation, matched_by: str, inventory: Inventory
) -> DevicePlan:
    key = device_key(known)
    opened = inventory.open_discrepancies
    changes: list[FieldChange] = []
    discrepancies: list[DiscrepancyPlan] = []
    for name, value in observed_fields(obs).items():
        current = getattr(known, name)
        if value is None or _same(name, current, value):
            continue
        if current is None or name in TECHNICAL:
            changes.append(FieldChange(name, current, value))
        elif name in AUDITED and opened.get(("device", known.id, name)) != _values(current, value):
            discrepancies.append(DiscrepancyPlan("device", key, None, name, current, value))
    interfaces, if_discrepancies = plan_interfaces(key, known.interfaces, obs, opened)
    return DevicePlan(
        key=key,
        action=UPDATE if changes else NONE,
        observation=obs,
        device_id=known.id,
        matched_by=matched_by,
        site_id=known.site_id,
        changes=tuple(changes),
        interfaces=interfaces,
        discrepancies=(*discrepancies, *if_discrepancies),
    )


def _same(name: str, current: Any, value: Any) -> bool:
    if name == "name":
        return normalize_hostname(current) == normalize_hostname(value)
    if name == "serial":
        return clean_serial(current) == clean_serial(value)
    if isinstance(current, float) or isinstance(value, float):
        return current is not None and abs(float(current) - float(value)) < 0.01
    return bool(current == value)


def _values(inventory: object, snmp: object) -> SourceValues:
    return {"inventory": inventory, "snmp": snmp}


def interface_fields(itf: InterfaceRecord) -> ObservedInterface:
    return {
        "if_index": itf.if_index,
        "if_type": itf.if_type,
        "description": (itf.alias or "")[:200] or None,
        "speed_mbps": itf.speed_mbps,
        "mac_address": itf.mac_address,
        "ip_addresses": list(itf.ip_addresses) or None,
        "enabled": itf.admin_up,
    }


def plan_interfaces(
    key: str,
    known: Sequence[KnownInterface],
    obs: DeviceObservation,
    opened: dict[tuple[str, int, str], SourceValues],
) -> tuple[tuple[InterfacePlan, ...], tuple[DiscrepancyPlan, ...]]:
    """Interfaces by name, then by ifIndex; a table that was not read plans nothing."""
    if "ifTable" in obs.missing:
        return (), ()
    by_name = {k.name: k for k in known}
    by_index = {k.if_index: k for k in known if k.if_index is not None}
    seen_names: set[str] = set()
    plans: list[InterfacePlan] = []
    discrepancies: list[DiscrepancyPlan] = []
    for itf in obs.interfaces:
        if itf.name in seen_names:
            continue  # two rows with one name: the first wins, as the unique key demands
        seen_names.add(itf.name)
        current = by_name.get(itf.name) or by_index.get(itf.if_index)
        fields = interface_fields(itf)
        if current is None:
            created = [FieldChange(k, None, v) for k, v in fields.items() if v is not None]
            plans.append(InterfacePlan(itf.name, CREATE, None, tuple(created)))
            continue
        changes = [FieldChange("name", current.name, itf.name)] if current.name != itf.name else []
        for name, value in fields.items():
            old = getattr(current, name)
            if name == "ip_addresses":
                old = list(old) or None
            if value is None or old == value:
                continue
            if name == "speed_mbps" and old is not None:
                if opened.get(("interface", current.id, name)) != _values(old, value):
                    discrepancies.append(
                        DiscrepancyPlan("interface", key, current.name, name, old, value)
                    )
                continue
            changes.append(FieldChange(name, old, value))
        action = UPDATE if changes else NONE
        plans.append(InterfacePlan(itf.name, action, current.id, tuple(changes)))
    return tuple(plans), tuple(discrepancies)
