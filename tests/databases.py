"""Migrated databases for tests, cloned from one template per backend and process.

Running the Alembic migrations costs a fifth of a second on SQLite and more on
PostgreSQL; hundreds of tests want an empty migrated database of their own. So
each test process migrates once per backend and every later database is a
clone: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE`` on PostgreSQL
(the server copies the files; no statement is replayed). The migrations
themselves keep their own tests (``tests/integration/cmdb/test_migrations.py``),
which call ``cmdb.schema`` directly.

The templates live as long as the process (pytest-xdist workers each have
their own) and are removed at its exit.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cmdb import schema
from cmdb.db import make_engine

PG_ADMIN_URL = os.environ.get(
    "CMDB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

_lock = threading.Lock()
_sqlite_template: Path | None = None
_pg_template: str | None = None


class PostgresUnavailableError(RuntimeError):
    """The test server cannot be reached: the message says how to start it."""


def migrated_sqlite_url(path: Path) -> str:
    """A migrated, empty SQLite database at ``path`` (a copy of the template)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_template_file(), path)
    return f"sqlite:///{path}"


def _sqlite_template_file() -> Path:
    global _sqlite_template
    with _lock:
        if _sqlite_template is None:
            folder = Path(tempfile.mkdtemp(prefix="headroom-template-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            path = folder / "migrated.db"
            schema.upgrade(f"sqlite:///{path}")
            _sqlite_template = path
        return _sqlite_template


def create_pg_database(prefix: str = "headroom_test", template: str | None = None) -> str:
    """A new database on the test server (a copy of ``template`` when given); its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    clause = f' TEMPLATE "{template}"' if template else ""
    _admin(f'CREATE DATABASE "{name}"{clause}')
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(url: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def migrated_pg_url(prefix: str = "headroom_test") -> str:
    """A new migrated, empty PostgreSQL database (a copy of the template); its URL."""
    return create_pg_database(prefix, template=_pg_template_name())


def _pg_template_name() -> str:
    global _pg_template
    with _lock:
        if _pg_template is None:
            url = create_pg_database("headroom_template")
            schema.upgrade(url)  # its engine is disposed: a template must have no session
            atexit.register(drop_pg_database, url)
            _pg_template = make_url(url).database
        return _pg_template


def _admin(statement: str) -> None:
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(statement))
    except sa.exc.OperationalError as exc:
        raise PostgresUnavailableError(
            f"PostgreSQL is not reachable at {PG_ADMIN_URL}: start it (see .ci/run): {exc}"
        ) from exc
    finally:
        admin.dispose()
