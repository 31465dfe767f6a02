"""Helpers of the request-page tests: the demo app, one user per caller, a logged-in client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.models import ChangeLog, RequestEvaluation, ResourceRequest
from cmdb.models.capacity import CapacityReservation
from cmdb.services.users import create_user
from tests.integration.api.conftest import DEMO_TODAY
from web import create_app
from web.db import get_db

CSRF = "test-csrf-token"
OWN_AGENCY = "VP UBND tỉnh"  # the agency of the demo's requests 1 and 4
OTHER_AGENCY = "STTTT"  # the agency of the demo's request 3
CALLERS = ("anonymous", "viewer", "own", "other", "engineer", "planner", "admin")
ROLES = {
    "viewer": (Role.VIEWER, None),
    "own": (Role.REQUESTER, OWN_AGENCY),
    "other": (Role.REQUESTER, OTHER_AGENCY),
    "engineer": (Role.ENGINEER, None),
    "planner": (Role.PLANNER, None),
    "admin": (Role.ADMIN, None),
}


def with_callers(demo_db_file: Path, path: Path) -> Path:
    """A copy of the demo at ``path`` with a user per caller (made once per module)."""
    shutil.copyfile(demo_db_file, path)
    engine = make_engine(f"sqlite:///{path}")
    with transaction(make_session_factory(engine)) as session:
        for caller, (role, agency) in ROLES.items():
            create_user(session, f"ui-{caller}", role, agency=agency)
    engine.dispose()
    return path


@pytest.fixture(scope="module")
def callers_db_file(demo_db_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``with_callers`` once per module (import it with ``demo_db_file`` as a fixture)."""
    return with_callers(demo_db_file, tmp_path_factory.mktemp("callers") / "callers.db")


def make_app(callers_db_file: Path, tmp_path: Path, **config: Any) -> Iterator[Flask]:
    """The app on a private copy of ``with_callers``'s database."""
    path = tmp_path / "app.db"
    shutil.copyfile(callers_db_file, path)
    app = create_app(
        {
            "TESTING": True,
            "CMDB_DATABASE_URL": f"sqlite:///{path}",
            "SECRET_KEY": "test",
            "CMDB_TODAY": DEMO_TODAY,
            "CMDB_ANONYMOUS_READ": False,
            "CMDB_DEFAULT_LANGUAGE": "en",
        }
        | config
    )
    yield app
    with app.app_context():
        get_db().engine.dispose()
    path.unlink()  # 39 MB a test: gone before the kernel writes it back to the disk


def client_as(app: Flask, caller: str) -> FlaskClient:
    """A client logged in as ``caller`` (a session, as after the log-in form), in English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with client.session_transaction() as sess:
        sess["csrf_token"] = CSRF
        if caller != "anonymous":
            with app.app_context(), get_db().sessions() as session:
                sess["user_id"] = session.scalar(
                    sa.text("SELECT id FROM user WHERE username = :u"), {"u": f"ui-{caller}"}
                )
    return client


def count_rows(app: Flask) -> dict[str, int]:
    with app.app_context(), get_db().sessions() as session:
        return {
            model.__tablename__: session.scalar(sa.select(sa.func.count()).select_from(model)) or 0
            for model in (ResourceRequest, RequestEvaluation, CapacityReservation, ChangeLog)
        }


def request_status(app: Flask, request_id: int) -> str:
    with app.app_context(), get_db().sessions() as session:
        return session.get(ResourceRequest, request_id).status.value
