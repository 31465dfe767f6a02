"""a stock NetBox maps fully: unmapped admin units, generated device names, port cables

A region of NetBox that names no unit of the national list is kept as an admin unit
of the tree all the same, flagged ``unmapped`` (its sites and everything below them
still sync); a device NetBox has no name for is named from its type and NetBox id,
flagged ``name_generated``. Both flags are false for every existing row.

A cable from an interface to a port that is no interface (a patch panel's front port, a
circuit's termination) is a link of its site with one interface: the ``distinct_ends``
check now allows one site at both ends when the link names at least one interface (two
must still differ); a link without interfaces still joins two different sites.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 00:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ENDS_DIFFER = (
    "a_site_id <> b_site_id OR (a_interface_id IS NOT NULL AND b_interface_id IS NOT NULL"
    " AND a_interface_id <> b_interface_id)"
)
ONE_INTERFACE_AT_LEAST = (
    "a_site_id <> b_site_id OR ((a_interface_id IS NOT NULL OR b_interface_id IS NOT NULL)"
    " AND (a_interface_id IS NULL OR b_interface_id IS NULL OR a_interface_id <> b_interface_id))"
)


def upgrade() -> None:
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_link_distinct_ends"), type_="check")
        batch_op.create_check_constraint(op.f("ck_link_distinct_ends"), ONE_INTERFACE_AT_LEAST)
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unmapped", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_generated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    """Links inside one site with one interface cannot satisfy the old check: refuse rather
    than delete them."""
    held = op.get_bind().scalar(sa.text(f"SELECT count(*) FROM link WHERE NOT ({ENDS_DIFFER})"))
    if held:
        raise RuntimeError(
            f"{held} link(s) join one interface to a port of its site; revision 0016 cannot"
            " hold them. Delete them (they come back with the next NetBox sync) and downgrade."
        )
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_link_distinct_ends"), type_="check")
        batch_op.create_check_constraint(op.f("ck_link_distinct_ends"), ENDS_DIFFER)
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("name_generated")
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.drop_column("unmapped")
