"""A small, realistic Quảng Nam picture in NetBox, created through its REST API (pynetbox).

The province and one district and commune as regions (codes in the custom field
``admin_unit_code`` or a ``qn-<code>`` slug), Tam Kỳ as a site group, three agencies,
the provincial DC with a rack in a nested location (Phòng máy 1 / Dãy A), two ESXi
hypervisors (a platform) in a cluster, a core switch, a district router, a cable inside
the DC (25G host port to a 10G switch port), TSLCD and WAN circuits, and two VMs of two
systems.
``EXPECTED`` is what a first sync into an empty Headroom must create from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pynetbox

EXPECTED_CREATED = {
    "admin_units": 4,  # 3 regions + 1 site group
    "agencies": 3,
    "sites": 4,
    "racks": 1,
    "devices": 4,
    "interfaces": 4,
    "links": 3,  # the two circuits and the cable inside the DC
    "clusters": 1,
    "workloads": 2,
}

_CUSTOM_FIELDS: list[dict[str, Any]] = [
    {
        "name": "admin_unit_code",
        "type": "text",
        "object_types": ["dcim.region", "dcim.sitegroup", "dcim.site", "tenancy.tenant"],
    },
    {"name": "site_kind", "type": "text", "object_types": ["dcim.site"]},
    {"name": "cores", "type": "integer", "object_types": ["dcim.device"]},
    {"name": "ram_gb", "type": "integer", "object_types": ["dcim.device"]},
    {"name": "max_security_level", "type": "integer", "object_types": ["virtualization.cluster"]},
    {
        "name": "information_system",
        "type": "text",
        "object_types": ["virtualization.virtualmachine"],
    },
    {
        "name": "security_level",
        "type": "integer",
        "object_types": ["virtualization.virtualmachine"],
        "validation_minimum": 1,
        "validation_maximum": 5,
    },
]
_ZONES = ["internet", "tslcd", "internal"]


@dataclass
class Seeded:
    """NetBox ids of what the seed created, by a short name."""

    ids: dict[str, int] = field(default_factory=dict)


def seed(api: pynetbox.api) -> Seeded:
    s = Seeded()
    _custom_fields(api)
    _geography(api, s)
    _dcim(api, s)
    _circuits(api, s)
    _virtual(api, s)
    return s


def _custom_fields(api: pynetbox.api) -> None:
    for cf in _CUSTOM_FIELDS:
        api.extras.custom_fields.create(cf)
    zones = api.extras.custom_field_choice_sets.create(
        name="zones", extra_choices=[[z, z.capitalize()] for z in _ZONES]
    )
    api.extras.custom_fields.create(
        name="zones",
        type="multiselect",
        choice_set=zones.id,
        object_types=["virtualization.cluster", "virtualization.virtualmachine"],
    )


def _geography(api: pynetbox.api, s: Seeded) -> None:
    province = api.dcim.regions.create(name="Tỉnh Quảng Nam", slug="qn-49")
    district = api.dcim.regions.create(
        name="Huyện Duy Xuyên",
        slug="duy-xuyen",
        parent=province.id,
        custom_fields={"admin_unit_code": "509"},
    )
    commune = api.dcim.regions.create(name="Xã Duy Sơn", slug="qn-20575", parent=district.id)
    tam_ky = api.dcim.site_groups.create(name="Thành phố Tam Kỳ", slug="qn-502")
    s.ids.update(province=province.id, district=district.id, commune=commune.id, tam_ky=tam_ky.id)
    tenants = {
        "sotttt": ("Sở Thông tin và Truyền thông", "so-tttt"),
        "ubnd_dx": ("UBND huyện Duy Xuyên", "ubnd-duy-xuyen"),
        "ubnd_ds": ("UBND xã Duy Sơn", "ubnd-duy-son"),
    }
    for key, (name, slug) in tenants.items():
        s.ids[key] = api.tenancy.tenants.create(name=name, slug=slug).id
    sites = {
        "dc": ("Trung tâm dữ liệu tỉnh", "ttdl-quang-nam", {"region": province.id}, "sotttt"),
        "dx": ("UBND huyện Duy Xuyên", "ubnd-huyen-duy-xuyen", {"region": district.id}, "ubnd_dx"),
        "ds": ("UBND xã Duy Sơn", "ubnd-xa-duy-son", {"region": commune.id}, "ubnd_ds"),
        "pop": ("POP VNPT Tam Kỳ", "pop-vnpt-tam-ky", {"group": tam_ky.id}, None),
    }
    kinds = {"dc": "data_centre", "pop": "pop"}
    for key, (name, slug, where, tenant) in sites.items():
        site = api.dcim.sites.create(
            name=name,
            slug=slug,
            status="active",
            tenant=s.ids[tenant] if tenant else None,
            custom_fields={"site_kind": kinds[key]} if key in kinds else {},
            **where,
        )
        s.ids[f"site_{key}"] = site.id


def _dcim(api: pynetbox.api, s: Seeded) -> None:
    room = api.dcim.locations.create(name="Phòng máy 1", slug="phong-may-1", site=s.ids["site_dc"])
    row = api.dcim.locations.create(
        name="Dãy A", slug="day-a", site=s.ids["site_dc"], parent=room.id
    )
    s.ids.update(location_room=room.id, location_row=row.id)
    s.ids["rack"] = api.dcim.racks.create(
        name="R01", site=s.ids["site_dc"], location=row.id, u_height=42
    ).id
    dell = api.dcim.manufacturers.create(name="Dell", slug="dell")
    cisco = api.dcim.manufacturers.create(name="Cisco", slug="cisco")
    r750 = api.dcim.device_types.create(
        manufacturer=dell.id, model="PowerEdge R750", slug="r750", u_height=2
    )
    c9300 = api.dcim.device_types.create(
        manufacturer=cisco.id, model="C9300-48T", slug="c9300-48t", u_height=1
    )
    isr = api.dcim.device_types.create(manufacturer=cisco.id, model="ISR4331", slug="isr4331")
    roles = {
        slug: api.dcim.device_roles.create(name=name, slug=slug, color="2196f3").id
        for slug, name in (
            ("hypervisor", "Hypervisor"),
            ("core-switch", "Core switch"),
            ("router", "Router"),
        )
    }
    esxi = api.dcim.platforms.create(name="VMware ESXi 8.0", slug="esxi-8")
    vsphere = api.virtualization.cluster_types.create(name="VMware vSphere", slug="vsphere")
    cluster = api.virtualization.clusters.create(
        name="CL-PROD-01",
        type=vsphere.id,
        status="active",
        scope_type="dcim.site",
        scope_id=s.ids["site_dc"],
        custom_fields={"max_security_level": 3, "zones": ["internal", "tslcd"]},
    )
    s.ids["cluster"] = cluster.id
    s.ids["tag_pci"] = api.extras.tags.create(name="PCI DSS", slug="pci-dss").id
    for n in (1, 2):
        device = api.dcim.devices.create(
            name=f"esx-0{n}",
            device_type=r750.id,
            role=roles["hypervisor"],
            platform=esxi.id,
            site=s.ids["site_dc"],
            location=s.ids["location_row"],
            rack=s.ids["rack"],
            position=10 + 2 * n,
            face="front",
            status="active",
            serial=f"7XK2QJ{n}",
            asset_tag=f"QN-TTDL-004{n}",
            cluster=cluster.id,
            custom_fields={"cores": 64, "ram_gb": 512},
            tags=[{"id": s.ids["tag_pci"]}] if n == 1 else [],
        )
        s.ids[f"esx{n}"] = device.id
        nic = api.dcim.interfaces.create(
            device=device.id, name="vmnic0", type="25gbase-x-sfp28", speed=25_000_000
        )
        s.ids[f"esx{n}_nic"] = nic.id
        ip = api.ipam.ip_addresses.create(
            address=f"10.49.0.1{n}/24",
            assigned_object_type="dcim.interface",
            assigned_object_id=nic.id,
        )
        device.update({"primary_ip4": ip.id})
    core = api.dcim.devices.create(
        name="core-sw-01",
        device_type=c9300.id,
        role=roles["core-switch"],
        site=s.ids["site_dc"],
        location=s.ids["location_row"],
        rack=s.ids["rack"],
        position=40,
        face="front",
        status="active",
        serial="FOC2233X0AB",
    )
    s.ids["core"] = core.id
    te1 = api.dcim.interfaces.create(
        device=core.id, name="Te1/1/1", type="10gbase-x-sfpp", speed=10_000_000
    )
    te2 = api.dcim.interfaces.create(
        device=core.id, name="Te1/1/2", type="10gbase-x-sfpp", speed=10_000_000
    )
    s.ids.update(core_te1=te1.id, core_te2=te2.id)
    router = api.dcim.devices.create(
        name="rt-duyxuyen",
        device_type=isr.id,
        role=roles["router"],
        site=s.ids["site_dx"],
        status="active",
        serial="FDO2144A1BC",
    )
    s.ids["router"] = router.id
    # The router has no interface documented; the cable below stays inside the DC: a link of
    # its own (LAN), at the slower end's 10 Gbps.
    s.ids["cable"] = api.dcim.cables.create(
        a_terminations=[{"object_type": "dcim.interface", "object_id": s.ids["esx1_nic"]}],
        b_terminations=[{"object_type": "dcim.interface", "object_id": te1.id}],
        status="connected",
    ).id


def _circuits(api: pynetbox.api, s: Seeded) -> None:
    vnpt = api.circuits.providers.create(name="VNPT Quảng Nam", slug="vnpt-quang-nam")
    tslcd = api.circuits.circuit_types.create(name="TSLCD", slug="tslcd")
    wan = api.circuits.circuit_types.create(name="WAN tỉnh", slug="wan")
    circuits = (
        ("TSLCD-DX-01", tslcd.id, 100_000, "site_dx", "site_dc"),
        ("WAN-DS-01", wan.id, 20_000, "site_ds", "site_dx"),
    )
    for cid, ctype, commit, a_site, z_site in circuits:
        circuit = api.circuits.circuits.create(
            cid=cid, provider=vnpt.id, type=ctype, status="active", commit_rate=commit
        )
        s.ids[cid] = circuit.id
        for side, site in (("A", a_site), ("Z", z_site)):
            api.circuits.circuit_terminations.create(
                circuit=circuit.id,
                term_side=side,
                termination_type="dcim.site",
                termination_id=s.ids[site],
                port_speed=1_000_000,
            )


def _virtual(api: pynetbox.api, s: Seeded) -> None:
    vms = (
        ("mc-app-01", 8, 16_000, 200_000, "Hệ thống Một cửa điện tử", 3, ["internet"], 21),
        ("qlvb-db-01", 4, 8_000, 500_000, "Quản lý văn bản và điều hành", 2, ["tslcd"], 22),
    )
    for name, vcpus, memory, disk, system, level, zones, host in vms:
        vm = api.virtualization.virtual_machines.create(
            name=name,
            cluster=s.ids["cluster"],
            status="active",
            tenant=s.ids["sotttt"],
            vcpus=vcpus,
            memory=memory,
            disk=disk,
            custom_fields={"information_system": system, "security_level": level, "zones": zones},
            tags=[{"id": s.ids["tag_pci"]}] if name == "mc-app-01" else [],
        )
        s.ids[name] = vm.id
        eth0 = api.virtualization.interfaces.create(virtual_machine=vm.id, name="eth0")
        ip = api.ipam.ip_addresses.create(
            address=f"10.49.10.{host}/24",
            assigned_object_type="virtualization.vminterface",
            assigned_object_id=eth0.id,
        )
        vm.update({"primary_ip4": ip.id})
