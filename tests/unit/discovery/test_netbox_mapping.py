"""NetBox JSON → Headroom records, table by table (shapes as NetBox 4.7's API returns them)."""

from __future__ import annotations

import pytest

from cmdb.choices import AdminLevel, AgencyKind, DeviceRole, Network, RackFace, SiteKind, Status
from discovery.netbox.mapping import (
    map_admin_unit,
    map_device,
    map_interface,
    map_location_paths,
    map_rack,
    map_site,
    map_tenant,
)
from discovery.netbox.mapping_links import map_cable, map_circuit
from discovery.netbox.mapping_virtual import map_cluster, map_virtual_machines
from discovery.netbox.records import NbRecord, Ref, Skipped
from discovery.netbox.values import (
    admin_code,
    interface_speed_mbps,
    kbps_to_mbps,
    map_network,
    map_role,
    map_status,
    map_tags,
    mb_to_gb,
    whole_vcpus,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"value": "active", "label": "Active"}, Status.ACTIVE),
        ({"value": "staged", "label": "Staged"}, Status.PLANNED),
        ("inventory", Status.OFFLINE),
        ("decommissioning", Status.DECOMMISSIONED),
        ("deprovisioning", Status.DECOMMISSIONED),
        ("retired", Status.DECOMMISSIONED),
        ("something-new", None),
        (None, None),
    ],
)
def test_status_words(value, expected):
    assert map_status(value) == expected


@pytest.mark.parametrize(
    ("slug", "expected"),
    [
        ("server", DeviceRole.SERVER),
        ("hypervisor", DeviceRole.SERVER),
        ("core-switch", DeviceRole.SWITCH),
        ("access_switch", DeviceRole.SWITCH),
        ("edge-router", DeviceRole.ROUTER),
        ("fw", DeviceRole.FIREWALL),
        ("san-array", DeviceRole.STORAGE),
        ("pdu", None),
        (None, None),
    ],
)
def test_role_slugs(slug, expected):
    assert map_role(slug) == expected


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        ((None, "tslcd", "TSLCD"), Network.TSLCD),
        ((None, "internet-transit", "Internet transit"), Network.INTERNET),
        (("wan", "mpls", "MPLS"), Network.WAN),
        ((None, "mpls", "MPLS L3VPN"), None),
    ],
)
def test_network_from_circuit_type(names, expected):
    assert map_network(*names) == expected


@pytest.mark.parametrize(
    ("obj", "code"),
    [
        ({"slug": "qn-49", "custom_fields": {}}, "49"),
        ({"slug": "502", "custom_fields": {}}, "502"),
        ({"slug": "duy-xuyen", "custom_fields": {"admin_unit_code": "509"}}, "509"),
        ({"slug": "qn-49", "custom_fields": {"admin_unit_code": "20335"}}, "20335"),
        ({"slug": "mien-trung", "custom_fields": {"admin_unit_code": None}}, None),
    ],
)
def test_admin_unit_code_from_custom_field_or_slug(obj, code):
    assert admin_code(obj) == code


@pytest.mark.parametrize(
    ("fn", "value", "expected"),
    [
        (kbps_to_mbps, 1_000_000, 1000),
        (kbps_to_mbps, 25_000_000, 25000),
        (kbps_to_mbps, None, None),
        (mb_to_gb, 16_384, 16.384),  # NetBox's RAM_BASE_UNIT default is 1000
        (mb_to_gb, 204_800, 204.8),
        (whole_vcpus, "0.50", 1),
        (whole_vcpus, "4.00", 4),
        (whole_vcpus, 2.5, 3),
    ],
)
def test_units(fn, value, expected):
    assert fn(value) == expected


def test_region_becomes_admin_unit_with_level_by_depth_and_kind_from_name():
    region = {
        "id": 2,
        "name": "Huyện Duy Xuyên",
        "slug": "qn-509",
        "parent": {"id": 1, "name": "Tỉnh Quảng Nam", "_depth": 0},
        "_depth": 1,
        "custom_fields": {},
    }
    record = map_admin_unit(region, "region")
    assert record.external_id == "region:2"
    assert record.fields == {"code": "509"}
    assert record.defaults == {
        "name": "Huyện Duy Xuyên",
        "level": AdminLevel.DISTRICT,
        "kind": "Huyện",
    }
    assert record.refs == {"parent_id": Ref("admin_units", "region:1")}


