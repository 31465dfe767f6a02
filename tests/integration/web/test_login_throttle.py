"""The log-in throttle (issue 18): 20 wrong passwords for a username and the 21st try is
refused with 429, counted in the database so every worker process sees the same count
(on SQLite and PostgreSQL); one address spraying usernames is throttled too, the client's
address behind a proxy; a right password clears the count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from cmdb.db import transaction, utcnow
from cmdb.models import LoginFailure
from tests.databases import drop_pg_database, migrated_pg_url
from tests.integration.web.secured_app import (
    Secured,
    app_over,
    client_from,
    log_in,
    secured_app,
)
from web.db import get_db


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    yield secured_app(tmp_path_factory.mktemp("throttle"))


def wrong(client, username: str, times: int) -> None:
    for _ in range(times):
        assert log_in(client, username, "not the password").status_code == 401


def test_twenty_wrong_passwords_throttle_the_twenty_first_try(secured: Secured) -> None:
    client = client_from(secured.app, "10.0.0.1")
    wrong(client, "ana", 20)

    refused = log_in(client, "ana")  # the right password, but too late
    assert refused.status_code == 429
    assert "Nhập sai mật khẩu quá nhiều lần" in refused.text  # the default language
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "Too many wrong passwords" in log_in(client, "ana").text
    window = secured.app.config["CMDB_LOGIN_WINDOW_S"]
    assert 0 < int(refused.headers["Retry-After"]) <= window
    assert client.get("/devices/").status_code == 302  # not logged in

    elsewhere = client_from(secured.app, "10.0.0.2")  # the username is held from any address
    assert log_in(elsewhere, "ana").status_code == 429


def test_the_count_is_kept_in_the_database_for_every_worker(secured: Secured) -> None:
    other_worker = app_over(secured.url, secured.data_dir)
    first, second = client_from(secured.app, "10.0.1.1"), client_from(other_worker, "10.0.1.1")
    wrong(first, "bo", 10)
    wrong(second, "bo", 10)
    assert log_in(first, "bo").status_code == 429
    assert log_in(second, "bo").status_code == 429
    with other_worker.app_context():
        get_db().engine.dispose()


def test_one_address_trying_many_usernames_is_throttled(secured: Secured) -> None:
    app = secured.app
    app.config["CMDB_LOGIN_FAILURES_PER_ADDRESS"] = 5
    try:
        sprayer = client_from(app, "10.0.2.1")
        for n in range(5):
            wrong(sprayer, f"guess-{n}", 1)
        assert log_in(sprayer, "cam").status_code == 429
        assert log_in(client_from(app, "10.0.2.2"), "cam").status_code == 302
    finally:
        app.config["CMDB_LOGIN_FAILURES_PER_ADDRESS"] = 100


def test_a_right_password_clears_the_usernames_count(secured: Secured) -> None:
    app = secured.app
    app.config["CMDB_LOGIN_FAILURES"] = 3
    try:
        client = client_from(app, "10.0.3.1")
        wrong(client, "cam", 2)
        assert log_in(client, "cam").status_code == 302
        wrong(client, "cam", 2)  # 4 in the window in all, but 2 since the right one
        assert log_in(client, "cam").status_code == 302
    finally:
        app.config["CMDB_LOGIN_FAILURES"] = 20


def test_failures_older_than_the_window_no_longer_count(secured: Secured) -> None:
    window = timedelta(seconds=secured.app.config["CMDB_LOGIN_WINDOW_S"])
    old = utcnow() - window - timedelta(seconds=5)
    with secured.app.app_context(), transaction(get_db().sessions) as session:
        session.add_all(LoginFailure(username="cam", address="10.0.4.1", at=old) for _ in range(30))
    client = client_from(secured.app, "10.0.4.1")
    wrong(client, "cam", 1)  # a new failure also sweeps the old ones away
    with secured.app.app_context(), get_db().sessions() as session:
        kept = session.scalar(
            sa.select(sa.func.count()).select_from(LoginFailure).where(LoginFailure.at <= old)
        )
    assert kept == 0
    assert log_in(client, "cam").status_code == 302


def test_behind_a_proxy_the_clients_address_is_counted(secured: Secured) -> None:
    proxied = app_over(secured.url, secured.data_dir, CMDB_PROXY_HOPS=1)
    proxied.config["CMDB_LOGIN_FAILURES_PER_ADDRESS"] = 3
    sprayer, other = client_from(proxied, "10.0.5.1"), client_from(proxied, "10.0.5.1")
    sprayer.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    other.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.8"  # same proxy, another client
    for n in range(3):
        wrong(sprayer, f"proxied-{n}", 1)
    assert log_in(sprayer, "cam").status_code == 429
    assert log_in(other, "cam").status_code == 302
    with proxied.app_context():
        get_db().engine.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A migrated PostgreSQL database (the first one of a process migrates the template)."""
    url = migrated_pg_url("headroom_throttle")
    yield url
    drop_pg_database(url)


@pytest.mark.postgres
def test_the_count_holds_on_postgresql_across_workers(tmp_path: Path, pg_url: str) -> None:
    first = secured_app(tmp_path, pg_url, CMDB_LOGIN_FAILURES=4)  # fewer hashes: quicker
    second = app_over(pg_url, first.data_dir, CMDB_LOGIN_FAILURES=4)
    wrong(client_from(first.app, "10.0.6.1"), "ana", 2)
    wrong(client_from(second, "10.0.6.2"), "ana", 2)
    assert log_in(client_from(first.app, "10.0.6.3"), "ana").status_code == 429
    assert log_in(client_from(second, "10.0.6.3"), "bo").status_code == 302
    # A NUL in a form is refused at the edge (web.input_limits), on PostgreSQL too: not a 500.
    assert log_in(client_from(second, "10.0.6.4"), "b\x00o").status_code == 400
    for app in (first.app, second):
        with app.app_context():
            get_db().engine.dispose()
