"""The one module of ``capacity`` that reads the database: it builds the pure inputs.

Inventory rows become specs, sample rollups become baseline forecasts (cached in
``forecast_cache`` and in this process until new samples arrive), the link graph
becomes each site's path to the DC, approved requests become reservations, the
planners' price list becomes the expansion catalogue.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from threading import Lock
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from capacity.expansion import Catalogue, LinkTier, ServerModel, StorageShelf
from capacity.forecast import Forecast, compute_weekly_peak_array
from capacity.model import ClusterSpec, HostSpec, LinkSpec, StoragePoolSpec
from capacity.refresh import WeeklyPeaks, refresh_forecasts
from capacity.request import DcBandwidth, Request, SiteBandwidth, Workload
from capacity.snapshot import (
    ClusterState,
    Inventory,
    LinkState,
    Reservation,
    StoragePoolState,
    cluster_ram_key,
    cluster_vcpu_key,
    link_key,
    storage_key,
)
from capacity.utilisation import CurrentPeak, compute_window
from cmdb.choices import (
    CatalogueKind,
    DeviceRole,
    Metric,
    Redundancy,
    ResourceKind,
    SiteKind,
    Status,
)
from cmdb.db import is_write_conflict, utcnow
from cmdb.models import (
    CatalogueItem,
    Cluster,
    ForecastCache,
    Link,
    NetworkSetting,
    SampleDaily,
    Series,
    Site,
    StoragePool,
)
from cmdb.models import (
    Workload as WorkloadRow,
)
from cmdb.schemas.request import RequestDocument, SitesDocument
from cmdb.services.as_of import in_force
from cmdb.services.requests import RequestRefs, load_reservation_rows

DEFAULT_LINK_CEILING_PCT = 70.0
FORECAST_METHOD = "weekly-peak;autoets-aan-damped-by-aicc;h312;v1"
"""Changing how forecasts are fitted must change this, so cached fits are redone."""

ACTIVE = (Status.ACTIVE, Status.PLANNED)


# -- the snapshot --------------------------------------------------------------------


def load_inventory(session: Session, *, today: date) -> Inventory:
    """Clusters, pools and links with their baselines, paths and DC uplinks."""
    clusters = _load_clusters(session)
    pools = _load_pools(session)
    # The links in force today: a link a reform ended, or one planned to start later, is
    # no path of today's network.
    stmt = sa.select(Link).where(Link.status.in_(ACTIVE), in_force(today, Link))
    links = list(session.scalars(stmt))
    baselines = load_baselines(session, clusters, pools, links, today=today)
    dc = _dc_site_id(session, clusters)
    settings = load_network_settings(session)
    # (Result has keys(): dict(result) would take it for a mapping.)
    site_kinds = {i: kind for i, kind in session.execute(sa.select(Site.id, Site.kind))}
    return Inventory(
        clusters=tuple(
            ClusterState(
                spec=_cluster_spec(c),
                vcpu_baseline=baselines[cluster_vcpu_key(str(c.id))],
                ram_baseline=baselines[cluster_ram_key(str(c.id))],
            )
            for c in clusters
        ),
        storage_pools=tuple(
            StoragePoolState(spec=_pool_spec(p), used_baseline=baselines[storage_key(str(p.id))])
            for p in pools
        ),
        links=tuple(
            LinkState(spec=_link_spec(lk), p95_baseline=baselines[link_key(str(lk.id))])
            for lk in links
        ),
        paths=compute_paths(links, dc) if dc is not None else {},
        dc_uplinks=compute_dc_uplinks(links, dc, site_kinds, settings) if dc is not None else {},
        load_sharing=frozenset(
            net for net, s in settings.items() if s.redundancy is Redundancy.LOAD_SHARING
        ),
    )


def load_object_inventory(
    session: Session, *, today: date, cluster_id: int | None = None,
    pool_id: int | None = None, link_id: int | None = None,
) -> tuple[Inventory, dict[str, list[tuple[date, float]]]]:  # fmt: skip
    """One cluster, storage pool or link with its baselines (no paths), and the daily
    values its forecasts were fitted on: what the object's page charts.

    Reads only that object's rows and series, so a detail page does not pay for
    the whole inventory.
    """
    clusters = [c for c in _load_clusters(session, cluster_id) if cluster_id is not None]
    pools = [p for p in _load_pools(session, pool_id) if pool_id is not None]
    links = list(session.scalars(sa.select(Link).where(Link.id == link_id))) if link_id else []
    needs, stats = _baseline_needs(session, clusters, pools, links, narrow=True)
    baselines = _load_baselines(session, needs, stats, today)
    inventory = Inventory(
        clusters=tuple(
            ClusterState(
                spec=_cluster_spec(c),
                vcpu_baseline=baselines[cluster_vcpu_key(str(c.id))],
                ram_baseline=baselines[cluster_ram_key(str(c.id))],
            )
            for c in clusters
        ),
        storage_pools=tuple(
            StoragePoolState(spec=_pool_spec(p), used_baseline=baselines[storage_key(str(p.id))])
            for p in pools
        ),
        links=tuple(
            LinkState(spec=_link_spec(lk), p95_baseline=baselines[link_key(str(lk.id))])
            for lk in links
        ),
    )
    return inventory, _load_daily(session, needs)


def load_capacity_fingerprint(session: Session) -> tuple[Any, ...]:
    """What the capacity report depends on, in one query: row counts and latest changes
    of hosts, clusters, pools, links, workloads and sites, the reservations, the forecast
    cache and the samples' watermarks. Equal fingerprints give equal reports."""
    from cmdb.models import CapacityReservation, Device

    def changed(model: Any) -> tuple[Any, ...]:
        return (
            sa.select(sa.func.count()).select_from(model).scalar_subquery(),
            sa.select(sa.func.max(model.updated_at)).scalar_subquery(),
        )

    row = session.execute(
        sa.select(
            *changed(Device), *changed(Cluster), *changed(StoragePool), *changed(Link),
            *changed(WorkloadRow), *changed(Site),
            sa.select(sa.func.count()).select_from(CapacityReservation).scalar_subquery(),
            sa.select(sa.func.max(CapacityReservation.id)).scalar_subquery(),
            sa.select(sa.func.max(ForecastCache.computed_at)).scalar_subquery(),
            sa.select(sa.func.max(Series.daily_through)).scalar_subquery(),
            sa.select(sa.func.sum(Series.daily_count)).scalar_subquery(),
        )
    ).one()  # fmt: skip
    return tuple(row)


