"""Two years of daily rollups for every cluster, storage pool and link.

Today's figures come from the inventory itself (a cluster's allocation is the sum
of its VMs, a pool's used space the sum of their disks), so history and inventory
agree; ``history`` draws the path that led there. Rows go in with bulk inserts in
chunks: about 390,000 ``sample_daily`` rows in a few seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from functools import partial
from typing import cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Metric, ResourceKind
from cmdb.demo import history
from cmdb.demo.context import DemoContext
from cmdb.models import SampleDaily, Series, Workload
from cmdb.services.samples import refresh_daily_marks

VIETNAM = timezone(timedelta(hours=7))
GB_PER_TB = 1000
CHUNK_ROWS = 50_000
UNITS = {
    Metric.VCPU_ALLOCATED: "vCPU",
    Metric.RAM_ALLOCATED_GB: "GB",
    Metric.STORAGE_USED_TB: "TB",
    Metric.IN_MBPS: "Mbps",
    Metric.OUT_MBPS: "Mbps",
}

# Core insert: the ORM's bulk path costs twice as much per row and adds nothing here.
SAMPLE_INSERT = cast(sa.Table, SampleDaily.__table__).insert()
SAMPLE_COLUMNS = ("series_id", "day", "avg", "max", "p95", "count")
COPY_SAMPLES = f"COPY sample_daily ({', '.join(SAMPLE_COLUMNS)}) FROM STDIN"
# SQLite: the driver's own executemany. Through SQLAlchemy, building and processing the
# parameters of 390,000 rows cost three times the insert itself. Days are written as
# SQLAlchemy's SQLite ``Date`` stores them (ISO 8601).
SQLITE_INSERT = (
    f"INSERT INTO sample_daily ({', '.join(SAMPLE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in SAMPLE_COLUMNS)})"
)
SampleRow = tuple[int, date, float, float, float, int]


@dataclass(frozen=True)
class Resource:
    """A resource with history: its metrics and how to draw their daily points."""

    kind: ResourceKind
    object_id: int
    metrics: tuple[Metric, ...]
    draw: Callable[[], Sequence[list[history.DailyPoint]]]  # one list per metric


def load_history(ctx: DemoContext) -> int:
    """Create the series and their daily samples; return the number of samples.

    Points are drawn resource by resource and written in chunks, so memory stays
    flat whatever the number of links.
    """
    ctx.session.flush()
    resources = _clusters(ctx) + _pools(ctx) + _links(ctx)
    last_seen = datetime.combine(ctx.today - timedelta(days=1), time(23, 55), VIETNAM)
    series = {
        (r.object_id, r.kind, m): Series(
            object_type=r.kind,
            object_id=r.object_id,
            metric=m,
            unit=UNITS[m],
            last_sample_at=last_seen.astimezone(UTC),
        )
        for r in resources
        for m in r.metrics
    }
    ctx.session.add_all(series.values())
    ctx.session.flush()
    total, written = len(series) * len(ctx.history_days), 0
    for chunk in _chunks(resources, series):
        write_samples(ctx.session, chunk)
        written += len(chunk)
        ctx.progress(f"  daily samples {written:,} / {total:,}")
    refresh_daily_marks(ctx.session, [s.id for s in series.values()])
    return written


def _chunks(
    resources: list[Resource], series: dict[tuple[int, ResourceKind, Metric], Series]
) -> Iterator[list[SampleRow]]:
    rows: list[SampleRow] = []
    for resource in resources:
        for metric, points in zip(resource.metrics, resource.draw(), strict=True):
            series_id = series[resource.object_id, resource.kind, metric].id
            rows += [(series_id, *p) for p in points]
        if len(rows) >= CHUNK_ROWS:
            yield rows
            rows = []
    if rows:
        yield rows


def write_samples(session: Session, rows: list[SampleRow]) -> None:
    """Bulk-write daily samples: COPY on PostgreSQL (5× faster), the driver's executemany
    on SQLite, SQLAlchemy's executemany elsewhere."""
    conn = session.connection()
    if conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg":
        dbapi = conn.connection.driver_connection
        with dbapi.cursor() as cursor, cursor.copy(COPY_SAMPLES) as copy:  # type: ignore[union-attr]
            for row in rows:
                copy.write_row(row)
        return
    if conn.dialect.name == "sqlite":
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(SQLITE_INSERT, [(s, d.isoformat(), *rest) for s, d, *rest in rows])
        finally:
            cursor.close()
        return
    conn.execute(SAMPLE_INSERT, [dict(zip(SAMPLE_COLUMNS, row, strict=True)) for row in rows])


def _clusters(ctx: DemoContext) -> list[Resource]:
    """Allocation today = the sum of the cluster's VMs."""
    query = sa.select(
        Workload.cluster_id, sa.func.sum(Workload.vcpu), sa.func.sum(Workload.ram_gb)
    ).group_by(Workload.cluster_id)
    totals = {
        cid: (float(vcpu or 0), float(ram or 0)) for cid, vcpu, ram in ctx.session.execute(query)
    }
    metrics = (Metric.VCPU_ALLOCATED, Metric.RAM_ALLOCATED_GB)
    resources = []
    for spec in ctx.cluster_specs:
        cluster = ctx.clusters[spec.key]
        draw = partial(
            history.allocation,
            ctx.history_days,
            totals.get(cluster.id, (0.0, 0.0)),
            spec.start_fraction,
            ctx.rng(f"history/cluster/{spec.key}"),
        )
        resources.append(Resource(ResourceKind.CLUSTER, cluster.id, metrics, draw))
    return resources


def _pools(ctx: DemoContext) -> list[Resource]:
    """Used space today = the sum of the disks of the VMs on the pool (decimal TB)."""
    query = sa.select(Workload.storage_pool_id, sa.func.sum(Workload.disk_gb)).group_by(
        Workload.storage_pool_id
    )
    used_gb = {pool_id: float(gb) for pool_id, gb in ctx.session.execute(query)}
    resources = []
    for spec in ctx.pool_specs:
        pool = ctx.pools[spec.key]
        draw = partial(
            history.storage,
            ctx.history_days,
            round(used_gb.get(pool.id, 0.0) / GB_PER_TB, 3),
            spec.start_fraction,
            ctx.rng(f"history/pool/{spec.key}"),
            spec.weekly_cycle,
        )
        metrics = (Metric.STORAGE_USED_TB,)
        resources.append(Resource(ResourceKind.STORAGE_POOL, pool.id, metrics, _one(draw)))
    return resources


def _one(
    draw: Callable[[], list[history.DailyPoint]],
) -> Callable[[], Sequence[list[history.DailyPoint]]]:
    return lambda: [draw()]


def _links(ctx: DemoContext) -> list[Resource]:
    metrics = (Metric.IN_MBPS, Metric.OUT_MBPS)
    return [
        Resource(
            ResourceKind.LINK,
            link.id,
            metrics,
            partial(
                history.traffic,
                ctx.history_days,
                profile,
                ctx.rng(f"history/link/{link.circuit_id}"),
            ),
        )
        for link, profile in ctx.link_traffic
    ]
