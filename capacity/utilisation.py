"""Current utilisation: the one figure every page, chart, list and the API show.

DESIGN §6: a resource's current use is the peak of its daily values (a link's
daily p95 of each direction, the larger of the two; a cluster's daily allocation;
a pool's daily used TB) over the **last complete week** before today — the same
weekly peak the forecasts are fitted on, so the measured figure and the forecast
speak of the same quantity. The current week is never complete (its peak would
understate the week), and a week with a polling gap is skipped for the same
reason, as the forecasts skip it.

Pure: the adapter (``capacity.inputs``) reads the daily values.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from capacity.forecast import compute_weekly_peaks

LOOKBACK_WEEKS = 5
"""Weeks read before the current one: a peak older than this is not "current"."""


@dataclass(frozen=True)
class CurrentPeak:
    """The last complete week's peak and the Monday that starts that week."""

    week_start: date
    value: float


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def compute_window(at: date) -> tuple[date, date]:
    """The days to read for the current peak on ``at``: [first, before)."""
    before = week_start(at)
    return before - timedelta(weeks=LOOKBACK_WEEKS), before


def compute_current_peak(daily: Iterable[tuple[date, float]], at: date) -> CurrentPeak | None:
    """The peak of the last complete week before ``at``'s week, or None without one.

    ``daily`` is a resource's daily values (days may repeat, e.g. one per link
    direction: the larger counts). Days of ``at``'s week or later are ignored.
    """
    first, before = compute_window(at)
    per_day: dict[date, float] = {}
    for day, value in daily:
        if first <= day < before:
            per_day[day] = max(per_day.get(day, value), value)
    complete = [
        (start, peak)
        for start, peak in compute_weekly_peaks(sorted(per_day.items()))
        if _days_in_week(per_day, start) == 7
    ]
    if not complete:
        return None
    start, peak = complete[-1]
    return CurrentPeak(week_start=start, value=peak)


def _days_in_week(per_day: dict[date, float], start: date) -> int:
    return sum(1 for k in range(7) if start + timedelta(days=k) in per_day)


def compute_utilisation(peak: CurrentPeak | None, capacity: float) -> float | None:
    """The peak as a fraction of capacity (None without a peak or a capacity)."""
    if peak is None or capacity <= 0:
        return None
    return peak.value / capacity