def _load_clusters(session: Session, cluster_id: int | None = None) -> list[Cluster]:
    stmt = sa.select(Cluster).options(selectinload(Cluster.hosts)).order_by(Cluster.name)
    if cluster_id is not None:
        stmt = stmt.where(Cluster.id == cluster_id)
    return list(session.scalars(stmt))


def _load_pools(session: Session, pool_id: int | None = None) -> list[StoragePool]:
    stmt = sa.select(StoragePool).options(selectinload(StoragePool.clusters))
    if pool_id is not None:
        stmt = stmt.where(StoragePool.id == pool_id)
    return list(session.scalars(stmt.order_by(StoragePool.name)))


def _cluster_spec(cluster: Cluster) -> ClusterSpec:
    hosts = tuple(
        HostSpec(cores=h.cores or 0, ram_gb=h.ram_gb or 0.0, name=h.name)
        for h in cluster.hosts
        if h.role == DeviceRole.SERVER and h.status == Status.ACTIVE
    )
    return ClusterSpec(
        id=str(cluster.id),
        name=cluster.name,
        hosts=hosts,
        cpu_ratio=cluster.cpu_ratio,
        ram_ratio=cluster.ram_ratio,
        ha_reserve_hosts=cluster.ha_reserve_hosts,
        max_security_level=cluster.max_security_level,
        zones=frozenset(cluster.zones),
        ceiling_pct=cluster.ceiling_pct / 100.0,
    )


def _pool_spec(pool: StoragePool) -> StoragePoolSpec:
    return StoragePoolSpec(
        id=str(pool.id),
        name=pool.name,
        raw_tb=pool.raw_tb,
        protection=pool.protection.value,
        ceiling_pct=pool.ceiling_pct / 100.0,
        cluster_ids=frozenset(str(c.id) for c in pool.clusters),
    )


