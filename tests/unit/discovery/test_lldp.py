"""LLDP (and CDP) neighbours → link observations planned by the core, pure: found by
chassis id, MAC, serial or name; between sites, or a cable inside one site when both
ports are known; a declared circuit completed; a link already there only seen."""

from __future__ import annotations

from datetime import UTC, datetime

from cmdb.choices import RunStatus, SiteKind, Source
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownRecord, Snapshot, SourceMark
from discovery.core.observations import RecordKind
from discovery.core.plan import Create, Plan, Ref
from discovery.discover import PlanDefaults, plan_outcomes
from discovery.records import (
    DeviceObservation,
    InterfaceRecord,
    Neighbour,
    SystemInfo,
    Target,
    TargetOutcome,
)

AT = datetime(2026, 12, 1, tzinfo=UTC)
DEVICE, INTERFACE, LINK, SITE = (
    RecordKind.DEVICE,
    RecordKind.INTERFACE,
    RecordKind.LINK,
    RecordKind.SITE,
)
DC = KnownRecord(1, SITE, "TTDL", values={"slug": "ttdl", "kind": SiteKind.DATA_CENTRE.value})
XA = KnownRecord(2, SITE, "Xã", values={"slug": "xa", "kind": SiteKind.COMMUNE_OFFICE.value})
CORE_PORT = "10.0.0.1/xe-0/0/7"  # the label of the new core router's port in this run


def _switch(site_id: int = 2) -> tuple[KnownRecord, ...]:
    """The commune switch the inventory knows, with its one port."""
    return (
        KnownRecord(
            5, DEVICE, "sw-xa", values={"site_id": site_id, "chassis_id": "aa:aa:aa:aa:aa:01"}
        ),
        KnownRecord(
            50,
            INTERFACE,
            "Gi0/1",
            parent_id=5,
            values={"if_index": 1, "speed_mbps": 1000, "mac_address": "aa:aa:aa:aa:aa:02"},
        ),
    )


# The core router of ``_core`` as the inventory already knows it (in the DC).
KNOWN_CORE = (
    KnownRecord(
        6,
        DEVICE,
        "core-1",
        address=None,
        values={"site_id": 1, "management_address": "10.0.0.1", "name": "core-1"},
        marks=(SourceMark(Source.SNMP, "10.0.0.1:161", AT),),
        said={Source.SNMP: {"name": "core-1"}},
    ),
    KnownRecord(
        60, INTERFACE, "xe-0/0/7", parent_id=6, values={"if_index": 7, "speed_mbps": 10000}
    ),
)


def _core(
    *neighbours: Neighbour, cdp: tuple[Neighbour, ...] = (), speed: int | None = 10000
) -> DeviceObservation:
    return DeviceObservation(
        target=Target("10.0.0.1"),
        system=SystemInfo(name="core-1", descr="router"),
        interfaces=(InterfaceRecord(7, "xe-0/0/7", speed_mbps=speed),),
        neighbours=neighbours,
        cdp_neighbours=cdp,
    )


def _neighbour(**kw) -> Neighbour:
    values = {
        "local_port": 7,
        "local_if_index": 7,
        "remote_chassis_id": None,
        "remote_sys_name": None,
        "remote_port_id": None,
        "remote_port_descr": None,
    }
    return Neighbour(**(values | kw))


def _plan(records: tuple[KnownRecord, ...], *neighbours: Neighbour, **kw) -> Plan:
    """The core router heard them: known by its address, else new (in the DC)."""
    core = _core(*neighbours, **kw)
    outcome = TargetOutcome(core.target, RunStatus.SUCCEEDED, 0.1, 1, observation=core)
    snapshot = Snapshot(records=(DC, XA, *records))
    return plan_outcomes([outcome], snapshot, PlanDefaults(site_id=DC.id), AT)


def _known_link(
    sites: tuple[int, int] = (2, 1), ports: tuple[int, int] = (50, 60), speed: int = 1000, **kw
) -> KnownRecord:
    """Link 9 on the two ports (the commune switch's and the core router's)."""
    values = {"a_site_id": sites[0], "b_site_id": sites[1], "port_speed_mbps": speed}
    values |= {"a_interface_id": ports[0], "b_interface_id": ports[1]}
    return KnownRecord(9, LINK, "l", values=values, **kw)


def _links(plan: Plan) -> list[Create]:
    return [c for c in plan.creates if c.ref.kind is LINK]


def test_a_neighbour_found_by_chassis_id_in_another_site_becomes_a_link() -> None:
    plan = _plan(
        _switch(), _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    )
    [link] = _links(plan)
    assert link.values["a_interface_id"] == 50  # the user end
    assert link.pending == {"b_interface_id": Ref(INTERFACE, new=CORE_PORT)}  # the DC end
    values = link.values
    assert (values["a_site_id"], values["b_site_id"], values["port_speed_mbps"]) == (2, 1, 1000)
    assert (values["network"], values["name"]) == ("wan", "sw-xa Gi0/1 - core-1 xe-0/0/7")


