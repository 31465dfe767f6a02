"""The typed records of the discovery core name what the planners build and compare.

Reconciliation compares an observation's fields with the known record by name
(``getattr``), so each key must be an attribute of it; the stored Ansible
observation keeps the keys its TypedDicts declare.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

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
from discovery.known import KnownDevice, KnownInterface
from discovery.reconcile import ObservedDevice, interface_fields, observed_fields
from discovery.reconcile import ObservedInterface as ObservedRow
from discovery.records import DeviceObservation, InterfaceRecord, SystemInfo, Target


def _keys(document: Any) -> set[str]:
    return set(document.__required_keys__) | set(document.__optional_keys__)


def _names(record: type) -> set[str]:
    return {f.name for f in fields(record)}


def test_observed_device_and_interface_fields_are_known_attributes() -> None:
    obs = DeviceObservation(Target("10.0.0.1"), SystemInfo(name="sw1"))
    assert set(observed_fields(obs)) == _keys(ObservedDevice)
    assert _keys(ObservedDevice) <= _names(KnownDevice)
    assert _keys(ObservedRow) <= _names(KnownInterface)


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
    assert set(interface_fields(InterfaceRecord(1, "ge-0/0/1"))) == _keys(ObservedRow)
