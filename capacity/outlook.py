"""The capacity pages' use cases: the dashboard's report and one object's outlook.

Like ``capacity.actions`` these read through ``capacity.inputs`` and never commit
(computing may refresh the forecast cache: the caller commits). The arithmetic
stays in the pure ``capacity.status``; this module only gathers and labels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from threading import Lock
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from capacity import inputs
from capacity.forecast import Forecast
from capacity.snapshot import (
    Reservation,
    cluster_ram_key,
    cluster_vcpu_key,
    link_key,
    storage_key,
)
from capacity.status import ResourceStatus, compute_reserved, compute_resource_status
from cmdb.choices import ResourceKind

#: Exhaustion within this many days makes a resource "at risk" on the dashboard.
WARN_DAYS = 365


@dataclass(frozen=True)
class CapacityOverview:
    """Every resource's status today, which links are the DC's uplinks and which are
    cables inside one site (neither uplinks nor a site's way to the DC)."""

    at: date
    rows: tuple[ResourceStatus, ...]
    dc_uplinks: frozenset[str]  # resource keys (link:<id>)
    inside_site: frozenset[str] = frozenset()  # resource keys (link:<id>)


@dataclass(frozen=True)
class ResourceOutlook:
    """One resource of an object's page: status, forecast and the daily history behind it."""

    status: ResourceStatus
    forecast: Forecast
    daily: tuple[tuple[date, float], ...]
    # The approved reservations at each of the forecast's weekly points, grown by the
    # verdict's rule (what the chart adds to the forecast).
    reserved: tuple[float, ...] = ()


def classify(row: ResourceStatus, at: date, warn_days: int = WARN_DAYS) -> str:
    """``over`` past the ceiling now; ``risk`` when the forecast (or its 80 % bound)
    reaches it within ``warn_days``; else ``ok``. The dashboard's colours."""
    if row.headroom < 0:
        return "over"
    horizon = at + timedelta(days=warn_days)
    if any(d is not None and d <= horizon for d in (row.exhaustion_date, row.at_risk_date)):
        return "risk"
    return "ok"


def used_fraction_of_ceiling(row: ResourceStatus) -> float:
    """(baseline + reserved) ÷ ceiling: 1.0 is saturated (the planning limit)."""
    if row.ceiling <= 0:
        return 0.0
    return (row.baseline + row.reserved) / row.ceiling


def load_capacity_overview(session: Session, *, at: date) -> CapacityOverview:
    """The report of every resource; reused while nothing it depends on has changed.

    Computing it costs a day-by-day scan of every forecast (~100 ms for the demo's
    271 resources); the dashboard asks for it on every render, so the last result
    is kept per database and day, keyed by ``inputs.load_capacity_fingerprint``.
    """
    fingerprint = (_database(session), at, inputs.load_capacity_fingerprint(session))
    with _LOCK:
        if _LAST and _LAST[0] == fingerprint:
            cached: CapacityOverview = _LAST[1]
            return cached
    inventory = inputs.load_inventory(session, today=at)
    current = inputs.load_current_peaks(session, at=at)
    rows = compute_resource_status(inventory, inputs.load_reservations(session), at, current)
    uplinks = {link_key(i) for ids in inventory.dc_uplinks.values() for i in ids}
    inside = {link_key(lk.spec.id) for lk in inventory.links if lk.spec.a_site == lk.spec.b_site}
    overview = CapacityOverview(
        at=at, rows=rows, dc_uplinks=frozenset(uplinks), inside_site=frozenset(inside)
    )
    with _LOCK:  # fitting may have refreshed the cache: store under the new fingerprint
        _LAST[:] = [(fingerprint[0], at, inputs.load_capacity_fingerprint(session)), overview]
    return overview


def _database(session: Session) -> str:
    return session.get_bind().engine.url.render_as_string(hide_password=True)


_LOCK = Lock()
_LAST: list[Any] = []  # [fingerprint, overview] of the last report computed in this process


def load_resource_outlook(
    session: Session,
    *,
    at: date,
    cluster_id: int | None = None,
    pool_id: int | None = None,
    link_id: int | None = None,
) -> tuple[ResourceOutlook, ...]:
    """The resources of one cluster (vCPU, RAM), storage pool or link, for its page."""
    inventory, daily = inputs.load_object_inventory(
        session, today=at, cluster_id=cluster_id, pool_id=pool_id, link_id=link_id
    )
    forecasts: dict[str, Forecast] = {}
    for c in inventory.clusters:
        forecasts[cluster_vcpu_key(c.spec.id)] = c.vcpu_baseline
        forecasts[cluster_ram_key(c.spec.id)] = c.ram_baseline
    for p in inventory.storage_pools:
        forecasts[storage_key(p.spec.id)] = p.used_baseline
    for lk in inventory.links:
        forecasts[link_key(lk.spec.id)] = lk.p95_baseline
    kind, object_id = _object(cluster_id, pool_id, link_id)
    current = inputs.load_current_peaks(session, at=at, kind=kind, object_ids=[object_id])
    reservations = inputs.load_reservations(session)
    rows = compute_resource_status(inventory, reservations, at, current)
    return tuple(
        ResourceOutlook(
            status=row,
            forecast=forecasts[row.resource],
            daily=tuple(daily.get(row.resource, ())),
            reserved=_reserved_at_points(reservations, row.resource, forecasts[row.resource]),
        )
        for row in rows
    )


def _object(
    cluster_id: int | None, pool_id: int | None, link_id: int | None
) -> tuple[ResourceKind, int]:
    for kind, object_id in (
        (ResourceKind.CLUSTER, cluster_id),
        (ResourceKind.STORAGE_POOL, pool_id),
        (ResourceKind.LINK, link_id),
    ):
        if object_id is not None:
            return kind, object_id
    raise ValueError("an outlook needs a cluster, a storage pool or a link")


def _reserved_at_points(
    reservations: Sequence[Reservation], resource: str, forecast: Forecast
) -> tuple[float, ...]:
    mine = [r for r in reservations if r.resource == resource]
    ordinals = np.array([p.date.toordinal() for p in forecast.points])
    return tuple(float(v) for v in compute_reserved(mine, ordinals))
