"""Parsers over recorded walks of real devices: what each recording really says."""

from __future__ import annotations

import pytest

from discovery.core.normalize import normalize_hostname
from discovery.records import Chassis, Target
from discovery.snmp import oids, parsers
from discovery.snmp.collector import build_observation
from tests.unit.discovery.snmprec import load_varbinds

TARGET = Target("192.0.2.1")


@pytest.mark.parametrize(
    ("recording", "chassis"),
    [
        (
            "cisco-n5000",
            Chassis(
                "N5K-C5548UP", "SSI183706KP", None, None, "Cisco Systems, Inc.", "Nexus5548 Chassis"
            ),
        ),
        (
            "hpe-procurve-516733-b21",
            Chassis(
                "516733-B21",
                "3C421900TX",
                "Z.14.09",
                "Z.14.31",
                "Hewlett-Packard",
                "ProCurve 516733-B21 6120XG Blade Switch",
            ),
        ),
        (
            "paloalto-pa-5000",
            Chassis("PA-5050", "0009C100761", None, "8.0.1", "Palo Alto Networks", "PA-5050"),
        ),
        ("linux-unknown-006", None),
    ],
)
def test_chassis_model_and_serial_come_from_entity_mib(recording, chassis) -> None:
    assert parsers.parse_chassis(load_varbinds(recording)) == chassis


@pytest.mark.parametrize(
    ("recording", "sys_name", "object_id", "count", "first"),
    [
        ("cisco-n5000", "DUMSYS-52", "1.3.6.1.4.1.9.12.3.1.3.1084", 61, "mgmt0"),
        ("hpe-procurve-516733-b21", "DUMSYS-64", "1.3.6.1.4.1.11.2.3.7.11.107", 42, "1"),
        ("linux-unknown-006", "DUMSYS-12", "1.3.6.1.4.1.8072.3.2.10", 11, "lo"),
    ],
)
def test_system_group_and_interface_rows(recording, sys_name, object_id, count, first) -> None:
    obs = build_observation(TARGET, load_varbinds(recording))
    assert (obs.system.name, obs.system.object_id) == (sys_name, object_id)
    assert len(obs.interfaces) == count
    assert obs.interfaces[0].name == first


def test_interface_facts_of_a_nexus_port() -> None:
    obs = build_observation(TARGET, load_varbinds("cisco-n5000"))
    eth = next(i for i in obs.interfaces if i.name == "Ethernet1/19")
    assert (eth.if_index, eth.if_type, eth.mac_address) == (
        436281344,
        "ethernetCsmacd",
        "8c:60:4f:19:16:3a",
    )
    assert eth.speed_mbps == 10000 and eth.admin_up is True


def test_ip_addresses_are_tied_to_their_interfaces() -> None:
    obs = build_observation(TARGET, load_varbinds("linux-unknown-006"))
    with_ips = {i.name: i.ip_addresses for i in obs.interfaces if i.ip_addresses}
    assert "127.0.0.1" in with_ips["lo"]
    assert all(len(ips) >= 1 for ips in with_ips.values())


def test_lldp_neighbours_resolve_the_local_port_through_lldp_loc_port_table() -> None:
    obs = build_observation(TARGET, load_varbinds("cisco-n5000"))
    assert obs.lldp_sys_name == "NWPU-CA-5548-01"
    by_name = {n.remote_sys_name: n for n in obs.neighbours}
    procurve = by_name["ProCurve 6120XG Blade Switch"]
    assert procurve.remote_chassis_id == "ac:16:2d:92:7d:21"
    assert procurve.remote_port_id == "17"
    assert procurve.local_if_index == 436281344  # Ethernet1/19
    assert len(obs.neighbours) == 9


def test_lldp_chassis_ids_given_as_mac_octets_are_normalised() -> None:
    obs = build_observation(TARGET, load_varbinds("hpe-procurve-516733-b21"))
    assert obs.lldp_chassis_id == "ac:16:2d:92:7d:21"
    nexus = next(n for n in obs.neighbours if n.remote_sys_name == "NWPU-CA-5548-01")
    assert nexus.remote_chassis_id == "8c:60:4f:19:16:3a"
    assert (nexus.local_port, nexus.local_if_index) == (17, 17)
    assert nexus.remote_port_descr == "Ethernet1/19"


def test_host_resources_of_a_linux_server() -> None:
    host = parsers.parse_host(load_varbinds("linux-unknown-006"))
    assert host is not None
    assert (host.processors, host.cpu_load_pct, host.memory_kb) == (4, 1.25, 3882052)
    assert host.ram_gb == 3.7
    disks = [s for s in host.storage if s.kind == "disk"]
    assert len(disks) == 7 and disks[0].descr == "/"


def test_a_switch_without_host_resources_has_none() -> None:
    assert parsers.parse_host(load_varbinds("hpe-procurve-516733-b21")) is None


def test_counters_prefer_64_bits_and_keep_32_where_that_is_all() -> None:
    reading = parsers.parse_counters(load_varbinds("linux-unknown-006"), TARGET)
    assert reading is not None and reading.uptime_ticks == 69089794
    assert reading.counters["if.2.in"] == 357853804 and reading.widths["if.2.in"] == 64
    assert reading.cpu_load_pct == 1.25


