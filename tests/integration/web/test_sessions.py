"""UI sessions (issue 18): signed with a key of this install (generated and kept when none
is set, never the old published one), cookies HttpOnly + SameSite=Lax (+ Secure over TLS),
and revoked by logging out or a new password."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from flask.testing import FlaskClient

from cmdb.models import User
from tests.integration.web.secured_app import (
    PASSWORD,
    Secured,
    app_over,
    client_from,
    csrf,
    log_in,
    secured_app,
)
from web import create_app
from web.auth.secret_key import KEY_FILE, PUBLISHED_KEY, SecretKeyError
from web.cli import main
from web.db import get_db


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    yield secured_app(tmp_path_factory.mktemp("sessions"))


def user_id(app: Flask, username: str) -> int:
    with app.app_context(), get_db().sessions() as session:
        found = session.scalar(sa.select(User.id).where(User.username == username))
    assert found is not None
    return found


def signed_session(key: str, data: dict[str, object]) -> str:
    """A session cookie as Flask signs one with ``key`` (what a forger with the key makes)."""
    forger = Flask("forger")
    forger.secret_key = key
    serializer = SecureCookieSessionInterface().get_signing_serializer(forger)
    assert serializer is not None
    return str(serializer.dumps(data))


def with_cookie(app: Flask, value: str) -> FlaskClient:
    client = client_from(app, "10.1.0.9")
    client.set_cookie("session", value)
    return client


def test_without_a_key_one_is_generated_kept_private_and_announced(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    first = create_app({"CMDB_DATABASE_URL": "sqlite://", "CMDB_DATA_DIR": str(tmp_path)})
    kept = tmp_path / KEY_FILE
    assert first.config["SECRET_KEY"] == kept.read_text().strip()
    assert len(first.config["SECRET_KEY"]) >= 64
    assert stat.S_IMODE(os.stat(kept).st_mode) == 0o600
    assert f"generated one into {kept}" in capfd.readouterr().err

    again = create_app({"CMDB_DATABASE_URL": "sqlite://", "CMDB_DATA_DIR": str(tmp_path)})
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]  # sessions survive restarts
    assert "generated" not in capfd.readouterr().err


def test_the_old_published_key_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SecretKeyError, match="published"):
        create_app({"CMDB_DATABASE_URL": "sqlite://", "SECRET_KEY": PUBLISHED_KEY})


def test_a_session_forged_with_the_old_published_key_is_refused(secured: Secured) -> None:
    ana = {"user_id": user_id(secured.app, "ana")}
    forged = with_cookie(secured.app, signed_session(PUBLISHED_KEY, ana))
    assert forged.get("/devices/").status_code == 302  # to the log-in page
    # The same cookie signed with this install's key is a session: the forgery was well made.
    genuine = with_cookie(secured.app, signed_session(secured.app.config["SECRET_KEY"], ana))
    assert genuine.get("/devices/").status_code == 200


def test_the_session_cookie_is_httponly_and_samesite_lax_and_secure_only_over_tls(
    secured: Secured,
) -> None:
    plain = log_in(client_from(secured.app, "10.1.0.1"), "bo").headers["Set-Cookie"]
    assert "HttpOnly" in plain and "SameSite=Lax" in plain and "Secure" not in plain
    tls = app_over(secured.url, secured.data_dir, CMDB_TLS=True)
    client = client_from(tls, "10.1.0.1")
    answer = log_in(client, "bo")
    assert "Secure" in answer.headers["Set-Cookie"]
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
    with tls.app_context():
        get_db().engine.dispose()


def test_logging_out_revokes_the_session_the_cookie_carried(secured: Secured) -> None:
    client = client_from(secured.app, "10.1.0.2")
    assert log_in(client, "ana").status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    stolen = with_cookie(secured.app, cookie.value)  # a copy of the cookie, as a thief keeps
    assert stolen.get("/devices/").status_code == 200

    assert client.post("/logout", data={"csrf_token": csrf(client)}).status_code == 302
    assert stolen.get("/devices/").status_code == 302  # the old cookie no longer works
    assert log_in(client, "ana").status_code == 302  # a new log-in does
    assert client.get("/devices/").status_code == 200


def test_a_new_password_ends_the_users_sessions(secured: Secured) -> None:
    client = client_from(secured.app, "10.1.0.3")
    assert log_in(client, "cam").status_code == 302
    changed = secured.app.test_cli_runner().invoke(
        main, ["user", "password", "cam"], input="another good one\n"
    )
    assert changed.exit_code == 0, changed.output
    assert client.get("/devices/").status_code == 302
    assert log_in(client, "cam", PASSWORD).status_code == 401
    assert log_in(client, "cam", "another good one").status_code == 302
    short = secured.app.test_cli_runner().invoke(main, ["user", "password", "cam"], input="x\n")
    assert short.exit_code == 1 and "at least 8 characters" in short.output


def test_the_login_page_sends_a_logged_in_user_on(secured: Secured) -> None:
    client = client_from(secured.app, "10.1.0.50")
    assert client.get("/login").status_code == 200  # the form, for someone not logged in
    assert log_in(client, "bo").status_code == 302

    assert client.get("/login").headers["Location"] == "/"
    assert client.get("/login?next=/devices/").headers["Location"] == "/devices/"
    assert client.get("/login?next=//evil.example/").headers["Location"] == "/"
