"""The planner over hand-built snapshots: creates, updates with before/after, "not seen
since" only inside what a run read, discrepancies opened, revised and resolved only on
what a run stated — and planning again after applying is empty."""

from __future__ import annotations

from cmdb.choices import DiscrepancyKind, Source
from discovery.core.coverage import Coverage
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownDiscrepancy, KnownRecord, Snapshot, SourceMark
from discovery.core.observations import Endpoint, Facts, Identity, Observation, RecordKind
from discovery.core.plan import Change, DiscrepancyAction, NotSeen, Plan, Ref
from discovery.core.planner import plan_observations
from discovery.core.runs import refusals
from tests.unit.discovery.core.memory import apply_in_memory, at

DEVICE, INTERFACE = RecordKind.DEVICE, RecordKind.INTERFACE
HERE = Endpoint("127.0.0.1", 1161)
NEW_SITE = {DEVICE: {"site_id": 1, "role": "switch"}}


def snmp_device(
    serial: str | None = "SN1",
    name: str | None = "sw1",
    address: Endpoint = HERE,
    day: int = 1,
    interfaces: tuple[str, ...] = ("eth0", "eth1"),
    parts_read: bool = True,
    **facts: str | int | float | None,
) -> list[Observation]:
    """What the SNMP adapter will give for one agent: the device, then its interfaces."""
    identity = Identity(serial=serial, address=address, name=name)
    observed = {"name": name, "serial": serial, "management_address": address.host, **facts}
    device = Observation(
        Source.SNMP,
        DEVICE,
        identity,
        at(day),
        address.text,
        observed=observed,
        parts_read=parts_read,
    )
    parts = [
        Observation(
            Source.SNMP,
            INTERFACE,
            Identity(name=itf),
            at(day),
            f"{address.text}/{itf}",
            observed={"name": itf, "if_index": n},
            parent=identity,
        )
        for n, itf in enumerate(interfaces, start=1)
    ]
    return [device, *parts]


def answered(observations: list[Observation]) -> Coverage:
    """An SNMP run's reach: the agents that answered."""
    return Coverage(
        Source.SNMP,
        addresses=frozenset(
            o.identity.address for o in observations if o.kind == DEVICE and o.identity.address
        ),
    )


def plan(
    observations: list[Observation], snapshot: Snapshot, coverage: Coverage | None = None
) -> Plan:
    return plan_observations(observations, snapshot, coverage or answered(observations), NEW_SITE)


def run(
    observations: list[Observation], snapshot: Snapshot, coverage: Coverage | None = None
) -> tuple[Plan, Snapshot]:
    """Plan, apply in memory, and check that planning again changes nothing."""
    first = plan(observations, snapshot, coverage)
    after = apply_in_memory(snapshot, first)
    again = plan(observations, after, coverage)
    assert again.is_empty, again
    return first, after


def device(snapshot: Snapshot, name: str) -> KnownRecord:
    [found] = [r for r in snapshot.records if r.kind == DEVICE and r.name == name]
    return found


def interfaces_of(snapshot: Snapshot, record: KnownRecord) -> list[str]:
    return sorted(str(r.name) for r in snapshot.records if r.parent_id == record.id)


def netbox_device(id: int, serial: str | None, **values: str | int | None) -> KnownRecord:
    """A record NetBox declared (and only NetBox said its values)."""
    facts: Facts = {"name": "sw1", "serial": serial, "management_address": "127.0.0.1", **values}
    return KnownRecord(
        id,
        DEVICE,
        name="sw1",
        serial=serial,
        address=Endpoint("127.0.0.1"),
        values=facts,
        marks=(SourceMark(Source.NETBOX, str(id), at(1)),),
        said={Source.NETBOX: {k: v for k, v in facts.items() if v is not None}},
    )


# -- creates and updates -------------------------------------------------------------------


