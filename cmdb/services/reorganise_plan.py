"""The plan of a reorganisation: which units, sites and committees change (pure).

Sites follow their unit: a site in a dissolved unit moves to the unit that
receives the whole of it (a district office moves with the commune it stands
in). A site in a unit dissolved without a successor cannot be placed and the
whole reorganisation is refused, listing those sites.

People's Committees (how requests find a unit's office, see
``cmdb.services.requests.load_committee_sites``). The old committees' agencies are
kept, with their history, and end on the effective date (``valid_to``); their sites
are handed over:

- every site of a dissolved unit's committee goes to the committee of the unit
  that receives that unit (for a district abolished without successor: of the
  unit the site now stands in) — the committee is created when the inventory has
  none for that unit;
- when that committee has no seat yet, one office becomes its seat: the office
  of the old unit whose code the new unit took over (GSO gives the merged unit
  the code of one of its parts), else of the lowest old code; the seat keeps
  the committee-office kind of the new unit's level;
- every other committee office becomes an agency office of the new committee
  (a one-stop service point in a former commune or district seat), so a request
  reaches each new unit once, through its seat.

A plan computed after it was applied is empty, so re-running changes nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from cmdb.choices import AdminLevel, AgencyKind, SiteKind
from cmdb.errors import ValidationError
from cmdb.services.reorganise_model import (
    AgencyNow,
    CommitteeCreation,
    Current,
    Dissolution,
    InternalLink,
    Plan,
    SiteChange,
    SiteNow,
)
from cmdb.services.reorganise_resolve import Resolution, Target, resolve
from cmdb.services.reorganise_rows import MappingRow, NewUnitRow
from cmdb.services.requests import COMMITTEE_AGENCY_KINDS, COMMITTEE_SITE_KINDS

COMMITTEE_KIND = {
    AdminLevel.PROVINCE: AgencyKind.PROVINCIAL_COMMITTEE,
    AdminLevel.DISTRICT: AgencyKind.DISTRICT_COMMITTEE,
    AdminLevel.COMMUNE: AgencyKind.COMMUNE_COMMITTEE,
}
SEAT_KIND = {
    AdminLevel.PROVINCE: SiteKind.AGENCY_OFFICE,
    AdminLevel.DISTRICT: SiteKind.DISTRICT_OFFICE,
    AdminLevel.COMMUNE: SiteKind.COMMUNE_OFFICE,
}


def plan_reorganisation(
    current: Current,
    unit_rows: Sequence[NewUnitRow],
    mapping_rows: Sequence[MappingRow],
    effective: date,
    row_errors: Mapping[str, list[str]] | None = None,
    *,
    skip_unknown: bool = False,
) -> Plan:
    """The whole plan; ValidationError for bad rows (with ``row_errors``, those found
    while reading) or for sites left without a unit. ``skip_unknown``: see ``resolve``."""
    res = resolve(
        current, unit_rows, mapping_rows, effective, row_errors, skip_unknown=skip_unknown
    )
    moves = _site_moves(current, res)
    handovers, committees = _handovers(current, res, moves)
    changes = _site_changes(current, res, moves, handovers)
    dissolutions = tuple(
        Dissolution(current.units[uid], succ)
        for uid, succ in sorted(res.dissolved.items(), key=lambda kv: current.units[kv[0]].code)
        if current.units[uid].valid_to is None
    )
    return Plan(
        effective=effective,
        creations=res.creations,
        dissolutions=dissolutions,
        site_changes=changes,
        committees=committees,
        merges=_merges(dissolutions),
        internal_links=_internal_links(current, moves),
        names={code: t.name for code, t in res.targets.items()},
        skipped=res.skipped,
        ended_committees=tuple(
            a
            for a in current.agencies
            if a.kind in COMMITTEE_AGENCY_KINDS
            and a.admin_unit_id in res.dissolved
            and a.valid_to is None
        ),
    )


def _site_moves(current: Current, res: Resolution) -> dict[int, str]:
    """Site id → the code of the unit it moves to; refuses sites that cannot move."""
    errors: dict[str, list[str]] = {}
    moves: dict[int, str] = {}
    for site in current.sites:
        if site.admin_unit_id not in res.dissolved:
            continue
        unit = current.units[site.admin_unit_id]
        successor = res.dissolved[site.admin_unit_id]
        if successor is None:
            errors[f"site {site.slug}"] = [
                f"stands in {unit.code} {unit.name}, which this reorganisation dissolves "
                f"without a successor: place the site in a smaller unit first, or map {unit.code}"
            ]
        elif site.placed_since is not None and site.placed_since >= res.effective:
            errors[f"site {site.slug}"] = [
                f"was placed on {site.placed_since}, not before the effective date {res.effective}"
            ]
        else:
            moves[site.id] = successor
    if errors:
        raise ValidationError(
            errors, f"{len(errors)} site(s) would be left in dissolved units; nothing written"
        )
    return moves


def _handovers(
    current: Current, res: Resolution, moves: Mapping[int, str]
) -> tuple[dict[int, tuple[str, SiteKind]], tuple[CommitteeCreation, ...]]:
    """Site id → (code of the unit whose committee takes it, its kind); committees to create."""
    agencies = {a.id: a for a in current.agencies}
    old_committee_unit = {
        a.id: a.admin_unit_id
        for a in current.agencies
        if a.kind in COMMITTEE_AGENCY_KINDS and a.admin_unit_id in res.dissolved
    }
    incoming: dict[str, list[SiteNow]] = defaultdict(list)
    for site in current.sites:
        if site.agency_id in old_committee_unit:
            old_unit = old_committee_unit[site.agency_id]
            assert old_unit is not None
            code = res.dissolved[old_unit] or moves.get(site.id) or _unit_code(current, site)
            incoming[code].append(site)
    seated = _units_with_seat(current, res, moves)
    handovers: dict[int, tuple[str, SiteKind]] = {}
    creations: list[CommitteeCreation] = []
    for code, sites in sorted(incoming.items()):
        target = res.targets.get(code)
        if target is None:  # stays in a unit that is neither new nor kept: nothing to hand to
            continue
        seat = None if code in seated else _seat(current, res, agencies, code, sites)
        for site in sites:
            kind = site.kind
            if site.kind in COMMITTEE_SITE_KINDS:
                kind = SEAT_KIND[target.level] if site is seat else SiteKind.AGENCY_OFFICE
            handovers[site.id] = (code, kind)
        if not _has_committee(current, target):
            creations.append(_committee(current, res, target))
    return handovers, tuple(creations)


def _unit_code(current: Current, site: SiteNow) -> str:
    return current.units[site.admin_unit_id].code


def _units_with_seat(current: Current, res: Resolution, moves: Mapping[int, str]) -> set[str]:
    """Codes of kept units whose committee already has an office that is not handed over."""
    committee_unit = {
        a.id: a.admin_unit_id for a in current.agencies if a.kind in COMMITTEE_AGENCY_KINDS
    }
    kept_ids = {t.id: code for code, t in res.targets.items() if t.id is not None}
    seated: set[str] = set()
    for site in current.sites:
        unit_id = committee_unit.get(site.agency_id) if site.agency_id is not None else None
        if unit_id in kept_ids and site.kind in COMMITTEE_SITE_KINDS:
            seated.add(kept_ids[unit_id])
    return seated


def _seat(
    current: Current, res: Resolution, agencies: Mapping[int, AgencyNow], code: str,
    sites: Sequence[SiteNow],
) -> SiteNow | None:  # fmt: skip
    """The office of a merged unit that becomes the new committee's seat (see module doc)."""
    candidates: list[tuple[tuple[int, str, int], SiteNow]] = []
    for site in sites:
        agency = agencies.get(site.agency_id) if site.agency_id is not None else None
        unit_id = agency.admin_unit_id if agency is not None else None
        if site.kind not in COMMITTEE_SITE_KINDS or unit_id is None:
            continue
        if res.dissolved.get(unit_id) != code:  # a district office: not a merged unit's own
            continue
        old_code = current.units[unit_id].code
        candidates.append(((0 if old_code == code else 1, old_code, site.id), site))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _has_committee(current: Current, target: Target) -> bool:
    return target.id is not None and any(
        a.admin_unit_id == target.id and a.kind in COMMITTEE_AGENCY_KINDS for a in current.agencies
    )


