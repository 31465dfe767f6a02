"""Monthly steps and fractional years (month m of the horizon is m/12 years)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from capacity.dates import add_months, monthly_steps, years_between, years_between_ordinals


def test_add_months_clamps_to_the_end_of_short_months():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_monthly_steps_include_go_live_and_the_horizon_end():
    steps = monthly_steps(date(2026, 3, 1), 24)
    assert len(steps) == 25
    assert steps[0] == date(2026, 3, 1)
    assert steps[-1] == date(2028, 3, 1)


@pytest.mark.parametrize("start", [date(2026, 3, 1), date(2026, 1, 31), date(2027, 8, 30)])
def test_years_between_is_exactly_m_over_12_on_the_steps(start):
    for m in range(0, 61):
        assert years_between(start, add_months(start, m)) == pytest.approx(m / 12, abs=1e-12)


def test_years_between_counts_the_month_in_progress_by_its_days():
    """1 March → 16 March: 15 of March's 31 days = 15/31 month = 15/372 year."""
    assert years_between(date(2026, 3, 1), date(2026, 3, 16)) == pytest.approx(15 / 31 / 12)


def test_years_between_is_zero_before_the_start():
    assert years_between(date(2026, 3, 1), date(2025, 3, 1)) == 0.0


@pytest.mark.parametrize("start", [date(2026, 3, 1), date(2026, 1, 31), date(2027, 8, 30)])
def test_years_between_ordinals_is_years_between_on_every_day(start):
    days = [start + timedelta(days=d) for d in range(-40, 5 * 366)]
    many = years_between_ordinals(start, np.array([d.toordinal() for d in days]))
    assert many == pytest.approx([years_between(start, d) for d in days], abs=1e-12)
