"""The one definition of current utilisation: the last complete week's peak (DESIGN §6)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from capacity.utilisation import (
    CurrentPeak,
    compute_current_peak,
    compute_utilisation,
    compute_window,
)

THURSDAY = date(2026, 1, 15)  # its week starts on Monday 12 January


def _days(first: date, values: list[float]) -> list[tuple[date, float]]:
    return [(first + timedelta(days=k), v) for k, v in enumerate(values)]


def test_the_peak_is_of_the_last_complete_week_not_the_current_one() -> None:
    daily = _days(date(2026, 1, 5), [3.0, 9.0, 4.0, 1.0, 2.0, 5.0, 6.0, 99.0, 98.0])

    assert compute_current_peak(daily, THURSDAY) == CurrentPeak(date(2026, 1, 5), 9.0)


def test_directions_are_two_series_of_the_same_days_and_the_larger_counts() -> None:
    inbound = _days(date(2026, 1, 5), [1.0] * 7)
    outbound = _days(date(2026, 1, 5), [2.0, 2.0, 7.5, 2.0, 2.0, 2.0, 2.0])

    peak = compute_current_peak(inbound + outbound, THURSDAY)

    assert peak == CurrentPeak(date(2026, 1, 5), 7.5)


def test_a_week_with_a_gap_is_skipped_like_the_forecasts_skip_it() -> None:
    full = _days(date(2025, 12, 29), [4.0] * 7)
    gappy = _days(date(2026, 1, 5), [8.0] * 6)  # Sunday 11 January missing

    assert compute_current_peak(full + gappy, THURSDAY) == CurrentPeak(date(2025, 12, 29), 4.0)


def test_no_complete_week_in_the_window_gives_none() -> None:
    first, _ = compute_window(THURSDAY)
    stale = _days(first - timedelta(days=14), [5.0] * 14)

    assert compute_current_peak(stale, THURSDAY) is None
    assert compute_current_peak(_days(date(2026, 1, 12), [5.0] * 3), THURSDAY) is None


def test_utilisation_is_the_peak_over_capacity() -> None:
    peak = CurrentPeak(date(2026, 1, 5), 35.0)

    assert compute_utilisation(peak, 50.0) == 0.7
    assert compute_utilisation(peak, 0.0) is None
    assert compute_utilisation(None, 50.0) is None


@given(st.lists(st.floats(0, 1e6), min_size=7, max_size=7), st.floats(0, 1e6))
def test_more_traffic_on_a_day_never_lowers_the_peak(values: list[float], extra: float) -> None:
    before = compute_current_peak(_days(date(2026, 1, 5), values), THURSDAY)
    more = [values[0] + extra, *values[1:]]
    after = compute_current_peak(_days(date(2026, 1, 5), more), THURSDAY)

    assert before is not None and after is not None
    assert after.value >= before.value == max(values)
