"""The typed records of the discovery core name what the planners build and compare.

The core compares an observation's facts with the known record's columns by name
(and its writer sets them by name), so each key the SNMP adapter states must be a
column of the record (the Ansible adapter's too); the details the Ansible observation
keeps have the keys its TypedDicts declare.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cmdb.models import Device, Interface, Workload
from discovery.ansible.facts import ObservedDisk, ObservedHost, ObservedInterface
from discovery.ansible.observe import (
    DEVICE,
    WORKLOAD,
    DiskData,
    HostData,
    HostRef,
    InterfaceData,
    observe_host,
)
from discovery.core.observations import RecordKind
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
    host = ObservedHost(
        hostname="h1",
        cores=2,
        vcpu=4,
        ram_gb=8.0,
        serial="S1",
        manufacturer="HPE",
        model="DL380",
        distribution="Debian 12",
        management_address="10.0.0.2",
        disks=(ObservedDisk("sda", 100.0),),
        interfaces=(itf,),
    )
    at = datetime(2026, 1, 1, tzinfo=UTC)
    device, interface = observe_host(HostRef(DEVICE, 1, "h1"), DEVICE, host, at)
    data = device.details["host"]
    assert isinstance(data, dict) and set(data) == _keys(HostData)
    assert set(data["disks"][0]) == _keys(DiskData)
    assert set(data["interfaces"][0]) == _keys(InterfaceData)
    assert {**device.stated, **device.reported}.keys() <= _columns(Device)
    assert interface.stated.keys() <= _columns(Interface)
    [vm] = observe_host(HostRef(WORKLOAD, 2, "h1"), WORKLOAD, host, at)
    assert {**vm.stated, **vm.reported}.keys() <= _columns(Workload)
    assert vm.kind is RecordKind.WORKLOAD


def test_interface_fields_name_every_declared_key() -> None:
    keys = set(interface_facts(InterfaceRecord(1, "ge-0/0/1")))
    assert keys == {"name", "if_index", "if_type", "description", "speed_mbps"} | {
        "mac_address",
        "ip_addresses",
        "enabled",
    }
