"""The inventory as the planner sees it, read from the database: the one snapshot loader.

Like ``writer``, this module reaches the database; everything else in the core is
pure. It reads a fixed number of statements whatever the size of the inventory (a
NetBox sync plans 2,000 devices with 20,000 interfaces): one per table of records,
one for the record sources, one for each source's latest observation, one for what
people set, one for the unsettled discrepancies — never one per record. Rows are
read as plain tuples, not ORM objects, so loading costs what the rows cost.

- ``address``: where the record answers. SNMP's mark keeps its agent's ``host:port``
  (what the last discovery found there, the port included: test agents share
  127.0.0.1); without one, the record's ``management_address`` (any port).
- ``said``: each source's latest observation's fields (the one shape the writer
  stores, and SNMP's older shape: system name, chassis serial, model, maker), and
  under ``manual`` what a person last set that the record still holds.
- JSON lists come back as tuples, choices as their values, dates as ISO text.

``load_records`` reads the same statements narrowed to given records (a fact-sync post
plans one host and its interfaces: reading a 10,000-host inventory whole for each post
cost seconds).
"""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import InstrumentedAttribute, Session

from cmdb.choices import ChangeAction, DiscrepancyKind, DiscrepancyStatus, Source
from cmdb.models import (
    AdminUnit,
    Agency,
    ChangeLog,
    Cluster,
    Device,
    DiscoveryRun,
    Discrepancy,
    InformationSystem,
    Interface,
    Link,
    Observation,
    Rack,
    RecordSource,
    Site,
    User,
    Workload,
)
from cmdb.services.discrepancies import UNSETTLED
from discovery.core.known import KnownDiscrepancy, KnownRecord, Snapshot, SourceMark
from discovery.core.needs import Needs
from discovery.core.observations import Endpoint, Facts, FactValue, RecordKind

ACKNOWLEDGED = DiscrepancyStatus.ACKNOWLEDGED
_PLAIN = frozenset({str, int, float, bool})
SNMP_PORT = 161  # a mark written without a port is SNMP's own port
# The tables a snapshot reads, with how each names its record and its host.
Row = (
    Device
    | Interface
    | Workload
    | AdminUnit
    | Agency
    | Site
    | Rack
    | Cluster
    | Link
    | InformationSystem
)
# The model of each kind (the writer writes them; this reads their tables).
MODELS: Mapping[RecordKind, type[Row]] = {
    RecordKind.DEVICE: Device,
    RecordKind.INTERFACE: Interface,
    RecordKind.WORKLOAD: Workload,
    RecordKind.SITE: Site,
    RecordKind.LINK: Link,
    RecordKind.ADMIN_UNIT: AdminUnit,
    RecordKind.AGENCY: Agency,
    RecordKind.RACK: Rack,
    RecordKind.CLUSTER: Cluster,
    RecordKind.INFORMATION_SYSTEM: InformationSystem,
}
PARENT: Mapping[RecordKind, str] = {RecordKind.INTERFACE: "device_id"}
DEFAULT_KINDS = (RecordKind.DEVICE, RecordKind.INTERFACE, RecordKind.SITE)
CHUNK = 500  # ids per IN (...): well under SQLite's and PostgreSQL's parameter limits
NAMED_AT_MOST = 5_000  # records read by id (``load_needed``); more: the kind is read whole

Key = tuple[str, int]
Scope = Mapping[RecordKind, "Collection[int] | None"]
"""The records to read, by kind: these ids, or None for every record of the kind."""


def load_snapshot(
    session: Session, kinds: Sequence[RecordKind] = DEFAULT_KINDS, words: bool = True
) -> Snapshot:
    """Every record of ``kinds`` with its marks and each source's word, and the unsettled
    discrepancies on them (see the module docstring). ``words=False``: records and marks
    only (what a poll needs to know which record answers where)."""
    return _load(session, dict.fromkeys(kinds), words)


def load_records(session: Session, scope: Scope, words: bool = True) -> Snapshot:
    """``load_snapshot`` of only the records ``scope`` names (the same statements, each
    narrowed to them): what planning a few known records needs."""
    return _load(session, scope, words)


def load_needed(session: Session, needs: Needs, source: Source) -> Snapshot:
    """``load_records`` of what a plan needs (``needs.needs_of``): the kinds it reads
    whole, and of the others the records ``source`` knows by the ids named."""
    scope: dict[RecordKind, Collection[int] | None] = dict.fromkeys(needs.whole)
    for kind, source_ids in needs.named.items():
        many = len(source_ids) > NAMED_AT_MOST  # one IN (...) of them all would be too long
        scope[kind] = None if many else _marked_ids(session, kind, source, sorted(source_ids))
    return _load(session, scope, True)


def _marked_ids(session: Session, kind: RecordKind, source: Source, ids: Sequence[str]) -> set[int]:
    """The records of ``kind`` that ``source`` knows by one of ``ids``."""
    found: set[int] = set()
    for start in range(0, len(ids), CHUNK):
        found.update(
            session.scalars(
                sa.select(RecordSource.object_id).where(
                    RecordSource.object_type == str(kind),
                    RecordSource.source == source,
                    RecordSource.external_id.in_(ids[start : start + CHUNK]),
                )
            )
        )
    return found


