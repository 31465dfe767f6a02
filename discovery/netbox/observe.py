"""NetBox's mapped records → the core's observations and what the sync read (pure).

``mapping`` turns NetBox's JSON into ``NbRecord``s; here each becomes an
``Observation``: its NetBox id is the identity's ``source_id`` (with a device's
serial, address and name, a VM's address and name, an interface's device), the
records it names are ``refs``, and its facts are split as DESIGN §5 splits them.
NetBox *declares* names, places, roles, statuses and owners (it wins them); what it
documents of the equipment itself (serials, models, specs, speeds, addresses) and of
the national administrative list it *observes* (``YIELDING``): the record keeps a
value another source vouches for, and a discrepancy shows both.

The coverage says what the sync read, so that absence is concluded only there: a
full read covers every kind; an incremental one read from NetBox's change log covers
the objects it fetched and those the log says were deleted; one that listed ids
covers every kind but the objects listed and not fetched (still there, unread).
Objects deliberately not stored (a cable that ends on no interface) are present.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from cmdb.choices import Source
from discovery.core import observations as ob
from discovery.core.coverage import Coverage
from discovery.netbox.records import OBSERVED_AS, Mapped, NbRecord, Ref

KIND_OF: Mapping[str, ob.RecordKind] = {
    "admin_units": ob.RecordKind.ADMIN_UNIT,
    "agencies": ob.RecordKind.AGENCY,
    "sites": ob.RecordKind.SITE,
    "racks": ob.RecordKind.RACK,
    "clusters": ob.RecordKind.CLUSTER,
    "devices": ob.RecordKind.DEVICE,
    "interfaces": ob.RecordKind.INTERFACE,
    "links": ob.RecordKind.LINK,
    "information_systems": ob.RecordKind.INFORMATION_SYSTEM,
    "workloads": ob.RecordKind.WORKLOAD,
}
NAME_OF: Mapping[ob.RecordKind, str] = {kind: name for name, kind in KIND_OF.items()}
# Fields NetBox observes rather than declares (see the module docstring).
YIELDING: Mapping[str, frozenset[str]] = {
    "admin_units": frozenset({"code", "name", "level", "kind", "parent_id"}),
    "agencies": frozenset({"name", "kind", "short_name", "admin_unit_id"}),
    "devices": frozenset(
        {"serial", "manufacturer", "model", "management_address", "cores", "ram_gb"}
        | {"raw_storage_tb", "platform"}
    ),
    "interfaces": frozenset({"speed_mbps", "mac_address", "ip_addresses"}),
    "workloads": frozenset({"vcpu", "ram_gb", "disk_gb"}),
}
# Kinds whose objects NetBox ids name; information systems are named by a VM's field.
TRACKED = frozenset(KIND_OF[k] for k in KIND_OF if k != "information_systems")


def observe_all(mapped: Mapped, at: datetime) -> list[ob.Observation]:
    """Every mapped record as an observation, in the mapping's order."""
    return [observe(record, at) for kind in KIND_OF for record in mapped.records[kind]]


def label_of(record: NbRecord) -> str:
    """An observation's label: unique in a sync (a person's label may be shared)."""
    return f"{record.kind} {record.external_id}"


def observe(record: NbRecord, at: datetime) -> ob.Observation:
    kind = KIND_OF[record.kind]
    fields = {name: fact(value) for name, value in record.fields.items()}
    yielding = YIELDING.get(record.kind, frozenset())
    refs = {column: _source_ref(ref) for column, ref in record.refs.items()}
    parent = None
    if kind is ob.RecordKind.INTERFACE:  # its device is its host, not a reference
        device = refs.pop("device_id", None)
        parent = ob.Identity(source_id=device.source_id) if device is not None else None
    recorded = {k: fact(v) for k, v in record.observed.items() if k != "device_id"}
    return ob.Observation(
        Source.NETBOX,
        kind,
        _identity(record.external_id, fields),
        at,
        label_of(record),
        declared={k: v for k, v in fields.items() if k not in yielding},
        observed={k: v for k, v in fields.items() if k in yielding},
        parent=parent,
        defaults={k: fact(v) for k, v in record.defaults.items()},
        refs=refs,
        unmapped=record.error,
        recorded=recorded,
        unrecorded=record.kind not in OBSERVED_AS,
    )


def _identity(external_id: str, fields: ob.Facts) -> ob.Identity:
    serial, name = fields.get("serial"), fields.get("name")
    address = fields.get("management_address")
    return ob.Identity(
        source_id=external_id,
        serial=serial if isinstance(serial, str) else None,
        address=ob.Endpoint(address) if isinstance(address, str) and address else None,
        name=name if isinstance(name, str) else None,
    )


def _source_ref(ref: Ref | None) -> ob.SourceRef | None:
    if ref is None:
        return None
    return ob.SourceRef(KIND_OF[ref.kind], ref.external_id, ref.code)


def fact(value: Any) -> ob.FactValue:
    """A mapped value as a plain fact: choices as their values, lists as tuples."""
    if isinstance(value, enum.Enum):
        return fact(value.value)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{value!r} is no fact")  # the mapping gives none: a programming error


def coverage_of(mapped: Mapped) -> Coverage:
    """What the sync read (see the module docstring)."""
    fetched = _ids((r.kind, r.external_id) for rs in mapped.records.values() for r in rs)
    skipped = _ids((s.kind, s.external_id) for s in mapped.skipped)
    if mapped.deleted_ids is not None:
        deleted = _ids((k, i) for k, ids in mapped.deleted_ids.items() for i in ids)
        return Coverage(Source.NETBOX, source_ids=fetched | deleted, present=skipped)
    if mapped.seen_ids is not None:
        listed = _ids((k, i) for k, ids in mapped.seen_ids.items() for i in ids)
        return Coverage(Source.NETBOX, kinds=TRACKED, present=(listed - fetched) | skipped)
    return Coverage(Source.NETBOX, kinds=TRACKED, present=skipped)


def _ids(pairs: Iterable[tuple[str, str]]) -> frozenset[tuple[ob.RecordKind, str]]:
    return frozenset((KIND_OF[kind], str(i)) for kind, i in pairs if kind in KIND_OF)
