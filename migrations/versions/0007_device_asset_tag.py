"""device asset tag

A device keeps the owner's inventory label (NetBox's ``asset_tag``), which the NetBox
sync takes in as a declared fact. Nullable, no index: it is shown, not searched by.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asset_tag", sa.String(length=50), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("asset_tag")