def test_region_without_code_is_left_to_the_name_match():
    record = map_admin_unit({"id": 9, "name": "Miền Trung", "slug": "mien-trung"}, "region")
    assert record.error is None
    assert record.fields == {}  # units.place_units decides: a national unit, or unmapped
    assert record.defaults["name"] == "Miền Trung"


def test_site_in_no_region_or_group_is_in_the_unassigned_unit():
    site = {"id": 8, "name": "Warehouse", "slug": "warehouse", "custom_fields": {}}
    record = map_site(site, {})
    assert record.error is None
    assert record.refs["admin_unit_id"] == Ref("admin_units", "unassigned")
    assert record.defaults == {"kind": SiteKind.AGENCY_OFFICE}


@pytest.mark.parametrize(
    ("name", "custom_fields", "kind"),
    [
        ("Sở Thông tin và Truyền thông", {}, AgencyKind.DEPARTMENT),
        ("UBND tỉnh Quảng Nam", {}, AgencyKind.PROVINCIAL_COMMITTEE),
        ("UBND huyện Duy Xuyên", {}, AgencyKind.DISTRICT_COMMITTEE),
        ("UBND xã Duy Sơn", {}, AgencyKind.COMMUNE_COMMITTEE),
        ("VNPT Quảng Nam", {}, AgencyKind.OTHER),
        ("VNPT Quảng Nam", {"agency_kind": "department"}, AgencyKind.DEPARTMENT),
    ],
)
def test_tenant_kind(name, custom_fields, kind):
    record = map_tenant({"id": 1, "name": name, "custom_fields": custom_fields})
    assert {**record.defaults, **record.fields}["kind"] == kind
    assert ("kind" in record.fields) == bool(custom_fields)


def test_site_in_commune_region_defaults_to_commune_office():
    site = {
        "id": 5,
        "name": "UBND xã Duy Sơn",
        "slug": "ubnd-duy-son",
        "status": {"value": "active"},
        "region": {"id": 3},
        "group": None,
        "tenant": {"id": 4},
        "latitude": "15.8",
        "longitude": None,
        "custom_fields": {},
    }
    record = map_site(site, {"region:3": AdminLevel.COMMUNE})
    assert record.defaults == {"kind": SiteKind.COMMUNE_OFFICE}
    assert "kind" not in record.fields
    assert record.fields["latitude"] == 15.8
    assert record.refs == {
        "admin_unit_id": Ref("admin_units", "region:3"),
        "agency_id": Ref("agencies", "4"),
    }


def test_site_kind_custom_field_is_declared():
    site = {"id": 1, "name": "TTDL", "slug": "ttdl", "group": {"id": 7}}
    site["custom_fields"] = {"site_kind": "data_centre"}
    record = map_site(site, {})
    assert record.fields["kind"] == SiteKind.DATA_CENTRE
    assert record.refs["admin_unit_id"] == Ref("admin_units", "site-group:7")


DEVICE = {
    "id": 11,
    "name": "esx-01.ttdl.quangnam.gov.vn",
    "device_type": {"id": 1, "manufacturer": {"id": 1, "name": "Dell"}, "model": "PowerEdge R750"},
    "role": {"id": 1, "name": "Hypervisor", "slug": "hypervisor"},
    "serial": "7XK2QJ3",
    "asset_tag": "QN-TTDL-0042",
    "site": {"id": 1},
    "rack": {"id": 1},
    "position": 12.0,
    "face": {"value": "rear", "label": "Rear"},
    "status": {"value": "active", "label": "Active"},
    "primary_ip": {"id": 3, "address": "10.49.0.11/24"},
    "cluster": {"id": 2},
    "custom_fields": {"cores": 64, "ram_gb": 512, "raw_storage_tb": None},
}


