"""The core's one writer on a real database: a plan becomes rows, record sources, change
log, observations and discrepancies, in the caller's transaction — and the inventory it
leaves, read back, plans nothing more.

``snapshot_of`` is the core's snapshot loader (``discovery.core.snapshot``).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DeviceRole, DiscrepancyKind, DiscrepancyStatus, RunKind, Source
from cmdb.models import (
    ChangeLog,
    Device,
    DiscoveryRun,
    Discrepancy,
    Observation,
    RecordSource,
)
from cmdb.services.discrepancies import acknowledge
from discovery.core.coverage import Coverage
from discovery.core.known import Snapshot
from discovery.core.observations import Endpoint, RecordKind
from discovery.core.observations import Observation as Seen
from discovery.core.plan import DiscrepancyAction, Plan
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_snapshot
from discovery.core.writer import Applied, apply_plan
from tests import factories
from tests.unit.discovery.core.test_planner import snmp_device

HERE = Endpoint("127.0.0.1", 1161)
DEVICE, INTERFACE = RecordKind.DEVICE, RecordKind.INTERFACE


def at(day: int) -> datetime:
    return datetime(2026, 11, day, 3, 0, tzinfo=UTC)


@pytest.fixture
def site_id(session: Session) -> int:
    return factories.site(session).id


def snapshot_of(session: Session) -> Snapshot:
    """The core's snapshot loader: what the planner compares with, read back."""
    return load_snapshot(session)


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def discover(session: Session, site_id: int, observations: list[Seen]) -> tuple[Plan, Applied]:
    """One SNMP run: plan against what the database holds, write, in one transaction."""
    run = DiscoveryRun(source=Source.SNMP, kind=RunKind.DISCOVERY)
    session.add(run)
    session.flush()
    coverage = Coverage(
        Source.SNMP,
        addresses=frozenset(o.identity.address for o in observations if o.identity.address),
    )
    defaults = {DEVICE: {"site_id": site_id, "role": "switch"}}
    plan = plan_observations(observations, snapshot_of(session), coverage, defaults)
    return plan, apply_plan(session, plan, run)


def device_named(session: Session, name: str) -> Device:
    return session.scalars(sa.select(Device).where(Device.name == name)).one()


def snmp_mark(session: Session, object_type: str, object_id: int) -> RecordSource:
    return session.scalars(
        sa.select(RecordSource).where(
            RecordSource.object_type == object_type,
            RecordSource.object_id == object_id,
            RecordSource.source == Source.SNMP,
        )
    ).one()


def test_a_new_device_is_written_with_its_interfaces_sources_log_and_observations(
    session: Session, site_id: int
) -> None:
    _, applied = discover(session, site_id, snmp_device(day=1))
    sw1 = device_named(session, "sw1")
    assert (sw1.site_id, sw1.role, sw1.serial) == (site_id, DeviceRole.SWITCH, "SN1")
    assert sorted(i.name for i in sw1.interfaces) == ["eth0", "eth1"]
    assert snmp_mark(session, "device", sw1.id).external_id == HERE.text
    log = session.scalars(sa.select(ChangeLog).where(ChangeLog.object_type == "device")).one()
    assert (log.actor, log.after["name"], log.before) == ("snmp-discovery", "sw1", None)
    assert applied.observations == 3
    stored = session.scalars(sa.select(Observation).where(Observation.object_id == sw1.id)).first()
    assert stored is not None and stored.data["fields"]["serial"] == "SN1"


def test_the_inventory_written_plans_nothing_more(session: Session, site_id: int) -> None:
    discover(session, site_id, snmp_device(day=1, model="N5K"))
    again, _ = discover(session, site_id, snmp_device(day=2, model="N5K"))
    assert again.is_empty, again