def _load(session: Session, scope: Scope, words: bool) -> Snapshot:
    kinds = list(scope)
    names = [str(k) for k in kinds]
    marks = _marks(session, scope)
    rows = {kind: _rows(session, kind, scope[kind]) for kind in kinds}
    said = _said(session, names, scope) if words else {}
    for key, manual in (_manual(session, names, rows, scope) if words else {}).items():
        said.setdefault(key, {})[Source.MANUAL] = manual
    records = tuple(
        _record(kind, row, marks.get((str(kind), _id(row)), ()), said.get((str(kind), _id(row))))
        for kind in kinds
        for row in rows[kind]
    )
    return Snapshot(records, _discrepancies(session, scope) if words else ())


def _in_scope(
    object_type: InstrumentedAttribute[str],
    object_id: InstrumentedAttribute[int] | InstrumentedAttribute[int | None],
    scope: Scope | None,
    names: Sequence[str] = (),
) -> sa.ColumnElement[bool]:
    """Rows about the records of ``scope`` (by their type and id columns); without one,
    about every record of the types ``names``."""
    if scope is None or all(ids is None for ids in scope.values()):
        return object_type.in_(list(names) if scope is None else [str(k) for k in scope])
    return sa.or_(
        *(
            (object_type == str(kind)) & (sa.true() if ids is None else object_id.in_(ids))
            for kind, ids in scope.items()
        )
    )


def _rows(
    session: Session, kind: RecordKind, ids: Collection[int] | None
) -> list[dict[str, FactValue]]:
    table = MODELS[kind].__table__
    stmt = sa.select(table).order_by(table.c.id)
    result = session.execute(stmt if ids is None else stmt.where(table.c.id.in_(ids)))
    return [{k: fact(v) for k, v in row.items()} for row in result.mappings()]


def _record(
    kind: RecordKind,
    values: dict[str, FactValue],
    marks: Sequence[SourceMark],
    said: Mapping[Source, Facts] | None,
) -> KnownRecord:
    name, serial = values.get("name"), values.get("serial")
    parent = values.get(PARENT[kind]) if kind in PARENT else None
    return KnownRecord(
        _id(values),
        kind,
        name=name if isinstance(name, str) else None,
        serial=serial if isinstance(serial, str) else None,
        address=_address(values, marks),
        parent_id=parent if isinstance(parent, int) else None,
        values=values,
        marks=tuple(marks),
        said=said or {},
    )


def _id(row: Mapping[str, FactValue]) -> int:
    record_id = row["id"]
    assert isinstance(record_id, int)  # every table's primary key
    return record_id


def _address(values: Mapping[str, FactValue], marks: Sequence[SourceMark]) -> Endpoint | None:
    snmp = next((m.source_id for m in marks if m.source == Source.SNMP and m.source_id), None)
    if snmp is not None and (endpoint := parse_endpoint(snmp, SNMP_PORT)) is not None:
        return endpoint
    address = values.get("management_address")
    return Endpoint(address.strip()) if isinstance(address, str) and address.strip() else None


def parse_endpoint(text: str, default_port: int | None = None) -> Endpoint | None:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 address → an endpoint."""
    text = text.strip()
    host, port = text, default_port
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port = int(rest[1:]) if rest.startswith(":") and rest[1:].isdigit() else default_port
    elif text.count(":") == 1:
        host, _, tail = text.partition(":")
        if not tail.isdigit():
            return None
        port = int(tail)
    return Endpoint(host, port) if host else None


def _marks(session: Session, scope: Scope) -> dict[Key, list[SourceMark]]:
    rows = session.execute(
        sa.select(
            RecordSource.object_type,
            RecordSource.object_id,
            RecordSource.source,
            RecordSource.external_id,
            RecordSource.last_seen_at,
        )
        .where(_in_scope(RecordSource.object_type, RecordSource.object_id, scope))
        .order_by(RecordSource.id)
    )
    out: dict[Key, list[SourceMark]] = {}
    for object_type, object_id, source, external_id, last_seen_at in rows:
        out.setdefault((object_type, object_id), []).append(
            SourceMark(source, external_id, _utc(last_seen_at))
        )
    return out


def _said(session: Session, names: Sequence[str], scope: Scope) -> dict[Key, dict[Source, Facts]]:
    """Each source's latest observation of each record, as facts."""
    out: dict[Key, dict[Source, Facts]] = {}
    for object_type, object_id, source, data in load_latest_observations(session, names, scope):
        fields = stored_fields(source, data if isinstance(data, Mapping) else {})
        if fields:
            out.setdefault((object_type, object_id), {})[source] = fields
    return out