def test_a_new_device_and_its_interfaces_are_created_with_the_defaults() -> None:
    first, after = run(snmp_device(), Snapshot())
    [dev, *ifs] = first.creates
    assert dev.ref == Ref(DEVICE, new=HERE.text)
    assert dict(dev.values) == {
        "site_id": 1,
        "role": "switch",
        "name": "sw1",
        "serial": "SN1",
        "management_address": "127.0.0.1",
    }
    assert [(c.ref.kind, c.parent) for c in ifs] == [(INTERFACE, dev.ref)] * 2
    assert all(s.new_mark for s in first.seen)
    assert interfaces_of(after, device(after, "sw1")) == ["eth0", "eth1"]


def test_an_empty_field_is_filled_with_before_and_after() -> None:
    _, known = run(snmp_device(), Snapshot())
    first, _ = run(snmp_device(day=2, model="N5K"), known)
    [update] = first.updates
    assert update.changes == (Change("model", None, "N5K"),)
    assert not first.discrepancies


def test_technical_facts_follow_the_device_without_a_discrepancy() -> None:
    _, known = run(snmp_device(firmware="6.0"), Snapshot())
    first, _ = run(snmp_device(day=2, firmware="7.1"), known)
    assert first.updates[0].changes == (Change("firmware", "6.0", "7.1"),)
    assert not first.discrepancies


def test_seeing_the_same_device_again_changes_nothing() -> None:
    _, known = run(snmp_device(), Snapshot())
    again = plan(snmp_device(day=2), known)
    assert again.is_empty
    assert {s.at for s in again.seen} == {at(2)}  # "last seen" still moves


# -- an address reused by another device (the bug this core exists for) --------------------


def test_another_serial_at_the_address_is_a_new_device_and_the_old_one_not_seen() -> None:
    _, known = run(snmp_device("SN1", "sw1"), Snapshot())
    old = device(known, "sw1")
    swapped = snmp_device("SN2", "sw2", day=2, interfaces=("ge-0/0/0",))
    first, after = run(swapped, known)
    assert [c.ref.kind for c in first.creates] == [DEVICE, INTERFACE]
    assert first.creates[1].parent == first.creates[0].ref
    assert not first.updates
    assert NotSeen(Ref(DEVICE, old.id), Source.SNMP, at(1)) in first.not_seen
    gone = {n.ref.id for n in first.not_seen if n.ref.kind == INTERFACE}
    assert gone == {r.id for r in known.records if r.parent_id == old.id}
    assert interfaces_of(after, device(after, "sw1")) == ["eth0", "eth1"]
    assert interfaces_of(after, device(after, "sw2")) == ["ge-0/0/0"]


def test_without_serials_another_hostname_at_the_address_is_a_new_device() -> None:
    _, known = run(snmp_device(None, "sw1"), Snapshot())
    first, after = run(snmp_device(None, "sw2", day=2, interfaces=("ge-0/0/0",)), known)
    assert [c.ref.kind for c in first.creates] == [DEVICE, INTERFACE]
    assert [n.ref.id for n in first.not_seen if n.ref.kind == DEVICE] == [device(known, "sw1").id]
    assert interfaces_of(after, device(after, "sw1")) == ["eth0", "eth1"]


def test_the_old_device_back_at_its_address_finds_its_own_record() -> None:
    _, known = run(snmp_device("SN1", "sw1"), Snapshot())
    _, known = run(snmp_device("SN2", "sw2", day=2), known)
    first = plan(snmp_device("SN1", "sw1", day=3), known)
    assert not first.creates and first.is_empty
    assert [n.ref.id for n in first.not_seen if n.ref.kind == DEVICE] == [device(known, "sw2").id]


# -- coverage: absence only where the run looked ------------------------------------------


def test_a_target_that_did_not_answer_leaves_its_device_alone() -> None:
    _, known = run(snmp_device(), Snapshot())
    other = snmp_device("SN9", "sw9", Endpoint("127.0.0.1", 1162), day=2)
    assert not plan(other, known).not_seen


def test_an_interface_table_not_read_concludes_nothing_about_interfaces() -> None:
    _, known = run(snmp_device(), Snapshot())
    first = plan(snmp_device(day=2, interfaces=(), parts_read=False), known)
    assert not first.not_seen
    whole = plan(snmp_device(day=2, interfaces=("eth0",)), known)
    [gone] = whole.not_seen
    assert gone.ref.kind == INTERFACE


