"""SNMP discrepancies name the record's own value ``record``, as the discovery core writes it

SNMP discovery wrote a mismatch's values as ``{"inventory": …, "snmp": …}``; the
discovery core (issue 17) writes ``{"record": …, "snmp": …}`` (and each other
source's word). An unsettled discrepancy whose values change is opened again —
an acknowledgement stands only while the values are the same — so without this
rename the first discovery after the upgrade would reopen every acknowledged one.

Only rows SNMP discovery wrote change: unsettled mismatches of a device's name,
serial or model or an interface's speed whose values are exactly those two keys.
The audit's rows (which name NetBox, and say ``inventory`` of links) are left as
they are. Data only: no schema change.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SNMP_FIELDS = {"device": ("name", "serial", "model"), "interface": ("speed_mbps",)}
UNSETTLED = ("open", "acknowledged")

discrepancy = sa.table(
    "discrepancy",
    sa.column("id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("object_type", sa.String),
    sa.column("field", sa.String),
    sa.column("values", sa.JSON),
    sa.column("status", sa.String),
)


def _rename(old: str, new: str) -> None:
    bind = op.get_bind()
    wanted = sa.or_(
        *(
            sa.and_(discrepancy.c.object_type == kind, discrepancy.c.field.in_(fields))
            for kind, fields in SNMP_FIELDS.items()
        )
    )
    rows = bind.execute(
        sa.select(discrepancy.c.id, discrepancy.c["values"]).where(
            discrepancy.c.kind == "mismatch", discrepancy.c.status.in_(UNSETTLED), wanted
        )
    ).all()
    for row_id, values in rows:
        if not isinstance(values, dict) or set(values) != {old, "snmp"}:
            continue
        renamed = {new: values[old], "snmp": values["snmp"]}
        bind.execute(
            sa.update(discrepancy).where(discrepancy.c.id == row_id).values(values=renamed)
        )


def upgrade() -> None:
    _rename("inventory", "record")


def downgrade() -> None:
    _rename("record", "inventory")
