"""capacity settings: the DC (a site flag) and each network's DC-uplink rule and redundancy

``site.is_dc`` names the DC that paths lead to (at most one; none: the data centre
with the most clusters, as before). ``network_setting`` keeps, per network, the
site kinds whose links from the DC are its DC uplinks (default: a point of
presence) and how those uplinks share the demand (active/standby by default, or
load-sharing). Empty after the upgrade: every network keeps today's behaviour.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NETWORKS = ("internet", "tslcd", "wan", "man", "lan")
REDUNDANCY = ("active_standby", "load_sharing")


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_dc", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index(
            "uq_site_is_dc",
            ["is_dc"],
            unique=True,
            sqlite_where=sa.text("is_dc"),
            postgresql_where=sa.text("is_dc"),
        )
    op.create_table(
        "network_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("network", _enum(NETWORKS, "network"), nullable=False),
        sa.Column("redundancy", _enum(REDUNDANCY, "redundancy"), nullable=False),
        sa.Column("uplink_site_kinds", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_network_setting")),
        sa.UniqueConstraint("network", name=op.f("uq_network_setting_network")),
    )


def downgrade() -> None:
    op.drop_table("network_setting")
    with op.batch_alter_table("site", schema=None) as batch_op:
        batch_op.drop_index("uq_site_is_dc")
        batch_op.drop_column("is_dc")
