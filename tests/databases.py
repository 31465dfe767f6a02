"""Migrated databases for tests, cloned from one template per backend.

Running the Alembic migrations costs over a second on SQLite (25 revisions) and more
on PostgreSQL; hundreds of tests want an empty migrated database of their own. So
every such database is a clone: a file copy on SQLite, ``CREATE DATABASE … TEMPLATE``
on PostgreSQL (the server copies the files; no statement is replayed). The migrations
themselves keep their own tests (``tests/integration/cmdb/test_migrations.py``),
which call ``cmdb.schema`` directly.

The SQLite files — at head, and at the older revisions the data migrations' tests
start from — are cached between runs in ``var/test-cache/`` under a key made of the
bytes of ``migrations/`` and ``cmdb/`` (and Python's, SQLAlchemy's and Alembic's
versions), as the demo databases are (``tests.demo_databases``): any change to them
migrates a new file, so a cached file is never older than the code. The PostgreSQL
template lives as long as the process and is dropped at its exit.
"""

from __future__ import annotations

import atexit
import fcntl
import functools
import hashlib
import os
import shutil
import sys
import threading
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cmdb import schema
from cmdb.db import make_engine

PG_ADMIN_URL = os.environ.get(
    "CMDB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("CMDB_TEST_CACHE", ROOT / "var" / "test-cache"))
MIGRATION_SOURCES = ("cmdb", "migrations")
MIGRATION_LIBRARIES = ("sqlalchemy", "alembic")

_lock = threading.Lock()
_pg_template: str | None = None


class PostgresUnavailableError(RuntimeError):
    """The test server cannot be reached: the message says how to start it."""


def migrated_sqlite_url(path: Path) -> str:
    """A migrated, empty SQLite database at ``path`` (a copy of the template)."""
    return sqlite_at_revision(path, "head")


def sqlite_at_revision(path: Path, revision: str) -> str:
    """An empty SQLite database at ``path`` migrated up to ``revision`` (a copy)."""
    return sqlite_copy(cached_file(f"migrated-{revision}", _build_revision(revision)), path)


def sqlite_copy(source: Path, path: Path) -> str:
    """A private copy at ``path`` of the cached SQLite file ``source``; its URL."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, path)
    return f"sqlite:///{path}"


def upgrade_empty(url: str, revision: str = "head") -> None:
    """Migrate a database that has no table yet up to ``revision``: the starting point of
    a data migration's test, not its subject. On SQLite a copy of the cached file at that
    revision (the migrations ran once); elsewhere the migrations themselves."""
    prefix = "sqlite:///"
    if url.startswith(prefix):
        sqlite_at_revision(Path(url.removeprefix(prefix)), revision)
    else:
        schema.upgrade(url, revision)


def _build_revision(revision: str) -> Callable[[Path], None]:
    def build(target: Path) -> None:
        schema.upgrade(f"sqlite:///{target}", revision)

    return build


def cached_file(
    name: str,
    build: Callable[[Path], None],
    sources: Sequence[str] = MIGRATION_SOURCES,
    libraries: Sequence[str] = MIGRATION_LIBRARIES,
) -> Path:
    """``var/test-cache/<name>-<key>.db``, built by ``build(path)`` when missing: the key
    changes with the sources, so a file is never older than the code. Never write to
    it: copy it. Another process building it meanwhile is waited for, not repeated."""
    target = CACHE / f"{name}-{_process_key(tuple(sources), tuple(libraries))}.db"
    CACHE.mkdir(parents=True, exist_ok=True)
    with _file_lock(CACHE / f"{target.name}.lock"):
        if not target.exists():
            building = target.with_suffix(".building")
            building.unlink(missing_ok=True)
            build(building)
            building.replace(target)
            _forget_older(target)
    return target


@functools.cache
def _process_key(sources: tuple[str, ...], libraries: tuple[str, ...]) -> str:
    """The key, read once per process: the sources do not change under a running suite."""
    return sources_key(sources, libraries)


def sources_key(sources: Sequence[str], libraries: Sequence[str], root: Path = ROOT) -> str:
    """A digest of Python's and the libraries' versions and every file of ``sources``."""
    digest = hashlib.sha256(sys.version.encode())
    for package in libraries:
        digest.update(f"{package}=={version(package)}".encode())
    for folder in sources:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _forget_older(current: Path) -> None:
    """Files of older code are never used again."""
    variant = current.name.rsplit("-", 1)[0]
    for old in CACHE.glob(f"{variant}-*.db"):
        if old != current:
            old.unlink(missing_ok=True)
            Path(f"{old}.lock").unlink(missing_ok=True)


@contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


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
