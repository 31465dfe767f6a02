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
import threading
from datetime import date
from pathlib import Path

from sqlalchemy.engine import make_url

from capacity.actions import capacity_report
from cmdb import schema
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.demo import load_demo
from tests.databases import (
    ROOT,
    cached_file,
    create_pg_database,
    drop_pg_database,
    migrated_sqlite_url,
    sources_key,
    sqlite_copy,
)

DEMO_TODAY = date(2026, 1, 15)
SOURCES = ("cmdb", "capacity", "migrations")
LIBRARIES = ("statsforecast", "numpy", "scipy", "pandas", "sqlalchemy", "alembic")

_lock = threading.Lock()
_pg_templates: dict[bool, str] = {}


def demo_sqlite_url(path: Path, *, forecasts: bool = False) -> str:
    """A private copy at ``path`` of the demo on ``DEMO_TODAY``; with ``forecasts``, every
    forecast of the capacity report is already in the forecast cache."""
    return sqlite_copy(demo_sqlite_file(forecasts=forecasts), path)


def demo_pg_url(prefix: str = "headroom_demo", *, forecasts: bool = False) -> str:
    """A new PostgreSQL database holding the demo (a copy of this process's template)."""
    return create_pg_database(prefix, template=_pg_template(forecasts))


def demo_sqlite_file(*, forecasts: bool) -> Path:
    """The cached file (never write to it: copy it)."""
    name = f"demo-{DEMO_TODAY}-{'forecasts' if forecasts else 'plain'}"
    return cached_file(
        name, lambda path: _fill(migrated_sqlite_url(path), forecasts), SOURCES, LIBRARIES
    )


def source_key(root: Path = ROOT) -> str:
    """The demo's key: every file it and its forecasts come from."""
    return sources_key(SOURCES, LIBRARIES, root)


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
