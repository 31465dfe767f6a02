"""Migration 0012 renames SNMP discovery's "inventory" to the core's "record" in unsettled
discrepancies, so the first discovery after the upgrade reopens no acknowledgement —
on SQLite and PostgreSQL, up and down."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.choices import ChangeAction, DiscrepancyKind, DiscrepancyStatus, Role, RunKind, Source
from cmdb.db import make_engine
from cmdb.models import DiscoveryRun, Discrepancy, RecordSource, User
from cmdb.services.discrepancies import acknowledge
from cmdb.services.provenance import log_change
from discovery.core.coverage import Coverage
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_snapshot
from discovery.core.writer import apply_plan
from tests import factories
from tests.databases import upgrade_empty
from tests.unit.discovery.core.test_planner import HERE, snmp_device

MISMATCH, OPEN, ACK = (
    DiscrepancyKind.MISMATCH,
    DiscrepancyStatus.OPEN,
    DiscrepancyStatus.ACKNOWLEDGED,
)


def _row(session: Session, field: str, values: dict, status=OPEN, object_type="device"):
    row = Discrepancy(
        kind=MISMATCH,
        object_type=object_type,
        object_id=1,
        field=field,
        values=values,
        status=status,
    )
    session.add(row)
    return row


def test_unsettled_snmp_rows_are_renamed_and_nothing_else(empty_url: str) -> None:
    upgrade_empty(empty_url, "0011")
    engine = make_engine(empty_url)
    with Session(engine) as session, session.begin():
        _row(session, "model", {"inventory": "N5K", "snmp": "N7K"}, ACK)
        _row(session, "speed_mbps", {"inventory": 1000, "snmp": 10000}, object_type="interface")
        _row(session, "serial", {"inventory": "A", "snmp": "B"}, DiscrepancyStatus.RESOLVED)
        _row(session, "name", {"netbox": "a", "snmp": "b", "inventory": "a"})  # the audit's
    schema.upgrade(empty_url)
    with Session(engine) as session:
        after = [d.values for d in session.scalars(sa.select(Discrepancy).order_by(Discrepancy.id))]
    assert after == [
        {"record": "N5K", "snmp": "N7K"},
        {"record": 1000, "snmp": 10000},
        {"inventory": "A", "snmp": "B"},  # settled: history stays as written
        {"netbox": "a", "snmp": "b", "inventory": "a"},
    ]
    schema.downgrade(empty_url, "0011")
    with Session(engine) as session:
        first = session.scalars(sa.select(Discrepancy).order_by(Discrepancy.id)).first()
        assert first is not None and first.values == {"inventory": "N5K", "snmp": "N7K"}
    engine.dispose()


def test_an_acknowledged_snmp_discrepancy_stays_acknowledged_after_the_upgrade(
    empty_url: str,
) -> None:
    """What SNMP discovery wrote before the core, acknowledged, then the core's first run
    (which lists a person's word beside SNMP's: the migration adds it)."""
    upgrade_empty(empty_url)
    engine = make_engine(empty_url)
    at = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)
    with Session(engine) as session, session.begin():
        device = factories.server(session, name="sw1", serial="SN1", model="N5K", cores=None)
        session.add(
            RecordSource(
                object_type="device",
                object_id=device.id,
                source=Source.SNMP,
                external_id=HERE.text,
                first_seen_at=at,
                last_seen_at=at,
            )
        )
        session.add(User(username="lan", role=Role.ENGINEER))
        log_change(  # a person typed the model the record holds
            session,
            actor="lan",
            action=ChangeAction.UPDATE,
            obj=device,
            object_repr="sw1",
            before={"model": "N3K"},
            after={"model": "N5K"},
        )
        session.flush()
        row = _row(session, "model", {"inventory": "N5K", "snmp": "N7K"})
        row.object_id = device.id
        session.flush()
        acknowledge(row, by="engineer", comment="NetBox is behind the swap")
        site_id = device.site_id
    schema.downgrade(empty_url, "0011")  # the row as SNMP discovery left it, then the upgrade
    schema.upgrade(empty_url)
    with Session(engine) as session, session.begin():
        run = DiscoveryRun(source=Source.SNMP, kind=RunKind.DISCOVERY)
        session.add(run)
        session.flush()
        observations = snmp_device(day=2, model="N7K", ram_gb=None)
        coverage = Coverage(Source.SNMP, addresses=frozenset({HERE}))
        defaults = {observations[0].kind: {"site_id": site_id, "role": "switch"}}
        plan = plan_observations(observations, load_snapshot(session), coverage, defaults)
        assert not plan.discrepancies, plan.discrepancies
        apply_plan(session, plan, run)
    with Session(engine) as session:
        kept = session.scalars(sa.select(Discrepancy)).one()
        assert (kept.status, kept.note) == (ACK, "NetBox is behind the swap")
        assert kept.values == {"record": "N5K", "manual": "N5K", "snmp": "N7K"}
    engine.dispose()
