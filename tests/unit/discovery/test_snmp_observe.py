"""The SNMP adapter with the core's planner, over hand-built snapshots: what an agent said
becomes a plan — identity by serial, address and port, hostname; audited facts kept
with a discrepancy; technical facts follow the device; nothing deleted; a new device's
site and role as defaults. (Ported from the old SNMP planner's tests: the endpoint is no
longer an id, so a different device at a known endpoint is a new device.)"""

from __future__ import annotations

from datetime import UTC, datetime

from cmdb.choices import DiscrepancyKind, Source
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownDiscrepancy, KnownRecord, Snapshot, SourceMark
from discovery.core.observations import Endpoint, RecordKind
from discovery.core.plan import Change, DiscrepancyAction, Plan
from discovery.core.planner import plan_observations
from discovery.records import (
    Chassis,
    DeviceObservation,
    InterfaceRecord,
    SystemInfo,
    Target,
    TargetOutcome,
)
from discovery.snmp.observe import map_outcomes

DEVICE, INTERFACE, SITE = RecordKind.DEVICE, RecordKind.INTERFACE, RecordKind.SITE
AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
DC = KnownRecord(1, SITE, "TTDL", values={"slug": "ttdl", "name": "TTDL", "kind": "data_centre"})
COMMUNE = KnownRecord(2, SITE, "Xã A", values={"slug": "xa-a", "name": "Xã A", "kind": "commune"})


def _obs(
    host: str = "10.0.0.1", serial: str | None = "SN1", name: str = "sw1", **kw: object
) -> DeviceObservation:
    values: dict[str, object] = {
        "target": Target(host),
        "system": SystemInfo(descr="Cisco NX-OS(tm) n5000", name=name, object_id="1.3.6.1.4.1.9"),
        "chassis": Chassis(model="N5K", serial=serial, software="6.0"),
        "interfaces": (InterfaceRecord(1, "Eth1/1", speed_mbps=10000, admin_up=True),),
    }
    return DeviceObservation(**(values | kw))  # type: ignore[arg-type]


def _known(id: int = 7, interfaces: tuple[KnownRecord, ...] | None = None, **kw: object):
    values: dict[str, object] = {
        "name": "sw1",
        "site_id": 1,
        "serial": "SN1",
        "model": "N5K",
        "management_address": "10.0.0.1",
        "firmware": "6.0",
        "sys_object_id": "1.3.6.1.4.1.9",
    } | kw
    address = values["management_address"]
    at = Endpoint(address, 161) if isinstance(address, str) else None
    device = KnownRecord(
        id,
        DEVICE,
        name=values["name"],  # type: ignore[arg-type]
        serial=values["serial"],  # type: ignore[arg-type]
        address=at,
        values=values,  # type: ignore[arg-type]
        marks=(SourceMark(Source.SNMP, at.text, AT),) if at else (),
    )
    if interfaces is None:
        interfaces = (_port(id * 10, id, "Eth1/1", 1, 10000),)
    return (device, *interfaces)


def _port(id: int, device: int, name: str, index: int, speed: int | None) -> KnownRecord:
    values = {"name": name, "if_index": index, "speed_mbps": speed, "enabled": True}
    mark = SourceMark(Source.SNMP, None, AT)
    return KnownRecord(id, INTERFACE, name, parent_id=device, values=values, marks=(mark,))


def _plan(
    records: tuple[KnownRecord, ...],
    observations: list[DeviceObservation],
    site_id: int | None = None,
    discrepancies: tuple[KnownDiscrepancy, ...] = (),
    sites: tuple[KnownRecord, ...] = (DC, COMMUNE),
) -> Plan:
    snapshot = Snapshot((*sites, *records), discrepancies)
    outcomes = [TargetOutcome(o.target, "succeeded", 0.1, 1, observation=o) for o in observations]
    observed = map_outcomes(outcomes, snapshot, AT, site_id)
    return plan_observations(observed.observations, snapshot, observed.coverage)


def _device_seen(plan: Plan) -> list[tuple[int | None, MatchedBy | None]]:
    return [(s.ref.id, s.matched_by) for s in plan.seen if s.ref.kind is DEVICE]


def test_a_new_device_goes_to_the_only_data_centre_with_a_guessed_role() -> None:
    plan = _plan((), [_obs()])
    [device, port] = plan.creates
    assert (device.values["site_id"], device.values["role"], device.values["name"]) == (
        1,
        "switch",
        "sw1",
    )
    assert port.parent == device.ref and port.values["name"] == "Eth1/1"


