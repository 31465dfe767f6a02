"""admin unit history: codes unique among units in force, successor, site history

The 2025 reform reuses codes (20335 was Phường Tân Thạnh, is now Phường Bàn
Thạch), so ``admin_unit.code`` is unique only where ``valid_to`` is empty; a
dissolved unit may name its ``successor``; ``site_history`` keeps each site's
earlier placements (unit, agency, kind) so the tree as of a past date stays true.

On SQLite the ``admin_unit`` table is rebuilt (a UNIQUE constraint cannot be
dropped in place). Rebuilding drops the old copy, and with foreign keys on that
drop fails on a populated database (sites and agencies point at it; a CASCADE
would even delete rows), so the rebuild runs with foreign keys off and checks
them afterwards (``migrations/env.py`` does it for every revision).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 05:45:12.557556
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SITE_KINDS = ("data_centre", "agency_office", "district_office", "commune_office", "pop")
IN_FORCE = sa.text("valid_to IS NULL")


def upgrade() -> None:
    op.create_table(
        "site_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("admin_unit_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                *SITE_KINDS, name="site_kind", native_enum=False, create_constraint=True, length=32
            ),
            nullable=False,
        ),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "valid_from IS NULL OR valid_from < valid_to",
            name=op.f("ck_site_history_valid_dates"),
        ),
        sa.ForeignKeyConstraint(
            ["admin_unit_id"],
            ["admin_unit.id"],
            name=op.f("fk_site_history_admin_unit_id_admin_unit"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"],
            ["agency.id"],
            name=op.f("fk_site_history_agency_id_agency"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["site.id"], name=op.f("fk_site_history_site_id_site"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_history")),
    )
    with op.batch_alter_table("site_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_history_admin_unit_id"), ["admin_unit_id"])
        batch_op.create_index(batch_op.f("ix_site_history_agency_id"), ["agency_id"])
        batch_op.create_index("ix_site_history_site_period", ["site_id", "valid_to"])

    with op.batch_alter_table("admin_unit") as batch_op:
        batch_op.add_column(sa.Column("successor_id", sa.Integer(), nullable=True))
        batch_op.drop_constraint(batch_op.f("uq_admin_unit_code"), type_="unique")
        batch_op.create_index(batch_op.f("ix_admin_unit_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_admin_unit_successor_id"), ["successor_id"])
        batch_op.create_index(
            "uq_admin_unit_code_in_force", ["code"], unique=True,
            sqlite_where=IN_FORCE, postgresql_where=IN_FORCE,
        )  # fmt: skip
        batch_op.create_foreign_key(
            batch_op.f("fk_admin_unit_successor_id_admin_unit"), "admin_unit",
            ["successor_id"], ["id"], ondelete="RESTRICT",
        )  # fmt: skip
        batch_op.create_check_constraint(
            "valid_dates", "valid_from IS NULL OR valid_to IS NULL OR valid_from < valid_to"
        )


def downgrade() -> None:
    # Dissolved units that share a code with a unit in force cannot go back under
    # the plain UNIQUE(code): the downgrade then fails rather than guess which to drop.
    with op.batch_alter_table("admin_unit") as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_admin_unit_valid_dates"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_admin_unit_successor_id_admin_unit"), type_="foreignkey"
        )
        batch_op.drop_index(
            "uq_admin_unit_code_in_force", sqlite_where=IN_FORCE, postgresql_where=IN_FORCE
        )
        batch_op.drop_index(batch_op.f("ix_admin_unit_successor_id"))
        batch_op.drop_index(batch_op.f("ix_admin_unit_code"))
        batch_op.create_unique_constraint(batch_op.f("uq_admin_unit_code"), ["code"])
        batch_op.drop_column("successor_id")

    with op.batch_alter_table("site_history", schema=None) as batch_op:
        batch_op.drop_index("ix_site_history_site_period")
        batch_op.drop_index(batch_op.f("ix_site_history_agency_id"))
        batch_op.drop_index(batch_op.f("ix_site_history_admin_unit_id"))
    op.drop_table("site_history")
