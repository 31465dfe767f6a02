"""runs name the process that runs them; NetBox push is a kind of run

``runner_host``, ``runner_pid`` and ``runner_space`` (the host's boot id and pid
namespace): the process running a run (a ``cmdb`` command, a local job, an RQ work
horse), so a run whose process died is ended failed at the next start of any worker or
command that touches runs, without waiting (issue 17). The run
kind ``push`` (``cmdb sync netbox --push``) widens the CHECK, dropped and created again
(SQLite rebuilds the table in batch mode).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

RUN_KINDS_OLD = ("discovery", "poll", "sync", "facts", "audit")
RUN_KINDS = ("discovery", "poll", "sync", "push", "facts", "audit")

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _kinds(kinds: Sequence[str]) -> None:
    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_discovery_run_run_kind"), type_="check")
        batch_op.create_check_constraint(
            "run_kind", "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"
        )


def upgrade() -> None:
    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("runner_host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("runner_pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("runner_space", sa.String(length=80), nullable=True))
    _kinds(RUN_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM discovery_run WHERE kind = 'push'")
    _kinds(RUN_KINDS_OLD)
    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.drop_column("runner_space")
        batch_op.drop_column("runner_pid")
        batch_op.drop_column("runner_host")
