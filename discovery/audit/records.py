"""What each source said of one record: the plain input of the audit's comparison.

Source names are ``cmdb.choices.Source`` values (``netbox``, ``snmp``, ``ansible``)
plus ``manual`` for a value a person set, which is still on the record.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cmdb.choices import DiscrepancyKind

DEVICE = "device"
INTERFACE = "interface"
LINK = "link"
OBJECT_TYPES = (DEVICE, INTERFACE, LINK)


@dataclass(frozen=True)
class Seen:
    """When one source first and last saw a record (its ``RecordSource`` row), and the
    record's id there."""

    first_at: datetime
    last_at: datetime
    external_id: str | None = None


@dataclass(frozen=True)
class RecordView:
    """One device, interface or link with every source's word on it.

    ``record`` is the row's current values; ``observed`` each source's fields from
    its latest observation (canonical names of the observation contract);
    ``manual`` the fields a person set last; ``parent_id`` an interface's device.
    A link's ``record`` also carries ``a_speed_mbps``/``b_speed_mbps`` (its end
    interfaces) and ``ends_seen_by_snmp``.
    """

    object_type: str
    object_id: int
    record: Mapping[str, Any]
    observed: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    seen: Mapping[str, Seen] = field(default_factory=dict)
    manual: Mapping[str, Any] = field(default_factory=dict)
    parent_id: int | None = None


@dataclass(frozen=True)
class AuditContext:
    """The moment of the audit and what NetBox's syncs read.

    ``netbox_synced_at``: start of the latest NetBox sync that read everything and
    completed (full, succeeded or partial; None: never). An incremental sync reads
    only what changed, so it never moves this: an object it did not read is not
    "gone from NetBox" for it. "NetBox still declares it" means NetBox saw it at or
    after then — or that sync read it and could not map it (``netbox_unmapped``:
    (object type, NetBox id) of its failures; the object is still in NetBox).
    """

    now: datetime
    netbox_synced_at: datetime | None
    netbox_unmapped: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Finding:
    """One disagreement: the discrepancy the audit wants open, with each source's value."""

    kind: str
    object_type: str
    object_id: int
    field: str
    values: Mapping[str, object]

    @property
    def slot(self) -> tuple[str, str, int, str]:
        """What identifies its discrepancy: one unsettled row per kind, record and field."""
        return (self.kind, self.object_type, self.object_id, self.field)


@dataclass(frozen=True)
class Held:
    """An unsettled discrepancy (open or acknowledged), with its values as stored."""

    kind: DiscrepancyKind
    object_type: str
    object_id: int
    field: str
    values: Mapping[str, object]
    acknowledged: bool = False

    @property
    def slot(self) -> tuple[str, str, int, str]:
        return (self.kind.value, self.object_type, self.object_id, self.field)
