"""Baselines come from the daily rollups, are fitted once, and are fitted again only
when new samples arrive."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capacity import inputs
from cmdb.choices import Metric, ResourceKind
from cmdb.models import ForecastCache, SampleDaily, Series
from cmdb.services.samples import refresh_daily_marks
from tests.integration.capacity.builders import build_small_province

TODAY = date(2026, 6, 1)
DAYS = 140  # 20 weeks: enough for the smoothing model


def _grow_vcpu(session: Session, cluster_id: int, days: int = DAYS) -> Series:
    """Allocated vCPU grows by one a week from 4, flat within each week."""
    series = Series(object_type=ResourceKind.CLUSTER, object_id=cluster_id,
                    metric=Metric.VCPU_ALLOCATED, unit="vCPU")  # fmt: skip
    session.add(series)
    session.flush()
    first = TODAY - timedelta(days=days)
    rows = [
        {"series_id": series.id, "day": first + timedelta(days=d), "avg": v, "max": v,
         "p95": v, "count": 24}
        for d in range(days)
        for v in [4.0 + d // 7]
    ]  # fmt: skip
    session.execute(sa.insert(SampleDaily), rows)
    refresh_daily_marks(session, [series.id])
    return series


def test_baseline_is_the_forecast_of_the_samples(session: Session) -> None:
    p = build_small_province(session)
    _grow_vcpu(session, p.cluster.id)
    state = inputs.load_inventory(session, today=TODAY).cluster(str(p.cluster.id))
    # 20 weeks of +1 vCPU a week; the last observed weekly peak is 4 + 19 = 23.
    assert state.vcpu_baseline.model.startswith("ets")
    in_ten_weeks = state.vcpu_baseline.value_at(TODAY + timedelta(weeks=10))
    assert 28 <= in_ten_weeks <= 36
    # RAM has no series: its baseline is the current allocation (no workloads).
    assert state.ram_baseline.model == "current_value"
    assert state.ram_baseline.value_at(TODAY) == 0.0


def test_forecasts_are_cached_until_new_samples_arrive(session: Session) -> None:
    p = build_small_province(session)
    series = _grow_vcpu(session, p.cluster.id)
    key = f"cluster:{p.cluster.id}:vcpu"
    inputs.load_inventory(session, today=TODAY)
    first = session.get(ForecastCache, key)
    assert first is not None and first.fitted_through == TODAY - timedelta(days=1)
    computed_at = first.computed_at
    inputs.load_inventory(session, today=TODAY)
    session.refresh(first)
    assert first.computed_at == computed_at  # no refit: the samples did not change

    session.add(SampleDaily(series_id=series.id, day=TODAY, avg=30, max=30, p95=30, count=24))
    refresh_daily_marks(session, [series.id])
    inputs.load_inventory(session, today=TODAY)
    session.refresh(first)
    assert (first.fitted_through, first.sample_count) == (TODAY, DAYS + 1)


def test_a_link_baseline_plans_against_the_busier_direction(session: Session) -> None:
    """Daily p95 in = 5 Mbps, out = 9 Mbps: the baseline is 9 (max of the two)."""
    p = build_small_province(session)
    link = p.commune_links[0]
    ids = []
    for metric, value in ((Metric.IN_MBPS, 5.0), (Metric.OUT_MBPS, 9.0)):
        s = Series(object_type=ResourceKind.LINK, object_id=link.id, metric=metric, unit="Mbps")
        session.add(s)
        session.flush()
        ids.append(s.id)
        session.execute(sa.insert(SampleDaily), [
            {"series_id": s.id, "day": TODAY - timedelta(days=d), "avg": value / 2,
             "max": value * 2, "p95": value, "count": 288}
            for d in range(1, 15)
        ])  # fmt: skip
    refresh_daily_marks(session, ids)
    state = inputs.load_inventory(session, today=TODAY).link(str(link.id))
    assert state.p95_baseline.value_at(TODAY + timedelta(days=30)) == pytest.approx(9.0)
