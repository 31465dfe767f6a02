"""Ansible facts → what Headroom observes of a host: a pure mapper.

The input is the ``facts`` object the fact-sync playbook posts — a subset of
``ansible_facts`` — or raw ``ansible -m setup`` output, whose keys carry an
``ansible_`` prefix; both map the same. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Values firmware and hypervisors put where a serial or model should be.
PLACEHOLDERS = frozenset(
    {
        "",
        "na",
        "n/a",
        "none",
        "null",
        "0",
        "default string",
        "not specified",
        "not applicable",
        "to be filled by o.e.m.",
        "system serial number",
        "system product name",
        "system manufacturer",
    }
)
# Block devices that are not disks of their own: loop and RAM disks, compressed swap in
# RAM, device-mapper and md volumes (built on disks already counted), optical drives,
# network block devices. Counting them would double the disk space or invent some.
NOT_DISKS = ("loop", "ram", "zram", "dm-", "md", "sr", "nbd")
GIB = 1024**3


@dataclass(frozen=True)
class ObservedDisk:
    name: str
    size_gb: float
    model: str | None = None


@dataclass(frozen=True)
class ObservedInterface:
    name: str
    speed_mbps: int | None = None
    mac_address: str | None = None
    ip_addresses: tuple[str, ...] = ()


@dataclass(frozen=True)
class ObservedHost:
    """A host as its facts describe it; None where the facts do not say."""

    hostname: str | None = None
    cores: int | None = None  # physical: sockets × cores per socket
    vcpu: int | None = None  # logical processors the OS sees
    ram_gb: float | None = None
    serial: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    distribution: str | None = None
    virtualization_role: str | None = None
    virtualization_type: str | None = None
    management_address: str | None = None
    disks: tuple[ObservedDisk, ...] = ()
    interfaces: tuple[ObservedInterface, ...] = ()

    @property
    def disk_gb(self) -> float | None:
        return round(sum(d.size_gb for d in self.disks), 1) if self.disks else None

    @property
    def is_guest(self) -> bool:
        return self.virtualization_role == "guest"


def map_facts(facts: Mapping[str, Any]) -> ObservedHost:
    """The observed host of one host's facts (prefixed or not)."""
    f = unprefixed(facts)
    return ObservedHost(
        hostname=_text(f.get("hostname")),
        cores=_cores(f),
        vcpu=_positive_int(f.get("processor_vcpus")),
        ram_gb=_ram_gb(f.get("memtotal_mb")),
        serial=_text(f.get("product_serial")),
        manufacturer=_text(f.get("system_vendor")),
        model=_text(f.get("product_name")),
        distribution=_distribution(f),
        virtualization_role=_text(f.get("virtualization_role")),
        virtualization_type=_text(f.get("virtualization_type")),
        management_address=_text(_mapping(f.get("default_ipv4")).get("address")),
        disks=map_disks(_mapping(f.get("devices"))),
        interfaces=map_interfaces(f),
    )


def unprefixed(facts: Mapping[str, Any]) -> dict[str, Any]:
    """``ansible_memtotal_mb`` and ``memtotal_mb`` are the same fact."""
    return {k.removeprefix("ansible_"): v for k, v in facts.items()}


def map_disks(devices: Mapping[str, Any]) -> tuple[ObservedDisk, ...]:
    """Disks with a size, by name; loop, RAM and derived block devices left out."""
    disks = []
    for name, device in sorted(devices.items()):
        if name.startswith(NOT_DISKS) or not isinstance(device, Mapping):
            continue
        size = _int(device.get("sectors")) * _int(device.get("sectorsize"))
        if size > 0:
            disks.append(ObservedDisk(name, round(size / GIB, 1), _text(device.get("model"))))
    return tuple(disks)


def map_interfaces(f: Mapping[str, Any]) -> tuple[ObservedInterface, ...]:
    """Every interface the facts list except loopbacks, by name."""
    found = []
    names = f.get("interfaces")
    for name in sorted(str(n) for n in names) if isinstance(names, list) else ():
        detail = _interface_fact(f, name)
        if detail is None or detail.get("type") == "loopback":
            continue
        found.append(
            ObservedInterface(
                name=name,
                speed_mbps=_positive_int(detail.get("speed")),
                mac_address=_mac(detail.get("macaddress")),
                ip_addresses=_addresses(detail),
            )
        )
    return tuple(found)


def _interface_fact(f: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    # The setup module names an interface's fact after it with - : . turned into _.
    key = name.replace("-", "_").replace(":", "_").replace(".", "_")
    for candidate in (name, key):
        value = f.get(candidate)
        if isinstance(value, Mapping) and value.get("device", name) == name:
            return value
    return None


def _addresses(detail: Mapping[str, Any]) -> tuple[str, ...]:
    """IPv4 (primary, secondaries) and IPv6 addresses with prefix; link-local left out."""
    v4 = [detail.get("ipv4"), *_list(detail.get("ipv4_secondaries"))]
    found = [
        f"{a['address']}/{a['prefix']}" for a in v4 if isinstance(a, Mapping) and a.get("address")
    ]
    for a in _list(detail.get("ipv6")):
        if isinstance(a, Mapping) and a.get("address") and a.get("scope") != "link":
            found.append(f"{a['address']}/{a['prefix']}")
    return tuple(found)


def _cores(f: Mapping[str, Any]) -> int | None:
    per_socket = _positive_int(f.get("processor_cores"))
    sockets = _positive_int(f.get("processor_count"))
    return per_socket * sockets if per_socket and sockets else None


def _ram_gb(memtotal_mb: Any) -> float | None:
    mb = _positive_int(memtotal_mb)
    return round(mb / 1024, 1) if mb else None


def _distribution(f: Mapping[str, Any]) -> str | None:
    name, version = _text(f.get("distribution")), _text(f.get("distribution_version"))
    return f"{name} {version}" if name and version else name


def _mac(value: Any) -> str | None:
    text = _text(value)
    return text.lower() if text and text != "00:00:00:00:00:00" else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text.lower() in PLACEHOLDERS else text


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _positive_int(value: Any) -> int | None:
    number = _int(value)
    return number if number > 0 else None
