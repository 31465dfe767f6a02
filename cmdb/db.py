"""The declarative base, engine and session factory.

One ``Base`` whose ``MetaData`` names every constraint (so Alembic migrations can
drop and recreate them on SQLite and PostgreSQL alike). Callers own the session:
services take a ``Session`` and never commit.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from cmdb.folding import SQLITE_FUNCTION, fold

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


TRIGRAM_OPS = "gin_trgm_ops"


def trigram_index(table: str, column: str) -> sa.Index:
    """A PostgreSQL pg_trgm GIN index: ``ILIKE '%text%'`` (the API's ``q=``) without a scan.

    A B-tree cannot serve a pattern with a leading ``%``; a trigram index can. Only
    PostgreSQL builds it (``ddl_if``; migration 0009), so SQLite has no useless copy.
    """
    index = sa.Index(
        f"ix_{table}_{column}_trgm",
        column,
        postgresql_using="gin",
        postgresql_ops={column: TRIGRAM_OPS},
    )
    return index.ddl_if(dialect="postgresql")


def is_postgresql_only(index: sa.Index) -> bool:
    """Whether ``index`` exists on PostgreSQL only (see ``trigram_index``)."""
    return index.dialect_options["postgresql"]["using"] == "gin"


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every timestamp column stores UTC."""
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], **kwargs: Any) -> sa.Enum:
    """A portable enum type that stores the member's *value* as VARCHAR plus a CHECK."""
    return sa.Enum(
        enum_cls,
        values_callable=lambda members: [m.value for m in members],
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=32,
        name=_snake(enum_cls.__name__),
        **kwargs,
    )


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; JSON read by ``load_json``; on SQLite: foreign keys on, WAL, and
    writers that queue.

    SQLite lets one writer in at a time. A transaction that reads first and writes
    later (the default, deferred ``BEGIN``) cannot wait for that lock: if another
    writer committed since its first read, SQLite refuses the upgrade at once
    ("database is locked", whatever the busy timeout). So every transaction takes
    the write lock at ``BEGIN IMMEDIATE`` and waits for it there (the busy timeout):
    concurrent writers queue. Transactions that only read (``reading``) begin
    deferred; in WAL mode they run beside the writer and never wait for it.
    """
    engine = sa.create_engine(url, **{"json_deserializer": load_json, **kwargs})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


# Digits kept, "." kept, every other byte a space: an integer literal of 19 digits or
# more (maybe past 64 bits, which orjson reads as a float) is then a space followed by
# 19 zeros. A fraction's digits follow a ".", so 0.0012122726916707904 is not one.
_DIGITS_AND_DOTS = bytes(
    b if b == 0x2E else 0x30 if 0x30 <= b <= 0x39 else 0x20 for b in range(256)
)
_LONG_INTEGER = b" " + b"0" * 19


def load_json(text: str | bytes) -> Any:
    """A JSON column's value, as ``json.loads`` reads it, read by orjson where that is the
    same: some ten times faster (a page of 50 devices reads 50 tag lists; a forecast is
    30 kB of floats).

    orjson refuses what the standard library alone accepts (``NaN``, ``1e400``, a lone
    surrogate, a byte-order mark), and reads an integer past 64 bits as a float: a
    refusal, or a run of 19 digits not after a decimal point (in a number or a string),
    goes to ``json.loads``. The run is found by ``bytes.translate`` and a substring
    search, both linear: a regular expression took 1.3 ms a forecast, more than parsing it.
    """
    try:
        data = text if isinstance(text, bytes) else text.encode()
    except UnicodeEncodeError:  # a lone surrogate in the text itself
        return json.loads(text)
    if _LONG_INTEGER not in b" " + data.translate(_DIGITS_AND_DOTS):
        try:
            return orjson.loads(data)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


def reading(engine: Engine) -> Engine:
    """``engine`` for transactions that only read: on SQLite they take no write lock.

    A write in such a transaction may be refused while another writer holds the lock
    (``is_write_conflict``): use it where a write is at most a cache.
    """
    return engine.execution_options(**{_READS_ONLY: True})


def is_write_conflict(error: BaseException) -> bool:
    """Whether ``error`` is SQLite refusing a write lock ("database is locked")."""
    orig = getattr(error, "orig", None)
    code = getattr(orig, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == _SQLITE_BUSY


_READS_ONLY = "headroom_reads_only"
_SQLITE_BUSY = 5  # and its extended codes, e.g. SQLITE_BUSY_SNAPSHOT (517)
SQLITE_BUSY_TIMEOUT_MS = 30_000


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT and transactional DDL;
    # take it over (the recipe of SQLAlchemy's SQLite dialect documentation).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")  # before WAL: it may wait
    # WAL: readers see the last commit while a writer works, and do not block it.
    # Kept in the file; an in-memory database answers "memory" and stays as it is.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # search folds names in SQL (cmdb.folding); PostgreSQL has translate() built in
    dbapi_conn.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)


def _sqlite_begin(conn: sa.Connection) -> None:
    reads_only = conn.get_execution_options().get(_READS_ONLY, False)
    conn.exec_driver_sql("BEGIN" if reads_only else "BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit ``session`` when the block ends, roll it back on any error."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A new session that commits on success, rolls back on any error, and is closed."""
    with factory() as session, committing(session):
        yield session
