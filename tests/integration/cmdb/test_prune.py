"""``cmdb.services.prune`` on each backend: what goes, what must stay, and that the
rollups' answers do not change.

The day is 2026-03-01. Raw samples, hourly every 2 hours, for the 40 days before it;
retention: raw 35 days, hourly 37 days, results 90 days.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind, RunKind, RunStatus, Source
from cmdb.errors import ValidationError
from cmdb.models import (
    DiscoveryResult,
    DiscoveryRun,
    Observation,
    Sample,
    SampleDaily,
    SampleHourly,
    Series,
)
from cmdb.services.prune import Retention, prune, raw_cutoff
from cmdb.services.rollups import rollup_series
from cmdb.services.sample_ingest import Point, ingest_samples
from tests import factories as f
from web.cli import main
from web.db import get_db

TODAY = date(2026, 3, 1)
RETENTION = Retention(raw_days=35, hourly_days=37, results_days=90)
UNROLLED = TODAY - timedelta(days=38)  # a day whose rollup is missing: its samples stay


def at(day: date, hour: int = 0) -> datetime:
    return datetime.combine(day, time(hour), UTC)


def build(session: Session) -> dict[str, int]:
    link = f.link(session)
    series = Series(object_type=ResourceKind.LINK, object_id=link.id, metric=Metric.IN_MBPS,
                    unit="Mbps")  # fmt: skip
    session.add(series)
    session.flush()
    days = [TODAY - timedelta(days=n) for n in range(40, 0, -1)]
    session.add_all(
        Sample(series_id=series.id, ts=at(d, h), value=float(d.day * 10 + h))
        for d in days
        for h in range(0, 24, 2)
    )
    session.flush()
    rollup_series(session, [series.id], days)
    session.execute(sa.delete(SampleDaily).where(SampleDaily.day == UNROLLED))
    device, other = f.server(session), f.server(session)
    old = _run(session, Source.SNMP, TODAY - timedelta(days=100))
    recent = _run(session, Source.SNMP, TODAY - timedelta(days=10))
    netbox = _run(session, Source.NETBOX, TODAY - timedelta(days=70))
    for run, obj, days_ago in (
        (old, device, 60),  # older than a later one from the same source: goes
        (recent, device, 50),  # the device's latest from SNMP, however old: stays
        (netbox, device, 70),  # its latest from NetBox: stays
        (old, None, 60),  # matched to no record: goes
        (recent, other, 1),  # recent: stays
    ):
        session.add(Observation(run_id=run.id, object_type="device",
                                object_id=obj.id if obj else None, data={"fields": {}},
                                observed_at=at(TODAY - timedelta(days=days_ago))))  # fmt: skip
    for run in (old, recent):
        session.add(DiscoveryResult(run_id=run.id, address="10.0.0.1", status=RunStatus.SUCCEEDED))
    session.flush()
    return {"series": series.id, "device": device.id}


def _run(session: Session, source: Source, started: date) -> DiscoveryRun:
    run = DiscoveryRun(source=source, kind=RunKind.DISCOVERY, status=RunStatus.SUCCEEDED,
                       started_at=at(started))  # fmt: skip
    session.add(run)
    session.flush()
    return run


def rows(session: Session, model: type) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def daily(session: Session) -> list[tuple[date, float, float, float, int]]:
    d = SampleDaily
    stmt = sa.select(d.day, d.avg, d.max, d.p95, d.count).order_by(d.day)
    return [(r[0], r[1], r[2], r[3], r[4]) for r in session.execute(stmt)]


def test_prune_deletes_what_retention_lets_go_and_keeps_what_must_stay(session: Session) -> None:
    ids = build(session)
    before = daily(session)
    dry = prune(session, TODAY, RETENTION, commit=session.flush, dry_run=True)
    counts = {m: rows(session, m) for m in (Sample, SampleHourly, Observation, DiscoveryResult)}

    pruned = prune(session, TODAY, RETENTION, commit=session.flush)

    # 40 days × 12 samples; the 5 days before the cutoff go, but for the unrolled day.
    assert pruned.samples == 4 * 12
    assert pruned.hourly == 3 * 12  # days 40, 39, 38 are before the 37-day cutoff
    assert (pruned.observations, pruned.results) == (2, 1)
    assert dry == pruned  # the dry run counted exactly what went
    assert counts == {Sample: 480, SampleHourly: 480, Observation: 5, DiscoveryResult: 2}
    assert daily(session) == before  # the rollups' answers are unchanged
    cutoff = raw_cutoff(TODAY, RETENTION)
    older = session.scalars(sa.select(Sample.ts).where(Sample.ts < cutoff)).all()
    assert {t.date() for t in older} == {UNROLLED} and len(older) == 12  # its day only
    kept = session.scalars(
        sa.select(Observation.observed_at).where(Observation.object_id == ids["device"])
    ).all()
    assert sorted(t.replace(tzinfo=UTC).date() for t in kept) == [
        TODAY - timedelta(days=70),
        TODAY - timedelta(days=50),
    ]
    again = prune(session, TODAY, RETENTION, commit=session.flush)
    assert again.as_dict() == {k: 0 for k in again.as_dict()}


def test_a_sample_before_the_raw_retention_is_refused(session: Session) -> None:
    ids = build(session)
    cutoff = raw_cutoff(TODAY, RETENTION)
    late = [Point(ids["series"], cutoff - timedelta(minutes=5), 1.0)]
    with pytest.raises(ValidationError) as caught:
        ingest_samples(session, late, actor="collector", not_before=cutoff)
    assert "raw samples older than the retention" in caught.value.errors["[0].at"][0]
    fresh = [Point(ids["series"], cutoff + timedelta(minutes=5), 1.0)]
    assert ingest_samples(session, fresh, actor="collector", not_before=cutoff).created == 1


def test_cmdb_prune_counts_in_a_dry_run_then_deletes(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context(), get_db().sessions() as s:
        build(s)
        s.commit()
    app.config["CMDB_TODAY"] = TODAY.isoformat()

    dry = runner.invoke(main, ["prune", "--dry-run", "--json"])
    assert dry.exit_code == 0, dry.output
    counted = json.loads(dry.output)["deleted"]
    assert counted["sample"] == 4 * 12  # raw: 35 days kept by default, the unrolled day too
    real = runner.invoke(main, ["prune"])
    assert real.exit_code == 0, real.output
    assert f"{counted['sample']} sample," in real.output and "deleted" in real.output
    assert "daily rollups for ever" in real.output
    assert json.loads(runner.invoke(main, ["prune", "--json"]).output)["deleted"]["sample"] == 0
