"""Reads what the NetBox planner compares against: every row of each kind, with its sources."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.db import Base
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Rack,
    RecordSource,
    Site,
    Workload,
)
from discovery.netbox.plan import KnownRow

MODELS: Mapping[str, type[Base]] = {
    "admin_units": AdminUnit,
    "agencies": Agency,
    "sites": Site,
    "racks": Rack,
    "clusters": Cluster,
    "devices": Device,
    "interfaces": Interface,
    "links": Link,
    "information_systems": InformationSystem,
    "workloads": Workload,
}


def load_known(session: Session) -> dict[str, list[KnownRow]]:
    """Every row of every kind as plain values, in two queries per kind."""
    return {kind: _rows(session, model) for kind, model in MODELS.items()}


def _rows(session: Session, model: type[Base]) -> list[KnownRow]:
    table = model.__table__
    sources = _sources(session, str(model.__tablename__))
    rows = []
    for values in session.execute(sa.select(table)).mappings():
        netbox = sources["netbox"].get(values["id"])
        others = frozenset(
            s for s, by_id in sources.items() if s != "netbox" and values["id"] in by_id
        )
        rows.append(
            KnownRow(
                id=values["id"],
                values=dict(values),
                netbox_id=netbox[0] if netbox else None,
                netbox_last_seen=netbox[1] if netbox else None,
                other_sources=others,
            )
        )
    return rows


def _sources(session: Session, table: str) -> dict[str, dict[int, tuple[str | None, datetime]]]:
    by_source: dict[str, dict[int, tuple[str | None, datetime]]] = defaultdict(dict)
    by_source["netbox"] = {}
    query = sa.select(
        RecordSource.source,
        RecordSource.object_id,
        RecordSource.external_id,
        RecordSource.last_seen_at,
    ).where(RecordSource.object_type == table)
    for source, object_id, external_id, last_seen in session.execute(query):
        by_source[str(Source(source).value)][object_id] = (external_id, last_seen)
    return dict(by_source)


def row_values(obj: Any) -> dict[str, Any]:
    """The column values of a row object (for observations and logs)."""
    return {c.key: getattr(obj, c.key) for c in sa.inspect(obj).mapper.column_attrs}
