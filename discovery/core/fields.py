"""Who wins a field, and when sources disagree (DESIGN.md §5), for one observed record.

For a value a source states of a field the record holds:

- the same value (``compare.same``): nothing changes;
- the record has none: the source fills it;
- the source *declares* it (it is the authority: NetBox's site, role, status): it wins;
- the source reads it off the device (SNMP, Ansible) and it is technical
  (``FOLLOWS_THE_DEVICE``: firmware, sysObjectID, MACs, addresses): it follows;
- only this source ever said the record's value, or the record is a documenting
  source's alone (NetBox's: no other source's mark, no person's word): the source
  changed its word, it wins;
- otherwise the record keeps its preferred value.

Then, whatever the record now holds, a discrepancy is wanted when any source's value
(this one's and each other source's latest, a person's included) differs from it;
the discrepancy holds them all under their source's name and the record's under
``record`` (``field_values``, ``disagree``). An unsettled discrepancy with the same
values is left alone, so an acknowledgement stands until the values change; one whose
sources all agree again is resolved — only ever for a field this run stated, so a run
never settles what it did not read.

This is the one mismatch rule: every adapter's plan gets its discrepancies here, and
the audit, which reads no source itself, asks ``standing_values`` of the sources'
latest words as they stand — the same values, so the two never revise each other's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cmdb.choices import DiscrepancyKind, Source
from discovery.core.compare import same, same_values
from discovery.core.known import KnownDiscrepancy, KnownRecord, Slot
from discovery.core.observations import Facts, FactValue, Observation, RecordKind
from discovery.core.plan import Change, DiscrepancyAction, DiscrepancyChange, Ref

RECORD = "record"  # the record's own value, in a discrepancy's values
OBSERVING_SOURCES = frozenset({Source.SNMP, Source.ANSIBLE})
FOLLOWS_THE_DEVICE: Mapping[RecordKind, frozenset[str]] = {
    RecordKind.DEVICE: frozenset(
        {
            "firmware",
            "sys_object_id",
            "chassis_id",
            "management_address",
            "sys_location",
            "sys_contact",
        }
    ),
    RecordKind.WORKLOAD: frozenset({"management_address"}),
    RecordKind.INTERFACE: frozenset(
        {"name", "if_index", "if_type", "description", "mac_address", "ip_addresses", "enabled"}
    ),
}
# Sizes of hosts and VMs are what capacity plans on: their disagreements have kinds of
# their own, so a planner can filter them apart from naming mismatches.
SIZING: Mapping[tuple[RecordKind, str], DiscrepancyKind] = {
    (RecordKind.DEVICE, "cores"): DiscrepancyKind.HOST_SIZING,
    (RecordKind.DEVICE, "ram_gb"): DiscrepancyKind.HOST_SIZING,
    (RecordKind.WORKLOAD, "vcpu"): DiscrepancyKind.VM_SIZING,
    (RecordKind.WORKLOAD, "ram_gb"): DiscrepancyKind.VM_SIZING,
}
# The kinds the planner opens and settles; the audit owns presence and speed findings.
PLANNED_KINDS = frozenset({DiscrepancyKind.MISMATCH, *SIZING.values()})


def discrepancy_kind(kind: RecordKind, field: str) -> DiscrepancyKind:
    return SIZING.get((kind, field), DiscrepancyKind.MISMATCH)


@dataclass(frozen=True)
class FieldPlan:
    change: Change | None = None
    discrepancy: DiscrepancyChange | None = None


def plan_field(
    record: KnownRecord,
    obs: Observation,
    field: str,
    held: Mapping[Slot, KnownDiscrepancy],
) -> FieldPlan:
    """The change and the discrepancy change one stated field calls for."""
    stated = obs.stated[field]
    current = record.values.get(field)
    kept = _kept(record, obs, field, current, stated)
    change = None if kept else Change(field, current, stated)
    now = current if kept else stated
    values = field_values(field, now, record.said, obs.source, stated)
    return FieldPlan(change, _settled(record, field, values, held))


def _settled(
    record: KnownRecord, field: str, values: Facts, held: Mapping[Slot, KnownDiscrepancy]
) -> DiscrepancyChange | None:
    """What ``values`` do to the field's unsettled discrepancy: open, revise, resolve or
    nothing (the same disagreement stands, acknowledged or not)."""
    dkind = discrepancy_kind(record.kind, field)
    wanted = disagree(record.kind, field, values)
    slot = held.get((dkind, record.kind, record.id, field))
    if wanted and slot is None:
        action = DiscrepancyAction.OPEN
    elif wanted and slot is not None and not same_values(record.kind, field, slot.values, values):
        action = DiscrepancyAction.REVISE
    elif not wanted and slot is not None:
        action = DiscrepancyAction.RESOLVE
    else:
        return None
    return DiscrepancyChange(action, dkind, Ref(record.kind, record.id), field, values)


def _kept(
    record: KnownRecord, obs: Observation, field: str, current: FactValue, stated: FactValue
) -> bool:
    """Whether the record keeps ``current`` (see the module docstring's order)."""
    if same(record.kind, field, current, stated):
        return True  # a declared None included: the record has none either
    if current is None:
        return False
    if field in obs.declared:
        return False
    if obs.source in OBSERVING_SOURCES and field in FOLLOWS_THE_DEVICE.get(record.kind, ()):
        return False
    return not (
        _sole_source(record, obs.source) or _only_own_word(record, obs.source, field, current)
    )


def _sole_source(record: KnownRecord, source: Source) -> bool:
    """A documenting source (not one that reads the device) has a mark on the record and
    nobody else has a word on it: the record is its documentation of the object."""
    if source in OBSERVING_SOURCES or record.mark(source) is None:
        return False
    return record.sources <= {source}


def _only_own_word(record: KnownRecord, source: Source, field: str, current: FactValue) -> bool:
    own = record.said.get(source, {}).get(field)
    if own is None or not same(record.kind, field, current, own):
        return False
    return not any(
        same(record.kind, field, current, facts[field])
        for other, facts in record.said.items()
        if other != source and facts.get(field) is not None
    )


def field_values(
    field: str,
    now: FactValue,
    said: Mapping[Source, Facts],
    source: Source | None = None,
    stated: FactValue = None,
) -> Facts:
    """A discrepancy's values: the record's (``now``) under ``record``, every other
    source's latest word that says something, and ``source``'s ``stated`` (a declared
    None included) when a run plans the field."""
    values: dict[str, FactValue] = {RECORD: now}
    for other, facts in sorted(said.items()):
        if other != source and facts.get(field) is not None:
            values[str(other)] = facts[field]
    if source is not None:
        values[str(source)] = stated
    return values


def disagree(kind: RecordKind, field: str, values: Facts) -> bool:
    """Whether any source's value differs from the record's (``compare.same``)."""
    now = values.get(RECORD)
    return any(not same(kind, field, now, v) for k, v in values.items() if k != RECORD)


def standing_values(record: KnownRecord, field: str) -> Facts | None:
    """The mismatch the sources' latest words (``record.said``) call for as they stand,
    with no run planning the field: its values, or None when every source agrees."""
    values = field_values(field, record.values.get(field), record.said)
    return values if disagree(record.kind, field, values) else None