def _committee(current: Current, res: Resolution, target: Target) -> CommitteeCreation:
    """'Ủy ban nhân dân phường Bàn Thạch, thành phố Đà Nẵng' (unique among agencies)."""
    spoken = _inline(target.name)
    root = _root_name(res, target)
    name = f"Ủy ban nhân dân {spoken}" + (f", {_inline(root)}" if root else "")
    if name in {a.name for a in current.agencies}:
        name = f"{name} ({target.code})"
    return CommitteeCreation(
        target.code, name[:200], f"UBND {spoken}"[:40], COMMITTEE_KIND[target.level]
    )


def _root_name(res: Resolution, target: Target) -> str | None:
    """The province of a new unit (None for a province itself)."""
    if target.level is AdminLevel.PROVINCE:
        return None
    provinces = [t for t in res.targets.values() if t.level is AdminLevel.PROVINCE]
    parents = {c.code: c.parent_code for c in res.creations}
    code: str | None = target.code
    for _ in range(8):
        code = parents.get(code or "")
        match = next((p for p in provinces if p.code == code), None)
        if match is not None:
            return match.name
    return None


def _inline(name: str) -> str:
    """A unit's name mid-sentence: 'Phường Bàn Thạch' → 'phường Bàn Thạch'."""
    for prefix in ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Tỉnh", "Xã"):
        if name.startswith(prefix + " "):
            return prefix.lower() + name[len(prefix) :]
    return name


