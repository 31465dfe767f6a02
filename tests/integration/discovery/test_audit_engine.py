"""The audit on a real database (SQLite and PostgreSQL): findings become discrepancies,
confirmations keep one row, agreement resolves it, acknowledgements hold until the
values change, the runs' rows on other fields are left alone, and the loader's query
count is fixed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, RunKind, RunStatus, Source
from cmdb.models import Discrepancy, Interface
from cmdb.services.discrepancies import acknowledge, raise_discrepancy
from discovery.audit.load import load_views
from discovery.audit.run import run_audit
from tests import factories as f
from tests.integration.discovery.audit_data import (
    NOW,
    ago,
    observe,
    observe_snmp,
    person_edit,
    run,
    seen,
)


def rows(session: Session, kind: DiscrepancyKind | None = None) -> list[Discrepancy]:
    stmt = sa.select(Discrepancy).order_by(Discrepancy.id)
    if kind is not None:
        stmt = stmt.where(Discrepancy.kind == kind)
    return list(session.scalars(stmt))


def documented_switch(session: Session, serial_seen: str = "FOC123") -> tuple:
    """A switch NetBox declares (synced 5 h ago) and SNMP answered an hour ago."""
    device = f.server(
        session, name="sw-core-1", management_address="10.0.0.1", serial="FOC123", model="C9300"
    )
    sync = run(session, Source.NETBOX, ago(hours=5))
    discovery = run(session, Source.SNMP, ago(hours=1))
    seen(session, device, Source.NETBOX, ago(hours=5))
    seen(session, device, Source.SNMP, ago(hours=1))
    observe(session, sync, device, name="sw-core-1", serial="FOC123", model="C9300")
    observe_snmp(session, discovery, device, name="sw-core-1", serial=serial_seen, model="C9300")
    return device, sync, discovery


def test_a_disagreement_is_opened_confirmed_then_resolved(session: Session) -> None:
    device, _, _ = documented_switch(session, serial_seen="FOC999")
    first = run_audit(session, now=NOW)
    [row] = rows(session)
    assert (row.kind, row.object_id, row.field) == (DiscrepancyKind.MISMATCH, device.id, "serial")
    assert row.values == {"record": "FOC123", "netbox": "FOC123", "snmp": "FOC999"}
    assert first.counts.as_dict()["opened"] == {"mismatch": 1}

    later = NOW + timedelta(days=1)
    again = run_audit(session, now=later)
    assert [r.id for r in rows(session)] == [row.id]
    assert again.counts.as_dict()["confirmed"] == {"mismatch": 1}
    assert row.last_seen_at.replace(tzinfo=later.tzinfo) == later

    observe_snmp(
        session,
        run(session, Source.SNMP, later),
        device,
        name="sw-core-1",
        serial="FOC123",
        model="C9300",
    )
    settled = run_audit(session, now=later + timedelta(hours=1))
    assert settled.counts.as_dict()["resolved"] == {"mismatch": 1}
    assert row.status is DiscrepancyStatus.RESOLVED and row.resolved_at is not None


def test_acknowledged_stays_until_the_values_change(session: Session) -> None:
    device, _, _ = documented_switch(session, serial_seen="FOC999")
    run_audit(session, now=NOW)
    [row] = rows(session)
    acknowledge(row, by="lan", comment="RMA replacement, NetBox to be fixed")
    run_audit(session, now=NOW + timedelta(hours=1))
    assert row.status is DiscrepancyStatus.ACKNOWLEDGED

    observe_snmp(
        session,
        run(session, Source.SNMP, NOW),
        device,
        name="sw-core-1",
        serial="FOC777",
        model="C9300",
    )
    result = run_audit(session, now=NOW + timedelta(hours=2))
    assert row.status is DiscrepancyStatus.OPEN
    assert row.values == {"record": "FOC123", "netbox": "FOC123", "snmp": "FOC777"}
    assert result.counts.as_dict()["reopened"] == {"mismatch": 1}


def test_documented_device_that_never_answers_then_answers(session: Session) -> None:
    device = f.server(session, management_address="10.0.0.9")
    run(session, Source.NETBOX, ago(hours=5))
    seen(session, device, Source.NETBOX, ago(hours=5))
    run_audit(session, now=NOW)
    [row] = rows(session)
    assert (row.kind, row.field) == (DiscrepancyKind.NOT_ON_NETWORK, "presence")
    assert row.values == {"netbox": "10.0.0.9", "snmp": None}

    seen(session, device, Source.SNMP, NOW)
    run_audit(session, now=NOW + timedelta(minutes=5))
    assert row.status is DiscrepancyStatus.RESOLVED


def test_not_in_netbox_only_once_a_sync_has_succeeded(session: Session) -> None:
    device = f.server(session, management_address="10.0.0.7")
    seen(session, device, Source.SNMP, ago(hours=1))
    run(session, Source.NETBOX, ago(hours=5), status=RunStatus.FAILED)
    run_audit(session, now=NOW)
    assert rows(session) == []

    run(session, Source.NETBOX, ago(hours=3))
    run_audit(session, now=NOW)
    [row] = rows(session)
    assert (row.kind, row.object_id) == (DiscrepancyKind.NOT_IN_NETBOX, device.id)
    assert row.values == {"snmp": "10.0.0.7", "netbox": None}


def test_a_runs_mismatch_is_the_audits_finding_and_other_fields_are_left_to_the_runs(
    session: Session,
) -> None:
    """SNMP discovery's row on an audited field holds the core's values, which are what
    the audit finds: confirmed as it stands, its acknowledgement kept. A mismatch on a
    field the audit does not sweep (a platform Ansible disputes) is the runs' alone."""
    device, _, _ = documented_switch(session, serial_seen="FOC999")
    theirs, _ = raise_discrepancy(
        session,
        kind=DiscrepancyKind.MISMATCH,
        object_type="device",
        object_id=device.id,
        field="serial",
        values={"snmp": "FOC999", "netbox": "FOC123", "record": "FOC123"},
    )
    session.flush()
    acknowledge(theirs, by="lan", comment="RMA")
    other, _ = raise_discrepancy(
        session,
        kind=DiscrepancyKind.MISMATCH,
        object_type="device",
        object_id=device.id,
        field="platform",
        values={"record": "IOS-XE 17", "ansible": "IOS-XE 16"},
    )
    result = run_audit(session, now=NOW)
    assert result.counts.as_dict()["confirmed"] == {"mismatch": 1}
    assert (theirs.status, theirs.note) == (DiscrepancyStatus.ACKNOWLEDGED, "RMA")
    assert other.status is DiscrepancyStatus.OPEN  # no finding of the audit, not its row
    assert len(rows(session)) == 2


