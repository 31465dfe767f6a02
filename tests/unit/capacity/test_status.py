"""The capacity report: headroom now, exhaustion and at-risk dates, with reservations."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from capacity.forecast import Forecast
from capacity.model import LinkSpec
from capacity.snapshot import Inventory, LinkState, Reservation
from capacity.status import ResourceStatus, compute_resource_status, runs_out_first
from tests.unit.capacity.builders import START, inventory


def test_every_pool_and_link_has_a_row_with_its_headroom():
    """c1 vCPU 326.4 − 200 = 126.4; RAM 652.8 − 400 = 252.8; p1 64 − 40 = 24; d1 70 − 60 = 10."""
    rows = {r.resource: r for r in compute_resource_status(inventory(), (), START)}
    assert len(rows) == 2 + 1 + 5
    assert rows["cluster:c1:vcpu"].headroom == pytest.approx(126.4)
    assert rows["cluster:c1:ram"].headroom == pytest.approx(252.8)
    assert rows["storage:p1"].headroom == pytest.approx(24)
    assert rows["link:d1"].headroom == pytest.approx(10)
    assert rows["link:d1"].exhaustion_date is None  # flat baseline below the ceiling


def test_exhaustion_and_at_risk_dates_of_a_growing_link():
    """200 Mbps, ceiling 140. Mean 100 + 1/day from 5 Jan 2026 → 140 on day 40 (14 Feb).
    Upper 80 % bound 10 higher → 140 on day 30 (4 Feb). A 20 Mbps reservation from day
    10 adds 20: mean 120 + d reaches 140 on day 20; the bound 130 + d on day 10.
    The upper 95 % bound, 15 higher, reaches 140 on day 25 (before the 80 % one)."""
    mean = Forecast.linear(START, 100, 1.0, weeks=20)
    hi = mean.mean + 10
    fc = Forecast("t", START, mean.mean, mean.lo80, hi, mean.lo95, hi + 5)
    inv = Inventory(links=(LinkState(LinkSpec("l", "tslcd", 200), fc),))
    (row,) = compute_resource_status(inv, (), START)
    assert row.exhaustion_date == START + timedelta(days=40)
    assert row.at_risk_date == START + timedelta(days=30)
    assert row.at_risk_95_date == START + timedelta(days=25)
    reservation = Reservation("link:l", START + timedelta(days=10), 20)
    (row,) = compute_resource_status(inv, [reservation], START)
    assert row.exhaustion_date == START + timedelta(days=20)
    assert row.at_risk_date == START + timedelta(days=10)
    assert np.isclose(row.reserved, 0)  # not yet started on the report date


def test_a_resource_already_over_its_ceiling_is_exhausted_today():
    inv = Inventory(links=(LinkState(LinkSpec("l", "tslcd", 100), Forecast.constant(90, START)),))
    (row,) = compute_resource_status(inv, (), date(2026, 3, 1))
    assert row.exhaustion_date == date(2026, 3, 1)
    assert row.headroom == pytest.approx(-20)


def test_a_reservation_grows_by_the_verdicts_rule_in_the_report():
    """One growth rule (DESIGN §6): 1 Jan → 1 Jul is 6 months = 0.5 year, so 100 Mbps at
    +100 %/year is 100 × 2^0.5 = 141.42…; days/365.2425 (181 days) would give 141.06."""
    inv = Inventory(links=(LinkState(LinkSpec("l", "tslcd", 1000), Forecast.constant(0, START)),))
    reservation = Reservation("link:l", date(2026, 1, 1), 100, growth_pct_per_year=100)
    (row,) = compute_resource_status(inv, [reservation], date(2026, 7, 1))
    assert row.reserved == pytest.approx(100 * 2**0.5, rel=1e-12)


def _row(name: str, mean: date | None, hi80: date | None, hi95: date | None) -> ResourceStatus:
    return ResourceStatus(
        resource=f"link:{name}", name=name, kind="link", unit="Mbps", capacity=100,
        ceiling_pct=0.7, ceiling=70, baseline=10, reserved=0, headroom=60,
        exhaustion_date=mean, at_risk_date=hi80, baseline_model="t", backtest_mape_pct=None,
        at_risk_95_date=hi95,
    )  # fmt: skip


def test_runs_out_first_orders_by_the_forecast_then_its_bounds_and_drops_the_undated():
    rows = [
        _row("never", None, None, None),
        _row("bound-only", None, date(2027, 1, 1), date(2026, 6, 1)),
        _row("late", date(2029, 1, 1), date(2028, 1, 1), date(2027, 6, 1)),
        _row("soon", date(2027, 1, 1), date(2026, 9, 1), date(2026, 8, 1)),
        _row("95-only", None, None, date(2026, 3, 1)),
    ]
    assert [r.name for r in runs_out_first(rows, 10)] == ["soon", "late", "bound-only", "95-only"]
    assert [r.name for r in runs_out_first(rows, 2)] == ["soon", "late"]
