"""The planner over hand-built inventories: identity order, audited facts, no deletion."""

from __future__ import annotations

from dataclasses import replace

from discovery.known import Inventory, KnownDevice, KnownInterface, KnownSite
from discovery.plan import CREATE, NONE, UPDATE
from discovery.reconcile import PlanDefaults, plan_discovery
from discovery.records import Chassis, DeviceObservation, InterfaceRecord, SystemInfo, Target

DC = KnownSite(1, "ttdl", "TTDL", True)
COMMUNE = KnownSite(2, "xa-a", "Xã A", False)


def _obs(
    host: str = "10.0.0.1", serial: str | None = "SN1", name: str = "sw1", **kw
) -> DeviceObservation:
    values = {
        "target": Target(host),
        "system": SystemInfo(descr="Cisco NX-OS(tm) n5000", name=name, object_id="1.3.6.1.4.1.9"),
        "chassis": Chassis(model="N5K", serial=serial, software="6.0"),
        "interfaces": (InterfaceRecord(1, "Eth1/1", speed_mbps=10000, admin_up=True),),
    }
    return DeviceObservation(**(values | kw))


def _known(**kw) -> KnownDevice:
    values = {
        "id": 7,
        "name": "sw1",
        "site_id": 1,
        "serial": "SN1",
        "model": "N5K",
        "management_address": "10.0.0.1",
        "firmware": "6.0",
        "sys_object_id": "1.3.6.1.4.1.9",
        "interfaces": (KnownInterface(70, "Eth1/1", 1, None, None, 10000, None, (), True),),
    }
    return KnownDevice(**(values | kw))


def _inv(*devices: KnownDevice, **kw) -> Inventory:
    return Inventory(devices=devices, sites=(DC, COMMUNE), **kw)


def test_a_new_device_goes_to_the_only_data_centre_with_a_guessed_role() -> None:
    plan = plan_discovery(_inv(), [_obs()])
    [device] = plan.devices
    fields = {c.field: c.new for c in device.changes}
    assert (device.action, device.site_id, fields["role"], fields["name"]) == (
        CREATE,
        1,
        "switch",
        "sw1",
    )
    assert [i.action for i in device.interfaces] == [CREATE]


def test_identity_order_endpoint_serial_address_hostname() -> None:
    by_serial = _known(id=1, serial="SN1", management_address="10.9.9.9", name="x")
    by_address = _known(id=2, serial="OTHER", management_address="10.0.0.1", name="y")
    by_name = _known(id=3, serial=None, management_address=None, name="SW1.dc.local")
    plan = plan_discovery(_inv(by_name, by_address, by_serial), [_obs()])
    assert (plan.devices[0].device_id, plan.devices[0].matched_by) == (1, "serial")
    plan = plan_discovery(_inv(by_name, by_address), [_obs(serial=None)])
    assert plan.devices[0].matched_by == "address"
    plan = plan_discovery(_inv(by_name), [_obs(serial=None)])
    assert plan.devices[0].matched_by == "hostname"
    pinned = replace(by_name, snmp_endpoint="10.0.0.1")
    plan = plan_discovery(_inv(by_serial, pinned), [_obs()])
    assert plan.devices[0].matched_by == "endpoint"


def test_nothing_changes_when_snmp_agrees() -> None:
    plan = plan_discovery(_inv(_known()), [_obs()])
    assert plan.is_empty and plan.devices[0].action == NONE


def test_audited_facts_open_discrepancies_and_keep_the_inventory_value() -> None:
    known = _known(
        model="N7K", name="core-1", interfaces=(KnownInterface(70, "Eth1/1", 1, speed_mbps=1000),)
    )
    [device] = plan_discovery(_inv(known), [_obs()]).devices
    found = {(d.object_type, d.field): (d.inventory, d.snmp) for d in device.discrepancies}
    assert found == {
        ("device", "name"): ("core-1", "sw1"),
        ("device", "model"): ("N7K", "N5K"),
        ("interface", "speed_mbps"): (1000, 10000),
    }
    assert device.changes == ()


def test_an_open_discrepancy_with_the_same_values_is_not_planned_again() -> None:
    known = _known(model="N7K")
    opened = {("device", 7, "model"): {"inventory": "N7K", "snmp": "N5K"}}
    plan = plan_discovery(_inv(known, open_discrepancies=opened), [_obs()])
    assert plan.is_empty


def test_technical_facts_follow_snmp_and_empty_fields_are_filled() -> None:
    known = _known(firmware="5.2", serial=None)
    [device] = plan_discovery(_inv(known), [_obs(serial="SN9")]).devices
    assert {c.field: (c.old, c.new) for c in device.changes} == {
        "firmware": ("5.2", "6.0"),
        "serial": (None, "SN9"),
    }
    assert device.action == UPDATE


def test_what_snmp_did_not_say_is_neither_erased_nor_deleted() -> None:
    known = _known(
        interfaces=(
            KnownInterface(70, "Eth1/1", 1, speed_mbps=10000),
            KnownInterface(71, "Eth1/2", 2, speed_mbps=10000),
        )
    )
    obs = _obs(chassis=None)  # no ENTITY-MIB answer: model and serial unknown, not empty
    plan = plan_discovery(_inv(known), [obs])
    assert plan.is_empty  # Eth1/2 was not seen: it stays, and so do serial and model


def test_a_table_that_failed_plans_nothing_for_it() -> None:
    obs = _obs(missing=("ifTable",), interfaces=())
    plan = plan_discovery(_inv(_known()), [obs])
    assert plan.devices[0].interfaces == ()


def test_two_agents_claiming_one_serial_fail_the_second() -> None:
    plan = plan_discovery(_inv(_known()), [_obs("10.0.0.1"), _obs("10.0.0.2")])
    assert len(plan.devices) == 1
    assert "two agents claim one identity" in plan.errors["10.0.0.2"]


def test_without_a_site_a_new_device_is_refused() -> None:
    inventory = Inventory(sites=(COMMUNE,))
    plan = plan_discovery(inventory, [_obs()])
    assert plan.devices == () and plan.errors == {
        "10.0.0.1": "no site for a new device: give --site"
    }
    plan = plan_discovery(inventory, [_obs()], PlanDefaults(site_id=2))
    assert plan.devices[0].site_id == 2


def test_a_name_taken_in_the_site_gets_the_address() -> None:
    plan = plan_discovery(_inv(), [_obs("10.0.0.1", "A"), _obs("10.0.0.2", "B")])
    assert [next(c.new for c in d.changes if c.field == "name") for d in plan.devices] == [
        "sw1",
        "sw1-10.0.0.2",
    ]
