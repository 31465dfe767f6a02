"""Build a DC from a catalogue (``dc_catalog``): racks, clusters and hosts, storage, network gear.

The Quảng Nam DC is built by the ``datacentre`` step; the post-reform demo builds
Đà Nẵng's DC from its own catalogue with ``build_datacentre``. Each built cluster
and pool spec is recorded on the context, in order, for the history step.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator, Sequence
from itertools import count

from cmdb.choices import DeviceRole
from cmdb.demo import dc_catalog as cat
from cmdb.demo.context import DemoContext
from cmdb.models import Cluster, Device, Interface, Rack, Site, StoragePool

DC_SLUG = "ttdl-quang-nam"
HYPERVISOR_PLATFORM = "VMware ESXi 8.0"  # what the clusters' hosts run
SERIAL_ALPHABETS = {
    "#": string.digits,
    "@": "ABCDEFGHJKLMNPRSTVWXYZ" + string.digits,  # no I, O, Q, U: vendors avoid them
    "?": string.ascii_lowercase + string.digits,
}


class RackSpace:
    """Fills racks bottom-up so every device gets a plausible position."""

    def __init__(self, ctx: DemoContext, site: Site, racks: tuple[str, ...]) -> None:
        self.racks = {
            name: Rack(
                site=site,
                name=name,
                location=f"Phòng máy 1 / Dãy {name[0]}",  # rows A, B, C of one machine room
                u_height=42,
                power_kw=_power_kw(name),
            )
            for name in racks
        }
        self.next_u = dict.fromkeys(racks, 1)
        ctx.session.add_all(self.racks.values())

    def place(self, device: Device, rack: str, height_u: int) -> None:
        if self.next_u[rack] + height_u - 1 > 42:
            raise ValueError(f"rack {rack} is full")
        device.rack = self.racks[rack]
        device.rack_position_u = self.next_u[rack]
        device.height_u = height_u
        self.next_u[rack] += height_u


def _power_kw(rack: str) -> float:
    return {"A": 8.0, "B": 6.0, "C": 5.0}[rack[0]]


def serial(rng: random.Random, pattern: str) -> str:
    """A serial number in a vendor's style ('#' digit, '@' upper alnum, '?' lower alnum)."""
    return "".join(rng.choice(SERIAL_ALPHABETS[c]) if c in SERIAL_ALPHABETS else c for c in pattern)


def mac(rng: random.Random, prefix: str | None) -> str | None:
    """A MAC address under the vendor's OUI (servers only; others leave it empty)."""
    if prefix is None:
        return None
    return prefix + "".join(f":{rng.randrange(256):02X}" for _ in range(3))


def load_datacentre(ctx: DemoContext) -> None:
    build_datacentre(ctx, ctx.sites[DC_SLUG], cat.QUANG_NAM, "datacentre")


