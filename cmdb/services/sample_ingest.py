"""Samples sent by external collectors: stored once per (series, time), then rolled up.

A collector that retries re-sends what it already sent, so a point whose series
and time are stored with the same value is counted ``unchanged`` and written
again nowhere. A point with a stored time and a *different* value replaces it
(``updated``): the last write wins, as in InfluxDB or Graphite, because a
collector re-sends a corrected reading and expects it to count. New points are
inserted with ON CONFLICT DO NOTHING, so two collectors racing on the same point
store it once. Then the hourly and daily rollups of the touched days are
recomputed and the series' daily marks refreshed, so forecasts see the new data.

A series is named by its id or by (resource type, resource id, metric); the
latter is created on first use when the resource exists. Everything or nothing:
any bad point refuses the whole batch, with messages per point.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Metric, ResourceKind
from cmdb.errors import ValidationError
from cmdb.models import Cluster, Device, Interface, Link, Sample, Series, StoragePool
from cmdb.services.provenance import log_change
from cmdb.services.rollups import rollup_series

SERIES_MODELS: dict[ResourceKind, type[Any]] = {
    ResourceKind.CLUSTER: Cluster,
    ResourceKind.STORAGE_POOL: StoragePool,
    ResourceKind.LINK: Link,
    ResourceKind.DEVICE: Device,
    ResourceKind.INTERFACE: Interface,
}
METRIC_UNITS: dict[Metric, str] = {
    Metric.VCPU_ALLOCATED: "vCPU",
    Metric.RAM_ALLOCATED_GB: "GB",
    Metric.STORAGE_USED_TB: "TB",
    Metric.IN_MBPS: "Mbps",
    Metric.OUT_MBPS: "Mbps",
    Metric.CPU_UTIL_PCT: "%",
    Metric.RAM_USED_GB: "GB",
    Metric.IN_ERRORS_PPS: "pps",
    Metric.OUT_ERRORS_PPS: "pps",
    Metric.IN_DISCARDS_PPS: "pps",
    Metric.OUT_DISCARDS_PPS: "pps",
    Metric.OPER_UP: "up",
    Metric.ADMIN_UP: "up",
}
SeriesKey = tuple[ResourceKind, int, Metric]


@dataclass(frozen=True)
class Point:
    """One sample as sent: its series (an id or a key), a time with its zone, a value."""

    series: int | SeriesKey
    at: datetime
    value: float


@dataclass(frozen=True)
class IngestResult:
    created: int
    updated: int
    unchanged: int
    series_created: int

    def to_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "series_created": self.series_created,
        }


def utc(moment: datetime) -> datetime:
    """A time as stored and compared: UTC, aware (SQLite hands it back naive)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def ingest_samples(
    session: Session,
    points: Sequence[Point],
    *,
    actor: str,
    not_before: datetime | None = None,
) -> IngestResult:
    """Store ``points``; ``ValidationError`` keyed ``[i].field`` refuses the whole batch.

    ``not_before``: the start of the raw samples kept (``prune.raw_cutoff``); an earlier
    point is refused, because its day is rolled up and its other samples may be pruned,
    so a rollup recomputed from it would be wrong.
    """
    _check_retention(points, not_before)
    series_ids, created_series = _resolve_series(session, points, actor)
    _lock_series(session, set(series_ids))
    wanted = _dedupe(points, series_ids)
    stored = _stored_values(session, wanted)
    new = {k: v for k, v in wanted.items() if k not in stored}
    changed = {k: v for k, v in wanted.items() if k in stored and stored[k] != v}
    _insert(session, new)
    _update(session, changed)
    touched = {**new, **changed}
    _advance_last_sample(session, touched)
    days = {ts.date() for _, ts in touched}
    rollup_series(session, {sid for sid, _ in touched}, days)
    return IngestResult(
        created=len(new),
        updated=len(changed),
        unchanged=len(wanted) - len(new) - len(changed),
        series_created=created_series,
    )