def _link_spec(link: Link) -> LinkSpec:
    return LinkSpec(
        id=str(link.id),
        name=link.name,
        network=link.network.value,
        capacity_mbps=link.capacity_mbps,
        a_site=str(link.a_site_id or ""),  # "": an open end
        b_site=str(link.b_site_id or ""),
        ceiling_pct=link_ceiling_fraction(link.ceiling_pct),
    )


def link_ceiling_fraction(ceiling_pct: float | None) -> float:
    """A link's planning ceiling as a fraction: its own override, else the default.
    The one rule: the capacity report, the link's page and every usage bar use it."""
    return (ceiling_pct or DEFAULT_LINK_CEILING_PCT) / 100.0


def _dc_site_id(session: Session, clusters: list[Cluster]) -> int | None:
    """The DC the paths lead to: the site the planners set as the DC, else the one that
    hosts the most clusters, else the first data centre."""
    chosen = session.scalar(sa.select(Site.id).where(Site.is_dc.is_(True)))
    if chosen is not None:
        return chosen
    counts: dict[int, int] = defaultdict(int)
    for c in clusters:
        if c.site_id is not None:  # an unplaced cluster is in no DC
            counts[c.site_id] += 1
    if counts:
        return max(sorted(counts), key=lambda s: counts[s])
    stmt = sa.select(Site.id).where(Site.kind == SiteKind.DATA_CENTRE).order_by(Site.id)
    return session.scalars(stmt).first()


# -- paths through the link graph ------------------------------------------------------


def compute_paths(links: Iterable[Link], dc_site_id: int) -> dict[str, dict[str, tuple[str, ...]]]:
    """Per network, each site's links to the DC (its own access link first).

    A breadth-first search from the DC over the network's links gives every
    reachable site its shortest path; the link graph, not the admin tree, decides
    (after the 2025 reform a commune may hang straight off the DC). A cable inside
    one site leads nowhere and is left out, and so is a circuit with an open end (it
    joins no two places).
    """
    by_network: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        if not link.inside_one_site and not link.open_ended:
            by_network[link.network.value].append(link)
    return {net: _bfs_paths(net_links, dc_site_id) for net, net_links in by_network.items()}


def _bfs_paths(links: list[Link], dc: int) -> dict[str, tuple[str, ...]]:
    adjacent: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for link in sorted(links, key=lambda lk: lk.id):
        a, b = link.a_site_id, link.b_site_id
        if a is not None and b is not None:  # compute_paths keeps no open end
            adjacent[a].append((b, link.id))
            adjacent[b].append((a, link.id))
    paths: dict[int, tuple[int, ...]] = {dc: ()}
    queue = deque([dc])
    while queue:
        here = queue.popleft()
        for there, link_id in adjacent[here]:
            if there not in paths:
                paths[there] = (link_id, *paths[here])
                queue.append(there)
    return {str(site): tuple(str(i) for i in path) for site, path in paths.items() if path}


@dataclass(frozen=True)
class NetworkRule:
    """A network's DC-uplink rule and redundancy (``NetworkSetting``, else the defaults)."""

    uplink_site_kinds: frozenset[str] = frozenset({SiteKind.POP.value})
    redundancy: Redundancy = Redundancy.ACTIVE_STANDBY


def load_network_settings(session: Session) -> dict[str, NetworkRule]:
    """The planners' rule per network; a network without one takes ``NetworkRule()``."""
    return {
        row.network.value: NetworkRule(frozenset(row.uplink_site_kinds), row.redundancy)
        for row in session.scalars(sa.select(NetworkSetting))
    }


