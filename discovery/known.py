"""What LLDP's link planner knows of the inventory: devices with their ports, links, sites.

Links are not observations of the discovery core yet; ``lldp.inventory_of`` fills
these from the core's snapshot, and tests build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KnownInterface:
    id: int
    name: str
    if_index: int | None = None
    description: str | None = None
    speed_mbps: int | None = None
    mac_address: str | None = None


@dataclass(frozen=True)
class KnownDevice:
    id: int
    name: str
    site_id: int
    chassis_id: str | None = None
    management_address: str | None = None
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
