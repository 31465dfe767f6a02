"""Runs INSIDE NetBox (``netbox shell -c``): the benchmark's large picture, through Django's ORM.

API writes cost 70–100 ms per object on this machine, so the 2,000 devices and
20,000 interfaces are made with ``bulk_create`` in one transaction, and only the
few hundred objects whose ``save()`` does real work (tree fields of regions, cable
terminations and paths, circuit termination caches, VM sites) go through ``save()``.
What ``bulk_create`` skips is filled by hand here: the components' cached
``_site``/``_location``/``_rack``, the devices' ``interface_count`` and the device
types' ``device_count`` counters. The change log and search index are not written
(nothing reads them here). The sizes come from ``SCALE_*`` environment variables set
by ``bench/netbox_fixture.py``; the small Quảng Nam picture
(``tests/integration/netbox/seed.py``) must be there first.
"""

import os
import time
from typing import Any

from circuits.models import Circuit, CircuitTermination, CircuitType, Provider
from dcim.models import (
    Cable,
    Device,
    DeviceRole,
    DeviceType,
    Interface,
    Manufacturer,
    Rack,
    Region,
    Site,
)
from django.db import transaction
from django.db.models import Count
from ipam.models import IPAddress
from netaddr import IPNetwork
from tenancy.models import Tenant
from virtualization.models import Cluster, ClusterType, VirtualMachine

DEVICES, PORTS, COMMUNES, VMS, CABLES = (
    int(os.environ[f"SCALE_{k}"]) for k in ("DEVICES", "PORTS", "COMMUNES", "VMS", "CABLES")
)
t0 = time.monotonic()


def made(cls: Any, **kw: Any) -> Any:
    obj = cls(**kw)
    obj.full_clean(validate_unique=False)
    obj.save()
    return obj


with transaction.atomic():
    dc = Site.objects.get(slug="ttdl-quang-nam")
    district = Region.objects.get(slug="duy-xuyen")
    owner = Tenant.objects.get(slug="so-tttt")
    communes = [
        made(
            Site,
            name=f"UBND xã {n:03d}",
            slug=f"ubnd-xa-{n:03d}",
            status="active",
            region=made(Region, name=f"Xã {n:03d}", slug=f"qn-29{n:03d}", parent=district),
        )
        for n in range(COMMUNES)
    ]
    racks = [made(Rack, site=dc, name=f"B{n:02d}", u_height=42) for n in range(DEVICES // 40)]
    juniper = made(Manufacturer, name="Juniper", slug="juniper")
    switch_type = made(DeviceType, manufacturer=juniper, model="EX4400-24T", slug="ex4400-24t")
    router_type = DeviceType.objects.get(slug="isr4331")
    server_type = DeviceType.objects.get(slug="r750")
    access = made(DeviceRole, name="Access switch", slug="access-switch", color="4caf50")
    router_role = DeviceRole.objects.get(slug="router")
    hypervisor = DeviceRole.objects.get(slug="hypervisor")
    vsphere = ClusterType.objects.get(slug="vsphere")
    clusters = [
        made(
            Cluster,
            name=f"CL-SCALE-{n:02d}",
            type=vsphere,
            status="active",
            scope=dc,
            custom_field_data={"max_security_level": 3, "zones": ["internal"]},
        )
        for n in range(4)
    ]

    def device(n: int) -> dict[str, Any]:
        # Every tenth device a router at a commune, every fifth a hypervisor, the rest switches.
        if n % 10 == 0 and communes:
            return dict(
                site=communes[n // 10 % len(communes)], device_type=router_type, role=router_role
            )
        if n % 5 == 0:
            return dict(
                site=dc,
                rack=racks[n % len(racks)],
                device_type=server_type,
                role=hypervisor,
                cluster=clusters[n % len(clusters)],
                custom_field_data={"cores": 64, "ram_gb": 512},
            )
        return dict(site=dc, rack=racks[n % len(racks)], device_type=switch_type, role=access)

    devices = Device.objects.bulk_create(
        Device(
            name=f"sc-{n:04d}",
            status="active",
            serial=f"SC{n:08d}",
            interface_count=PORTS,
            **device(n),
        )
        for n in range(DEVICES)
    )
    interfaces = Interface.objects.bulk_create(
        (
            Interface(
                device=d,
                name=f"ge-0/0/{p}",
                type="1000base-t",
                speed=1_000_000,
                _site_id=d.site_id,
                _location_id=d.location_id,
                _rack_id=d.rack_id,
            )
            for d in devices
            for p in range(PORTS)
        ),
        batch_size=2000,
    )
    first = {i.device_id: i for i in interfaces if i.name == "ge-0/0/0"}
    addresses = IPAddress.objects.bulk_create(
        IPAddress(
            address=IPNetwork(f"10.60.{n // 250}.{n % 250 + 1}/16"),
            status="active",
            assigned_object=first[d.id],
        )
        for n, d in enumerate(devices)
    )
    for d, ip in zip(devices, addresses, strict=True):
        d.primary_ip4 = ip
    Device.objects.bulk_update(devices, ["primary_ip4"], batch_size=1000)
    for dtype in DeviceType.objects.annotate(n=Count("instances")):
        DeviceType.objects.filter(pk=dtype.pk).update(device_count=dtype.n)

    # Cables between switch ports in the DC: save() makes their terminations and paths.
    switch_ports = [
        i
        for i in interfaces
        if i.device.device_type_id == switch_type.id and i.name in ("ge-0/0/8", "ge-0/0/9")
    ]
    for a, b in list(zip(switch_ports[0::2], switch_ports[1::2], strict=False))[:CABLES]:
        made(Cable, a_terminations=[a], b_terminations=[b], status="connected")

    vnpt = Provider.objects.get(slug="vnpt-quang-nam")
    tslcd = CircuitType.objects.get(slug="tslcd")
    for n, site in enumerate(communes):
        circuit = made(
            Circuit,
            cid=f"TSLCD-XA-{n:03d}",
            provider=vnpt,
            type=tslcd,
            status="active",
            commit_rate=20_000,
        )
        for side, where in (("A", site), ("Z", dc)):
            made(
                CircuitTermination,
                circuit=circuit,
                term_side=side,
                termination=where,
                port_speed=100_000,
            )

    for n in range(VMS):
        made(
            VirtualMachine,
            name=f"vm-{n:04d}",
            cluster=clusters[n % len(clusters)],
            site=dc,
            status="active",
            tenant=owner,
            vcpus=4,
            memory=8192,
            disk=102_400,
            custom_field_data={
                "information_system": f"HTTT {n % 25:02d}",
                "security_level": 2,
                "zones": ["internal"],
            },
        )

print(
    f"SCALE devices={len(devices)} interfaces={len(interfaces)} took={time.monotonic() - t0:.1f}s"
)
