"""user roles of issue 6 (viewer, requester, engineer, planner, admin) and a user's agency

``operator`` becomes ``engineer`` (the role that edits inventory). ``user.agency_id``
is the agency whose requests a requester may create and evaluate.

On SQLite the ``user`` table is rebuilt (a CHECK cannot be changed in place); the
rebuild drops the old copy, and tokens, change-log entries and approvals point at
it (tokens with ON DELETE CASCADE), so it runs with foreign keys off and checks
them afterwards — as revision 0004 does for ``admin_unit``.

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_ROLES = ("viewer", "operator", "admin")
NEW_ROLES = ("viewer", "requester", "engineer", "planner", "admin")


def _roles(values: Sequence[str]) -> str:
    return "role IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_role"), type_="check")
        batch_op.add_column(sa.Column("agency_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_user_agency_id"), ["agency_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_user_agency_id_agency"),
            "agency",
            ["agency_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute(sa.text("UPDATE \"user\" SET role = 'engineer' WHERE role = 'operator'"))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.create_check_constraint("role", _roles(NEW_ROLES))


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_user_role"), type_="check")
    op.execute(
        sa.text(
            "UPDATE \"user\" SET role = 'operator' WHERE role IN ('engineer', 'planner', 'requester')"
        )
    )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_user_agency_id_agency"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_user_agency_id"))
        batch_op.drop_column("agency_id")
        batch_op.create_check_constraint("role", _roles(OLD_ROLES))