def load_latest_observations(
    session: Session, names: Sequence[str], scope: Scope | None = None
) -> Iterable[tuple[str, int, Source, Any]]:
    """(object type, id, source, data) of each source's latest observation of each record
    of these types (of ``scope``'s records, when given): one statement, whatever the
    number of records."""
    about = _in_scope(Observation.object_type, Observation.object_id, scope, names)
    latest = (
        sa.select(sa.func.max(Observation.id).label("id"))
        .join(DiscoveryRun, DiscoveryRun.id == Observation.run_id)
        .where(about, Observation.object_id.is_not(None))
        .group_by(Observation.object_type, Observation.object_id, DiscoveryRun.source)
        .subquery()
    )
    rows = session.execute(
        sa.select(
            Observation.object_type, Observation.object_id, DiscoveryRun.source, Observation.data
        )
        .join(DiscoveryRun, DiscoveryRun.id == Observation.run_id)
        .where(Observation.id.in_(sa.select(latest.c.id)))
    )
    return [(t, i, Source(s), d) for t, i, s, d in rows]


def stored_fields(source: Source, data: Mapping[str, Any]) -> dict[str, FactValue]:
    """An observation's facts: the one shape's ``fields``, or SNMP's older shape."""
    if isinstance(data.get("fields"), Mapping):
        raw: Mapping[str, Any] = data["fields"]
    elif source is Source.SNMP:
        system, chassis = data.get("system") or {}, data.get("chassis") or {}
        raw = {
            "name": system.get("name"),
            "serial": chassis.get("serial"),
            "model": chassis.get("model"),
            "manufacturer": chassis.get("manufacturer"),
        }
    else:
        raw = {}
    return {k: fact(v) for k, v in raw.items() if v is not None}


def _manual(
    session: Session,
    names: Sequence[str],
    rows: Mapping[RecordKind, list[dict[str, FactValue]]],
    scope: Scope,
) -> dict[Key, dict[str, FactValue]]:
    """What a person last set of each field, while the record still holds it: a later
    import that overwrote it took the person's word away."""
    current = {(str(kind), _id(row)): row for kind, kind_rows in rows.items() for row in kind_rows}
    out: dict[Key, dict[str, FactValue]] = {}
    for key, values in load_person_values(session, names, scope).items():
        record = current.get(key)
        if record is None:
            continue
        held = {f: fact(v) for f, v in values.items() if v is not None}
        held = {f: v for f, v in held.items() if record.get(f) == v}
        if held:
            out[key] = held
    return out


def load_person_values(
    session: Session, names: Sequence[str], scope: Scope | None = None
) -> dict[Key, dict[str, Any]]:
    """The last value a person (a user, not a job) gave each field of each record of these
    types (of ``scope``'s records, when given), from the change log (oldest first, so the
    last word wins): one statement."""
    person = sa.or_(ChangeLog.user_id.is_not(None), ChangeLog.actor.in_(sa.select(User.username)))
    changes = session.execute(
        sa.select(ChangeLog.object_type, ChangeLog.object_id, ChangeLog.after)
        .where(
            _in_scope(ChangeLog.object_type, ChangeLog.object_id, scope, names),
            ChangeLog.action.in_((ChangeAction.CREATE, ChangeAction.UPDATE)),
            person,
        )
        .order_by(ChangeLog.at, ChangeLog.id)
    )
    last: dict[Key, dict[str, Any]] = {}
    for object_type, object_id, after in changes:
        if isinstance(after, Mapping):
            last.setdefault((object_type, object_id), {}).update(after)
    return last


def _discrepancies(session: Session, scope: Scope) -> tuple[KnownDiscrepancy, ...]:
    in_scope = _in_scope(Discrepancy.object_type, Discrepancy.object_id, scope)
    return tuple(
        KnownDiscrepancy(
            kind,
            RecordKind(object_type),
            object_id,
            field,
            {k: fact(v) for k, v in values.items()},
            acknowledged,
        )
        for kind, object_type, object_id, field, values, acknowledged in load_unsettled_rows(
            session, in_scope
        )
    )


UnsettledRow = tuple[DiscrepancyKind, str, int, str, dict[str, Any], bool]


def load_unsettled_rows(session: Session, *where: sa.ColumnElement[bool]) -> list[UnsettledRow]:
    """The unsettled (open or acknowledged) discrepancies matching ``where``: kind, object
    type and id, field, values as stored, acknowledged — in the order they were opened."""
    rows = session.execute(
        sa.select(
            Discrepancy.kind,
            Discrepancy.object_type,
            Discrepancy.object_id,
            Discrepancy.field,
            Discrepancy.values,
            Discrepancy.status,
        )
        .where(Discrepancy.status.in_(UNSETTLED), *where)
        .order_by(Discrepancy.id)
    )
    return [
        (DiscrepancyKind(k), t, i, f, dict(v or {}), DiscrepancyStatus(s) is ACKNOWLEDGED)
        for k, t, i, f, v, s in rows
    ]


def fact(value: object) -> FactValue:
    """A column's or a JSON document's value as a plain fact."""
    if value is None or type(value) in _PLAIN:  # most values: no conversion
        return value  # type: ignore[return-value]
    if isinstance(value, enum.Enum):
        return fact(value.value)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in _plain_items(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return None  # a JSON object: no fact the planner compares


def _plain_items(values: Iterable[object]) -> Iterable[object]:
    return (v for v in values if v is not None)


def _utc(at: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time here is UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)
