"""SQLite as ``cmdb.db.make_engine`` opens it: WAL, writers that queue at BEGIN, readers
beside them, and a page whose forecast-cache write gives way to a writer."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine

from cmdb.choices import Role
from cmdb.db import is_write_conflict, make_engine, reading
from cmdb.models import Agency, ForecastCache
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.databases import migrated_sqlite_url
from tests.integration.capacity.builders import build_small_province
from web import create_app
from web.db import get_db

HOLD_S = 0.3


@pytest.fixture
def url(tmp_path: Path) -> str:
    return migrated_sqlite_url(tmp_path / "lock.db")


@pytest.fixture
def engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


def agencies(conn: sa.Connection) -> int:
    return conn.scalar(sa.select(sa.func.count()).select_from(Agency)) or 0


def add_agency(conn: sa.Connection, name: str) -> None:
    conn.execute(sa.insert(Agency).values(name=name, kind="department"))


def test_the_database_is_in_wal_mode(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_a_writer_waits_at_begin_for_the_one_before_it(engine: Engine) -> None:
    """It reads first and writes after: it still waits, then sees the other's commit."""
    holding = threading.Event()

    def first() -> None:
        with engine.begin() as conn:
            add_agency(conn, "first")
            holding.set()
            time.sleep(HOLD_S)

    thread = threading.Thread(target=first)
    thread.start()
    assert holding.wait(timeout=10)
    started = time.monotonic()
    with engine.begin() as conn:
        seen = agencies(conn)  # a deferred BEGIN would read here and fail to write below
        add_agency(conn, "second")
    waited = time.monotonic() - started
    thread.join()
    assert seen == 1 and waited >= HOLD_S * 0.8
    with engine.connect() as conn:
        assert agencies(conn) == 2


def test_a_reader_does_not_wait_for_a_writer(engine: Engine) -> None:
    reader = reading(engine)
    with engine.begin() as writer:
        add_agency(writer, "uncommitted")
        started = time.monotonic()
        with reader.begin() as conn:
            assert agencies(conn) == 0  # the last commit, not the writer's work
            with pytest.raises(sa.exc.OperationalError) as refused:
                add_agency(conn, "a reader may not write now")  # refused at once
        assert time.monotonic() - started < 5
    assert is_write_conflict(refused.value)


@pytest.fixture
def app(url: str) -> Iterator[Flask]:
    """The small province with 30 days of samples on its cluster: a forecast to fit."""
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "t",
                      "CMDB_ANONYMOUS_READ": True, "CMDB_TODAY": date(2026, 6, 1)})  # fmt: skip
    with app.app_context(), get_db().sessions.begin() as session:
        cluster = build_small_province(session).cluster.id
        key = {"resource_type": "cluster", "resource_id": cluster, "metric": "vcpu_allocated"}
        token = create_token(session, create_user(session, "eng", Role.ENGINEER))[1]
    points = [{"series": key, "at": f"{date(2026, 5, 1) + timedelta(days=d)}T08:00:00Z",
               "value": d} for d in range(30)]  # fmt: skip
    answer = app.test_client().post(
        "/api/v1/samples/", json=points, headers={"Authorization": f"Token {token}"}
    )
    assert answer.status_code == 200, answer.get_json()
    yield app
    with app.app_context():
        get_db().engine.dispose()


def cached_forecasts(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(sa.select(sa.func.count()).select_from(ForecastCache)) or 0


def test_a_page_answers_while_a_writer_works_and_caches_its_fits_later(
    app: Flask, engine: Engine
) -> None:
    client = app.test_client()
    with engine.begin() as writer:
        add_agency(writer, "a long import")
        started = time.monotonic()
        answer = client.get("/api/v1/capacity/")
        assert answer.status_code == 200, answer.get_json()
        assert time.monotonic() - started < 5  # the busy timeout is 30 s: it did not wait
    assert cached_forecasts(engine) == 0  # the fits were answered, not kept
    assert client.get("/api/v1/capacity/").status_code == 200
    assert cached_forecasts(engine) > 0


def test_a_writer_kept_waiting_past_the_busy_timeout_is_answered_503(
    url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing written, and a Retry-After: the client tries again (the timeout is shortened
    from 30 s to 0.2 s for the test)."""
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "t"})
    with app.app_context(), get_db().sessions.begin() as session:
        token = create_token(session, create_user(session, "eng", Role.ENGINEER))[1]
    monkeypatch.setattr("cmdb.db.SQLITE_BUSY_TIMEOUT_MS", 200)
    with app.app_context():
        get_db().engine.dispose()  # new connections take the shorter timeout
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token}"
    body = {"name": "Trạm chờ", "slug": "tram-cho"}  # no admin unit: a 400 once it gets in
    with engine.begin() as writer:
        add_agency(writer, "a long import")
        answer = client.post("/api/v1/sites/", json=body)
    assert answer.status_code == 503, answer.get_json()
    assert answer.headers["Retry-After"] == "5"
    assert answer.get_json()["status"] == 503
    with engine.connect() as conn:
        assert agencies(conn) == 1  # the import's agency, nothing else
    assert client.post("/api/v1/sites/", json=body).status_code == 400  # the lock is free
    with app.app_context():
        get_db().engine.dispose()
