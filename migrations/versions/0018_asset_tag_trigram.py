"""a trigram index for global search's asset tags (PostgreSQL)

Global search (``/search/``) matched a device's asset tag whole with ``lower(asset_tag)
= …``, a scan of the device table on every search: the largest part of a search on
100,000 devices (BENCHMARKS.md, "Global search"). The asset tag is now matched like the
name and serial (``ILIKE '%text%'``, a part of the tag finds it, as NetBox's search does)
through a pg_trgm GIN index, as revision 0009 did for the other searched columns. SQLite
gets nothing, as in 0009.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 00:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_device_asset_tag_trgm"


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_index(
        NAME,
        "device",
        ["asset_tag"],
        postgresql_using="gin",
        postgresql_ops={"asset_tag": "gin_trgm_ops"},
    )


def downgrade() -> None:
    if _postgresql():
        op.drop_index(NAME, table_name="device")
