"""The one writer of discovery: a plan becomes rows, change log, record sources, observations
and discrepancies — in the caller's transaction (it flushes, never commits).

Nothing is deleted: "not seen since" is the source's mark that no longer moves, so
``NotSeen`` writes nothing; refused observations write nothing either (the run's
results say why). An observation is stored only when it says something new: a record
whose source says what that source's latest observation of it said gets no row (the
mark's "last seen" still moves), so a run repeated over an unchanged source adds
nothing but times. Every write goes through ``cmdb.services`` (``log_change``,
``mark_seen``, ``raise_discrepancy``/``settle_discrepancy``), the same as every other
write path, so the change log names the acting job and the session's user.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Source
from cmdb.models import Device, DiscoveryRun, Observation, RecordSource
from cmdb.services.discrepancies import raise_discrepancy, settle_discrepancy
from cmdb.services.provenance import jsonable, log_change, mark_seen
from discovery.core.observations import Facts, RecordKind
from discovery.core.plan import (
    Create,
    DiscrepancyAction,
    DiscrepancyChange,
    Plan,
    Ref,
    Seen,
    Update,
)
from discovery.core.snapshot import CHUNK, Row
from discovery.core.snapshot import MODELS as MODELS  # kept here too: adapters import it

PARENT_COLUMN: Mapping[RecordKind, str] = {RecordKind.INTERFACE: "device_id"}
MAX_NAME = 100  # the device name column
# The change log's actor of each source's jobs (what the existing writers wrote).
ACTORS: Mapping[Source, str] = {
    Source.SNMP: "snmp-discovery",
    Source.NETBOX: "netbox-sync",
    Source.ANSIBLE: "ansible-facts",
}


@dataclass(frozen=True)
class Applied:
    """What the writer did: every planned record's row id (new ones included), and the
    records whose observation it stored (the others said nothing new)."""

    ids: Mapping[Ref, int]
    observations: int
    observed: frozenset[Ref] = frozenset()


def apply_plan(session: Session, plan: Plan, run: DiscoveryRun) -> Applied:
    """Write ``plan`` (see the module docstring); ``run`` owns the observations.

    Known records are loaded only to be changed (or marked by a source for the first
    time): a record merely seen again moves its mark's "last seen" in bulk, by id, so
    a sync that finds 20,000 records unchanged costs a few statements."""
    actor = ACTORS.get(plan.source, str(plan.source))
    rows = _create(session, plan.creates)
    touched = [u.ref for u in plan.updates] + [s.ref for s in plan.seen if s.new_mark]
    rows |= _load(session, touched, rows)
    for update in plan.updates:
        _update(session, rows, update)
    session.flush()
    for create in plan.creates:
        _log(session, actor, ChangeAction.CREATE, rows[create.ref], None, create.values)
    for update in plan.updates:
        row = rows[update.ref]
        before = {c.field: c.before for c in update.changes}
        after = {c.field: c.after for c in update.changes}
        for column in update.pending:  # now names a record this plan created
            before[column], after[column] = None, getattr(row, column)
        _log(session, actor, ChangeAction.UPDATE, row, before, after)
    _mark(session, plan.seen, rows)
    written = _observe(session, run, plan.seen, rows)
    _discrepancies(session, plan, rows)
    session.flush()
    known = [*touched, *(s.ref for s in plan.seen)]
    ids = {ref: ref.id for ref in known if ref.id is not None}
    ids |= {ref: row.id for ref, row in rows.items()}
    return Applied(ids, len(written), written)


def _create(session: Session, creates: Sequence[Create]) -> dict[Ref, Row]:
    """In the plan's order (what a record names is planned before it); a record that
    names one created here waits for its id (a flush, only then)."""
    rows: dict[Ref, Row] = {}
    taken = _device_names(session, creates)
    for create in creates:
        model = MODELS[create.ref.kind]
        values = {name: _column(model, name, value) for name, value in create.values.items()}
        if create.ref.kind is RecordKind.DEVICE:
            values["name"] = _unique_name(values, create.ref.new or "", taken)
        named = dict(create.pending)
        if create.parent is not None:
            named[PARENT_COLUMN[create.ref.kind]] = create.parent
        values |= _ids(session, named, rows)
        row = model(**values)
        session.add(row)
        rows[create.ref] = row
    return rows


def _ids(session: Session, named: Mapping[str, Ref], rows: Mapping[Ref, Row]) -> dict[str, int]:
    """The ids of the records ``named`` by column: known, or created (flushed if need be)."""
    if any(ref.id is None and rows[ref].id is None for ref in named.values()):
        session.flush()
    return {column: ref.id or rows[ref].id for column, ref in named.items()}


def _device_names(session: Session, creates: Sequence[Create]) -> set[tuple[object, str]]:
    """(site, lower-case name) of the devices in the sites new devices go to."""
    sites = {c.values.get("site_id") for c in creates if c.ref.kind is RecordKind.DEVICE}
    if not sites:
        return set()
    rows = session.execute(
        sa.select(Device.site_id, sa.func.lower(Device.name)).where(Device.site_id.in_(sites))
    )
    return {(site, name) for site, name in rows}


def _unique_name(values: dict[str, Any], label: str, taken: set[tuple[object, str]]) -> Any:
    """A device's name is unique in its site: a new device named as another gets the
    address it answered at appended (``sw1-10.0.0.2``), as SNMP discovery always did;
    the source's own word stays ``sw1`` (its observation), which identity honours."""
    name, site = values.get("name"), values.get("site_id")
    if not isinstance(name, str):
        return name
    where = str(values.get("management_address") or label)
    candidate, n = name, 1
    while (site, candidate.lower()) in taken:
        n += 1
        candidate = (f"{name}-{where}" if n == 2 else f"{name}-{where}-{n - 1}")[:MAX_NAME]
    taken.add((site, candidate.lower()))
    return candidate


