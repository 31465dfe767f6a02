"""What one post of facts did to its host, read off the core's plan: the API's answer. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from discovery.core.fields import PLANNED_KINDS
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.observations import FactValue, Observation
from discovery.core.plan import DiscrepancyAction, DiscrepancyChange, Plan, Ref

# The order the answer lists a host's fields in (sizes first, as the audit shows them).
FIELD_ORDER = ("cores", "vcpu", "ram_gb", "serial", "manufacturer", "model", "platform")


@dataclass
class FactsOutcome:
    """What one post did, as the API answers it."""

    run_id: int
    kind: str
    id: int
    name: str
    changed: bool = False
    updated: dict[str, FactValue] = field(default_factory=dict)  # fields filled from the facts
    interfaces: list[str] = field(default_factory=list)  # created or updated
    opened: list[str] = field(default_factory=list)  # "kind:field" of new discrepancies
    standing: list[str] = field(default_factory=list)  # still there (confirmed or revised)
    settled: list[str] = field(default_factory=list)
    observed: bool = False  # whether a new observation was stored


def host_outcome(
    run_id: int,
    record: KnownRecord,
    observations: Sequence[Observation],
    plan: Plan,
    snapshot: Snapshot,
    observed: bool,
) -> FactsOutcome:
    """The answer for ``record``, the host ``observations[0]`` is about."""
    host = Ref(record.kind, record.id)
    updated = {c.field: c.after for u in plan.updates if u.ref == host for c in u.changes}
    parts = {o.label: o.identity.name or o.label for o in observations[1:]}
    interfaces = sorted(
        parts[s.label]
        for s in plan.seen
        if s.label in parts and (s.ref.id is None or any(u.ref == s.ref for u in plan.updates))
    )
    mine = [d for d in plan.discrepancies if d.ref == host]
    outcome = FactsOutcome(
        run_id,
        str(record.kind),
        record.id,
        record.name or "",
        updated=updated,
        interfaces=interfaces,
        opened=_slots(d for d in mine if d.action is DiscrepancyAction.OPEN),
        standing=_standing(record, observations[0], mine, snapshot),
        settled=_slots(d for d in mine if d.action is DiscrepancyAction.RESOLVE),
        observed=observed,
    )
    outcome.changed = bool(
        updated or interfaces or outcome.opened or outcome.settled or _revised(mine)
    )
    return outcome


def _standing(
    record: KnownRecord,
    observation: Observation,
    mine: Sequence[DiscrepancyChange],
    snapshot: Snapshot,
) -> list[str]:
    """Unsettled discrepancies on what the facts state that stay: revised, or left alone."""
    planned = {d.field for d in mine}
    held = [
        f"{d.kind}:{d.field}"
        for d in snapshot.discrepancies
        if (d.record_kind, d.record_id) == (record.kind, record.id)
        and d.kind in PLANNED_KINDS
        and d.field in observation.stated
        and d.field not in planned
    ]
    return _ordered(held + _revised(mine))


def _revised(mine: Sequence[DiscrepancyChange]) -> list[str]:
    return _slots(d for d in mine if d.action is DiscrepancyAction.REVISE)


def _slots(changes: Iterable[DiscrepancyChange]) -> list[str]:
    return _ordered([f"{d.kind}:{d.field}" for d in changes])


def _ordered(slots: list[str]) -> list[str]:
    def rank(slot: str) -> tuple[int, str]:
        name = slot.split(":", 1)[1]
        return (FIELD_ORDER.index(name) if name in FIELD_ORDER else len(FIELD_ORDER), name)

    return sorted(slots, key=rank)
