"""A NetBox device's height: its device type's ``u_height`` as whole rack units, so the
rack elevation draws it over the units it takes (issue 22)."""

from __future__ import annotations

import pytest

from discovery.netbox.mapping import map_all, map_device, map_height_u
from discovery.netbox.records import Fetched
from tests.unit.discovery.test_netbox_mapping import DEVICE


@pytest.mark.parametrize(
    ("u_height", "height_u"),
    [
        (1, 1),
        ("2.0", 2),  # NetBox sends a decimal; older versions a string of one
        (0.5, 1),  # a half-U device draws over the unit it sits in
        (1.5, 2),  # and a unit and a half over the two it reaches into
        (0, None),  # 0 U (a PDU on the rack's side) takes no unit
        ("0.0", None),
        (60, 60),
    ],
)
def test_a_device_types_height_in_whole_units(u_height: object, height_u: int | None) -> None:
    assert map_height_u(u_height) == height_u


@pytest.mark.parametrize("u_height", [None, "", "tall", -1, 61, float("nan"), float("inf")])
def test_a_value_that_is_no_height_is_left_unmapped(u_height: object) -> None:
    assert map_height_u(u_height) is False


def test_a_device_takes_its_types_height_as_a_declared_fact() -> None:
    record = map_device(DEVICE, heights={1: 2.0, 9: 1.0})
    assert record.fields["height_u"] == 2
    assert "height_u" not in record.observed  # NetBox declares it; no agent observes it


def test_a_zero_u_device_clears_its_height_and_an_unread_type_keeps_it() -> None:
    assert map_device(DEVICE, heights={1: 0}).fields["height_u"] is None
    assert "height_u" not in map_device(DEVICE, heights={9: 2}).fields  # its type not read
    assert "height_u" not in map_device(DEVICE).fields
    assert "height_u" not in map_device(DEVICE, heights={1: -3}).fields


def test_the_sync_maps_devices_with_the_heights_of_the_device_types_it_read() -> None:
    fetched = Fetched()
    fetched.data["device_types"] = [{"id": 1, "u_height": 4.0}]
    fetched.data["devices"] = [DEVICE]
    (device,) = map_all(fetched).records["devices"]
    assert device.fields["height_u"] == 4


def test_a_type_push_made_gives_no_height() -> None:
    """``--push`` makes a device type for a model nobody documented: NetBox's default
    height is no measurement, so its devices keep the height Headroom holds."""
    fetched = Fetched()
    fetched.data["device_types"] = [{"id": 1, "u_height": 1.0, "tags": [{"slug": "headroom"}]}]
    fetched.data["devices"] = [DEVICE]
    (device,) = map_all(fetched).records["devices"]
    assert "height_u" not in device.fields