def test_a_persons_edit_against_netbox(session: Session) -> None:
    device = f.server(session, name="db-01", management_address="10.0.1.1", model="R750")
    sync = run(session, Source.NETBOX, ago(hours=5))
    seen(session, device, Source.NETBOX, ago(hours=5))
    seen(session, device, Source.SNMP, ago(hours=1))
    observe(session, sync, device, name="db-01", model="R740")
    person_edit(session, device, "hoa.nt", model="R750")
    run_audit(session, now=NOW)
    [row] = rows(session)
    assert (row.field, row.values) == (
        "model",
        {"record": "R750", "manual": "R750", "netbox": "R740"},
    )

    device.model = "R740"  # the next import wrote NetBox's value: the edit no longer stands
    session.flush()
    run_audit(session, now=NOW + timedelta(hours=1))
    assert row.status is DiscrepancyStatus.RESOLVED


def test_a_circuit_committed_above_its_port(session: Session) -> None:
    a, b = f.server(session), f.server(session)
    a_if = Interface(device=a, name="Gi0/1", speed_mbps=100)
    b_if = Interface(device=b, name="Te1/1", speed_mbps=10_000)
    session.add_all([a_if, b_if])
    session.flush()
    link = f.link(
        session,
        a_site=a.site,
        b_site=b.site,
        a_interface=a_if,
        b_interface=b_if,
        commit_rate_mbps=50.0,
    )
    sync = run(session, Source.NETBOX, ago(hours=5))
    observe(session, sync, link, commit_rate_mbps=200)
    seen(session, a_if, Source.SNMP, ago(hours=1))
    seen(session, b_if, Source.SNMP, ago(hours=1))
    run_audit(session, now=NOW)
    [row] = rows(session, DiscrepancyKind.SPEED_VS_COMMIT)
    assert row.object_id == link.id
    assert row.values == {"netbox": {"commit_rate_mbps": 200}, "snmp": {"speed_mbps": 100}}


def test_the_run_is_recorded_with_its_counts(session: Session) -> None:
    documented_switch(session, serial_seen="FOC999")
    result = run_audit(session, now=NOW, requested_by="lan")
    assert (result.run.kind, result.run.status) == (RunKind.AUDIT, RunStatus.SUCCEEDED)
    assert result.run.requested_by == "lan"
    assert result.run.stats["opened"] == {"mismatch": 1}
    assert result.run.stats["records"] == result.records >= 1


@contextmanager
def statements(session: Session) -> Iterator[list[str]]:
    sent: list[str] = []
    connection = session.connection()

    def record(*args: object) -> None:
        sent.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(connection, "before_cursor_execute", record)


def test_loading_costs_the_same_queries_for_two_or_twenty_devices(session: Session) -> None:
    def grow(count: int) -> None:
        sync = run(session, Source.NETBOX, ago(hours=5))
        for _ in range(count):
            device = f.server(session)
            session.add(Interface(device=device, name="eth0", speed_mbps=1000))
            seen(session, device, Source.NETBOX, ago(hours=5))
            observe(session, sync, device, serial="X")
        session.flush()

    grow(2)
    with statements(session) as small:
        load_views(session)
    grow(18)
    with statements(session) as large:
        load_views(session)
    assert len(small) == len(large) <= 7
