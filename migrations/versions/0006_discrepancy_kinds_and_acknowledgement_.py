"""discrepancy kinds and acknowledgement, run progress

Discrepancies get a kind (the audit's filter), a last-seen time and an acknowledgement
(who, when; the comment is ``note``); workloads get a management address; runs get a queued status, the sync/facts/audit
kinds, and a background job's id, parameters and progress. The CHECKs on the widened
enums are dropped and created again (SQLite rebuilds the table in batch mode).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 07:50:05.588993
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

RUN_KINDS_OLD = ("discovery", "poll")
RUN_KINDS = (*RUN_KINDS_OLD, "sync", "facts", "audit")
RUN_STATUSES_OLD = ("running", "succeeded", "partial", "failed")
RUN_STATUSES = ("queued", *RUN_STATUSES_OLD)
STATUSES_OLD = ("open", "resolved", "ignored")
STATUSES = ("open", "acknowledged", "resolved", "ignored")


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def _checks(kinds: Sequence[str], run_statuses: Sequence[str], statuses: Sequence[str]) -> None:
    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_discovery_run_run_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_discovery_run_run_status"), type_="check")
        batch_op.create_check_constraint("run_kind", _in("kind", kinds))
        batch_op.create_check_constraint("run_status", _in("status", run_statuses))
    with op.batch_alter_table("discrepancy", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_discrepancy_discrepancy_status"), type_="check")
        batch_op.create_check_constraint("discrepancy_status", _in("status", statuses))


revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("job_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("requested_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("parameters", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("progress_done", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("progress_total", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("progress_message", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_discovery_run_job_id"), ["job_id"], unique=False)

    with op.batch_alter_table("discrepancy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "mismatch",
                    "not_on_network",
                    "not_in_netbox",
                    "speed_vs_commit",
                    "vm_sizing",
                    "host_sizing",
                    name="discrepancy_kind",
                    native_enum=False,
                    create_constraint=True,
                    length=32,
                ),
                server_default="mismatch",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("acknowledged_by", sa.String(length=100), nullable=True))
        batch_op.create_index(batch_op.f("ix_discrepancy_kind"), ["kind"], unique=False)
    with op.batch_alter_table("workload", schema=None) as batch_op:
        batch_op.add_column(sa.Column("management_address", sa.String(length=80), nullable=True))
    _checks(RUN_KINDS, RUN_STATUSES, STATUSES)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM discovery_run WHERE kind IN ('sync', 'facts', 'audit')"))
    op.execute(sa.text("UPDATE discovery_run SET status = 'failed' WHERE status = 'queued'"))
    op.execute(sa.text("UPDATE discrepancy SET status = 'open' WHERE status = 'acknowledged'"))
    _checks(RUN_KINDS_OLD, RUN_STATUSES_OLD, STATUSES_OLD)
    with op.batch_alter_table("workload", schema=None) as batch_op:
        batch_op.drop_column("management_address")
    with op.batch_alter_table("discrepancy", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_discrepancy_discrepancy_kind"), type_="check")
        batch_op.drop_index(batch_op.f("ix_discrepancy_kind"))
        batch_op.drop_column("acknowledged_by")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("last_seen_at")
        batch_op.drop_column("kind")

    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discovery_run_job_id"))
        batch_op.drop_column("progress_message")
        batch_op.drop_column("progress_total")
        batch_op.drop_column("progress_done")
        batch_op.drop_column("parameters")
        batch_op.drop_column("requested_by")
        batch_op.drop_column("job_id")
