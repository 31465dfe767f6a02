"""A stock NetBox, filled the way its users fill it, created through its REST API (pynetbox).

No custom field values, no ``qn-<code>`` slugs, no national codes: regions named in
English and Vietnamese ("Asia → Vietnam → Đà Nẵng → Hải Châu", "Hoa Khanh Ward", an
English-only "Central Vietnam" whose "Hai Chau" names the unit "Hải Châu" already
holds, a "Data Centre Campus" that names no unit), a site group, tenants, sites (one in
no region), racks, devices (one without a name, one without a primary IP), interfaces
of several types (physical, virtual, LAG, wireless), cables (one a console cable, and a
server's port reaching the switch through two patch panels), circuits, clusters and VMs.

It lives in the one NetBox peer beside ``seed.py``'s objects, for one test module at a
time: ``seed_stock`` records every object it creates and ``unseed_stock`` deletes them
in reverse order, so the other modules find NetBox as ``seed.py`` left it.
The tests' Headroom holds Đà Nẵng's 2025 tree (``cmdb/data``), which the names match.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

import pynetbox
from pynetbox.core.response import Record

# What the regions are placed on in a Headroom holding Đà Nẵng's 2025 tree: a national
# code, or None for an unmapped unit (by their NetBox names).
EXPECTED_UNITS = {
    "Asia": None,
    "Vietnam": None,
    "Đà Nẵng": "48",
    "Hải Châu": "20242",
    "Hoa Khanh Ward": "20200",
    "Data Centre Campus": None,
    "Quảng Nam": None,
    "Tam Kỳ": "20341",
    "Central Vietnam": None,
    "Hai Chau": None,  # the unit is Hải Châu's: never two regions in one unit
    "Branch offices": None,  # a site group
}


@dataclass
class Stock:
    """NetBox ids of what the stock seed created, by a short name, and every object in
    the order it was created (deleted in reverse)."""

    ids: dict[str, int] = field(default_factory=dict)
    created: list[Record] = field(default_factory=list)


def seed_stock(api: pynetbox.api) -> Stock:
    s = Stock()
    _geography(api, s)
    _dcim(api, s)
    _cables(api, s)
    _circuits(api, s)
    _virtual(api, s)
    return s


def unseed_stock(s: Stock) -> None:
    """Every object the seed created, deleted newest first (what NetBox deleted with its
    parent is gone already)."""
    for obj in reversed(s.created):
        with contextlib.suppress(pynetbox.RequestError):
            obj.delete()


def _new(s: Stock, key: str | None, endpoint: Any, **fields: Any) -> Record:
    obj = endpoint.create(**fields)
    s.created.append(obj)
    if key is not None:
        s.ids[key] = obj.id
    return obj


def _geography(api: pynetbox.api, s: Stock) -> None:
    regions = api.dcim.regions
    asia = _new(s, "asia", regions, name="Asia", slug="asia")
    vietnam = _new(s, "vietnam", regions, name="Vietnam", slug="vietnam", parent=asia.id)
    da_nang = _new(s, "da_nang", regions, name="Đà Nẵng", slug="da-nang", parent=vietnam.id)
    for key, name, slug in (
        ("hai_chau", "Hải Châu", "hai-chau"),
        ("hoa_khanh", "Hoa Khanh Ward", "hoa-khanh-ward"),
        ("campus", "Data Centre Campus", "dc-campus"),
    ):
        _new(s, key, regions, name=name, slug=slug, parent=da_nang.id)
    quang_nam = _new(s, "quang_nam", regions, name="Quảng Nam", slug="quang-nam", parent=vietnam.id)
    _new(s, "tam_ky", regions, name="Tam Kỳ", slug="tam-ky", parent=quang_nam.id)
    central = _new(s, "central", regions, name="Central Vietnam", slug="central-vietnam")
    _new(s, "hai_chau_en", regions, name="Hai Chau", slug="hai-chau-en", parent=central.id)
    _new(s, "branches", api.dcim.site_groups, name="Branch offices", slug="branch-offices")
    for key, name, slug in (
        ("ict", "Sở Thông tin và Truyền thông Đà Nẵng", "so-tttt-da-nang"),
        ("hc_ward", "UBND phường Hải Châu", "ubnd-phuong-hai-chau"),
        ("lab", "Smart City Lab", "smart-city-lab"),
    ):
        _new(s, key, api.tenancy.tenants, name=name, slug=slug)
    sites: tuple[tuple[str, str, str, dict[str, int], str | None], ...] = (
        ("site_dc", "Da Nang Data Centre", "dn-dc", {"region": s.ids["campus"]}, "ict"),
        (
            "site_hc",
            "UBND phường Hải Châu",
            "ubnd-hai-chau",
            {"region": s.ids["hai_chau"]},
            "hc_ward",
        ),
        ("site_hk", "Hoa Khanh Office", "hoa-khanh-office", {"region": s.ids["hoa_khanh"]}, None),
        ("site_tk", "Tam Ky POP", "tam-ky-pop", {"region": s.ids["tam_ky"]}, None),
        ("site_annex", "Hai Chau Annex", "hai-chau-annex", {"region": s.ids["hai_chau_en"]}, "lab"),
        ("site_branch", "Branch Office 1", "branch-1", {"group": s.ids["branches"]}, "ict"),
        ("site_store", "Warehouse", "warehouse", {}, None),  # in no region and no group
    )
    for key, name, slug, where, tenant in sites:
        _new(
            s,
            key,
            api.dcim.sites,
            name=name,
            slug=slug,
            status="active",
            tenant=s.ids[tenant] if tenant else None,
            **where,
        )


def _dcim(api: pynetbox.api, s: Stock) -> None:
    hall = _new(s, "hall", api.dcim.locations, name="Hall 1", slug="hall-1", site=s.ids["site_dc"])
    _new(s, "rack_a", api.dcim.racks, name="A01", site=s.ids["site_dc"], location=hall.id)
    _new(s, "rack_b", api.dcim.racks, name="B01", site=s.ids["site_dc"])
    makers = {
        slug: _new(s, None, api.dcim.manufacturers, name=name, slug=slug).id
        for slug, name in (
            ("dell-st", "Dell Technologies"),
            ("juniper", "Juniper"),
            ("ui", "Ubiquiti"),
            ("panduit", "Panduit"),
        )
    }
    types = {
        slug: _new(
            s, None, api.dcim.device_types, manufacturer=makers[maker], model=model, slug=slug
        ).id
        for slug, maker, model in (
            ("r650", "dell-st", "PowerEdge R650"),
            ("ex4300", "juniper", "EX4300-48T"),
            ("uap-ac-pro", "ui", "UAP-AC-PRO"),
            ("pp-24", "panduit", "24-port patch panel"),
        )
    }
    roles = {
        slug: _new(s, None, api.dcim.device_roles, name=name, slug=slug, color="9e9e9e").id
        for slug, name in (
            ("srv", "Server"),
            ("access", "Access Switch"),
            ("ap", "Wireless AP"),
            ("panel", "Patch Panel"),
        )
    }
    devices = (
        ("esx1", "dn-esx-01", "r650", "srv", "site_dc", "rack_a"),
        ("esx2", "dn-esx-02", "r650", "srv", "site_dc", "rack_a"),  # no primary IP
        ("sw", "dn-sw-01", "ex4300", "access", "site_dc", "rack_b"),
        ("ap", None, "uap-ac-pro", "ap", "site_hc", None),  # no name
        ("sw_hk", "hk-sw-01", "ex4300", "access", "site_hk", None),
        ("sw_store", "kho-sw-01", "ex4300", "access", "site_store", None),
        ("pp_a", "pp-a01", "pp-24", "panel", "site_dc", "rack_a"),
        ("pp_b", "pp-b01", "pp-24", "panel", "site_dc", "rack_b"),
    )
    for key, name, dtype, role, site, rack in devices:
        _new(
            s,
            key,
            api.dcim.devices,
            name=name,
            device_type=types[dtype],
            role=roles[role],
            site=s.ids[site],
            rack=s.ids[rack] if rack else None,
            status="active",
        )
    interfaces = (
        ("esx1_eth0", "esx1", "eth0", "10gbase-t"),
        ("esx2_eth0", "esx2", "eth0", "10gbase-t"),
        ("esx1_vmk0", "esx1", "vmk0", "virtual"),
        ("esx2_eth1", "esx2", "eth1", "10gbase-t"),  # through the patch panels to ge-0/0/3
        ("sw_ge1", "sw", "ge-0/0/1", "1000base-t"),
        ("sw_ge2", "sw", "ge-0/0/2", "1000base-t"),
        ("sw_ge3", "sw", "ge-0/0/3", "1000base-t"),
        ("sw_ge47", "sw", "ge-0/0/47", "1000base-t"),
        ("sw_ae0", "sw", "ae0", "lag"),
        ("sw_irb", "sw", "irb.10", "virtual"),
        ("ap_wlan0", "ap", "wlan0", "ieee802.11ac"),
        ("ap_eth0", "ap", "eth0", "1000base-t"),
        ("hk_ge1", "sw_hk", "ge-0/0/0", "1000base-t"),
    )
    for key, device, name, kind in interfaces:
        _new(s, key, api.dcim.interfaces, device=s.ids[device], name=name, type=kind)
    # The uplinks are members of the LAG.
    for member in ("sw_ge47",):
        api.dcim.interfaces.get(s.ids[member]).update({"lag": s.ids["sw_ae0"]})
    for key, device, interface, address in (
        ("ip_esx1", "esx1", "esx1_vmk0", "10.48.0.11/24"),
        ("ip_sw", "sw", "sw_irb", "10.48.0.2/24"),
    ):
        ip = _new(
            s,
            key,
            api.ipam.ip_addresses,
            address=address,
            assigned_object_type="dcim.interface",
            assigned_object_id=s.ids[interface],
        )
        api.dcim.devices.get(s.ids[device]).update({"primary_ip4": ip.id})


def _cable(api: pynetbox.api, s: Stock, key: str, a: tuple[str, str], b: tuple[str, str]) -> None:
    _new(
        s,
        key,
        api.dcim.cables,
        a_terminations=[{"object_type": a[0], "object_id": s.ids[a[1]]}],
        b_terminations=[{"object_type": b[0], "object_id": s.ids[b[1]]}],
        status="connected",
    )


def _cables(api: pynetbox.api, s: Stock) -> None:
    interface = "dcim.interface"
    _cable(api, s, "cable_esx1", (interface, "esx1_eth0"), (interface, "sw_ge1"))
    _cable(api, s, "cable_esx2", (interface, "esx2_eth0"), (interface, "sw_ge2"))
    _cable(api, s, "cable_ap", (interface, "ap_eth0"), (interface, "hk_ge1"))
    _patch_panels(api, s)
    # A console cable: no data, listed as skipped with its reason.
    _new(s, "sw_con", api.dcim.console_ports, device=s.ids["sw"], name="con0")
    _new(s, "esx1_csp", api.dcim.console_server_ports, device=s.ids["esx1"], name="ttyS1")
    _cable(
        api,
        s,
        "cable_console",
        ("dcim.consoleport", "sw_con"),
        ("dcim.consoleserverport", "esx1_csp"),
    )


def _patch_panels(api: pynetbox.api, s: Stock) -> None:
    """esx-02 eth1 → panel A's front port, A's rear port ⇄ B's rear port (the trunk between
    the racks), B's front port → the switch's ge-0/0/3: one link between the two
    interfaces, the other two cables skipped with their reasons."""
    for panel in ("pp_a", "pp_b"):
        rear = _new(
            s,
            f"{panel}_rear",
            api.dcim.rear_ports,
            device=s.ids[panel],
            name="R1",
            type="8p8c",
            positions=1,
        )
        mapping = [{"position": 1, "rear_port": rear.id, "rear_port_position": 1}]
        _new(
            s,
            f"{panel}_front",
            api.dcim.front_ports,
            device=s.ids[panel],
            name="F1",
            type="8p8c",
            rear_ports=mapping,
        )
    port = ("dcim.frontport", "dcim.rearport")
    _cable(api, s, "cable_pp_esx", ("dcim.interface", "esx2_eth1"), (port[0], "pp_a_front"))
    _cable(api, s, "cable_pp_trunk", (port[1], "pp_a_rear"), (port[1], "pp_b_rear"))
    _cable(api, s, "cable_pp_sw", (port[0], "pp_b_front"), ("dcim.interface", "sw_ge3"))


def _circuits(api: pynetbox.api, s: Stock) -> None:
    vnpt = _new(s, None, api.circuits.providers, name="VNPT Đà Nẵng", slug="vnpt-da-nang")
    internet = _new(s, None, api.circuits.circuit_types, name="Internet", slug="internet")
    mpls = _new(s, None, api.circuits.circuit_types, name="MPLS L3VPN", slug="mpls-l3vpn")
    for key, cid, ctype, rate, a_site, z_site in (
        ("circuit_inet", "INET-DN-01", internet.id, 1_000_000, "site_tk", "site_dc"),
        ("circuit_mpls", "MPLS-HC-01", mpls.id, 100_000, "site_hc", "site_dc"),
        ("circuit_open", "INET-TRANSIT-01", internet.id, 10_000_000, "site_dc", None),
    ):
        circuit = _new(
            s,
            key,
            api.circuits.circuits,
            cid=cid,
            provider=vnpt.id,
            type=ctype,
            status="active",
            commit_rate=rate,
        )
        for side, site in (("A", a_site), ("Z", z_site)):
            if site is not None:
                _new(
                    s,
                    f"{key}_{side}",
                    api.circuits.circuit_terminations,
                    circuit=circuit.id,
                    term_side=side,
                    termination_type="dcim.site",
                    termination_id=s.ids[site],
                    port_speed=max(rate, 1_000_000),  # never below its commit: no finding
                )
    # The Internet circuit's DC end is cabled to the switch: the circuit's tail.
    _cable(
        api,
        s,
        "cable_tail",
        ("circuits.circuittermination", "circuit_inet_Z"),
        ("dcim.interface", "sw_ge47"),
    )


def _virtual(api: pynetbox.api, s: Stock) -> None:
    vsphere = _new(s, None, api.virtualization.cluster_types, name="vSphere", slug="vsphere-st")
    _new(
        s,
        "cluster",
        api.virtualization.clusters,
        name="DN-PROD",
        type=vsphere.id,
        status="active",
        scope_type="dcim.site",
        scope_id=s.ids["site_dc"],
    )
    _new(s, "cluster_lab", api.virtualization.clusters, name="Lab", type=vsphere.id)
    for key, name, cluster, tenant, vcpus, memory, disk in (
        ("vm_web", "cong-dich-vu-web", "cluster", "ict", 4, 8_000, 100_000),
        ("vm_db", "db-01", "cluster", None, 8, 32_000, None),  # no tenant, no disk
        ("vm_lab", "lab-vm", "cluster_lab", "lab", None, None, None),  # no size at all
    ):
        _new(
            s,
            key,
            api.virtualization.virtual_machines,
            name=name,
            cluster=s.ids[cluster],
            status="active",
            tenant=s.ids[tenant] if tenant else None,
            vcpus=vcpus,
            memory=memory,
            disk=disk,
        )