def build_datacentre(ctx: DemoContext, site: Site, catalogue: cat.DcCatalogue, step: str) -> None:
    """Racks, clusters with their hosts, storage pools and network gear of one DC."""
    rng = ctx.rng(step)
    space = RackSpace(ctx, site, catalogue.racks)
    bmc_ips = (catalogue.bmc_net.format(n) for n in count(11))
    for spec in catalogue.clusters:
        ctx.cluster_specs.append(spec)
        cluster = ctx.clusters[spec.key] = _cluster(site, spec)
        ctx.session.add(cluster)
        hosts = list(_hosts(spec, rng, bmc_ips))
        for i, (host, hardware) in enumerate(hosts):
            host.site, host.cluster = site, cluster
            space.place(host, spec.racks[i * len(spec.racks) // len(hosts)], hardware.height_u)
            ctx.session.add(host)
    _storage(ctx, site, space, rng, catalogue)
    _network(ctx, site, space, rng, catalogue)


def _cluster(site: Site, spec: cat.ClusterSpec) -> Cluster:
    return Cluster(
        name=spec.name,
        description=spec.description,
        site=site,
        cpu_ratio=4.0,
        ram_ratio=1.0,
        ha_reserve_hosts=1,
        max_security_level=spec.max_security_level,
        zones=[z.value for z in spec.zones],
        ceiling_pct=85.0,
    )


def _hosts(
    spec: cat.ClusterSpec, rng: random.Random, ips: Iterator[str]
) -> Iterator[tuple[Device, cat.HardwareModel]]:
    number = count(1)
    for hardware, quantity in spec.hosts:
        for _ in range(quantity):
            name = f"{spec.host_prefix}{next(number):02d}"
            host = _device(name, DeviceRole.SERVER, hardware, rng)
            host.management_address = next(ips)
            host.platform = HYPERVISOR_PLATFORM
            host.interfaces = _server_ports(host.management_address, hardware, rng)
            yield host, hardware


def _server_ports(address: str, hardware: cat.HardwareModel, rng: random.Random) -> list[Interface]:
    dell = hardware.manufacturer == "Dell"
    bmc = Interface(
        name="iDRAC" if dell else "iLO",
        description="Out-of-band management",
        speed_mbps=1_000,
        mac_address=mac(rng, hardware.mac_prefix),
        ip_addresses=[f"{address}/24"],
    )
    nics = [
        Interface(
            name=f"vmnic{i}",
            if_index=i + 1,
            speed_mbps=25_000 if dell else 10_000,
            mac_address=mac(rng, hardware.mac_prefix),
        )
        for i in range(4)
    ]
    return [bmc, *nics]


def _device(name: str, role: DeviceRole, hardware: cat.HardwareModel, rng: random.Random) -> Device:
    return Device(
        name=name,
        role=role,
        manufacturer=hardware.manufacturer,
        model=hardware.model,
        serial=serial(rng, hardware.serial_pattern),
        cores=hardware.cores,
        ram_gb=hardware.ram_gb,
        raw_storage_tb=hardware.raw_tb,
    )


def _storage(
    ctx: DemoContext, site: Site, space: RackSpace, rng: random.Random, catalogue: cat.DcCatalogue
) -> None:
    ips = (catalogue.storage_net.format(n) for n in count(11))
    for spec in catalogue.pools:
        ctx.pool_specs.append(spec)
        pool = ctx.pools[spec.key] = StoragePool(
            name=spec.name,
            kind=spec.kind,
            site=site,
            protection=cat.PROTECTION,
            raw_tb=spec.raw_tb,
            ceiling_pct=80.0,
            max_security_level=3,
            clusters=[ctx.clusters[key] for key in spec.clusters],
        )
        ctx.session.add(pool)
        parts = [(spec.device_prefix, spec.head)]
        parts += [
            (f"{spec.device_prefix}-shelf{i}", spec.shelf) for i in range(1, spec.shelves + 1)
        ]
        for name, hardware in parts:
            device = _device(name, DeviceRole.STORAGE, hardware, rng)
            device.site, device.storage_pool = site, pool
            if hardware is spec.head:
                device.management_address = next(ips)
                device.interfaces = _ports(device.management_address, "mgmt", cat.STORAGE_PORTS)
            space.place(device, spec.rack, hardware.height_u)
            ctx.session.add(device)


def _network(
    ctx: DemoContext, site: Site, space: RackSpace, rng: random.Random, catalogue: cat.DcCatalogue
) -> None:
    ips = (catalogue.network_net.format(n) for n in count(1))
    for gear in catalogue.gear:
        for name, rack in zip(gear.names, gear.racks, strict=True):
            device = _device(name, gear.role, gear.hardware, rng)
            device.site = site
            device.management_address = next(ips)
            device.interfaces = _ports(device.management_address, gear.mgmt_port, gear.ports)
            space.place(device, rack, gear.hardware.height_u)
            ctx.session.add(device)
            ctx.devices[name] = device


def _ports(address: str, mgmt: str, groups: Sequence[tuple[str, int, int, int]]) -> list[Interface]:
    ports = [
        Interface(
            name=mgmt, speed_mbps=1_000, ip_addresses=[f"{address}/24"], description="Management"
        )
    ]
    index = count(1)
    for pattern, first, quantity, mbps in groups:
        ports += [
            Interface(name=pattern.format(n), speed_mbps=mbps, if_index=next(index))
            for n in range(first, first + quantity)
        ]
    return ports
