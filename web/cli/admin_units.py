"""``cmdb admin-units``: apply an administrative reorganisation, show the tree on a date."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask import current_app
from flask.cli import AppGroup

from web.cli.attribution import cli_actor, cli_transaction

if TYPE_CHECKING:  # the services load the models: imported by the commands, not by --help
    from cmdb.services.admin_tree import UnitNode
    from cmdb.services.reorganise import Reorganisation
    from cmdb.services.reorganise_model import Plan

DATE = click.DateTime(formats=["%Y-%m-%d"])
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)
SHOWN = 20  # rows of each list a dry run prints before "… and N more" (--all: every row)


@click.group("admin-units", cls=AppGroup)
def admin_units_group() -> None:
    """Administrative units: reorganisations (merges, abolished levels) and dated trees."""


@admin_units_group.command("reorganise")
@click.option(
    "--units",
    "units_file",
    type=FILE,
    required=True,
    help="New units: level, code, name, parent_code, kind (parents first).",
)
@click.option(
    "--mapping",
    "mapping_file",
    type=FILE,
    required=True,
    help="Old code → new code: old_code, new_code (old_name, new_name, merge_type).",
)
@click.option(
    "--effective",
    type=DATE,
    required=True,
    help="First day of the new units; old ones end the day before.",
)
@click.option("--dry-run", is_flag=True, help="Print the plan, write nothing.")
@click.option(
    "--skip-unknown",
    is_flag=True,
    help="Apply every mapping row whose old unit is in force; list the others, with their "
    "row numbers and why, instead of refusing the whole file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--all", "show_all", is_flag=True, help="With --dry-run: print every row.")
def reorganise_command(
    units_file: Path, mapping_file: Path, effective: datetime, dry_run: bool, skip_unknown: bool,
    as_json: bool, show_all: bool,
) -> None:  # fmt: skip
    """Apply a reorganisation: create the new units, move every site of an old unit to
    the unit that receives it, end the old units on the effective date (kept, with their
    history), all in the change log. Refused, with the offending rows, when the mapping
    is bad or a site would be left in a dissolved unit. Running it again changes nothing.
    """
    from cmdb.actions.policy import Permission
    from cmdb.errors import ValidationError
    from cmdb.services.reorganise import read_table, reorganise

    _check_schema()
    day = effective.date()
    try:
        units, mapping = read_table(units_file, "units"), read_table(mapping_file, "mapping")
        with cli_transaction("admin-units-reorganise", Permission.EDIT_INVENTORY) as session:
            result = reorganise(
                session, units, mapping, day, dry_run=dry_run, skip_unknown=skip_unknown,
                actor=cli_actor(),
            )  # fmt: skip
    except ValidationError as exc:
        for where, messages in exc.errors.items():
            for message in messages:
                click.echo(f"{where}: {message}", err=True)
        raise click.ClickException(str(exc.args[0])) from exc
    if as_json:
        click.echo(json.dumps(_as_json(result, dry_run), ensure_ascii=False, indent=2))
        return
    click.echo(_summary(result, dry_run))
    for row in result.plan.skipped:
        click.echo(f"  skipped {row.label}: {row.reason}")
    if dry_run:
        click.echo(_plan_text(result.plan, None if show_all else SHOWN))


def _check_schema() -> None:
    from cmdb import schema

    if not schema.is_up_to_date(current_app.config["CMDB_DATABASE_URL"]):
        raise click.ClickException("the database schema is not up to date: run 'cmdb db upgrade'")


def _as_json(result: Reorganisation, dry_run: bool) -> dict[str, object]:
    plan = result.plan
    out: dict[str, object] = {"effective": plan.effective.isoformat(), "dry_run": dry_run,
                              "applied": result.applied, **plan.counts(),
                              "skipped": [{"row": int(r.label.rsplit(" ", 1)[-1]),
                                           "old_code": r.old_code, "reason": r.reason}
                                          for r in plan.skipped]}  # fmt: skip
    if dry_run:
        out["merges"] = {code: list(old) for code, old in plan.merges.items()}
        out["moves"] = [
            {"site": c.site.slug, "from": c.from_unit.code, "to": c.to_code} for c in plan.moves
        ]
        out["internal_links"] = [
            {"link": i.link.id, "name": i.link.name, "unit": i.unit_code}
            for i in plan.internal_links
        ]
    return out


def _summary(result: Reorganisation, dry_run: bool) -> str:
    plan = result.plan
    skipped = f"\n  mapping rows skipped: {len(plan.skipped)}" if plan.skipped else ""
    if plan.is_empty:
        return f"reorganisation effective {plan.effective}: already applied, nothing to do" + (
            skipped
        )
    counts = plan.counts()
    note = " (dry run: nothing written)" if dry_run else ""
    return "\n".join([
        f"reorganisation effective {plan.effective}{note}",
        f"  units created:      {counts['units_created']}",
        f"  units dissolved:    {counts['units_dissolved']}",
        f"  sites moved:        {counts['sites_moved']}",
        f"  sites handed over:  {counts['sites_reassigned']} "
        f"(new People's Committees: {counts['committees_created']})",
        f"  committees ended:   {counts['committees_ended']}",
    ]) + skipped  # fmt: skip


def _plan_text(plan: Plan, limit: int | None) -> str:
    """The dry run's plan: merges, moves and links that become internal."""
    name = plan.names
    merges = [f"  {code} {name.get(code, '')} ← {', '.join(old)}"
              for code, old in plan.merges.items()]  # fmt: skip
    moves = [
        f"  {c.site.slug}: {c.from_unit.code} {c.from_unit.name} → {c.to_code} "
        f"{name.get(c.to_code or '', '')}" + _kind_note(c.site.kind, c.kind)
        for c in plan.moves
    ]
    internal = [f"  {i.link.name} (link {i.link.id}) → inside {i.unit_code} "
                f"{name.get(i.unit_code, '')}" for i in plan.internal_links]  # fmt: skip
    lines: list[str] = []
    for title, rows in (
        ("new units that receive several old ones", merges),
        ("sites that move", moves),
        ("links that become internal to one unit", internal),
    ):
        lines.append(f"\n{title} ({len(rows)}):")
        lines += rows[:limit] if limit is not None else rows
        if limit is not None and len(rows) > limit:
            lines.append(f"  … and {len(rows) - limit} more (--all shows every row)")
    return "\n".join(lines)


