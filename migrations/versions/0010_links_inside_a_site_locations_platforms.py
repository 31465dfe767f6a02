"""links inside a site, rack and device locations, device platforms

A NetBox cable between two devices of one site (a server to its top-of-rack
switch, the core switch to the DC router) is a link too: the ``distinct_ends``
check now allows one site at both ends when the link names two different
interfaces; a link without interfaces still joins two different sites.

Racks and devices keep NetBox's location as its path ("Phòng máy 1 / Dãy A"),
a text shown beside the site; devices keep their platform (NetBox's
``dcim.platforms``: the operating system or firmware family).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27 11:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SITES_DIFFER = "a_site_id <> b_site_id"
ENDS_DIFFER = (
    "a_site_id <> b_site_id OR (a_interface_id IS NOT NULL AND b_interface_id IS NOT NULL"
    " AND a_interface_id <> b_interface_id)"
)


def upgrade() -> None:
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_link_distinct_ends"), type_="check")
        batch_op.create_check_constraint(op.f("ck_link_distinct_ends"), ENDS_DIFFER)
    with op.batch_alter_table("rack", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location", sa.String(length=200), nullable=True))
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("location", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("platform", sa.String(length=100), nullable=True))


def downgrade() -> None:
    """Links inside one site cannot satisfy the old check: refuse rather than delete them."""
    inside = op.get_bind().scalar(sa.text(f"SELECT count(*) FROM link WHERE NOT ({SITES_DIFFER})"))
    if inside:
        raise RuntimeError(
            f"{inside} link(s) join two interfaces of one site; revision 0009 cannot hold them."
            " Delete them (they come back with the next NetBox sync) and downgrade again."
        )
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("platform")
        batch_op.drop_column("location")
    with op.batch_alter_table("rack", schema=None) as batch_op:
        batch_op.drop_column("location")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_link_distinct_ends"), type_="check")
        batch_op.create_check_constraint(op.f("ck_link_distinct_ends"), SITES_DIFFER)