def test_device_maps_declared_and_observed_facts():
    record = map_device(DEVICE)
    assert record.fields == {
        "name": "esx-01.ttdl.quangnam.gov.vn",
        "name_generated": False,
        "status": Status.ACTIVE,
        "serial": "7XK2QJ3",
        "asset_tag": "QN-TTDL-0042",
        "manufacturer": "Dell",
        "model": "PowerEdge R750",
        "management_address": "10.49.0.11",
        "rack_position_u": 12,
        "rack_face": RackFace.REAR,
        "location": None,
        "tags": [],
        "cores": 64,
        "ram_gb": 512.0,
        "role": DeviceRole.SERVER,
    }
    assert record.refs == {
        "site_id": Ref("sites", "1"),
        "rack_id": Ref("racks", "1"),
        "cluster_id": Ref("clusters", "2"),
    }
    assert record.observed["asset_tag"] == "QN-TTDL-0042"
    assert "raw_storage_tb" not in record.observed  # only what the source knows


def test_device_without_a_name_is_named_from_its_model_and_netbox_id_and_flagged():
    record = map_device({**DEVICE, "name": None, "primary_ip": None})
    assert record.error is None
    assert record.fields["name"] == "PowerEdge-R750-nb11"
    assert record.fields["name_generated"] is True
    assert "name_generated" not in record.observed  # not a fact about the equipment
    assert "management_address" not in record.fields  # no primary IP: unknown, not cleared


def test_device_without_cpu_custom_fields_leaves_specs_to_other_sources():
    record = map_device({**DEVICE, "custom_fields": {}, "role": None})
    assert "cores" not in record.fields and "ram_gb" not in record.fields
    assert "role" not in record.fields and record.defaults["role"] == DeviceRole.OTHER


def test_device_headroom_proposed_keeps_its_status_until_a_person_documents_it():
    proposed = {**DEVICE, "status": {"value": "planned"}, "tags": [{"slug": "headroom"}]}
    assert "status" not in map_device(proposed).fields
    reviewed = {**proposed, "status": {"value": "active"}}
    assert map_device(reviewed).fields["status"] == Status.ACTIVE


NETBOX_TAGS = [
    {"id": 3, "name": "PCI DSS", "slug": "pci-dss", "color": "ff0000"},
    {"id": 1, "name": "Headroom", "slug": "headroom"},
    {"id": 2, "name": "Backup nightly", "slug": "backup_nightly"},
    {"id": 4, "name": "Vùng 1", "slug": "vùng-1"},
]


def test_device_tags_are_declared_slugs_without_the_push_marker():
    record = map_device({**DEVICE, "tags": NETBOX_TAGS})
    # sorted, ASCII (NetBox allows Unicode slugs), without ``headroom``: the push's marker
    assert record.fields["tags"] == ["backup_nightly", "pci-dss", "vung-1"]
    assert "tags" not in record.observed  # declared like the placement, not observed
    untagged = map_device({**DEVICE, "tags": [{"slug": "headroom"}]})
    assert untagged.fields["tags"] == []  # NetBox states "no tags": a removed tag is cleared


def test_vm_tags_are_its_netbox_tag_slugs():
    vm = {**_vm(1, "Một cửa điện tử", 2, []), "tags": NETBOX_TAGS[:2]}
    workload = next(r for r in map_virtual_machines([vm]) if r.kind == "workloads")
    assert workload.fields["tags"] == ["pci-dss"]
    assert "tags" not in workload.observed


def test_a_unicode_tag_slug_becomes_the_api_s_ascii_slug():
    assert map_tags({"tags": [{"slug": "Đà-Nẵng"}, {"slug": "lớp 2"}]}) == ["da-nang", "lop_2"]


def test_tags_are_capped_at_the_api_limit():
    many = [{"slug": f"t{i:03d}"} for i in range(80)]
    assert map_tags({"tags": many}) == [f"t{i:03d}" for i in range(50)]


def test_interface_speed_kbps_to_mbps_and_addresses():
    obj = {
        "id": 21,
        "device": {"id": 11, "name": "esx-01"},
        "name": "vmnic0",
        "enabled": True,
        "speed": 25_000_000,
        "mac_address": "AA:BB:CC:00:11:22",
        "description": "",
    }
    record = map_interface(obj, ["10.49.0.11"])
    assert record.fields["speed_mbps"] == 25000
    assert record.fields["mac_address"] == "aa:bb:cc:00:11:22"
    assert record.observed == {
        "device_id": 11,
        "name": "vmnic0",
        "speed_mbps": 25000,
        "mac_address": "aa:bb:cc:00:11:22",
        "ip_addresses": ["10.49.0.11"],
    }


