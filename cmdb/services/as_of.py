"""The inventory as it stood on a date: units in force, sites' placements, successors.

Administrative reforms dissolve units (``valid_to``) and move sites to new ones
(the earlier placement kept in ``site_history``). Every question that names a
date — the tree as of 30 June 2025, the sites a request reaches on its go-live —
reads through these helpers, so "before" and "after" are answered the same way
everywhere. ``valid_from`` is inclusive and ``valid_to`` exclusive.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from cmdb.models import AdminUnit, Site, SiteHistory

#: Bound on successor chains and nesting: far beyond any real sequence of reforms,
#: it only stops corrupt data (a successor cycle) from looping.
MAX_STEPS = 32


def unit_in_force(
    on: date | sa.BindParameter[Any], unit: Any = AdminUnit
) -> sa.ColumnElement[bool]:
    """SQL condition: the admin unit (``AdminUnit`` or an alias of it) existed on ``on``
    (a date, or a parameter bound when the statement runs)."""
    return in_force(on, unit)


def in_force(on: date | sa.BindParameter[Any], dated: Any) -> sa.ColumnElement[bool]:
    """SQL condition: a row of a dated table (admin unit, link, agency, or an alias) was
    in force on ``on``."""
    return sa.and_(
        sa.or_(dated.valid_from.is_(None), dated.valid_from <= on),
        sa.or_(dated.valid_to.is_(None), dated.valid_to > on),
    )


def is_in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    """The same test in Python, for rows already loaded."""
    return (valid_from is None or valid_from <= on) and (valid_to is None or valid_to > on)


def site_placement_at(on: date | sa.BindParameter[Any], name: str = "placement") -> sa.Subquery:
    """Every site's admin unit, agency and kind on ``on``: columns ``site_id``,
    ``admin_unit_id``, ``agency_id``, ``kind``.

    The history row covering ``on`` when there is one, else the site's current row.
    History rows of one site never overlap, so each site appears once.
    """
    past = aliased(SiteHistory)
    covers = sa.and_(
        past.site_id == Site.id,
        sa.or_(past.valid_from.is_(None), past.valid_from <= on),
        past.valid_to > on,
    )
    return (
        sa.select(
            Site.id.label("site_id"),
            sa.func.coalesce(past.admin_unit_id, Site.admin_unit_id).label("admin_unit_id"),
            sa.case((past.id.is_(None), Site.agency_id), else_=past.agency_id).label("agency_id"),
            sa.type_coerce(
                sa.case((past.id.is_(None), Site.kind), else_=past.kind), Site.kind.type
            ).label("kind"),
        )
        .outerjoin(past, covers)
        .subquery(name)
    )


@dataclass(frozen=True, slots=True)
class UnitSpan:
    """What successor-following needs of a unit."""

    id: int
    parent_id: int | None
    valid_from: date | None
    valid_to: date | None
    successor_id: int | None


def compute_successors(units: Mapping[int, UnitSpan], unit_id: int, on: date) -> list[int]:
    """The units in force on ``on`` that took over the unit ``unit_id`` (pure).

    A unit in force is its own answer. A dissolved unit with a successor is
    followed to it (and on, through later reforms). A dissolved unit without one
    (a district the 2025 reform abolished, a province merged commune by commune)
    is answered by its parts: the successors of the units that were its children
    on its last day. Order: first found, no repeats.
    """
    children: dict[int | None, list[UnitSpan]] = {}
    for unit in units.values():
        children.setdefault(unit.parent_id, []).append(unit)
    found: dict[int, None] = {}
    _follow(units, children, units[unit_id], on, found, depth=0)
    return list(found)


def _follow(
    units: Mapping[int, UnitSpan],
    children: Mapping[int | None, list[UnitSpan]],
    unit: UnitSpan,
    on: date,
    found: dict[int, None],
    depth: int,
) -> None:
    if depth > MAX_STEPS:
        return
    if is_in_force(unit.valid_from, unit.valid_to, on):
        found[unit.id] = None
        return
    if unit.valid_to is None or unit.valid_to > on:  # not yet in force on ``on``
        return
    if unit.successor_id is not None and unit.successor_id in units:
        _follow(units, children, units[unit.successor_id], on, found, depth + 1)
        return
    last_day = unit.valid_to - timedelta(days=1)
    for child in sorted(children.get(unit.id, []), key=lambda c: c.id):
        if is_in_force(child.valid_from, child.valid_to, last_day):
            _follow(units, children, child, on, found, depth + 1)


def load_unit_spans(session: Session) -> dict[int, UnitSpan]:
    """Every unit's dates, parent and successor (one query; a province is a few hundred)."""
    stmt = sa.select(
        AdminUnit.id,
        AdminUnit.parent_id,
        AdminUnit.valid_from,
        AdminUnit.valid_to,
        AdminUnit.successor_id,
    )
    return {row.id: UnitSpan(*row) for row in session.execute(stmt)}


def load_successors(session: Session, code: str, on: date) -> list[AdminUnit]:
    """The units in force on ``on`` that took over the latest unit dissolved under ``code``.

    Empty when no unit with that code was dissolved on or before ``on``.
    """
    stmt = (
        sa.select(AdminUnit.id)
        .where(AdminUnit.code == code, AdminUnit.valid_to.is_not(None), AdminUnit.valid_to <= on)
        .order_by(AdminUnit.valid_to.desc())
    )
    dissolved = session.scalars(stmt).first()
    if dissolved is None:
        return []
    ids = compute_successors(load_unit_spans(session), dissolved, on)
    by_id = {u.id: u for u in session.scalars(sa.select(AdminUnit).where(AdminUnit.id.in_(ids)))}
    return [by_id[i] for i in ids]


def latest_unit_version(session: Session, code: str) -> AdminUnit | None:
    """The most recent unit that bore ``code``: the one in force, else the last dissolved."""
    stmt = sa.select(AdminUnit).where(AdminUnit.code == code)
    candidates = list(session.scalars(stmt))
    return max(candidates, key=_recency, default=None)


def _recency(unit: AdminUnit) -> tuple[int, date]:
    return (1, date.max) if unit.valid_to is None else (0, unit.valid_to)
