"""The core's snapshot loader on a real database: what the planner compares with — the
address SNMP last found each agent at, each source's latest word (SNMP's older shape
too), a person's values while the record holds them, JSON lists as tuples — in the same
few statements for two devices or twenty."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, DiscrepancyKind, Role, Source
from cmdb.models import Interface, User
from cmdb.services.discrepancies import raise_discrepancy
from cmdb.services.provenance import log_change
from discovery.core.observations import Endpoint, RecordKind
from discovery.core.snapshot import load_records, load_snapshot, parse_endpoint
from tests import factories as f
from tests.integration.discovery.audit_data import ago, observe, observe_snmp, run, seen
from tests.integration.discovery.test_audit_engine import statements

DEVICE, INTERFACE = RecordKind.DEVICE, RecordKind.INTERFACE


def _record(session: Session, kind: RecordKind, record_id: int):
    [found] = [r for r in load_snapshot(session).records if (r.kind, r.id) == (kind, record_id)]
    return found


def test_the_address_is_where_snmp_found_the_agent_else_the_management_address(
    session: Session,
) -> None:
    marked = f.server(session, management_address="10.0.0.9")
    mark = seen(session, marked, Source.SNMP, ago(hours=1))
    mark.external_id = "127.0.0.1:1161"
    plain = f.server(session, management_address=" 10.0.0.7 ")
    session.flush()
    assert _record(session, DEVICE, marked.id).address == Endpoint("127.0.0.1", 1161)
    assert _record(session, DEVICE, plain.id).address == Endpoint("10.0.0.7")


def test_snmp_marks_without_a_port_are_snmps_own_port() -> None:
    assert parse_endpoint("10.0.0.1", 161) == Endpoint("10.0.0.1", 161)
    assert parse_endpoint("[2001:db8::1]:1161") == Endpoint("2001:db8::1", 1161)
    assert parse_endpoint("2001:db8::1", 161) == Endpoint("2001:db8::1", 161)


def test_each_sources_latest_word_and_a_persons_values_while_the_record_holds_them(
    session: Session,
) -> None:
    device = f.server(session, name="sw1", model="N5K", serial="SN1")
    old = run(session, Source.SNMP, ago(days=2))
    observe_snmp(session, old, device, name="sw1", serial="SN1", model="N3K")
    newer = run(session, Source.NETBOX, ago(days=1))
    observe(session, newer, device, model="N5K", role="switch", tags=["a", "b"])
    session.add(User(username="lan", role=Role.ENGINEER))
    for field, value in (("model", "N5K"), ("serial", "OLD")):
        log_change(
            session,
            actor="lan",  # a person (a user), not a job
            action=ChangeAction.UPDATE,
            obj=device,
            object_repr=device.name,
            before=None,
            after={field: value},
        )
    session.flush()
    record = _record(session, DEVICE, device.id)
    assert record.said[Source.SNMP] == {"name": "sw1", "serial": "SN1", "model": "N3K"}
    assert record.said[Source.NETBOX] == {"model": "N5K", "role": "switch", "tags": ("a", "b")}
    # the serial a person gave was overwritten since: no longer their word on the record
    assert record.said[Source.MANUAL] == {"model": "N5K"}


def test_interfaces_with_their_host_lists_as_tuples_and_unsettled_discrepancies(
    session: Session,
) -> None:
    itf = f.interface(session, ip_addresses=["10.0.0.1", "10.0.0.2"])
    raise_discrepancy(
        session,
        kind=DiscrepancyKind.MISMATCH,
        object_type="interface",
        object_id=itf.id,
        field="speed_mbps",
        values={"record": 1000, "snmp": 10000},
    )
    session.flush()
    snapshot = load_snapshot(session)
    record = next(r for r in snapshot.records if (r.kind, r.id) == (INTERFACE, itf.id))
    assert record.parent_id == itf.device_id
    assert record.values["ip_addresses"] == ("10.0.0.1", "10.0.0.2")
    [held] = snapshot.discrepancies
    assert held.slot == (DiscrepancyKind.MISMATCH, INTERFACE, itf.id, "speed_mbps")


def test_loading_costs_the_same_statements_for_two_or_twenty_devices(session: Session) -> None:
    def grow(count: int) -> None:
        sync = run(session, Source.SNMP, ago(hours=5))
        for _ in range(count):
            device = f.server(session)
            session.add(Interface(device=device, name="eth0", speed_mbps=1000))
            seen(session, device, Source.SNMP, ago(hours=5))
            observe(session, sync, device, serial="X")
        session.flush()

    grow(2)
    with statements(session) as small:
        load_snapshot(session)
    grow(18)
    with statements(session) as large:
        load_snapshot(session)
    assert len(small) == len(large) <= 9
    assert sum(1 for s in small if "FROM device" in s) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Interface)) == 20


def test_records_of_a_scope_are_read_as_the_whole_snapshot_reads_them(session: Session) -> None:
    """``load_records``: the same records, marks, words and discrepancies, only fewer."""
    device = f.server(session, name="sw1", model="N5K", serial="SN1")
    itf = f.interface(session, device=device, ip_addresses=["10.0.0.1"])
    other = f.server(session, name="sw2")
    f.interface(session, device=other)
    sync = run(session, Source.SNMP, ago(days=1))
    for record in (device, other):
        seen(session, record, Source.SNMP, ago(days=1))
        observe(session, sync, record, model="N3K")
    for record in (itf, device, other):
        raise_discrepancy(
            session,
            kind=DiscrepancyKind.MISMATCH,
            object_type="interface" if record is itf else "device",
            object_id=record.id,
            field="model",
            values={"record": "N5K", "snmp": "N3K"},
        )
    session.flush()
    whole = load_snapshot(session)
    scoped = load_records(session, {DEVICE: [device.id], INTERFACE: [itf.id]})
    mine = {(DEVICE, device.id), (INTERFACE, itf.id)}
    assert scoped.records == tuple(r for r in whole.records if (r.kind, r.id) in mine)
    assert scoped.discrepancies == tuple(
        d for d in whole.discrepancies if (d.record_kind, d.record_id) in mine
    )
    assert scoped.records[0].said[Source.SNMP] == {"model": "N3K"}