def _cable(a_device: int, b_device: int, b_interface: int = 2) -> dict:
    def end(interface: int, device: int) -> list[dict]:
        obj = {"id": interface, "device": {"id": device, "name": f"dev{device}"}}
        obj["name"] = f"if{interface}"
        return [{"object_type": "dcim.interface", "object_id": interface, "object": obj}]

    return {
        "id": 4,
        "a_terminations": end(1, a_device),
        "b_terminations": end(b_interface, b_device),
    }


def test_cable_inside_one_site_is_a_link_between_its_two_interfaces_at_the_slower_speed():
    result = map_cable(_cable(10, 11), {10: 1, 11: 1}, {1: 25000, 2: 10000})
    assert isinstance(result, NbRecord) and result.error is None
    assert result.refs["a_site_id"] == result.refs["b_site_id"] == Ref("sites", "1")
    assert (result.refs["a_interface_id"], result.refs["b_interface_id"]) == (
        Ref("interfaces", "1"),
        Ref("interfaces", "2"),
    )
    assert result.fields["network"] == Network.LAN
    assert result.fields["name"] == result.label == "dev10 if1 – dev11 if2"  # no label in NetBox
    assert result.fields["port_speed_mbps"] == 10000.0
    assert result.observed == {"port_speed_mbps": 10000.0}


def test_cable_whose_interfaces_were_not_read_leaves_the_speed_alone():
    """An incremental sync reads only changed interfaces: no speed, rather than a wrong one."""
    result = map_cable(_cable(10, 11), {10: 1, 11: 1}, {})
    assert isinstance(result, NbRecord)
    assert "port_speed_mbps" not in result.fields and result.observed == {}


def test_cable_between_sites_is_a_lan_link_between_interfaces():
    result = map_cable(_cable(10, 12), {10: 1, 12: 2}, {1: 1000, 2: 1000})
    assert isinstance(result, NbRecord)
    assert result.fields["network"] == Network.LAN
    assert result.refs["a_interface_id"] == Ref("interfaces", "1")
    assert result.refs["b_site_id"] == Ref("sites", "2")


def test_cable_looped_back_onto_one_interface_fails():
    result = map_cable(_cable(10, 10, b_interface=1), {10: 1}, {1: 1000})
    assert isinstance(result, NbRecord) and "one interface" in str(result.error)


def _ends(kind: str, n: int = 1, device: int | None = None, first: int = 90) -> list[dict]:
    def obj(i: int) -> dict:
        found = {"id": i, "name": f"port{i}"}
        return found | ({"device": {"id": device, "name": f"dev{device}"}} if device else {})

    ids = range(first, first + n)
    return [{"object_type": kind, "object_id": i, "object": obj(i)} for i in ids]


@pytest.mark.parametrize(
    ("a_ends", "b_ends", "reason"),
    [
        (_ends("circuits.circuittermination"), _ends("dcim.frontport", device=11), "circuit"),
        (_ends("dcim.frontport", device=10), _ends("dcim.rearport", device=11), "patch-panel"),
        (_ends("dcim.rearport"), _ends("dcim.rearport"), "patch-panel"),
        (_ends("dcim.powerport"), _ends("dcim.poweroutlet"), "power"),
        (_ends("dcim.consoleport", device=10), _ends("dcim.consoleserverport"), "console"),
        ([], [], "unterminated"),
    ],
)
def test_cables_with_no_interface_at_either_end_are_skipped_with_reason(a_ends, b_ends, reason):
    cable = {"id": 5, "a_terminations": a_ends, "b_terminations": b_ends}
    result = map_cable(cable, {10: 1, 11: 1}, {})
    assert isinstance(result, Skipped) and result.external_id == "cable:5"
    assert reason in result.reason