def _site_changes(
    current: Current, res: Resolution, moves: Mapping[int, str],
    handovers: Mapping[int, tuple[str, SiteKind]],
) -> tuple[SiteChange, ...]:  # fmt: skip
    changes = []
    for site in sorted(current.sites, key=lambda s: s.slug):
        if site.id not in moves and site.id not in handovers:
            continue
        committee_of, kind = handovers.get(site.id, (None, site.kind))
        changes.append(
            SiteChange(
                site=site,
                from_unit=current.units[site.admin_unit_id],
                to_code=moves.get(site.id),
                committee_of=committee_of,
                kind=kind,
            )
        )
    return tuple(changes)


def _merges(dissolutions: Sequence[Dissolution]) -> dict[str, tuple[str, ...]]:
    """New unit code → the old codes it receives, for units that receive several."""
    received: dict[str, list[str]] = defaultdict(list)
    for d in dissolutions:
        if d.successor_code is not None:
            received[d.successor_code].append(d.unit.code)
    return {code: tuple(sorted(old)) for code, old in sorted(received.items()) if len(old) > 1}


def _internal_links(current: Current, moves: Mapping[int, str]) -> tuple[InternalLink, ...]:
    """Links between two units before that end up inside one unit after."""
    unit_of = {s.id: s.admin_unit_id for s in current.sites}
    out = []
    for link in sorted(current.links, key=lambda lk: lk.id):
        a, b = link.a_site_id, link.b_site_id
        if a not in moves and b not in moves:
            continue
        after_a = moves.get(a) or current.units[unit_of[a]].code
        after_b = moves.get(b) or current.units[unit_of[b]].code
        if after_a == after_b and unit_of[a] != unit_of[b]:
            out.append(InternalLink(link, after_a))
    return tuple(out)
