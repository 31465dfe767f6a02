"""What a host's facts change: filled fields, sizing and serial discrepancies, interfaces."""

from __future__ import annotations

import pytest

from cmdb.choices import DiscrepancyKind
from discovery.ansible.facts import ObservedHost, ObservedInterface
from discovery.ansible.plan import (
    DEVICE,
    WORKLOAD,
    Disagreement,
    FieldChange,
    InterfaceChange,
    KnownHost,
    KnownInterface,
    observation_fields,
    plan_facts,
    ram_agrees,
)

HOST = KnownHost(DEVICE, 7, "hv-07", cores=32, ram_gb=512.0, serial="CZ1", model="DL380")
SEEN = ObservedHost(cores=32, vcpu=64, ram_gb=502.9, serial="cz1", model="ProLiant DL380 Gen10")


def test_facts_that_agree_change_nothing_and_settle_what_was_open() -> None:
    plan = plan_facts(HOST, SEEN)
    assert plan.updates == () and plan.disagreements == () and not plan.changes_record
    assert plan.agreements == (
        (DiscrepancyKind.HOST_SIZING, "cores"),
        (DiscrepancyKind.HOST_SIZING, "ram_gb"),
        (DiscrepancyKind.MISMATCH, "serial"),
    )


def test_a_host_with_fewer_cores_and_less_ram_than_its_record_is_host_sizing() -> None:
    plan = plan_facts(HOST, ObservedHost(cores=24, ram_gb=376.0, serial="CZ1"))
    assert plan.disagreements == (
        Disagreement(DiscrepancyKind.HOST_SIZING, "cores", 32, 24),
        Disagreement(DiscrepancyKind.HOST_SIZING, "ram_gb", 512.0, 376.0),
    )
    assert plan.disagreements[0].values == {"record": 32, "ansible": 24}


def test_a_different_serial_is_a_mismatch_and_the_record_keeps_its_own() -> None:
    plan = plan_facts(HOST, ObservedHost(serial="CZ2"))
    assert plan.disagreements == (Disagreement(DiscrepancyKind.MISMATCH, "serial", "CZ1", "CZ2"),)
    assert plan.updates == ()


def test_empty_observed_fields_of_a_device_are_filled_from_the_facts() -> None:
    empty = KnownHost(DEVICE, 8, "new")
    plan = plan_facts(empty, SEEN)
    assert plan.updates == (
        FieldChange("cores", None, 32),
        FieldChange("ram_gb", None, 502.9),
        FieldChange("serial", None, "cz1"),
        FieldChange("model", None, "ProLiant DL380 Gen10"),
    )
    assert plan.disagreements == () and plan.agreements == ()


def test_a_vm_is_compared_never_resized() -> None:
    vm = KnownHost(WORKLOAD, 3, "vm-portal-01", vcpu=4, ram_gb=8.0)
    plan = plan_facts(vm, ObservedHost(vcpu=8, ram_gb=15.6, serial="VMware-42"))
    assert plan.updates == () and plan.interfaces == ()
    assert plan.disagreements == (
        Disagreement(DiscrepancyKind.VM_SIZING, "vcpu", 4, 8),
        Disagreement(DiscrepancyKind.VM_SIZING, "ram_gb", 8.0, 15.6),
    )
    agreed = plan_facts(vm, ObservedHost(vcpu=4, ram_gb=7.7))
    assert agreed.disagreements == ()
    assert agreed.agreements == (
        (DiscrepancyKind.VM_SIZING, "vcpu"),
        (DiscrepancyKind.VM_SIZING, "ram_gb"),
    )


@pytest.mark.parametrize(
    ("record", "observed", "agree"),
    [
        (64.0, 62.7, True),  # firmware and kernel keep some
        (64.0, 60.0, True),  # 6 % and rounding below
        (64.0, 59.6, False),
        (64.0, 64.5, True),  # rounding
        (64.0, 64.6, False),  # more RAM than the record: never firmware
        (4.0, 3.8, True),
        (8.0, 23.5, False),
    ],
)
def test_ram_agrees_within_what_firmware_and_kernel_keep(
    record: float, observed: float, agree: bool
) -> None:
    assert ram_agrees(record, observed) is agree


def test_interfaces_are_created_and_updated_but_an_unknown_fact_never_clears_a_value() -> None:
    known = KnownHost(
        DEVICE,
        7,
        "hv-07",
        interfaces=(
            KnownInterface(1, "eno1", 10000, "aa:bb:cc:00:00:01", ("10.0.0.7/24",)),
            KnownInterface(2, "eno2", 1000, "aa:bb:cc:00:00:02", ()),
        ),
    )
    seen = ObservedHost(
        interfaces=(
            ObservedInterface("eno1", None, "aa:bb:cc:00:00:01", ()),  # unknown speed, no address
            ObservedInterface("eno2", 25000, "aa:bb:cc:00:00:02", ("10.1.0.7/24",)),
            ObservedInterface("bond0", None, "aa:bb:cc:00:00:01", ("10.2.0.7/24",)),
        )
    )
    assert plan_facts(known, seen).interfaces == (
        InterfaceChange(
            "eno2",
            2,
            (
                FieldChange("speed_mbps", 1000, 25000),
                FieldChange("ip_addresses", [], ["10.1.0.7/24"]),
            ),
        ),
        InterfaceChange(
            "bond0",
            None,
            (
                FieldChange("mac_address", None, "aa:bb:cc:00:00:01"),
                FieldChange("ip_addresses", None, ["10.2.0.7/24"]),
            ),
        ),
    )


def test_observation_fields_keep_only_what_the_facts_say() -> None:
    assert observation_fields(DEVICE, "hv-07", SEEN) == {
        "name": "hv-07",
        "serial": "cz1",
        "model": "ProLiant DL380 Gen10",
        "cores": 32,
        "ram_gb": 502.9,
    }
    assert observation_fields(WORKLOAD, "vm", ObservedHost(vcpu=2)) == {"name": "vm", "vcpu": 2}


def test_an_empty_platform_is_filled_from_the_distribution() -> None:
    plan = plan_facts(KnownHost(DEVICE, 8, "new"), ObservedHost(distribution="Ubuntu 22.04"))
    assert plan.updates == (FieldChange("platform", None, "Ubuntu 22.04"),)


def test_a_platform_naming_another_os_is_a_mismatch_and_a_respelling_is_not() -> None:
    declared = KnownHost(DEVICE, 8, "hv-08", platform="ubuntu-20-04")
    other = plan_facts(declared, ObservedHost(distribution="Ubuntu 22.04"))
    assert other.disagreements == (
        Disagreement(DiscrepancyKind.MISMATCH, "platform", "ubuntu-20-04", "Ubuntu 22.04"),
    )
    assert other.updates == ()
    same = plan_facts(declared, ObservedHost(distribution="Ubuntu 20.04"))
    assert same.disagreements == ()
    assert same.agreements == ((DiscrepancyKind.MISMATCH, "platform"),)
    unplaced = plan_facts(
        KnownHost(DEVICE, 8, "sw", platform="Junos"), ObservedHost(distribution="Ubuntu 22.04")
    )
    assert unplaced.disagreements == () and unplaced.agreements == ()
