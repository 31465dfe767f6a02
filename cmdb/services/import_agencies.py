"""Import of agencies (columns: name, short_name, kind, admin_unit_code, valid_from,
valid_to): the owners a fresh install needs before anyone can file a request.

``name`` is the key (upsert; an agency's full name is unique). ``admin_unit_code``
names a unit in force (import the admin units first): a People's Committee is found
through its unit. Optional columns a file leaves out are left alone on update; an
empty cell clears the value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.choices import AgencyKind, Source
from cmdb.models import AdminUnit, Agency
from cmdb.services.import_rows import (
    ImportResult,
    RowCheck,
    Table,
    check_header,
    check_keyed_rows,
)
from cmdb.services.import_upsert import upsert_rows
from cmdb.services.provenance import mark_seen

COLUMNS = ("name", "short_name", "kind", "admin_unit_code", "valid_from", "valid_to")
REQUIRED = ("name", "kind")


@dataclass(frozen=True)
class AgencyRow:
    """A valid row: the fields to set (optional ones only when the file gives them)."""

    label: str
    name: str
    values: dict[str, Any]


def check_agency_rows(table: Table, units: dict[str, int]) -> list[AgencyRow]:
    """Validate every row against ``units`` (admin unit ids in force, by code); pure,
    raises ``ValidationError`` naming every bad row."""
    check_header(table, COLUMNS, REQUIRED)
    return check_keyed_rows(
        table, COLUMNS, lambda check: _read_agency(check, units), lambda a: a.name, "name"
    )


def _read_agency(check: RowCheck, units: dict[str, int]) -> AgencyRow | None:
    name = check.text("name", max_len=200, required=True)
    values: dict[str, Any] = {"kind": check.choice("kind", AgencyKind, required=True)}
    if check.has("short_name"):
        values["short_name"] = check.text("short_name", max_len=40)
    if check.has("admin_unit_code"):
        code = check.text("admin_unit_code", max_len=10)
        if code is not None and code not in units:
            check.fail(f"admin_unit_code: {code!r} is not an admin unit in force")
        values["admin_unit_id"] = units.get(code) if code else None
    for column in ("valid_from", "valid_to"):
        if check.has(column):
            values[column] = check.day(column)
    start, end = values.get("valid_from"), values.get("valid_to")
    if start is not None and end is not None and start >= end:
        check.fail(f"valid_to: must be after valid_from ({start})")
    return None if name is None else AgencyRow(check.row.label, name, values)


def import_agencies(
    session: Session, table: Table, *, actor: str = "import", source: Source = Source.MANUAL
) -> ImportResult:
    """Validate every row, then create or update by name; nothing written if any row is bad."""
    in_force = AdminUnit.valid_to.is_(None)  # a dissolved unit's code may be reused
    units = dict(session.execute(sa.select(AdminUnit.code, AdminUnit.id).where(in_force)).all())
    rows = check_agency_rows(table, units)
    agencies = {a.name: a for a in session.scalars(sa.select(Agency))}
    seen, result = upsert_rows(
        session, agencies, ((row.name, row.values) for row in rows),
        lambda name: Agency(name=name), actor=actor, describe=lambda a: a.name,
    )  # fmt: skip
    mark_seen(session, seen, source, lambda a: a.name)
    return result
