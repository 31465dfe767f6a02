"""Alembic environment: the URL comes from the caller (``cmdb.schema``), never a file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from alembic import context
from sqlalchemy import Index
from sqlalchemy.engine import Connection

import cmdb.models  # noqa: F401 - registers every table on Base.metadata
from cmdb.db import Base, is_postgresql_only, make_engine

config = context.config
target_metadata = Base.metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
        compare_type=True,
        include_object=_compared_on(connection.dialect.name),
        # Callers may watch each step (the migrations' tests record every revision applied).
        on_version_apply=config.attributes.get("on_version_apply"),
    )


def _compared_on(dialect: str) -> Callable[..., bool]:
    """Leave PostgreSQL-only indexes (pg_trgm) out of the comparison on other databases."""

    def include(obj: Any, _name: str | None, type_: str, _reflected: bool, _other: Any) -> bool:
        if type_ == "index" and isinstance(obj, Index) and is_postgresql_only(obj):
            return dialect == "postgresql"
        return True

    return include


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


def _run(conn: Connection) -> None:
    """Run the migrations; on SQLite with foreign keys off, checked before commit.

    A batch migration rebuilds a table (copy, drop, rename). With foreign keys on,
    dropping the old table fires ON DELETE CASCADE on the tables that point at it
    and empties them. PRAGMA foreign_keys is ignored inside a transaction, so it is
    set before the migration transaction begins (Alembic's batch-mode advice).
    """
    sqlite = conn.dialect.name == "sqlite"
    if sqlite:
        _driver(conn).execute("PRAGMA foreign_keys=OFF")
    try:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"a migration broke foreign keys: {broken[:5]}")
    finally:
        if sqlite:
            _driver(conn).execute("PRAGMA foreign_keys=ON")


def _driver(conn: Connection) -> Any:
    return conn.connection.driver_connection


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
