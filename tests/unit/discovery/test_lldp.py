"""LLDP neighbours → links, pure: found by chassis id, MAC or name; between sites, or a
cable inside one site when both ports are known."""

from __future__ import annotations

from discovery.known import Inventory, KnownDevice, KnownInterface, KnownLink, KnownSite
from discovery.lldp import CREATE, UPDATE, Heard, plan_links
from discovery.records import DeviceObservation, InterfaceRecord, Neighbour, SystemInfo, Target

DC = KnownSite(1, "ttdl", "TTDL", True)
XA = KnownSite(2, "xa", "Xã", False)
COMMUNE_SWITCH = KnownDevice(
    id=5,
    name="sw-xa",
    site_id=2,
    chassis_id="aa:aa:aa:aa:aa:01",
    interfaces=(KnownInterface(50, "Gi0/1", 1, speed_mbps=1000, mac_address="aa:aa:aa:aa:aa:02"),),
)

# The core router of ``_core`` as the inventory already knows it (in the DC).
KNOWN_CORE = KnownDevice(
    id=6,
    name="core-1",
    site_id=1,
    management_address="10.0.0.1",
    interfaces=(KnownInterface(60, "xe-0/0/7", 7, speed_mbps=10000),),
)


def _core(*neighbours: Neighbour) -> DeviceObservation:
    return DeviceObservation(
        target=Target("10.0.0.1"),
        system=SystemInfo(name="core-1", descr="router"),
        interfaces=(InterfaceRecord(7, "xe-0/0/7", speed_mbps=10000),),
        neighbours=neighbours,
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


def _links(inventory: Inventory, *neighbours: Neighbour):
    """The core router heard them: known by its address, else new (in the only DC)."""
    core = _core(*neighbours)
    known = [d for d in inventory.devices if d.management_address == core.target.host]
    key = f"device:{known[0].id}" if known else f"new:{core.target.address}"
    return plan_links(inventory, [Heard(key, core, DC.id, "core-1")], "wan")


def test_a_neighbour_found_by_chassis_id_in_another_site_becomes_a_link() -> None:
    inv = Inventory(devices=(COMMUNE_SWITCH,), sites=(DC, XA))
    [link] = _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1"))
    assert link.action == CREATE
    assert (link.a.device_key, link.a.interface_name) == ("device:5", "Gi0/1")  # user end
    assert (link.b.device_key, link.b.interface_name) == ("new:10.0.0.1", "xe-0/0/7")  # DC end
    assert (link.a_site_id, link.b_site_id, link.port_speed_mbps) == (2, 1, 1000)


def test_found_by_an_interface_mac_or_by_name() -> None:
    inv = Inventory(devices=(COMMUNE_SWITCH,), sites=(DC, XA))
    assert _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:02"))
    assert _links(inv, _neighbour(remote_sys_name="SW-XA.xa.local"))
    assert _links(inv, _neighbour(remote_sys_name="someone-else")) == ()


def test_a_neighbour_in_the_same_site_is_a_cable_when_both_ports_are_known() -> None:
    same_site = KnownDevice(**{**COMMUNE_SWITCH.__dict__, "site_id": 1})
    inv = Inventory(devices=(same_site,), sites=(DC, XA))
    [cable] = _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1"))
    assert (cable.action, cable.network, cable.a_site_id, cable.b_site_id) == (CREATE, "lan", 1, 1)
    ends = {
        (cable.a.device_key, cable.a.interface_name),
        (cable.b.device_key, cable.b.interface_name),
    }
    assert ends == {("device:5", "Gi0/1"), ("new:10.0.0.1", "xe-0/0/7")}
    assert cable.port_speed_mbps == 1000  # the slower port


def test_in_the_same_site_without_the_remote_port_there_is_no_cable() -> None:
    same_site = KnownDevice(**{**COMMUNE_SWITCH.__dict__, "site_id": 1})
    inv = Inventory(devices=(same_site,), sites=(DC, XA))
    assert _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01")) == ()


def test_a_cable_already_on_those_interfaces_is_left_alone() -> None:
    same_site = KnownDevice(**{**COMMUNE_SWITCH.__dict__, "site_id": 1})
    cable = KnownLink(9, 1, 1, a_interface_id=60, b_interface_id=50)
    inv = Inventory(devices=(same_site, KNOWN_CORE), sites=(DC, XA), links=(cable,))
    neighbour = _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")
    assert _links(inv, neighbour) == ()


def test_a_declared_circuit_without_interfaces_gets_them() -> None:
    circuit = KnownLink(9, a_site_id=2, b_site_id=1, a_interface_id=None, b_interface_id=None)
    inv = Inventory(devices=(COMMUNE_SWITCH,), sites=(DC, XA), links=(circuit,))
    [link] = _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1"))
    assert (link.action, link.link_id) == (UPDATE, 9)
    assert link.a.interface_name == "Gi0/1" and link.b.interface_name == "xe-0/0/7"


def test_a_link_already_on_those_interfaces_is_left_alone() -> None:
    existing = KnownLink(9, 2, 1, a_interface_id=50, b_interface_id=60)
    inv = Inventory(devices=(COMMUNE_SWITCH, KNOWN_CORE), sites=(DC, XA), links=(existing,))
    assert (
        _links(inv, _neighbour(remote_chassis_id="aa:aa:aa:aa:aa:01", remote_port_id="Gi0/1")) == ()
    )
