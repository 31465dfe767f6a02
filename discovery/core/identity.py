"""Which record an observation is about: DESIGN.md §5's one rule, for every source.

Keys are tried most trusted first — Headroom's own id, the source's id, serial,
management address (+ SNMP port), hostname (case-insensitive, domain stripped) —
and a weaker key never overrules what a stronger one says:

- A different known serial is a different device. A record whose serial is known
  and differs from the observation's is never matched by address or hostname: an
  address reused after a swap gives a new record, and the old one keeps "not seen
  since" instead of collecting the new device's interfaces.
- Without serials on both sides, a hostname that differs at the same address is a
  different device too.
- A record another object of the same source already holds (another NetBox id) is
  not matched by serial, address or hostname: the source says they are two objects.
- The source's own id is never overruled by a serial: the record it names is the
  match (the source documents that object; a changed serial there is a replaced
  part or a typo, which the planner shows as a discrepancy). When the serial names
  another record the resolution carries a ``Conflict`` so the run reports it; the
  two records are never merged.
- A key that leaves more than one candidate after these rules is ambiguous: the
  observation is refused with the reason, rather than guessed or duplicated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cmdb.choices import Source
from discovery.core.known import KnownRecord
from discovery.core.normalize import clean_serial, normalize_host, normalize_hostname
from discovery.core.observations import Endpoint, Identity


class MatchedBy(StrEnum):
    """How a record was found, strongest first (the order of ``STRENGTH``)."""

    RECORD_ID = "record id"
    SOURCE_ID = "source id"
    SERIAL = "serial"
    ADDRESS = "address"
    HOSTNAME = "hostname"
    NAME = "name"  # a part's name within its host
    INDEX = "index"  # a part's index within its host (SNMP's ifIndex): a renamed port
    KEY = "natural key"  # a site's slug, a rack's site and name (keys.NATURAL_KEYS)


STRENGTH = tuple(MatchedBy)


@dataclass(frozen=True)
class Conflict:
    """A weaker key named another record than the one chosen: reported, never merged."""

    key: MatchedBy
    record_id: int


@dataclass(frozen=True)
class Resolution:
    """The record an observation is about (None: a new one), or why it cannot be told."""

    record_id: int | None
    matched_by: MatchedBy | None
    reason: str
    conflicts: tuple[Conflict, ...] = ()
    refused: bool = False


def same_endpoint(a: Endpoint, b: Endpoint) -> bool:
    """Same host, and same port when both know it."""
    if normalize_host(a.host) != normalize_host(b.host):
        return False
    return a.port is None or b.port is None or a.port == b.port


class IdentityIndex:
    """The records of one kind by each key, built once per plan (a sync plans 20,000)."""

    def __init__(self, records: Iterable[KnownRecord]) -> None:
        self.records = {r.id: r for r in records}
        self.by_source_id: dict[tuple[Source, str], list[int]] = {}
        self.held: dict[Source, set[int]] = {}  # records an object of the source holds
        self.by_serial: dict[str, list[int]] = {}
        self.by_host: dict[str, list[int]] = {}
        self.by_hostname: dict[str, list[int]] = {}
        for r in self.records.values():
            for mark in r.marks:
                if mark.source_id is not None:
                    self.by_source_id.setdefault((mark.source, mark.source_id), []).append(r.id)
                    self.held.setdefault(mark.source, set()).add(r.id)
            if serial := clean_serial(r.serial):
                self.by_serial.setdefault(serial, []).append(r.id)
            if r.address is not None:
                self.by_host.setdefault(normalize_host(r.address.host), []).append(r.id)
            if hostname := normalize_hostname(r.name):
                self.by_hostname.setdefault(hostname, []).append(r.id)

    def at(self, endpoint: Endpoint) -> list[int]:
        """Records at the address (and port, when both know it)."""
        return [
            i
            for i in self.by_host.get(normalize_host(endpoint.host), [])
            if same_endpoint(self.records[i].address or endpoint, endpoint)
        ]


def resolve_identity(
    identity: Identity, source: Source, index: IdentityIndex, taken: frozenset[int] = frozenset()
) -> Resolution:
    """The one identity rule (see the module docstring): which known record, or a new one.

    ``taken``: records a stronger key of another observation of the same run holds;
    a serial, address or hostname never matches them.
    """
    if identity.record_id is not None:
        if identity.record_id not in index.records:
            return _refused(f"no record {identity.record_id}")
        return _strong(MatchedBy.RECORD_ID, identity.record_id, identity, index)
    if identity.source_id is not None:
        held = index.by_source_id.get((source, identity.source_id), [])
        if len(held) > 1:
            return _refused(f"{source} id {identity.source_id} names records {_ids(held)}")
        if held:
            return _strong(MatchedBy.SOURCE_ID, held[0], identity, index)
    return _by_weak_keys(identity, source, index, taken)


def answering(records: Iterable[KnownRecord], source: Source) -> dict[Endpoint, int]:
    """Each agent endpoint a source's marks keep → the record the source last saw there.

    After an address reuse two records keep a mark at one endpoint: the old device,
    "not seen since", and the one that answers now. What answers there is the record
    seen last (on a tie, the newer record), never whichever a dict kept last.
    """
    best: dict[Endpoint, KnownRecord] = {}
    for record in records:
        mark = record.mark(source)
        if mark is None or mark.source_id is None or record.address is None:
            continue
        at = Endpoint(normalize_host(record.address.host), record.address.port)
        known = best.get(at)
        if known is None or _seen_later(record, known, source):
            best[at] = record
    return {at: record.id for at, record in best.items()}


def _seen_later(record: KnownRecord, other: KnownRecord, source: Source) -> bool:
    mine, theirs = record.mark(source), other.mark(source)
    assert mine is not None and theirs is not None
    return (mine.last_seen_at, record.id) > (theirs.last_seen_at, other.id)


def resolve_part(
    identity: Identity, index: int | None, source: Source, parts: Iterable[KnownRecord]
) -> tuple[KnownRecord | None, MatchedBy | None]:
    """A part (an interface) among its host's: by the source's id, its name, its index.

    Parts have no serial and live inside one host, so the host's identity is the
    hard part; within it a name is unique, and an index finds a renamed port.
    """
    parts = list(parts)
    for how, found in (
        (MatchedBy.SOURCE_ID, _part_by_source_id(identity, source, parts)),
        (MatchedBy.NAME, [p for p in parts if identity.name and p.name == identity.name]),
        (
            MatchedBy.INDEX,
            [p for p in parts if index is not None and p.values.get("if_index") == index],
        ),
    ):
        if len(found) == 1:
            return found[0], how
    return None, None


def _part_by_source_id(
    identity: Identity, source: Source, parts: list[KnownRecord]
) -> list[KnownRecord]:
    if identity.source_id is None:
        return []
    return [p for p in parts if (m := p.mark(source)) and m.source_id == identity.source_id]


def _strong(how: MatchedBy, record_id: int, identity: Identity, index: IdentityIndex) -> Resolution:
    """A match by an id, with the serial's word when it names another record."""
    serial = clean_serial(identity.serial)
    others = [i for i in index.by_serial.get(serial or "", []) if i != record_id]
    reason = f"matched by {how}"
    if others:
        reason += f"; its serial names record {_ids(others)}, kept apart"
    return Resolution(record_id, how, reason, tuple(Conflict(MatchedBy.SERIAL, i) for i in others))


