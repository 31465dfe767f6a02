"""The typed records of the discovery core name what the planners build and compare.

The core compares an observation's facts with the known record's columns by name
(and its writer sets them by name), so each key the SNMP adapter states must be a
column of the record; the stored Ansible observation keeps the keys its TypedDicts
declare.
"""

from __future__ import annotations

from typing import Any

from cmdb.models import Device, Interface
from discovery.ansible.facts import ObservedDisk, ObservedHost, ObservedInterface
from discovery.ansible.plan import (
    DEVICE,
    DiskData,
    HostData,
    HostObservationData,
    InterfaceData,
    InterfaceObservationData,
    interface_observation_data,
    observation_data,
)
from discovery.records import DeviceObservation, InterfaceRecord, SystemInfo, Target
from discovery.snmp.observe import device_facts, interface_facts


def _keys(document: Any) -> set[str]:
    return set(document.__required_keys__) | set(document.__optional_keys__)


def _columns(model: type) -> set[str]:
    return set(model.__table__.columns.keys())


def test_observed_device_and_interface_fields_are_known_attributes() -> None:
    obs = DeviceObservation(Target("10.0.0.1"), SystemInfo(name="sw1"))
    assert set(device_facts(obs)) <= _columns(Device)
    assert set(interface_facts(InterfaceRecord(1, "ge-0/0/1"))) <= _columns(Interface)


def test_the_ansible_observation_has_its_declared_keys() -> None:
    itf = ObservedInterface("eth0", 1000, "aa:bb:cc:dd:ee:ff", ("10.0.0.2",))
    host = ObservedHost(hostname="h1", disks=(ObservedDisk("sda", 100.0),), interfaces=(itf,))
    data = observation_data(DEVICE, "h1", host)
    assert set(data) == _keys(HostObservationData)
    assert set(data["host"]) == _keys(HostData)
    assert set(data["host"]["disks"][0]) == _keys(DiskData)
    assert set(data["host"]["interfaces"][0]) == _keys(InterfaceData)
    assert set(interface_observation_data(1, itf)) == _keys(InterfaceObservationData)


def test_interface_fields_name_every_declared_key() -> None:
    keys = set(interface_facts(InterfaceRecord(1, "ge-0/0/1")))
    assert keys == {"name", "if_index", "if_type", "description", "speed_mbps"} | {
        "mac_address",
        "ip_addresses",
        "enabled",
    }
