"""Plan a NetBox sync: records + the inventory as it is → creates, updates, unchanged, not seen.

Pure (no database). Identity, as DESIGN §5: the NetBox id first, then the natural
key of each kind (admin-unit code, agency name, site slug, device serial →
management address → hostname…), and only among rows no other NetBox id claims.

Who wins a field: NetBox states declared facts (names, sites, racks, roles,
statuses, owners) and always wins them. For observed facts (a device's serial and
specs, an interface's speed, a VM's size) and for the administrative tree (the
national list), NetBox's value is taken only when NetBox is the row's only source
or the row has none; otherwise the row keeps its value and the audit compares the
sources through the observations. A default never overwrites a value.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from discovery.netbox.records import KINDS, NbRecord, Ref, Skipped

CREATE, UPDATE, UNCHANGED, FAILED = "create", "update", "unchanged", "failed"
COUNT_WORDS = {CREATE: "created", UPDATE: "updated", UNCHANGED: "unchanged", FAILED: "failed"}

# Fields where NetBox yields to the row's other sources (see the module docstring).
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
# Kinds whose rows NetBox ids name; information systems are named by a custom field.
TRACKED_KINDS = tuple(k for k in KINDS if k != "information_systems")


@dataclass(frozen=True)
class Pending:
    """A row this plan creates: it has no id until applied."""

    kind: str
    external_id: str


@dataclass(frozen=True)
class KnownRow:
    """A row of the inventory as the planner sees it."""

    id: int
    values: Mapping[str, Any]
    netbox_id: str | None = None
    netbox_last_seen: datetime | None = None
    other_sources: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Action:
    kind: str
    action: str
    record: NbRecord
    row_id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    before: Mapping[str, Any] = field(default_factory=dict)
    reason: str | None = None
    matched_by: str | None = None
    # Every column as NetBox states it, references resolved (for observations).
    resolved: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class NotSeen:
    kind: str
    row_id: int
    external_id: str
    last_seen_at: datetime | None


@dataclass
class SyncPlan:
    actions: dict[str, list[Action]] = field(default_factory=lambda: {k: [] for k in KINDS})
    not_seen: list[NotSeen] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def counts(self) -> dict[str, dict[str, int]]:
        """Per kind: created, updated, unchanged, failed (the CLI's and the run's words)."""
        return {
            kind: {word: sum(x.action == a for x in acts) for a, word in COUNT_WORDS.items()}
            for kind, acts in self.actions.items()
        }

    @property
    def changes(self) -> int:
        return sum(a.action in (CREATE, UPDATE) for acts in self.actions.values() for a in acts)


Resolved = int | Pending | None


class _Resolver:
    """(kind, NetBox id) → a row id, a pending row, or the reason it cannot be."""

    def __init__(self, known: Mapping[str, list[KnownRow]]) -> None:
        self.ids: dict[tuple[str, str], Resolved] = {}
        self.failed: dict[tuple[str, str], str] = {}
        self.codes: dict[str, Resolved] = {}
        for kind, rows in known.items():
            for row in rows:
                if row.netbox_id is not None:
                    self.ids[(kind, row.netbox_id)] = row.id
        for row in known.get("admin_units", []):
            if row.values.get("valid_to") is None:
                self.codes[str(row.values["code"])] = row.id

    def resolve(self, ref: Ref) -> Resolved:
        if ref.code is not None:
            if ref.code not in self.codes:
                raise LookupError(f"no admin unit has code {ref.code}")
            return self.codes[ref.code]
        key = (ref.kind, str(ref.external_id))
        if key in self.failed:
            raise LookupError(f"its {ref.kind[:-1]} {ref.external_id} failed: {self.failed[key]}")
        if key not in self.ids:
            raise LookupError(f"its {ref.kind[:-1]} {ref.external_id} is unknown to Headroom")
        return self.ids[key]


def plan_sync(
    records: Mapping[str, list[NbRecord]],
    known: Mapping[str, list[KnownRow]],
    seen_ids: Mapping[str, set[str]] | None = None,
    skipped: Iterable[Skipped] = (),
    deleted_ids: Mapping[str, set[str]] | None = None,
) -> SyncPlan:
    """Plan every record against ``known``; ``seen_ids`` (incremental) lists what NetBox has,
    ``deleted_ids`` (incremental, from NetBox's change log) what it deleted."""
    plan = SyncPlan(skipped=list(skipped))
    resolver = _Resolver(known)
    dc_sites: set[Resolved] = set()
    for kind in KINDS:
        candidates = _Candidates(kind, known.get(kind, []))
        if kind == "links":
            dc_sites = _dc_sites(plan.actions["sites"], known.get("sites", []), resolver)
        for record in records.get(kind, []):
            action = _plan_record(record, candidates, resolver, dc_sites)
            plan.actions[kind].append(action)
            _remember(resolver, action)
    if deleted_ids is not None:
        plan.not_seen = _deleted(known, deleted_ids)
    else:
        plan.not_seen = _not_seen(records, known, seen_ids, plan.skipped)
    return plan


def _plan_record(
    record: NbRecord, candidates: _Candidates, resolver: _Resolver, dc_sites: set[Resolved]
) -> Action:
    if record.error:
        return Action(record.kind, FAILED, record, reason=record.error)
    try:
        values = {**record.fields, **{c: _ref(resolver, r) for c, r in record.refs.items()}}
    except LookupError as exc:
        return Action(record.kind, FAILED, record, reason=str(exc))
    if record.kind == "links":
        values = _towards_dc(values, dc_sites)
    row, matched_by = candidates.match(record, values)
    if row is None:
        created = {**record.defaults, **values}
        if record.kind == "links" and not _has_capacity(created):
            reason = "no commit rate and no port speed (are the interfaces' speeds documented?)"
            return Action(record.kind, FAILED, record, reason=reason)
        return Action(record.kind, CREATE, record, values=created, resolved=values)
    candidates.claimed.add(row.id)
    changes = _changes(record.kind, row, values)
    if not changes:
        return Action(
            record.kind, UNCHANGED, record, row.id, matched_by=matched_by, resolved=values
        )
    before = {k: row.values.get(k) for k in changes}
    return Action(
        record.kind, UPDATE, record, row.id, changes, before, matched_by=matched_by, resolved=values
    )


def _has_capacity(values: Mapping[str, Any]) -> bool:
    """A new link needs a commit rate or a port speed (the link table's check)."""
    return any(values.get(c) is not None for c in ("commit_rate_mbps", "port_speed_mbps"))


def _ref(resolver: _Resolver, ref: Ref | None) -> Resolved:
    return None if ref is None else resolver.resolve(ref)


def _remember(resolver: _Resolver, action: Action) -> None:
    key = (action.kind, action.record.external_id)
    if action.action == FAILED:
        resolver.failed[key] = action.reason or "failed"
        return
    target: Resolved = action.row_id if action.row_id is not None else Pending(*key)
    resolver.ids[key] = target
    if action.kind == "admin_units":
        resolver.codes.setdefault(str(action.record.fields["code"]), target)


def _changes(kind: str, row: KnownRow, values: Mapping[str, Any]) -> dict[str, Any]:
    yielding = YIELDING.get(kind, frozenset())
    netbox_owns_row = row.netbox_id is not None and not row.other_sources
    changes = {}
    for column, new in values.items():
        old = row.values.get(column)
        if _same(old, new):
            continue
        if column in yielding and old is not None and not netbox_owns_row:
            continue
        changes[column] = new
    return changes


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float | int) and isinstance(new, float | int) and not isinstance(new, bool):
        return abs(float(old) - float(new)) < 1e-9
    return bool(old == new)


