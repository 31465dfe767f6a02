"""Fixtures of the Ansible tests: the app on the known inventory, and an engineer's token."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask

from cmdb.choices import Role
from cmdb.db import transaction
from cmdb.services.tokens import create_token
from cmdb.services.users import create_user
from tests.databases import migrated_sqlite_url
from tests.demo_databases import DEMO_TODAY, demo_sqlite_url
from tests.integration.ansible.seed import Seeded, seed
from web import create_app
from web.db import get_db


def seeded_app(url: str) -> tuple[Flask, Seeded]:
    app = create_app({"TESTING": True, "CMDB_DATABASE_URL": url, "SECRET_KEY": "test"})
    with app.app_context(), transaction(get_db().sessions) as session:
        seeded = seed(session)
    return app, seeded


@contextmanager
def served_demo(path: Path, *, forecasts: bool) -> Iterator[Flask]:
    """The demo in a private SQLite file at ``path`` (``forecasts``: already fitted), on
    the demo's day: what the collection's modules and lookup are tried against."""
    config = {
        "TESTING": True,
        "CMDB_DATABASE_URL": demo_sqlite_url(path, forecasts=forecasts),
        "SECRET_KEY": "t",
        "CMDB_TODAY": DEMO_TODAY,
    }
    app = create_app(config)
    yield app
    with app.app_context():
        get_db().engine.dispose()


def token(app: Flask, role: Role, username: str) -> str:
    with app.app_context(), transaction(get_db().sessions) as session:
        return create_token(session, create_user(session, username, role))[1]


@pytest.fixture
def seeded(tmp_path: Path) -> Iterator[tuple[Flask, Seeded]]:
    url = migrated_sqlite_url(tmp_path / "ansible.db")
    app, ids = seeded_app(url)
    yield app, ids
    with app.app_context():
        get_db().engine.dispose()


@pytest.fixture
def engineer(seeded: tuple[Flask, Seeded]) -> dict[str, str]:
    return {"Authorization": f"Token {token(seeded[0], Role.ENGINEER, 'ansible')}"}
