"""The demo province as a ready database: loaded once, then copied for each user.

Loading the demo (390,000 daily samples) takes seconds; dozens of modules read it.
So it is loaded once per variant and copied: on SQLite a file copy of a cached
file, on PostgreSQL ``CREATE DATABASE … TEMPLATE`` of a per-process template.

The SQLite files are cached between runs in ``var/test-cache/``, under a key made
of the bytes of every file the demo and its forecasts come from (``cmdb/``,
``capacity/``, ``migrations/``, with Python's and the forecasting and database
libraries' versions): a change to any of them builds a new file, so a cached demo is
never older than the code. The loader itself keeps its own tests
(``tests/integration/cmdb/test_cli_demo_and_import.py``, ``test_demo_determinism.py``),
which load it for real.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import os
import shutil
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from importlib.metadata import version
from pathlib import Path

from sqlalchemy.engine import make_url

from capacity.actions import capacity_report
from cmdb import schema
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.demo import load_demo
from tests.databases import create_pg_database, drop_pg_database, migrated_sqlite_url

DEMO_TODAY = date(2026, 1, 15)
ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("CMDB_TEST_CACHE", ROOT / "var" / "test-cache"))
SOURCES = ("cmdb", "capacity", "migrations")
LIBRARIES = ("statsforecast", "numpy", "scipy", "pandas", "sqlalchemy", "alembic")

_lock = threading.Lock()
_pg_templates: dict[bool, str] = {}


def demo_sqlite_url(path: Path, *, forecasts: bool = False) -> str:
    """A private copy at ``path`` of the demo on ``DEMO_TODAY``; with ``forecasts``, every
    forecast of the capacity report is already in the forecast cache."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(demo_sqlite_file(forecasts=forecasts), path)
    return f"sqlite:///{path}"


def demo_pg_url(prefix: str = "headroom_demo", *, forecasts: bool = False) -> str:
    """A new PostgreSQL database holding the demo (a copy of this process's template)."""
    return create_pg_database(prefix, template=_pg_template(forecasts))


def demo_sqlite_file(*, forecasts: bool) -> Path:
    """The cached file (never write to it: copy it)."""
    name = f"demo-{DEMO_TODAY}-{'forecasts' if forecasts else 'plain'}-{source_key()}.db"
    target = CACHE / name
    CACHE.mkdir(parents=True, exist_ok=True)
    with _file_lock(CACHE / f"{name}.lock"):  # the other xdist worker waits, then reuses it
        if not target.exists():
            building = target.with_suffix(".building")
            building.unlink(missing_ok=True)
            _fill(migrated_sqlite_url(building), forecasts)
            building.replace(target)
            _forget_older(target)
    return target


def source_key(root: Path = ROOT) -> str:
    digest = hashlib.sha256(sys.version.encode())
    for package in LIBRARIES:  # the fitted forecasts depend on them too
        digest.update(f"{package}=={version(package)}".encode())
    for folder in SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _fill(url: str, forecasts: bool) -> None:
    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        with transaction(sessions) as session:
            load_demo(session, today=DEMO_TODAY)
        if forecasts:
            with transaction(sessions) as session:
                capacity_report(session, at=DEMO_TODAY)  # fills the forecast cache
    finally:
        engine.dispose()  # a PostgreSQL template must have no session left


def _pg_template(forecasts: bool) -> str:
    with _lock:
        if forecasts not in _pg_templates:
            url = create_pg_database("headroom_demo_template")
            atexit.register(drop_pg_database, url)
            schema.upgrade(url)
            _fill(url, forecasts)
            _pg_templates[forecasts] = str(make_url(url).database)
        return _pg_templates[forecasts]


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
