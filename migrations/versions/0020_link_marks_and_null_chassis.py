"""LLDP links through the discovery core; zero chassis ids go; interface health series

Links SNMP found were marked ``lldp:<link id>`` by the writer the core replaced. The core
matches an SNMP link by the two interfaces it joins (``keys.NATURAL_KEYS``), which it
does only for records whose SNMP mark carries no id: the old ids are cleared, so the
links LLDP made before are found again instead of made twice. An all-zero or empty
LLDP chassis id names no device (issue 20): those stored as one are cleared.
``series.metric`` gains an interface's errors and discards a second and its oper and
admin status (its CHECK constraint is replaced).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 00:30:00
"""

from collections.abc import Sequence

from alembic import op

METRICS = (
    "vcpu_allocated",
    "ram_allocated_gb",
    "storage_used_tb",
    "in_mbps",
    "out_mbps",
    "cpu_util_pct",
    "ram_used_gb",
)
HEALTH = (
    "in_errors_pps",
    "out_errors_pps",
    "in_discards_pps",
    "out_discards_pps",
    "oper_up",
    "admin_up",
)

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZERO_IDS = ("00:00:00:00:00:00", "0", "00", "0000.0000.0000", "00-00-00-00-00-00")


def upgrade() -> None:
    op.execute(
        "UPDATE record_source SET external_id = NULL"
        " WHERE object_type = 'link' AND source = 'snmp' AND external_id LIKE 'lldp:%'"
    )
    zeros = ", ".join(f"'{z}'" for z in ZERO_IDS)
    op.execute(f"UPDATE device SET chassis_id = NULL WHERE trim(chassis_id) IN ('', {zeros})")
    _metrics((*METRICS, *HEALTH))


def _metrics(allowed: Sequence[str]) -> None:
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_series_metric"), type_="check")
        quoted = ", ".join(f"'{m}'" for m in allowed)
        batch_op.create_check_constraint("metric", f"metric IN ({quoted})")


def downgrade() -> None:
    health = ", ".join(f"'{m}'" for m in HEALTH)
    op.execute(f"DELETE FROM series WHERE metric IN ({health})")
    _metrics(METRICS)
    # The marks' old ids named the link's own id: they can be given back; a cleared
    # zero chassis id said nothing, so nothing is lost by leaving it cleared.
    op.execute(
        "UPDATE record_source SET external_id = 'lldp:' || CAST(object_id AS VARCHAR(20))"
        " WHERE object_type = 'link' AND source = 'snmp' AND external_id IS NULL"
    )
