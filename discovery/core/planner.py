"""Observations + the inventory as it is + what the run read → a plan. Pure.

Hosts first, resolved together (``run_identity.resolve_run``: the one identity rule
against the inventory as the run leaves it, clashes inside the run settled by what
the observations say). Then parts, within the host they name. Then absence:
records this source had seen, inside the run's ``Coverage``, that no observation
matched are "not seen since" — never deleted. Field by field, ``fields.plan_field``
decides updates and discrepancies.

An observation the plan cannot place is refused with its reason and the others go
on: an ambiguous identity, a clash, a part whose host is unknown or refused, a kind
the core does not plan yet. Where an observation was refused, nothing around it is
concluded absent (the run could not tell what answered there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from discovery.core.coverage import Coverage
from discovery.core.fields import PLANNED_KINDS, plan_field
from discovery.core.identity import (
    IdentityIndex,
    MatchedBy,
    resolve_identity,
    resolve_part,
    same_endpoint,
)
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.observations import (
    HOST_KINDS,
    PART_KINDS,
    Endpoint,
    Facts,
    Identity,
    Observation,
    RecordKind,
)
from discovery.core.plan import (
    Change,
    Create,
    DiscrepancyChange,
    IdentityNote,
    NotSeen,
    Plan,
    Ref,
    Refused,
    Seen,
    Update,
)
from discovery.core.run_identity import resolve_run

PARENT_KIND: Mapping[RecordKind, RecordKind] = {RecordKind.INTERFACE: RecordKind.DEVICE}
# What a new record cannot be written without, when neither the source nor the run's
# defaults give it: the observation is refused with the reason instead.
REQUIRED: Mapping[RecordKind, tuple[str, ...]] = {RecordKind.DEVICE: ("site_id",)}


def plan_observations(
    observations: Sequence[Observation],
    snapshot: Snapshot,
    coverage: Coverage,
    defaults: Mapping[RecordKind, Facts] | None = None,
) -> Plan:
    """The plan for one run of one source; ``defaults`` fill what a new record needs and
    the source does not say (``--site`` for SNMP), never a known record's value."""
    strangers = [o for o in observations if o.source != coverage.source]
    if strangers:
        raise ValueError(f"{strangers[0].label} is from {strangers[0].source}, not the run's")
    planner = _Planner(snapshot, coverage, defaults or {})
    planner.hosts([o for o in observations if o.kind in HOST_KINDS])
    for obs in observations:
        if obs.kind in PART_KINDS:
            planner.part(obs)
        elif obs.kind not in HOST_KINDS:
            planner.refuse(obs, f"the discovery core does not plan {obs.kind} records yet")
    planner.absences()
    return planner.plan()