def compute_dc_uplinks(
    links: Iterable[Link],
    dc_site_id: int,
    site_kinds: Mapping[int, SiteKind],
    settings: Mapping[str, NetworkRule],
) -> dict[str, tuple[str, ...]]:
    """Per network, the DC's uplinks: its links whose far end is a site of a kind the
    network's rule names (by default a provider's point of presence; DESIGN §6), and its
    links with an open end (a provider network, an Internet transit). A cable inside the
    DC has the DC at both ends and is no uplink; a link from the DC to a district or
    commune is a path, not an uplink, unless the rule says so."""
    uplinks: dict[str, list[str]] = defaultdict(list)
    for link in sorted(links, key=lambda lk: lk.id):
        ends = {link.a_site_id, link.b_site_id}
        if link.inside_one_site or dc_site_id not in ends:
            continue
        far = ends - {dc_site_id}
        if far == {None}:  # the open end of a circuit from the DC
            uplinks[link.network.value].append(str(link.id))
            continue
        kinds = settings.get(link.network.value, NetworkRule()).uplink_site_kinds
        (far_id,) = far
        if far_id is not None and far_id in site_kinds and site_kinds[far_id].value in kinds:
            uplinks[link.network.value].append(str(link.id))
    return {net: tuple(ids) for net, ids in uplinks.items()}


# -- baselines -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Need:
    """One baseline to forecast: its series and how a day's value is read from them."""

    resource: str
    series_ids: tuple[int, ...]
    column: str  # "max" for allocations and storage, "p95" for links (max over in/out)
    fallback: float  # the current value, when there is no history


def load_baselines(
    session: Session, clusters: list[Cluster], pools: list[StoragePool], links: list[Link],
    *, today: date,
) -> dict[str, Forecast]:  # fmt: skip
    """The baseline forecast of every resource, from cache where samples are unchanged."""
    return _load_baselines(session, *_baseline_needs(session, clusters, pools, links), today)


def _load_baselines(
    session: Session, needs: list[_Need], stats: dict[int, tuple[date, int]], today: date
) -> dict[str, Forecast]:
    out: dict[str, Forecast] = {}
    to_fit: dict[str, _Need] = {}
    marks: dict[str, tuple[date, int]] = {}
    for need in needs:
        seen = [stats[s] for s in need.series_ids if s in stats]
        if not seen:
            out[need.resource] = Forecast.constant(need.fallback, today, model="current_value")
            continue
        marks[need.resource] = (max(d for d, _ in seen), sum(n for _, n in seen))
        to_fit[need.resource] = need
    cached = _load_cached(session, marks)
    out.update(cached)
    stale = {r: n for r, n in to_fit.items() if r not in cached}
    if stale:
        fitted = _fit(session, stale, _load_previous(session, list(stale)))
        _store_cache(session, fitted, marks)
        out.update(fitted)
    return out


def _baseline_needs(
    session: Session, clusters: list[Cluster], pools: list[StoragePool], links: list[Link],
    narrow: bool = False,
) -> tuple[list[_Need], dict[int, tuple[date, int]]]:  # fmt: skip
    """What to forecast, and each series' watermark (last day, count of daily rollups).

    ``narrow`` reads only the series of the given objects (one object's page).
    """
    stmt = sa.select(Series.id, Series.object_type, Series.object_id, Series.metric,
                     Series.daily_through, Series.daily_count)  # fmt: skip
    if narrow:
        stmt = stmt.where(
            sa.or_(*(
                sa.and_(Series.object_type == kind, Series.object_id.in_([o.id for o in objs]))
                for kind, objs in ((ResourceKind.CLUSTER, clusters),
                                   (ResourceKind.STORAGE_POOL, pools), (ResourceKind.LINK, links))
                if objs
            ))
        )  # fmt: skip
    rows = session.execute(stmt).all()
    series = {(r.object_type, r.object_id, r.metric): r.id for r in rows}
    stats = {r.id: (r.daily_through, r.daily_count) for r in rows if r.daily_through}
    alloc = _current_allocation(session)

    def ids(kind: ResourceKind, obj_id: int, *metrics: Metric) -> tuple[int, ...]:
        return tuple(series[(kind, obj_id, m)] for m in metrics if (kind, obj_id, m) in series)

    needs: list[_Need] = []
    for c in clusters:
        vcpu, ram, _ = alloc["cluster"].get(c.id, (0.0, 0.0, 0.0))
        needs.append(
            _Need(
                cluster_vcpu_key(str(c.id)),
                ids(ResourceKind.CLUSTER, c.id, Metric.VCPU_ALLOCATED),
                "max",
                vcpu,
            )
        )
        needs.append(
            _Need(
                cluster_ram_key(str(c.id)),
                ids(ResourceKind.CLUSTER, c.id, Metric.RAM_ALLOCATED_GB),
                "max",
                ram,
            )
        )
    for p in pools:
        _, _, disk_tb = alloc["pool"].get(p.id, (0.0, 0.0, 0.0))
        needs.append(
            _Need(
                storage_key(str(p.id)),
                ids(ResourceKind.STORAGE_POOL, p.id, Metric.STORAGE_USED_TB),
                "max",
                disk_tb,
            )
        )
    for lk in links:
        needs.append(
            _Need(
                link_key(str(lk.id)),
                ids(ResourceKind.LINK, lk.id, Metric.IN_MBPS, Metric.OUT_MBPS),
                "p95",
                0.0,
            )
        )
    return needs, stats  # fmt: skip


