"""The exact number of rows of a whole table, counted once per state of the database.

An unfiltered API list shows how many rows the table has (NetBox's ``count``,
which clients rely on). On PostgreSQL, counting 100,000 devices visits every
index entry: 10–20 ms of a page that otherwise costs a few. The number only
changes when a transaction that wrote commits, and PostgreSQL says exactly
which have: the statement's snapshot (``pg_current_snapshot()``: xmin, xmax and
the transactions still in progress). Two snapshots that are equal see the same
rows of every table, so a count taken under one is the exact count under any
equal one. Each process keeps the last count of each table with its snapshot;
while nothing commits a write, a page asks for the snapshot instead of counting,
and the first page after any committed write counts again.

Not cached: a transaction that has written itself (it sees its own rows, which
others do not), and a hot standby (its snapshots list in-progress transactions
where ``pg_current_snapshot`` does not show them).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

SNAPSHOT = sa.func.pg_current_snapshot().cast(sa.Text)
CAN_CACHE = sa.and_(
    sa.func.pg_current_xact_id_if_assigned().is_(None), sa.not_(sa.func.pg_is_in_recovery())
)
_SNAPSHOT_NOW = sa.select(SNAPSHOT, CAN_CACHE)
_COUNTS: dict[tuple[URL, str], tuple[str, int]] = {}


def count_all(session: Session, model: type[Any]) -> int:
    """``SELECT count(*)`` of the model's table, exact, from the cache when it still holds."""
    table: sa.Table = model.__table__
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return session.scalar(sa.select(sa.func.count()).select_from(table)) or 0
    snapshot, can_cache = session.connection().execute(_SNAPSHOT_NOW).one()
    key = (bind.engine.url, table.name)
    cached = _COUNTS.get(key)
    if can_cache and cached is not None and cached[0] == snapshot:
        return cached[1]
    # The count and the snapshot it was taken under, in one statement (one snapshot).
    snapshot, total = session.execute(sa.select(SNAPSHOT, sa.func.count()).select_from(table)).one()
    if can_cache:
        _COUNTS[key] = (snapshot, total)
    return int(total)


def forget() -> None:
    """Drop every cached count: the next page of each table counts again."""
    _COUNTS.clear()
