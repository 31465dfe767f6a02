"""What a host's facts change, through the core: filled fields, sizing, serial and platform
discrepancies, interfaces — the adapter's observations planned over hand-built records."""

from __future__ import annotations

import pytest

from cmdb.choices import DiscrepancyKind, Source
from discovery.ansible.facts import ObservedHost, ObservedInterface
from discovery.ansible.observe import (
    DEVICE,
    WORKLOAD,
    HostRef,
    coverage,
    host_facts,
    observe_host,
    reported_facts,
)
from discovery.core.compare import ram_agrees
from discovery.core.known import KnownDiscrepancy, KnownRecord, Snapshot, SourceMark
from discovery.core.observations import Endpoint, Facts, RecordKind
from discovery.core.plan import Change, DiscrepancyAction, Plan, Ref
from discovery.core.planner import plan_observations
from tests.unit.discovery.core.memory import apply_in_memory, at

INTERFACE = RecordKind.INTERFACE
HOST = {"cores": 32, "ram_gb": 512.0, "serial": "CZ1", "model": "DL380"}
SEEN = ObservedHost(cores=32, vcpu=64, ram_gb=502.9, serial="cz1", model="DL380")


def known(
    kind: RecordKind = DEVICE, id: int = 7, name: str = "hv-07", **values: str | int | float
) -> KnownRecord:
    facts: Facts = {"name": name, **values}
    serial = values.get("serial")
    return KnownRecord(
        id,
        kind,
        name=name,
        serial=serial if isinstance(serial, str) else None,
        address=Endpoint("10.49.0.11"),
        values=facts,
    )


def post(
    record: KnownRecord,
    seen: ObservedHost,
    *others: KnownRecord,
    held: tuple[KnownDiscrepancy, ...] = (),
    ref: HostRef | None = None,
) -> Plan:
    """The plan of one post naming ``record`` as the playbook does (kind, id, name)."""
    ref = ref or HostRef(record.kind, record.id, record.name)
    kind = ref.kind or DEVICE
    snapshot = Snapshot((record, *others), held)
    plan = plan_observations(observe_host(ref, kind, seen, at(2)), snapshot, coverage(ref, kind))
    again = plan_observations(
        observe_host(ref, kind, seen, at(3)), apply_in_memory(snapshot, plan), coverage(ref, kind)
    )
    assert again.is_empty, again  # posting the same facts again changes nothing
    return plan


def opened(plan: Plan) -> list[tuple[DiscrepancyKind, str, Facts]]:
    return [
        (d.kind, d.field, d.values)
        for d in plan.discrepancies
        if d.action is DiscrepancyAction.OPEN
    ]


def held(field: str, kind: DiscrepancyKind = DiscrepancyKind.HOST_SIZING) -> KnownDiscrepancy:
    return KnownDiscrepancy(kind, DEVICE, 7, field, {"record": 1, "ansible": 2})


def test_facts_that_agree_change_nothing_and_settle_what_was_open() -> None:
    plan = post(
        known(**HOST),
        SEEN,
        held=(held("cores"), held("ram_gb"), held("serial", DiscrepancyKind.MISMATCH)),
    )
    assert plan.updates == () and not plan.creates
    assert [(d.action, d.field) for d in plan.discrepancies] == [
        (DiscrepancyAction.RESOLVE, "cores"),
        (DiscrepancyAction.RESOLVE, "ram_gb"),
        (DiscrepancyAction.RESOLVE, "serial"),
    ]


def test_a_host_with_fewer_cores_and_less_ram_than_its_record_is_host_sizing() -> None:
    plan = post(known(**HOST), ObservedHost(cores=24, ram_gb=376.0, serial="CZ1"))
    assert opened(plan) == [
        (DiscrepancyKind.HOST_SIZING, "cores", {"record": 32, "ansible": 24}),
        (DiscrepancyKind.HOST_SIZING, "ram_gb", {"record": 512.0, "ansible": 376.0}),
    ]
    assert plan.updates == ()


def test_a_different_serial_is_a_mismatch_and_the_record_keeps_its_own() -> None:
    plan = post(known(**HOST), ObservedHost(serial="CZ2"))
    assert opened(plan) == [
        (DiscrepancyKind.MISMATCH, "serial", {"record": "CZ1", "ansible": "CZ2"})
    ]
    assert plan.updates == ()


def test_empty_observed_fields_of_a_device_are_filled_from_the_facts() -> None:
    plan = post(known(), ObservedHost(cores=32, ram_gb=502.9, serial="cz1", model="ProLiant"))
    [update] = plan.updates
    assert update.changes == (
        Change("cores", None, 32),
        Change("model", None, "ProLiant"),
        Change("ram_gb", None, 502.9),
        Change("serial", None, "cz1"),
    )
    assert plan.discrepancies == ()


def test_a_vm_is_compared_never_resized() -> None:
    vm = known(WORKLOAD, 3, "vm-portal-01", vcpu=4, ram_gb=8.0)
    plan = post(vm, ObservedHost(vcpu=8, ram_gb=15.6, serial="VMware-42"))
    assert plan.updates == () and [s.ref for s in plan.seen] == [Ref(WORKLOAD, 3)]
    assert opened(plan) == [
        (DiscrepancyKind.VM_SIZING, "ram_gb", {"record": 8.0, "ansible": 15.6}),
        (DiscrepancyKind.VM_SIZING, "vcpu", {"record": 4, "ansible": 8}),
    ]
    agreed = post(vm, ObservedHost(vcpu=4, ram_gb=7.7))
    assert agreed.discrepancies == () and agreed.updates == ()


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


