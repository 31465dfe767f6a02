"""Administrative reorganisation as data: new units and an old → new mapping, applied.

``reorganise`` reads both files (``reorganise_rows``), plans against the
inventory (``reorganise_plan``, pure) and, unless it is a dry run, applies the
plan here, the one writer:

1. old units end on the effective date (``valid_to``; rows, names and links
   kept) — first, so their codes are free for the new units;
2. new units start on it (``valid_from``), and each old unit points at the unit
   that received it (``successor``);
3. new People's Committees are created where offices need one, and those of the
   dissolved units end on the effective date;
4. each site that moves or changes hands keeps its earlier placement in
   ``site_history`` (so the tree as of a past date, and requests going live
   before the reform, still find it where it was) and gets its new one.

Every change goes in the change log. Nothing is written when any row is bad or
a site would be left in a dissolved unit, and a dry run writes nothing at all.
Like every service it never commits; the caller does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import ChangeAction, Source
from cmdb.errors import ValidationError
from cmdb.models import AdminUnit, Agency, Link, Site, SiteHistory
from cmdb.services.as_of import unit_in_force
from cmdb.services.import_rows import Table, format_of, parse_table
from cmdb.services.provenance import log_change, mark_seen
from cmdb.services.reorganise_model import (
    AgencyNow,
    Current,
    LinkNow,
    Plan,
    SiteChange,
    SiteNow,
    UnitNow,
)
from cmdb.services.reorganise_plan import plan_reorganisation
from cmdb.services.reorganise_rows import read_mapping_rows, read_unit_rows
from cmdb.services.requests import COMMITTEE_AGENCY_KINDS

ACTOR = "reorganise"


@dataclass(frozen=True)
class Reorganisation:
    """What a run planned and whether it was written."""

    plan: Plan
    applied: bool


def reorganise(
    session: Session,
    units: Table,
    mapping: Table,
    effective: date,
    *,
    dry_run: bool = False,
    skip_unknown: bool = False,
    actor: str = ACTOR,
    source: Source = Source.MANUAL,
) -> Reorganisation:
    """Plan the reorganisation and, unless ``dry_run``, apply it (the caller commits).

    Raises ``ValidationError`` naming every bad row of both files ("units row 3",
    "mapping row 17") or every site that would be left in a dissolved unit.
    ``skip_unknown``: mapping rows whose old unit is not in force are left out and
    listed in ``plan.skipped`` (an official file may name a unit the inventory never had).
    """
    row_errors: dict[str, list[str]] = {}
    unit_rows = read_unit_rows(units, errors=row_errors)
    mapping_rows = read_mapping_rows(mapping, errors=row_errors)
    current = load_current(session)
    plan = plan_reorganisation(
        current, unit_rows, mapping_rows, effective, row_errors, skip_unknown=skip_unknown
    )
    if dry_run or plan.is_empty:
        return Reorganisation(plan, applied=False)
    apply_plan(session, plan, actor=actor, source=source)
    return Reorganisation(plan, applied=True)


def read_table(path: Path, label: str) -> Table:
    """A CSV or JSON file (by suffix) as labelled rows; errors keyed "<label> row N"."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        return parse_table(text, format_of(path))
    except UnicodeDecodeError as exc:
        raise ValidationError({f"{label} file": [f"not UTF-8 text: {exc}"]}) from None
    except ValidationError as exc:
        errors = {f"{label} {where}": messages for where, messages in exc.errors.items()}
        raise ValidationError(errors, f"cannot read the {label} file") from None


def load_current(session: Session) -> Current:
    """Every unit, site (with the date of its last placement change), agency and link."""
    units = {
        row.id: UnitNow(*row)
        for row in session.execute(
            sa.select(
                AdminUnit.id, AdminUnit.code, AdminUnit.name, AdminUnit.level, AdminUnit.kind,
                AdminUnit.parent_id, AdminUnit.valid_from, AdminUnit.valid_to,
                AdminUnit.successor_id,
            )
        )
    }  # fmt: skip
    since = dict(
        session.execute(
            sa.select(SiteHistory.site_id, sa.func.max(SiteHistory.valid_to)).group_by(
                SiteHistory.site_id
            )
        ).all()
    )
    sites = [
        SiteNow(*row, placed_since=since.get(row.id))
        for row in session.execute(
            sa.select(Site.id, Site.slug, Site.name, Site.kind, Site.admin_unit_id, Site.agency_id)
        )
    ]
    agencies = [
        AgencyNow(*row)
        for row in session.execute(
            sa.select(Agency.id, Agency.name, Agency.kind, Agency.admin_unit_id, Agency.valid_to)
        )
    ]
    ends = sa.select(Link.id, Link.name, Link.a_site_id, Link.b_site_id)
    links = [  # a link with an open end joins no two units
        LinkNow(link_id, name, a, b)
        for link_id, name, a, b in session.execute(ends)
        if a is not None and b is not None
    ]
    return Current(units, sites, agencies, links)


