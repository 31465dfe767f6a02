"""trigram indexes for the API's q= search (PostgreSQL)

``?q=`` and ``__ic`` filters are ``ILIKE '%text%'``; a B-tree cannot serve a
pattern with a leading wildcard, so on 100,000 devices every search scanned the
table (and counted it again for the page's ``count``). pg_trgm GIN indexes on
the searched columns of the two large tables, devices and interfaces, let
PostgreSQL combine them (BitmapOr) instead. SQLite gets nothing: it has no
trigram index and its estates are small. The extension stays on downgrade:
other database objects may use it, and it costs nothing unused.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 08:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEARCHED = {
    "device": ("name", "serial", "management_address", "model"),
    "interface": ("name", "description", "mac_address"),
}


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _postgresql():
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, columns in SEARCHED.items():
        for column in columns:
            op.create_index(
                f"ix_{table}_{column}_trgm",
                table,
                [column],
                postgresql_using="gin",
                postgresql_ops={column: "gin_trgm_ops"},
            )


def downgrade() -> None:
    if not _postgresql():
        return
    for table, columns in SEARCHED.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_trgm", table_name=table)
