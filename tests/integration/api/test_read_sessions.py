"""The API's generated reads run in autocommit on PostgreSQL and keep their prepared
statements; every other request keeps its transaction (``web.db``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask, g

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.models import Agency
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.databases import drop_pg_database
from tests.demo_databases import demo_pg_url
from tests.integration.api.conftest import DEMO_TODAY
from web import create_app
from web.db import get_db, get_session

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def pg_app() -> Iterator[Flask]:
    url = demo_pg_url("headroom_reads")
    config = {"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "t"}
    app = create_app({**config, "CMDB_ANONYMOUS_READ": True, "CMDB_TODAY": DEMO_TODAY})
    yield app
    with app.app_context():
        get_db().engine.dispose()
    drop_pg_database(url)


@pytest.fixture(scope="module")
def engineer_key(pg_app: Flask) -> str:
    with pg_app.app_context(), transaction(get_db().sessions) as session:
        user = create_user(session, "eng", Role.ENGINEER)
        return create_token(session, user, description="test")[1]


def autocommit_of_session(app: Flask, method: str, path: str) -> bool:
    """Whether the request's session sits on an autocommit connection."""
    with app.test_request_context(path, method=method):  # routed: ``request.endpoint`` is set
        connection = get_session().connection()
        autocommit = bool(connection.connection.dbapi_connection.autocommit)  # type: ignore[union-attr]
        g.pop("db_session").close()
    return autocommit


def test_a_generated_read_autocommits_and_everything_else_keeps_a_transaction(
    pg_app: Flask,
) -> None:
    assert autocommit_of_session(pg_app, "GET", "/api/v1/devices/")
    assert autocommit_of_session(pg_app, "GET", "/api/v1/devices/1")
    assert autocommit_of_session(pg_app, "GET", "/api/v1/devices/1/changes/")
    assert not autocommit_of_session(pg_app, "POST", "/api/v1/devices/")
    assert not autocommit_of_session(pg_app, "GET", "/api/v1/capacity/")  # may cache forecasts
    assert not autocommit_of_session(pg_app, "GET", "/")


def test_repeated_pages_run_prepared_statements(pg_app: Flask, engineer_key: str) -> None:
    """psycopg drops its prepared statements on every ROLLBACK: without autocommit every
    page of a list was parsed and planned again."""
    client = pg_app.test_client()
    headers = {"Authorization": f"Token {engineer_key}"}
    for _ in range(8):
        assert client.get("/api/v1/devices/?limit=2", headers=headers).status_code == 200
    with pg_app.app_context(), get_db().engine.connect() as conn:
        prepared = conn.execute(sa.text("SELECT statement FROM pg_prepared_statements")).all()
    texts = " ".join(row.statement for row in prepared)
    assert "FROM device" in texts and "api_token" in texts, texts


def test_a_write_in_a_read_only_request_is_refused(pg_app: Flask) -> None:
    with pg_app.test_request_context("/api/v1/agencies/"):
        session = get_session()
        session.add(Agency(name="never written"))
        with pytest.raises(RuntimeError, match="read-only"):
            session.flush()
        g.pop("db_session").close()
