"""Import of administrative units (columns: level, code, name, parent_code, kind).

The same columns as the package file ``cmdb/data/quang-nam-admin-units.csv``. A
parent is either already in the database or an *earlier* row of the file (so a file
can carry a whole tree, parents first). Levels must nest: a parent is of a higher
level than its child, which also rules out cycles. Upsert by code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AdminLevel, ChangeAction, Source
from cmdb.models import AdminUnit
from cmdb.services.import_rows import ImportResult, RowCheck, Table, check_header, raise_if_bad
from cmdb.services.place_rules import LEVEL_RANK
from cmdb.services.provenance import log_change, mark_seen

COLUMNS = ("level", "code", "name", "parent_code", "kind")
REQUIRED = ("level", "code", "name", "kind")


@dataclass(frozen=True)
class UnitRow:
    """A valid row: the admin unit as the file wants it."""

    label: str
    code: str
    name: str
    level: AdminLevel
    kind: str
    parent_code: str | None


def check_admin_unit_rows(table: Table, existing: Mapping[str, AdminLevel]) -> list[UnitRow]:
    """Validate every row against the file and the database (``existing``: code → level).

    Pure; raises ``ValidationError`` naming every bad row.
    """
    check_header(table, COLUMNS, REQUIRED)
    errors: dict[str, list[str]] = {}
    parsed: list[tuple[RowCheck, UnitRow | None]] = []
    first_label: dict[str, str] = {}
    for row in table.rows:
        check = RowCheck(row, COLUMNS)
        unit = _read_unit(check)
        if unit is not None:
            if unit.code in first_label:
                check.fail(f"code: {unit.code!r} is repeated (first in {first_label[unit.code]})")
            else:
                first_label[unit.code] = row.label
        parsed.append((check, unit))
    final_levels = dict(existing)
    final_levels.update({u.code: u.level for _, u in reversed(parsed) if u is not None})
    known = set(existing)
    for check, unit in parsed:
        if unit is not None:
            _check_parent(check, unit, known, final_levels)
            known.add(unit.code)
        if check.errors:
            errors[check.row.label] = check.errors
    raise_if_bad(errors)
    return [unit for _, unit in parsed if unit is not None]


def _read_unit(check: RowCheck) -> UnitRow | None:
    """The row's unit; None when its level or code is unusable (then nothing refers to it).

    A missing name or kind still yields a unit, so its parent is checked too and the
    person fixing the file sees every problem of the row at once.
    """
    if not check.readable:
        return None
    level = check.choice("level", AdminLevel, required=True)
    code = check.text("code", max_len=10, required=True)
    name = check.text("name", max_len=120, required=True)
    kind = check.text("kind", max_len=60, required=True)
    parent_code = check.text("parent_code", max_len=10)
    if code is not None and any(c.isspace() for c in code):
        check.fail(f"code: {code!r} contains a space")
        return None
    if level is None or code is None:
        return None
    return UnitRow(check.row.label, code, name or "", level, kind or "", parent_code)


def _check_parent(
    check: RowCheck, unit: UnitRow, known: set[str], levels: Mapping[str, AdminLevel]
) -> None:
    parent = unit.parent_code
    if unit.level is AdminLevel.PROVINCE:
        if parent is not None:
            check.fail("parent_code: a province has no parent")
        return
    if parent is None:
        check.fail(f"parent_code: required for a {unit.level}")
    elif parent == unit.code:
        check.fail("parent_code: a unit cannot be its own parent")
    elif parent not in known:
        check.fail(
            f"parent_code: {parent!r} is not a known admin unit (nor an earlier row of this file)"
        )
    elif LEVEL_RANK[levels[parent]] >= LEVEL_RANK[unit.level]:
        check.fail(
            f"parent_code: {parent!r} is a {levels[parent]}, it cannot contain a {unit.level}"
        )


def import_admin_units(
    session: Session,
    table: Table,
    *,
    actor: str = "import",
    source: Source = Source.MANUAL,
    log_changes: bool = True,
) -> ImportResult:
    """Validate every row, then create or update by code; nothing is written if any row is bad."""
    # Codes are unique among units in force; dissolved ones (a reform) are history.
    current = sa.select(AdminUnit).where(AdminUnit.valid_to.is_(None))
    units = {u.code: u for u in session.scalars(current)}
    rows = check_admin_unit_rows(table, {code: u.level for code, u in units.items()})
    code_of = {u.id: code for code, u in units.items()}
    changes: list[tuple[AdminUnit, dict[str, object] | None]] = []
    seen: list[AdminUnit] = []
    for row in rows:
        obj = units.get(row.code)
        wanted = _fields(row.code, row.name, row.level, row.kind, row.parent_code)
        before = None if obj is None else _fields_of(obj, code_of.get(obj.parent_id or -1))
        if obj is None:
            obj = AdminUnit(code=row.code)
            session.add(obj)
        if before != wanted:
            obj.name, obj.level, obj.kind = row.name, row.level, row.kind
            obj.parent = units[row.parent_code] if row.parent_code else None
            changes.append((obj, before))
        units[row.code] = obj
        seen.append(obj)
    session.flush()
    if log_changes:
        _log(session, actor, changes)
    mark_seen(session, seen, source, lambda u: u.code)
    created = sum(1 for _, before in changes if before is None)
    return ImportResult(created, len(changes) - created, len(seen) - len(changes))


def _fields(
    code: str, name: str, level: AdminLevel, kind: str, parent_code: str | None
) -> dict[str, object]:
    return {"code": code, "name": name, "level": level, "kind": kind, "parent_code": parent_code}


def _fields_of(unit: AdminUnit, parent_code: str | None) -> dict[str, object]:
    return _fields(unit.code, unit.name, unit.level, unit.kind, parent_code)


def _log(
    session: Session, actor: str, changes: list[tuple[AdminUnit, dict[str, object] | None]]
) -> None:
    for unit, before in changes:
        log_change(
            session,
            actor=actor,
            action=ChangeAction.CREATE if before is None else ChangeAction.UPDATE,
            obj=unit,
            object_repr=f"{unit.code} {unit.name}",
            before=before,
            after=_fields_of(unit, unit.parent.code if unit.parent else None),
        )
