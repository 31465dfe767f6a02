"""What a stock NetBox holds beyond the seeded picture maps, kept and marked (pure).

Circuits with one end (DESIGN §4), clusters with no site, VMs without tenant or size,
the circuit-type setting, the NetBox pages of failed objects and what an incremental
sync reads again.
"""

from __future__ import annotations

import pytest

from cmdb.choices import AgencyKind, Network
from cmdb.settings import load_settings, parse_circuit_networks
from discovery.netbox.failed import object_url, retry_ids
from discovery.netbox.mapping_links import circuit_network, map_circuit
from discovery.netbox.mapping_virtual import (
    UNASSIGNED_AGENCY,
    map_cluster,
    map_virtual_machines,
)
from discovery.netbox.records import Ref

CIRCUIT = {
    "id": 7,
    "cid": "INET-01",
    "provider": {"id": 1, "name": "Viettel"},
    "type": {"id": 1},
    "status": {"value": "active"},
    "commit_rate": 1_000_000,
}
TRANSIT = {1: {"id": 1, "name": "Transit", "slug": "transit", "custom_fields": {}}}


def _term(side: str, kind: str, target: int) -> dict:
    return {"term_side": side, "termination_type": kind, "termination_id": target}


@pytest.mark.parametrize(
    ("terminations", "refs"),
    [
        ([_term("A", "dcim.site", 2)], {"a_site_id": Ref("sites", "2"), "b_site_id": None}),
        ([_term("Z", "dcim.site", 1)], {"a_site_id": None, "b_site_id": Ref("sites", "1")}),
        (
            [_term("A", "circuits.providernetwork", 9), _term("Z", "dcim.site", 1)],
            {"a_site_id": None, "b_site_id": Ref("sites", "1")},
        ),
        (
            [_term("A", "dcim.location", 40), _term("Z", "dcim.region", 3)],
            {"a_site_id": Ref("sites", "4"), "b_site_id": None},
        ),
    ],
)
def test_circuit_with_one_known_end_keeps_the_other_open(terminations, refs):
    record = map_circuit(CIRCUIT, TRANSIT, terminations, {}, {40: 4})
    assert record.error is None
    assert record.refs == refs
    assert record.fields["commit_rate_mbps"] == 1000.0  # kbps → Mbps


@pytest.mark.parametrize(
    "terminations",
    [[], [_term("A", "circuits.providernetwork", 9), _term("Z", "dcim.region", 3)]],
)
def test_circuit_with_no_end_at_a_site_fails_with_why(terminations):
    record = map_circuit(CIRCUIT, TRANSIT, terminations)
    assert record.error == "circuit INET-01 has no termination at a site"


@pytest.mark.parametrize(
    ("ctype", "networks", "expected"),
    [
        ({"name": "Internet", "slug": "internet"}, {"*": Network.MAN}, Network.INTERNET),
        (
            {"name": "MPLS", "slug": "mpls", "custom_fields": {"network": "tslcd"}},
            {"mpls": Network.WAN},
            Network.TSLCD,
        ),
        ({"name": "MPLS", "slug": "mpls"}, {"mpls": Network.TSLCD}, Network.TSLCD),
        ({"name": "Dark Fibre", "slug": "df"}, {"dark fibre": Network.MAN}, Network.MAN),
        ({"name": "Transit", "slug": "transit"}, {"*": Network.INTERNET}, Network.INTERNET),
        ({"name": "Transit", "slug": "transit"}, {}, Network.WAN),
    ],
)
def test_circuit_network_own_words_then_the_dcs_mapping_then_wan(ctype, networks, expected):
    assert circuit_network(ctype, networks) is expected


def test_circuit_networks_setting_is_parsed_and_checked():
    assert parse_circuit_networks(" MPLS=wan, *=Internet ,") == {
        "mpls": Network.WAN,
        "*": Network.INTERNET,
    }
    assert parse_circuit_networks(None) == {}
    with pytest.raises(ValueError, match="not a network"):
        parse_circuit_networks("mpls=fibre")
    with pytest.raises(ValueError, match="not <circuit type>=<network>"):
        parse_circuit_networks("mpls")
    with pytest.raises(ValueError, match="CMDB_NETBOX_CIRCUIT_NETWORKS"):
        load_settings({"CMDB_NETBOX_CIRCUIT_NETWORKS": "mpls:wan"})


