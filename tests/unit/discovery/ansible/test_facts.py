"""The facts mapper, table-driven over ``ansible -m setup`` output recorded on this machine.

``setup-localhost.json`` is the real output (a Debian 12 container: no serial, no
link speed). The other rows change a few keys of it to what a physical server
reports (serial, vendor, 10G speed, secondary addresses) — edits, said as such.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from discovery.ansible.facts import ObservedInterface, map_facts
from tests.unit.ansible.collection import facts_filter

RECORDED: dict[str, Any] = json.loads(
    (Path(__file__).resolve().parents[3] / "fixtures/ansible/setup-localhost.json").read_text()
)


def edited(**changes: Any) -> dict[str, Any]:
    facts = copy.deepcopy(RECORDED)
    facts.update({f"ansible_{k}": v for k, v in changes.items()})
    return facts


def physical_eth0() -> dict[str, Any]:
    eth0 = copy.deepcopy(RECORDED["ansible_eth0"])
    eth0.update(speed=10000, ipv4_secondaries=[{"address": "10.49.0.12", "prefix": "24"}])
    return eth0


CASES = [
    (
        "recorded",
        RECORDED,
        {
            "hostname": "vm",
            "cores": 2,
            "vcpu": 2,
            "ram_gb": 23.5,
            "serial": None,
            "manufacturer": None,
            "model": None,
            "distribution": "Debian 12.11",
            "virtualization_role": "guest",
            "virtualization_type": "docker",
            "management_address": "192.0.2.2",
            "disk_gb": 256.0,
        },
    ),
    (
        "physical server",
        edited(
            product_serial="CZ2049X01",
            system_vendor="HPE",
            product_name="ProLiant DL380 Gen10",
            processor_count=2,
            processor_cores=16,
            processor_vcpus=64,
            memtotal_mb=515_000,
            virtualization_role="host",
            virtualization_type="kvm",
            eth0=physical_eth0(),
        ),
        {
            "serial": "CZ2049X01",
            "manufacturer": "HPE",
            "model": "ProLiant DL380 Gen10",
            "cores": 32,
            "vcpu": 64,
            "ram_gb": 502.9,
            "virtualization_role": "host",
        },
    ),
    (
        "firmware placeholders",
        edited(
            product_serial="To Be Filled By O.E.M.",
            system_vendor="System manufacturer",
            product_name="Default string",
        ),
        {"serial": None, "manufacturer": None, "model": None},
    ),
    (
        "no processor facts",
        edited(processor_count=None, processor_cores="NA", memtotal_mb=None),
        {
            "cores": None,
            "ram_gb": None,
        },
    ),
]


@pytest.mark.parametrize(("facts", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_map_facts(facts: dict[str, Any], expected: dict[str, Any]) -> None:
    host = map_facts(facts)
    assert {k: getattr(host, k) for k in expected} == expected


def test_interfaces_leave_out_loopbacks_and_keep_mac_and_addresses() -> None:
    assert map_facts(RECORDED).interfaces == (
        ObservedInterface("eth0", None, "02:fc:00:00:00:01", ("192.0.2.2/24", "fd00::2/64")),
        ObservedInterface("ifb0", None, "2e:f0:14:2a:7f:13", ()),
        ObservedInterface("ifb1", None, "0e:10:93:6f:29:e7", ()),
    )


def test_speed_and_secondary_addresses_of_a_physical_port() -> None:
    eth0 = map_facts(edited(eth0=physical_eth0())).interfaces[0]
    assert eth0.speed_mbps == 10000
    assert eth0.ip_addresses == ("192.0.2.2/24", "10.49.0.12/24", "fd00::2/64")


def test_disks_leave_out_loop_ram_and_zram_devices() -> None:
    assert sorted(RECORDED["ansible_devices"]) == [*(f"loop{n}" for n in range(8)), "vda", "zram0"]
    assert [d.name for d in map_facts(RECORDED).disks] == ["vda"]


def test_the_playbook_subset_maps_like_the_whole_facts() -> None:
    """What ``headroom.cmdb.facts_subset`` keeps is all the mapper reads."""
    unprefixed = {k.removeprefix("ansible_"): v for k, v in RECORDED.items()}
    subset = facts_filter.facts_subset(unprefixed)
    assert map_facts(subset) == map_facts(RECORDED)
    assert len(json.dumps(subset)) < len(json.dumps(RECORDED)) / 4
    assert not any(name.startswith("loop") for name in subset["devices"])


@pytest.mark.parametrize(
    "facts",
    [
        {},
        {"ansible_interfaces": "eth0"},
        {"devices": ["sda"]},
        {"default_ipv4": "x"},
        {"interfaces": ["eth0"], "eth0": {"ipv6": "bad", "ipv4": 3}},
    ],
)
def test_malformed_facts_map_to_unknowns_not_errors(facts: dict[str, Any]) -> None:
    host = map_facts(facts)
    assert host.cores is None and host.disks == ()
