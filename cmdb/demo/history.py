"""Synthetic daily history: plain numbers, no database (so it is testable on its own).

Three shapes, each ending exactly at today's inventory:

- **traffic** (links): a weekday p95 level that grew by ``growth_per_year``, quiet
  weekends and public holidays (Tết, 30/4–1/5, 2/9, New Year), ±8 % day-to-day
  noise; the daily average is a third of the p95 (offices work 8 hours), the max a
  little above it; nothing exceeds the link's capacity. ``in`` is traffic toward the
  users' end of the link (a-side), ``out`` toward the DC (b-side).
- **allocation** (clusters): a step function — VMs are created on working days in
  batches of random size — rising from ``start_fraction`` of today's allocation to
  exactly today's allocation; test VMs add up to ~1 % on weekdays to the max.
- **storage** (pools): used space growing slightly faster than linearly to exactly
  today's figure; a backup pool fills up through the week and is pruned on Sunday.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import NamedTuple

SAMPLES_PER_DAY_POLLED = 288  # SNMP every 5 minutes
SAMPLES_PER_DAY_HOURLY = 24  # vCenter / array statistics every hour

# First day of Tết (lunar new year); the holiday covers the day before to 4 days after.
TET = {
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
}
FIXED_HOLIDAYS = {(1, 1), (4, 30), (5, 1), (9, 2)}
WEEKDAY_FACTOR = (1.03, 1.0, 1.0, 0.99, 0.96, 0.45, 0.3)  # Monday … Sunday


class DailyPoint(NamedTuple):
    """One day's rollup (a named tuple: hundreds of thousands are made per load)."""

    day: date
    avg: float
    max: float
    p95: float
    count: int  # type: ignore[assignment]  # shadows tuple.count, as the rollup column is named


@dataclass(frozen=True)
class TrafficProfile:
    """Today's weekday p95 toward the users, its yearly growth, and the upload share."""

    capacity_mbps: float
    p95_mbps: float
    growth_per_year: float
    out_ratio: float


@cache
def season_factor(day: date) -> float:
    """Traffic of a day relative to an ordinary weekday (holidays are like Sundays)."""
    return 0.3 if is_holiday(day) else WEEKDAY_FACTOR[day.weekday()]


def is_holiday(day: date) -> bool:
    if (day.month, day.day) in FIXED_HOLIDAYS:
        return True
    tet = TET.get(day.year) or TET.get(day.year + 1)
    return tet is not None and -1 <= (day - tet).days <= 4


def _years_before(day: date, last: date) -> float:
    return (last - day).days / 365.0


def traffic(
    days: Sequence[date], profile: TrafficProfile, rng: random.Random
) -> tuple[list[DailyPoint], list[DailyPoint]]:
    """Daily in/out rollups (Mbps) of one link."""
    cap = profile.capacity_mbps
    series_in: list[DailyPoint] = []
    series_out: list[DailyPoint] = []
    for day in days:
        level = profile.p95_mbps * (1 + profile.growth_per_year) ** -_years_before(day, days[-1])
        season = season_factor(day)
        p95_in = level * season * _noise(rng, 0.08)
        p95_out = p95_in * profile.out_ratio * _noise(rng, 0.1)
        series_in.append(_traffic_point(day, p95_in, cap, rng))
        series_out.append(_traffic_point(day, p95_out, cap, rng))
    return series_in, series_out


def _noise(rng: random.Random, sd: float) -> float:
    return min(1.3, max(0.75, rng.gauss(1.0, sd)))


def _traffic_point(day: date, p95: float, cap: float, rng: random.Random) -> DailyPoint:
    p95 = min(max(p95, 0.01 * cap), 0.97 * cap)
    peak = min(cap, p95 * rng.uniform(1.05, 1.3))
    avg = p95 * rng.uniform(0.28, 0.38)
    return DailyPoint(day, round(avg, 3), round(peak, 3), round(p95, 3), SAMPLES_PER_DAY_POLLED)


def allocation(
    days: Sequence[date], finals: Sequence[float], start_fraction: float, rng: random.Random
) -> list[list[DailyPoint]]:
    """Daily rollups of allocated quantities that move together (a cluster's vCPU and RAM).

    The same creation events drive every quantity; each ends exactly at its final value.
    """
    working = [i for i, d in enumerate(days) if d.weekday() < 5 and not is_holiday(d)]
    events = sorted(rng.sample(working[:-1], k=min(60, len(working) - 1)))
    weights = [rng.expovariate(1.0) for _ in events]
    total = sum(weights)
    step_at = dict(zip(events, weights, strict=True))
    fraction, path = 0.0, []
    for i in range(len(days)):
        fraction += step_at.get(i, 0.0) / total
        path.append(1.0 if i == len(days) - 1 else min(fraction, 1.0))
    result: list[list[DailyPoint]] = []
    for final in finals:
        start = final * start_fraction
        points = []
        for day, f in zip(days, path, strict=True):
            level = round(start + (final - start) * f)
            extra = 0.0 if day.weekday() >= 5 else level * rng.uniform(0.0, 0.012)
            points.append(
                DailyPoint(
                    day,
                    float(level),
                    round(level + extra, 1),
                    round(level + extra * 0.6, 1),
                    SAMPLES_PER_DAY_HOURLY,
                )
            )
        result.append(points)
    return result


def storage(
    days: Sequence[date],
    final_tb: float,
    start_fraction: float,
    rng: random.Random,
    weekly_cycle: float = 0.0,
) -> list[DailyPoint]:
    """Daily rollups of used TB, ending exactly at ``final_tb`` on the last day."""
    n = len(days)
    start = final_tb * start_fraction
    points: list[DailyPoint] = []
    for i, day in enumerate(days):
        trend = start + (final_tb - start) * ((i + 1) / n) ** 1.15
        cycle = weekly_cycle * final_tb * (day.weekday() - 3) / 6
        used = (trend + cycle) * rng.gauss(1.0, 0.002) if i < n - 1 else final_tb
        used = round(max(used, 0.0), 3)
        points.append(
            DailyPoint(
                day,
                used,
                round(used * 1.002, 3),
                round(used * 1.001, 3),
                SAMPLES_PER_DAY_HOURLY,
            )
        )
    return points
