"""Which discrepancies a reader asks for: by kind, status, record type, site and source.

One filter for the CLI, the API and the audit page. Site and source are not columns
of a discrepancy: the site is the site of its record (a link's either end, an
interface's device, a workload's cluster), and a discrepancy "has" a source when
its ``values`` hold that source's key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.expression import ColumnElement

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus, Source
from cmdb.errors import ValidationError
from cmdb.models import Cluster, Device, Discrepancy, Interface, Link, Site, Workload
from cmdb.services.json_sql import json_has_key

# The keys ``values`` may hold: the sources, plus the record itself — "record" as the
# discovery core writes it, "inventory" in the audit's findings — when no source vouches
# for its value.
SOURCE_KEYS = (*(s.value for s in Source if s is not Source.DEMO), "record", "inventory")
OBJECT_TYPES = ("device", "interface", "link", "workload")


@dataclass(frozen=True)
class DiscrepancyFilter:
    """``None`` means no restriction."""

    kind: DiscrepancyKind | None = None
    status: DiscrepancyStatus | None = None
    object_type: str | None = None
    site: str | None = None  # a site slug
    source: str | None = None  # a key of ``values``


def parse_filter(args: dict[str, Any]) -> DiscrepancyFilter:
    """Texts (query string, CLI options) → a filter; every bad value is reported by name."""
    errors: dict[str, list[str]] = {}

    def choice(name: str, allowed: tuple[str, ...]) -> str | None:
        value = (args.get(name) or "").strip() or None
        if value is not None and value not in allowed:
            errors[name] = [f"must be one of: {', '.join(allowed)}"]
            return None
        return value

    kind = choice("kind", tuple(k.value for k in DiscrepancyKind))
    status = choice("status", tuple(s.value for s in DiscrepancyStatus))
    where = DiscrepancyFilter(
        kind=DiscrepancyKind(kind) if kind else None,
        status=DiscrepancyStatus(status) if status else None,
        object_type=choice("object_type", OBJECT_TYPES),
        site=(args.get("site") or "").strip() or None,
        source=choice("source", SOURCE_KEYS),
    )
    if errors:
        raise ValidationError(errors)
    return where


def filter_criteria(where: DiscrepancyFilter) -> list[ColumnElement[bool]]:
    out: list[ColumnElement[bool]] = []
    if where.kind is not None:
        out.append(Discrepancy.kind == where.kind)
    if where.status is not None:
        out.append(Discrepancy.status == where.status)
    if where.object_type is not None:
        out.append(Discrepancy.object_type == where.object_type)
    if where.site is not None:
        out.append(at_site(where.site))
    if where.source is not None:
        out.append(has_source(where.source))
    return out


def at_site(slug: str) -> ColumnElement[bool]:
    """The discrepancy's record is at the site ``slug`` (a link: at either end)."""
    site_ids = sa.select(Site.id).where(Site.slug == slug).scalar_subquery()
    records = {
        "device": sa.select(Device.id).where(Device.site_id == site_ids),
        "interface": sa.select(Interface.id)
        .join(Device, Device.id == Interface.device_id)
        .where(Device.site_id == site_ids),
        "link": sa.select(Link.id).where(
            sa.or_(Link.a_site_id == site_ids, Link.b_site_id == site_ids)
        ),
        "workload": sa.select(Workload.id)
        .join(Cluster, Cluster.id == Workload.cluster_id)
        .where(Cluster.site_id == site_ids),
    }
    return sa.or_(
        *(
            sa.and_(Discrepancy.object_type == kind, Discrepancy.object_id.in_(ids))
            for kind, ids in records.items()
        )
    )


def has_source(source: str) -> ColumnElement[bool]:
    return json_has_key(Discrepancy.values, sa.literal(source, sa.String))
