"""An app as a production install starts it: no secret key configured, anonymous read off,
and users with passwords; plus a log-in helper that goes through the form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from cmdb.choices import Role
from cmdb.db import make_engine, make_session_factory, transaction
from cmdb.services.users import create_user
from tests.databases import migrated_sqlite_url
from web import create_app

PASSWORD = "correct horse battery"
USERS = {"ana": Role.PLANNER, "bo": Role.VIEWER, "cam": Role.ENGINEER}


@dataclass(frozen=True)
class Secured:
    app: Flask
    url: str
    data_dir: Path


def secured_app(directory: Path, url: str | None = None, **config: object) -> Secured:
    """A migrated database (SQLite, or ``url``) with ``USERS``, and an app over it without
    ``SECRET_KEY``."""
    url = url or migrated_sqlite_url(directory / "secured.db")
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as session:
        for username, role in USERS.items():
            create_user(session, username, role, password=PASSWORD)
    engine.dispose()
    return Secured(app_over(url, directory / "instance", **config), url, directory / "instance")


def app_over(url: str, data_dir: Path, **config: object) -> Flask:
    """Another app (its own engine, as another worker process has) over the same database."""
    return create_app(
        {"TESTING": True, "CMDB_DATABASE_URL": url, "CMDB_DATA_DIR": str(data_dir), **config}
    )


def client_from(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def csrf(client: FlaskClient) -> str:
    found = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/login", follow_redirects=True).text
    )
    assert found
    return found.group(1)


def log_in(
    client: FlaskClient, username: str, password: str = PASSWORD, query: str = ""
) -> TestResponse:
    data = {"username": username, "password": password, "csrf_token": csrf(client)}
    return client.post(f"/login{query}", data=data)
