"""Calendar arithmetic for monthly planning steps and fractional years of growth.

DESIGN.md §6 counts years fractionally, month m of the horizon being m/12 years.
Reservations start on any day, so "years since start" needs a definition that
agrees with that rule on the monthly steps themselves: whole calendar months
(as :func:`add_months` steps them) plus the fraction of the month in progress.
"""

from __future__ import annotations

import calendar
from datetime import date

import numpy as np


def add_months(start: date, months: int) -> date:
    """``start`` moved by whole calendar months, the day clamped to the month's end."""
    index = start.year * 12 + (start.month - 1) + months
    year, month0 = divmod(index, 12)
    last_day = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(start.day, last_day))


def monthly_steps(start: date, months: int) -> list[date]:
    """The planning dates ``start``, ``start`` + 1 month, …, ``start`` + ``months`` months."""
    return [add_months(start, m) for m in range(months + 1)]


def years_between(start: date, at: date) -> float:
    """Fractional years from ``start`` to ``at`` (0 when ``at`` is not after ``start``).

    Exactly m/12 when ``at`` is ``add_months(start, m)``; between two such dates the
    month in progress counts by the fraction of its days elapsed.
    """
    if at <= start:
        return 0.0
    months = (at.year - start.year) * 12 + (at.month - start.month)
    # add_months clamps the day, so the estimate may overshoot by one month.
    while months > 0 and add_months(start, months) > at:
        months -= 1
    base = add_months(start, months)
    nxt = add_months(start, months + 1)
    return (months + (at - base).days / (nxt - base).days) / 12


def years_between_ordinals(start: date, ordinals: np.ndarray) -> np.ndarray:
    """:func:`years_between` for many days at once (day ordinals), for daily reports.

    The same rule as the verdict's steps, so the report and the verdict agree on
    every day, not only to within a day.
    """
    if len(ordinals) == 0:
        return np.zeros(0)
    last = date.fromordinal(int(np.max(ordinals)))
    months = max(0, (last.year - start.year) * 12 + (last.month - start.month)) + 2
    steps = np.array([add_months(start, m).toordinal() for m in range(months + 1)])
    index = np.clip(np.searchsorted(steps, ordinals, side="right") - 1, 0, len(steps) - 2)
    fraction = (ordinals - steps[index]) / (steps[index + 1] - steps[index])
    return np.where(ordinals > steps[0], (index + fraction) / 12, 0.0)
