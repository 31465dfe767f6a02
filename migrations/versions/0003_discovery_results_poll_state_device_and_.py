"""discovery results, poll state, device and interface facts

SNMP discovery records one result per target of a run, keeps each polled device's
last counters (rates need the previous reading), learns sysObjectID, firmware and
ifType, tells discovery runs from polls, and stores hosts' RAM in use
(``series.metric`` gains ``ram_used_gb``: its CHECK constraint is replaced).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 05:44:45.031384
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

METRICS = (
    "vcpu_allocated",
    "ram_allocated_gb",
    "storage_used_tb",
    "in_mbps",
    "out_mbps",
    "cpu_util_pct",
)


def _quoted(values: Sequence[str]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def upgrade() -> None:
    op.create_table(
        "discovery_result",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=80), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "running",
                "succeeded",
                "partial",
                "failed",
                name="run_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("duration_ms", sa.Double(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "duration_ms >= 0", name=op.f("ck_discovery_result_duration_nonnegative")
        ),
        sa.CheckConstraint("requests >= 0", name=op.f("ck_discovery_result_requests_nonnegative")),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device.id"],
            name=op.f("fk_discovery_result_device_id_device"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["discovery_run.id"],
            name=op.f("fk_discovery_result_run_id_discovery_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discovery_result")),
    )
    with op.batch_alter_table("discovery_result", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_discovery_result_device_id"), ["device_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_discovery_result_run_id"), ["run_id"], unique=False)

    op.create_table(
        "poll_state",
        sa.Column("device_id", sa.Integer(), nullable=False),
        sa.Column("polled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("uptime_ticks", sa.BigInteger(), nullable=False),
        sa.Column("counters", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["device_id"],
            ["device.id"],
            name=op.f("fk_poll_state_device_id_device"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_poll_state")),
    )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("firmware", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("chassis_id", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("sys_object_id", sa.String(length=128), nullable=True))

    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=32), server_default="discovery", nullable=False)
        )
        batch_op.create_check_constraint("run_kind", "kind IN ('discovery', 'poll')")

    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_series_metric"), type_="check")
        batch_op.create_check_constraint(
            "metric", f"metric IN ({_quoted((*METRICS, 'ram_used_gb'))})"
        )

    with op.batch_alter_table("interface", schema=None) as batch_op:
        batch_op.add_column(sa.Column("if_type", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("interface", schema=None) as batch_op:
        batch_op.drop_column("if_type")

    op.execute("DELETE FROM series WHERE metric = 'ram_used_gb'")
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_series_metric"), type_="check")
        batch_op.create_check_constraint("metric", f"metric IN ({_quoted(METRICS)})")

    with op.batch_alter_table("discovery_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_discovery_run_run_kind"), type_="check")
        batch_op.drop_column("kind")

    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("sys_object_id")
        batch_op.drop_column("firmware")
        batch_op.drop_column("chassis_id")

    op.drop_table("poll_state")
    with op.batch_alter_table("discovery_result", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_discovery_result_run_id"))
        batch_op.drop_index(batch_op.f("ix_discovery_result_device_id"))

    op.drop_table("discovery_result")
