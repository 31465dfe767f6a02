"""polls split across workers: a run's parent

A poll cycle of many devices is queued as several jobs (chunks), each a run whose
``parent_id`` names the run that aggregates them (issue 20). Existing runs have none.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discovery_run") as batch:
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_index("ix_discovery_run_parent_id", ["parent_id"])
        batch.create_foreign_key(
            "fk_discovery_run_parent_id_discovery_run",
            "discovery_run",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("discovery_run") as batch:
        batch.drop_constraint("fk_discovery_run_parent_id_discovery_run", type_="foreignkey")
        batch.drop_index("ix_discovery_run_parent_id")
        batch.drop_column("parent_id")
