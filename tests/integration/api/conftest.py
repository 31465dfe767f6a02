"""Fixtures of the API and capacity-CLI tests: the demo province on a real SQLite file.

Loading the demo and forecasting every series costs seconds, so it happens once
per session into a template file; each test gets its own copy (tens of
milliseconds), so tests that store, evaluate or approve never see each other.
``CMDB_TODAY`` pins the day the demo was generated for, so verdicts are fixed.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.demo.pending_requests import request_specs
from cmdb.models import ChangeLog, RequestEvaluation, ResourceRequest
from cmdb.models.capacity import CapacityReservation
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from web import create_app
from web.db import get_db

DEMO_REQUESTS = 4


class _ShortNames(dict[str, str]):
    """Agency short name → itself: the documents name agencies as a person would."""

    def __missing__(self, key: str) -> str:
        return key


# The demo's citizens' feedback portal (request 4), under another name: small,
# Internet-facing; on the demo it fits at go-live (2026-03-01) and the SAN runs
# out in April 2027 (HOST UNTIL).
PORTAL: dict[str, Any] = {
    **request_specs(DEMO_TODAY, _ShortNames())[3],
    "name": "Cổng tiếp nhận phản ánh (thử)",
}


def portal(**changes: Any) -> dict[str, Any]:
    """A valid request document, with ``changes`` applied on top."""
    return {**deepcopy(PORTAL), **changes}


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with the demo and its forecasts cached (copy it before writing)."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo_sqlite_url(path, forecasts=True)
    return path


@contextmanager
def demo_app(demo_db_file: Path, directory: Path) -> Iterator[Flask]:
    """The app on a copy of the demo database in ``directory``, on the demo's day."""
    path = directory / "app.db"
    shutil.copyfile(demo_db_file, path)
    app = create_app(
        {
            "TESTING": True,
            "CMDB_DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_ANONYMOUS_READ": True,
        }
    )
    yield app
    with app.app_context():
        get_db().engine.dispose()
    path.unlink()  # 39 MB a copy: gone before the kernel writes it back to the disk


@pytest.fixture
def app(demo_db_file: Path, tmp_path: Path) -> Iterator[Flask]:
    """The app on a private copy of the demo database."""
    with demo_app(demo_db_file, tmp_path) as app:
        yield app


@pytest.fixture(scope="module")
def shared_app(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One copy a whole module shares, for its tests that write nothing (reads, refusals):
    a refusal that wrote would fail its own test, which counts the rows."""
    with demo_app(demo_db_file, tmp_path_factory.mktemp("shared")) as app:
        yield app


@pytest.fixture(scope="module")
def shared_client(shared_app: Flask) -> FlaskClient:
    """An admin's client of ``shared_app``."""
    return admin_client(shared_app)


def token_for(
    app: Flask, role: Role, username: str | None = None, agency: str | None = None
) -> str:
    """A new user of ``role`` in the app's database, and the key of a token of theirs."""
    with app.app_context(), transaction(get_db().sessions) as session:
        user = create_user(session, username or f"test-{role.value}", role, agency=agency)
        return create_token(session, user)[1]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A client that calls as an admin (``app.test_client()`` calls anonymously)."""
    return admin_client(app)


def admin_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Token {token_for(app, Role.ADMIN)}"
    return client


STORED_MODELS = (ResourceRequest, RequestEvaluation, CapacityReservation, ChangeLog)


def count_rows(app: Flask) -> dict[str, int]:
    """Rows of every table a request, an evaluation or an approval writes."""
    with app.app_context(), get_db().sessions() as session:
        return {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
            for model in STORED_MODELS
        }
