"""Authentication: tokens (hashed, expiring), anonymous read, UI log-in with CSRF, the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.choices import Role
from cmdb.db import transaction, utcnow
from cmdb.models import ApiToken, User
from cmdb.services.tokens import create_token, hash_key
from cmdb.services.users import create_user
from tests.integration.api.conftest import token_for
from tests.integration.api.test_errors import assert_error
from web.cli import main
from web.db import get_db


@pytest.fixture
def closed_app(app: Flask) -> Flask:
    app.config["CMDB_ANONYMOUS_READ"] = False
    return app


def test_without_anonymous_read_a_list_needs_a_token(closed_app: Flask) -> None:
    client = closed_app.test_client()
    response = client.get("/api/v1/devices/")
    assert_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Token")
    key = token_for(closed_app, Role.VIEWER)
    ok = client.get("/api/v1/devices/", headers={"Authorization": f"Token {key}"})
    assert ok.status_code == 200


def test_the_openapi_document_is_public(closed_app: Flask) -> None:
    assert closed_app.test_client().get("/api/v1/openapi.json").status_code == 200


@pytest.mark.parametrize("header", ["Token nonsense", "Bearer abc", "Token "])
def test_a_bad_token_is_a_401_even_for_reads(app: Flask, header: str) -> None:
    assert_error(app.test_client().get("/api/v1/sites/", headers={"Authorization": header}), 401)


def test_an_expired_token_is_refused(app: Flask) -> None:
    with app.app_context(), transaction(get_db().sessions) as session:
        user = create_user(session, "old", Role.ADMIN)
        _, key = create_token(session, user, expires_days=1, now=utcnow() - timedelta(days=2))
    assert_error(
        app.test_client().get("/api/v1/sites/", headers={"Authorization": f"Token {key}"}), 401
    )


def test_only_the_hash_and_a_prefix_are_stored(app: Flask) -> None:
    key = token_for(app, Role.VIEWER)
    with app.app_context(), get_db().sessions() as session:
        token = session.scalars(sa.select(ApiToken)).one()
    assert token.key_hash == hash_key(key) and key not in token.key_hash
    assert token.key_prefix == key[:8]


def test_an_inactive_users_token_is_refused(app: Flask) -> None:
    key = token_for(app, Role.ADMIN, "gone")
    with app.app_context(), transaction(get_db().sessions) as session:
        session.scalars(sa.select(User).where(User.username == "gone")).one().is_active = False
    response = app.test_client().get("/api/v1/sites/", headers={"Authorization": f"Token {key}"})
    assert_error(response, 401)


def _login_form(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_ui_log_in_with_a_password_and_csrf(closed_app: Flask) -> None:
    with closed_app.app_context(), transaction(get_db().sessions) as session:
        create_user(session, "ana", Role.PLANNER, password="correct horse")
    client = closed_app.test_client()
    assert client.get("/devices/").status_code == 302  # to the log-in page
    token = _login_form(client)
    wrong = client.post("/login", data={"username": "ana", "password": "x", "csrf_token": token})
    assert wrong.status_code == 401
    forged = client.post("/login", data={"username": "ana", "password": "correct horse"})
    assert forged.status_code == 400
    ok = client.post(
        "/login?next=/devices/",
        data={"username": "ana", "password": "correct horse", "csrf_token": token},
    )
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/devices/")
    page = client.get("/devices/")
    assert page.status_code == 200 and "ana" in page.get_data(as_text=True)
    # A session reads the API, but writes need a token: a cookie is not enough.
    assert client.get("/api/v1/devices/").status_code == 200
    assert_error(client.post("/api/v1/requests/evaluate", json={}), 401)


def test_the_log_in_page_never_redirects_elsewhere(closed_app: Flask) -> None:
    with closed_app.app_context(), transaction(get_db().sessions) as session:
        create_user(session, "bo", Role.VIEWER, password="long enough")
    client = closed_app.test_client()
    data = {"username": "bo", "password": "long enough", "csrf_token": _login_form(client)}
    response = client.post("/login?next=//evil.example/", data=data)
    assert "evil" not in response.headers["Location"]


def test_cli_creates_a_user_and_a_token_shown_once(app: Flask) -> None:
    runner = app.test_cli_runner()
    created = runner.invoke(
        main,
        ["user", "create", "eng", "--role", "engineer", "--password-stdin"],
        input="s3cret-pw\n",
    )
    assert created.exit_code == 0, created.output
    issued = runner.invoke(
        main, ["token", "create", "eng", "--expires", "30", "--description", "ci"]
    )
    assert issued.exit_code == 0, issued.output
    key = issued.stdout.strip().splitlines()[0]
    response = app.test_client().get("/api/v1/sites/", headers={"Authorization": f"Token {key}"})
    assert response.status_code == 200
    again = runner.invoke(main, ["user", "create", "eng", "--role", "viewer"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_a_requester_needs_an_agency(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["user", "create", "r", "--role", "requester"])
    assert result.exit_code == 1 and "agency" in result.output


def test_demo_users_one_per_role(app: Flask) -> None:
    result = app.test_cli_runner().invoke(main, ["demo", "users"])
    assert result.exit_code == 0, result.output
    for role in Role:
        assert f"demo-{role.value}" in result.output
    client = app.test_client()
    data = {
        "username": "demo-planner",
        "password": "planner-demo",
        "csrf_token": _login_form(client),
    }
    assert client.post("/login", data=data).status_code == 302