@pytest.mark.parametrize(
    ("scope", "site"),
    [
        ({"scope_type": "dcim.site", "scope_id": 1}, Ref("sites", "1")),
        ({"scope_type": "dcim.location", "scope_id": 40}, Ref("sites", "4")),
        ({"scope_type": "dcim.location", "scope_id": 41}, None),  # a location not read
        ({"scope_type": "dcim.region", "scope_id": 3}, None),
        ({"scope_type": "dcim.sitegroup", "scope_id": 3}, None),
        ({"scope_type": None, "scope_id": None}, None),
        ({}, None),
    ],
)
def test_cluster_is_at_its_scopes_site_or_unplaced(scope, site):
    cluster = {"id": 3, "name": "lab", "type": {"id": 1, "name": "Proxmox"}, **scope}
    record = map_cluster(cluster, {40: 4})
    assert record.error is None
    assert record.refs == {"site_id": site}


def _vm(**changes) -> dict:
    vm = {
        "id": 11,
        "name": "web-01",
        "cluster": {"id": 3},
        "tenant": {"id": 4, "name": "Sở TTTT"},
        "vcpus": "2.00",
        "memory": 4096,
        "disk": 50_000,
        "custom_fields": {},
    }
    return vm | changes


def test_vm_without_size_is_kept_incomplete_and_says_what_it_lacks():
    (system, vm) = map_virtual_machines([_vm(vcpus=None, memory=None, disk=None)])
    assert system.kind == "information_systems"
    assert vm.error is None
    assert "vcpu" not in vm.fields and "ram_gb" not in vm.fields  # NetBox says nothing of it
    assert vm.incomplete == vm.fields["incomplete"] == "no vCPUs, memory, disk in NetBox"
    assert "vcpu" not in vm.observed  # nothing to say of what NetBox does not know


def test_vm_with_everything_is_complete():
    (_, vm) = map_virtual_machines([_vm()])
    assert vm.incomplete is None and vm.fields["incomplete"] is None
    assert (vm.fields["vcpu"], vm.fields["ram_gb"]) == (2, 4.096)  # MB → GB (1000)


def test_vms_without_tenant_belong_to_the_unassigned_agency_once():
    records = list(map_virtual_machines([_vm(tenant=None), _vm(id=12, name="b", tenant=None)]))
    agencies = [r for r in records if r.kind == "agencies"]
    assert [(a.external_id, a.defaults["kind"]) for a in agencies] == [
        (UNASSIGNED_AGENCY, AgencyKind.OTHER)
    ]
    (system,) = [r for r in records if r.kind == "information_systems"]
    assert system.refs == {"agency_id": Ref("agencies", UNASSIGNED_AGENCY)}
    vms = [r for r in records if r.kind == "workloads"]
    assert [v.incomplete for v in vms] == ["no tenant in NetBox"] * 2
    assert all(v.error is None for v in vms)


def test_no_unassigned_agency_when_every_vm_has_a_tenant():
    assert all(r.kind != "agencies" for r in map_virtual_machines([_vm()]))


@pytest.mark.parametrize(
    ("kind", "external_id", "url"),
    [
        ("devices", "12", "http://nb.example/dcim/devices/12/"),
        ("links", "circuit:7", "http://nb.example/circuits/circuits/7/"),
        ("links", "cable:3", "http://nb.example/dcim/cables/3/"),
        ("admin_units", "site-group:5", "http://nb.example/dcim/site-groups/5/"),
        ("workloads", "11", "http://nb.example/virtualization/virtual-machines/11/"),
        ("information_systems", "system:Một cửa", None),
        ("agencies", UNASSIGNED_AGENCY, None),
    ],
)
def test_a_failed_object_is_listed_with_its_netbox_page(kind, external_id, url):
    assert object_url("http://nb.example/", kind, external_id) == url


def test_the_next_incremental_sync_reads_the_large_endpoints_failures_again():
    failures = [
        {"kind": "devices", "external_id": "12"},
        {"kind": "devices", "external_id": "13"},
        {"kind": "links", "external_id": "cable:3"},
        {"kind": "links", "external_id": "circuit:7"},  # circuits are read whole anyway
        {"kind": "sites", "external_id": "2"},  # and so are sites
        {"kind": "workloads", "external_id": "11"},
        {"kind": "interfaces", "external_id": "40"},
    ]
    assert retry_ids(failures) == {
        "devices": {12, 13},
        "cables": {3},
        "virtual_machines": {11},
        "interfaces": {40},
    }
