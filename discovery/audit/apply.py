"""Findings → discrepancies: open or confirm each, settle the engine's rows that no longer hold.

Each discrepancy has exactly one writer. The audit owns every unsettled row of
``not_on_network``, ``not_in_netbox`` and ``speed_vs_commit``, and the ``mismatch``
rows that carry NetBox's value. SNMP discovery's own mismatches (values
``inventory``/``snmp``) and the fact-sync's sizing kinds are left to their writers:
when such a row already holds the slot of a finding, the audit does not overwrite it
(counted as ``deferred``). Nothing here commits.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.models import Discrepancy
from cmdb.services.discrepancies import UNSETTLED, raise_discrepancy, settle_discrepancy
from discovery.audit.compare import NETBOX
from discovery.audit.records import Finding

ENGINE_KINDS = (
    DiscrepancyKind.MISMATCH,
    DiscrepancyKind.NOT_ON_NETWORK,
    DiscrepancyKind.NOT_IN_NETBOX,
    DiscrepancyKind.SPEED_VS_COMMIT,
)
OUTCOMES = ("opened", "confirmed", "reopened", "resolved", "deferred")


@dataclass
class AuditCounts:
    """What one audit did, per outcome and kind: ``counts["opened"]["mismatch"]``."""

    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {outcome: Counter() for outcome in OUTCOMES}
    )

    def add(self, outcome: str, kind: str) -> None:
        self.counts[outcome][kind] += 1

    def total(self, outcome: str) -> int:
        return sum(self.counts[outcome].values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {outcome: dict(sorted(c.items())) for outcome, c in self.counts.items()}


def owned_by_audit(kind: DiscrepancyKind, values: Mapping[str, Any]) -> bool:
    """Whether the audit is the writer of a row of this kind with these values."""
    if kind is DiscrepancyKind.MISMATCH:
        return NETBOX in values
    return kind in ENGINE_KINDS


def apply_findings(session: Session, findings: Iterable[Finding], at: datetime) -> AuditCounts:
    """Make the unsettled discrepancies of the audit's kinds match ``findings`` exactly."""
    counts = AuditCounts()
    unsettled = {
        (d.kind.value, d.object_type, d.object_id, d.field): d
        for d in session.scalars(
            sa.select(Discrepancy).where(
                Discrepancy.kind.in_(ENGINE_KINDS), Discrepancy.status.in_(UNSETTLED)
            )
        )
    }
    wanted: set[tuple[str, str, int, str]] = set()
    for finding in findings:
        wanted.add(finding.slot)
        held = unsettled.get(finding.slot)
        if held is not None and not owned_by_audit(held.kind, held.values):
            counts.add("deferred", finding.kind)
            continue
        was_acknowledged = held is not None and held.status is DiscrepancyStatus.ACKNOWLEDGED
        row, new = raise_discrepancy(
            session,
            kind=DiscrepancyKind(finding.kind),
            object_type=finding.object_type,
            object_id=finding.object_id,
            field=finding.field,
            values=finding.values,
            at=at,
        )
        if new:
            outcome = "opened"
        elif was_acknowledged and row.status is DiscrepancyStatus.OPEN:
            outcome = "reopened"
        else:
            outcome = "confirmed"
        counts.add(outcome, finding.kind)
    for slot, row in unsettled.items():
        if slot in wanted or not owned_by_audit(row.kind, row.values):
            continue
        settle_discrepancy(
            session,
            kind=row.kind,
            object_type=row.object_type,
            object_id=row.object_id,
            field=row.field,
            at=at,
        )
        counts.add("resolved", row.kind.value)
    session.flush()
    return counts