def test_found_by_an_interface_mac_or_by_name() -> None:
    assert _links(_plan(_switch(), _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:02")))
    assert _links(_plan(_switch(), _neighbour(remote_sys_name="SW-XA.xa.local")))
    assert _links(_plan(_switch(), _neighbour(remote_sys_name="someone-else"))) == []


def test_an_all_zero_or_empty_chassis_id_matches_no_device() -> None:
    zero = KnownRecord(5, DEVICE, "sw-xa", values={"site_id": 2, "chassis_id": "00:00:00:00:00:00"})
    records = (zero, *_switch()[1:])
    heard = _neighbour(remote_chassis_id="00:00:00:00:00:00", remote_port_id="Gi0/1")
    # (the parser never gives a zero id; a record that kept one from before is no match)
    assert _links(_plan(records, heard)) == []


def test_a_neighbour_in_the_same_site_is_a_cable_when_both_ports_are_known() -> None:
    plan = _plan(
        _switch(site_id=1),
        _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1"),
    )
    [cable] = _links(plan)
    assert (cable.values["network"], cable.values["a_site_id"], cable.values["b_site_id"]) == (
        "lan",
        1,
        1,
    )
    # named in order: core-1 before sw-xa
    assert cable.pending == {"a_interface_id": Ref(INTERFACE, new=CORE_PORT)}
    assert cable.values["b_interface_id"] == 50
    assert cable.values["port_speed_mbps"] == 1000  # the slower port


def test_in_the_same_site_without_the_remote_port_there_is_no_cable() -> None:
    plan = _plan(_switch(site_id=1), _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01"))
    assert _links(plan) == [] and not plan.refused


def test_a_cable_already_on_those_interfaces_is_seen_not_written() -> None:
    cable = _known_link(sites=(1, 1), ports=(60, 50))
    neighbour = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    plan = _plan((*_switch(site_id=1), *KNOWN_CORE, cable), neighbour)
    assert _links(plan) == []
    assert not [u for u in plan.updates if u.ref.kind is LINK]
    [seen] = [s for s in plan.seen if s.ref.kind is LINK]
    assert (seen.ref, seen.matched_by, seen.new_mark) == (Ref(LINK, 9), MatchedBy.KEY, True)


def test_a_declared_circuit_without_interfaces_gets_them() -> None:
    circuit = KnownRecord(9, LINK, "TSLCD xã", values={"a_site_id": 2, "b_site_id": 1})
    neighbour = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    plan = _plan((*_switch(), circuit), neighbour)
    assert _links(plan) == []
    [update] = [u for u in plan.updates if u.ref.kind is LINK]
    assert update.ref == Ref(LINK, 9)
    assert {c.field: c.after for c in update.changes}["a_interface_id"] == 50
    assert update.pending == {"b_interface_id": Ref(INTERFACE, new=CORE_PORT)}


def test_a_link_already_on_those_interfaces_is_left_alone() -> None:
    existing = _known_link(marks=(SourceMark(Source.SNMP, None, AT),))
    neighbour = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    plan = _plan((*_switch(), *KNOWN_CORE, existing), neighbour)
    assert _links(plan) == [] and not [u for u in plan.updates if u.ref.kind is LINK]
    [seen] = [s for s in plan.seen if s.ref.kind is LINK]
    assert (seen.ref, seen.new_mark) == (Ref(LINK, 9), False)  # its mark only moves


def test_lldp_and_cdp_for_the_same_neighbour_give_one_link() -> None:
    lldp = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    cdp = _neighbour(remote_sys_name="sw-xa", remote_port_id="Gi0/1", protocol="cdp")
    plan = _plan(_switch(), lldp, cdp=(cdp,))
    assert len(_links(plan)) == 1


def test_a_cdp_neighbour_is_found_by_serial_or_address() -> None:
    switch, port = _switch()
    by_serial = KnownRecord(5, DEVICE, "sw-xa", serial="FOC123", values={"site_id": 2})
    cdp = _neighbour(
        remote_sys_name="other", remote_serial="FOC123", remote_port_id="Gi0/1", protocol="cdp"
    )
    assert len(_links(_plan((by_serial, port), cdp=(cdp,)))) == 1
    at_address = KnownRecord(
        5, DEVICE, "x", values={"site_id": 2, "management_address": "10.9.0.2"}
    )
    cdp = _neighbour(remote_address="10.9.0.2", remote_port_id="Gi0/1", protocol="cdp")
    assert len(_links(_plan((at_address, port), cdp=(cdp,)))) == 1
    assert switch.id == by_serial.id


def test_a_new_link_without_any_port_speed_is_refused_with_why() -> None:
    switch, _ = _switch()
    slow = KnownRecord(50, INTERFACE, "Gi0/1", parent_id=5, values={"if_index": 1})
    heard = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    plan = _plan((switch, slow), heard, speed=None)
    assert _links(plan) == []
    [refused] = plan.refused
    assert refused.label == "link sw-xa Gi0/1 - core-1 xe-0/0/7"
    assert refused.reason.startswith("no commit rate and no port speed")


def test_a_port_speed_that_differs_from_the_record_is_disputed_not_overwritten() -> None:
    declared = _known_link(
        speed=100,
        marks=(SourceMark(Source.NETBOX, "77", AT),),
        said={Source.NETBOX: {"port_speed_mbps": 100}},
    )
    neighbour = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    plan = _plan((*_switch(), *KNOWN_CORE, declared), neighbour)
    assert not [u for u in plan.updates if u.ref.kind is LINK]
    [d] = [d for d in plan.discrepancies if d.ref.kind is LINK]
    assert (d.field, dict(d.values)) == (
        "port_speed_mbps",
        {"record": 100, "netbox": 100, "snmp": 1000},
    )


def test_the_protocol_that_knows_the_remote_port_gives_the_link() -> None:
    """LLDP heard the switch without a port it can place; CDP names the port: one link,
    on the port CDP named."""
    lldp = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="port 7")
    cdp = _neighbour(remote_sys_name="sw-xa", remote_port_id="Gi0/1", protocol="cdp")
    [link] = _links(_plan(_switch(), lldp, cdp=(cdp,)))
    assert link.values["a_interface_id"] == 50