def test_identity_order_serial_address_hostname() -> None:
    by_serial = _known(1, serial="SN1", management_address="10.9.9.9", name="x")
    by_address = _known(2, serial=None, management_address="10.0.0.1", name="sw1")
    by_name = _known(3, serial=None, management_address=None, name="SW1.dc.local")
    assert _device_seen(_plan((*by_name, *by_address, *by_serial), [_obs()])) == [
        (1, MatchedBy.SERIAL)
    ]
    plan = _plan((*by_name, *by_address), [_obs(serial=None)])
    assert _device_seen(plan) == [(2, MatchedBy.ADDRESS)]
    # by hostname; the run then reports the address its agent now answers at
    assert [i for i, _ in _device_seen(_plan(by_name, [_obs(serial=None)]))] == [3]


def test_another_serial_at_a_known_endpoint_is_a_new_device() -> None:
    """The endpoint is an address, not an id: a swapped switch is not the old record."""
    old = _known(serial="OLD1")
    plan = _plan(old, [_obs(serial="NEW2")])
    assert [c.ref.kind for c in plan.creates] == [DEVICE, INTERFACE]
    assert not plan.updates


def test_nothing_changes_when_snmp_agrees() -> None:
    assert _plan(_known(), [_obs()]).is_empty


def test_audited_facts_open_discrepancies_and_keep_the_inventory_value() -> None:
    known = _known(model="N7K", name="core-1", interfaces=(_port(70, 7, "Eth1/1", 1, 1000),))
    plan = _plan(known, [_obs()])
    found = {(str(d.ref.kind), d.field): dict(d.values) for d in plan.discrepancies}
    assert found == {
        ("device", "name"): {"record": "core-1", "snmp": "sw1"},
        ("device", "model"): {"record": "N7K", "snmp": "N5K"},
        ("interface", "speed_mbps"): {"record": 1000, "snmp": 10000},
    }
    assert not plan.updates


def test_an_open_discrepancy_with_the_same_values_is_not_planned_again() -> None:
    opened = KnownDiscrepancy(
        DiscrepancyKind.MISMATCH, DEVICE, 7, "model", {"record": "N7K", "snmp": "N5K"}
    )
    assert _plan(_known(model="N7K"), [_obs()], discrepancies=(opened,)).is_empty


def test_technical_facts_follow_snmp_and_empty_fields_are_filled() -> None:
    plan = _plan(_known(firmware="5.2", serial=None), [_obs(serial="SN9")])
    [update] = plan.updates
    assert set(update.changes) == {Change("firmware", "5.2", "6.0"), Change("serial", None, "SN9")}


def test_what_snmp_did_not_say_is_neither_erased_nor_deleted() -> None:
    ports = (_port(70, 7, "Eth1/1", 1, 10000), _port(71, 7, "Eth1/2", 2, 10000))
    plan = _plan(_known(interfaces=ports), [_obs(chassis=None)])
    assert plan.is_empty  # Eth1/2 was not seen: it stays, and so do serial and model


def test_a_table_that_failed_plans_nothing_for_it() -> None:
    plan = _plan(_known(), [_obs(missing=("ifTable",), interfaces=())])
    assert [s.ref.kind for s in plan.seen] == [DEVICE] and not plan.not_seen


def test_two_agents_answering_with_one_serial_refuse_the_second() -> None:
    plan = _plan(_known(), [_obs("10.0.0.1"), _obs("10.0.0.2")])
    assert _device_seen(plan) == [(7, MatchedBy.SERIAL)]
    refused = {r.label: r.reason for r in plan.refused}
    assert "the same device as 10.0.0.1" in refused["10.0.0.2"]
    assert refused["10.0.0.2/Eth1/1"] == "its host is unknown or was refused"


def test_without_a_site_a_new_device_is_refused() -> None:
    plan = _plan((), [_obs()], sites=(COMMUNE,))
    assert not plan.creates
    assert [(r.label, r.reason) for r in plan.refused] == [
        ("10.0.0.1", "no site for a new device"),
        ("10.0.0.1/Eth1/1", "its host is unknown or was refused"),
    ]
    [device, _] = _plan((), [_obs()], site_id=2, sites=(COMMUNE,)).creates
    assert device.values["site_id"] == 2


def test_sys_location_names_the_site() -> None:
    [device, _] = _plan((), [_obs(system=SystemInfo(name="sw1", location="XA-A"))]).creates
    assert device.values["site_id"] == 2


def test_the_agent_that_answered_is_covered_and_a_device_gone_from_it_is_not_seen() -> None:
    old = _known(serial=None, name="old-box")
    marked = (
        KnownRecord(
            old[0].id,
            DEVICE,
            "old-box",
            address=Endpoint("10.0.0.1", 161),
            values=old[0].values,
            marks=(SourceMark(Source.SNMP, "10.0.0.1:161", AT),),
        ),
    )
    plan = _plan(marked, [_obs(serial=None, name="new-box")])
    assert [n.ref.id for n in plan.not_seen] == [7]
    assert plan.creates and plan.creates[0].values["name"] == "new-box"
    assert DiscrepancyAction.OPEN not in {d.action for d in plan.discrepancies}
