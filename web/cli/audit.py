"""``cmdb audit run|list|acknowledge``: where NetBox, the network, the hosts and people disagree.

``run`` compares every record's sources in one transaction and prints, per kind,
what it opened, confirmed, reopened and resolved. ``list`` prints or exports the
discrepancies (table, CSV, JSON) through the same rows as the API and the page.

The options' choices and defaults come from light modules; the audit itself and
the database are imported by the command that runs.
"""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import AppGroup

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.services.discrepancy_export import DEFAULT_LIMIT
from cmdb.services.discrepancy_filter import OBJECT_TYPES, SOURCE_KEYS
from discovery.audit.settings import AuditSettings
from web.cli.attribution import AS_USER, cli_unit
from web.cli.runs import EXIT_CODES_HELP, exit_with, sweep_dead_runs
from web.cli.tables import Column, format_table

if TYPE_CHECKING:
    from cmdb.services.discrepancy_export import DiscrepancyRow

KINDS = click.Choice([k.value for k in DiscrepancyKind])
STATUSES = click.Choice([s.value for s in DiscrepancyStatus])


@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """Discrepancies between NetBox, SNMP, Ansible facts and people's edits."""


@audit_group.command("run", epilog=EXIT_CODES_HELP)
@click.option(
    "--silent-after-days",
    type=click.FloatRange(min=0, min_open=True),
    default=AuditSettings.silent_after_days,
    show_default=True,
    envvar="CMDB_AUDIT_SILENT_AFTER_DAYS",
    help="A documented device SNMP has not seen for this long is not on the network "
    "[env CMDB_AUDIT_SILENT_AFTER_DAYS].",
)
@click.option("--by", "requested_by", help="Who asked (default: the system user).")
def run_command(silent_after_days: float, requested_by: str | None) -> None:
    """Compare every device, interface and link; open, confirm and resolve discrepancies."""
    from cmdb.db import transaction
    from discovery.audit.run import run_audit
    from discovery.audit.settle import OUTCOMES
    from web.db import get_db

    sweep_dead_runs()
    settings = AuditSettings(silent_after_days=silent_after_days)
    with transaction(get_db().sessions) as session:
        result = run_audit(session, settings, requested_by=requested_by or getpass.getuser())
        run_id = result.run.id
    counts = result.counts
    kinds = sorted({k for outcome in OUTCOMES for k in counts.counts[outcome]})
    columns = [Column("kind", 16)] + [Column(o, 9, right=True) for o in OUTCOMES]
    rows = [[k, *(str(counts.counts[o][k]) for o in OUTCOMES)] for k in kinds]
    rows.append(["total", *(str(counts.total(o)) for o in OUTCOMES)])
    click.echo(format_table(columns, rows))
    click.echo(f"audit run {run_id}: {result.records} records compared")
    exit_with(result.verdict.status, result.verdict.summary)


LIST_COLUMNS = (
    Column("id", 6, right=True),
    Column("kind", 15),
    Column("object", 24),
    Column("site", 16),
    Column("field", 16),
    Column("values", 40),
    Column("status", 12),
    Column("last seen", 10),
)


def _table_row(r: DiscrepancyRow) -> list[str]:
    from cmdb.services.discrepancy_export import format_value

    values = " | ".join(f"{s}: {format_value(v)}" for s, v in r.values.items())
    name = r.object_name or f"{r.object_type} {r.object_id} (gone)"
    seen = (r.last_seen or r.first_seen).strftime("%Y-%m-%d")
    return [str(r.id), r.kind, name, r.site or "", r.field, values, r.status, seen]


@audit_group.command("list")
@click.option("--kind", type=KINDS)
@click.option("--status", type=STATUSES, help="Default: all.")
@click.option("--site", help="A site slug (a link: either end).")
@click.option("--source", type=click.Choice(SOURCE_KEYS), help="Only those this source is in.")
@click.option("--object-type", type=click.Choice(OBJECT_TYPES))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
)
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE.")
@click.option("--limit", type=click.IntRange(min=1), default=DEFAULT_LIMIT, show_default=True)
def list_command(
    kind: str | None,
    status: str | None,
    site: str | None,
    source: str | None,
    object_type: str | None,
    fmt: str,
    output: Path | None,
    limit: int,
) -> None:
    """The discrepancies, most recently seen first, as a table, CSV or JSON."""
    from cmdb.services.discrepancy_export import load_discrepancy_rows, to_csv, to_json
    from cmdb.services.discrepancy_filter import parse_filter
    from web.db import get_db

    where = parse_filter(
        {"kind": kind, "status": status, "site": site, "source": source, "object_type": object_type}
    )
    with get_db().sessions() as session:
        rows = load_discrepancy_rows(session, where, limit=limit)
    if fmt == "csv":
        text = to_csv(rows)
    elif fmt == "json":
        text = json.dumps(to_json(rows), ensure_ascii=False, indent=2) + "\n"
    else:
        text = format_table(LIST_COLUMNS, [_table_row(r) for r in rows]) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    click.echo(f"{len(rows)} discrepancies written to {output}", err=True)


@audit_group.command("acknowledge")
@click.argument("discrepancy_id", type=int)
@click.option("--comment", required=True, help="Why it is acknowledged (required).")
@click.option("--by", help="Who acknowledges (default: cli:<your login>).")
@AS_USER
def acknowledge_command(
    discrepancy_id: int, comment: str, by: str | None, as_user: str | None
) -> None:
    """Acknowledge an open discrepancy; it stays until the sources agree or its values change."""
    from cmdb.actions import discrepancies

    with cli_unit("audit-acknowledge", as_user, operator_name=by) as unit:
        found = discrepancies.acknowledge(unit, discrepancy_id, comment)
        click.echo(f"discrepancy {found.id} acknowledged by {found.acknowledged_by}")
