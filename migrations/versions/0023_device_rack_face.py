"""a device's rack face and height, for the rack elevation

NetBox documents on which face of its rack a device is mounted and how many
units it takes (its device type's height); the rack page draws the front and
the rear from them (issue 22). Both empty after the upgrade: a device of unknown
height is drawn as 1 U, one without a face on both faces (full depth).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 00:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    face = sa.Enum(
        "front", "rear", name="rack_face", native_enum=False, create_constraint=True, length=32
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rack_face", face, nullable=True))
        batch_op.add_column(sa.Column("height_u", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            "height_u_range", "height_u IS NULL OR (height_u > 0 AND height_u <= 60)"
        )


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_device_height_u_range"), type_="check")
        batch_op.drop_constraint(op.f("ck_device_rack_face"), type_="check")
        batch_op.drop_column("height_u")
        batch_op.drop_column("rack_face")
