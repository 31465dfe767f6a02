"""Invalid API tokens are throttled as wrong passwords are (issue 18): 20 from one client
and the 21st is a 429 with Retry-After, counted in the log-in throttle's table; a valid
token is never throttled, not even from that client; the table keeps no key; a client's
wrong tokens and wrong passwords share its address's count."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from cmdb.db import transaction
from cmdb.models import LoginFailure
from cmdb.services.tokens import create_token
from cmdb.services.users import get_user
from tests.databases import drop_pg_database, migrated_pg_url
from tests.integration.web.secured_app import Secured, client_from, log_in, secured_app
from web.db import get_db

DEVICES = "/api/v1/devices/"


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Secured]:
    yield secured_app(tmp_path_factory.mktemp("token-throttle"))


@pytest.fixture(scope="module")
def planner_key(secured: Secured) -> str:
    with secured.app.app_context(), transaction(get_db().sessions) as session:
        return create_token(session, get_user(session, "ana"))[1]


def token(key: str) -> dict[str, str]:
    return {"Authorization": f"Token {key}"}


def guess(app: Flask, address: str, times: int, method: str = "get") -> None:
    client = client_from(app, address)
    for _ in range(times):
        response = getattr(client, method)(DEVICES, headers=token(secrets.token_hex(20)))
        assert response.status_code == 401, response.get_json()


def test_the_twenty_first_invalid_token_is_throttled(secured: Secured) -> None:
    guess(secured.app, "10.1.0.1", 20)

    refused = client_from(secured.app, "10.1.0.1").get(DEVICES, headers=token("0" * 40))

    assert refused.status_code == 429
    body = refused.get_json()
    assert body["status"] == 429 and "too many invalid tokens" in body["message"]
    window = secured.app.config["CMDB_LOGIN_WINDOW_S"]
    assert 0 < int(refused.headers["Retry-After"]) <= window
    other_client = client_from(secured.app, "10.1.0.2")
    assert other_client.get(DEVICES, headers=token("1" * 40)).status_code == 401


def test_a_valid_token_is_never_throttled(secured: Secured, planner_key: str) -> None:
    guess(secured.app, "10.1.1.1", 20)
    client = client_from(secured.app, "10.1.1.1")
    assert client.get(DEVICES, headers=token("2" * 40)).status_code == 429

    assert client.get(DEVICES, headers=token(planner_key)).status_code == 200
    agency = {"name": "Sở Thử nghiệm", "kind": "department"}
    created = client.post("/api/v1/agencies/", json=agency, headers=token(planner_key))
    assert created.status_code == 201, created.get_json()


def test_invalid_tokens_on_writes_are_counted_too_and_never_wait_for_the_lock(
    secured: Secured,
) -> None:
    """A write's transaction holds SQLite's write lock from its start: the count is written
    after it ends, so each refused write still answers 401 (not a 503 after the timeout)."""
    guess(secured.app, "10.1.2.1", 20, method="post")
    refused = client_from(secured.app, "10.1.2.1").post(DEVICES, headers=token("3" * 40))
    assert refused.status_code == 429


def test_the_count_keeps_no_key(secured: Secured) -> None:
    key = secrets.token_hex(20)
    client_from(secured.app, "10.1.3.1").get(DEVICES, headers=token(key))
    with secured.app.app_context(), get_db().sessions() as session:
        names = set(
            session.scalars(
                sa.select(LoginFailure.username).where(LoginFailure.address == "10.1.3.1")
            )
        )
    assert names == {"token@10.1.3.1"}


def test_a_password_spray_and_token_guesses_share_the_addresss_count(secured: Secured) -> None:
    """One count per address of every wrong secret: the log-in form then refuses too."""
    app = secured.app
    app.config["CMDB_LOGIN_FAILURES_PER_ADDRESS"] = 5
    try:
        guess(app, "10.1.4.1", 5)

        assert log_in(client_from(app, "10.1.4.1"), "ana").status_code == 429
    finally:
        app.config["CMDB_LOGIN_FAILURES_PER_ADDRESS"] = 100


@pytest.mark.postgres
def test_the_token_throttle_holds_on_postgresql(tmp_path: Path) -> None:
    """The read views' sessions autocommit there: the count is written beside them."""
    url = migrated_pg_url("headroom_token_throttle")
    try:
        app = secured_app(tmp_path, url, CMDB_LOGIN_FAILURES=3).app
        with app.app_context(), transaction(get_db().sessions) as session:
            key = create_token(session, get_user(session, "bo"))[1]
        guess(app, "10.1.5.1", 3)
        client = client_from(app, "10.1.5.1")
        assert client.get(DEVICES, headers=token("4" * 40)).status_code == 429
        assert client.get(DEVICES, headers=token(key)).status_code == 200
        with app.app_context():
            get_db().engine.dispose()
    finally:
        drop_pg_database(url)
