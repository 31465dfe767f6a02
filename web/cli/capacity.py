"""``cmdb capacity report``: headroom and time-to-exhaustion of every pool and link.

The report's imports (the capacity model with numpy, the forecasts, the API's
schema) are made by the functions that use them, so ``cmdb capacity --help`` is quick.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import click
from flask.cli import AppGroup

from web.cli.tables import Column, format_date, format_number, format_table

if TYPE_CHECKING:
    from capacity.status import ResourceStatus

SECTIONS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cluster": ("Clusters (vCPU, RAM)", ("vcpu", "ram")),
    "storage": ("Storage pools", ("storage",)),
    "link": ("Links", ("link",)),
}

COLUMNS = (
    Column("name", 22),
    Column("unit", 4),
    Column("capacity", 8, right=True),
    Column("ceiling", 7, right=True),
    Column("current", 7, right=True),
    Column("used", 7, right=True),
    Column("reserved", 8, right=True),
    Column("headroom", 8, right=True),
    Column("exhausts", 10),
    Column("at risk", 10),
)


def _exhaustion_order(row: ResourceStatus) -> Any:
    from capacity.status import exhaustion_order  # numpy: only when a report is made

    return exhaustion_order(row)


SORT_KEYS: dict[str, Callable[[ResourceStatus], Any]] = {
    "exhaustion": _exhaustion_order,
    "headroom": lambda r: (r.headroom_share, r.name.casefold()),
    "name": lambda r: (r.name.casefold(), r.kind),
}


def select_rows(
    rows: Sequence[ResourceStatus], kind: str | None, sort: str
) -> list[tuple[str, list[ResourceStatus]]]:
    """The report's sections (clusters, storage, links), each sorted; one with ``kind``."""
    out = []
    for key, (title, kinds) in SECTIONS.items():
        if kind is None or kind == key:
            section = sorted((r for r in rows if r.kind in kinds), key=SORT_KEYS[sort])
            out.append((title, section))
    return out


def format_report_table(sections: Sequence[tuple[str, Sequence[ResourceStatus]]], at: date) -> str:
    parts = [
        f"Capacity on {at.isoformat()}. current: the last complete week's peak (links: daily p95,\n"
        "busier direction); used: forecast use; headroom: ceiling − used − reserved;\n"
        "exhausts: the forecast reaches the ceiling; at risk: its upper 80 % bound does\n"
        "(the upper 95 % bound's date is in --format json and csv)."
    ]
    for title, rows in sections:
        table = format_table(COLUMNS, (_cells(r) for r in rows))
        parts.append(f"{title} ({len(rows)})\n{table}")
    return "\n\n".join(parts)


def _cells(row: ResourceStatus) -> list[str]:
    label = f"{row.name} {row.kind}" if row.kind in ("vcpu", "ram") else row.name
    numbers = (row.capacity, row.ceiling, row.current, row.baseline, row.reserved, row.headroom)
    return [
        label,
        row.unit,
        *(format_number(n) for n in numbers),
        format_date(row.exhaustion_date),
        format_date(row.at_risk_date),
    ]


def report_rows(sections: Sequence[tuple[str, Sequence[ResourceStatus]]]) -> list[dict[str, Any]]:
    """The rows as the API returns them (``CapacityRowSchema``), in the table's order."""
    from web.api.schemas.capacity import CapacityRowSchema

    rows = [row for _title, section in sections for row in section]
    return CapacityRowSchema(many=True).dump(rows)


def format_report_csv(rows: Sequence[dict[str, Any]]) -> str:
    from web.api.schemas.capacity import CapacityRowSchema

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CapacityRowSchema().fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@click.group("capacity", cls=AppGroup)
def capacity_group() -> None:
    """Capacity of clusters, storage pools and links."""


@capacity_group.command("report")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
    show_default=True,
)  # fmt: skip
@click.option(
    "--at", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
    help="Report as of this day (default: today).",
)  # fmt: skip
@click.option("--kind", type=click.Choice(list(SECTIONS)), default=None, help="Only these.")
@click.option(
    "--sort", type=click.Choice(list(SORT_KEYS)), default="exhaustion", show_default=True,
    help="exhaustion: soonest first; headroom: least (as a share of the ceiling) first.",
)  # fmt: skip
def report(fmt: str, at: datetime | None, kind: str | None, sort: str) -> None:
    """Every pool and link: capacity, ceiling, used, reserved, headroom, exhaustion and
    at-risk dates. Forecasts are computed once and cached until new samples arrive."""
    from capacity.actions import capacity_report
    from cmdb.db import transaction
    from web.db import get_db
    from web.today import today_or_real

    day = at.date() if at else today_or_real()
    with transaction(get_db().sessions) as session:
        sections = select_rows(capacity_report(session, at=day), kind, sort)
    if fmt == "table":
        click.echo(format_report_table(sections, day))
    elif fmt == "json":
        click.echo(json.dumps(report_rows(sections), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report_csv(report_rows(sections)), nl=False)
