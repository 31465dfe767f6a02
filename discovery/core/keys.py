"""The natural keys of the kinds that are not hosts or parts: what names one record of a
kind when the source's id does not (a record another source or a person made).

A key is tried only when complete (every part known, none a record this plan has yet
to create) and matches only when it names exactly one record no other object of the
source holds: an admin unit by its code (among the units in force: a dissolved unit
keeps its code and row), an agency by its name without case, a site by its slug, a
rack by its site and name, a cluster and an information system by their names, a
link by its circuit id, else by the two interfaces it joins in either order (a cable
SNMP found through LLDP, from whichever end).
"""

from __future__ import annotations

from collections.abc import Callable, Container, Hashable, Iterable, Mapping

from cmdb.choices import Source
from discovery.core.identity import MatchedBy
from discovery.core.known import KnownRecord
from discovery.core.observations import Facts, FactValue, RecordKind

Key = Callable[[Facts], Hashable | None]


def _field(name: str) -> Key:
    return lambda values: values.get(name)


def _casefolded(name: str) -> Key:
    def key(values: Facts) -> Hashable | None:
        value = values.get(name)
        return " ".join(value.split()).casefold() or None if isinstance(value, str) else value

    return key


def _pair(a: str, b: str) -> Key:
    def key(values: Facts) -> Hashable | None:
        ends = values.get(a), values.get(b)
        if not all(isinstance(e, int) and not isinstance(e, bool) for e in ends):
            return None
        return tuple(sorted(ends, key=_as_int))

    return key


def _both(a: str, b: str) -> Key:
    def key(values: Facts) -> Hashable | None:
        parts = values.get(a), values.get(b)
        return None if any(p is None for p in parts) else parts

    return key


def _as_int(value: FactValue) -> int:
    return value if isinstance(value, int) else 0


NATURAL_KEYS: Mapping[RecordKind, tuple[tuple[str, Key], ...]] = {
    RecordKind.ADMIN_UNIT: (("code", _field("code")),),
    RecordKind.AGENCY: (("name", _casefolded("name")),),
    RecordKind.SITE: (("slug", _field("slug")),),
    RecordKind.RACK: (("site and name", _both("site_id", "name")),),
    RecordKind.CLUSTER: (("name", _field("name")),),
    RecordKind.INFORMATION_SYSTEM: (("name", _field("name")),),
    RecordKind.LINK: (
        ("circuit id", _field("circuit_id")),
        ("interfaces", _pair("a_interface_id", "b_interface_id")),
    ),
}


def in_force(kind: RecordKind, values: Facts) -> bool:
    """Whether a record may be matched by its key: a dissolved admin unit may not."""
    return kind is not RecordKind.ADMIN_UNIT or values.get("valid_to") is None


def natural_keys(kind: RecordKind, values: Facts) -> list[tuple[str, Hashable]]:
    """(what the key is, its value) for each complete key of ``values``, strongest first."""
    keys = []
    for label, key in NATURAL_KEYS.get(kind, ()):
        value = key(values)
        if value is not None:
            keys.append((label, value))
    return keys


class KeyIndex:
    """The records of one kind a keyed observation may be: by the source's id on their
    mark, else by a natural key among the records no object of the source holds."""

    def __init__(self, kind: RecordKind, source: Source, records: Iterable[KnownRecord]) -> None:
        self.by_id: dict[str, KnownRecord] = {}
        self.by_key: dict[tuple[str, Hashable], list[KnownRecord]] = {}
        self.by_record: dict[int, KnownRecord] = {}
        for record in records:
            self.by_record[record.id] = record
            mark = record.mark(source)
            if mark is not None and mark.source_id is not None:
                self.by_id[mark.source_id] = record
            elif in_force(kind, record.values):
                for key in natural_keys(kind, record.values):
                    self.by_key.setdefault(key, []).append(record)
        self.kind = kind

    def match(
        self,
        source_id: str | None,
        values: Facts,
        taken: Container[int],
        record_id: int | None = None,
    ) -> tuple[KnownRecord | None, MatchedBy | None]:
        """The record, and how; a key naming more than one untaken record names none.
        ``record_id``: the adapter named the record itself (the one declared circuit
        without interfaces between two sites LLDP found joined)."""
        if record_id is not None and record_id in self.by_record:
            return self.by_record[record_id], MatchedBy.RECORD_ID
        if source_id is not None and source_id in self.by_id:
            return self.by_id[source_id], MatchedBy.SOURCE_ID
        for key in natural_keys(self.kind, values):
            found = [r for r in self.by_key.get(key, []) if r.id not in taken]
            if len(found) == 1:
                return found[0], MatchedBy.KEY
        return None, None