def _load(session: Session, refs: Sequence[Ref], rows: Mapping[Ref, Row]) -> dict[Ref, Row]:
    """The known rows the plan changes, a query per kind and chunk of ids."""
    wanted: dict[RecordKind, set[int]] = {}
    for ref in refs:
        if ref.id is not None and ref not in rows:
            wanted.setdefault(ref.kind, set()).add(ref.id)
    loaded: dict[Ref, Row] = {}
    for kind, ids in wanted.items():
        model = MODELS[kind]
        for chunk in _chunks(sorted(ids)):
            # mypy joins the mapped classes to Base; each row is one of them
            stmt = sa.select(model).where(model.id.in_(chunk))
            found = cast("Sequence[Row]", session.scalars(stmt).all())
            loaded.update({Ref(kind, row.id): row for row in found})
    return loaded


def _chunks(ids: Sequence[int]) -> list[Sequence[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _update(session: Session, rows: Mapping[Ref, Row], update: Update) -> None:
    row = rows[update.ref]
    for change in update.changes:
        setattr(row, change.field, _column(type(row), change.field, change.after))
    for column, value in _ids(session, update.pending, rows).items():
        setattr(row, column, value)


def _column(model: type[Row], name: str, value: object) -> Any:
    """A fact as its column holds it: choices as their enum, lists for JSON lists."""
    column = model.__table__.c[name]
    enum_class = getattr(column.type, "enum_class", None)
    if value is not None and isinstance(enum_class, type) and issubclass(enum_class, enum.Enum):
        return enum_class(value)
    return list(value) if isinstance(value, tuple) else value


def _log(
    session: Session,
    actor: str,
    action: ChangeAction,
    row: Row,
    before: Facts | None,
    after: Facts,
) -> None:
    log_change(
        session,
        actor=actor,
        action=action,
        obj=row,
        object_repr=str(row.name),
        before=_json(before) if before is not None else None,
        after=_json(after),
    )


def _json(facts: Facts) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else jsonable(v) for k, v in facts.items()}


def _mark(session: Session, seen: Sequence[Seen], rows: Mapping[Ref, Row]) -> None:
    """One ``RecordSource`` per record and source: its id there and "last seen". A new
    mark (or a new id) goes through ``mark_seen``; a mark seen again moves in bulk."""
    groups: dict[tuple[RecordKind, Source, datetime], list[Seen]] = {}
    again: dict[tuple[RecordKind, Source, datetime], list[int]] = {}
    for mark in seen:
        key = (mark.ref.kind, mark.source, mark.at)
        if mark.new_mark or mark.ref.id is None:
            groups.setdefault(key, []).append(mark)
        else:
            again.setdefault(key, []).append(mark.ref.id)
    for (_, source, at), marks in groups.items():
        objects = [rows[m.ref] for m in marks]
        mark_seen(session, objects, source, _external_ids(marks, rows), at)
    for (kind, source, at), ids in again.items():
        for chunk in _chunks(sorted(ids)):
            session.execute(
                sa.update(RecordSource)
                .where(
                    RecordSource.object_type == str(kind),
                    RecordSource.source == source,
                    RecordSource.object_id.in_(chunk),
                )
                .values(last_seen_at=at, deleted_at=None)  # seen again: not deleted there
                .execution_options(synchronize_session=False)
            )


def _external_ids(marks: Sequence[Seen], rows: Mapping[Ref, Row]) -> Callable[[Row], str | None]:
    external = {id(rows[m.ref]): m.source_id for m in marks}
    return lambda row: external[id(row)]


def _observe(
    session: Session, run: DiscoveryRun, seen: Sequence[Seen], rows: Mapping[Ref, Row]
) -> frozenset[Ref]:
    """What the source said of each record, in the one shape the audit reads — unless it
    said the same in its latest observation of the record (or keeps no row of it)."""
    kept = [mark for mark in seen if mark.row]
    said = _latest_said(session, kept, rows)
    values, written = [], set()
    for mark in kept:
        document = _document(mark)
        object_id = _id(mark.ref, rows)
        if said.get((mark.ref.kind, mark.source, object_id)) == _plain(document):
            continue
        written.add(mark.ref)
        values.append(
            {
                "run_id": run.id,
                "object_type": str(mark.ref.kind),
                "object_id": object_id,
                "external_id": mark.source_id[:200] if mark.source_id else None,
                "data": {**document, "matched_by": mark.matched_by},
                "observed_at": mark.at,
            }
        )
    if values:
        session.execute(sa.insert(Observation), values)
    return frozenset(written)


def _document(mark: Seen) -> dict[str, Any]:
    """An observation's data: the facts it stated (and reported), then its details."""
    return {**mark.details, "fields": _json({**mark.reported, **mark.stated})}


def _plain(document: Mapping[str, Any]) -> Any:
    """A document as the JSON column gives it back (lists, not tuples), to compare."""
    return json.loads(json.dumps(document, default=str))


def _latest_said(
    session: Session, seen: Sequence[Seen], rows: Mapping[Ref, Row]
) -> dict[tuple[RecordKind, Source, int], Any]:
    """The data (without ``matched_by``) of each source's latest observation of the seen
    records: one statement per kind, source and chunk of ids."""
    wanted: dict[tuple[RecordKind, Source], set[int]] = {}
    for mark in seen:
        if mark.ref.id is not None:  # a record created now has no observation yet
            wanted.setdefault((mark.ref.kind, mark.source), set()).add(mark.ref.id)
    said: dict[tuple[RecordKind, Source, int], Any] = {}
    for (kind, source), ids in wanted.items():
        for chunk in _chunks(sorted(ids)):
            latest = (
                sa.select(sa.func.max(Observation.id))
                .join(DiscoveryRun, DiscoveryRun.id == Observation.run_id)
                .where(
                    DiscoveryRun.source == source,
                    Observation.object_type == str(kind),
                    Observation.object_id.in_(chunk),
                )
                .group_by(Observation.object_id)
            )
            found = session.execute(
                sa.select(Observation.object_id, Observation.data).where(Observation.id.in_(latest))
            )
            for object_id, data in found:
                if isinstance(data, Mapping):
                    rest = {k: v for k, v in data.items() if k != "matched_by"}
                    said[(kind, source, object_id)] = rest
    return said


def _discrepancies(session: Session, plan: Plan, rows: Mapping[Ref, Row]) -> None:
    for change in plan.discrepancies:
        _discrepancy(session, change, _id(change.ref, rows), None)


def apply_discrepancies(
    session: Session, changes: Sequence[DiscrepancyChange], at: datetime | None = None
) -> None:
    """Write discrepancy changes on known records (the audit's), as ``apply_plan`` does."""
    for change in changes:
        assert change.ref.id is not None  # the audit judges records that exist
        _discrepancy(session, change, change.ref.id, at)
    session.flush()


def _discrepancy(
    session: Session, change: DiscrepancyChange, object_id: int, at: datetime | None
) -> None:
    kind, object_type, field = change.kind, str(change.ref.kind), change.field
    if change.action is DiscrepancyAction.RESOLVE:
        settle_discrepancy(
            session, kind=kind, object_type=object_type, object_id=object_id, field=field, at=at
        )
    else:  # open, revise (new values reopen an acknowledged one) or confirm
        raise_discrepancy(
            session,
            kind=kind,
            object_type=object_type,
            object_id=object_id,
            field=field,
            values=_json_values(change.values),
            at=at,
        )


def _json_values(values: Mapping[str, object]) -> dict[str, Any]:
    """A discrepancy's values as stored: lists for tuples, mappings kept as mappings."""
    return {
        k: _json_values(v)
        if isinstance(v, Mapping)
        else list(v)
        if isinstance(v, tuple)
        else jsonable(v)
        for k, v in values.items()
    }


def _id(ref: Ref, rows: Mapping[Ref, Row]) -> int:
    return ref.id if ref.id is not None else rows[ref].id
