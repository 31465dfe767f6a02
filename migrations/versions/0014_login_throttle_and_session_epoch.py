"""failed log-ins and the user's session epoch

``login_failure``: each wrong password (or unknown user) with the client's
address and time, so the log-in throttle counts across every worker and server.
``user.session_epoch``: raised by logging out or a new password; a UI session
carries the epoch it began in and is refused once the user's has moved on
(issue 18).

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


def upgrade() -> None:
    op.create_table(
        "login_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failure")),
    )
    for column in ("username", "address", "at"):
        op.create_index(op.f(f"ix_login_failure_{column}"), "login_failure", [column])
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
    for column in ("username", "address", "at"):
        op.drop_index(op.f(f"ix_login_failure_{column}"), table_name="login_failure")
    op.drop_table("login_failure")