def netbox(id: int, day: int = 2, **declared: str | int | None) -> Observation:
    return Observation(
        Source.NETBOX,
        DEVICE,
        Identity(source_id=str(id)),
        at(day),
        f"netbox device {id}",
        declared={"name": "sw1", **declared},
    )


def test_an_incremental_sync_marks_only_what_it_read_or_was_told_is_deleted() -> None:
    known = Snapshot(tuple(netbox_device(i, f"SN{i}") for i in (1, 2, 3)))
    incremental = Coverage(
        Source.NETBOX,
        source_ids=frozenset({(DEVICE, "1"), (DEVICE, "3")}),  # 1 changed, 3 deleted
    )
    first = plan([netbox(1)], known, incremental)
    assert [n.ref.id for n in first.not_seen] == [3]
    full = Coverage(Source.NETBOX, kinds=frozenset({DEVICE}))
    assert [n.ref.id for n in plan([netbox(1)], known, full).not_seen] == [2, 3]
    listed = Coverage(Source.NETBOX, kinds=frozenset({DEVICE}), present=frozenset({(DEVICE, "2")}))
    assert [n.ref.id for n in plan([netbox(1)], known, listed).not_seen] == [3]


def test_a_refused_observation_concludes_nothing_where_it_answered() -> None:
    a = KnownRecord(
        1, DEVICE, "sw1", address=HERE, marks=(SourceMark(Source.SNMP, HERE.text, at(1)),)
    )
    b = KnownRecord(
        2, DEVICE, "sw2", address=HERE, marks=(SourceMark(Source.SNMP, HERE.text, at(1)),)
    )
    first = plan(snmp_device(None, None, day=2), Snapshot((a, b)))
    assert [r.label for r in first.refused] == [HERE.text, f"{HERE.text}/eth0", f"{HERE.text}/eth1"]
    assert not first.not_seen


# -- discrepancies --------------------------------------------------------------------------


def with_snmp(record: KnownRecord, **said: str | int | None) -> KnownRecord:
    return KnownRecord(
        record.id,
        record.kind,
        record.name,
        record.serial,
        HERE,
        values=record.values,
        marks=(*record.marks, SourceMark(Source.SNMP, HERE.text, at(1))),
        said={**record.said, Source.SNMP: said},
    )


def test_a_source_that_disagrees_with_the_record_opens_a_discrepancy_with_every_value() -> None:
    known = Snapshot((netbox_device(1, "SN1"),))
    first, _ = run(snmp_device("SN2", "sw1", address=Endpoint("127.0.0.1", 1161)), known)
    # the serial differs from the known one: a new device, not a discrepancy
    assert first.creates
    known = Snapshot((netbox_device(1, None, model="N5K"),))
    first, _ = run(snmp_device(None, "sw1", day=2, model="N7K"), known)
    [opened] = first.discrepancies
    assert (opened.action, opened.kind, opened.field) == (
        DiscrepancyAction.OPEN,
        DiscrepancyKind.MISMATCH,
        "model",
    )
    assert dict(opened.values) == {"record": "N5K", "netbox": "N5K", "snmp": "N7K"}
    assert not first.updates or all(c.field != "model" for u in first.updates for c in u.changes)


def held(record_id: int, field: str, values: Facts, acknowledged: bool = True) -> KnownDiscrepancy:
    return KnownDiscrepancy(
        DiscrepancyKind.MISMATCH, DEVICE, record_id, field, values, acknowledged
    )


def test_an_acknowledged_discrepancy_stands_while_the_values_stay() -> None:
    record = with_snmp(netbox_device(1, None, model="N5K"), model="N7K")
    same = held(1, "model", {"record": "N5K", "netbox": "N5K", "snmp": "N7K"})
    seen = snmp_device(None, "sw1", day=2, interfaces=(), model="N7K")
    first = plan(seen, Snapshot((record,), (same,)))
    assert not first.discrepancies and first.is_empty


def test_an_acknowledged_discrepancy_whose_values_change_is_revised() -> None:
    record = with_snmp(netbox_device(1, None, model="N5K"), model="N7K")
    ack = held(1, "model", {"record": "N5K", "netbox": "N5K", "snmp": "N7K"})
    first, _ = run(snmp_device(None, "sw1", day=2, model="N9K"), Snapshot((record,), (ack,)))
    [revised] = first.discrepancies
    assert revised.action is DiscrepancyAction.REVISE
    assert revised.values["snmp"] == "N9K"


