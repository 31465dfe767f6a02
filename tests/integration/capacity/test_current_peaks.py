"""The current peaks the database aggregates (``capacity.inputs.load_current_peaks``) are
the ones the pure definition (``capacity.utilisation.compute_current_peak``) gives, on
SQLite and PostgreSQL."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from capacity.inputs import load_current_peaks, load_interface_peaks, load_link_peaks
from capacity.utilisation import CurrentPeak, compute_current_peak, compute_window
from cmdb.choices import Metric, ResourceKind
from cmdb.models import SampleDaily, Series

THURSDAY = date(2026, 1, 15)
AT = (THURSDAY, date(2026, 1, 12), date(2026, 1, 18), date(2026, 2, 2))  # Thu, Mon, Sun, Mon
# Object ids spread over several IN chunks of 500.
IDS = (3, 7, 499, 500, 501, 1002, 1500)

# (kind, metric, resource key prefix, column read)
SERIES = (
    (ResourceKind.CLUSTER, Metric.VCPU_ALLOCATED, "cluster:{}:vcpu", "max"),
    (ResourceKind.CLUSTER, Metric.RAM_ALLOCATED_GB, "cluster:{}:ram", "max"),
    (ResourceKind.STORAGE_POOL, Metric.STORAGE_USED_TB, "storage:{}", "max"),
    (ResourceKind.LINK, Metric.IN_MBPS, "link:{}", "p95"),
    (ResourceKind.LINK, Metric.OUT_MBPS, "link:{}", "p95"),
    (ResourceKind.INTERFACE, Metric.IN_MBPS, "interface:{}", "p95"),
    (ResourceKind.INTERFACE, Metric.OUT_MBPS, "interface:{}", "p95"),
)
IGNORED = (  # series no current peak reads
    (ResourceKind.CLUSTER, Metric.CPU_UTIL_PCT),
    (ResourceKind.INTERFACE, Metric.IN_ERRORS_PPS),
    (ResourceKind.DEVICE, Metric.IN_MBPS),
)
KEY_KIND = {key.split(":")[0]: kind for kind, _, key, _ in SERIES}

Daily = dict[str, list[tuple[date, float, int]]]  # key → (day, value, object id)


def _add(session: Session, kind: ResourceKind, obj: int, metric: Metric,
         days: list[tuple[date, float, float]]) -> None:  # fmt: skip
    series = Series(object_type=kind, object_id=obj, metric=metric, unit="x")
    session.add(series)
    session.flush()
    if days:
        rows = [{"series_id": series.id, "day": d, "avg": 0.0, "max": mx, "p95": p95, "count": 1}
                for d, mx, p95 in days]  # fmt: skip
        session.execute(sa.insert(SampleDaily), rows)


def _fill(session: Session, seed: int) -> Daily:
    """Random daily rollups around the windows of every ``AT``: gaps of every density,
    a direction missing days, ties, days before the window and in the current week."""
    rng = random.Random(seed)
    first = compute_window(min(AT))[0] - timedelta(days=10)
    last = max(AT) + timedelta(days=6)
    span = (last - first).days + 1
    daily: Daily = defaultdict(list)
    for obj in IDS:
        for kind, metric, key, column in SERIES:
            if rng.random() < 0.1:
                continue  # this object has no such series
            presence = rng.choice((1.0, 1.0, 0.97, 0.9, 0.6, 0.0))
            days = []
            for k in range(span):
                if rng.random() < presence:
                    mx = float(rng.choice((rng.randint(0, 5), rng.uniform(0, 1000))))
                    p95 = float(rng.choice((mx, rng.randint(0, 5), rng.uniform(0, 1000))))
                    days.append((first + timedelta(days=k), mx, p95))
            _add(session, kind, obj, metric, days)
            for d, mx, p95 in days:
                daily[key.format(obj)].append((d, mx if column == "max" else p95, obj))
        for kind, metric in IGNORED:
            _add(session, kind, obj, metric,
                 [(first + timedelta(days=k), 9e9, 9e9) for k in range(span)])  # fmt: skip
    session.flush()
    return daily


def _expected(daily: Daily, at: date, kind: ResourceKind | None = None,
              ids: set[int] | None = None) -> dict[str, CurrentPeak]:  # fmt: skip
    out = {}
    for key, values in daily.items():
        if kind is not None and KEY_KIND[key.split(":")[0]] != kind:
            continue
        if ids is not None and values[0][2] not in ids:
            continue
        peak = compute_current_peak([(d, v) for d, v, _ in values], at)
        if peak is not None:
            out[key] = peak
    return out


@pytest.mark.parametrize("seed", [1, 2])
def test_the_database_aggregate_is_the_pure_definition(session: Session, seed: int) -> None:
    daily = _fill(session, seed)

    for at in AT:
        expected = _expected(daily, at)
        assert expected  # the data gives peaks and (below) resources without one
        assert len(expected) < len(daily)
        assert load_current_peaks(session, at=at) == expected
        for kind in (ResourceKind.CLUSTER, ResourceKind.STORAGE_POOL, ResourceKind.LINK,
                     ResourceKind.INTERFACE, ResourceKind.DEVICE):  # fmt: skip
            assert load_current_peaks(session, at=at, kind=kind) == _expected(daily, at, kind)
        for ids in ([], [3], [500, 501, 1500], list(range(1, 1600, 1))):
            got = load_current_peaks(session, at=at, object_ids=ids)
            assert got == _expected(daily, at, ids=set(ids))
        links = load_link_peaks(session, [7, 1002, 1003], at=at)
        assert links == {
            int(k.removeprefix("link:")): p
            for k, p in _expected(daily, at, ResourceKind.LINK, {7, 1002}).items()
        }
        interfaces = load_interface_peaks(session, IDS, at=at)
        assert len(interfaces) == len(_expected(daily, at, ResourceKind.INTERFACE))


def test_two_directions_complete_a_week_together(session: Session) -> None:
    """IN has Monday to Wednesday of the week, OUT Thursday to Sunday: seven days seen.
    The larger direction a day counts; the current week's days and those before the
    window do not."""
    monday = date(2026, 1, 5)
    week = [monday + timedelta(days=k) for k in range(7)]
    inbound = [(d, 0.0, float(k + 1)) for k, d in enumerate(week[:3])]
    outbound = [(d, 99.0, float(k + 10)) for k, d in enumerate(week[3:])]
    outbound += [(date(2026, 1, 13), 500.0, 500.0), (date(2025, 12, 1), 600.0, 600.0)]
    _add(session, ResourceKind.LINK, 1, Metric.IN_MBPS, inbound)
    _add(session, ResourceKind.LINK, 1, Metric.OUT_MBPS, outbound)
    _add(session, ResourceKind.INTERFACE, 1, Metric.IN_MBPS, inbound)  # one direction
    session.flush()

    assert load_current_peaks(session, at=THURSDAY) == {"link:1": CurrentPeak(monday, 13.0)}
    assert compute_current_peak([(d, p) for d, _, p in inbound + outbound], THURSDAY) == (
        CurrentPeak(monday, 13.0)
    )
