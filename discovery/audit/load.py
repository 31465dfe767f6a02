"""The database → each record's view for the audit, in a fixed number of queries.

Seven statements whatever the size of the inventory: devices, interfaces, links,
record sources, the latest observation per record and source, people's edits and
the latest full NetBox sync that completed. Never one query per record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import DiscrepancyKind, RunKind, Source
from cmdb.models import Device, Discrepancy, Interface, Link, RecordSource
from discovery.audit.compare import MISMATCH_FIELDS
from discovery.audit.records import (
    DEVICE,
    INTERFACE,
    LINK,
    OBJECT_TYPES,
    AuditContext,
    Held,
    RecordView,
    Seen,
)
from discovery.core.lifecycle import last_completed_run
from discovery.core.snapshot import (
    load_latest_observations,
    load_person_values,
    load_unsettled_rows,
)

# A NetBox sync's failures name their kind as the sync counts it.
OBSERVED_AS = {"devices": DEVICE, "interfaces": INTERFACE, "links": LINK}

Key = tuple[str, int]


def load_views(session: Session) -> list[RecordView]:
    """Every device, interface and link with what each source said of it."""
    seen = load_seen(session)
    observed = load_observed(session)
    manual = load_manual(session)

    def view(object_type: str, object_id: int, record: dict[str, Any], **kw: Any) -> RecordView:
        key = (object_type, object_id)
        return RecordView(
            object_type=object_type,
            object_id=object_id,
            record=record,
            observed=observed.get(key, {}),
            seen=seen.get(key, {}),
            manual=_still_current(manual.get(key, {}), record),
            **kw,
        )

    devices = session.execute(
        sa.select(
            Device.id,
            Device.name,
            Device.status,
            Device.management_address,
            Device.serial,
            Device.model,
            Device.manufacturer,
        )
    ).mappings()
    views = [view(DEVICE, row["id"], _plain(row)) for row in devices]
    speeds: dict[int, int | None] = {}
    interfaces = session.execute(
        sa.select(
            Interface.id,
            Interface.device_id,
            Interface.name,
            Interface.speed_mbps,
            Interface.mac_address,
        )
    ).mappings()
    for row in interfaces:
        speeds[row["id"]] = row["speed_mbps"]
        views.append(view(INTERFACE, row["id"], _plain(row), parent_id=row["device_id"]))
    links = session.execute(
        sa.select(
            Link.id,
            Link.name,
            Link.status,
            Link.commit_rate_mbps,
            Link.port_speed_mbps,
            Link.a_interface_id,
            Link.b_interface_id,
        )
    ).mappings()
    for row in links:
        ends = [i for i in (row["a_interface_id"], row["b_interface_id"]) if i is not None]
        record = _plain(row) | {
            "a_speed_mbps": speeds.get(row["a_interface_id"]),
            "b_speed_mbps": speeds.get(row["b_interface_id"]),
            "ends_seen_by_snmp": bool(ends)
            and all(Source.SNMP.value in seen.get((INTERFACE, i), {}) for i in ends),
        }
        views.append(view(LINK, row["id"], record))
    return views


def load_context(session: Session, now: datetime) -> AuditContext:
    """What NetBox's syncs read (``AuditContext``): the latest full sync that completed."""
    run = last_completed_run(session, Source.NETBOX, RunKind.SYNC, whole=True)
    if run is None:
        return AuditContext(now=now, netbox_synced_at=None)
    unmapped = frozenset(
        (OBSERVED_AS[f["kind"]], str(f["external_id"]))
        for f in (run.stats or {}).get("failures", [])
        if f.get("kind") in OBSERVED_AS
    )
    return AuditContext(now, _aware(run.started_at), unmapped)


def load_unsettled(session: Session, kinds: Iterable[DiscrepancyKind]) -> list[Held]:
    """The unsettled discrepancies of these kinds, with their values as stored."""
    rows = load_unsettled_rows(session, Discrepancy.kind.in_(tuple(kinds)))
    return [Held(*row) for row in rows]


def load_seen(session: Session) -> dict[Key, dict[str, Seen]]:
    rows = session.execute(
        sa.select(
            RecordSource.object_type,
            RecordSource.object_id,
            RecordSource.source,
            RecordSource.first_seen_at,
            RecordSource.last_seen_at,
            RecordSource.external_id,
        ).where(RecordSource.object_type.in_(OBJECT_TYPES))
    )
    out: dict[Key, dict[str, Seen]] = defaultdict(dict)
    for object_type, object_id, source, first, last, external in rows:
        out[(object_type, object_id)][source.value] = Seen(_utc(first), _utc(last), external)
    return out


def load_observed(session: Session) -> dict[Key, dict[str, dict[str, Any]]]:
    """The latest observation of each record by each source, as canonical fields."""
    out: dict[Key, dict[str, dict[str, Any]]] = defaultdict(dict)
    for object_type, object_id, source, data in load_latest_observations(session, OBJECT_TYPES):
        out[(object_type, object_id)][source.value] = observed_fields(source, data or {})
    return out


def observed_fields(source: Source, data: Mapping[str, Any]) -> dict[str, Any]:
    """An observation's fields by canonical name: the contract's ``fields``, or SNMP's shape."""
    if isinstance(data.get("fields"), Mapping):
        return dict(data["fields"])
    if source is not Source.SNMP:
        return {}
    system, chassis = data.get("system") or {}, data.get("chassis") or {}
    return {
        "name": system.get("name"),
        "serial": chassis.get("serial"),
        "model": chassis.get("model"),
        "manufacturer": chassis.get("manufacturer"),
    }


def load_manual(session: Session) -> dict[Key, dict[str, Any]]:
    """The last value a person (a user, not a job) gave each audited field, oldest first."""
    audited = {t: set(fields) for t, fields in MISMATCH_FIELDS.items()}
    out: dict[Key, dict[str, Any]] = defaultdict(dict)
    for key, values in load_person_values(session, OBJECT_TYPES).items():
        kept = {f: v for f, v in values.items() if f in audited[key[0]]}
        if kept:
            out[key] = kept
    return out


def _still_current(manual: Mapping[str, Any], record: Mapping[str, Any]) -> dict[str, Any]:
    """A person's value counts while the record holds it; a later import overwrote it."""
    return {f: v for f, v in manual.items() if v is not None and record.get(f) == v}


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {k: getattr(v, "value", v) for k, v in row.items()}


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def _aware(at: datetime | None) -> datetime | None:
    """SQLite gives naive datetimes back; every time here is UTC."""
    if at is None or at.tzinfo is not None:
        return at
    return at.replace(tzinfo=UTC)
