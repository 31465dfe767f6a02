"""a stock NetBox maps fully: unmapped admin units and generated device names

A region of NetBox that names no unit of the national list is kept as an admin unit
of the tree all the same, flagged ``unmapped`` (its sites and everything below them
still sync); a device NetBox has no name for is named from its type and NetBox id,
flagged ``name_generated``. Both flags are false for every existing row.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 00:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unmapped", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name_generated", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("name_generated")
    with op.batch_alter_table("admin_unit", schema=None) as batch_op:
        batch_op.drop_column("unmapped")
