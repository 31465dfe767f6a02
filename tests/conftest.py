"""Shared fixtures: migrated databases (SQLite and PostgreSQL), the app and its clients.

PostgreSQL is a real server (127.0.0.1:5432, trust auth; ``.ci/run`` starts it).
The suite creates its own throw-away databases there and drops them at the end;
every migrated database is a clone of one template per backend (``tests.databases``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _pytest.nodeid import NodeId
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from cmdb.db import make_engine
from cmdb.demo import DemoSummary
from cmdb.demo.loader import summarize
from tests.databases import drop_pg_database, migrated_pg_url, migrated_sqlite_url
from tests.demo_databases import demo_pg_url, demo_sqlite_url

pytest_plugins = [
    "tests.tiers",
    "tests.compiled_once",
    "tests.schedule",
    "tests.cheap_hashes",
    "tests.gc_tuning",
    "tests.shared_statements",
    "tests.fast_exit",
]


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return migrated_sqlite_url(tmp_path_factory.mktemp("db") / "headroom.db")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    url = migrated_pg_url()
    yield url
    drop_pg_database(url)


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def migrated_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A migrated database on each backend; tests run once per backend."""
    url = request.getfixturevalue(f"{request.param.replace('postgresql', 'postgres')}_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(migrated_engine: Engine) -> Iterator[Session]:
    """A session inside an outer transaction that is rolled back after the test.

    The session's own commits become savepoints, so services and tests can commit
    freely and every test still starts from the empty migrated schema.
    """
    with migrated_engine.connect() as conn:
        outer = conn.begin()
        sess = Session(bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield sess
        finally:
            sess.close()
            outer.rollback()


@pytest.fixture
def app(tmp_path: Path):
    """An app on a fresh migrated SQLite file."""
    from web import create_app

    url = migrated_sqlite_url(tmp_path / "app.db")
    app = create_app(
        {
            "TESTING": True,
            "CMDB_DATABASE_URL": url,
            "SECRET_KEY": "test",
            "CMDB_ANONYMOUS_READ": True,
        }
    )
    yield app


@pytest.fixture
def client(app):
    """A browser that asks for English pages (the app's default language is Vietnamese);
    tests of the Vietnamese pages send ``Accept-Language: vi`` or pick it in the session."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="module")
def demo(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Session, DemoSummary]]:
    """The demo on the backend of ``migrated_engine``, a copy per module
    (``tests.demo_databases``), in a transaction rolled back after the module."""
    yield from _demo(migrated_engine, tmp_path_factory, forecasts=False)


@pytest.fixture(scope="module")
def demo_with_forecasts(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Session, DemoSummary]]:
    """``demo`` with every baseline forecast cached, as ``cmdb demo`` leaves it: what
    evaluates requests need not fit 271 forecasts first (4 s)."""
    yield from _demo(migrated_engine, tmp_path_factory, forecasts=True)


def _demo(
    migrated_engine: Engine, tmp_path_factory: pytest.TempPathFactory, *, forecasts: bool
) -> Iterator[tuple[Session, DemoSummary]]:
    copy = tmp_path_factory.mktemp("demo") / "demo.db"
    if migrated_engine.dialect.name == "sqlite":
        url = demo_sqlite_url(copy, forecasts=forecasts)
    else:
        url = demo_pg_url(forecasts=forecasts)
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            outer = conn.begin()
            session = Session(bind=conn, join_transaction_mode="create_savepoint")
            try:
                yield session, summarize(session)
            finally:
                session.close()
                outer.rollback()
    finally:
        engine.dispose()
        copy.unlink(missing_ok=True)
        if engine.dialect.name == "postgresql":
            drop_pg_database(url)


# Parallel runs (pytest-xdist, ``--dist loadgroup``): a group goes whole to one worker.
# A test module is a group, so its module fixtures (a demo load, an app) are built once;
# the tests of one slow peer form one group, so each peer starts once, on one worker.
PEER_GROUPS = (
    ("netbox", "netbox"),
    ("browser", "browser"),
    ("fleet", "snmp-agents"),
    ("snmpd", "snmp-agents"),
    ("poll_agent", "snmp-agents"),
)


def group_of(item: pytest.Item) -> str:
    names = getattr(item, "fixturenames", ())
    for fixture, group in PEER_GROUPS:
        if fixture in names:
            return group
    module = item.nodeid.split("::", 1)[0]
    if module.endswith("test_schemathesis.py"):  # a test per operation, cheap to set up
        return item.nodeid
    return module


def name_the_operation(item: pytest.Item) -> None:
    """Schemathesis names its items ``test[GET /api/v1/…]``, but under pytest 9.2 their
    node ids lose the brackets: 94 tests with one id, which xdist, ``--durations`` and
    the tier clock cannot tell apart. The id gets its operation back."""
    params = item.name.partition("[")[2].removesuffix("]")
    if params and item._id.params is None:  # private: pytest has no public setter
        item._id = item._id.with_params(params)


def pytest_itemcollected(item: pytest.Item) -> None:
    """Marked as it is collected: xdist reads the group in its own
    ``pytest_collection_modifyitems``, which runs before any trylast one."""
    name_the_operation(item)
    item.add_marker(pytest.mark.xdist_group(group_of(item)))


def the_group_in_the_id(item: pytest.Item, group: str) -> None:
    """``--dist loadgroup`` schedules by the ``@group`` suffix of a node id. xdist 3.8 adds
    it by assigning ``item._nodeid``, which pytest 9.2 no longer reads (the id is
    ``item._id``), so every group was split between the workers and its module
    fixtures (demo loads, peers) were built twice. The suffix is added here instead."""
    if "@" not in item.nodeid:
        item._id = NodeId.parse(f"{item.nodeid}@{group}")  # private, as above


def group_name(item: pytest.Item) -> str:
    mark = item.get_closest_marker("xdist_group")
    return str(mark.args[0]) if mark else ""


@pytest.hookimpl(trylast=True)  # after pytest's own ordering by fixture scope
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("loadgroup", default=False):  # set on xdist workers only
        for item in items:
            the_group_in_the_id(item, group_name(item))
    # Then ``tests.schedule`` orders the groups: the longest go out first.