def test_sources_that_agree_again_resolve_the_discrepancy() -> None:
    record = with_snmp(netbox_device(1, None, model="N5K"), model="N7K")
    ack = held(1, "model", {"record": "N5K", "netbox": "N5K", "snmp": "N7K"})
    first, after = run(snmp_device(None, "sw1", day=2, model="n5k"), Snapshot((record,), (ack,)))
    assert [d.action for d in first.discrepancies] == [DiscrepancyAction.RESOLVE]
    assert not after.discrepancies


def test_a_run_that_did_not_state_the_field_resolves_nothing() -> None:
    record = with_snmp(netbox_device(1, None, model="N5K"), model="N7K")
    ack = held(1, "model", {"record": "N5K", "netbox": "N5K", "snmp": "N7K"})
    first = plan(snmp_device(None, "sw1", day=2), Snapshot((record,), (ack,)))
    assert not first.discrepancies


def test_an_incremental_sync_leaves_discrepancies_of_objects_it_did_not_read() -> None:
    one = with_snmp(netbox_device(1, None, model="N5K"), model="N7K")
    two = netbox_device(2, None, model="N5K")
    standing = held(1, "model", {"record": "N5K", "netbox": "N5K", "snmp": "N7K"}, False)
    incremental = Coverage(Source.NETBOX, source_ids=frozenset({(DEVICE, "2")}))
    first = plan([netbox(2, model="N5K")], Snapshot((one, two), (standing,)), incremental)
    assert not first.discrepancies and not first.not_seen


def test_sizes_disagree_as_host_sizing() -> None:
    record = with_snmp(netbox_device(1, None, ram_gb=64), ram_gb=62.7)
    first = plan(snmp_device(None, "sw1", day=2, ram_gb=32.0), Snapshot((record,)))
    assert [(d.kind, d.values["snmp"]) for d in first.discrepancies] == [
        (DiscrepancyKind.HOST_SIZING, 32.0)
    ]
    agreeing = snmp_device(None, "sw1", day=2, interfaces=(), ram_gb=62.7)
    assert plan(agreeing, Snapshot((record,))).is_empty


# -- who wins a field ------------------------------------------------------------------------


def test_a_declared_fact_wins() -> None:
    record = with_snmp(netbox_device(1, None, status="active"))
    first, _ = run([netbox(1, status="offline")], Snapshot((record,)), Coverage(Source.NETBOX))
    assert first.updates[0].changes == (Change("status", "active", "offline"),)


def test_a_source_may_change_its_own_word() -> None:
    """NetBox alone said the serial: a new serial there is NetBox correcting itself."""
    record = netbox_device(1, "SN1")
    obs = Observation(
        Source.NETBOX, DEVICE, Identity(source_id="1"), at(2), "nb 1", observed={"serial": "SN2"}
    )
    first, _ = run([obs], Snapshot((record,)), Coverage(Source.NETBOX))
    assert first.updates[0].changes == (Change("serial", "SN1", "SN2"),)
    assert not first.discrepancies


def test_a_value_another_source_vouches_for_is_kept() -> None:
    record = with_snmp(netbox_device(1, "SN1"), serial="SN1")
    obs = Observation(
        Source.NETBOX, DEVICE, Identity(source_id="1"), at(2), "nb 1", observed={"serial": "SN2"}
    )
    first, _ = run([obs], Snapshot((record,)), Coverage(Source.NETBOX))
    assert not first.updates
    assert dict(first.discrepancies[0].values) == {"record": "SN1", "snmp": "SN1", "netbox": "SN2"}


# -- what a plan refuses ---------------------------------------------------------------------


