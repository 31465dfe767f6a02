"""Findings → the discrepancy changes that make the audit's rows match them (pure).

Each discrepancy has exactly one writer. The audit owns every unsettled row of
``not_on_network``, ``not_in_netbox`` and ``speed_vs_commit``, and the ``mismatch``
rows that carry NetBox's value. SNMP discovery's own mismatches (values
``record``/``snmp``) and the fact-sync's sizing kinds are left to their writers: when
such a row already holds the slot of a finding, the audit does not overwrite it
(counted as ``deferred``). The changes are written by the discovery core's writer
(``apply_discrepancies``), as every source's are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cmdb.choices import DiscrepancyKind
from discovery.audit.compare import NETBOX
from discovery.audit.records import Finding, Held
from discovery.core.observations import RecordKind
from discovery.core.plan import DiscrepancyAction, DiscrepancyChange, Ref

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


def owned_by_audit(kind: DiscrepancyKind, values: Mapping[str, object]) -> bool:
    """Whether the audit is the writer of a row of this kind with these values."""
    if kind is DiscrepancyKind.MISMATCH:
        return NETBOX in values
    return kind in ENGINE_KINDS


def plan_findings(
    findings: Iterable[Finding], unsettled: Iterable[Held]
) -> tuple[list[DiscrepancyChange], AuditCounts]:
    """The changes that make the unsettled rows of the audit's kinds match ``findings``
    exactly, and what each does: opened, confirmed, reopened (acknowledged, and the
    values changed), resolved (no longer found), deferred (another writer's row)."""
    counts = AuditCounts()
    held = {row.slot: row for row in unsettled if row.kind in ENGINE_KINDS}
    changes: list[DiscrepancyChange] = []
    wanted: set[tuple[str, str, int, str]] = set()
    for finding in findings:
        wanted.add(finding.slot)
        row = held.get(finding.slot)
        if row is not None and not owned_by_audit(row.kind, row.values):
            counts.add("deferred", finding.kind)
            continue
        if row is None:
            action, outcome = DiscrepancyAction.OPEN, "opened"
        elif row.acknowledged and dict(row.values) != dict(finding.values):
            action, outcome = DiscrepancyAction.REVISE, "reopened"
        else:
            action, outcome = DiscrepancyAction.CONFIRM, "confirmed"
        counts.add(outcome, finding.kind)
        kind = DiscrepancyKind(finding.kind)
        ref = Ref(RecordKind(finding.object_type), finding.object_id)
        changes.append(DiscrepancyChange(action, kind, ref, finding.field, finding.values))
    for slot, row in held.items():
        if slot in wanted or not owned_by_audit(row.kind, row.values):
            continue
        ref = Ref(RecordKind(row.object_type), row.object_id)
        changes.append(DiscrepancyChange(DiscrepancyAction.RESOLVE, row.kind, ref, row.field, {}))
        counts.add("resolved", row.kind.value)
    return changes, counts
