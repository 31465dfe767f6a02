"""the expansion catalogue as data: server models, storage shelves, link tiers

One table, ``catalogue_item``, for the price list the planners keep (issue 21):
the smallest expansion is priced from it instead of figures in the code. Empty
after the upgrade: until the planners import a price list the capacity engine
prices with its built-in round figures.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("server", "storage_shelf", "link_tier")
NETWORKS = ("internet", "tslcd", "wan", "man", "lan")
KIND_FIELDS = (
    "(kind = 'server' AND cores > 0 AND ram_gb > 0)"
    " OR (kind = 'storage_shelf' AND raw_tb > 0)"
    " OR (kind = 'link_tier' AND mbps > 0)"
)


def _enum(values: Sequence[str], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum(KINDS, "catalogue_kind"), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("network", _enum(NETWORKS, "network"), nullable=True),
        sa.Column("cores", sa.Integer(), nullable=True),
        sa.Column("ram_gb", sa.Double(), nullable=True),
        sa.Column("raw_tb", sa.Double(), nullable=True),
        sa.Column("mbps", sa.Double(), nullable=True),
        sa.Column("price_vnd", sa.Double(), nullable=False),
        sa.Column("priced_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("price_vnd >= 0", name=op.f("ck_catalogue_item_price_nonnegative")),
        sa.CheckConstraint(KIND_FIELDS, name=op.f("ck_catalogue_item_kind_fields")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalogue_item")),
        sa.UniqueConstraint("name", name=op.f("uq_catalogue_item_name")),
    )
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalogue_item_kind"), ["kind"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("catalogue_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalogue_item_kind"))
    op.drop_table("catalogue_item")
