"""The audit's mismatches name the record's own value ``record``, as the discovery core does

The audit compared NetBox with the other sources and wrote a mismatch's values as
``{"netbox": …, "snmp": …, "ansible": …, "manual": …}``. Its mismatches are now the
discovery core's one rule (issue 17: ``discovery.core.fields``), the rule every run's
plan uses, whose values also hold the record's own value under ``record``. An
unsettled discrepancy whose values change is opened again — an acknowledgement stands
only while the values are the same — so without this the first audit (or NetBox sync)
after the upgrade would reopen every acknowledged one.

Only the audit's rows change: unsettled mismatches on the fields it sweeps (a device's
name, serial, model or manufacturer, an interface's speed or MAC, a link's commit rate)
that carry NetBox's value and no ``record``. Each gets the value its record holds now
(what the audit compares with); a row whose record is gone is left as it is (the next
audit resolves it). Settled rows are history and stay as written; pages show both
shapes. Downgrade takes ``record`` out of those rows again. Data only: no schema change.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AUDITED = {
    "device": ("name", "serial", "model", "manufacturer"),
    "interface": ("speed_mbps", "mac_address"),
    "link": ("commit_rate_mbps",),
}
UNSETTLED = ("open", "acknowledged")
AUDITS_SOURCES = {"netbox", "snmp", "ansible", "manual"}  # the keys the audit wrote

discrepancy = sa.table(
    "discrepancy",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("field", sa.String),
    sa.column("values", sa.JSON),
    sa.column("status", sa.String),
)


def _audits_rows() -> list[tuple[Any, ...]]:
    """Id, object type, object id, field and values of the unsettled mismatches on the
    fields the audit sweeps."""
    wanted = sa.or_(
        *(
            sa.and_(discrepancy.c.object_type == kind, discrepancy.c.field.in_(fields))
            for kind, fields in AUDITED.items()
        )
    )
    rows = op.get_bind().execute(
        sa.select(
            discrepancy.c.id,
            discrepancy.c.object_type,
            discrepancy.c.object_id,
            discrepancy.c.field,
            discrepancy.c["values"],
        ).where(discrepancy.c.kind == "mismatch", discrepancy.c.status.in_(UNSETTLED), wanted)
    )
    return [tuple(row) for row in rows]


def _held(object_type: str, object_id: int, field: str) -> tuple[bool, object]:
    """Whether the record still exists, and the value it holds."""
    record = sa.table(object_type, sa.column("id", sa.Integer), sa.column(field))
    row = op.get_bind().execute(sa.select(record.c[field]).where(record.c.id == object_id)).first()
    return (row is not None, row[0] if row is not None else None)


def _set(row_id: int, values: dict[str, object]) -> None:
    op.get_bind().execute(
        sa.update(discrepancy).where(discrepancy.c.id == row_id).values(values=values)
    )


def upgrade() -> None:
    for row_id, object_type, object_id, field, values in _audits_rows():
        if not isinstance(values, dict) or "netbox" not in values or "record" in values:
            continue
        if not set(values) <= AUDITS_SOURCES:
            continue
        exists, held = _held(object_type, object_id, field)
        if exists:
            _set(row_id, {"record": held, **values})


def downgrade() -> None:
    for row_id, _, _, _, values in _audits_rows():
        if isinstance(values, dict) and "netbox" in values and "record" in values:
            _set(row_id, {k: v for k, v in values.items() if k != "record"})
