"""A read-only app on the demo, shared by a whole module, on SQLite and on PostgreSQL.

The generated contract tests only read, so copying the demo file per test (the
``app`` fixture) would cost minutes for nothing. Tests that write use ``app``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, ChangeAction, Role, RunStatus, Source
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import (
    AdminUnit,
    Agency,
    Device,
    DiscoveryResult,
    DiscoveryRun,
    Discrepancy,
    Link,
    Sample,
    Series,
)
from cmdb.services.provenance import CONTEXT_KEY, ChangeContext, attribute_changes, log_change
from cmdb.services.users import create_user
from tests.databases import drop_pg_database
from tests.demo_databases import demo_pg_url
from tests.integration.api.conftest import DEMO_TODAY
from web import create_app
from web.db import get_db


def add_audit_rows(session: Session) -> None:
    """Rows the demo leaves empty (runs and their results, discrepancies, changes, raw
    samples), two of each, and the values it leaves empty (``add_missing_values``).

    Without them the generated tests of those resources would have nothing to filter.
    """
    device = session.scalars(sa.select(Device).order_by(Device.id)).first()
    series = session.scalars(sa.select(Series).order_by(Series.id)).first()
    assert device is not None and series is not None
    add_missing_values(session, device)
    # The first change is a user's, within one request; the second a source's.
    user = create_user(session, "contract-admin", Role.ADMIN)
    contexts = (ChangeContext("admin", user.id, "contract-request-1"), ChangeContext("snmp"))
    start = datetime(2026, 1, 14, tzinfo=UTC)
    for n, (source, status) in enumerate(
        [(Source.SNMP, RunStatus.SUCCEEDED), (Source.NETBOX, RunStatus.FAILED)]
    ):
        run = DiscoveryRun(
            source=source,
            target=f"10.0.0.{n + 1}",
            status=status,
            started_at=start + timedelta(hours=n),
            finished_at=start + timedelta(hours=n, minutes=5),
            stats={"devices": n},
            error="timeout" if status is RunStatus.FAILED else None,
            requested_by=("engineer", None)[n],
        )
        session.add(run)
        session.add(
            DiscoveryResult(
                run=run,
                address=f"10.0.0.{n + 1}:161",
                status=status,
                error=run.error,
                duration_ms=120.0 + n,
                requests=4 + n,
                device_id=device.id if status is RunStatus.SUCCEEDED else None,
            )
        )
        session.add(
            Discrepancy(
                object_type="device",
                object_id=device.id,
                field=("serial", "model")[n],
                values={"snmp": f"A{n}", "netbox": f"B{n}"},
                opened_at=start + timedelta(hours=n),
                last_seen_at=start + timedelta(days=1, hours=n),
            )
        )
        session.add(Sample(series_id=series.id, ts=start + timedelta(minutes=5 * n), value=1.5 + n))
        attribute_changes(session, contexts[n])
        log_change(
            session,
            actor=("admin", "snmp")[n],
            action=(ChangeAction.CREATE, ChangeAction.UPDATE)[n],
            obj=device,
            object_repr=device.name,
            before=None if n == 0 else {"serial": "OLD"},
            after={"serial": device.serial},
        )
    session.info.pop(CONTEXT_KEY)  # the session may go on (``world``): its writes are no one's


def add_missing_values(session: Session, device: Device) -> None:
    """What the pre-reform demo legitimately lacks: a device's place in its site, a
    dissolved commune with its dates and successor (the demo's units are all in force),
    a link and an agency with dates."""
    device.location = "Phòng máy 1 / Dãy A"
    district, commune = (
        session.scalars(
            sa.select(AdminUnit).where(AdminUnit.level == level).order_by(AdminUnit.id)
        ).first()
        for level in (AdminLevel.DISTRICT, AdminLevel.COMMUNE)
    )
    assert district is not None and commune is not None
    session.add(
        AdminUnit(
            code="20999",
            name="Xã Cũ (đã sáp nhập)",
            level=AdminLevel.COMMUNE,
            kind="Xã",
            parent_id=district.id,
            valid_from=date(2008, 1, 1),
            valid_to=date(2020, 2, 1),
            successor_id=commune.id,
        )
    )
    # A link commissioned in 2024, one that ended, a committee a reform ended: dated rows.
    first, second = session.scalars(sa.select(Link).order_by(Link.id).limit(2)).all()
    agency = session.scalars(sa.select(Agency).order_by(Agency.id)).first()
    assert agency is not None
    first.valid_from = date(2024, 3, 1)
    second.valid_to = date(2025, 7, 1)
    agency.valid_from, agency.valid_to = date(2008, 1, 1), date(2025, 7, 1)


@pytest.fixture(scope="module")
def read_db_file(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("read") / "read.db"
    shutil.copyfile(demo_db_file, path)
    engine = make_engine(f"sqlite:///{path}")
    with transaction(make_session_factory(engine)) as session:
        add_audit_rows(session)
    engine.dispose()
    return path


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def read_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """The read-only demo on each backend: the SQLite copy, or the same rows on PostgreSQL
    (where lists read in autocommit with statements kept per shape, ``web.db``)."""
    if request.param == "sqlite":
        yield f"sqlite:///{request.getfixturevalue('read_db_file')}"
        return
    url = demo_pg_url("headroom_read", forecasts=True)
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        add_audit_rows(session)
    engine.dispose()
    yield url
    drop_pg_database(url)


@pytest.fixture(scope="module")
def read_app(read_url: str) -> Iterator[Flask]:
    app = create_app(
        {
            "TESTING": True,
            "CMDB_DATABASE_URL": read_url,
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_ANONYMOUS_READ": True,
        }
    )
    yield app
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture(scope="module")
def read_client(read_app: Flask) -> FlaskClient:
    return read_app.test_client()


@pytest.fixture(scope="module")
def read_db(read_app: Flask) -> Iterator[Session]:
    with read_app.app_context(), get_db().sessions() as session:
        yield session


TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"})


@contextmanager
def counting_queries(app: Flask) -> Iterator[Callable[[], int]]:
    """Count the SQL queries the app's engine runs inside the block.

    Transaction control (SQLite's explicit ``BEGIN``) is not a query and is left out.
    """
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.split(None, 1)[0].upper() not in TRANSACTION_CONTROL:
            statements.append(statement)

    with app.app_context():
        engine = get_db().engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield lambda: len(statements)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