def interface(id: int, name: str, speed: int, mac: str, *ips: str, said: bool) -> KnownRecord:
    values: Facts = {"name": name, "speed_mbps": speed, "mac_address": mac, "ip_addresses": ips}
    marks = (SourceMark(Source.ANSIBLE, f"hv-07/{name}", at(1)),) if said else ()
    return KnownRecord(
        id,
        INTERFACE,
        name=name,
        parent_id=7,
        values=values,
        marks=marks,
        said={Source.ANSIBLE: values} if said else {},
    )


def test_interfaces_are_created_and_updated_but_an_unknown_fact_never_clears_a_value() -> None:
    eno1 = interface(1, "eno1", 10000, "aa:bb:cc:00:00:01", "10.0.0.7/24", said=False)
    eno2 = interface(2, "eno2", 1000, "aa:bb:cc:00:00:02", said=True)  # Ansible's own word
    seen = ObservedHost(
        interfaces=(
            ObservedInterface("eno1", None, "aa:bb:cc:00:00:01", ()),  # unknown speed, no address
            ObservedInterface("eno2", 25000, "aa:bb:cc:00:00:02", ("10.1.0.7/24",)),
            ObservedInterface("bond0", None, "aa:bb:cc:00:00:01", ("10.2.0.7/24",)),
        )
    )
    plan = post(known(), seen, eno1, eno2)
    assert [(u.ref, u.changes) for u in plan.updates] == [
        (
            Ref(INTERFACE, 2),
            (
                Change("ip_addresses", (), ("10.1.0.7/24",)),
                Change("speed_mbps", 1000, 25000),  # Ansible changed its own word
            ),
        )
    ]
    [bond0] = plan.creates
    assert (bond0.parent, dict(bond0.values)) == (
        Ref(DEVICE, 7),
        {"name": "bond0", "mac_address": "aa:bb:cc:00:00:01", "ip_addresses": ("10.2.0.7/24",)},
    )


def test_a_speed_another_source_gave_is_kept_and_disputed() -> None:
    eno1 = interface(1, "eno1", 10000, "aa:bb:cc:00:00:01", said=False)
    plan = post(known(), ObservedHost(interfaces=(ObservedInterface("eno1", 1000),)), eno1)
    assert plan.updates == ()
    assert opened(plan) == [
        (DiscrepancyKind.MISMATCH, "speed_mbps", {"record": 10000, "ansible": 1000})
    ]


def test_the_facts_the_observation_states_and_those_it_only_reports() -> None:
    host = ObservedHost(
        hostname="hv-07", cores=32, vcpu=64, ram_gb=502.9, serial="cz1", model="DL380"
    )
    assert host_facts(DEVICE, host) == {
        "serial": "cz1",
        "model": "DL380",
        "cores": 32,
        "ram_gb": 502.9,
    }
    assert reported_facts(DEVICE, host) == {"name": "hv-07"}
    assert host_facts(WORKLOAD, ObservedHost(vcpu=2)) == {"vcpu": 2}
    assert reported_facts(WORKLOAD, ObservedHost(hostname="vm")) == {"name": "vm"}


def test_an_empty_platform_is_filled_from_the_distribution() -> None:
    plan = post(known(), ObservedHost(distribution="Ubuntu 22.04"))
    assert [u.changes for u in plan.updates] == [(Change("platform", None, "Ubuntu 22.04"),)]


def test_a_platform_naming_another_os_is_a_mismatch_and_a_respelling_is_not() -> None:
    declared = known(platform="ubuntu-20-04")
    other = post(declared, ObservedHost(distribution="Ubuntu 22.04"))
    assert opened(other) == [
        (
            DiscrepancyKind.MISMATCH,
            "platform",
            {"record": "ubuntu-20-04", "ansible": "Ubuntu 22.04"},
        )
    ]
    assert other.updates == ()
    platform = held("platform", DiscrepancyKind.MISMATCH)
    same = post(declared, ObservedHost(distribution="Ubuntu 20.04"), held=(platform,))
    assert [(d.action, d.field) for d in same.discrepancies] == [
        (DiscrepancyAction.RESOLVE, "platform")
    ]
    assert same.updates == ()
    unplaced = post(known(platform="Junos"), ObservedHost(distribution="Ubuntu 22.04"))
    assert unplaced.discrepancies == () and unplaced.updates == ()


def test_a_host_whose_known_serial_differs_at_its_address_is_not_that_record() -> None:
    """Named by address and hostname only (another inventory): the record at the address
    has another serial, so the facts are another machine — never merged into it."""
    ref = HostRef(name="hv-07", management_address="10.49.0.11")
    plan = post(known(**HOST), ObservedHost(serial="CZ9", cores=8), ref=ref)
    assert Ref(DEVICE, 7) not in [s.ref for s in plan.seen]
    assert plan.updates == () and plan.discrepancies == ()
    same = post(known(**HOST), ObservedHost(serial="CZ1", cores=32), ref=ref)
    assert [s.ref for s in same.seen] == [Ref(DEVICE, 7)] and not same.creates
