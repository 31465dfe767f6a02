"""each polled counter's time base, and where each agent keeps its serial

``counter_ticks``: each polled counter's time base, the agent's sysUpTime in the answer
that carried it. A poll asks sysUpTime in every counter request (``discovery.snmp.client``) and rates
each counter over the agent's clock between the answers that carried it, not between
the poll's first answers: on a loaded poller the requests in between take a varying
time. Empty after the upgrade (the next poll's rates use the device's sysUpTime, as
before, until each counter has a time base on both sides).

``serial_oid``: the OID at which the agent answered the serial on record, asked in the
poll's first GET from then on instead of walking ENTITY-MIB whenever the identity
check wants the serial (``discovery.poll``). Empty after the upgrade: learnt at the
next poll that reads the serial.

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("poll_state", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("counter_ticks", sa.JSON(), nullable=False, server_default="{}")
        )
        batch_op.add_column(sa.Column("serial_oid", sa.String(length=255), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("poll_state", schema=None) as batch_op:
        batch_op.drop_column("serial_oid")
        batch_op.drop_column("counter_ticks")
