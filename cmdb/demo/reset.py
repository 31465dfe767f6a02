"""Emptying the inventory for ``cmdb demo load --reset``, and telling whether it is empty.

Users and API tokens are kept: they are not inventory. Every other table is emptied —
the change log and the record sources too, so a record that gets an id the deleted one
had (SQLite reuses them) shows no history that is not its own — children first, in the
order the metadata's foreign keys give, so a table added to the model later is
cleared too without touching this module.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.db import Base
from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Link,
    ResourceRequest,
    Series,
    Site,
    StoragePool,
)

KEPT_TABLES = frozenset({"user", "api_token"})

# What counts as "the database already holds inventory".
INVENTORY_TABLES: tuple[type[Base], ...] = (
    AdminUnit,
    Agency,
    Site,
    Device,
    Link,
    Cluster,
    StoragePool,
    InformationSystem,
    Series,
    ResourceRequest,
)


def count_rows(session: Session, models: Mapping[str, type[Base]]) -> dict[str, int]:
    """Rows per named table, in one query (scalar subqueries)."""
    columns = [
        sa.select(sa.func.count()).select_from(model).scalar_subquery().label(name)
        for name, model in models.items()
    ]
    return dict(session.execute(sa.select(*columns)).one()._mapping)


def inventory_counts(session: Session) -> dict[str, int]:
    """Rows per inventory table, only the tables that are not empty."""
    counts = count_rows(session, {m.__tablename__: m for m in INVENTORY_TABLES})
    return {table: n for table, n in counts.items() if n}


def clear_inventory(session: Session) -> None:
    """Delete every inventory row in foreign-key-safe order; the caller commits.

    A table that points at itself (the admin-unit tree, ON DELETE RESTRICT, which
    SQLite checks row by row) is unhooked first, then emptied in one statement.
    """
    for table in reversed(Base.metadata.sorted_tables):
        if table.name in KEPT_TABLES:
            continue
        for fk in table.foreign_keys:
            if fk.column.table is table:
                session.execute(table.update().values({fk.parent.name: None}))
        session.execute(table.delete())
    session.expunge_all()
