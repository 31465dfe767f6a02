"""tags on devices and VMs, for the Ansible inventory's tag groups

NetBox tags devices and VMs (``tags: [{slug, name}]``); the sync keeps their slugs
and the inventory plugin groups on them (``tag_<slug>``, issue 23). A JSON list of
slugs per row, empty after the upgrade.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("device", "workload")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("tags", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("tags")
