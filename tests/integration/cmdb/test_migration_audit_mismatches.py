"""Migration 0026: the audit's unsettled mismatches take the record's value under
``record``, the discovery core's shape, so the first audit or NetBox sync after the
upgrade reopens no acknowledgement — on SQLite and PostgreSQL, up and down.

The records are made with today's models at head; the database is then taken down to
0025 and given the discrepancies the old audit wrote with SQL (the models hold what
later revisions add)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb import schema
from cmdb.choices import DiscrepancyStatus, Source
from cmdb.db import make_engine
from cmdb.models import Discrepancy, Interface
from discovery.audit.run import run_audit
from discovery.core.coverage import Coverage
from discovery.core.observations import Identity, Observation, RecordKind
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_snapshot
from tests import factories
from tests.integration.discovery.audit_data import NOW, ago, observe, observe_snmp, run, seen

AT = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def _table(conn: sa.Connection) -> sa.Table:
    """The discrepancy table as the database has it now (0025's, when taken down there)."""
    return sa.Table("discrepancy", sa.MetaData(), autoload_with=conn)


def _old_rows(url: str, rows: list[tuple[str, int, str, dict[str, Any], str]]) -> None:
    """The discrepancies as the old audit (and the other writers) left them at 0025."""
    engine = make_engine(url)
    with engine.begin() as conn:
        discrepancy = _table(conn)
        for object_type, object_id, field, values, status in rows:
            acknowledged = status == "acknowledged"
            conn.execute(
                sa.insert(discrepancy).values(
                    kind="mismatch",
                    object_type=object_type,
                    object_id=object_id,
                    field=field,
                    values=values,
                    status=status,
                    opened_at=AT,
                    acknowledged_by="lan" if acknowledged else None,
                    note="NetBox is behind the RMA" if acknowledged else None,
                )
            )
    engine.dispose()


def _values(url: str) -> list[dict[str, Any]]:
    engine = make_engine(url)
    with engine.connect() as conn:
        discrepancy = _table(conn)
        found = conn.execute(sa.select(discrepancy.c["values"]).order_by(discrepancy.c.id))
        values = [v for (v,) in found]
    engine.dispose()
    return values


def test_the_audits_unsettled_rows_take_the_records_value_and_nothing_else(
    empty_url: str,
) -> None:
    schema.upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as session, session.begin():
        device = factories.server(session, name="sw1", serial="FOC1", model="C9300")
        port = Interface(device=device, name="Gi1/0/1", speed_mbps=1000)
        session.add(port)
        link = factories.link(session, commit_rate_mbps=100)
        session.flush()
        ids = device.id, port.id, link.id
    engine.dispose()
    schema.downgrade(empty_url, "0025")
    device_id, port_id, link_id = ids
    ack, open_, resolved = "acknowledged", "open", "resolved"
    old = [
        ("device", device_id, "serial", {"netbox": "FOC1", "snmp": "FOC9"}, ack),
        ("interface", port_id, "speed_mbps", {"netbox": 1000, "snmp": 10000}, open_),
        ("link", link_id, "commit_rate_mbps", {"netbox": 200, "manual": 100}, open_),
        ("device", device_id, "model", {"netbox": "C9300", "ansible": "R750"}, resolved),
        ("device", 999_999, "serial", {"netbox": "GONE", "snmp": "X"}, open_),  # record gone
        ("device", device_id, "name", {"record": "sw1", "netbox": "sw1", "snmp": "sw2"}, open_),
        ("device", device_id, "platform", {"netbox": "IOS 15", "ansible": "IOS 17"}, open_),
        ("device", device_id, "manufacturer", {"record": "Cisco", "snmp": "HPE"}, open_),
    ]
    _old_rows(empty_url, old)
    schema.upgrade(empty_url)
    assert _values(empty_url) == [
        {"record": "FOC1", "netbox": "FOC1", "snmp": "FOC9"},
        {"record": 1000, "netbox": 1000, "snmp": 10000},
        {"record": 100, "netbox": 200, "manual": 100},
        {"netbox": "C9300", "ansible": "R750"},  # settled: history stays as written
        {"netbox": "GONE", "snmp": "X"},  # nothing to take the value of: the audit resolves it
        {"record": "sw1", "netbox": "sw1", "snmp": "sw2"},  # a run's, already the core's shape
        {"netbox": "IOS 15", "ansible": "IOS 17"},  # not a field the audit sweeps
        {"record": "Cisco", "snmp": "HPE"},  # SNMP's own: no NetBox value
    ]
    schema.downgrade(empty_url, "0025")
    after_downgrade = _values(empty_url)
    assert after_downgrade[:3] == [values for _, _, _, values, _ in old[:3]]
    assert after_downgrade[5] == {"netbox": "sw1", "snmp": "sw2"}  # the old audit's shape
    assert after_downgrade[7] == {"record": "Cisco", "snmp": "HPE"}


def test_an_acknowledged_audit_mismatch_stays_acknowledged_after_the_upgrade(
    empty_url: str,
) -> None:
    """The old audit's acknowledged row, then the upgrade, the first audit and the first
    NetBox sync's plan: the values they find are the row's, so it stays acknowledged."""
    schema.upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as session, session.begin():
        device = factories.server(
            session,
            name="sw-core-1",
            management_address="10.0.0.1",
            serial="FOC123",
            model="C9300",
        )
        sync = run(session, Source.NETBOX, ago(hours=5))
        seen(session, device, Source.NETBOX, ago(hours=5))
        seen(session, device, Source.SNMP, ago(hours=1))
        observe(session, sync, device, name="sw-core-1", serial="FOC123", model="C9300")
        discovery = run(session, Source.SNMP, ago(hours=1))
        observe_snmp(session, discovery, device, name="sw-core-1", serial="FOC999", model="C9300")
        device_id = device.id
    engine.dispose()
    schema.downgrade(empty_url, "0025")
    old = {"netbox": "FOC123", "snmp": "FOC999"}
    _old_rows(empty_url, [("device", device_id, "serial", old, "acknowledged")])
    schema.upgrade(empty_url)
    engine = make_engine(empty_url)
    with Session(engine) as session, session.begin():
        result = run_audit(session, now=NOW)
        assert result.counts.as_dict()["confirmed"] == {"mismatch": 1}
        netbox = Observation(
            Source.NETBOX,
            RecordKind.DEVICE,
            Identity(source_id=f"netbox-{device_id}", serial="FOC123", name="sw-core-1"),
            NOW,
            f"netbox device {device_id}",
            declared={"name": "sw-core-1"},
            observed={"serial": "FOC123", "model": "C9300"},
        )
        plan = plan_observations(
            [netbox], load_snapshot(session), Coverage(Source.NETBOX, source_ids=frozenset())
        )
        assert plan.discrepancies == ()
    with Session(engine) as session:
        kept = session.scalars(sa.select(Discrepancy)).one()
        assert (kept.status, kept.note) == (
            DiscrepancyStatus.ACKNOWLEDGED,
            "NetBox is behind the RMA",
        )
        assert kept.values == {"record": "FOC123", "netbox": "FOC123", "snmp": "FOC999"}
    engine.dispose()
