"""Forecasts on synthetic series with a known trend, weekly season and noise (fixed seeds).

Daily value = 100 + 0.2·t + 10·sin(2πt/7) + N(0, σ²), t in days from Monday
2024-01-01. The weekly season has period 7, so every week's peak is the same
offset above the trend: peak of week k ≈ 100 + 1.4·k + P, with
P = max over d in 0..6 of (0.2·d + 10·sin(2πd/7)) (plus a little from the noise).
The true weekly-peak slope is therefore 7 × 0.2 = 1.4 per week.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from capacity.forecast import (
    at_risk_from,
    compute_weekly_peak_array,
    forecast_weekly,
    time_to_exhaustion,
)

START = date(2024, 1, 1)  # a Monday
SLOPE_PER_DAY = 0.2
TRUE_WEEKLY_SLOPE = 7 * SLOPE_PER_DAY
SEASON_PEAK = max(SLOPE_PER_DAY * d + 10 * np.sin(2 * np.pi * d / 7) for d in range(7))


def weekly_peaks(seed: int, weeks: int, sigma: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(weeks * 7)
    values = 100 + SLOPE_PER_DAY * t + 10 * np.sin(2 * np.pi * t / 7) + rng.normal(0, sigma, t.size)
    first, peaks = compute_weekly_peak_array(START.toordinal() + t, values)
    assert first == START.toordinal() and len(peaks) == weeks
    return peaks


def crossing(week: int) -> tuple[float, date]:
    """The limit the noise-free weekly peaks reach at the Monday of ``week``, and that day."""
    return 100 + TRUE_WEEKLY_SLOPE * week + SEASON_PEAK, START + timedelta(days=7 * week)


def test_recovered_weekly_peak_slope_is_close_to_the_truth():
    """Two years of data (σ = 3), 20 seeds. The first forecast step's slope (already damped
    once by φ ≤ 0.98) must average within 10 % of 1.4/week, each seed within 0.55–1.6×."""
    slopes = []
    for seed in range(20):
        fc = forecast_weekly(START, weekly_peaks(seed, 104, sigma=3), 8, backtest=False)
        slopes.append(fc.mean[1] - fc.mean[0])
    slopes = np.array(slopes)
    assert abs(slopes.mean() / TRUE_WEEKLY_SLOPE - 1) < 0.10, slopes
    assert np.all((slopes > 0.55 * TRUE_WEEKLY_SLOPE) & (slopes < 1.6 * TRUE_WEEKLY_SLOPE)), slopes


def test_the_80_percent_interval_covers_about_80_percent_of_held_out_weeks():
    """40 seeds × 8 held-out weeks after 96 weeks of fit (σ = 3): the 80 % interval must
    cover 65–95 % of the 320 held-out peaks, and the 95 % interval at least 85 %."""
    inside80 = inside95 = total = 0
    for seed in range(100, 140):
        peaks = weekly_peaks(seed, 104, sigma=3)
        fc = forecast_weekly(START, peaks[:96], 8, backtest=False)
        held = peaks[96:]
        inside80 += int(np.sum((held >= fc.lo80) & (held <= fc.hi80)))
        inside95 += int(np.sum((held >= fc.lo95) & (held <= fc.hi95)))
        total += held.size
    assert 0.65 <= inside80 / total <= 0.95, inside80 / total
    assert inside95 / total >= 0.85, inside95 / total


def test_exhaustion_date_of_a_known_crossing_four_weeks_out():
    """104 weeks of data (σ = 1); the limit is reached at week 108. With the damped trend
    the exhaustion date must fall within −14…+28 days of the truth for each of 10 seeds,
    and the at-risk date (upper 80 %) within ±21 days and never after the exhaustion date."""
    limit, truth = crossing(108)
    for seed in range(200, 210):
        fc = forecast_weekly(
            START, weekly_peaks(seed, 104, sigma=1), 104, backtest=False, damped=True
        )
        exhausted = time_to_exhaustion(fc, limit)
        at_risk = at_risk_from(fc, limit)
        assert exhausted is not None and at_risk is not None
        assert -14 <= (exhausted - truth).days <= 28, (seed, exhausted, truth)
        assert abs((at_risk - truth).days) <= 21, (seed, at_risk, truth)
        assert at_risk <= exhausted


def test_aicc_trend_choice_dates_a_crossing_half_a_year_out_within_three_weeks():
    """Same series, limit at week 130 (26 weeks out). With damped=None AICc keeps a straight
    trend where the data support it: every seed within ±21 days."""
    limit, truth = crossing(130)
    for seed in range(200, 210):
        peaks = weekly_peaks(seed, 104, sigma=1)
        fc = forecast_weekly(START, peaks, 104, backtest=False, damped=None)
        exhausted = time_to_exhaustion(fc, limit)
        assert exhausted is not None
        assert abs((exhausted - truth).days) <= 21, (seed, exhausted, truth)


def test_damped_trend_dates_a_crossing_half_a_year_out_late():
    """Documents the caution in capacity.forecast: with φ ≤ 0.98 per week the damped trend
    is, on these steadily growing series, late by more than four weeks on average at
    26 weeks out (or never reaches the limit within two years)."""
    limit, truth = crossing(130)
    lateness = []
    for seed in range(200, 210):
        peaks = weekly_peaks(seed, 104, sigma=1)
        fc = forecast_weekly(START, peaks, 104, backtest=False, damped=True)
        exhausted = time_to_exhaustion(fc, limit)
        lateness.append(730 if exhausted is None else (exhausted - truth).days)
    assert np.mean(lateness) > 28, lateness
