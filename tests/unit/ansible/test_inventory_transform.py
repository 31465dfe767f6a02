"""API hosts → inventory: golden output, group names, unique host names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.unit.ansible.collection import transform

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures/ansible"


def test_the_seeded_hosts_give_the_golden_inventory() -> None:
    """``api-hosts.json`` is the endpoint's answer on the Ansible tests' seed data, plus a
    VM named like a device; ``inventory-golden.json`` was checked by hand."""
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    golden = json.loads((FIXTURES / "inventory-golden.json").read_text(encoding="utf-8"))
    assert transform.build_inventory(hosts, list(transform.GROUP_BY_CHOICES)) == golden


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Huyện Thăng Bình", "huyen_thang_binh"),
        ("Đà Nẵng", "da_nang"),
        ("CL-PROD", "cl_prod"),
        ("CTTĐT", "cttdt"),
        ("  Sở TT&TT ", "so_tt_tt"),
        (20470, "20470"),
    ],
)
def test_slug_is_ascii_lowercase_with_underscores(text: object, expected: str) -> None:
    assert transform.slug(text) == expected


def test_a_shared_name_stays_with_the_first_host_and_the_others_get_kind_and_id() -> None:
    hosts = [
        {"name": "web01", "kind": "device", "id": 3},
        {"name": "web01", "kind": "workload", "id": 9},
        {"name": "db01", "kind": "workload", "id": 4},
        {"name": "db01", "kind": "workload", "id": 2},
    ]
    names, warnings = transform.host_names(hosts)
    assert names == ["web01", "web01-workload-9", "db01-workload-4", "db01"]
    assert warnings == [
        "two hosts are named 'web01': workload 9 is 'web01-workload-9'",
        "two hosts are named 'db01': workload 4 is 'db01-workload-4'",
    ]


def test_a_new_record_with_a_taken_name_does_not_rename_the_old_one() -> None:
    """Stable: the suffix goes to the higher id, so adding a host never renames another."""
    before = [{"name": "sw-01", "kind": "device", "id": 7}]
    after = [*before, {"name": "sw-01", "kind": "device", "id": 40}]
    assert transform.host_names(before)[0] == ["sw-01"]
    assert transform.host_names(after)[0] == ["sw-01", "sw-01-device-40"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lb-{{ 6 * 7 }}", "lb-_6_7"),
        ("{% raw %}", "raw"),
        ("web,db:1", "web_db_1"),
        ("!all&x[0]", "all_x_0"),
        ("Máy chủ 1", "Máy_chủ_1"),
        ("{{}}", "device-5"),
        ("core-sw.01_a", "core-sw.01_a"),
    ],
)
def test_a_name_with_jinja_or_pattern_syntax_becomes_a_safe_name(name: str, expected: str) -> None:
    names, warnings = transform.host_names([{"name": name, "kind": "device", "id": 5}])
    assert names == [expected]
    assert (warnings == []) == (name == expected)


def test_a_host_without_an_address_is_kept_without_ansible_host_and_named_in_a_warning() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    kept = transform.build_inventory(hosts, ["site"])
    assert "ansible_host" not in kept["hosts"]["hv-spare"]
    assert kept["hosts"]["hv-spare"]["headroom_id"] == 6
    assert "hv-spare" in kept["groups"]["site_ttdl"]
    assert kept["warnings"][-1].startswith("1 hosts have no management address")
    assert kept["warnings"][-1].endswith(": hv-spare")
    dropped = transform.build_inventory(hosts, ["site"], keep_without_address=False)
    assert "hv-spare" not in dropped["hosts"]
    assert not any("management address" in w for w in dropped["warnings"])


def test_admin_unit_nests_province_district_commune_with_hosts_in_the_commune() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    built = transform.build_inventory(hosts, ["admin_unit"])
    assert built["children"] == {
        "province_tinh_quang_nam_49": [
            "district_huyen_thang_binh_503",
            "district_thanh_pho_tam_ky_502",
        ],
        "district_huyen_thang_binh_503": ["commune_xa_binh_minh_20470"],
        "district_thanh_pho_tam_ky_502": ["commune_phuong_an_my_20299"],
    }
    assert sorted(built["groups"]) == ["commune_phuong_an_my_20299", "commune_xa_binh_minh_20470"]


def test_after_the_reform_communes_nest_straight_under_the_province() -> None:
    host = {
        "kind": "device",
        "id": 1,
        "name": "sw-hc",
        "admin_units": [
            {"code": "48", "name": "Thành phố Đà Nẵng", "level": "province"},
            {"code": "20242", "name": "Phường Hải Châu", "level": "commune"},
        ],
    }
    built = transform.build_inventory([host], ["admin_unit"])
    assert built["children"] == {"province_thanh_pho_da_nang_48": ["commune_phuong_hai_chau_20242"]}
    assert built["groups"] == {"commune_phuong_hai_chau_20242": ["sw-hc"]}


@pytest.mark.parametrize(
    ("platform", "family", "network_os"),
    [
        ("Cisco IOS XE 17.9", "ios", "cisco.ios.ios"),
        ("IOS", "ios", "cisco.ios.ios"),
        ("Cisco NX-OS 10.3", "nxos", "cisco.nxos.nxos"),
        ("IOS-XR", "iosxr", "cisco.iosxr.iosxr"),
        ("Junos 22.4R1", "junos", "junipernetworks.junos.junos"),
        ("Arista EOS 4.30", "eos", "arista.eos.eos"),
        ("H3C Comware 7", "comware", "ansible.netcommon.default"),
        ("Huawei VRP V8", "vrp", "community.network.ce"),
        ("FortiOS 7.2", "fortios", "fortinet.fortios.fortios"),
        ("PAN-OS 11.0", "panos", "paloaltonetworks.panos.panos"),
        ("MikroTik RouterOS 7", "routeros", "community.routeros.routeros"),
        ("Ubuntu 22.04", "linux", None),
        ("Windows Server 2022", "windows", None),
        ("VMware ESXi 8.0", "esxi", None),
        ("Chrome OS", None, None),
        (None, None, None),
    ],
)
def test_the_platform_table_gives_family_and_network_os(
    platform: str | None, family: str | None, network_os: str | None
) -> None:
    assert transform.platform_family(platform) == (family, network_os)
    host = {"kind": "device", "id": 1, "name": "x", "platform": platform}
    assert transform.host_vars(host).get("ansible_network_os") == network_os


def test_the_network_os_option_overrides_the_table_per_family() -> None:
    host = {"kind": "device", "id": 1, "name": "x", "platform": "H3C Comware 7"}
    chosen = transform.host_vars(host, {"comware": "community.network.ce"})
    assert chosen["ansible_network_os"] == "community.network.ce"
    assert "ansible_network_os" not in transform.host_vars(host, {"comware": ""})


def test_group_by_only_makes_the_groups_asked_for() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    built = transform.build_inventory(hosts, ["security_level"])
    assert sorted(built["groups"]) == ["security_level_2", "security_level_3"]


def test_tags_are_groups_and_a_list_variable() -> None:
    host = {"kind": "device", "id": 7, "name": "hv-07", "tags": ["pci-dss", "backup_nightly"]}
    assert transform.host_groups(host, ["tag"]) == ["tag_pci_dss", "tag_backup_nightly"]
    assert transform.host_vars(host)["headroom_tags"] == ["pci-dss", "backup_nightly"]
    untagged = {**host, "tags": []}
    assert transform.host_groups(untagged, ["tag"]) == []
    assert "headroom_tags" not in transform.host_vars(untagged)  # empty: not set
    assert transform.host_vars(host, only=["site"]).get("headroom_tags") is None


def test_a_tree_without_districts_makes_no_district_group() -> None:
    host = {
        "admin_units": [
            {"code": "48", "name": "Thành phố Đà Nẵng", "level": "province"},
            {"code": "20305", "name": "Phường Hải Châu", "level": "commune"},
        ]
    }
    assert transform.host_groups(host, ["district", "commune"]) == ["commune_phuong_hai_chau_20305"]


def test_an_unknown_group_by_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown group_by: rack"):
        transform.build_inventory([], ["site", "rack"])


def test_host_vars_sets_only_what_it_names_and_never_an_empty_value() -> None:
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    vm = next(h for h in hosts if h["name"] == "vm-portal-01")
    full = transform.host_vars(vm)
    assert "headroom_rack" not in full and "headroom_platform" not in full  # none in Headroom
    assert full["headroom_information_system"] == "Cổng thông tin điện tử"
    lean = transform.host_vars(vm, only=["site"])
    assert lean == {
        "ansible_host": "10.49.1.21",
        "headroom_id": 1,
        "headroom_kind": "workload",
        "headroom_site": "ttdl",
    }


def test_every_variable_name_is_valid() -> None:
    """The plugin sets a new host's variables in one update, without ``set_variable``'s
    per-name check: every name it can make must pass that check (ansible-core's rule)."""
    hosts = json.loads((FIXTURES / "api-hosts.json").read_text(encoding="utf-8"))
    names = {key for host in hosts for key in transform.host_vars(host)}
    assert {"ansible_host", "headroom_id", "headroom_admin_units"} <= names
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) for name in names), names