def test_another_serial_at_the_address_is_a_second_device_and_no_interface_moves(
    session: Session, site_id: int
) -> None:
    discover(session, site_id, snmp_device("SN1", "sw1", day=1))
    old = device_named(session, "sw1")
    old_ifs = {i.id for i in old.interfaces}
    plan, _ = discover(session, site_id, snmp_device("SN2", "sw2", day=2, interfaces=("ge-0/0/0",)))
    assert [n.ref.id for n in plan.not_seen if n.ref.kind == DEVICE] == [old.id]
    session.expire_all()
    new = device_named(session, "sw2")
    assert {i.id for i in device_named(session, "sw1").interfaces} == old_ifs
    assert [i.name for i in new.interfaces] == ["ge-0/0/0"]
    assert _utc(snmp_mark(session, "device", old.id).last_seen_at) == at(1)
    assert _utc(snmp_mark(session, "device", new.id).last_seen_at) == at(2)


def test_an_update_is_logged_with_before_and_after(session: Session, site_id: int) -> None:
    discover(session, site_id, snmp_device(day=1, firmware="6.0"))
    discover(session, site_id, snmp_device(day=2, firmware="7.1"))
    sw1 = device_named(session, "sw1")
    log = session.scalars(
        sa.select(ChangeLog).where(ChangeLog.action == "update", ChangeLog.object_id == sw1.id)
    ).one()
    assert (log.before, log.after) == ({"firmware": "6.0"}, {"firmware": "7.1"})
    assert sw1.firmware == "7.1"


def test_an_acknowledgement_stands_until_the_values_change_then_agreement_resolves(
    session: Session, site_id: int
) -> None:
    discover(session, site_id, snmp_device(day=1))
    sw1 = device_named(session, "sw1")
    sw1.model = "N5K"  # a person's value, which SNMP then contradicts
    session.flush()
    plan, _ = discover(session, site_id, snmp_device(day=2, model="N7K"))
    assert [d.action for d in plan.discrepancies] == [DiscrepancyAction.OPEN]
    row = session.scalars(sa.select(Discrepancy)).one()
    assert (row.kind, row.values) == (DiscrepancyKind.MISMATCH, {"record": "N5K", "snmp": "N7K"})
    acknowledge(row, by="engineer", comment="the chassis was swapped, NetBox is behind")
    session.flush()
    plan, _ = discover(session, site_id, snmp_device(day=3, model="N7K"))
    assert not plan.discrepancies and row.status is DiscrepancyStatus.ACKNOWLEDGED
    discover(session, site_id, snmp_device(day=4, model="N9K"))
    assert (row.status, row.values["snmp"]) == (DiscrepancyStatus.OPEN, "N9K")
    discover(session, site_id, snmp_device(day=5, model="N5K"))
    assert row.status is DiscrepancyStatus.RESOLVED
    assert row.note == "the chassis was swapped, NetBox is behind"


def test_the_writer_never_commits(
    session: Session, site_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse() -> None:
        raise AssertionError("the writer committed")

    monkeypatch.setattr(session, "commit", refuse)
    discover(session, site_id, snmp_device(day=1))
    assert session.in_transaction()


def test_a_source_that_says_nothing_new_adds_no_observation(session: Session, site_id: int) -> None:
    """The writer's rule for every source: an observation only when the facts changed;
    the mark's "last seen" still moves."""
    _, first = discover(session, site_id, snmp_device(day=1, firmware="6.0"))
    _, again = discover(session, site_id, snmp_device(day=2, firmware="6.0"))
    assert (first.observations, again.observations, again.observed) == (3, 0, frozenset())
    sw1 = device_named(session, "sw1")
    assert _utc(snmp_mark(session, "device", sw1.id).last_seen_at) == at(2)
    plan, changed = discover(session, site_id, snmp_device(day=3, firmware="7.1"))
    assert changed.observed == {s.ref for s in plan.seen if s.ref.kind == DEVICE}
    stored = session.scalars(
        sa.select(Observation).where(
            Observation.object_type == "device", Observation.object_id == sw1.id
        )
    ).all()
    assert [o.data["fields"]["firmware"] for o in stored] == ["6.0", "7.1"]
