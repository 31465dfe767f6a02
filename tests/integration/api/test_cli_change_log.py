"""Every write the CLI makes names the console user in the change log, one id per command."""

from __future__ import annotations

import getpass

import sqlalchemy as sa
from flask import Flask

from cmdb.models import ChangeLog
from web.cli import main
from web.db import get_db

PORTAL_ID = 4


def entries_since(app: Flask, last_id: int) -> list[ChangeLog]:
    with app.app_context(), get_db().sessions() as session:
        stmt = sa.select(ChangeLog).where(ChangeLog.id > last_id).order_by(ChangeLog.id)
        return list(session.scalars(stmt))


def last_entry_id(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.max(ChangeLog.id))) or 0


def test_user_and_token_creation_are_logged_without_secrets(app: Flask) -> None:
    runner, start = app.test_cli_runner(), last_entry_id(app)
    created = runner.invoke(main, ["user", "create", "collector-1", "--role", "engineer"])
    assert created.exit_code == 0, created.output
    token = runner.invoke(main, ["token", "create", "collector-1", "--description", "poller"])
    assert token.exit_code == 0, token.output
    key = token.stdout.strip()
    user_entry, token_entry = entries_since(app, start)
    assert (user_entry.object_type, user_entry.after) == (
        "user",
        {"username": "collector-1", "role": "engineer", "agency_id": None},
    )
    assert token_entry.object_type == "api_token"
    assert token_entry.after is not None and token_entry.after["key_prefix"] == key[:8]
    assert key not in str(token_entry.after) and key not in token_entry.object_repr
    actor = f"cli:{getpass.getuser()}"
    assert {user_entry.actor, token_entry.actor} == {actor}
    assert user_entry.correlation_id != token_entry.correlation_id


def test_an_approval_from_the_console_is_logged_with_one_correlation_id(app: Flask) -> None:
    start = last_entry_id(app)
    result = app.test_cli_runner().invoke(
        main, ["request", "approve", str(PORTAL_ID), "--accept-until"]
    )
    assert result.exit_code == 0, result.output
    [entry] = entries_since(app, start)
    assert entry.object_type == "resource_request" and entry.after is not None
    assert entry.after["status"] == "approved"
    assert entry.actor.startswith("cli:") and (entry.correlation_id or "").startswith("cli-")
