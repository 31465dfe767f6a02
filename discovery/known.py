"""What the inventory already holds, as plain records: the other input of the planner.

``inventory.load_known`` fills these from the database; tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from discovery.records import SourceValues


@dataclass(frozen=True)
class KnownInterface:
    id: int
    name: str
    if_index: int | None = None
    if_type: str | None = None
    description: str | None = None
    speed_mbps: int | None = None
    mac_address: str | None = None
    ip_addresses: tuple[str, ...] = ()
    enabled: bool = True


@dataclass(frozen=True)
class KnownDevice:
    id: int
    name: str
    site_id: int
    serial: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    firmware: str | None = None
    sys_object_id: str | None = None
    chassis_id: str | None = None
    management_address: str | None = None
    cores: int | None = None
    ram_gb: float | None = None
    raw_storage_tb: float | None = None
    snmp_endpoint: str | None = None  # the SNMP source's id of it: where it was discovered
    interfaces: tuple[KnownInterface, ...] = ()


@dataclass(frozen=True)
class KnownLink:
    id: int
    a_site_id: int
    b_site_id: int
    a_interface_id: int | None
    b_interface_id: int | None


@dataclass(frozen=True)
class KnownSite:
    id: int
    slug: str
    name: str
    is_data_centre: bool


@dataclass(frozen=True)
class Inventory:
    devices: tuple[KnownDevice, ...] = ()
    links: tuple[KnownLink, ...] = ()
    sites: tuple[KnownSite, ...] = ()
    # (object_type, object_id, field) → the values of the open discrepancy
    open_discrepancies: dict[tuple[str, int, str], SourceValues] = field(default_factory=dict)
