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
from cmdb.models import Device, DiscoveryRun, Interface, Observation, Workload
from cmdb.services.discrepancies import raise_discrepancy, settle_discrepancy
from cmdb.services.provenance import jsonable, log_change, mark_seen
from discovery.core.observations import Facts, RecordKind
from discovery.core.plan import Create, DiscrepancyAction, Plan, Ref, Seen, Update

Row = Device | Interface | Workload
MODELS: Mapping[RecordKind, type[Row]] = {
    RecordKind.DEVICE: Device,
    RecordKind.INTERFACE: Interface,
    RecordKind.WORKLOAD: Workload,
}
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
    """Write ``plan`` (see the module docstring); ``run`` owns the observations."""
    actor = ACTORS.get(plan.source, str(plan.source))
    rows = _create(session, plan.creates)
    rows |= _load(session, [u.ref for u in plan.updates] + [s.ref for s in plan.seen], rows)
    for update in plan.updates:
        _update(rows[update.ref], update)
    session.flush()
    for create in plan.creates:
        _log(session, actor, ChangeAction.CREATE, rows[create.ref], None, create.values)
    for update in plan.updates:
        before = {c.field: c.before for c in update.changes}
        after = {c.field: c.after for c in update.changes}
        _log(session, actor, ChangeAction.UPDATE, rows[update.ref], before, after)
    _mark(session, plan.seen, rows)
    written = _observe(session, run, plan.seen, rows)
    _discrepancies(session, plan, rows)
    session.flush()
    return Applied({ref: row.id for ref, row in rows.items()}, len(written), written)


def _create(session: Session, creates: Sequence[Create]) -> dict[Ref, Row]:
    """Hosts first, flushed, then their parts (which need the host's id)."""
    rows: dict[Ref, Row] = {}
    taken = _device_names(session, creates)
    flushed = False
    for create in sorted(creates, key=lambda c: c.parent is not None):
        model = MODELS[create.ref.kind]
        values = {name: _column(model, name, value) for name, value in create.values.items()}
        if create.ref.kind is RecordKind.DEVICE:
            values["name"] = _unique_name(values, create.ref.new or "", taken)
        if create.parent is not None:
            if not flushed:  # once, after the hosts: their parts need their ids
                session.flush()
                flushed = True
            parent = create.parent.id  # a known host, else one created above
            values[PARENT_COLUMN[create.ref.kind]] = parent or rows[create.parent].id
        row = model(**values)
        session.add(row)
        rows[create.ref] = row
    return rows


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
    """The known rows the plan touches, one query per kind."""
    wanted: dict[RecordKind, set[int]] = {}
    for ref in refs:
        if ref.id is not None and ref not in rows:
            wanted.setdefault(ref.kind, set()).add(ref.id)
    loaded: dict[Ref, Row] = {}
    for kind, ids in wanted.items():
        model = MODELS[kind]
        # mypy joins the three mapped classes to Base; each row is one of them
        found = cast(
            "Sequence[Row]", session.scalars(sa.select(model).where(model.id.in_(ids))).all()
        )
        loaded.update({Ref(kind, row.id): row for row in found})
    return loaded


def _update(row: Row, update: Update) -> None:
    for change in update.changes:
        setattr(row, change.field, _column(type(row), change.field, change.after))


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
        object_repr=row.name,
        before=_json(before) if before is not None else None,
        after=_json(after),
    )


def _json(facts: Facts) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else jsonable(v) for k, v in facts.items()}


def _mark(session: Session, seen: Sequence[Seen], rows: Mapping[Ref, Row]) -> None:
    """One ``RecordSource`` per record and source: its id there and "last seen"."""
    groups: dict[tuple[RecordKind, Source, datetime], list[Seen]] = {}
    for mark in seen:
        groups.setdefault((mark.ref.kind, mark.source, mark.at), []).append(mark)
    for (_, source, at), marks in groups.items():
        objects = [rows[m.ref] for m in marks]
        mark_seen(session, objects, source, _external_ids(marks, rows), at)


def _external_ids(marks: Sequence[Seen], rows: Mapping[Ref, Row]) -> Callable[[Row], str | None]:
    external = {id(rows[m.ref]): m.source_id for m in marks}
    return lambda row: external[id(row)]


def _observe(
    session: Session, run: DiscoveryRun, seen: Sequence[Seen], rows: Mapping[Ref, Row]
) -> frozenset[Ref]:
    """What the source said of each record, in the one shape the audit reads — unless it
    said the same in its latest observation of the record."""
    said = _latest_said(session, seen, rows)
    values, written = [], set()
    for mark in seen:
        document = _document(mark)
        if said.get((mark.ref.kind, mark.source, rows[mark.ref].id)) == _plain(document):
            continue
        written.add(mark.ref)
        values.append(
            {
                "run_id": run.id,
                "object_type": str(mark.ref.kind),
                "object_id": rows[mark.ref].id,
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
    records: one statement per kind and source."""
    wanted: dict[tuple[RecordKind, Source], set[int]] = {}
    for mark in seen:
        if mark.ref.id is not None:  # a record created now has no observation yet
            wanted.setdefault((mark.ref.kind, mark.source), set()).add(rows[mark.ref].id)
    said: dict[tuple[RecordKind, Source, int], Any] = {}
    for (kind, source), ids in wanted.items():
        latest = (
            sa.select(sa.func.max(Observation.id))
            .join(DiscoveryRun, DiscoveryRun.id == Observation.run_id)
            .where(
                DiscoveryRun.source == source,
                Observation.object_type == str(kind),
                Observation.object_id.in_(ids),
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
        kind, object_type = change.kind, str(change.ref.kind)
        object_id, field = rows[change.ref].id, change.field
        if change.action is DiscrepancyAction.RESOLVE:
            settle_discrepancy(
                session, kind=kind, object_type=object_type, object_id=object_id, field=field
            )
        else:  # open, or revise: new values reopen an acknowledged one
            raise_discrepancy(
                session,
                kind=kind,
                object_type=object_type,
                object_id=object_id,
                field=field,
                values=_json(change.values),
            )
