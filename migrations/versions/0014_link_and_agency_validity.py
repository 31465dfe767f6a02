"""links and agencies are dated, like admin units

``valid_from`` (inclusive; empty: always) and ``valid_to`` (exclusive; empty: still in
force) on ``link`` and ``agency``, with the same CHECK as ``admin_unit``: the tree, the
overview and the capacity paths as of a day leave out links that came later, and a
reform ends the People's Committees of the units it dissolves (issue 23). Existing rows
stay undated (in force always), which is what they meant until now.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 21:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("link", "agency")
VALID_DATES = "valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to"


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
            batch_op.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
            batch_op.create_check_constraint("valid_dates", VALID_DATES)


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_valid_dates"), type_="check")
            batch_op.drop_column("valid_to")
            batch_op.drop_column("valid_from")