def apply_plan(
    session: Session, plan: Plan, *, actor: str = ACTOR, source: Source = Source.MANUAL
) -> None:
    """Write a plan (see the module docstring for the order and why)."""
    ended = _end_old_units(session, plan)
    by_code = _units_in_force(session, plan.effective)
    created = _create_units(session, plan, by_code, actor)
    mark_seen(session, created, source, lambda u: u.code)
    _log_dissolutions(session, plan, ended, by_code, actor)
    committees = _create_committees(session, plan, by_code, actor)
    for change in plan.site_changes:
        _change_site(session, plan.effective, change, by_code, committees, actor)
    _end_committees(session, plan, actor)
    session.flush()


def _end_old_units(session: Session, plan: Plan) -> list[AdminUnit]:
    ended = []
    for d in plan.dissolutions:
        unit = session.get_one(AdminUnit, d.unit.id)
        unit.valid_to = plan.effective
        ended.append(unit)
    session.flush()
    return ended


def _units_in_force(session: Session, on: date) -> dict[str, AdminUnit]:
    """By code: once the old units have ended, codes in force on a day are unique."""
    return {u.code: u for u in session.scalars(sa.select(AdminUnit).where(unit_in_force(on)))}


def _create_units(
    session: Session, plan: Plan, by_code: dict[str, AdminUnit], actor: str
) -> list[AdminUnit]:
    created = []
    for c in plan.creations:
        unit = AdminUnit(
            code=c.code,
            name=c.name,
            level=c.level,
            kind=c.kind,
            parent=by_code[c.parent_code] if c.parent_code else None,
            valid_from=plan.effective,
        )
        session.add(unit)
        by_code[c.code] = unit
        created.append(unit)
    session.flush()
    for unit, c in zip(created, plan.creations, strict=True):
        log_change(
            session, actor=actor, action=ChangeAction.CREATE, obj=unit,
            object_repr=f"{unit.code} {unit.name}", before=None,
            after={"code": c.code, "name": c.name, "level": c.level, "kind": c.kind,
                   "parent_code": c.parent_code, "valid_from": plan.effective},
        )  # fmt: skip
    return created


def _log_dissolutions(
    session: Session, plan: Plan, ended: list[AdminUnit], by_code: dict[str, AdminUnit],
    actor: str,
) -> None:  # fmt: skip
    for unit, d in zip(ended, plan.dissolutions, strict=True):
        unit.successor = by_code[d.successor_code] if d.successor_code else None
        log_change(
            session, actor=actor, action=ChangeAction.UPDATE, obj=unit,
            object_repr=f"{unit.code} {unit.name}",
            before={"valid_to": None, "successor_code": None},
            after={"valid_to": plan.effective, "successor_code": d.successor_code},
        )  # fmt: skip
    session.flush()


def _create_committees(
    session: Session, plan: Plan, by_code: dict[str, AdminUnit], actor: str
) -> dict[str, Agency]:
    """Committee agency by unit code: the existing ones of the units concerned, and new ones."""
    wanted = {c.committee_of for c in plan.site_changes if c.committee_of}
    unit_ids = {by_code[code].id: code for code in wanted}
    stmt = (
        sa.select(Agency)
        .where(Agency.admin_unit_id.in_(unit_ids), Agency.kind.in_(COMMITTEE_AGENCY_KINDS))
        .order_by(Agency.id)
    )
    committees: dict[str, Agency] = {}
    for agency in session.scalars(stmt):
        committees.setdefault(unit_ids[agency.admin_unit_id or 0], agency)
    for c in plan.committees:
        agency = Agency(
            name=c.name, short_name=c.short_name, kind=c.kind, admin_unit=by_code[c.unit_code]
        )
        session.add(agency)
        session.flush()
        committees[c.unit_code] = agency
        log_change(
            session, actor=actor, action=ChangeAction.CREATE, obj=agency, object_repr=c.name,
            before=None, after={"name": c.name, "kind": c.kind, "admin_unit_code": c.unit_code},
        )  # fmt: skip
    return committees


def _end_committees(session: Session, plan: Plan, actor: str) -> None:
    """The committees of dissolved units end with them (their rows and history kept)."""
    for ended in plan.ended_committees:
        agency = session.get_one(Agency, ended.id)
        agency.valid_to = plan.effective
        log_change(
            session, actor=actor, action=ChangeAction.UPDATE, obj=agency, object_repr=agency.name,
            before={"valid_to": None}, after={"valid_to": plan.effective},
        )  # fmt: skip


def _change_site(
    session: Session, effective: date, change: SiteChange, by_code: dict[str, AdminUnit],
    committees: dict[str, Agency], actor: str,
) -> None:  # fmt: skip
    site = session.get_one(Site, change.site.id)
    before = _placement(site)
    session.add(
        SiteHistory(
            site_id=site.id,
            admin_unit_id=site.admin_unit_id,
            agency_id=site.agency_id,
            kind=site.kind,
            valid_from=change.site.placed_since,
            valid_to=effective,
        )
    )
    if change.to_code is not None:
        site.admin_unit = by_code[change.to_code]
    if change.committee_of is not None:
        site.agency = committees[change.committee_of]
    site.kind = change.kind
    session.flush()
    log_change(
        session, actor=actor, action=ChangeAction.UPDATE, obj=site, object_repr=site.name,
        before=before, after=_placement(site) | {"valid_from": effective},
    )  # fmt: skip


def _placement(site: Site) -> dict[str, object]:
    return {
        "admin_unit_code": site.admin_unit.code,
        "agency": site.agency.name if site.agency else None,
        "kind": site.kind,
    }
