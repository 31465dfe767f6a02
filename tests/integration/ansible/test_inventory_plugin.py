"""The real ``ansible-inventory`` against a live Headroom: groups, host variables, cache, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.models import Device
from tests.integration.ansible.conftest import token
from tests.integration.ansible.live import (
    ansible_env,
    inventory_file,
    live_server,
    run_ansible,
)
from web.db import get_db

pytestmark = pytest.mark.slow

INVENTORY = """\
plugin: headroom.cmdb.headroom
group_by: [admin_unit, site, district, commune, role, cluster, agency, information_system,
  security_level, network, status, tag]
statuses: [active]
page_size: 2
compose:
  headroom_ram_tb: headroom_specs.ram_gb / 1024
groups:
  big_hosts: (headroom_specs.ram_gb | default(0)) >= 256
keyed_groups:
  - key: headroom_kind
    prefix: kind
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: {cache}
cache_timeout: 3600
"""

HOSTS = "/api/v1/ansible/hosts/"
UNSAFE = "__ansible_unsafe"


def plain(value: Any) -> Any:
    """A variable as a playbook sees it.

    ansible-core 2.19 marks strings from an inventory plugin untrusted (never
    templated — a host name from the API cannot run Jinja), and ``--list`` shows
    them as ``{"__ansible_unsafe": "…"}``.
    """
    if isinstance(value, dict):
        if set(value) == {UNSAFE}:
            return value[UNSAFE]
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def write_inventory(tmp_path: Path) -> Path:
    return inventory_file(tmp_path, INVENTORY.format(cache=tmp_path / "cache"))


def test_list_graph_and_cache(seeded, tmp_path: Path) -> None:
    app, ids = seeded
    path = write_inventory(tmp_path)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        listed = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
        assert listed.returncode == 0, listed.stderr
        fetched = live.count(HOSTS)
        assert fetched == 3  # 6 active hosts in pages of 2: the plugin follows `next`
        graph = run_ansible(["ansible-inventory", "-i", str(path), "--graph"], env)
        assert graph.returncode == 0, graph.stderr
        assert live.count(HOSTS) == fetched  # the second run read the cache
    inventory = json.loads(listed.stdout)
    groups = {
        name: sorted(body.get("hosts", [])) for name, body in inventory.items() if name != "_meta"
    }
    everyone_at_the_dc = ["ansible-ctl", "hv-01", "hv-spare", "vm-no-address", "vm-portal-01"]
    assert groups["site_ttdl"] == everyone_at_the_dc  # kept without an address: a warning
    assert groups["site_xa_binh_minh"] == ["rt-binh-minh"]
    assert groups["district_huyen_thang_binh_503"] == ["rt-binh-minh"]
    assert groups["commune_xa_binh_minh_20470"] == ["rt-binh-minh"]
    assert groups["role_server"] == ["ansible-ctl", "hv-01", "hv-spare"]
    assert groups["role_vm"] == ["vm-no-address", "vm-portal-01"]
    assert groups["cluster_cl_prod"] == ["ansible-ctl", "hv-01", "vm-no-address", "vm-portal-01"]
    assert groups["agency_stttt"] == everyone_at_the_dc
    assert groups["agency_ubnd_bm"] == ["rt-binh-minh"]
    assert groups["information_system_cttdt"] == ["vm-no-address", "vm-portal-01"]
    assert groups["security_level_3"] == ["ansible-ctl", "hv-01"]
    assert groups["security_level_2"] == ["vm-no-address", "vm-portal-01"]
    assert groups["network_tslcd"] == ["rt-binh-minh"]
    assert groups["network_internet"] == ["vm-no-address", "vm-portal-01"]
    assert groups["tag_pci_dss"] == ["hv-01"]  # NetBox's slug pci-dss, sanitised
    assert groups["tag_backup"] == ["hv-01", "vm-portal-01"]
    assert groups["big_hosts"] == ["hv-01", "hv-spare"]  # the factory gives hv-spare 512 GB
    assert groups["kind_workload"] == ["vm-no-address", "vm-portal-01"]
    assert groups["status_active"] == [
        "ansible-ctl",
        "hv-01",
        "hv-spare",
        "rt-binh-minh",
        "vm-no-address",
        "vm-portal-01",
    ]
    assert inventory["province_tinh_quang_nam_49"]["children"] == [
        "district_huyen_thang_binh_503",
        "district_thanh_pho_tam_ky_502",
    ]
    assert inventory["district_thanh_pho_tam_ky_502"]["children"] == ["commune_phuong_an_my_20299"]
    assert "hv-old" not in inventory["_meta"]["hostvars"]  # decommissioned: statuses [active]
    hv = plain(inventory["_meta"]["hostvars"]["hv-01"])
    assert hv["ansible_host"] == "10.49.0.11"
    assert hv["headroom_id"] == ids.hv_id and hv["headroom_kind"] == "device"
    assert hv["headroom_url"] == f"{live.url}/api/v1/devices/{ids.hv_id}"
    assert hv["headroom_admin_units"] == ["Tỉnh Quảng Nam", "Thành phố Tam Kỳ", "Phường An Mỹ"]
    assert hv["headroom_specs"] == {"cores": 32, "ram_gb": 512.0}  # no value: not set
    assert hv["headroom_ram_tb"] == 0.5
    assert hv["headroom_serial"] == "CZ2049X01" and hv["headroom_security_level"] == 3
    assert hv["headroom_tags"] == ["pci-dss", "backup"]
    vm = plain(inventory["_meta"]["hostvars"]["vm-portal-01"])
    assert vm["headroom_information_system"] == "Cổng thông tin điện tử"
    assert vm["headroom_specs"] == {"vcpu": 4, "ram_gb": 8.0, "disk_gb": 100.0}
    assert "@site_ttdl:" in graph.stdout and "|  |--hv-01" in graph.stdout
    assert "@tag_pci_dss:" in graph.stdout


@pytest.mark.long(reason="three ansible-core runs (fetch, cached, flushed), ~11-23 s loaded")
def test_the_cache_serves_a_run_while_headroom_is_down(seeded, tmp_path: Path) -> None:
    app, _ = seeded
    path = write_inventory(tmp_path)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        first = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
    assert first.returncode == 0, first.stderr
    cached = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
    assert cached.returncode == 0, cached.stderr
    assert json.loads(cached.stdout) == json.loads(first.stdout)
    flushed = run_ansible(["ansible-inventory", "-i", str(path), "--list", "--flush-cache"], env)
    assert flushed.returncode != 0
    assert "cannot read hosts from Headroom at" in flushed.stderr


def test_a_bad_token_fails_clearly(seeded, tmp_path: Path) -> None:
    app, _ = seeded
    path = write_inventory(tmp_path)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, "0" * 40)
        result = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
    assert result.returncode != 0
    assert "refused the token (HTTP 401: invalid or expired token)" in result.stderr


def test_an_unknown_filter_value_fails_with_headroom_s_message(seeded, tmp_path: Path) -> None:
    app, _ = seeded
    path = inventory_file(tmp_path, "plugin: headroom.cmdb.headroom\nsites: [ttld]\n")
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        result = run_ansible(["ansible-inventory", "-i", str(path), "--list"], env)
    assert result.returncode != 0
    assert "answered HTTP 400: unknown filter values (site: unknown site: ttld)" in result.stderr


def test_ansible_doc_renders_the_plugin_documentation(tmp_path: Path) -> None:
    env = ansible_env(tmp_path, "http://127.0.0.1:9", "unused")
    result = run_ansible(["ansible-doc", "-t", "inventory", "headroom.cmdb.headroom"], env)
    assert result.returncode == 0, result.stderr
    for text in (
        "api_endpoint",
        "HEADROOM_TOKEN",
        "group_by",
        "keyed_groups",
        "cache_plugin",
        "as_of",
        "drop_without_address",
        "network_os",
        "junipernetworks.junos.junos",
        "<name>-<kind>-<id>",
        "0600",
    ):
        assert text in result.stdout


def test_a_template_in_a_headroom_value_is_never_rendered(seeded, tmp_path: Path) -> None:
    """The plugin sets variables on the Host itself (BENCHMARKS.md, issue 8): they must stay
    untrusted, so a value typed into Headroom cannot run Jinja on the controller."""
    app, ids = seeded
    with app.app_context(), transaction(get_db().sessions) as session:
        session.get(Device, ids.hv_id).model = "{{ 6 * 7 }}"
    path = write_inventory(tmp_path)
    with live_server(app) as live:
        env = ansible_env(tmp_path, live.url, token(app, Role.VIEWER, "inventory"))
        args = ["ansible", "-i", str(path), "hv-01", "-m", "ansible.builtin.debug"]
        shown = run_ansible([*args, "-a", "msg={{ headroom_model }}"], env)
    assert shown.returncode == 0, shown.stderr
    assert '"msg": "{{ 6 * 7 }}"' in shown.stdout
    assert "42" not in shown.stdout