def _check_retention(points: Sequence[Point], not_before: datetime | None) -> None:
    if not_before is None:
        return
    errors = {
        f"[{i}].at": [
            f"before {not_before.date().isoformat()}: raw samples older than the retention "
            "are pruned once their day is rolled up, so this day can no longer be recomputed"
        ]
        for i, point in enumerate(points)
        if utc(point.at) < not_before
    }
    if errors:
        raise ValidationError(errors, "some samples are older than the raw-sample retention")


def _resolve_series(session: Session, points: Sequence[Point], actor: str) -> tuple[list[int], int]:
    """The series id of every point, creating the keyed series that do not exist yet."""
    ids = {p.series for p in points if isinstance(p.series, int)}
    known = set(session.scalars(sa.select(Series.id).where(Series.id.in_(ids)))) if ids else set()
    keys = {p.series for p in points if not isinstance(p.series, int)}
    by_key = _series_by_key(session, keys)
    errors: dict[str, list[str]] = {}
    missing_objects = _missing_objects(session, {k for k in keys if k not in by_key})
    for i, point in enumerate(points):
        if isinstance(point.series, int) and point.series not in known:
            errors[f"[{i}].series"] = [f"no series with id {point.series}"]
        elif not isinstance(point.series, int) and point.series in missing_objects:
            kind, object_id, _ = point.series
            errors[f"[{i}].series.resource_id"] = [f"no {kind.value} with id {object_id}"]
    if errors:
        raise ValidationError(errors, "some samples name no series")
    new = sorted((k for k in keys if k not in by_key), key=_key_order)
    created = 0
    for key in new:
        by_key[key], made = _create_series(session, key, actor)
        created += made
    ids_of = [p.series if isinstance(p.series, int) else by_key[p.series].id for p in points]
    return ids_of, created


def _key_order(key: SeriesKey) -> tuple[str, int, str]:
    return key[0].value, key[1], key[2].value


def _create_series(session: Session, key: SeriesKey, actor: str) -> tuple[Series, bool]:
    """The series of ``key``, made now (True) or by a batch that made it meanwhile (False).

    Two collectors may name the same new series at once: on PostgreSQL the second
    insert waits for the first and then breaks the unique key; inside a savepoint,
    that is answered by reading the series the first one made. Keys are made in one
    order, so two batches never wait for each other's new series.
    """
    kind, object_id, metric = key
    series = Series(object_type=kind, object_id=object_id, metric=metric, unit=METRIC_UNITS[metric])
    try:
        with session.begin_nested():
            session.add(series)
    except sa.exc.IntegrityError:
        return _series_by_key(session, {key})[key], False
    log_change(
        session,
        actor=actor,
        action=ChangeAction.CREATE,
        obj=series,
        object_repr=f"{kind.value} {object_id} {metric.value}",
        before=None,
        after={"object_type": kind, "object_id": object_id, "metric": metric},
    )
    return series, True


def _lock_series(session: Session, series_ids: set[int]) -> None:
    """Hold the batch's series until the transaction ends, in id order.

    Two batches of one series then store and roll up one after the other, each seeing
    the other's samples: no rollup computed from half the points, no rollup row
    inserted twice (PostgreSQL; on SQLite a writer holds the whole database already).
    """
    stmt = sa.select(Series.id).where(Series.id.in_(series_ids)).order_by(Series.id)
    session.execute(stmt.with_for_update())


def _series_by_key(session: Session, keys: set[SeriesKey]) -> dict[SeriesKey, Series]:
    if not keys:
        return {}
    stmt = sa.select(Series).where(
        Series.object_id.in_({object_id for _, object_id, _ in keys}),
        Series.object_type.in_({kind for kind, _, _ in keys}),
    )
    found = {(s.object_type, s.object_id, s.metric): s for s in session.scalars(stmt)}
    return {k: s for k, s in found.items() if k in keys}


