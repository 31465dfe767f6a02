"""One host's Ansible facts → the discovery core's observations: the fact-sync adapter. Pure.

The host's observation names it as the playbook does — Headroom's id (the inventory
plugin's ``headroom_id``), its inventory name (Ansible's own id for it), the address
Ansible reaches it at — and carries its serial, so the core's one identity rule
(DESIGN §5) decides which record it is: a record whose known serial differs is never
matched by address or name. What Ansible reads off the host is *observed*: cores, RAM,
serial, maker, model and the OS (a device's ``platform``; a VM's vCPU and RAM). The
hostname, the default-route address and the disk sizes are only *reported*: kept in
the observation as Ansible's word, never written to the record (its name and
management address are NetBox's or a person's). A device's interfaces are its parts,
every one listed (``parts_read``); a VM has none here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict

from cmdb.choices import Source
from discovery.ansible.facts import ObservedHost, ObservedInterface
from discovery.core import observations as ob
from discovery.core.coverage import Coverage

DEVICE, WORKLOAD, INTERFACE = ob.RecordKind.DEVICE, ob.RecordKind.WORKLOAD, ob.RecordKind.INTERFACE
HOST_KINDS = (DEVICE, WORKLOAD)  # tried in this order when a post names no kind


@dataclass(frozen=True)
class HostRef:
    """Which host a post is about, as the playbook names it (any of these may be missing)."""

    kind: ob.RecordKind | None = None
    record_id: int | None = None
    name: str | None = None  # the inventory name
    management_address: str | None = None  # ansible_host

    @property
    def label(self) -> str:
        """How the run names the host: its inventory name, else its address, else its id."""
        return self.name or self.management_address or f"{self.kind} {self.record_id}"

    @property
    def kinds(self) -> tuple[ob.RecordKind, ...]:
        return (self.kind,) if self.kind is not None else HOST_KINDS

    def identity(self, serial: str | None) -> ob.Identity:
        address = self.management_address
        return ob.Identity(
            record_id=self.record_id,
            source_id=self.name,
            serial=serial,
            address=ob.Endpoint(address.strip()) if address and address.strip() else None,
            name=self.name,
        )


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
    """What only Ansible says of a host, kept with its observation (``details["host"]``)."""

    vcpu: int | None
    distribution: str | None
    virtualization_role: str | None
    virtualization_type: str | None
    disks: list[DiskData]
    interfaces: list[InterfaceData]


def observe_host(
    ref: HostRef, kind: ob.RecordKind, host: ObservedHost, at: datetime
) -> list[ob.Observation]:
    """The host's observation as a ``kind`` record, then its interfaces' (a device's)."""
    serial = host.serial if kind is DEVICE else None
    identity = ref.identity(serial)
    observation = ob.Observation(
        Source.ANSIBLE,
        kind,
        identity,
        at,
        ref.label,
        observed=host_facts(kind, host),
        parts_read=kind is DEVICE,
        reported=reported_facts(kind, host),
        details={"host": host_data(host)},
    )
    if kind is not DEVICE:
        return [observation]
    return [observation] + [
        ob.Observation(
            Source.ANSIBLE,
            INTERFACE,
            ob.Identity(source_id=f"{ref.label}/{seen.name}", name=seen.name),
            at,
            f"{ref.label}/{seen.name}",
            observed=interface_facts(seen),
            parent=identity,
        )
        for seen in host.interfaces
    ]


def coverage(ref: HostRef, kind: ob.RecordKind) -> Coverage:
    """What a post read: the host it names (by its inventory name), never a whole kind —
    a host the playbook did not post says nothing."""
    source_ids = frozenset({(kind, ref.name)}) if ref.name else frozenset()
    return Coverage(Source.ANSIBLE, source_ids=source_ids)


def host_facts(kind: ob.RecordKind, host: ObservedHost) -> ob.Facts:
    """What Ansible reads off the host, by the record's column; unknown ones left out."""
    if kind is WORKLOAD:
        return _known({"vcpu": host.vcpu, "ram_gb": host.ram_gb})
    return _known(
        {
            "cores": host.cores,
            "ram_gb": host.ram_gb,
            "serial": host.serial,
            "manufacturer": host.manufacturer,
            "model": host.model,
            "platform": host.distribution,
        }
    )


def reported_facts(kind: ob.RecordKind, host: ObservedHost) -> ob.Facts:
    """What Ansible says under a column's name without vouching for the record's value."""
    disk_gb = host.disk_gb
    reported: dict[str, ob.FactValue] = {
        "name": host.hostname,
        "management_address": host.management_address,
    }
    if kind is WORKLOAD:
        reported["disk_gb"] = disk_gb
    elif disk_gb is not None:
        reported["raw_storage_tb"] = round(disk_gb / 1024, 3)
    return _known(reported)


def interface_facts(seen: ObservedInterface) -> ob.Facts:
    return _known(
        {
            "name": seen.name,
            "speed_mbps": seen.speed_mbps,
            "mac_address": seen.mac_address,
            "ip_addresses": seen.ip_addresses or None,
        }
    )


def host_data(host: ObservedHost) -> HostData:
    return {
        "vcpu": host.vcpu,
        "distribution": host.distribution,
        "virtualization_role": host.virtualization_role,
        "virtualization_type": host.virtualization_type,
        "disks": [{"name": d.name, "size_gb": d.size_gb, "model": d.model} for d in host.disks],
        "interfaces": [
            {
                "name": i.name,
                "speed_mbps": i.speed_mbps,
                "mac_address": i.mac_address,
                "ip_addresses": list(i.ip_addresses),
            }
            for i in host.interfaces
        ],
    }


def _known(facts: Mapping[str, ob.FactValue]) -> ob.Facts:
    return {name: value for name, value in facts.items() if value is not None}
