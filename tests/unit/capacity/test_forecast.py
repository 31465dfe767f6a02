"""Forecast mechanics: weekly peaks, model choice by length, reading values, exhaustion."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest

from capacity.forecast import (
    ETS_MIN_WEEKS,
    MODEL_ETS,
    MODEL_ETS_TREND,
    MODEL_LAST_VALUE,
    MODEL_LINEAR,
    Forecast,
    at_risk_from,
    compute_weekly_peaks,
    forecast_many,
    forecast_series,
    forecast_weekly,
    time_to_exhaustion,
)

MONDAY = date(2026, 1, 5)


def daily(values, start=MONDAY):
    return [(start + timedelta(days=i), float(v)) for i, v in enumerate(values)]


def noisy_line(weeks, seed=0, slope_per_day=0.2):
    rng = np.random.default_rng(seed)
    t = np.arange(weeks * 7)
    return daily(100 + slope_per_day * t + rng.normal(0, 2, len(t)))


def test_weekly_peaks_are_the_max_of_each_iso_week_dated_by_its_monday():
    """Two full weeks: 1..7 then 7..1 → peaks 7 and 7, dated 5 and 12 January 2026."""
    peaks = compute_weekly_peaks(daily([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1]))
    assert peaks == [(date(2026, 1, 5), 7.0), (date(2026, 1, 12), 7.0)]


def test_incomplete_edge_weeks_are_dropped_and_missing_weeks_interpolated():
    """Starts on a Thursday (partial week dropped), ends on a Tuesday (dropped);
    the week of 19 January has no sample and is filled halfway between 10 and 30."""
    days = daily([99] * 4, start=date(2026, 1, 1))  # Thu–Sun, partial
    days += daily([10] * 7, start=date(2026, 1, 12))
    days += daily([30] * 7, start=date(2026, 1, 26))
    days += daily([99] * 2, start=date(2026, 2, 2))  # Mon–Tue, partial
    assert compute_weekly_peaks(days) == [
        (date(2026, 1, 12), 10.0),
        (date(2026, 1, 19), 20.0),
        (date(2026, 1, 26), 30.0),
    ]


def test_weekly_peaks_ignore_missing_values_and_order():
    days = list(reversed(daily([1, 2, float("nan"), 4, 5, 6, 7])))
    assert compute_weekly_peaks(days) == [(MONDAY, 7.0)]
    assert compute_weekly_peaks([]) == []


def test_an_empty_series_cannot_be_forecast():
    with pytest.raises(ValueError, match="empty"):
        forecast_series([])


def test_fewer_than_three_weeks_hold_the_last_value_with_zero_width():
    fc = forecast_series(daily([5] * 7 + [8] * 7), horizon_weeks=4)
    assert fc.model == MODEL_LAST_VALUE
    assert list(fc.mean) == [8.0] * 4
    assert list(fc.hi95) == list(fc.lo95) == [8.0] * 4
    assert fc.start == date(2026, 1, 19)


def test_three_to_nine_weeks_fit_a_line():
    """Weekly peaks 10, 12, 14, 16, 18 (a perfect line): next weeks 20, 22; no residual,
    so the intervals have zero width. Nine weeks are still too few for ETS(A,Ad,N)."""
    fc = forecast_weekly(MONDAY, [10, 12, 14, 16, 18], horizon_weeks=2)
    assert fc.model == MODEL_LINEAR
    assert fc.mean == pytest.approx([20, 22])
    assert fc.hi80 == pytest.approx([20, 22])
    assert forecast_weekly(MONDAY, np.arange(ETS_MIN_WEEKS - 1.0), 2).model == MODEL_LINEAR


def test_linear_intervals_widen_with_the_level_and_the_horizon():
    rng = np.random.default_rng(1)
    fc = forecast_weekly(MONDAY, 50 + 2 * np.arange(6) + rng.normal(0, 1, 6), horizon_weeks=6)
    assert np.all(fc.lo95 < fc.lo80) and np.all(fc.lo80 < fc.mean)
    assert np.all(fc.mean < fc.hi80) and np.all(fc.hi80 < fc.hi95)
    width = fc.hi80 - fc.lo80
    assert np.all(np.diff(width) > 0)


def test_ten_weeks_or_more_use_exponential_smoothing():
    fc = forecast_series(noisy_line(ETS_MIN_WEEKS), horizon_weeks=8, damped=True)
    assert fc.model == MODEL_ETS
    assert forecast_series(noisy_line(ETS_MIN_WEEKS), horizon_weeks=8).model in (
        MODEL_ETS,
        MODEL_ETS_TREND,
    )
    assert len(fc.points) == 8
    assert all(p.lo95 <= p.lo80 <= p.mean <= p.hi80 <= p.hi95 for p in fc.points)


def test_backtest_needs_sixteen_weeks():
    assert forecast_series(noisy_line(15), horizon_weeks=4).backtest_mape_pct is None
    mape = forecast_series(noisy_line(30), horizon_weeks=4).backtest_mape_pct
    assert mape is not None and 0 <= mape < 5


def test_backtest_of_a_perfect_line_is_exact():
    """16 weekly peaks on a line: the refit on the first 8 is linear and predicts the last 8."""
    fc = forecast_weekly(MONDAY, 100 + 3 * np.arange(16.0), horizon_weeks=4)
    assert fc.backtest_mape_pct == pytest.approx(0, abs=1e-9)


def test_value_at_interpolates_between_weekly_points():
    """Weekly points 10, 24 → 3.5 days in: 17; step holds 10 for the whole first week."""
    fc = Forecast(model="t", start=MONDAY, mean=[10, 24], lo80=[10, 24], hi80=[10, 24],
                  lo95=[10, 24], hi95=[10, 24])  # fmt: skip
    assert fc.value_at(MONDAY + timedelta(days=3)) == pytest.approx(16)
    assert fc.value_at(MONDAY + timedelta(days=3), interpolation="step") == 10
    assert fc.value_at(MONDAY - timedelta(days=30)) == 10
    assert fc.value_at(MONDAY + timedelta(days=14)) == pytest.approx(38)  # slope continues


def test_value_at_never_goes_below_zero():
    fc = Forecast.linear(MONDAY, 10, -1.0, weeks=10)
    assert fc.value_at(MONDAY + timedelta(days=5)) == pytest.approx(5)
    assert fc.value_at(MONDAY + timedelta(days=40)) == 0
    assert fc.value_at(MONDAY + timedelta(days=400)) == 0


def test_time_to_exhaustion_of_a_known_line():
    """100 + 1/day from 5 January reaches 150 on day 50: 24 February 2026."""
    fc = Forecast.linear(MONDAY, 100, 1.0, weeks=20)
    assert time_to_exhaustion(fc, 150) == date(2026, 2, 24)
    assert time_to_exhaustion(fc, 150.5) == date(2026, 2, 25)
    assert time_to_exhaustion(fc, 90) == MONDAY  # already above: from the start
    assert time_to_exhaustion(fc, 150, start=date(2026, 3, 1)) == date(2026, 3, 1)
    assert time_to_exhaustion(fc, 10_000) is None  # not within the horizon


def test_at_risk_from_follows_the_upper_80_bound():
    """Mean flat at 100, upper 80 % bound 100 + 2/week... reaching 110 after 5 weeks."""
    hi = 100 + 2 * np.arange(10.0)
    flat = np.full(10, 100.0)
    fc = Forecast("t", MONDAY, mean=flat, lo80=flat, hi80=hi, lo95=flat, hi95=hi + 1)
    assert time_to_exhaustion(fc, 110) is None
    assert at_risk_from(fc, 110) == MONDAY + timedelta(days=35)


def test_forecast_round_trips_through_json():
    fc = forecast_series(noisy_line(20), horizon_weeks=6)
    again = Forecast.from_dict(json.loads(json.dumps(fc.to_dict())))
    assert again.model == fc.model and again.start == fc.start
    assert np.allclose(again.hi95, fc.hi95) and np.allclose(again.history, fc.history)
    assert again.backtest_mape_pct == fc.backtest_mape_pct
    assert again.history_points[0] == (MONDAY, pytest.approx(fc.history[0]))


def test_forecast_many_matches_one_by_one_in_and_out_of_process():
    series = {f"s{i}": noisy_line(12 + i, seed=i) for i in range(4)}
    series["empty"] = []
    one_by_one = {k: forecast_series(v, horizon_weeks=8) for k, v in series.items() if v}
    for jobs in (1, 2):
        batch = forecast_many(series, horizon_weeks=8, n_jobs=jobs, chunk_size=1)
        assert batch.keys() == one_by_one.keys()
        for key, fc in batch.items():
            assert fc.model == one_by_one[key].model
            assert np.allclose(fc.mean, one_by_one[key].mean)