def test_each_counter_is_stamped_with_the_answer_it_came_in_and_the_serial_placed() -> None:
    varbinds = load_varbinds("hpe-procurve-516733-b21")
    in_octets = next(o for o in varbinds if o.startswith(oids.IF_HC_IN_OCTETS + "."))
    reading = parsers.parse_counters(varbinds, TARGET, {in_octets: 4242})
    assert reading is not None
    assert reading.ticks == {f"if.{in_octets.rsplit('.', 1)[1]}.in": 4242}
    assert reading.identity.serial == "3C421900TX"
    assert reading.serial_oid is not None and reading.serial_oid.startswith(oids.ENT_SERIAL)
    assert parsers.parse_text(varbinds[reading.serial_oid]) == "3C421900TX"
    assert parsers.serial_oid(varbinds, "NOT-THIS-ONE") is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (b"\x8c\x60\x4f\x19\x16\x3a", "8c:60:4f:19:16:3a"),
        (b"8c:60:4f:19:16:7c", "8c:60:4f:19:16:7c"),
        (b"AC-16-2D-92-7D-21", "ac:16:2d:92:7d:21"),
        (b"NWPU-CA-5548-01(SSI183706KP)", None),
        (b"", None),
    ],
)
def test_parse_mac(value, text) -> None:
    assert parsers.parse_mac(value) == text


@pytest.mark.parametrize(
    ("if_speed", "high_speed", "mbps"),
    [
        (1_000_000_000, 1000, 1000),
        (4294967295, 40000, 40000),
        (10_000_000, 0, 10),
        (0, 0, None),
        (4294967295, None, None),
        (1_544_000, None, 2),
    ],
)
def test_speed_prefers_if_high_speed(if_speed, high_speed, mbps) -> None:
    assert parsers.parse_speed_mbps(if_speed, high_speed) == mbps


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("Core-SW-01.dc.quangnam.gov.vn", "core-sw-01"),
        ("  R1 ", "r1"),
        ("10.0.0.1", "10.0.0.1"),
        ("", None),
        (None, None),
    ],
)
def test_hostnames_compare_without_case_or_domain(name, normal) -> None:
    """LLDP names and sysName go through the core's one hostname rule."""
    assert normalize_hostname(name) == normal


def test_cdp_cache_rows_of_the_nexus() -> None:
    """CISCO-CDP-MIB cdpCacheTable: NX-OS's device id is ``name(serial)``; the first index
    is the local ifIndex; the address is four octets of type ip(1)."""
    obs = build_observation(TARGET, load_varbinds("cisco-n5000"))
    assert len(obs.cdp_neighbours) == 5 and len(obs.neighbours) == 9  # LLDP's apart
    first = obs.cdp_neighbours[0]
    assert (first.protocol, first.local_if_index) == ("cdp", 83886080)  # mgmt0
    assert (first.remote_sys_name, first.remote_serial) == ("NWPU-CA-5548-02", "SSI183706KA")
    assert (first.remote_port_id, first.remote_address) == ("mgmt0", "10.40.1.20")
    assert first.remote_platform == "N5K-C5548UP"
    ports = [n.remote_port_id for n in obs.cdp_neighbours]
    assert ports == ["mgmt0", "Ethernet1/21", "Ethernet1/22", "Ethernet1/25", "Ethernet1/25"]
    fabric = obs.cdp_neighbours[3]
    assert (fabric.remote_sys_name, fabric.remote_serial) == ("NWPU-UCS-FI-A", "SSI1822049X")
    assert fabric.remote_platform == "UCS-FI-6248UP"


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        (b"\x00\x00\x00\x00\x00\x00", None),
        (b"00:00:00:00:00:00", None),
        (b"", None),
        (b"0000.0000.0000", None),
        (b"\xac\x16\x2d\x92\x7d\x21", "ac:16:2d:92:7d:21"),
        (b"sw-core-1", "sw-core-1"),
    ],
)
def test_an_all_zero_or_empty_chassis_id_is_none(raw, parsed) -> None:
    assert parsers.parse_chassis_id(raw) == parsed
    varbinds = {**load_varbinds("hpe-procurve-516733-b21"), "1.0.8802.1.1.2.1.3.2.0": raw}
    assert build_observation(TARGET, varbinds).lldp_chassis_id == parsed


def test_a_cdp_device_id_without_a_serial_is_tried_as_both() -> None:
    varbinds = {
        "1.3.6.1.4.1.9.9.23.1.2.1.1.6.3.1": b"sw-acc-2.example.vn",
        "1.3.6.1.4.1.9.9.23.1.2.1.1.7.3.1": b"GigabitEthernet0/1",
        "1.3.6.1.4.1.9.9.23.1.2.1.1.3.3.1": 20,  # not ip(1): no address
        "1.3.6.1.4.1.9.9.23.1.2.1.1.4.3.1": b"\x0a\x00\x00\x01",
    }
    [n] = parsers.parse_cdp_neighbours(varbinds)
    assert (n.remote_sys_name, n.remote_serial) == ("sw-acc-2.example.vn", "sw-acc-2.example.vn")
    assert (n.local_if_index, n.remote_address) == (3, None)
