"""``cmdb demo load``: the demo province into the configured database, in one transaction.

The loader and the capacity model are imported when the demo loads, not for ``--help``.
"""

from __future__ import annotations

import time
from datetime import date, datetime

import click
from flask import current_app
from flask.cli import AppGroup

from cmdb.demo import DEFAULT_SEED  # with the models: no lighter home for the seed yet
from web.cli.users import demo_users_command


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data: a realistic Quảng Nam provincial data centre."""


demo_group.add_command(demo_users_command)


@demo_group.command("load")
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Same seed and day, same data.",
)
@click.option("--reset", is_flag=True, help="Replace the inventory already in the database.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Pretend it is this day (history ends the day before). Default: today, or --as-of.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The structure of this day: from 2025-07-01, after the 2025 reform (Quảng Nam "
    "merged into Đà Nẵng, Đà Nẵng's DC primary, 2 × 10 Gbps interconnect).",
)
def load(seed: int, reset: bool, today: datetime | None, as_of: datetime | None) -> None:
    """Load the demo: admin units, DC, links, systems, two years of history, requests.

    Without --as-of: the Quảng Nam province before the 2025 reform. Everything is
    written in one transaction: an error leaves the database as it was.
    """
    from cmdb import schema
    from cmdb.db import transaction
    from cmdb.demo import load_demo
    from web.db import get_db

    url = current_app.config["CMDB_DATABASE_URL"]
    if not schema.is_up_to_date(url):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")
    day: date | None = today.date() if today else None
    structure: date | None = as_of.date() if as_of else None
    started = time.perf_counter()
    with transaction(get_db().sessions) as session:
        summary = load_demo(
            session, seed=seed, today=day, progress=click.echo, replace=reset, as_of=structure
        )
        click.echo("committing")
    click.echo(f"demo loaded in {time.perf_counter() - started:.1f} s (seed {seed}):")
    click.echo(str(summary))
    _write_profiles()
    _warm_forecasts(day or structure)


def _write_profiles() -> None:
    """The demo's SNMP profiles into the data directory (an existing file is kept)."""
    from pathlib import Path

    from cmdb.demo.snmp_profiles import write_demo_profiles

    path, written = write_demo_profiles(Path(current_app.config["CMDB_DATA_DIR"]))
    click.echo(f"SNMP profiles of the demo {'written to' if written else 'kept in'} {path}")
    if current_app.config.get("CMDB_SNMP_PROFILES") != str(path):
        click.echo(f"  (the UI lists them when served with CMDB_SNMP_PROFILES={path})")


def _warm_forecasts(day: date | None) -> None:
    """Fit every forecast now, so the first dashboard a newcomer opens is not the slow one.

    The fits land in the forecast cache (keyed by each series' watermark), which the
    dashboard, the capacity report and request evaluation all read.
    """
    from capacity.actions import capacity_report
    from cmdb.db import transaction
    from web.db import get_db

    started = time.perf_counter()
    click.echo("fitting forecasts for the dashboard (cached for later pages)")
    with transaction(get_db().sessions) as session:
        statuses = capacity_report(session, at=day)
    click.echo(f"{len(statuses)} resources forecast in {time.perf_counter() - started:.1f} s")
