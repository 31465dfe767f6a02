"""Discrepancies as rows a person reads: the one shape of the CLI, the API export and the page.

Each row names its record (type, id, display name) and site, the field, each
source's value, first and last seen, status and the acknowledgement. Loading costs
one query for the discrepancies and one per record type they name, never one per row.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cmdb.models import Cluster, Device, Discrepancy, Interface, Link, Site, Workload
from cmdb.services.discrepancy_filter import SOURCE_KEYS, DiscrepancyFilter, filter_criteria

DEFAULT_LIMIT = 10_000  # an export of the whole audit; a page asks for fewer


@dataclass(frozen=True)
class DiscrepancyRow:
    id: int
    kind: str
    object_type: str
    object_id: int
    object_name: str | None  # None: the record no longer exists
    site: str | None  # the site's name (a link: "a – b")
    site_slug: str | None
    field: str
    values: Mapping[str, Any]
    first_seen: datetime
    last_seen: datetime | None
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    comment: str | None
    resolved_at: datetime | None


def count_discrepancies(session: Session, where: DiscrepancyFilter) -> int:
    stmt = sa.select(sa.func.count(Discrepancy.id)).where(*filter_criteria(where))
    return session.scalar(stmt) or 0


def load_discrepancy_rows(
    session: Session, where: DiscrepancyFilter, *, limit: int = DEFAULT_LIMIT, offset: int = 0
) -> list[DiscrepancyRow]:
    """The matching discrepancies, the most recently seen first."""
    found = list(
        session.scalars(
            sa.select(Discrepancy)
            .where(*filter_criteria(where))
            .order_by(Discrepancy.last_seen_at.desc().nulls_last(), Discrepancy.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    ids: dict[str, set[int]] = defaultdict(set)
    for d in found:
        ids[d.object_type].add(d.object_id)
    labels = {
        (object_type, object_id): label
        for object_type, wanted in ids.items()
        for object_id, label in _labels(session, object_type, wanted).items()
    }
    return [_row(d, labels.get((d.object_type, d.object_id))) for d in found]


Label = tuple[str, str | None, str | None]  # display name, site name, site slug


def _labels(session: Session, object_type: str, ids: set[int]) -> dict[int, Label]:
    """Display name and site of each record of one type, in one query."""
    if object_type == "device":
        stmt = sa.select(Device.id, Device.name, Site.name, Site.slug).join(
            Site, Site.id == Device.site_id
        )
        stmt = stmt.where(Device.id.in_(ids))
    elif object_type == "interface":
        stmt = (
            sa.select(Interface.id, Device.name + " " + Interface.name, Site.name, Site.slug)
            .join(Device, Device.id == Interface.device_id)
            .join(Site, Site.id == Device.site_id)
            .where(Interface.id.in_(ids))
        )
    elif object_type == "link":
        a, b = aliased(Site), aliased(Site)
        open_end = "…"  # a circuit to a provider network: one end is at no site
        ends = sa.func.coalesce(a.name, open_end) + " – " + sa.func.coalesce(b.name, open_end)
        stmt = (
            sa.select(Link.id, Link.name, ends, sa.func.coalesce(b.slug, a.slug))
            .outerjoin(a, a.id == Link.a_site_id)
            .outerjoin(b, b.id == Link.b_site_id)
            .where(Link.id.in_(ids))
        )
    elif object_type == "workload":
        stmt = (
            sa.select(Workload.id, Workload.name, Site.name, Site.slug)
            .join(Cluster, Cluster.id == Workload.cluster_id)
            .outerjoin(Site, Site.id == Cluster.site_id)  # an unplaced cluster's VMs too
            .where(Workload.id.in_(ids))
        )
    else:
        return {}
    return {row[0]: (row[1], row[2], row[3]) for row in session.execute(stmt)}


def _row(d: Discrepancy, label: Label | None) -> DiscrepancyRow:
    name, site, slug = label or (None, None, None)
    return DiscrepancyRow(
        id=d.id,
        kind=d.kind.value,
        object_type=d.object_type,
        object_id=d.object_id,
        object_name=name,
        site=site,
        site_slug=slug,
        field=d.field,
        values=dict(d.values or {}),
        first_seen=d.opened_at,
        last_seen=d.last_seen_at,
        status=d.status.value,
        acknowledged_by=d.acknowledged_by,
        acknowledged_at=d.acknowledged_at,
        comment=d.note,
        resolved_at=d.resolved_at,
    )


def sources_of(rows: Iterable[DiscrepancyRow]) -> list[str]:
    """The sources the rows name, the usual ones first: one CSV column each."""
    present = {key for row in rows for key in row.values}
    known = [s for s in SOURCE_KEYS if s in present]
    return known + sorted(present - set(known))


def format_value(value: Any) -> str:
    """One source's value as a cell: ``none`` when it said nothing, ``k=v; …`` for a group."""
    if value is None:
        return "none"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}={format_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def _iso(at: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite gives back naive datetimes; every stored time is UTC)."""
    if at is None:
        return None
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).isoformat()


def to_json(rows: Sequence[DiscrepancyRow]) -> list[dict[str, Any]]:
    """JSON-ready dicts: values as the sources gave them, times in ISO 8601."""
    return [
        {
            "id": r.id,
            "kind": r.kind,
            "object": {"type": r.object_type, "id": r.object_id, "display": r.object_name},
            "site": r.site,
            "field": r.field,
            "values": dict(r.values),
            "first_seen": _iso(r.first_seen),
            "last_seen": _iso(r.last_seen),
            "status": r.status,
            "acknowledged_by": r.acknowledged_by,
            "acknowledged_at": _iso(r.acknowledged_at),
            "comment": r.comment,
            "resolved_at": _iso(r.resolved_at),
        }
        for r in rows
    ]


def csv_header(sources: Sequence[str]) -> list[str]:
    head = ["id", "kind", "object_type", "object_id", "object", "site", "field"]
    tail = ["first_seen", "last_seen", "status", "acknowledged_by", "acknowledged_at", "comment"]
    return [*head, *sources, *tail]


def to_csv(rows: Sequence[DiscrepancyRow]) -> str:
    """A header and one line per discrepancy, one column per source (empty: not a party)."""
    sources = sources_of(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_header(sources))
    for r in rows:
        writer.writerow(
            [r.id, r.kind, r.object_type, r.object_id, r.object_name or "", r.site or "", r.field]
            + [format_value(r.values[s]) if s in r.values else "" for s in sources]
            + [
                _iso(r.first_seen),
                _iso(r.last_seen) or "",
                r.status,
                r.acknowledged_by or "",
                _iso(r.acknowledged_at) or "",
                r.comment or "",
            ]
        )
    return out.getvalue()
