"""``cmdb db``: schema migrations of the configured database.

``cmdb.schema`` (Alembic, SQLAlchemy) is imported by the commands that migrate, not
by ``cmdb db --help``.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup


def _url() -> str:
    return current_app.config["CMDB_DATABASE_URL"]


@click.group("db", cls=AppGroup)
def db_group() -> None:
    """Create and migrate the database schema."""


@db_group.command("upgrade")
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Migrate the schema up to REVISION (default: the latest)."""
    from cmdb import schema

    schema.upgrade(_url(), revision)
    click.echo(f"database at revision {schema.current_revision(_url())}")


@db_group.command("downgrade")
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the schema down to REVISION ('base' removes every table)."""
    from cmdb import schema

    schema.downgrade(_url(), revision)
    click.echo(f"database at revision {schema.current_revision(_url()) or 'base'}")


@db_group.command("current")
def current() -> None:
    """Show the schema revision of the database and whether it is the latest."""
    from cmdb import schema

    rev = schema.current_revision(_url())
    heads = schema.head_revisions(_url())
    state = "up to date" if rev in heads else f"behind (head: {', '.join(heads)})"
    click.echo(f"{rev or 'base'} ({state})")
