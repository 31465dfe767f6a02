"""Interfaces cabled through patch panels are one link, not two half links (issue 19).

Interface 1 (device 10, site 1) → front port 50 of panel 30 ⇄ rear ports ⇄ front port 60
of panel 31 → interface 2 (device 11, site 2). NetBox traces the path: each interface's
``connected_endpoints`` names the other (``Fetched.far_ends``). Cable 7 is at interface
1 (the lower id): it carries the link 1–2; cable 8 at interface 2 is skipped, naming it.
"""

from __future__ import annotations

from typing import Any

from discovery.netbox.mapping_links import map_cable, panel_interfaces
from discovery.netbox.records import NbRecord, Ref, Skipped

DEVICE_SITES = {10: 1, 11: 2, 30: 1, 31: 2}
SPEEDS = {1: 10000, 2: 1000}


def _interface(interface: int, device: int, cable: int) -> dict[str, Any]:
    return {
        "id": interface,
        "name": f"eth{interface}",
        "device": {"id": device, "name": f"dev{device}"},
        "cable": {"id": cable},
    }


def _term(kind: str, obj_id: int, obj: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"object_type": kind, "object_id": obj_id, "object": obj}]


def _front(port: int, panel: int) -> list[dict[str, Any]]:
    obj = {"id": port, "name": f"fp{port}", "device": {"id": panel, "name": f"panel{panel}"}}
    return _term("dcim.frontport", port, obj)


NEAR = {"id": 7, "a_terminations": _term("dcim.interface", 1, _interface(1, 10, 7)),
        "b_terminations": _front(50, 30)}  # fmt: skip
FAR = {"id": 8, "a_terminations": _front(60, 31),
       "b_terminations": _term("dcim.interface", 2, _interface(2, 11, 8))}  # fmt: skip
FAR_ENDS = {1: _interface(2, 11, 8), 2: _interface(1, 10, 7)}


def test_the_cable_at_the_lower_interface_is_the_link_between_the_two_interfaces() -> None:
    result = map_cable(NEAR, DEVICE_SITES, SPEEDS, far_ends=FAR_ENDS)
    assert isinstance(result, NbRecord) and result.error is None
    assert (result.refs["a_interface_id"], result.refs["b_interface_id"]) == (
        Ref("interfaces", "1"),
        Ref("interfaces", "2"),
    )
    assert (result.refs["a_site_id"], result.refs["b_site_id"]) == (
        Ref("sites", "1"),
        Ref("sites", "2"),
    )
    assert result.label == "dev10 eth1 – dev11 eth2"
    assert result.fields["port_speed_mbps"] == 1000.0  # the slower of the two interfaces


def test_the_cable_at_the_higher_interface_is_skipped_naming_the_one_that_carries_it() -> None:
    result = map_cable(FAR, DEVICE_SITES, SPEEDS, far_ends=FAR_ENDS)
    assert isinstance(result, Skipped) and result.external_id == "cable:8"
    assert "patch panels" in result.reason and "cable:7" in result.reason
    assert result.label == "panel31 fp60 – dev11 eth2"


def test_a_path_netbox_cannot_trace_keeps_the_half_link_to_the_panel() -> None:
    for far_ends in ({}, None):
        result = map_cable(NEAR, DEVICE_SITES, SPEEDS, far_ends=far_ends)
        assert isinstance(result, NbRecord)
        assert result.refs["b_interface_id"] is None
        assert result.refs["b_site_id"] == Ref("sites", "1")  # the panel's site


def test_only_interfaces_cabled_to_a_panel_port_are_asked_for_their_far_end() -> None:
    between = {"id": 9, "a_terminations": _front(51, 30), "b_terminations": _front(61, 31)}
    direct = {
        "id": 10,
        "a_terminations": _term("dcim.interface", 3, _interface(3, 10, 10)),
        "b_terminations": _term("dcim.interface", 4, _interface(4, 11, 10)),
    }
    assert panel_interfaces([NEAR, FAR, between, direct]) == {1, 2}