def _kind_note(before: str, after: str) -> str:
    return "" if before == after else f" [{before} → {after}]"


@admin_units_group.command("tree")
@click.argument("code", required=False)
@click.option(
    "--as-of", "as_of", type=DATE, default=None, help="The tree on this day (default: today)."
)
@click.option("--depth", type=int, default=None, help="Levels to print (default: all).")
def tree_command(code: str | None, as_of: datetime | None, depth: int | None) -> None:
    """Print the tree (or the subtree of CODE) as it stood on a day: units and site counts."""
    from cmdb.services.admin_tree import get_unit_path, load_admin_tree
    from web.db import get_db

    _check_schema()
    from web.today import today_or_real

    day = as_of.date() if as_of else today_or_real()
    with get_db().sessions() as session:
        root_id = None
        if code is not None:
            path = get_unit_path(session, code, day)
            if not path:
                raise click.ClickException(f"no admin unit {code!r} in force on {day}")
            root_id = path[-1].id
        roots = load_admin_tree(session, root_id, as_of=day)
    click.echo(f"administrative units on {day}:")
    for root in roots:
        _print_node(root, depth)


def _print_node(node: UnitNode, depth: int | None) -> None:
    unit = node.unit
    ends = f" (until {unit.valid_to}" + (
        f" → {unit.successor_code})" if unit.successor_code else ")"
    )
    counts = f"{node.unit_count} units, {node.site_count} sites" if node.children else (
        f"{node.site_count} sites")  # fmt: skip
    click.echo(f"{'  ' * node.depth}{unit.code} {unit.name} [{counts}]"
               + (ends if unit.valid_to else ""))  # fmt: skip
    if depth is None or node.depth + 1 < depth:
        for child in node.children:
            _print_node(child, depth)
