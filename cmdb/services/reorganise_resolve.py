"""Checking a reorganisation's files against the inventory: what each code names.

Pure. Old codes name units in force the day before the effective date; new codes
name units of the units file or units that stay in force. A unit is dissolved
when the mapping names it, or when every unit under it is dissolved (the 2025
reform names only communes: their districts and the province go with them, with
no successor). A units-file row whose code is already in force and not dissolved
must agree with the unit in force (that is what makes a second run a no-op).

Refused, with the offending rows: an old code that is not a unit in force, a new
code that is neither in the units file nor in force, a new code that the mapping
itself dissolves (a chain, or a cycle), a units-file parent that is unknown,
dissolved or not of a higher level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from cmdb.choices import AdminLevel
from cmdb.errors import ValidationError
from cmdb.services.as_of import is_in_force
from cmdb.services.reorganise_model import Current, SkippedRow, UnitCreation, UnitNow
from cmdb.services.reorganise_rows import MappingRow, NewUnitRow

LEVEL_RANK = {AdminLevel.PROVINCE: 0, AdminLevel.DISTRICT: 1, AdminLevel.COMMUNE: 2}


@dataclass(frozen=True, slots=True)
class Target:
    """A unit in force from the effective date: created by the plan (``id`` None) or kept."""

    code: str
    name: str
    level: AdminLevel
    id: int | None


@dataclass(frozen=True)
class Resolution:
    """The mapping resolved: dissolved unit id → successor code (None: without one)."""

    effective: date
    dissolved: Mapping[int, str | None]
    creations: tuple[UnitCreation, ...]
    targets: Mapping[str, Target]
    skipped: tuple[SkippedRow, ...] = ()


def resolve(
    current: Current,
    unit_rows: Sequence[NewUnitRow],
    mapping_rows: Sequence[MappingRow],
    effective: date,
    row_errors: Mapping[str, list[str]] | None = None,
    *,
    skip_unknown: bool = False,
) -> Resolution:
    """Resolve both files; one ValidationError naming every bad row of either
    (``row_errors``: the rows already found bad on their own, reported with these).

    ``skip_unknown``: a mapping row whose old unit is not in force the day before is
    left out and listed in ``Resolution.skipped`` instead of refusing the whole file.
    """
    errors: dict[str, list[str]] = {k: list(v) for k, v in (row_errors or {}).items()}
    before = effective - timedelta(days=1)
    old_by_code = _by_code(u for u in current.units.values() if _in_force(u, before))
    unknown = _unknown_rows(current, mapping_rows, old_by_code, effective)
    if not skip_unknown:
        for row in unknown:
            _fail(errors, row.label, row.reason)
    skipped_codes = {row.old_code for row in unknown}
    mapping_rows = [row for row in mapping_rows if row.old_code not in skipped_codes]
    explicit = _old_units(mapping_rows, old_by_code, effective, errors)
    dissolved_ids = _with_emptied_parents(current, {u.id for u in explicit.values()}, before)
    kept = _by_code(
        u for u in current.units.values() if _in_force(u, effective) and u.id not in dissolved_ids
    )
    creations, targets = _new_units(current, unit_rows, kept, old_by_code, effective, errors)
    successors = _new_codes(mapping_rows, targets, old_by_code, dissolved_ids, effective, errors)
    if errors:
        raise ValidationError(errors, _refusal(len(errors), 0 if skip_unknown else len(unknown)))
    dissolved = {uid: None for uid in dissolved_ids} | {
        explicit[row.old_code].id: successors[row.old_code] for row in mapping_rows
    }
    skipped = tuple(unknown) if skip_unknown else ()
    return Resolution(effective, dissolved, tuple(creations), targets, skipped)


def _refusal(bad: int, unknown: int) -> str:
    noun = "row" if bad == 1 else "rows"
    message = f"{bad} bad {noun}; nothing written"
    if unknown:
        message += (
            f" ({unknown} mapping {'row names' if unknown == 1 else 'rows name'} an old unit "
            "that is not in force: --skip-unknown applies the other rows and lists those)"
        )
    return message


def _unknown_rows(
    current: Current,
    rows: Sequence[MappingRow],
    old_by_code: Mapping[str, UnitNow],
    effective: date,
) -> list[SkippedRow]:
    """The mapping rows whose old code is no unit in force the day before, and why."""
    return [
        SkippedRow(_key(row), row.old_code, _unknown_old(current, row.old_code, effective))
        for row in rows
        if row.old_code not in old_by_code
    ]


def _in_force(unit: UnitNow, on: date) -> bool:
    return is_in_force(unit.valid_from, unit.valid_to, on)


def _by_code(units: Iterable[UnitNow]) -> dict[str, UnitNow]:
    """Units by code (codes are unique among units in force on one day; lowest id wins)."""
    out: dict[str, UnitNow] = {}
    for unit in sorted(units, key=lambda u: u.id):
        out.setdefault(unit.code, unit)
    return out


def _old_units(
    rows: Sequence[MappingRow],
    old_by_code: Mapping[str, UnitNow],
    effective: date,
    errors: dict[str, list[str]],
) -> dict[str, UnitNow]:
    """The old unit of each row (every row's old code is in force the day before)."""
    found: dict[str, UnitNow] = {}
    for row in rows:
        unit = old_by_code[row.old_code]
        if unit.valid_to is not None and unit.valid_to != effective:
            _fail(errors, _key(row), f"old_code: {row.old_code!r} already ends on {unit.valid_to}")
        else:
            found[row.old_code] = unit
    return found


def _unknown_old(current: Current, code: str, effective: date) -> str:
    same = sorted(
        (u for u in current.units.values() if u.code == code), key=lambda u: u.valid_to or date.max
    )
    if not same:
        return f"old_code: {code!r} is not an admin unit of the inventory"
    last = same[-1]
    if last.valid_to is not None and last.valid_to < effective:
        return f"old_code: {code!r} ({last.name}) was dissolved on {last.valid_to}"
    return f"old_code: {code!r} ({last.name}) is not in force the day before {effective}"


def _with_emptied_parents(current: Current, explicit: set[int], before: date) -> set[int]:
    """The named units plus every unit all of whose units in force are dissolved."""
    children: dict[int, list[int]] = {}
    for unit in current.units.values():
        if unit.parent_id is not None and _in_force(unit, before):
            children.setdefault(unit.parent_id, []).append(unit.id)
    dissolved = set(explicit)
    changed = True
    while changed:
        changed = False
        for parent_id, kids in children.items():
            if parent_id not in dissolved and all(k in dissolved for k in kids):
                parent = current.units.get(parent_id)
                if parent is not None and _in_force(parent, before):
                    dissolved.add(parent_id)
                    changed = True
    return dissolved


def _new_units(
    current: Current,
    rows: Sequence[NewUnitRow],
    kept: Mapping[str, UnitNow],
    old_by_code: Mapping[str, UnitNow],
    effective: date,
    errors: dict[str, list[str]],
) -> tuple[list[UnitCreation], dict[str, Target]]:
    targets = {code: Target(u.code, u.name, u.level, u.id) for code, u in kept.items()}
    in_file: dict[str, NewUnitRow] = {}
    creations: list[UnitCreation] = []
    for row in rows:
        label = f"units {row.label}"
        parent_level = _parent_level(row, in_file, kept, old_by_code, effective, errors, label)
        if parent_level is not None and LEVEL_RANK[parent_level] >= LEVEL_RANK[row.level]:
            _fail(errors, label, f"parent_code: {row.parent_code!r} is a {parent_level}, "
                                 f"it cannot contain a {row.level}")  # fmt: skip
        same = kept.get(row.code)
        if same is None:
            creations.append(UnitCreation(row.code, row.name, row.level, row.kind, row.parent_code))
            targets[row.code] = Target(row.code, row.name, row.level, None)
        elif _differs(current, same, row):
            parent = current.units.get(same.parent_id) if same.parent_id else None
            _fail(errors, label, f"code: {row.code!r} is in force as {same.name!r} "
                                 f"({same.level}, kind {same.kind!r}, parent "
                                 f"{parent.code if parent else None!r}) and this mapping does "
                                 "not dissolve it: give the same values or map the old unit",
)  # fmt: skip
        in_file[row.code] = row
    return creations, targets


def _parent_level(
    row: NewUnitRow,
    in_file: Mapping[str, NewUnitRow],
    kept: Mapping[str, UnitNow],
    old_by_code: Mapping[str, UnitNow],
    effective: date,
    errors: dict[str, list[str]],
    label: str,
) -> AdminLevel | None:
    code = row.parent_code
    if code is None:
        return None
    if code in in_file:
        return in_file[code].level
    if code in kept:
        return kept[code].level
    if code in old_by_code:
        message = f"parent_code: {code!r} is dissolved by this reorganisation"
    else:
        message = (
            f"parent_code: {code!r} is not an earlier row of the units file "
            f"nor a unit in force on {effective}"
        )
    _fail(errors, label, message)
    return None


def _differs(current: Current, unit: UnitNow, row: NewUnitRow) -> bool:
    parent = current.units.get(unit.parent_id) if unit.parent_id is not None else None
    return (unit.name, unit.level, unit.kind, parent.code if parent else None) != (
        row.name,
        row.level,
        row.kind,
        row.parent_code,
    )


def _new_codes(
    rows: Sequence[MappingRow],
    targets: Mapping[str, Target],
    old_by_code: Mapping[str, UnitNow],
    dissolved_ids: set[int],
    effective: date,
    errors: dict[str, list[str]],
) -> dict[str, str]:
    """Each old code's new code; chains and cycles through dissolved units refused."""
    label_of = {row.old_code: row.label for row in rows}
    hops = {row.old_code: row.new_code for row in rows if row.new_code not in targets}
    successors: dict[str, str] = {}
    for row in rows:
        if row.new_code in targets:
            successors[row.old_code] = row.new_code
            continue
        old = old_by_code.get(row.new_code)
        if row.new_code in label_of:
            _fail(errors, _key(row), _chain_message(row, hops, label_of))
        elif old is not None and old.id in dissolved_ids:
            _fail(errors, _key(row),
                  f"new_code: {row.new_code!r} is dissolved by this reorganisation "
                  "(every unit under it is): map to the unit that receives it")  # fmt: skip
        else:
            _fail(errors, _key(row),
                  f"new_code: {row.new_code!r} is neither in the units file "
                  f"nor an admin unit in force on {effective}")  # fmt: skip
    return successors


def _chain_message(row: MappingRow, hops: Mapping[str, str], label_of: Mapping[str, str]) -> str:
    path = [row.old_code]
    code = row.new_code
    while code in hops and code not in path:
        path.append(code)
        code = hops[code]
    if code == row.old_code:
        rows = ", ".join(label_of[c].removeprefix("row ") for c in path)
        return f"new_code: cycle {' → '.join([*path, code])} (mapping rows {rows})"
    return (
        f"new_code: {row.new_code!r} is itself dissolved by mapping {label_of[row.new_code]}: "
        "map to the unit that finally receives it"
    )


def _fail(errors: dict[str, list[str]], key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _key(row: MappingRow) -> str:
    return f"mapping {row.label}"
