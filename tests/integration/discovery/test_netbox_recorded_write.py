"""NetBox 4.7.3's recorded answers, planned by the core and written by its writer into a
real database, twice: the second plan is empty (every kind, declared empty values
included), the marks move in bulk, and the observation rows are NetBox's word on what
the audit compares (written once: the second sync says nothing new). Fast: no NetBox
peer (``tests/integration/netbox`` has the live ones).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import RunKind, Source
from cmdb.models import ChangeLog, Link, Observation, RecordSource
from discovery.core.lifecycle import new_run, start_run
from discovery.core.plan import Plan
from discovery.core.planner import plan_observations
from discovery.core.snapshot import load_snapshot
from discovery.core.writer import apply_plan
from discovery.netbox.mapping import map_all
from discovery.netbox.observe import KIND_OF, coverage_of, observe_all
from discovery.netbox.records import Fetched

RECORDING = Path(__file__).parents[2] / "fixtures" / "netbox" / "quang-nam-4.7.3.json"
FIRST = datetime(2026, 11, 1, 3, 0, tzinfo=UTC)


def _fetched() -> Fetched:
    raw = json.loads(RECORDING.read_text())
    sites = {int(k): v for k, v in raw["device_sites"].items()}
    return Fetched(data=raw["data"], device_sites=sites)


def _sync(session: Session, at: datetime) -> Plan:
    mapped = map_all(_fetched())
    run = start_run(session, new_run(source=Source.NETBOX, kind=RunKind.SYNC, target="rec"))
    snapshot = load_snapshot(session, tuple(KIND_OF.values()))
    plan = plan_observations(observe_all(mapped, at), snapshot, coverage_of(mapped))
    apply_plan(session, plan, run)
    return plan


def test_the_recorded_netbox_written_twice_changes_nothing_the_second_time(
    session: Session,
) -> None:
    first = _sync(session, FIRST)
    assert len(first.creates) == 28 and first.refused == ()
    logged = session.scalar(sa.select(sa.func.count()).select_from(ChangeLog))
    kinds = set(session.scalars(sa.select(Observation.object_type).distinct()))
    assert kinds == {"device", "interface", "workload", "link"}

    later = FIRST + timedelta(days=1)
    second = _sync(session, later)
    assert second.is_empty and second.updates == () and second.not_seen == ()
    assert session.scalar(sa.select(sa.func.count()).select_from(ChangeLog)) == logged
    marks = session.scalars(
        sa.select(RecordSource.last_seen_at).where(RecordSource.source == Source.NETBOX)
    ).all()
    assert len(marks) == 28  # one NetBox mark per record, each moved to the second sync
    assert {m.replace(tzinfo=UTC) for m in marks} == {later}
    cable = session.scalars(sa.select(Link).where(Link.a_site_id == Link.b_site_id)).one()
    cable_said = session.scalars(
        sa.select(Observation.data).where(
            Observation.object_type == "link", Observation.object_id == cable.id
        )
    ).all()
    # NetBox's word on what the audit compares, once: the second sync said nothing new
    assert [d["fields"] for d in cable_said] == [{"port_speed_mbps": 10000.0}]
