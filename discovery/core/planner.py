"""Observations + the inventory as it is + what the run read → a plan. Pure.

First the kinds a natural key names (``keys``: admin units, agencies, sites, racks,
clusters, information systems), each kind after those it refers to. Then hosts,
resolved together (``run_identity.resolve_run``: the one identity rule
against the inventory as the run leaves it, clashes inside the run settled by what
the observations say). Then parts, within the host they name; then links, which end
on them. References (``Observation.refs``) are resolved as records are placed
(``refs.RefIndex``): to a known record's id, or to a record this plan creates. Then absence:
records this source had seen, inside the run's ``Coverage``, that no observation
matched are "not seen since" — never deleted. Field by field, ``fields.plan_field``
decides updates and discrepancies.

An observation the plan cannot place is refused with its reason and the others go
on: one the source could not map, an ambiguous identity, a clash, a part whose host
is unknown or refused, a reference to a record that is unknown or refused. Where an
observation was refused, nothing around it is concluded absent (the run could not
tell what answered there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TypeVar

from cmdb.choices import SiteKind
from discovery.core.coverage import Coverage
from discovery.core.fields import PLANNED_KINDS, plan_field
from discovery.core.identity import (
    IdentityIndex,
    MatchedBy,
    resolve_identity,
    resolve_part,
    same_endpoint,
)
from discovery.core.keys import KeyIndex
from discovery.core.known import KnownRecord, Snapshot
from discovery.core.observations import (
    HOST_KINDS,
    KEYED_KINDS,
    PART_KINDS,
    Endpoint,
    Facts,
    FactValue,
    Identity,
    Observation,
    RecordKind,
    SourceRef,
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
from discovery.core.refs import RefIndex
from discovery.core.run_identity import resolve_run

PARENT_KIND: Mapping[RecordKind, RecordKind] = {RecordKind.INTERFACE: RecordKind.DEVICE}
# What a new record cannot be written without, when neither the source nor the run's
# defaults give it: the observation is refused with the reason instead.
REQUIRED: Mapping[RecordKind, tuple[str, ...]] = {
    RecordKind.DEVICE: ("site_id",),
    RecordKind.RACK: ("site_id",),
}
# ... and the columns of which a new record needs one (a link's capacity), with why.
REQUIRED_ONE_OF: Mapping[RecordKind, tuple[tuple[str, ...], str]] = {
    RecordKind.LINK: (
        ("commit_rate_mbps", "port_speed_mbps"),
        "no commit rate and no port speed (are the interfaces' speeds documented?)",
    )
}
# A link's b end is the one nearer the DC (Link's convention): ends named the other way
# round are turned.
LINK_ENDS = (("a_site_id", "b_site_id"), ("a_interface_id", "b_interface_id"))
V = TypeVar("V")
PLACED_FIRST = KEYED_KINDS[:-1]  # what hosts refer to; links end on parts, so come last


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
    placeable = []
    for obs in observations:
        if obs.unmapped is not None:
            planner.refuse(obs, obs.unmapped)
        else:
            placeable.append(obs)
    for kind in PLACED_FIRST:
        planner.keyed([o for o in placeable if o.kind is kind])
    planner.hosts([o for o in placeable if o.kind in HOST_KINDS])
    for obs in placeable:
        if obs.kind in PART_KINDS:
            planner.part(obs)
    planner.keyed([o for o in placeable if o.kind is RecordKind.LINK])
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
        self.refs = RefIndex(coverage.source, snapshot.records)
        # an observation's references to records this plan creates
        self.pending: dict[tuple[RecordKind, Identity], Mapping[str, Ref]] = {}
        self.site_kinds: dict[Ref, FactValue] = {
            Ref(r.kind, r.id): r.values.get("kind") for r in snapshot.of_kind(RecordKind.SITE)
        }
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
        placeable = []
        for obs in observations:
            resolved = self._resolved(obs)
            if resolved is None:
                self.refused_hosts.add(obs.identity)
            else:
                placeable.append(resolved[0])
                self.pending[(obs.kind, obs.identity)] = resolved[1]
        observations = placeable
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

    # -- kinds named by a natural key ------------------------------------------------------

    def keyed(self, observations: Sequence[Observation]) -> None:
        if not observations:
            return
        kind = observations[0].kind
        index = KeyIndex(kind, self.coverage.source, self.snapshot.of_kind(kind))
        taken = {ref.id for ref in self.claimed if ref.kind is kind and ref.id is not None}
        for obs in observations:
            resolved = self._resolved(obs)
            if resolved is None:
                continue
            obs, pending = resolved
            if kind is RecordKind.LINK:
                obs, pending = self._towards_dc(obs, pending)
            self.pending[(obs.kind, obs.identity)] = pending
            record, how = index.match(
                obs.identity.source_id, obs.stated, taken, obs.identity.record_id
            )
            if record is None:
                self.create(obs, None)
                continue
            ref = Ref(kind, record.id)
            if ref in self.claimed:
                self.refuse(obs, f"matched by {how}, as was {self.claimed[ref]}: listed twice")
                continue
            taken.add(record.id)
            self.observe(obs, ref, how)

    def _resolved(self, obs: Observation) -> tuple[Observation, Mapping[str, Ref]] | None:
        """``obs`` with its references to known records as declared ids, and those to
        records this plan creates; None (refused, with why) when one cannot be resolved."""
        if not obs.refs:
            return obs, {}
        resolved = self.refs.resolve(obs)
        if resolved.failure is not None:
            self.refuse(obs, resolved.failure)
            return None
        return replace(obs, declared={**obs.declared, **resolved.ids}), resolved.pending

    def _towards_dc(
        self, obs: Observation, pending: Mapping[str, Ref]
    ) -> tuple[Observation, Mapping[str, Ref]]:
        """A link whose a end is a data centre and b end is not is turned round."""

        def site(column: str) -> Ref | None:
            known = obs.declared.get(column)
            return Ref(RecordKind.SITE, known) if isinstance(known, int) else pending.get(column)

        if not self._is_dc(site("a_site_id")) or self._is_dc(site("b_site_id")):
            return obs, pending
        declared, later = dict(obs.declared), dict(pending)
        for one, other in LINK_ENDS:
            _swap(declared, one, other)
            _swap(later, one, other)
        return replace(obs, declared=declared), later

    def _is_dc(self, site: Ref | None) -> bool:
        return site is not None and self.site_kinds.get(site) == SiteKind.DATA_CENTRE.value

    # -- parts -----------------------------------------------------------------------------

    def part(self, obs: Observation) -> None:
        parent = self._parent(obs)
        if isinstance(parent, str):
            return self.refuse(obs, parent)
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

    def _parent(self, obs: Observation) -> Ref | str:
        """The part's host: observed in this run, else known (an incremental sync
        reads a changed interface without its unchanged device); else why not. A host
        named by the source's id alone is found as references are."""
        unknown = "its host is unknown or was refused"
        if obs.parent is None or obs.parent in self.refused_hosts:
            return unknown
        if obs.parent in self.host_refs:
            return self.host_refs[obs.parent]
        kind = PARENT_KIND[obs.kind]
        source_id = obs.parent.source_id
        if source_id is not None and obs.parent == Identity(source_id=source_id):
            return self.refs.find(SourceRef(kind, source_id))
        found = resolve_identity(obs.parent, obs.source, self.indexes[kind])
        return Ref(kind, found.record_id) if found.record_id is not None else unknown

    # -- one record ------------------------------------------------------------------------

    def create(self, obs: Observation, parent: Ref | None) -> Ref | None:
        ref = Ref(obs.kind, new=obs.label)
        if ref in self.claimed:  # two rows of one name in a table: the first is kept
            self.refuse(obs, "listed twice in this run")
            return None
        values = {**self.defaults.get(obs.kind, {}), **obs.defaults, **obs.stated}
        pending = self.pending.get((obs.kind, obs.identity), {})
        why = _missing(obs.kind, values, pending)
        if why is not None:
            self.refuse(obs, why)
            return None
        self.claimed[ref] = obs.label
        self.creates.append(Create(ref, values, parent, pending))
        self.seen.append(_seen(obs, ref, None, True))
        self._placed(obs, ref, values)
        return ref

    def _placed(self, obs: Observation, ref: Ref, values: Facts) -> None:
        self.refs.placed(obs, ref, values)
        if obs.kind is RecordKind.SITE:
            self.site_kinds[ref] = values.get("kind")

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
        pending = self.pending.get((obs.kind, obs.identity), {})
        if changes or pending:
            self.updates.append(Update(ref, tuple(changes), pending))
        mark = record.mark(obs.source)
        new_mark = mark is None or mark.source_id != obs.mark_id
        self.seen.append(_seen(obs, ref, how, new_mark))
        self._placed(obs, ref, {**record.values, **{c.field: c.after for c in changes}})

    def refuse(self, obs: Observation, reason: str) -> None:
        self.refused.append(Refused(obs.source, obs.label, reason))
        self.refs.refused(obs, reason)
        if obs.identity.address is not None:
            self.unsure_at.append(obs.identity.address)
        if obs.identity.source_id is not None:
            self.unsure_ids.add(obs.identity.source_id)

    # -- absence ---------------------------------------------------------------------------

    def absences(self) -> None:
        """Hosts the run covered and did not see, then parts: of a host read whole, or of
        a host gone from where the run looked."""
        wholes = (*HOST_KINDS, *KEYED_KINDS)
        gone = [r for r in self._unclaimed(wholes) if self._covers(r, frozenset())]
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
    """The mark ``obs`` leaves on ``ref``, with what its observation row keeps."""
    kept = obs.recorded if obs.recorded is not None else obs.stated
    return Seen(
        ref,
        obs.source,
        obs.mark_id,
        obs.seen_at,
        kept,
        how,
        new_mark,
        obs.label,
        row=not obs.unrecorded,
        reported=obs.reported,
        details=obs.details,
    )


def _missing(kind: RecordKind, values: Facts, pending: Mapping[str, Ref]) -> str | None:
    """Why a new record of ``kind`` with ``values`` cannot be written, if it cannot."""
    for name in REQUIRED.get(kind, ()):
        if values.get(name) is None and name not in pending:
            return f"no {name.removesuffix('_id')} for a new {kind}"
    one_of, why = REQUIRED_ONE_OF.get(kind, ((), ""))
    if one_of and all(values.get(name) is None for name in one_of):
        return why
    return None


def _swap(held: dict[str, V], one: str, other: str) -> None:
    """The values of two columns exchanged (a column absent stays absent, on its new side)."""
    values = {column: held.pop(column) for column in (one, other) if column in held}
    for column, value in values.items():
        held[other if column == one else one] = value
