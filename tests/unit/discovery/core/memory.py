"""A plan applied to a snapshot in memory: what the writer does to the database, as plain
records, so the planner's idempotence is a unit test (plan, apply, plan again: empty).

Addresses follow the loader's rule: SNMP's mark keeps the agent's ``host:port``,
else the record's ``management_address``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from cmdb.choices import Source
from discovery.core.known import KnownDiscrepancy, KnownRecord, Snapshot, SourceMark
from discovery.core.observations import Endpoint, Facts, RecordKind
from discovery.core.plan import DiscrepancyAction, Plan, Ref


def apply_in_memory(snapshot: Snapshot, plan: Plan) -> Snapshot:
    records = {(r.kind, r.id): r for r in snapshot.records}
    ids = _new_ids(plan, max((r.id for r in snapshot.records), default=0))
    for create in plan.creates:
        key = ids[create.ref]
        parent = _id(create.parent, ids) if create.parent else None
        values = {**create.values, **{c: _id(r, ids) for c, r in create.pending.items()}}
        records[key] = KnownRecord(key[1], create.ref.kind, parent_id=parent, values=values)
    for update in plan.updates:
        key = _key(update.ref, ids)
        values = {**records[key].values, **{c.field: c.after for c in update.changes}}
        values |= {c: _id(r, ids) for c, r in update.pending.items()}
        records[key] = replace(records[key], values=values)
    for seen in plan.seen:
        key = _key(seen.ref, ids)
        record = records[key]
        marks = tuple(m for m in record.marks if m.source != seen.source)
        marks += (SourceMark(seen.source, seen.source_id, seen.at),)
        said = {**record.said, seen.source: dict(seen.stated)}
        records[key] = replace(record, marks=marks, said=said)
    records = {k: _identity_columns(r) for k, r in records.items()}
    return Snapshot(tuple(records.values()), _discrepancies(snapshot, plan, ids))


def _new_ids(plan: Plan, last: int) -> dict[Ref, tuple[RecordKind, int]]:
    return {c.ref: (c.ref.kind, last + n) for n, c in enumerate(plan.creates, start=1)}


def _key(ref: Ref, ids: dict[Ref, tuple[RecordKind, int]]) -> tuple[RecordKind, int]:
    return ids[ref] if ref.id is None else (ref.kind, ref.id)


def _id(ref: Ref, ids: dict[Ref, tuple[RecordKind, int]]) -> int:
    return _key(ref, ids)[1]


def _identity_columns(record: KnownRecord) -> KnownRecord:
    name, serial = record.values.get("name"), record.values.get("serial")
    return replace(
        record,
        name=name if isinstance(name, str) else None,
        serial=serial if isinstance(serial, str) else None,
        address=_address(record),
    )


def _address(record: KnownRecord) -> Endpoint | None:
    snmp = record.mark(Source.SNMP)
    if snmp is not None and snmp.source_id and ":" in snmp.source_id:
        host, port = snmp.source_id.rsplit(":", 1)
        return Endpoint(host.strip("[]"), int(port))
    address = record.values.get("management_address")
    return Endpoint(address) if isinstance(address, str) else None


def _discrepancies(
    snapshot: Snapshot, plan: Plan, ids: dict[Ref, tuple[RecordKind, int]]
) -> tuple[KnownDiscrepancy, ...]:
    held = {d.slot: d for d in snapshot.discrepancies}
    for change in plan.discrepancies:
        kind, record_id = _key(change.ref, ids)
        slot = (change.kind, kind, record_id, change.field)
        if change.action is DiscrepancyAction.RESOLVE:
            held.pop(slot)
            continue
        values: Facts = dict(change.values)
        held[slot] = KnownDiscrepancy(change.kind, kind, record_id, change.field, values)
    return tuple(held.values())


def at(day: int) -> datetime:
    """A moment of a test's story, one day apart."""
    return datetime(2026, 11, day, 3, 0, tzinfo=UTC)
