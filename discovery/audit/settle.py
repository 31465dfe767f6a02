"""Findings → the discrepancy changes that make the audit's rows match them (pure).

The audit owns every unsettled row of ``not_on_network``, ``not_in_netbox`` and
``speed_vs_commit``, and the ``mismatch`` rows on the fields it sweeps
(``compare.MISMATCH_FIELDS``). A run's plan opens mismatches on those fields by the
same rule (``discovery.core.fields``), so such a row is what the audit finds: it is
confirmed as it stands (an acknowledgement stays) while its values say the same
(``discovery.core.compare.same_values``). Mismatches on other fields and the sizing
kinds are the runs' alone. The changes are written by the discovery core's writer
(``apply_discrepancies``), as every source's are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import cast

from cmdb.choices import DiscrepancyKind
from discovery.audit.compare import MISMATCH_FIELDS
from discovery.audit.records import Finding, Held
from discovery.core.compare import same_values
from discovery.core.observations import Facts, RecordKind
from discovery.core.plan import DiscrepancyAction, DiscrepancyChange, Ref

ENGINE_KINDS = (
    DiscrepancyKind.MISMATCH,
    DiscrepancyKind.NOT_ON_NETWORK,
    DiscrepancyKind.NOT_IN_NETBOX,
    DiscrepancyKind.SPEED_VS_COMMIT,
)
OUTCOMES = ("opened", "confirmed", "reopened", "resolved")


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


def owned_by_audit(row: Held) -> bool:
    """Whether the audit settles this unsettled row (see the module docstring)."""
    if row.kind is DiscrepancyKind.MISMATCH:
        return row.field in MISMATCH_FIELDS.get(row.object_type, ())
    return row.kind in ENGINE_KINDS


def plan_findings(
    findings: Iterable[Finding], unsettled: Iterable[Held]
) -> tuple[list[DiscrepancyChange], AuditCounts]:
    """The changes that make the audit's unsettled rows match ``findings`` exactly, and
    what each does: opened, confirmed, reopened (acknowledged, and the values changed),
    resolved (no longer found)."""
    counts = AuditCounts()
    held = {row.slot: row for row in unsettled if owned_by_audit(row)}
    changes: list[DiscrepancyChange] = []
    wanted: set[tuple[str, str, int, str]] = set()
    for finding in findings:
        wanted.add(finding.slot)
        row = held.get(finding.slot)
        values = finding.values
        if row is None:
            action, outcome = DiscrepancyAction.OPEN, "opened"
        elif _same(row, finding):
            action, outcome, values = DiscrepancyAction.CONFIRM, "confirmed", row.values
        elif row.acknowledged:
            action, outcome = DiscrepancyAction.REVISE, "reopened"
        else:
            action, outcome = DiscrepancyAction.CONFIRM, "confirmed"
        counts.add(outcome, finding.kind)
        kind = DiscrepancyKind(finding.kind)
        ref = Ref(RecordKind(finding.object_type), finding.object_id)
        changes.append(DiscrepancyChange(action, kind, ref, finding.field, values))
    for slot, row in held.items():
        if slot in wanted:
            continue
        ref = Ref(RecordKind(row.object_type), row.object_id)
        changes.append(DiscrepancyChange(DiscrepancyAction.RESOLVE, row.kind, ref, row.field, {}))
        counts.add("resolved", row.kind.value)
    return changes, counts


def _same(row: Held, finding: Finding) -> bool:
    """The row says what the finding says: a mismatch as the planner compares values
    (a name in other case, a number within rounding), other kinds exactly."""
    if row.kind is not DiscrepancyKind.MISMATCH:
        return dict(row.values) == dict(finding.values)
    kind = RecordKind(row.object_type)
    return same_values(kind, row.field, _facts(row.values), _facts(finding.values))


def _facts(values: Mapping[str, object]) -> Facts:
    """A mismatch's stored values as facts (JSON lists as tuples, as the snapshot reads)."""
    return cast(Facts, {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