# -- identity ------------------------------------------------------------------------------


def _hostname(name: Any) -> str | None:
    return str(name).split(".", 1)[0].lower() if name else None


def _interface_pair(values: Mapping[str, Any]) -> tuple[int, int] | None:
    """A cable's two interfaces in either order (SNMP or a person may have named them
    the other way round); ``None`` unless both are existing rows."""
    a, b = values.get("a_interface_id"), values.get("b_interface_id")
    if not (isinstance(a, int) and isinstance(b, int)):
        return None
    return (min(a, b), max(a, b))


_KEYS: Mapping[str, tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...]] = {
    "admin_units": (("code", lambda v: v.get("code")),),
    "agencies": (("name", lambda v: str(v.get("name") or "").lower() or None),),
    "sites": (("slug", lambda v: v.get("slug")),),
    "racks": (("site and name", lambda v: (v.get("site_id"), v.get("name"))),),
    "clusters": (("name", lambda v: v.get("name")),),
    "devices": (
        ("serial", lambda v: v.get("serial")),
        ("management address", lambda v: v.get("management_address")),
        ("hostname", lambda v: _hostname(v.get("name"))),
    ),
    "interfaces": (("device and name", lambda v: (v.get("device_id"), v.get("name"))),),
    "links": (
        ("circuit id", lambda v: v.get("circuit_id")),
        ("interfaces", _interface_pair),
    ),
    "information_systems": (("name", lambda v: v.get("name")),),
    "workloads": (
        ("system and name", lambda v: (v.get("information_system_id"), _hostname(v.get("name")))),
        ("management address", lambda v: v.get("management_address")),
    ),
}


