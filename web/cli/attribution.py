"""Who the change log names for a command typed at the console, and its unit of work.

A person runs the CLI on the server under their own account; the log names
that account (``cli:<login>``), and every change one command writes shares a
correlation id, as the changes of one API request do. Such an operator holds every
permission (they own the database anyway). A command that takes ``--as USER``
acts as that Headroom user instead (``cli_unit``): the action layer checks the
user's role and agency as it does for the API and the UI, and the log names them.
"""

from __future__ import annotations

import getpass
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:  # the database is imported by the command that opens one, not by --help
    from sqlalchemy.orm import Session

    from cmdb.actions.caller import Caller
    from cmdb.actions.policy import Permission
    from cmdb.actions.unit import UnitOfWork

AS_USER = click.option(
    "--as",
    "as_user",
    metavar="USER",
    help="Act as this Headroom user: their role and agency are checked, the log names them.",
)


def cli_actor() -> str:
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        login = "unknown"
    return f"cli:{login}"


@contextmanager
def cli_transaction(command: str, permission: Permission | None) -> Iterator[Session]:
    """The console operator's unit of work (``cli_unit``): committed once when the block
    ends, rolled back on any error, its changes attributed. ``permission`` names what the
    command does (the operator holds every one); None for a read."""
    with cli_unit(command, None) as unit, unit.begin(permission) as session:
        yield session


@contextmanager
def cli_unit(
    command: str, as_user: str | None, *, operator_name: str | None = None
) -> Iterator[UnitOfWork]:
    """The action layer's unit of work for a command: its own session, committed by the
    action; the console's operator (named ``operator_name``, else ``cli:<login>``), or
    ``as_user`` (NotFoundError: no such user)."""
    from cmdb.actions.unit import UnitOfWork
    from web.db import get_db

    with get_db().sessions() as session:
        yield UnitOfWork(session, cli_caller(session, command, as_user, operator_name))


def cli_caller(
    session: Session, command: str, as_user: str | None, operator_name: str | None = None
) -> Caller:
    from cmdb.actions.caller import Caller, user_caller
    from cmdb.errors import ForbiddenError
    from cmdb.services.users import get_user

    correlation_id = f"cli-{command}-{uuid.uuid4().hex[:12]}"
    if as_user is None:
        return Caller(None, operator_name or cli_actor(), correlation_id, operator=True)
    user = get_user(session, as_user)
    if not user.is_active:
        raise ForbiddenError(f"user {as_user!r} is not active")
    return user_caller(user, correlation_id=correlation_id)
