"""SNMP agents checked before they are trusted: what the device says of itself, the
credential profile that worked, and identity discrepancies

``device`` gets ``sys_location`` and ``sys_contact`` (SNMPv2-MIB, observed by discovery)
and ``snmp_profile``, the name of the credential profile its agent last answered
(tried first next time). The discrepancy kind ``identity`` (another agent answers at a
device's address) widens the kind's CHECK, dropped and created again (SQLite rebuilds
the table in batch mode).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 00:25:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS_OLD = (
    "mismatch",
    "not_on_network",
    "not_in_netbox",
    "speed_vs_commit",
    "vm_sizing",
    "host_sizing",
)
KINDS = (*KINDS_OLD, "identity")


def _kinds(kinds: Sequence[str]) -> None:
    with op.batch_alter_table("discrepancy", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_discrepancy_discrepancy_kind"), type_="check")
        values = ", ".join(f"'{k}'" for k in kinds)
        batch_op.create_check_constraint("discrepancy_kind", f"kind IN ({values})")


def upgrade() -> None:
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sys_location", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("sys_contact", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("snmp_profile", sa.String(length=100), nullable=True))
    _kinds(KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM discrepancy WHERE kind = 'identity'")
    _kinds(KINDS_OLD)
    with op.batch_alter_table("device", schema=None) as batch_op:
        batch_op.drop_column("snmp_profile")
        batch_op.drop_column("sys_contact")
        batch_op.drop_column("sys_location")