class _Planner:
    def __init__(
        self, snapshot: Snapshot, coverage: Coverage, defaults: Mapping[RecordKind, Facts]
    ) -> None:
        self.snapshot, self.coverage, self.defaults = snapshot, coverage, defaults
        self.records = {(r.kind, r.id): r for r in snapshot.records}
        self.indexes = {k: IdentityIndex(snapshot.of_kind(k)) for k in HOST_KINDS}
        self.parts: dict[int, list[KnownRecord]] = {}
        for r in snapshot.records:
            if r.kind in PART_KINDS and r.parent_id is not None:
                self.parts.setdefault(r.parent_id, []).append(r)
        self.held = {d.slot: d for d in snapshot.discrepancies if d.kind in PLANNED_KINDS}
        self.host_refs: dict[Identity, Ref] = {}  # this run's hosts, for their parts
        self.refused_hosts: set[Identity] = set()  # ... and those refused, with their parts
        self.claimed: dict[Ref, str] = {}  # record → the label of the observation of it
        self.read_whole: set[int] = set()  # known hosts whose parts were all read
        self.unsure_at: list[Endpoint] = []  # addresses of refused observations
        self.unsure_ids: set[str] = set()  # source ids of refused observations
        self.creates: list[Create] = []
        self.updates: list[Update] = []
        self.seen: list[Seen] = []
        self.not_seen: list[NotSeen] = []
        self.discrepancies: list[DiscrepancyChange] = []
        self.refused: list[Refused] = []
        self.notes: list[IdentityNote] = []

    # -- hosts -----------------------------------------------------------------------------

    def hosts(self, observations: Sequence[Observation]) -> None:
        records = {kind: self.snapshot.of_kind(kind) for kind in HOST_KINDS}
        found, clashes = resolve_run(observations, records, self.held)
        for position, (obs, resolution) in enumerate(zip(observations, found, strict=True)):
            why = clashes.get(position) or (resolution.reason if resolution.refused else None)
            if why is not None:
                self.refuse(obs, why)
                self.refused_hosts.add(obs.identity)
                continue
            if resolution.record_id is None:
                created = self.create(obs, None)
                if created is None:
                    self.refused_hosts.add(obs.identity)
                else:
                    self.host_refs[obs.identity] = created
                continue
            ref = Ref(obs.kind, resolution.record_id)
            self.observe(obs, ref, resolution.matched_by)
            self.host_refs[obs.identity] = ref
            if resolution.conflicts:
                self.notes.append(IdentityNote(ref, obs.label, resolution.conflicts))
            if obs.parts_read:
                self.read_whole.add(resolution.record_id)

    # -- parts -----------------------------------------------------------------------------

    def part(self, obs: Observation) -> None:
        parent = self._parent(obs)
        if parent is None:
            return self.refuse(obs, "its host is unknown or was refused")
        if parent.id is None:
            self.create(obs, parent)
            return None
        index = obs.stated.get("if_index")
        known, how = resolve_part(
            obs.identity,
            index if isinstance(index, int) else None,
            obs.source,
            self.parts.get(parent.id, []),
        )
        ref = Ref(obs.kind, known.id) if known is not None else None
        if ref is None:
            self.create(obs, parent)
        elif ref in self.claimed:
            self.refuse(obs, f"matched by {how}, as was {self.claimed[ref]}: listed twice")
        else:
            self.observe(obs, ref, how)
        return None

    def _parent(self, obs: Observation) -> Ref | None:
        """The part's host: observed in this run, else known (an incremental sync
        reads a changed interface without its unchanged device)."""
        if obs.parent is None or obs.parent in self.refused_hosts:
            return None
        if obs.parent in self.host_refs:
            return self.host_refs[obs.parent]
        kind = PARENT_KIND[obs.kind]
        found = resolve_identity(obs.parent, obs.source, self.indexes[kind])
        return Ref(kind, found.record_id) if found.record_id is not None else None

    # -- one record ------------------------------------------------------------------------

    def create(self, obs: Observation, parent: Ref | None) -> Ref | None:
        ref = Ref(obs.kind, new=obs.label)
        if ref in self.claimed:  # two rows of one name in a table: the first is kept
            self.refuse(obs, "listed twice in this run")
            return None
        values = {**self.defaults.get(obs.kind, {}), **obs.defaults, **obs.stated}
        missing = [name for name in REQUIRED.get(obs.kind, ()) if values.get(name) is None]
        if missing:
            self.refuse(obs, f"no {missing[0].removesuffix('_id')} for a new {obs.kind}")
            return None
        self.claimed[ref] = obs.label
        self.creates.append(Create(ref, values, parent))
        self.seen.append(_seen(obs, ref, None, True))
        return ref

    def observe(self, obs: Observation, ref: Ref, how: MatchedBy | None) -> None:
        """Updates, discrepancies and the mark of a known record."""
        self.claimed[ref] = obs.label
        assert ref.id is not None  # a known record
        record = self.records[(ref.kind, ref.id)]
        changes: list[Change] = []
        for name in sorted(obs.stated):
            planned = plan_field(record, obs, name, self.held)
            changes += [planned.change] if planned.change else []
            self.discrepancies += [planned.discrepancy] if planned.discrepancy else []
        if changes:
            self.updates.append(Update(ref, tuple(changes)))
        mark = record.mark(obs.source)
        new_mark = mark is None or mark.source_id != obs.mark_id
        self.seen.append(_seen(obs, ref, how, new_mark))

    def refuse(self, obs: Observation, reason: str) -> None:
        self.refused.append(Refused(obs.source, obs.label, reason))
        if obs.identity.address is not None:
            self.unsure_at.append(obs.identity.address)
        if obs.identity.source_id is not None:
            self.unsure_ids.add(obs.identity.source_id)

    # -- absence ---------------------------------------------------------------------------

    def absences(self) -> None:
        """Hosts the run covered and did not see, then parts: of a host read whole, or of
        a host gone from where the run looked."""
        gone = [r for r in self._unclaimed(HOST_KINDS) if self._covers(r, frozenset())]
        whole = frozenset(self.read_whole | {r.id for r in gone})
        gone += [r for r in self._unclaimed(PART_KINDS) if self._covers(r, whole)]
        source = self.coverage.source
        self.not_seen += [
            NotSeen(Ref(r.kind, r.id), source, mark.last_seen_at)
            for r in gone
            if (mark := r.mark(source)) is not None
        ]

    def _covers(self, record: KnownRecord, whole: frozenset[int]) -> bool:
        at = record.address
        if at is not None and any(same_endpoint(at, unsure) for unsure in self.unsure_at):
            return False
        return self.coverage.covers(record, whole)

    def _unclaimed(self, kinds: Iterable[RecordKind]) -> Iterable[KnownRecord]:
        """Records of these kinds this source has a mark on and no observation claimed."""
        for record in self.snapshot.records:
            mark = record.mark(self.coverage.source)
            if record.kind not in kinds or mark is None:
                continue
            if Ref(record.kind, record.id) in self.claimed or mark.source_id in self.unsure_ids:
                continue
            yield record

    def plan(self) -> Plan:
        return Plan(
            source=self.coverage.source,
            creates=tuple(self.creates),
            updates=tuple(self.updates),
            seen=tuple(self.seen),
            not_seen=tuple(self.not_seen),
            discrepancies=tuple(self.discrepancies),
            refused=tuple(self.refused),
            notes=tuple(self.notes),
        )


def _seen(obs: Observation, ref: Ref, how: MatchedBy | None, new_mark: bool) -> Seen:
    """The mark ``obs`` moves on ``ref``, with everything it said (what the writer keeps)."""
    return Seen(
        ref,
        obs.source,
        obs.mark_id,
        obs.seen_at,
        obs.stated,
        how,
        new_mark,
        obs.label,
        reported=obs.reported,
        details=obs.details,
    )
