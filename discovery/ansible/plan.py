"""What one host's facts change in Headroom: a pure plan over the record and the facts.

Rules (DESIGN §5): observed facts (cores, RAM, serial, model, platform, interfaces)
fill a device's fields that are empty; a field already set is kept — NetBox or a
person declared it — and a disagreement becomes a discrepancy: ``host_sizing`` for a
host's cores and RAM, ``vm_sizing`` for a VM's vCPU and RAM, ``mismatch`` for a
serial or a platform that names another OS (``platforms``). A VM's size is never
overwritten: it is the allocation capacity plans on. Interfaces are observed facts
of the device: created or updated from the facts, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

from cmdb.choices import DiscrepancyKind
from discovery.ansible.facts import ObservedHost, ObservedInterface
from discovery.ansible.platforms import platform_agrees
from discovery.records import ObservedFields, SourceValues

DEVICE = "device"
WORKLOAD = "workload"
# memtotal is installed RAM less what firmware and the kernel keep: a 64 GB host
# reports about 62.7 GiB, a 4 GB VM about 3.8. Below the record by up to this share
# (plus rounding) still agrees; above it never does beyond rounding.
RAM_SHORTFALL_PCT = 6.0
RAM_ROUNDING_GB = 0.5
FILLED_DEVICE_FIELDS = ("cores", "ram_gb", "serial", "manufacturer", "model", "platform")


@dataclass(frozen=True)
class KnownInterface:
    id: int
    name: str
    speed_mbps: int | None = None
    mac_address: str | None = None
    ip_addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownHost:
    """The record the facts are about, as plain values."""

    kind: str  # device | workload
    id: int
    name: str
    cores: int | None = None  # device
    vcpu: int | None = None  # workload
    ram_gb: float | None = None
    serial: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    platform: str | None = None  # NetBox's free text; Ansible says ``distribution``
    interfaces: tuple[KnownInterface, ...] = ()


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True)
class Disagreement:
    kind: DiscrepancyKind
    field: str
    record: object
    ansible: object

    @property
    def values(self) -> SourceValues:
        return {"record": self.record, "ansible": self.ansible}


@dataclass(frozen=True)
class InterfaceChange:
    name: str
    interface_id: int | None  # None: create it
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class FactsPlan:
    updates: tuple[FieldChange, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    agreements: tuple[tuple[DiscrepancyKind, str], ...] = ()  # (kind, field) to settle
    interfaces: tuple[InterfaceChange, ...] = ()

    @property
    def changes_record(self) -> bool:
        return bool(self.updates or self.interfaces)


def plan_facts(known: KnownHost, observed: ObservedHost) -> FactsPlan:
    """The updates, discrepancies and interface changes the facts call for."""
    if known.kind == WORKLOAD:
        checks = [
            _vcpu_check(known, observed),
            _ram_check(known, observed, DiscrepancyKind.VM_SIZING),
        ]
        return _plan(checks)
    seen = {name: getattr(observed, name, None) for name in FILLED_DEVICE_FIELDS}
    seen["platform"] = observed.distribution
    updates = tuple(
        FieldChange(name, None, seen[name])
        for name in FILLED_DEVICE_FIELDS
        if getattr(known, name) is None and seen[name] is not None
    )
    checks = [
        _cores_check(known, observed),
        _ram_check(known, observed, DiscrepancyKind.HOST_SIZING),
        _serial_check(known, observed),
        _platform_check(known, observed),
    ]
    return _plan(checks, updates, plan_interfaces(known.interfaces, observed.interfaces))


def plan_interfaces(
    known: tuple[KnownInterface, ...], observed: tuple[ObservedInterface, ...]
) -> tuple[InterfaceChange, ...]:
    """New interfaces, and the known ones whose observed speed, MAC or addresses differ.

    A fact the host does not give (unknown speed, no address) never clears a value.
    """
    by_name = {i.name: i for i in known}
    planned = []
    for seen in observed:
        values = {
            "speed_mbps": seen.speed_mbps,
            "mac_address": seen.mac_address,
            "ip_addresses": list(seen.ip_addresses) or None,
        }
        current = by_name.get(seen.name)
        if current is None:
            created = tuple(FieldChange(k, None, v) for k, v in values.items() if v is not None)
            planned.append(InterfaceChange(seen.name, None, created))
            continue
        old = {
            "speed_mbps": current.speed_mbps,
            "mac_address": current.mac_address,
            "ip_addresses": list(current.ip_addresses),
        }
        changes = tuple(
            FieldChange(k, old[k], v) for k, v in values.items() if v is not None and v != old[k]
        )
        if changes:
            planned.append(InterfaceChange(seen.name, current.id, changes))
    return tuple(planned)


def ram_agrees(record_gb: float, observed_gb: float) -> bool:
    low = record_gb * (1 - RAM_SHORTFALL_PCT / 100) - RAM_ROUNDING_GB
    return low <= observed_gb <= record_gb + RAM_ROUNDING_GB


Check = tuple[DiscrepancyKind, str, object, object, bool] | None


def _plan(
    checks: list[Check],
    updates: tuple[FieldChange, ...] = (),
    interfaces: tuple[InterfaceChange, ...] = (),
) -> FactsPlan:
    done = [c for c in checks if c is not None]
    return FactsPlan(
        updates=updates,
        disagreements=tuple(Disagreement(k, f, r, a) for k, f, r, a, agree in done if not agree),
        agreements=tuple((k, f) for k, f, _r, _a, agree in done if agree),
        interfaces=interfaces,
    )


def _vcpu_check(known: KnownHost, observed: ObservedHost) -> Check:
    if known.vcpu is None or observed.vcpu is None:
        return None
    agree = known.vcpu == observed.vcpu
    return DiscrepancyKind.VM_SIZING, "vcpu", known.vcpu, observed.vcpu, agree


def _cores_check(known: KnownHost, observed: ObservedHost) -> Check:
    if known.cores is None or observed.cores is None:
        return None
    agree = known.cores == observed.cores
    return DiscrepancyKind.HOST_SIZING, "cores", known.cores, observed.cores, agree


def _ram_check(known: KnownHost, observed: ObservedHost, kind: DiscrepancyKind) -> Check:
    if known.ram_gb is None or observed.ram_gb is None:
        return None
    agree = ram_agrees(known.ram_gb, observed.ram_gb)
    return kind, "ram_gb", known.ram_gb, observed.ram_gb, agree


def _serial_check(known: KnownHost, observed: ObservedHost) -> Check:
    if known.serial is None or observed.serial is None:
        return None
    agree = known.serial.strip().casefold() == observed.serial.strip().casefold()
    return DiscrepancyKind.MISMATCH, "serial", known.serial, observed.serial, agree


def _platform_check(known: KnownHost, observed: ObservedHost) -> Check:
    if known.platform is None or observed.distribution is None:
        return None
    agree = platform_agrees(known.platform, observed.distribution)
    if agree is None:
        return None  # the platform names no OS this audit can place: no evidence
    return DiscrepancyKind.MISMATCH, "platform", known.platform, observed.distribution, agree


def observation_fields(kind: str, name: str | None, observed: ObservedHost) -> ObservedFields:
    """The canonical fields (the Observation contract) the facts give; unknown ones left out."""
    fields: ObservedFields
    if kind == WORKLOAD:
        fields = {
            "name": name,
            "vcpu": observed.vcpu,
            "ram_gb": observed.ram_gb,
            "disk_gb": observed.disk_gb,
            "management_address": observed.management_address,
        }
    else:
        disk_gb = observed.disk_gb
        fields = {
            "name": name,
            "serial": observed.serial,
            "manufacturer": observed.manufacturer,
            "model": observed.model,
            "management_address": observed.management_address,
            "cores": observed.cores,
            "ram_gb": observed.ram_gb,
            "raw_storage_tb": round(disk_gb / 1024, 3) if disk_gb is not None else None,
        }
    return {k: v for k, v in fields.items() if v is not None}


class DiskData(TypedDict):
    name: str
    size_gb: float
    model: str | None


class InterfaceData(TypedDict):
    name: str
    speed_mbps: int | None
    mac_address: str | None
    ip_addresses: list[str]


class HostData(TypedDict):
    """What only Ansible says of a host, kept with its observation."""

    vcpu: int | None
    distribution: str | None
    virtualization_role: str | None
    virtualization_type: str | None
    disks: list[DiskData]
    interfaces: list[InterfaceData]


class InterfaceObservationData(TypedDict):
    """An interface's observation as stored: the contract's fields alone."""

    fields: ObservedFields


class HostObservationData(InterfaceObservationData):
    """A host's observation as stored: the contract's fields, then Ansible's own."""

    host: HostData


def observation_data(kind: str, name: str | None, observed: ObservedHost) -> HostObservationData:
    """What the host's observation stores: the contract's fields, then what only Ansible says."""
    return {
        "fields": observation_fields(kind, name, observed),
        "host": {
            "vcpu": observed.vcpu,
            "distribution": observed.distribution,
            "virtualization_role": observed.virtualization_role,
            "virtualization_type": observed.virtualization_type,
            "disks": [
                {"name": d.name, "size_gb": d.size_gb, "model": d.model} for d in observed.disks
            ],
            "interfaces": [
                {
                    "name": i.name,
                    "speed_mbps": i.speed_mbps,
                    "mac_address": i.mac_address,
                    "ip_addresses": list(i.ip_addresses),
                }
                for i in observed.interfaces
            ],
        },
    }


def interface_observation_data(device_id: int, seen: ObservedInterface) -> InterfaceObservationData:
    fields: ObservedFields = {
        "device_id": device_id,
        "name": seen.name,
        "speed_mbps": seen.speed_mbps,
        "mac_address": seen.mac_address,
        "ip_addresses": list(seen.ip_addresses) or None,
    }
    return {"fields": {k: v for k, v in fields.items() if v is not None}}
