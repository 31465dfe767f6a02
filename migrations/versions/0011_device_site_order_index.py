"""a site's devices in id order: (site_id, id) replaces the index on site_id

``GET /api/v1/devices/?site_id=N`` (NetBox clients page a site this way) ordered
by id read every device of the site through the ``site_id`` index and sorted
them for each page; with ``(site_id, id)`` the page is the index's next 50
entries. The composite index serves the foreign key's lookups as the old one did.
Measured on 100,000 devices (BENCHMARKS.md): PostgreSQL's CPU per page 0.95 →
0.60 ms.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27 16:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_device_site_id_id", "device", ["site_id", "id"], unique=False)
    op.drop_index("ix_device_site_id", table_name="device")


def downgrade() -> None:
    op.create_index("ix_device_site_id", "device", ["site_id"], unique=False)
    op.drop_index("ix_device_site_id_id", table_name="device")