def _current_allocation(session: Session) -> dict[str, dict[int, tuple[float, float, float]]]:
    """Σ vCPU, RAM GB, disk TB of active workloads per cluster and per pool; a workload
    of unknown size (no vCPU or memory: ``Workload.sized``) is left out, as the cluster
    page counts."""
    cols = (
        sa.func.sum(WorkloadRow.vcpu),
        sa.func.sum(WorkloadRow.ram_gb),
        sa.func.sum(WorkloadRow.disk_gb) / 1000.0,
    )
    active = sa.and_(
        WorkloadRow.status == Status.ACTIVE,
        WorkloadRow.vcpu.is_not(None),
        WorkloadRow.ram_gb.is_not(None),
    )
    out: dict[str, dict[int, tuple[float, float, float]]] = {"cluster": {}, "pool": {}}
    for key, col in (("cluster", WorkloadRow.cluster_id), ("pool", WorkloadRow.storage_pool_id)):
        stmt = sa.select(col, *cols).where(active, col.is_not(None)).group_by(col)
        for obj_id, vcpu, ram, disk in session.execute(stmt):
            assert obj_id is not None  # the query keeps set ids only
            out[key][obj_id] = (float(vcpu or 0), float(ram or 0), float(disk or 0))
    return out


# In-process memo of decoded forecasts: decoding JSON for hundreds of series costs
# more than an evaluation. It is keyed by the cache row's resource and computed_at (set
# to the microsecond by every refit), so a refit, a reset or a rolled-back transaction
# is never served from memory; and copies of one database (a restored backup, each
# test's copy of the demo) share their entries, as they share the rows.
_MEMO: dict[tuple[str, datetime], Forecast] = {}
_MEMO_LOCK = Lock()
_MEMO_MAX = 50_000


def _load_cached(session: Session, marks: Mapping[str, tuple[date, int]]) -> dict[str, Forecast]:
    """Cached forecasts still valid for the samples' watermarks."""
    stmt = sa.select(
        ForecastCache.resource, ForecastCache.fitted_through, ForecastCache.sample_count,
        ForecastCache.computed_at,
    ).where(ForecastCache.method == FORECAST_METHOD)  # fmt: skip
    valid = {
        row.resource: _utc_naive(row.computed_at)
        for row in session.execute(stmt)
        if marks.get(row.resource) == (row.fitted_through, row.sample_count)
    }
    out: dict[str, Forecast] = {}
    with _MEMO_LOCK:
        for resource, computed_at in valid.items():
            hit = _MEMO.get((resource, computed_at))
            if hit is not None:
                out[resource] = hit
    missing = [r for r in valid if r not in out]
    for i in range(0, len(missing), 500):
        rows = sa.select(ForecastCache.resource, ForecastCache.data).where(
            ForecastCache.resource.in_(missing[i : i + 500])
        )
        for resource, data in session.execute(rows):
            out[resource] = Forecast.from_dict(data)
            _remember(resource, valid[resource], out[resource])
    return out


def _remember(resource: str, computed_at: datetime, fc: Forecast) -> None:
    with _MEMO_LOCK:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[(resource, _utc_naive(computed_at))] = fc


