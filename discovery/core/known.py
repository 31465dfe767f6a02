"""The inventory as the planner sees it: plain records, filled by one loader, built by hand
in tests. No database types cross this line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from cmdb.choices import DiscrepancyKind, Source
from discovery.core.observations import Endpoint, Facts, RecordKind


@dataclass(frozen=True)
class SourceMark:
    """A source has seen the record (its ``RecordSource`` row): under which id, and when last."""

    source: Source
    source_id: str | None
    last_seen_at: datetime


@dataclass(frozen=True)
class KnownRecord:
    """One record: its identity columns, its values, and each source's word on it.

    ``address``: the management address, with the port SNMP found its agent on.
    ``said``: each source's latest statement of each field (its latest observation;
    ``manual`` for what a person set and the record still holds): the values a
    discrepancy shows beside the record's own.
    """

    id: int
    kind: RecordKind
    name: str | None = None
    serial: str | None = None
    address: Endpoint | None = None
    parent_id: int | None = None
    values: Facts = field(default_factory=dict)
    marks: tuple[SourceMark, ...] = ()
    said: Mapping[Source, Facts] = field(default_factory=dict)

    def mark(self, source: Source) -> SourceMark | None:
        return self._marks.get(source)

    @cached_property
    def _marks(self) -> Mapping[Source, SourceMark]:
        """The marks by source, the first of each (a plan asks for every field)."""
        found: dict[Source, SourceMark] = {}
        for mark in self.marks:
            found.setdefault(mark.source, mark)
        return found

    @cached_property
    def sources(self) -> frozenset[Source]:
        """Every source with a word on the record: its marks, and what each said."""
        return frozenset(self._marks) | frozenset(self.said)


Slot = tuple[DiscrepancyKind, RecordKind, int, str]
"""What identifies an unsettled discrepancy: its kind, its record and its field."""


@dataclass(frozen=True)
class KnownDiscrepancy:
    """An unsettled discrepancy (open or acknowledged): one per kind, record and field."""

    kind: DiscrepancyKind
    record_kind: RecordKind
    record_id: int
    field: str
    values: Facts
    acknowledged: bool = False

    @property
    def slot(self) -> Slot:
        return (self.kind, self.record_kind, self.record_id, self.field)


@dataclass(frozen=True)
class Snapshot:
    """Every record a plan may touch and the unsettled discrepancies on them."""

    records: tuple[KnownRecord, ...] = ()
    discrepancies: tuple[KnownDiscrepancy, ...] = ()

    def of_kind(self, kind: RecordKind) -> tuple[KnownRecord, ...]:
        return tuple(r for r in self.records if r.kind == kind)
