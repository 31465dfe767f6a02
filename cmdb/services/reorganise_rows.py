"""Reading the two files of a reorganisation: the new units and the old → new mapping.

Pure: rows are checked on their own here (required fields, repeats, a parent
given earlier in the file); what they refer to in the inventory is checked by
the planner. Every problem of every row is collected with its row number, so
one round of fixes is enough. Errors are keyed "units row 5", "mapping row 12".

- units file: the columns of ``cmdb import admin-units`` (level, code, name,
  parent_code, kind), parents first — e.g. ``da-nang-2025-admin-units.csv``;
- mapping file: ``old_code``, ``new_code`` (``old_name``, ``new_name`` and
  ``merge_type`` may be present and are kept for the reader, not checked: the
  source's names follow a later list than the inventory's).
"""

from __future__ import annotations

from dataclasses import dataclass

from cmdb.choices import AdminLevel
from cmdb.errors import ValidationError
from cmdb.services.import_admin_units import COLUMNS as UNIT_COLUMNS
from cmdb.services.import_admin_units import REQUIRED as UNIT_REQUIRED
from cmdb.services.import_rows import HEADER_LABEL, RowCheck, Table, check_header

MAPPING_COLUMNS = ("old_code", "old_name", "new_code", "new_name", "merge_type")
MAPPING_REQUIRED = ("old_code", "new_code")
CODE_MAX = 10


@dataclass(frozen=True, slots=True)
class NewUnitRow:
    """A unit of the units file: in force from the effective date."""

    label: str
    code: str
    name: str
    level: AdminLevel
    kind: str
    parent_code: str | None


@dataclass(frozen=True, slots=True)
class MappingRow:
    """One old unit and the unit that receives the whole of it."""

    label: str
    old_code: str
    new_code: str


def read_unit_rows(
    table: Table, prefix: str = "units", errors: dict[str, list[str]] | None = None
) -> list[NewUnitRow]:
    """The units file's good rows. Bad rows raise one ValidationError naming each —
    or, given ``errors``, are added to it (so the planner can check the good rows
    against the inventory and the user gets every problem in one round)."""
    _check_header(table, UNIT_COLUMNS, UNIT_REQUIRED, prefix)
    collect = errors is not None
    errors = errors if errors is not None else {}
    rows: list[NewUnitRow] = []
    first: dict[str, str] = {}
    for row in table.rows:
        check = RowCheck(row, UNIT_COLUMNS)
        unit = _read_unit(check) if check.readable else None
        if unit is not None:
            if unit.code in first:
                check.fail(f"code: {unit.code!r} is repeated (first in {first[unit.code]})")
            elif unit.parent_code is not None and unit.parent_code == unit.code:
                check.fail("parent_code: a unit cannot be its own parent")
            first.setdefault(unit.code, row.label)
        if check.errors:
            errors[f"{prefix} {row.label}"] = check.errors
        elif unit is not None:
            rows.append(unit)
    if not collect:
        _raise_if_bad(errors, prefix)
    return rows


def _read_unit(check: RowCheck) -> NewUnitRow | None:
    level = check.choice("level", AdminLevel, required=True)
    code = _code(check, "code")
    name = check.text("name", max_len=120, required=True)
    kind = check.text("kind", max_len=60, required=True)
    parent_code = _code(check, "parent_code", required=False)
    if level is AdminLevel.PROVINCE and parent_code is not None:
        check.fail("parent_code: a province has no parent")
    elif level is not None and level is not AdminLevel.PROVINCE and parent_code is None:
        check.fail(f"parent_code: required for a {level}")
    if level is None or code is None or name is None or kind is None:
        return None
    return NewUnitRow(check.row.label, code, name, level, kind, parent_code)


def read_mapping_rows(
    table: Table, prefix: str = "mapping", errors: dict[str, list[str]] | None = None
) -> list[MappingRow]:
    """The mapping file's good rows (bad ones: as ``read_unit_rows``). An old code may
    appear once: splitting a unit is not supported (a site could not tell which part
    it stands in)."""
    _check_header(table, MAPPING_COLUMNS, MAPPING_REQUIRED, prefix)
    collect = errors is not None
    errors = errors if errors is not None else {}
    rows: list[MappingRow] = []
    first: dict[str, str] = {}
    for row in table.rows:
        check = RowCheck(row, MAPPING_COLUMNS)
        old, new = _code(check, "old_code"), _code(check, "new_code")
        for optional in ("old_name", "new_name", "merge_type"):
            check.text(optional, max_len=200)
        if old is not None and old in first:
            check.fail(
                f"old_code: {old!r} is repeated (first in {prefix} {first[old]}); "
                "a unit split between several new units is not supported"
            )
        elif old is not None:
            first[old] = row.label
        if check.errors:
            errors[f"{prefix} {row.label}"] = check.errors
        elif old is not None and new is not None:
            rows.append(MappingRow(row.label, old, new))
    if not collect:
        _raise_if_bad(errors, prefix)
    if not table.rows:
        raise ValidationError({f"{prefix} file": ["no rows: nothing to reorganise"]})
    return rows


def _code(check: RowCheck, name: str, *, required: bool = True) -> str | None:
    code = check.text(name, max_len=CODE_MAX, required=required)
    if code is not None and any(c.isspace() for c in code):
        check.fail(f"{name}: {code!r} contains a space")
        return None
    return code


def _check_header(
    table: Table, known: tuple[str, ...], required: tuple[str, ...], prefix: str
) -> None:
    try:
        check_header(table, known, required)
    except ValidationError as exc:
        raise ValidationError(
            {f"{prefix} {HEADER_LABEL}": exc.errors[HEADER_LABEL]}, f"bad {prefix} file header"
        ) from None


def _raise_if_bad(errors: dict[str, list[str]], prefix: str) -> None:
    if errors:
        noun = "row" if len(errors) == 1 else "rows"
        raise ValidationError(errors, f"{len(errors)} bad {prefix} {noun}; nothing written")