def _missing_objects(session: Session, keys: set[SeriesKey]) -> set[SeriesKey]:
    """The keys whose resource does not exist (a series cannot be made for them)."""
    wanted: dict[ResourceKind, set[int]] = defaultdict(set)
    for kind, object_id, _ in keys:
        wanted[kind].add(object_id)
    existing: set[tuple[ResourceKind, int]] = set()
    for kind, object_ids in wanted.items():
        model = SERIES_MODELS[kind]
        found = session.scalars(sa.select(model.id).where(model.id.in_(object_ids)))
        existing |= {(kind, object_id) for object_id in found}
    return {k for k in keys if (k[0], k[1]) not in existing}


def _dedupe(points: Sequence[Point], series_ids: list[int]) -> dict[tuple[int, datetime], float]:
    """One value per (series, time); the same point twice with two values is an error."""
    wanted: dict[tuple[int, datetime], float] = {}
    first: dict[tuple[int, datetime], int] = {}
    errors: dict[str, list[str]] = {}
    for i, (point, series_id) in enumerate(zip(points, series_ids, strict=True)):
        key = (series_id, utc(point.at))
        if key in wanted and wanted[key] != point.value:
            errors[f"[{i}].value"] = [
                f"sample [{first[key]}] has the same series and time with another value"
            ]
        wanted.setdefault(key, point.value)
        first.setdefault(key, i)
    if errors:
        raise ValidationError(errors, "the batch contradicts itself")
    return wanted


def _stored_values(
    session: Session, wanted: dict[tuple[int, datetime], float]
) -> dict[tuple[int, datetime], float]:
    """The stored values at the batch's (series, time) pairs: one query per batch."""
    spans: dict[int, list[datetime]] = defaultdict(list)
    for series_id, ts in wanted:
        spans[series_id].append(ts)
    if not spans:
        return {}
    ranges = [
        sa.and_(Sample.series_id == sid, Sample.ts >= min(times), Sample.ts <= max(times))
        for sid, times in spans.items()
    ]
    rows = session.execute(
        sa.select(Sample.series_id, Sample.ts, Sample.value).where(sa.or_(*ranges))
    )
    stored = {(sid, utc(ts)): value for sid, ts, value in rows}
    return {k: stored[k] for k in wanted if k in stored}


# Declared as a FromClause by SQLAlchemy's typing; a mapped class's table is a Table.
_SAMPLE_TABLE = cast(sa.Table, Sample.__table__)


def _insert(session: Session, rows: dict[tuple[int, datetime], float]) -> None:
    """Insert new points; one a concurrent batch stored meanwhile is left as it is."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert: Callable[[sa.Table], Any] = {  # each dialect its own Insert
        "postgresql": postgresql.insert,
        "sqlite": sqlite.insert,
    }[dialect]
    values = [{"series_id": sid, "ts": ts, "value": v} for (sid, ts), v in rows.items()]
    session.connection().execute(insert(_SAMPLE_TABLE).on_conflict_do_nothing(), values)


def _update(session: Session, rows: dict[tuple[int, datetime], float]) -> None:
    if not rows:
        return
    table = _SAMPLE_TABLE
    stmt = (
        table.update()
        .where(table.c.series_id == sa.bindparam("sid"), table.c.ts == sa.bindparam("at"))
        .values(value=sa.bindparam("new_value"))
    )
    session.connection().execute(
        stmt, [{"sid": sid, "at": ts, "new_value": v} for (sid, ts), v in rows.items()]
    )


def _advance_last_sample(session: Session, rows: dict[tuple[int, datetime], float]) -> None:
    latest: dict[int, datetime] = {}
    for sid, ts in rows:
        latest[sid] = max(ts, latest.get(sid, ts))
    for series in session.scalars(sa.select(Series).where(Series.id.in_(latest))):
        last = series.last_sample_at
        if last is None or utc(last) < latest[series.id]:
            series.last_sample_at = latest[series.id]
