"""what a stock NetBox holds: open-ended links, unplaced clusters, VMs without size,
deletions dated by NetBox

- ``link.a_site_id`` / ``b_site_id`` may be empty (one, not both: ``has_an_end``): a
  circuit with one termination, or one end on a provider network, keeps that end open
  (DESIGN §4);
- ``cluster.site_id`` may be empty: a cluster with no scope, or scoped to a region or
  site group, is kept and shown "unplaced";
- ``workload.vcpu`` / ``ram_gb`` may be empty and ``workload.incomplete`` says what a
  VM lacks: it is kept, marked, and left out of capacity;
- ``record_source.deleted_at``: when the source said it deleted the record (NetBox's
  change log), shown as "deleted in NetBox on …" rather than "not seen".

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HAS_AN_END = "a_site_id IS NOT NULL OR b_site_id IS NOT NULL"


def upgrade() -> None:
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.alter_column("a_site_id", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("b_site_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("has_an_end", HAS_AN_END)
    with op.batch_alter_table("cluster", schema=None) as batch_op:
        batch_op.alter_column("site_id", existing_type=sa.Integer(), nullable=True)
    with op.batch_alter_table("workload", schema=None) as batch_op:
        batch_op.alter_column("vcpu", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("ram_gb", existing_type=sa.Double(), nullable=True)
        batch_op.add_column(sa.Column("incomplete", sa.String(length=200), nullable=True))
    with op.batch_alter_table("record_source", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # Rows that use what this revision allowed cannot go back: they are removed first.
    op.execute("DELETE FROM workload WHERE vcpu IS NULL OR ram_gb IS NULL")
    op.execute("DELETE FROM link WHERE a_site_id IS NULL OR b_site_id IS NULL")
    with op.batch_alter_table("record_source", schema=None) as batch_op:
        batch_op.drop_column("deleted_at")
    with op.batch_alter_table("workload", schema=None) as batch_op:
        batch_op.drop_column("incomplete")
        batch_op.alter_column("ram_gb", existing_type=sa.Double(), nullable=False)
        batch_op.alter_column("vcpu", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("cluster", schema=None) as batch_op:
        batch_op.alter_column("site_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_link_has_an_end"), type_="check")
        batch_op.alter_column("b_site_id", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("a_site_id", existing_type=sa.Integer(), nullable=False)
