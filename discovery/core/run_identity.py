"""The hosts of one run resolved together, against the inventory as the run will leave it.

Resolving each observation against the inventory as it was before the run is not
enough: within one run a device may leave an address another device answers at
(renumbering), or gain the serial that tells two records apart. Planning the run
again after applying it would then resolve differently — not idempotent. So the
hosts are resolved, their identity changes (the address their agent answered at,
a serial or name the plan fills) are applied to a copy of the inventory, and the
hosts are resolved again, until the answer stops changing (a few rounds at most;
each round only moves records to where this run saw them).

Within one state, several hosts may claim one record: the strongest key keeps it
(DESIGN §5's order: an id, a serial, an address, a hostname) and the others are
resolved again without it; claims of equal strength are left to ``clashes``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from discovery.core.clashes import find_clashes
from discovery.core.fields import plan_field
from discovery.core.identity import (
    STRENGTH,
    IdentityIndex,
    MatchedBy,
    Resolution,
    resolve_identity,
)
from discovery.core.known import KnownDiscrepancy, KnownRecord, Slot
from discovery.core.observations import Endpoint, Observation, RecordKind

MAX_ROUNDS = 4
Held = Mapping[Slot, KnownDiscrepancy]


def resolve_run(
    observations: Sequence[Observation],
    records: Mapping[RecordKind, Sequence[KnownRecord]],
    held: Held,
) -> tuple[list[Resolution], dict[int, str]]:
    """Each host's resolution (None: new), and the refused ones (position → why)."""
    found = _resolve(observations, records)
    for _ in range(MAX_ROUNDS):
        planned = _as_planned(observations, found, records, held)
        again = _resolve(observations, planned)
        if again == found:
            break
        found = again
    return _settled(observations, found)


def _resolve(
    observations: Sequence[Observation], records: Mapping[RecordKind, Sequence[KnownRecord]]
) -> list[Resolution]:
    """Every host against one state; where several claim one record, the strongest key
    keeps it and the others are resolved again without it (ties stay, as clashes)."""
    indexes = {kind: IdentityIndex(rows) for kind, rows in records.items()}
    taken: list[frozenset[int]] = [frozenset() for _ in observations]

    def resolve(position: int) -> Resolution:
        obs = observations[position]
        return resolve_identity(obs.identity, obs.source, indexes[obs.kind], taken[position])

    found = [resolve(position) for position in range(len(observations))]
    for _ in observations:  # each pass takes at least one record from a weaker claim
        weaker = _weaker_claims(observations, found)
        if not weaker:
            break
        for position, record_id in weaker:
            taken[position] |= {record_id}
            found[position] = resolve(position)
    return found


def _weaker_claims(
    observations: Sequence[Observation], found: Sequence[Resolution]
) -> list[tuple[int, int]]:
    """(position, record id) of each claim a stronger claim on the same record beats."""
    claims: dict[tuple[RecordKind, int], list[int]] = {}
    for position, resolution in enumerate(found):
        if resolution.record_id is not None:
            key = (observations[position].kind, resolution.record_id)
            claims.setdefault(key, []).append(position)
    weaker: list[tuple[int, int]] = []
    for (_, record_id), positions in claims.items():
        ranks = {p: STRENGTH.index(found[p].matched_by or MatchedBy.HOSTNAME) for p in positions}
        best = min(ranks.values())
        if list(ranks.values()).count(best) == 1:
            weaker += [(p, record_id) for p, rank in ranks.items() if rank > best]
    return weaker


def _stand_in_id(position: int) -> int:
    """The id a host this run creates has while it is planned (ids of records are > 0)."""
    return -1 - position


def _is_new(position: int, resolution: Resolution) -> bool:
    return resolution.record_id is None or resolution.record_id == _stand_in_id(position)


def _settled(
    observations: Sequence[Observation], found: Sequence[Resolution]
) -> tuple[list[Resolution], dict[int, str]]:
    """Stand-ins become "new"; a claim on another host's stand-in is refused with it."""
    clashes = find_clashes(observations, found)
    settled: list[Resolution] = []
    for position, resolution in enumerate(found):
        if _is_new(position, resolution) and not resolution.refused:
            resolution = Resolution(None, None, "no known record has its serial, address or name")
        elif resolution.record_id is not None and resolution.record_id < 0:
            clashes.setdefault(position, "claims a device another agent of this run answered as")
        settled.append(resolution)
    return settled, clashes


def _as_planned(
    observations: Sequence[Observation],
    found: Sequence[Resolution],
    records: Mapping[RecordKind, Sequence[KnownRecord]],
    held: Held,
) -> dict[RecordKind, list[KnownRecord]]:
    """The records with the identity the plan gives them, and the hosts it creates."""
    clashes = find_clashes(observations, found)
    planned = {kind: list(rows) for kind, rows in records.items()}
    by_id = {(kind, r.id): n for kind, rows in planned.items() for n, r in enumerate(rows)}
    for position, (obs, resolution) in enumerate(zip(observations, found, strict=True)):
        if position in clashes or resolution.refused:
            continue
        if _is_new(position, resolution):
            planned[obs.kind].append(_stand_in(_stand_in_id(position), obs))
            continue
        assert resolution.record_id is not None  # not new
        n = by_id[(obs.kind, resolution.record_id)]
        planned[obs.kind][n] = _planned_identity(planned[obs.kind][n], obs, held)
    return planned


def _stand_in(stand_in: int, obs: Observation) -> KnownRecord:
    """A host this run creates, as the identity index sees it.

    It has the keys the created record will have (the ones the observation states
    as facts too), so the run sees now what planning it again will see.
    """
    identity, stated = obs.identity, obs.stated
    name, serial = stated.get("name"), stated.get("serial")
    return KnownRecord(
        stand_in,
        obs.kind,
        name=name if isinstance(name, str) else None,
        serial=serial if isinstance(serial, str) else None,
        address=identity.address,
    )


def _planned_identity(record: KnownRecord, obs: Observation, held: Held) -> KnownRecord:
    name, serial, address = record.name, record.serial, record.address
    for field in ("name", "serial", "management_address"):
        if field not in obs.stated:
            continue
        change = plan_field(record, obs, field, held).change
        after = change.after if change is not None else None
        if isinstance(after, str) and field == "name":
            name = after
        elif isinstance(after, str) and field == "serial":
            serial = after
        elif isinstance(after, str):
            address = Endpoint(after, address.port if address else None)
    if obs.identity.address is not None and obs.identity.address.port is not None:
        address = obs.identity.address  # the source's mark moves to the agent that answered
    return replace(record, name=name, serial=serial, address=address)
