"""What a plan of some observations must see of the inventory (pure).

A NetBox sync that read a few changed objects plans them against the inventory, but
does not need all of it: the kinds it observed (their identity and natural keys are
matched among every record of the kind), the kinds it names (references: a site, a
cluster) and the kinds its coverage reads whole. Parts are the bulk of an inventory
(20,000 interfaces for 2,000 devices) and are matched only within their host, so a
part kind is read whole only when the run observed parts; otherwise only the parts it
names by the source's id (a link's ends) or reads by id (deleted ones, to be marked
not seen). Reading the whole inventory for a no-change re-sync cost seconds; this is
what ``snapshot.load_needed`` reads instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from discovery.core.coverage import Coverage
from discovery.core.observations import HOST_KINDS, PART_KINDS, Observation, RecordKind

HOST_OF: Mapping[RecordKind, RecordKind] = {RecordKind.INTERFACE: RecordKind.DEVICE}


@dataclass(frozen=True)
class Needs:
    """``whole``: kinds read whole; ``named``: of other kinds, the records the run's
    source knows by these ids (its marks)."""

    whole: frozenset[RecordKind]
    named: Mapping[RecordKind, frozenset[str]] = field(default_factory=dict)


def needs_of(observations: Iterable[Observation], coverage: Coverage) -> Needs:
    """The records a plan of ``observations`` under ``coverage`` may match, name,
    compare with or conclude absent (see the module docstring)."""
    whole: set[RecordKind] = set(coverage.kinds)
    if coverage.addresses:  # whatever answers at an address is matched among every host
        whole |= HOST_KINDS
    named: dict[RecordKind, set[str]] = {}
    for obs in observations:
        whole.add(obs.kind)
        if obs.kind in HOST_OF:
            whole.add(HOST_OF[obs.kind])
        if obs.parts_read:  # its parts not listed are absent: they must be seen
            whole |= PART_KINDS
        for ref in obs.refs.values():
            if ref is None:
                continue
            if ref.kind in PART_KINDS and ref.source_id is not None:
                named.setdefault(ref.kind, set()).add(ref.source_id)
            else:
                whole.add(ref.kind)
    for kind, source_id in coverage.source_ids:
        named.setdefault(kind, set()).add(source_id)
    return Needs(
        frozenset(whole),
        {kind: frozenset(ids) for kind, ids in named.items() if kind not in whole},
    )