def _utc_naive(at: datetime) -> datetime:
    """SQLite gives back naive UTC, PostgreSQL aware: compare them as naive UTC."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def _load_previous(session: Session, resources: list[str]) -> dict[str, Forecast]:
    """The last forecast of each resource, however stale its samples' watermark: a
    refresh keeps the ones whose weekly peaks have not changed (``capacity.refresh``)."""
    out: dict[str, Forecast] = {}
    for i in range(0, len(resources), 500):
        rows = sa.select(ForecastCache.resource, ForecastCache.data).where(
            ForecastCache.resource.in_(resources[i : i + 500]),
            ForecastCache.method == FORECAST_METHOD,
        )
        out.update((resource, Forecast.from_dict(data)) for resource, data in session.execute(rows))
    return out


def _weekly(daily: list[tuple[date, float]]) -> WeeklyPeaks | None:
    ordinals = np.fromiter((d.toordinal() for d, _ in daily), dtype=np.int64, count=len(daily))
    values = np.fromiter((v for _, v in daily), dtype=float, count=len(daily))
    first, peaks = compute_weekly_peak_array(ordinals, values)
    return None if first is None else (first, peaks)


def _fit(
    session: Session, needs: Mapping[str, _Need], previous: Mapping[str, Forecast]
) -> dict[str, Forecast]:
    """Refit the resources whose weekly peaks changed; AICc picks damped or straight
    trend at a first fit, a refit keeps that choice."""
    daily = _load_daily(session, needs.values())
    weekly = {r: w for r in needs if daily.get(r) and (w := _weekly(daily[r])) is not None}
    return refresh_forecasts(weekly, previous).forecasts


def _load_daily(session: Session, needs: Iterable[_Need]) -> dict[str, list[tuple[date, float]]]:
    """Each need's daily values: the day's max (or p95), the larger over its series."""
    owner: dict[int, tuple[str, str]] = {}
    for need in needs:
        for sid in need.series_ids:
            owner[sid] = (need.resource, need.column)
    per_resource: dict[str, dict[date, float]] = defaultdict(dict)
    ids = sorted(owner)
    for i in range(0, len(ids), 500):  # bounded IN lists
        stmt = sa.select(
            SampleDaily.series_id, SampleDaily.day, SampleDaily.max, SampleDaily.p95
        ).where(SampleDaily.series_id.in_(ids[i : i + 500]))
        for sid, day, mx, p95 in session.execute(stmt):
            resource, column = owner[sid]
            value = mx if column == "max" else p95
            days = per_resource[resource]
            days[day] = max(days.get(day, value), value)
    return {r: sorted(days.items()) for r, days in per_resource.items()}


# -- current utilisation ------------------------------------------------------------


def _interface_key(interface_id: str) -> str:
    return f"interface:{interface_id}"


#: The series behind each resource's current peak, its resource key and the rollup read.
#: Series of one object whose keys are the same function (a link's two directions) make
#: one resource: a day's value is the larger of theirs.
_CURRENT_SERIES: dict[tuple[ResourceKind, Metric], tuple[Callable[[str], str], str]] = {
    (ResourceKind.CLUSTER, Metric.VCPU_ALLOCATED): (cluster_vcpu_key, "max"),
    (ResourceKind.CLUSTER, Metric.RAM_ALLOCATED_GB): (cluster_ram_key, "max"),
    (ResourceKind.STORAGE_POOL, Metric.STORAGE_USED_TB): (storage_key, "max"),
    (ResourceKind.LINK, Metric.IN_MBPS): (link_key, "p95"),
    (ResourceKind.LINK, Metric.OUT_MBPS): (link_key, "p95"),
    (ResourceKind.INTERFACE, Metric.IN_MBPS): (_interface_key, "p95"),
    (ResourceKind.INTERFACE, Metric.OUT_MBPS): (_interface_key, "p95"),
}


def _key_group(kind: ResourceKind, metric: Metric) -> Metric:
    """The metric that names the group of ``(kind, metric)``: the first of its kind in
    ``_CURRENT_SERIES`` with the same resource key (a link's OUT counts with its IN)."""
    to_key = _CURRENT_SERIES[(kind, metric)][0]
    return next(m for (k, m), (f, _) in _CURRENT_SERIES.items() if k == kind and f is to_key)


def load_current_peaks(
    session: Session, *, at: date, kind: ResourceKind | None = None,
    object_ids: Iterable[int] | None = None,
) -> dict[str, CurrentPeak]:  # fmt: skip
    """Resource key → its current peak (``capacity.utilisation``), from the daily rollups
    of the last few weeks. ``kind`` and ``object_ids`` narrow the read; resources
    without a complete week are absent.

    The database does the reading ``compute_current_peak`` defines: per resource and
    week of the window, the peak of the daily values and the number of days seen; the
    last week with all 7 days is the current peak. A few rows per resource instead of
    one per series and day.
    """
    first, before = compute_window(at)
    starts = [first + timedelta(weeks=k) for k in range((before - first).days // 7)]
    pairs = list(_CURRENT_SERIES)
    is_pair = {
        pair: sa.and_(Series.object_type == pair[0], Series.metric == pair[1]) for pair in pairs
    }
    rows = (
        sa.select(
            Series.object_type.label("kind"),
            Series.object_id.label("object_id"),
            sa.case(
                *((is_pair[p], sa.literal(_key_group(*p), Series.metric.type))
                  for p in pairs if _key_group(*p) != p[1]),
                else_=Series.metric,
            ).label("key_group"),
            sa.case(
                *((SampleDaily.day < s, k) for k, s in enumerate(starts[1:])),
                else_=len(starts) - 1,
            ).label("week"),
            sa.case(
                (sa.or_(*(is_pair[p] for p in pairs if _CURRENT_SERIES[p][1] == "p95")),
                 SampleDaily.p95),
                else_=SampleDaily.max,
            ).label("value"),
            SampleDaily.day.label("day"),
        )
        .join(SampleDaily, SampleDaily.series_id == Series.id)
        .where(SampleDaily.day >= first, SampleDaily.day < before,
               sa.or_(*is_pair.values()))
    )  # fmt: skip
    if kind is not None:
        rows = rows.where(Series.object_type == kind)
    ids = None if object_ids is None else sorted(set(object_ids))
    complete: dict[str, tuple[int, float]] = {}
    for part in _chunks(ids):
        narrowed = (rows if part is None else rows.where(Series.object_id.in_(part))).subquery()
        # Grouped outside the subquery: PostgreSQL cannot tell that a CASE with bound
        # parameters in the select list is the one in GROUP BY.
        stmt = (
            sa.select(narrowed.c.kind, narrowed.c.object_id, narrowed.c.key_group,
                      narrowed.c.week, sa.func.max(narrowed.c.value))
            .group_by(narrowed.c.kind, narrowed.c.object_id, narrowed.c.key_group,
                      narrowed.c.week)
            .having(sa.func.count(sa.distinct(narrowed.c.day)) == 7)
        )  # fmt: skip
        for kind_, obj_id, group, week, peak in session.execute(stmt):
            key = _CURRENT_SERIES[(kind_, group)][0](str(obj_id))
            if key not in complete or complete[key][0] < week:
                complete[key] = (week, peak)
    return {key: CurrentPeak(starts[week], float(peak)) for key, (week, peak) in complete.items()}


def load_link_peaks(
    session: Session, link_ids: Iterable[int] | None, *, at: date
) -> dict[int, CurrentPeak]:
    """Link id → its current peak (Mbps): what every link list, tree and page shows."""
    found = load_current_peaks(session, at=at, kind=ResourceKind.LINK, object_ids=link_ids)
    return {int(key.removeprefix("link:")): peak for key, peak in found.items()}


def load_interface_peaks(
    session: Session, interface_ids: Iterable[int], *, at: date
) -> dict[int, CurrentPeak]:
    """Interface id → its current peak (Mbps), the same figure as a link's."""
    found = load_current_peaks(
        session, at=at, kind=ResourceKind.INTERFACE, object_ids=interface_ids
    )
    return {int(key.removeprefix("interface:")): peak for key, peak in found.items()}


def _chunks(ids: list[int] | None) -> Iterable[list[int] | None]:
    if ids is None:
        yield None
        return
    for i in range(0, len(ids), 500):  # bounded IN lists
        yield ids[i : i + 500]


def _store_cache(
    session: Session, fitted: Mapping[str, Forecast], marks: Mapping[str, tuple[date, int]]
) -> None:
    """Keep the fits for the next reader, if the database lets this transaction write now.

    Only a cache: a page on SQLite reads without the write lock and may not get it
    while a writer works, and two readers may fit the same resource at once. Either
    way the fits are answered and not kept; a later reader stores them.
    """
    try:
        with session.begin_nested():
            stored = _write_cache(session, fitted, marks)
    except sa.exc.IntegrityError:  # another reader stored the same resource meanwhile
        return
    except sa.exc.OperationalError as error:
        if not is_write_conflict(error):
            raise
        return
    for row in stored:
        _remember(row.resource, row.computed_at, fitted[row.resource])


def _write_cache(
    session: Session, fitted: Mapping[str, Forecast], marks: Mapping[str, tuple[date, int]]
) -> list[ForecastCache]:
    existing = {
        row.resource: row
        for row in session.scalars(
            sa.select(ForecastCache).where(ForecastCache.resource.in_(list(fitted)))
        )
    }
    rows = []
    for resource in sorted(fitted):  # one order for every writer: no deadlock between two
        through, count = marks[resource]
        row = existing.get(resource) or ForecastCache(resource=resource)
        row.fitted_through, row.sample_count = through, count
        row.method = FORECAST_METHOD
        row.data = dict(fitted[resource].to_dict())  # the JSON column takes a dict
        row.computed_at = utcnow()
        session.add(row)
        rows.append(row)
    session.flush()
    return rows


# -- reservations and requests -----------------------------------------------------------------


def load_catalogue(session: Session) -> Catalogue:
    """The planners' price list; a kind with no entry keeps the built-in figures
    (an install that has imported no catalogue can still price an expansion)."""
    rows = session.scalars(sa.select(CatalogueItem).order_by(CatalogueItem.id)).all()
    servers = tuple(
        ServerModel(r.name, r.cores or 0, r.ram_gb or 0, r.price_vnd, r.priced_on)
        for r in rows
        if r.kind == CatalogueKind.SERVER
    )
    shelves = tuple(
        StorageShelf(r.name, r.raw_tb or 0, r.price_vnd, r.priced_on)
        for r in rows
        if r.kind == CatalogueKind.STORAGE_SHELF
    )
    tiers = tuple(
        LinkTier(r.mbps or 0, r.price_vnd, r.network.value if r.network else None, r.priced_on)
        for r in rows
        if r.kind == CatalogueKind.LINK_TIER
    )
    default = Catalogue()
    return Catalogue(
        servers=servers or default.servers,
        shelves=shelves or default.shelves,
        link_tiers=tiers or default.link_tiers,
    )


def load_reservations(session: Session) -> tuple[Reservation, ...]:
    return tuple(
        Reservation(
            resource=row.resource,
            start=row.start,
            d0=row.d0,
            growth_pct_per_year=row.growth_pct_per_year,
            request=str(row.request_id),
        )
        for row in load_reservation_rows(session)
    )


def build_request(doc: RequestDocument, refs: RequestRefs) -> Request:
    """A validated request document, with its names resolved, as the pure engine takes it."""
    return Request(
        name=doc["name"],
        agency=refs.agency.name,
        security_level=doc["security_level"],
        zone=doc["zone"].value,
        go_live=doc["go_live"],
        horizon_years=doc["horizon_years"],
        growth_pct_per_year=doc["growth_pct_per_year"],
        workloads=tuple(
            Workload(w["name"], w["count"], w["vcpu"], w["ram_gb"], w["disk_gb"])
            for w in doc["workloads"]
        ),
        storage_tb=doc["storage_tb"],
        dc_bandwidth=tuple(DcBandwidth(str(b["network"]), b["mbps"]) for b in doc["dc_bandwidth"]),
        sites=_site_bandwidth(doc["sites"], refs.site_ids),
        own_hardware_cost_vnd=doc["own_hardware_cost_vnd"],
        cluster_id=str(refs.cluster_id) if refs.cluster_id else None,
        storage_pool_id=str(refs.storage_pool_id) if refs.storage_pool_id else None,
    )


def _site_bandwidth(sites: SitesDocument | None, site_ids: list[int]) -> tuple[SiteBandwidth, ...]:
    if not sites:
        return ()
    ids = tuple(str(s) for s in site_ids)
    return (SiteBandwidth(str(sites["network"]), sites["per_site_mbps"], ids),)
