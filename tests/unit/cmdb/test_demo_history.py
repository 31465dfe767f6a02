"""The demo's synthetic history: shapes, bounds and exact end values, without a database."""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import pairwise
from statistics import mean

import pytest

from cmdb.demo.history import TrafficProfile, allocation, is_holiday, storage, traffic

DAYS = [date(2024, 1, 15) + timedelta(days=i) for i in range(730)]


def test_traffic_stays_under_capacity_with_ordered_rollups() -> None:
    profile = TrafficProfile(capacity_mbps=20, p95_mbps=14, growth_per_year=0.3, out_ratio=0.4)
    for points in traffic(DAYS, profile, random.Random(1)):
        assert all(0 < p.avg <= p.p95 <= p.max <= 20 for p in points)
        assert {p.count for p in points} == {288}


def test_traffic_is_busier_on_weekdays_and_grows() -> None:
    profile = TrafficProfile(capacity_mbps=100, p95_mbps=40, growth_per_year=0.2, out_ratio=0.4)
    inbound, outbound = traffic(DAYS, profile, random.Random(2))
    weekday = mean(p.p95 for p in inbound if p.day.weekday() < 5 and not is_holiday(p.day))
    sunday = mean(p.p95 for p in inbound if p.day.weekday() == 6)
    assert sunday < 0.5 * weekday
    first_year = mean(p.p95 for p in inbound[:365])
    second_year = mean(p.p95 for p in inbound[365:])
    assert second_year / first_year == pytest.approx(1.2, rel=0.05)
    assert mean(p.p95 for p in outbound) < mean(p.p95 for p in inbound)


def test_allocation_ends_exactly_at_today_and_never_shrinks() -> None:
    vcpu, ram = allocation(DAYS, (568.0, 2776.0), 0.7, random.Random(3))
    assert (vcpu[-1].avg, ram[-1].avg) == (568.0, 2776.0)
    assert vcpu[0].avg == pytest.approx(0.7 * 568, abs=1)
    assert all(a.avg <= b.avg for a, b in pairwise(ram))
    assert all(p.avg <= p.p95 <= p.max <= p.avg * 1.013 for p in ram)


def test_storage_ends_exactly_at_today() -> None:
    points = storage(DAYS, 105.5, 0.7, random.Random(4), weekly_cycle=0.03)
    assert points[-1].avg == 105.5
    assert points[0].avg == pytest.approx(0.7 * 105.5, rel=0.05)
    assert all(p.avg <= p.p95 <= p.max for p in points)


def test_same_random_stream_gives_the_same_history() -> None:
    profile = TrafficProfile(20, 8, 0.1, 0.3)
    assert traffic(DAYS, profile, random.Random(5)) == traffic(DAYS, profile, random.Random(5))
    assert traffic(DAYS, profile, random.Random(5)) != traffic(DAYS, profile, random.Random(6))


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2025, 1, 29), True),  # Tết Ất Tỵ
        (date(2025, 2, 2), True),
        (date(2025, 2, 4), False),
        (date(2025, 4, 30), True),
        (date(2025, 9, 2), True),
        (date(2025, 3, 3), False),
    ],
)
def test_public_holidays(day: date, holiday: bool) -> None:
    assert is_holiday(day) is holiday