@pytest.mark.parametrize(
    ("b_ends", "b_site"),
    [
        (_ends("dcim.frontport", device=11), "2"),  # to a patch panel: the panel's site
        (_ends("circuits.circuittermination"), "3"),  # to a circuit's end: its site
        ([], "1"),  # unterminated: the interface's own site
        (_ends("dcim.powerfeed"), "1"),  # an end with no site: the other end's
    ],
)
def test_cable_from_an_interface_to_any_port_is_a_link_with_the_ends_that_map(b_ends, b_site):
    cable = {"id": 6, "a_terminations": _cable(10, 11)["a_terminations"], "b_terminations": b_ends}
    result = map_cable(cable, {10: 1, 11: 2}, {1: 1000}, {90: 3})
    assert isinstance(result, NbRecord) and result.error is None
    assert result.refs["a_interface_id"] == Ref("interfaces", "1")
    assert result.refs["b_interface_id"] is None
    assert (result.refs["a_site_id"], result.refs["b_site_id"]) == (
        Ref("sites", "1"),
        Ref("sites", b_site),
    )
    assert result.fields["port_speed_mbps"] == 1000.0


def test_breakout_cable_joins_the_first_interface_of_each_side():
    a_ends = _ends("dcim.interface", 2, device=10)
    b_ends = list(reversed(_ends("dcim.interface", 2, device=11, first=95)))
    cable = {"id": 7, "a_terminations": a_ends, "b_terminations": b_ends}
    result = map_cable(cable, {10: 1, 11: 1}, {90: 10000, 95: 25000})
    assert isinstance(result, NbRecord) and result.error is None
    assert (result.refs["a_interface_id"], result.refs["b_interface_id"]) == (
        Ref("interfaces", "90"),
        Ref("interfaces", "95"),
    )
    assert result.fields["port_speed_mbps"] == 10000.0


@pytest.mark.parametrize(
    ("interface", "mbps"),
    [
        ({"speed": 25_000_000, "type": {"value": "10gbase-x-sfpp"}}, 25000),
        ({"speed": None, "type": {"value": "10gbase-x-sfpp"}}, 10000),
        ({"type": {"value": "1000base-t"}}, 1000),
        ({"type": "100base-tx"}, 100),
        ({"type": {"value": "2.5gbase-t"}}, 2500),
        ({"type": {"value": "virtual"}}, None),
        ({"type": {"value": "lag"}}, None),
        ({}, None),
    ],
)
def test_interface_speed_from_netbox_kbps_else_its_type(interface, mbps):
    assert interface_speed_mbps(interface) == mbps


LOCATIONS = [
    {"id": 3, "name": "Dãy A", "parent": {"id": 1}},
    {"id": 1, "name": "Phòng máy 1", "parent": None},
    {"id": 2, "name": "Phòng máy 2"},
    {"id": 8, "name": "Lồng 8", "parent": {"id": 3}},
]


def test_location_paths_outermost_first():
    assert map_location_paths(LOCATIONS) == {
        1: "Phòng máy 1",
        2: "Phòng máy 2",
        3: "Phòng máy 1 / Dãy A",
        8: "Phòng máy 1 / Dãy A / Lồng 8",
    }


def test_rack_and_device_carry_their_location_path_and_the_device_its_platform():
    paths = map_location_paths(LOCATIONS)
    rack = map_rack({"id": 1, "name": "R01", "site": {"id": 1}, "location": {"id": 3}}, paths)
    assert rack.fields["location"] == "Phòng máy 1 / Dãy A"
    device = map_device(
        {**DEVICE, "location": {"id": 3, "name": "Dãy A"}, "platform": {"name": "VMware ESXi 8.0"}},
        paths,
    )
    assert device.fields["location"] == "Phòng máy 1 / Dãy A"
    assert device.fields["platform"] == device.observed["platform"] == "VMware ESXi 8.0"
    assert "location" not in device.observed  # declared, like the rack position


def test_no_location_in_netbox_is_declared_empty_and_no_platform_is_unknown():
    record = map_device({**DEVICE, "location": None, "platform": None})
    assert record.fields["location"] is None
    assert "platform" not in record.fields


def test_location_not_read_falls_back_to_its_own_name():
    record = map_device({**DEVICE, "location": {"id": 44, "name": "Dãy B"}}, {})
    assert record.fields["location"] == "Dãy B"


TYPES = {1: {"id": 1, "name": "TSLCD", "slug": "tslcd", "custom_fields": {}}}
CIRCUIT = {
    "id": 7,
    "cid": "TSLCD-DX-01",
    "provider": {"id": 1, "name": "VNPT"},
    "type": {"id": 1},
    "status": {"value": "active"},
    "commit_rate": 100_000,
}


