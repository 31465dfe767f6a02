"""References between records, as a source names them, resolved to records. Pure.

A device names its site, rack and cluster, a link its ends, a VM its cluster and
system — by the source's own ids (NetBox's), or an admin unit by its code. The
referenced record is one this run placed (known, or created by this plan: the
writer gives it its id first), else the record the source's mark names in the
inventory, else none: the observation that names it is refused with the reason, as
is one that names an object the run could not place ("its site 12 failed: …").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from cmdb.choices import Source
from discovery.core.keys import in_force
from discovery.core.known import KnownRecord
from discovery.core.observations import FactValue, Observation, RecordKind, SourceRef
from discovery.core.plan import Ref


@dataclass(frozen=True)
class Resolved:
    """An observation's references: known ids (facts it declares), records this plan
    creates (``pending``), or why one cannot be resolved."""

    ids: Mapping[str, FactValue] = field(default_factory=dict)
    pending: Mapping[str, Ref] = field(default_factory=dict)
    failure: str | None = None


class RefIndex:
    """(kind, source id) and (kind, code) → a record, as the run places records."""

    def __init__(self, source: Source, records: Iterable[KnownRecord]) -> None:
        self.by_id: dict[tuple[RecordKind, str], Ref] = {}
        self.by_key: dict[tuple[RecordKind, str], Ref] = {}
        self.failed: dict[tuple[RecordKind, str], str] = {}
        self.by_label: dict[tuple[RecordKind, str], Ref] = {}  # this run's observations
        self.failed_labels: dict[tuple[RecordKind, str], str] = {}
        for record in records:
            mark = record.mark(source)
            if mark is not None and mark.source_id is not None:
                self.by_id[(record.kind, mark.source_id)] = Ref(record.kind, record.id)
            code = record.values.get("code")
            if record.kind is RecordKind.ADMIN_UNIT and in_force(record.kind, record.values):
                self.by_key.setdefault((record.kind, str(code)), Ref(record.kind, record.id))

    def placed(self, obs: Observation, ref: Ref, values: Mapping[str, FactValue]) -> None:
        """The run placed ``obs`` as ``ref``: what names it now finds it."""
        self.by_label[(obs.kind, obs.label)] = ref
        if obs.identity.source_id is not None:
            self.by_id[(obs.kind, obs.identity.source_id)] = ref
        if obs.kind is RecordKind.ADMIN_UNIT and values.get("code") is not None:
            self.by_key.setdefault((obs.kind, str(values["code"])), ref)

    def refused(self, obs: Observation, reason: str) -> None:
        self.failed_labels[(obs.kind, obs.label)] = reason
        if obs.identity.source_id is not None:
            self.failed[(obs.kind, obs.identity.source_id)] = reason

    def resolve(self, obs: Observation) -> Resolved:
        """Every reference of ``obs``; the first that cannot be resolved fails it."""
        ids: dict[str, FactValue] = {}
        pending: dict[str, Ref] = {}
        for column, source_ref in obs.refs.items():
            if source_ref is None:
                ids[column] = None  # declared: there is none
                continue
            found = self.find(source_ref)
            if isinstance(found, str):
                return Resolved(failure=found)
            if found.id is not None:
                ids[column] = found.id
            else:
                pending[column] = found
        return Resolved(ids, pending)

    def find(self, ref: SourceRef) -> Ref | str:
        """The record ``ref`` names, or why there is none."""
        if ref.label is not None:
            return self._labelled(ref, ref.label)
        if ref.key is not None:
            by_key = self.by_key.get((ref.kind, ref.key))
            kind = str(ref.kind).replace("_", " ")
            return by_key if by_key is not None else f"no {kind} has code {ref.key}"
        key = (ref.kind, str(ref.source_id))
        if key in self.failed:
            return f"its {ref} failed: {self.failed[key]}"
        found = self.by_id.get(key)
        return found if found is not None else f"its {ref} is unknown to Headroom"

    def _labelled(self, ref: SourceRef, label: str) -> Ref | str:
        """The record this run's observation labelled ``label`` was placed as."""
        key = (ref.kind, label)
        if key in self.failed_labels:
            return f"its {ref} failed: {self.failed_labels[key]}"
        found = self.by_label.get(key)
        return found if found is not None else f"its {ref} was not observed in this run"
