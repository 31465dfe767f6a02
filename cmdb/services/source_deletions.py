"""When a source deleted a record: "deleted in NetBox on …" rather than "not seen since".

NetBox's change log says when an object was deleted; the sync keeps that date on the
record's ``RecordSource`` row (``deleted_at``). Absence is still never deletion
(DESIGN §5): the record stays, with the date its source gave. A record the source
reports again loses the mark (the writer clears it with "last seen").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import Source
from cmdb.models import RecordSource

_CHUNK = 500  # external ids per IN (...): well under SQLite's bound parameters


def mark_deleted(
    session: Session, source: Source, deleted: Mapping[tuple[str, str], datetime]
) -> int:
    """Date the deletion of each (object type, external id) the source deleted; returns
    how many records were marked. Records Headroom does not have are ignored."""
    by_type: dict[str, dict[str, datetime]] = {}
    for (object_type, external_id), at in deleted.items():
        by_type.setdefault(object_type, {})[external_id] = at
    marked = 0
    for object_type, times in sorted(by_type.items()):
        ids = sorted(times)
        for start in range(0, len(ids), _CHUNK):
            stmt = sa.select(RecordSource).where(
                RecordSource.object_type == object_type,
                RecordSource.source == source,
                RecordSource.external_id.in_(ids[start : start + _CHUNK]),
            )
            for row in session.scalars(stmt):
                row.deleted_at = times[row.external_id or ""]
                marked += 1
    return marked


def load_deleted(
    session: Session, object_type: str, object_ids: Iterable[int]
) -> dict[int, tuple[str, datetime]]:
    """Of ``object_ids``, those a source says it deleted: id → (source, when). One query."""
    ids = sorted(set(object_ids))
    if not ids:
        return {}
    stmt = (
        sa.select(RecordSource.object_id, RecordSource.source, RecordSource.deleted_at)
        .where(
            RecordSource.object_type == object_type,
            RecordSource.object_id.in_(ids),
            RecordSource.deleted_at.is_not(None),
        )
        .order_by(RecordSource.object_id, RecordSource.deleted_at)
    )
    return {oid: (str(source), at) for oid, source, at in session.execute(stmt) if at is not None}
