"""``cmdb import admin-units|agencies|sites FILE``: CSV/JSON imports, all rows or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from web.cli.attribution import cli_actor, cli_transaction

FORMAT = click.Choice(["csv", "json"])


@click.group("import", cls=AppGroup)
def import_group() -> None:
    """Import admin units, agencies or sites from CSV or JSON (header row: the field names)."""


def _run(kind: str, path: Path, fmt: str | None, dry_run: bool) -> None:
    """Import FILE as ``kind`` (an ``ImportKind`` value); the importer and the schema check
    load the models, so they are imported here rather than for ``--help``."""
    from cmdb import schema
    from cmdb.actions.policy import Permission
    from cmdb.errors import ValidationError
    from cmdb.services.importer import ImportKind, import_file

    # Agencies are the planners' to keep (``cmdb.actions.policy``); the rest, inventory.
    agencies = kind == ImportKind.AGENCIES
    permission = Permission.KEEP_AGENCIES if agencies else Permission.EDIT_INVENTORY

    if not schema.is_up_to_date(current_app.config["CMDB_DATABASE_URL"]):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")
    try:
        with cli_transaction(f"import-{kind}", permission) as session:
            result = import_file(session, ImportKind(kind), path, fmt, actor=cli_actor())
            if dry_run:
                session.rollback()
    except ValidationError as exc:
        for where, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{path.name}: {where}: {message}", err=True)
        raise click.ClickException(str(exc.args[0])) from exc
    note = " (dry run: nothing written)" if dry_run else ""
    click.echo(f"{kind.replace('-', ' ')}: {result}{note}")


@import_group.command("admin-units")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, help="Default: from the file's suffix.")
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
def admin_units(file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import admin units: level, code, name, parent_code, kind (parents first)."""
    _run("admin-units", file, fmt, dry_run)


@import_group.command("agencies")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, help="Default: from the file's suffix.")
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
def agencies(file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import agencies: name, kind; optional short_name, admin_unit_code, valid_from,
    valid_to (YYYY-MM-DD). The name is the key: importing again updates. Import the
    admin units first."""
    _run("agencies", file, fmt, dry_run)


@import_group.command("sites")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=FORMAT, help="Default: from the file's suffix.")
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
def sites(file: Path, fmt: str | None, dry_run: bool) -> None:
    """Import sites: name, slug, kind, admin_unit_code; optional agency, address,
    latitude, longitude, status. Import the admin units first."""
    _run("sites", file, fmt, dry_run)
