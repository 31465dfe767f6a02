"""``cmdb user create|password`` and ``cmdb token create``: people and the keys their tools use.

The services (and the models, password hashing behind them) are imported by the
commands, not by ``--help``.
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup, with_appcontext

from cmdb.choices import Role
from web.cli.attribution import cli_actor, cli_transaction

ROLE_CHOICE = click.Choice([r.value for r in Role])


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Users and their roles (viewer, requester, engineer, planner, admin)."""


@user_group.command("create")
@click.argument("username")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the user may do.")
@click.option("--agency", help="A requester's agency (name or short name).")
@click.option("--full-name", help="Shown in the UI and the change log.")
@click.option("--password-stdin", is_flag=True, help="Read a password for the UI from stdin.")
def create_user_command(
    username: str, role: str, agency: str | None, full_name: str | None, password_stdin: bool
) -> None:
    """Create a user; without a password they use the API with tokens only."""
    from cmdb.actions.policy import Permission
    from cmdb.services.users import create_user

    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    with cli_transaction("user-create", Permission.ADMINISTER) as session:
        user = create_user(
            session,
            username,
            Role(role),
            password=password,
            agency=agency,
            full_name=full_name,
            actor=cli_actor(),
        )
        click.echo(f"created user {user.username} ({user.role.value})")


@user_group.command("password")
@click.argument("username")
def set_password_command(username: str) -> None:
    """Set a user's UI password, read from stdin; their open UI sessions end."""
    from cmdb.actions.policy import Permission
    from cmdb.services.users import get_user, set_password

    password = sys.stdin.readline().rstrip("\n")
    with cli_transaction("user-password", Permission.ADMINISTER) as session:
        set_password(session, get_user(session, username), password, actor=cli_actor())
    click.echo(f"password of {username} changed; their UI sessions have ended")


@click.group("token", cls=AppGroup)
def token_group() -> None:
    """API tokens (``Authorization: Token <key>``)."""


@token_group.command("create")
@click.argument("username")
@click.option("--expires", "expires_days", type=click.IntRange(min=1), help="Valid for DAYS.")
@click.option("--description", help="What the token is for (shown in listings).")
def create_token_command(username: str, expires_days: int | None, description: str | None) -> None:
    """Create a token and print its key — the only time it is shown; only a hash is kept."""
    from cmdb.actions.policy import Permission
    from cmdb.services.tokens import create_token
    from cmdb.services.users import get_user

    with cli_transaction("token-create", Permission.ADMINISTER) as session:
        token, key = create_token(
            session,
            get_user(session, username),
            expires_days=expires_days,
            description=description,
            actor=cli_actor(),
        )
        expiry = f", expires {token.expires_at:%Y-%m-%d}" if token.expires_at else ""
    click.echo(key)
    click.echo(f"token {token.key_prefix}… of {username}{expiry}; store the key now", err=True)


@click.command("users")
@with_appcontext
def demo_users_command() -> None:
    """Create one demo user per role (demo-<role>, password <role>-demo) and print them."""
    from cmdb.db import transaction
    from cmdb.services.demo_users import save_demo_users
    from web.db import get_db

    with transaction(get_db().sessions) as session:
        logins = save_demo_users(session)
    click.echo("Demo users (log in at /login; API: cmdb token create USERNAME):")
    for login in logins:
        agency = f"  agency: {login.agency}" if login.agency else ""
        click.echo(
            f"  {login.username:<16} password {login.password:<16} {login.role.value}{agency}"
        )
