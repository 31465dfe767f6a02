"""``cmdb catalogue import FILE`` and ``cmdb catalogue list``: the DC's price list."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from web.cli.attribution import cli_actor, cli_transaction


@click.group("catalogue", cls=AppGroup)
def catalogue_group() -> None:
    """The expansion catalogue (server models, shelves, link tiers): import, list."""


def _require_schema() -> None:
    from cmdb import schema

    if not schema.is_up_to_date(current_app.config["CMDB_DATABASE_URL"]):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")


@catalogue_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check and count, write nothing.")
def import_command(file: Path, dry_run: bool) -> None:
    """Import a price list (CSV, JSON or YAML by the suffix): kind (server, storage_shelf,
    link_tier), name, price_vnd (a link tier's per year), priced_on (YYYY-MM-DD); cores and
    ram_gb for a server, raw_tb for a shelf, mbps and network for a link tier. The name is
    the key: importing again updates. Every row valid, or nothing written."""
    from cmdb.actions.policy import Permission
    from cmdb.errors import ValidationError
    from cmdb.services.import_catalogue import import_catalogue, read_catalogue_file

    _require_schema()
    try:
        with cli_transaction("catalogue-import", Permission.KEEP_CATALOGUE) as session:
            result = import_catalogue(session, read_catalogue_file(file), actor=cli_actor())
            if dry_run:
                session.rollback()
    except ValidationError as exc:
        for where, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{file.name}: {where}: {message}", err=True)
        raise click.ClickException(str(exc.args[0])) from exc
    note = " (dry run: nothing written)" if dry_run else ""
    click.echo(f"catalogue: {result}{note}")


@catalogue_group.command("list")
def list_command() -> None:
    """The catalogue the next evaluation prices with (built-in figures for an empty kind)."""
    from capacity.inputs import load_catalogue

    _require_schema()
    with cli_transaction("catalogue-list", None) as session:
        catalogue = load_catalogue(session)
    for s in catalogue.servers:
        click.echo(f"server        {s.name}: {s.cores} cores, {s.ram_gb:g} GB, "
                   f"{s.price_vnd:,.0f} VND{_on(s.priced_on)}")  # fmt: skip
    for sh in catalogue.shelves:
        click.echo(f"storage_shelf {sh.name}: {sh.raw_tb:g} TB raw, "
                   f"{sh.price_vnd:,.0f} VND{_on(sh.priced_on)}")  # fmt: skip
    for t in catalogue.link_tiers:
        click.echo(f"link_tier     {t.network or 'any'} {t.mbps:g} Mbps: "
                   f"{t.yearly_price_vnd:,.0f} VND/year{_on(t.priced_on)}")  # fmt: skip


def _on(day: object) -> str:
    return f" (priced {day})" if day else ""