class _Candidates:
    """The rows of one kind a record may match, indexed once (a sync plans 20,000 records).

    A row is matched by its NetBox id, else by a natural key among the rows no NetBox
    id names and no earlier record of this plan claimed; a key must name exactly one.
    """

    def __init__(self, kind: str, rows: list[KnownRow]) -> None:
        self.kind = kind
        self.by_netbox = {r.netbox_id: r for r in rows if r.netbox_id is not None}
        self.claimed = {r.id for r in self.by_netbox.values()}
        free = [r for r in rows if r.netbox_id is None]
        if kind == "admin_units":
            free = [r for r in free if r.values.get("valid_to") is None]
        self.by_key: list[tuple[str, Callable[[Mapping[str, Any]], Any], dict[Any, list[KnownRow]]]]
        self.by_key = []
        for label, key in _KEYS[kind]:
            index: dict[Any, list[KnownRow]] = {}
            for row in free:
                index.setdefault(key(row.values), []).append(row)
            self.by_key.append((label, key, index))

    def match(
        self, record: NbRecord, values: Mapping[str, Any]
    ) -> tuple[KnownRow | None, str | None]:
        by_netbox = self.by_netbox.get(record.external_id)
        if by_netbox is not None:
            return by_netbox, "netbox id"
        for label, key, index in self.by_key:
            wanted = key(values)
            if _incomplete(wanted):
                continue
            found = [r for r in index.get(wanted, []) if r.id not in self.claimed]
            if len(found) == 1:
                return found[0], label
        return None, None


def _incomplete(key: Any) -> bool:
    parts = key if isinstance(key, tuple) else (key,)
    return any(p is None or isinstance(p, Pending) for p in parts)


# -- links point towards the DC ------------------------------------------------------------


def _dc_sites(
    site_actions: list[Action], site_rows: list[KnownRow], resolver: _Resolver
) -> set[Resolved]:
    """The sites that are data centres once this plan is applied (ids or pending rows)."""
    kinds: dict[Resolved, Any] = {row.id: row.values.get("kind") for row in site_rows}
    for action in site_actions:
        target = resolver.ids.get(("sites", action.record.external_id))
        if action.action == FAILED or target is None:
            continue
        kinds[target] = action.values.get("kind") or kinds.get(target)
    return {site for site, kind in kinds.items() if kind == "data_centre"}


def _towards_dc(values: dict[str, Any], dc_sites: set[Resolved]) -> dict[str, Any]:
    """A link's b end is the one nearer the DC (Link's convention): swap when a is the DC."""
    if values.get("a_site_id") in dc_sites and values.get("b_site_id") not in dc_sites:
        values = dict(values)
        values["a_site_id"], values["b_site_id"] = values["b_site_id"], values["a_site_id"]
        a_if, b_if = values.get("a_interface_id"), values.get("b_interface_id")
        if "a_interface_id" in values or "b_interface_id" in values:
            values["a_interface_id"], values["b_interface_id"] = b_if, a_if
    return values


# -- absence -------------------------------------------------------------------------------


def _not_seen(
    records: Mapping[str, list[NbRecord]],
    known: Mapping[str, list[KnownRow]],
    seen_ids: Mapping[str, set[str]] | None,
    skipped: Iterable[Skipped],
) -> list[NotSeen]:
    """Rows NetBox named before and no longer has: marked, never deleted."""
    skipped_ids = {(s.kind, s.external_id) for s in skipped}
    result = []
    for kind in TRACKED_KINDS:
        if seen_ids is not None:
            seen = set(seen_ids.get(kind, set()))
        else:
            seen = {r.external_id for r in records.get(kind, [])}
        seen |= {ext for k, ext in skipped_ids if k == kind}
        for row in known.get(kind, []):
            if row.netbox_id is not None and row.netbox_id not in seen:
                result.append(NotSeen(kind, row.id, row.netbox_id, row.netbox_last_seen))
    return result


def _deleted(
    known: Mapping[str, list[KnownRow]], deleted_ids: Mapping[str, set[str]]
) -> list[NotSeen]:
    """Rows whose NetBox object its change log says was deleted: marked, never deleted.

    Rows deleted before the interval are not listed again: their "last seen" already
    stopped moving (a ``--full`` sync lists every row NetBox no longer has).
    """
    return [
        NotSeen(kind, row.id, row.netbox_id, row.netbox_last_seen)
        for kind in TRACKED_KINDS
        for row in known.get(kind, [])
        if row.netbox_id is not None and row.netbox_id in deleted_ids.get(kind, set())
    ]