def _by_weak_keys(
    identity: Identity, source: Source, index: IdentityIndex, taken: frozenset[int]
) -> Resolution:
    """Serial, then address, then hostname, among the records nothing contradicts; a key
    naming several is narrowed by the weaker keys before the observation is refused."""
    if identity.source_id is not None:
        # An observation with an id of its own is another object than every record the
        # source holds under an id (NetBox object 9 is not NetBox object 5's record).
        taken = taken | index.held.get(source, set())
    keys = _weak_keys(identity, index)
    for step, (how, candidates) in enumerate(keys):
        left = [
            i
            for i in candidates
            if i not in taken and not _contradicts(index.records[i], identity, source)
        ]
        if len(left) == 1:
            return Resolution(left[0], how, f"matched by {how}")
        if len(left) > 1:
            return _narrowed(how, left, keys[step + 1 :])
    return Resolution(None, None, "no known record has its serial, address or hostname")


def _weak_keys(identity: Identity, index: IdentityIndex) -> list[tuple[MatchedBy, list[int]]]:
    keys: list[tuple[MatchedBy, list[int]]] = []
    if serial := clean_serial(identity.serial):
        keys.append((MatchedBy.SERIAL, index.by_serial.get(serial, [])))
    if identity.address is not None:
        keys.append((MatchedBy.ADDRESS, index.at(identity.address)))
    if hostname := normalize_hostname(identity.name):
        keys.append((MatchedBy.HOSTNAME, index.by_hostname.get(hostname, [])))
    return keys


def _narrowed(
    how: MatchedBy, left: list[int], weaker: list[tuple[MatchedBy, list[int]]]
) -> Resolution:
    for then, candidates in weaker:
        both = [i for i in left if i in candidates]
        if len(both) == 1:
            return Resolution(both[0], how, f"matched by {how}, one of {len(left)} by {then}")
    return _refused(f"{how} names records {_ids(left)}; nothing tells them apart")


def _contradicts(record: KnownRecord, identity: Identity, source: Source) -> bool:
    """Known serials that differ; without them, known hostnames that differ — unless the
    source itself called the record by that name last time (a new device whose name
    was taken in its site was written as ``sw1-10.0.0.2``: it is still the one the
    source calls sw1)."""
    mine, theirs = clean_serial(identity.serial), clean_serial(record.serial)
    if mine is not None and theirs is not None:
        return mine != theirs
    name, known = normalize_hostname(identity.name), normalize_hostname(record.name)
    if name is None or known is None or name == known:
        return False
    said = record.said.get(source, {}).get("name")
    return not (isinstance(said, str) and normalize_hostname(said) == name)


def _refused(reason: str) -> Resolution:
    return Resolution(None, None, reason, refused=True)


def _ids(ids: Iterable[int]) -> str:
    return ", ".join(str(i) for i in sorted(ids))