def _term(side: str, site: int, speed: int | None = 1_000_000) -> dict:
    return {
        "id": site * 10,
        "circuit": {"id": 7},
        "term_side": side,
        "termination_type": "dcim.site",
        "termination_id": site,
        "port_speed": speed,
    }


def test_circuit_is_a_link_with_commit_rate_in_mbps_and_network_of_its_type():
    record = map_circuit(CIRCUIT, TYPES, [_term("A", 2), _term("Z", 1)])
    assert record.error is None
    assert record.fields["network"] == Network.TSLCD
    assert record.fields["commit_rate_mbps"] == 100.0
    assert record.fields["port_speed_mbps"] == 1000.0
    assert record.fields["name"] == "VNPT TSLCD-DX-01"
    assert record.refs == {"a_site_id": Ref("sites", "2"), "b_site_id": Ref("sites", "1")}
    assert record.observed == {"commit_rate_mbps": 100.0, "port_speed_mbps": 1000.0}


@pytest.mark.parametrize(
    ("terms", "types", "reason"),
    [
        ([], TYPES, "no termination at a site"),
        ([_term("A", 2), _term("Z", 2)], TYPES, "one site"),
    ],
)
def test_circuit_that_is_not_a_link_fails_with_reason(terms, types, reason):
    assert reason in (map_circuit(CIRCUIT, types, terms).error or "")


def test_cluster_scope_site_and_certification_custom_fields():
    cluster = {
        "id": 2,
        "name": "CL-PROD-01",
        "scope_type": "dcim.site",
        "scope_id": 1,
        "custom_fields": {
            "max_security_level": 3,
            "zones": [{"value": "tslcd", "label": "TSLCD"}, {"value": "internal", "label": "x"}],
        },
    }
    record = map_cluster(cluster)
    assert record.fields["max_security_level"] == 3
    assert record.fields["zones"] == ["internal", "tslcd"]
    assert record.refs == {"site_id": Ref("sites", "1")}


def _vm(vm_id: int, system: str | None, level: int | None, zones: list[str]) -> dict:
    return {
        "id": vm_id,
        "name": f"vm-{vm_id}",
        "status": {"value": "active"},
        "cluster": {"id": 2},
        "tenant": {"id": 4, "name": "Sở TTTT"},
        "vcpus": "8.00",
        "memory": 16_000,
        "disk": 200_000,
        "primary_ip": {"address": f"10.49.10.{vm_id}/24"},
        "custom_fields": {"information_system": system, "security_level": level, "zones": zones},
    }


def test_vms_name_their_system_once_with_highest_level_and_every_zone():
    records = list(
        map_virtual_machines(
            [_vm(1, "Một cửa điện tử", 2, ["internet"]), _vm(2, "Một cửa điện tử", 3, ["tslcd"])]
        )
    )
    systems = [r for r in records if r.kind == "information_systems"]
    workloads = [r for r in records if r.kind == "workloads"]
    assert len(systems) == 1 and systems[0].fields == {
        "name": "Một cửa điện tử",
        "security_level": 3,
        "zones": ["internet", "tslcd"],
    }
    assert workloads[0].fields["vcpu"] == 8
    assert workloads[0].fields["ram_gb"] == 16.0
    assert workloads[0].fields["disk_gb"] == 200.0
    assert workloads[0].fields["management_address"] == "10.49.10.1"
    assert workloads[0].refs["information_system_id"] == Ref(
        "information_systems", "system:Một cửa điện tử"
    )


def test_unclassified_vm_gets_its_agencys_unclassified_system():
    records = list(map_virtual_machines([_vm(1, None, None, [])]))
    assert records[0].fields == {"name": "Sở TTTT (unclassified, NetBox)"}
    assert records[0].defaults["security_level"] == 1


def test_vm_without_cluster_fails():
    no_cluster = {**_vm(2, None, None, []), "cluster": None}
    records = list(map_virtual_machines([no_cluster]))
    errors = [r.error for r in records if r.kind == "workloads"]
    assert "no cluster" in (errors[0] or "")
