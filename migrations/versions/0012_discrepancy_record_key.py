"""SNMP discrepancies name the record's own value ``record``, as the discovery core writes it

SNMP discovery wrote a mismatch's values as ``{"inventory": …, "snmp": …}``; the
discovery core (issue 17) writes ``{"record": …, "snmp": …}`` (and each other
source's word). An unsettled discrepancy whose values change is opened again —
an acknowledgement stands only while the values are the same — so without this
rename the first discovery after the upgrade would reopen every acknowledged one.

Only rows SNMP discovery wrote change: unsettled mismatches of a device's name,
serial or model or an interface's speed whose values are exactly those two keys.
The audit's rows (which name NetBox, and say ``inventory`` of links) are left as
they are. The core also lists a person's word (``manual``: the last value a user
gave the field in the change log, while the record still holds it), so that value
is added where there is one — else those rows would be revised, and reopened, too.
Data only: no schema change.

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
    sa.column("object_id", sa.Integer),
    sa.column("field", sa.String),
    sa.column("values", sa.JSON),
    sa.column("status", sa.String),
)


change_log = sa.table(
    "change_log",
    sa.column("id", sa.Integer),
    sa.column("user_id", sa.Integer),
    sa.column("actor", sa.String),
    sa.column("action", sa.String),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("after", sa.JSON),
    sa.column("at", sa.DateTime),
)
user = sa.table("user", sa.column("username", sa.String))


def _persons_word(object_type: str, object_id: int, field: str) -> object:
    """The last value a person gave the field, while the record still holds it."""
    bind = op.get_bind()
    person = sa.or_(
        change_log.c.user_id.is_not(None), change_log.c.actor.in_(sa.select(user.c.username))
    )
    rows = bind.execute(
        sa.select(change_log.c["after"])
        .where(
            change_log.c.object_type == object_type,
            change_log.c.object_id == object_id,
            change_log.c.action.in_(("create", "update")),
            person,
        )
        .order_by(change_log.c.at, change_log.c.id)
    ).all()
    said = [after[field] for (after,) in rows if isinstance(after, dict) and field in after]
    if not said or said[-1] is None:
        return None
    record = sa.table(object_type, sa.column("id", sa.Integer), sa.column(field))
    held = bind.execute(sa.select(record.c[field]).where(record.c.id == object_id)).scalar()
    return said[-1] if held == said[-1] else None


def _rename(old: str, new: str) -> None:
    bind = op.get_bind()
    wanted = sa.or_(
        *(
            sa.and_(discrepancy.c.object_type == kind, discrepancy.c.field.in_(fields))
            for kind, fields in SNMP_FIELDS.items()
        )
    )
    rows = bind.execute(
        sa.select(
            discrepancy.c.id,
            discrepancy.c.object_type,
            discrepancy.c.object_id,
            discrepancy.c.field,
            discrepancy.c["values"],
        ).where(discrepancy.c.kind == "mismatch", discrepancy.c.status.in_(UNSETTLED), wanted)
    ).all()
    for row_id, object_type, object_id, field, values in rows:
        if not isinstance(values, dict) or set(values) - {"manual"} != {old, "snmp"}:
            continue
        renamed = {new: values[old], "snmp": values["snmp"]}
        if new == "record":
            word = _persons_word(object_type, object_id, field)
            if word is not None:
                renamed["manual"] = word
        bind.execute(
            sa.update(discrepancy).where(discrepancy.c.id == row_id).values(values=renamed)
        )


def upgrade() -> None:
    _rename("inventory", "record")


def downgrade() -> None:
    _rename("record", "inventory")
