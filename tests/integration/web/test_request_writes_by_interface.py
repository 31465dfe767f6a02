"""The request lifecycle's role matrix through the UI's forms and the CLI (``--as USER``):
the same policy as the API's matrix (``tests.integration.request_policy``), because all
three call the same actions (``capacity.request_actions``).

Every allowed write leaves change-log rows naming its user (issue 18: approvals made in
the UI used to log rows without one); every refused one writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import Result
from flask import Flask
from werkzeug.test import TestResponse

from cmdb.models import Agency, ChangeLog, User
from tests.integration.api.conftest import demo_db_file, portal  # noqa: F401
from tests.integration.request_policy import REQUEST_WRITES
from tests.integration.web.request_pages import (
    CSRF,
    OWN_AGENCY,
    callers_db_file,  # noqa: F401 - fixture
    client_as,
    count_rows,
    make_app,
)
from tests.integration.web.test_request_pages import valid_form
from web.cli import main
from web.db import get_db

PORTAL_ID = 4  # the demo's portal, of OWN_AGENCY: submitted


@pytest.fixture
def app(callers_db_file: Path, tmp_path: Path) -> Iterator[Flask]:  # noqa: F811
    yield from make_app(callers_db_file, tmp_path)


UI_CALLERS = ("anonymous", "viewer", "own", "other", "engineer", "planner", "admin")
CLI_CALLERS = ("viewer", "own", "other", "engineer", "planner", "admin")
UI_WRITES = ("file", "evaluate", "approve", "reject")  # the request pages' forms
CLI_WRITES = ("file", "approve", "reject")  # `request evaluate --save`, `approve`, `reject`


def logged_users(app: Flask, after_id: int) -> set[str | None]:
    """The usernames of the change-log rows written since ``after_id`` (None: no user)."""
    with app.app_context(), get_db().sessions() as session:
        rows = session.execute(
            sa.select(User.username)
            .select_from(ChangeLog)
            .outerjoin(User, User.id == ChangeLog.user_id)
            .where(ChangeLog.id > after_id)
        )
        return {row.username for row in rows}


def last_change_id(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        return session.scalar(sa.select(sa.func.max(ChangeLog.id))) or 0


def own_agency_id(app: Flask) -> int:
    with app.app_context(), get_db().sessions() as session:
        named = sa.or_(Agency.name == OWN_AGENCY, Agency.short_name == OWN_AGENCY)
        return session.scalars(sa.select(Agency.id).where(named)).one()


def post_form(app: Flask, caller: str, write: str) -> TestResponse:
    client = client_as(app, caller)
    if write == "file":  # a requester files for their own agency; the others pick one
        return client.post("/requests/new", data=valid_form(agency_id=str(own_agency_id(app))))
    data = {"csrf_token": CSRF, "accept_until": "1", "reason": "no budget this year"}
    return client.post(f"/requests/{PORTAL_ID}/{write}", data=data)


def ui_allowed(write: str) -> frozenset[str]:
    # The form files for the requester's own agency: "other" files for theirs (the API's
    # and the CLI's document may name another agency, which is refused).
    return REQUEST_WRITES[write] | ({"other"} if write == "file" else set())


@pytest.mark.parametrize("caller", UI_CALLERS)
@pytest.mark.parametrize("write", UI_WRITES)
def test_request_forms_follow_the_policy(app: Flask, write: str, caller: str) -> None:
    before, since = count_rows(app), last_change_id(app)

    response = post_form(app, caller, write)

    if caller == "anonymous":
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    elif caller in ui_allowed(write):
        assert response.status_code == 302, response.get_data(as_text=True)
        if write != "evaluate":  # an evaluation is kept, not logged as a change
            assert logged_users(app, since) == {f"ui-{caller}"}
        return
    else:
        assert response.status_code == 403
    assert count_rows(app) == before


def cli(app: Flask, tmp_path: Path, caller: str, write: str) -> Result:
    user = ["--as", f"ui-{caller}"]
    if write == "file":
        document = tmp_path / "portal.json"
        document.write_text(json.dumps(portal(agency=OWN_AGENCY)), encoding="utf-8")
        args = ["request", "evaluate", str(document), "--save", *user]
    elif write == "approve":
        args = ["request", "approve", str(PORTAL_ID), "--accept-until", *user]
    else:
        args = ["request", "reject", str(PORTAL_ID), "--reason", "no budget", *user]
    return app.test_cli_runner().invoke(main, args)


@pytest.mark.parametrize("caller", CLI_CALLERS)
@pytest.mark.parametrize("write", CLI_WRITES)
def test_request_commands_as_a_user_follow_the_policy(
    app: Flask, tmp_path: Path, write: str, caller: str
) -> None:
    before, since = count_rows(app), last_change_id(app)

    result = cli(app, tmp_path, caller, write)

    if caller in REQUEST_WRITES[write]:
        assert result.exit_code == 0, result.output
        assert logged_users(app, since) == {f"ui-{caller}"}
        return
    assert result.exit_code == 1, result.output
    assert "may not do this" in result.output or "own agency" in result.output
    assert count_rows(app) == before


def test_the_console_operator_acts_without_a_user_and_is_named(app: Flask, tmp_path: Path) -> None:
    since = last_change_id(app)
    result = app.test_cli_runner().invoke(
        main, ["request", "reject", str(PORTAL_ID), "--reason", "moved to next year"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context(), get_db().sessions() as session:
        row = session.scalars(sa.select(ChangeLog).where(ChangeLog.id > since)).one()
    assert row.user_id is None and row.actor.startswith("cli:")
    assert row.correlation_id is not None and row.correlation_id.startswith("cli-request-reject")


def test_an_unknown_user_to_act_as_is_refused(app: Flask, tmp_path: Path) -> None:
    before = count_rows(app)
    result = app.test_cli_runner().invoke(
        main, ["request", "approve", str(PORTAL_ID), "--accept-until", "--as", "nobody"]
    )
    assert result.exit_code == 1 and "no user 'nobody'" in result.output
    assert count_rows(app) == before
