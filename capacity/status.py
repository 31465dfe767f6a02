"""Where every pool and link stands today and when it runs out (the capacity report).

The report answers the planner's standing question without any request: headroom
now, the day the point forecast (plus approved reservations) reaches the
ceiling, and the day its upper 80 % bound does. Beside the forecast for today it
carries the measured current peak (``capacity.utilisation``), the figure every
page shows as "current utilisation".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from capacity.dates import years_between_ordinals
from capacity.forecast import Bound, Forecast
from capacity.model import compute_cluster_capacity, compute_usable_tb
from capacity.snapshot import (
    Inventory,
    Reservation,
    cluster_ram_key,
    cluster_vcpu_key,
    link_key,
    storage_key,
)
from capacity.utilisation import CurrentPeak


@dataclass(frozen=True)
class ResourceStatus:
    """One row of the capacity report."""

    resource: str
    name: str
    kind: str
    unit: str
    capacity: float
    ceiling_pct: float
    ceiling: float
    baseline: float
    reserved: float
    headroom: float
    exhaustion_date: date | None
    at_risk_date: date | None
    baseline_model: str
    backtest_mape_pct: float | None
    #: The measured peak of the last complete week (None: no complete week of samples).
    current: float | None = None
    current_week: date | None = None
    at_risk_95_date: date | None = None  # the upper 95 % bound reaches the ceiling

    @property
    def utilisation(self) -> float | None:
        """The current peak as a fraction of capacity."""
        if self.current is None or self.capacity <= 0:
            return None
        return self.current / self.capacity

    @property
    def headroom_share(self) -> float:
        """Headroom as a share of the ceiling: units differ, shares compare."""
        return self.headroom / self.ceiling if self.ceiling > 0 else float("-inf")


def exhaustion_order(row: ResourceStatus) -> tuple[date, date, date, float, str]:
    """What runs out first: by the forecast's date, then the 80 % and 95 % bounds' dates,
    then the smallest headroom share (the order of the report and the dashboard)."""
    return (
        row.exhaustion_date or date.max,
        row.at_risk_date or date.max,
        row.at_risk_95_date or date.max,
        row.headroom_share,
        row.name.casefold(),
    )


def runs_out_first(rows: Sequence[ResourceStatus], limit: int) -> list[ResourceStatus]:
    """The ``limit`` resources that reach their ceiling soonest, by any of the three
    dates; resources that never do within the forecast are left out."""
    dated = [r for r in rows if r.exhaustion_date or r.at_risk_date or r.at_risk_95_date]
    return sorted(dated, key=exhaustion_order)[:limit]


def compute_reserved(reservations: Sequence[Reservation], ordinals: np.ndarray) -> np.ndarray:
    """What ``reservations`` hold on each day (ordinals), grown by the verdict's rule."""
    # One growth rule (DESIGN §6): the verdict's calendar months, m/12 years at month m.
    out = np.zeros(len(ordinals))
    for r in reservations:
        years = years_between_ordinals(r.start, ordinals)
        grown = r.d0 * (1.0 + r.growth_pct_per_year / 100.0) ** years
        out += np.where(ordinals >= r.start.toordinal(), grown, 0.0)
    return out


def _status(
    *,
    resource: str,
    name: str,
    kind: str,
    unit: str,
    capacity: float,
    ceiling_pct: float,
    forecast: Forecast,
    reservations: Sequence[Reservation],
    at: date,
    current: CurrentPeak | None = None,
) -> ResourceStatus:
    limit = capacity * ceiling_pct
    last = max(forecast.end, at)
    days = np.arange(at.toordinal(), last.toordinal() + 1)
    reserved = compute_reserved(reservations, days)
    tolerance = 1e-9 * max(1.0, abs(limit))

    def first_reach(bound: Bound) -> date | None:
        load = forecast.values_at(days, bound) + reserved
        hit = np.flatnonzero(load >= limit - tolerance)
        return date.fromordinal(int(days[hit[0]])) if len(hit) else None

    baseline = float(forecast.value_at(at))
    return ResourceStatus(
        resource=resource,
        name=name,
        kind=kind,
        unit=unit,
        capacity=capacity,
        ceiling_pct=ceiling_pct,
        ceiling=limit,
        baseline=baseline,
        reserved=float(reserved[0]),
        headroom=limit - baseline - float(reserved[0]),
        exhaustion_date=first_reach("mean"),
        at_risk_date=first_reach("hi80"),
        baseline_model=forecast.model,
        backtest_mape_pct=forecast.backtest_mape_pct,
        current=current.value if current else None,
        current_week=current.week_start if current else None,
        at_risk_95_date=first_reach("hi95"),
    )


def compute_resource_status(
    inventory: Inventory,
    reservations: Sequence[Reservation],
    at: date,
    current: Mapping[str, CurrentPeak] | None = None,
) -> tuple[ResourceStatus, ...]:
    """A status row for every cluster (vCPU, RAM), storage pool and link, as of ``at``;
    ``current`` gives the measured peaks by resource key."""
    peaks = current or {}
    by_resource: dict[str, list[Reservation]] = {}
    for r in reservations:
        by_resource.setdefault(r.resource, []).append(r)
    rows: list[ResourceStatus] = []
    for c in inventory.clusters:
        cap = compute_cluster_capacity(c.spec)
        for key, kind, unit, capacity, fc in (
            (cluster_vcpu_key(c.spec.id), "vcpu", "vCPU", cap.vcpu, c.vcpu_baseline),
            (cluster_ram_key(c.spec.id), "ram", "GB", cap.ram_gb, c.ram_baseline),
        ):
            rows.append(
                _status(
                    resource=key, name=c.spec.name or c.spec.id, kind=kind, unit=unit,
                    capacity=capacity, ceiling_pct=c.spec.ceiling_pct, forecast=fc,
                    reservations=by_resource.get(key, []), at=at,
                    current=peaks.get(key),
                )
            )  # fmt: skip
    for p in inventory.storage_pools:
        key = storage_key(p.spec.id)
        rows.append(
            _status(
                resource=key, name=p.spec.name or p.spec.id, kind="storage", unit="TB",
                capacity=compute_usable_tb(p.spec), ceiling_pct=p.spec.ceiling_pct,
                forecast=p.used_baseline, reservations=by_resource.get(key, []), at=at,
                current=peaks.get(key),
            )
        )  # fmt: skip
    for link in inventory.links:
        key = link_key(link.spec.id)
        rows.append(
            _status(
                resource=key, name=link.spec.name or link.spec.id, kind="link", unit="Mbps",
                capacity=link.spec.capacity_mbps, ceiling_pct=link.spec.ceiling_pct,
                forecast=link.p95_baseline, reservations=by_resource.get(key, []), at=at,
                current=peaks.get(key),
            )
        )  # fmt: skip
    return tuple(rows)