def test_one_device_answering_at_two_addresses_is_kept_at_the_first() -> None:
    """A router reached on two of its addresses: one serial, one device, whatever the order."""
    _, known = run(snmp_device(address=Endpoint("127.0.0.1", 1162)), Snapshot())
    twice = snmp_device(address=Endpoint("127.0.0.1", 1162), day=2) + snmp_device(day=2)
    first, after = run(twice, known)
    assert [f.item for f in refusals(first) if "/" not in f.item] == ["127.0.0.1:1162"]
    assert "the same device as 127.0.0.1:1161 (serial SN1)" in first.refused[0].reason
    assert [r.address for r in after.records if r.kind == DEVICE] == [HERE]
    fresh = plan(twice, Snapshot())
    assert [c.ref.new for c in fresh.creates if c.ref.kind == DEVICE] == [HERE.text]


def test_of_two_claims_on_one_record_the_stronger_key_keeps_it() -> None:
    """An agent at the record's address beats one that only shares its hostname: the
    latter is resolved again without the record, and is another device."""
    _, known = run(snmp_device(None, "sw1", Endpoint("127.0.0.1", 1162)), Snapshot())
    by_name = snmp_device(None, "sw1", day=2, interfaces=())
    by_address = snmp_device(None, None, Endpoint("127.0.0.1", 1162), day=2, interfaces=())
    first, _ = run(by_name + by_address, known)
    assert [c.ref.new for c in first.creates] == [HERE.text]
    assert [s.matched_by for s in first.seen if s.ref.id is not None] == [MatchedBy.ADDRESS]
    assert not first.refused


def test_two_claims_of_equal_strength_are_both_refused() -> None:
    _, known = run(snmp_device(None, "sw1", Endpoint("127.0.0.1", 1163)), Snapshot())
    twins = snmp_device(None, "sw1", day=2, interfaces=()) + snmp_device(
        None, "SW1.lan", Endpoint("127.0.0.1", 1162), day=2, interfaces=()
    )
    first, _ = run(twins, known)
    assert sorted(r.label for r in first.refused) == ["127.0.0.1:1161", "127.0.0.1:1162"]
    assert "claim one record: the run cannot tell which" in first.refused[0].reason
    assert not first.creates and not first.not_seen


def test_two_new_devices_that_share_a_hostname_are_two_devices() -> None:
    two = snmp_device(None, "localhost") + snmp_device(
        None, "localhost", Endpoint("127.0.0.1", 1162)
    )
    assert [c.ref.kind for c in plan(two, Snapshot()).creates].count(DEVICE) == 2


def test_an_interface_of_a_known_device_is_planned_without_the_device() -> None:
    """An incremental NetBox sync reads a changed interface, not its unchanged device."""
    dev = netbox_device(1, "SN1")
    itf = KnownRecord(
        10, INTERFACE, "eth0", parent_id=1, marks=(SourceMark(Source.NETBOX, "100", at(1)),)
    )
    obs = Observation(
        Source.NETBOX,
        INTERFACE,
        Identity(source_id="100", name="eth0"),
        at(2),
        "netbox interface 100",
        declared={"description": "uplink"},
        parent=Identity(source_id="1"),
    )
    first, _ = run([obs], Snapshot((dev, itf)), Coverage(Source.NETBOX))
    assert first.updates[0].ref == Ref(INTERFACE, 10)
    orphan = Observation(
        Source.NETBOX,
        INTERFACE,
        Identity(source_id="101"),
        at(2),
        "if 101",
        parent=Identity(source_id="9"),
    )
    assert plan([orphan], Snapshot((dev,)), Coverage(Source.NETBOX)).refused[0].label == "if 101"


def test_observations_of_another_source_are_a_programming_error() -> None:
    import pytest

    with pytest.raises(ValueError, match="not the run's"):
        plan(snmp_device(), Snapshot(), Coverage(Source.NETBOX))


def test_a_placeholder_serial_says_nothing() -> None:
    _, known = run(snmp_device("SN1"), Snapshot())
    first = plan(snmp_device("To be filled by O.E.M.", day=2), known)
    assert first.is_empty


def test_two_interfaces_of_one_name_keep_the_first() -> None:
    first = plan(snmp_device(interfaces=("eth0", "eth0")), Snapshot())
    assert [c.ref.kind for c in first.creates] == [DEVICE, INTERFACE]
    assert [(r.label, r.reason) for r in first.refused] == [
        (f"{HERE.text}/eth0", "listed twice in this run")
    ]
