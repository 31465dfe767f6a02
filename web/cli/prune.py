"""``cmdb prune``: delete history older than its retention (DESIGN §4), in batches.

Run it daily (cron, or let ``cmdb worker`` do it: the worker schedules a prune job
every day when Redis is configured). Raw samples go only for days that have their
daily rollup; each record's latest observation from each source stays.
"""

from __future__ import annotations

import json
import time

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("prune")
@click.option("--dry-run", is_flag=True, help="Count what would go, delete nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@with_appcontext
def prune_command(dry_run: bool, as_json: bool) -> None:
    """Delete history older than its retention (raw samples, observations, rollups).

    Raw samples and observations older than CMDB_RETENTION_RAW_DAYS (35), hourly rollups
    older than CMDB_RETENTION_HOURLY_DAYS (396) and discovery results older than
    CMDB_RETENTION_RESULTS_DAYS (90). Daily rollups are kept for ever."""
    from cmdb import schema
    from cmdb.services.prune import prune
    from web.db import get_db
    from web.retention import retention_of
    from web.today import today_or_real

    if not schema.is_up_to_date(current_app.config["CMDB_DATABASE_URL"]):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")
    retention = retention_of(current_app.config)
    started = time.perf_counter()
    with get_db().sessions() as session:
        pruned = prune(session, today_or_real(), retention, commit=session.commit, dry_run=dry_run)
        session.commit()
    counts = pruned.as_dict()
    seconds = round(time.perf_counter() - started, 1)
    if as_json:
        click.echo(json.dumps({"dry_run": dry_run, "deleted": counts, "seconds": seconds}))
        return
    verb = "would delete" if dry_run else "deleted"
    click.echo(", ".join(f"{n:,} {table}" for table, n in counts.items()) + f" {verb}")
    click.echo(
        f"kept: raw samples and observations {retention.raw_days} days, hourly rollups "
        f"{retention.hourly_days} days, discovery results {retention.results_days} days, "
        f"daily rollups for ever ({seconds} s)"
    )
