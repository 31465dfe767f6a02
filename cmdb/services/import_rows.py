"""Reading import files into numbered rows, and checking one row's fields.

Pure: no database. Row labels are what a person looks at when fixing a file: in a
CSV the header is "row 1" and the first data row "row 2" (blank lines count, so
the numbers match a spreadsheet's); in JSON (an array of objects) the first object
is "item 1". Every problem of every row is collected, never only the first, so one
round of fixes is enough.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from cmdb.errors import ValidationError

E = TypeVar("E", bound=StrEnum)

HEADER_LABEL = "row 1"
FILE_LABEL = "file"


class Format(StrEnum):
    CSV = "csv"
    JSON = "json"


@dataclass(frozen=True)
class Row:
    """One record of the file: its label ("row 5", "item 3") and its raw values."""

    label: str
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    """How many records an import created, updated and left as they were."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


@dataclass(frozen=True)
class Table:
    """The rows of a file; ``header`` is the CSV header (None for JSON)."""

    rows: list[Row]
    header: tuple[str, ...] | None = None


def format_of(path: Path, fmt: str | None = None) -> Format:
    """The explicit format, else the file's suffix (.csv / .json)."""
    name = (fmt or path.suffix.lstrip(".")).lower()
    try:
        return Format(name)
    except ValueError:
        raise ValidationError(
            {FILE_LABEL: [f"unknown format {name!r}: use .csv or .json, or give the format"]}
        ) from None


def parse_table(text: str, fmt: Format) -> Table:
    """Split a file's text into labelled rows (a leading byte-order mark is ignored)."""
    text = text.removeprefix("\ufeff")
    return _parse_csv(text) if fmt is Format.CSV else _parse_json(text)


def _parse_csv(text: str) -> Table:
    records = list(csv.reader(io.StringIO(text, newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise ValidationError({HEADER_LABEL: ["the file has no header row"]})
    header = tuple(cell.strip().lower() for cell in records[0])
    rows: list[Row] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values: dict[str, Any] = dict(zip(header, cells, strict=False))
        if len(cells) > len(header):
            values["__extra__"] = len(cells)
        rows.append(Row(f"row {number}", values))
    return Table(rows, header)


def _parse_json(text: str) -> Table:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({FILE_LABEL: [f"not valid JSON: {exc}"]}) from None
    return table_of_items(document, "expected a JSON array of objects")


def table_of_items(document: object, expected: str) -> Table:
    """A parsed list of objects (JSON, YAML) as rows "item 1", "item 2", …"""
    if not isinstance(document, list):
        raise ValidationError({FILE_LABEL: [expected]})
    rows = [
        Row(f"item {n}", item if isinstance(item, dict) else {"__not_object__": item})
        for n, item in enumerate(document, start=1)
    ]
    return Table(rows)


def check_header(table: Table, known: Sequence[str], required: Iterable[str]) -> None:
    """A CSV header must name every required column and no unknown one."""
    if table.header is None:
        return
    problems = [f"missing column {c!r}" for c in required if c not in table.header]
    problems += [f"unknown column {c!r}" for c in table.header if c not in known]
    seen: set[str] = set()
    for c in table.header:
        if c in seen:
            problems.append(f"column {c!r} appears twice")
        seen.add(c)
    if problems:
        raise ValidationError({HEADER_LABEL: problems}, "bad header; nothing imported")


@dataclass
class RowCheck:
    """Reads one row's fields, collecting every problem instead of stopping at the first."""

    row: Row
    known: Sequence[str]
    errors: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        values = self.row.values
        if not self.readable:
            self.errors.append("expected an object")
        elif "__extra__" in values:
            self.errors.append(f"has {values['__extra__']} values, the header has fewer columns")
        else:
            self.errors += [f"unknown field {k!r}" for k in values if k not in self.known]

    @property
    def readable(self) -> bool:
        """False for a JSON item that is not an object: it has no fields to check."""
        return "__not_object__" not in self.row.values

    def has(self, name: str) -> bool:
        """Whether the file gives this field at all (a CSV column, a JSON key)."""
        return name in self.row.values

    def text(self, name: str, *, max_len: int, required: bool = False) -> str | None:
        raw = self.row.values.get(name)
        if isinstance(raw, bool) or not isinstance(raw, str | int | type(None)):
            self.errors.append(f"{name}: expected text, got {type(raw).__name__}")
            return None
        value = str(raw).strip() if raw is not None else ""
        if not value:
            if required:
                self.errors.append(f"{name}: required")
            return None
        if len(value) > max_len:
            self.errors.append(f"{name}: longer than {max_len} characters")
            return None
        return value

    def choice(self, name: str, choices: type[E], *, required: bool = False) -> E | None:
        value = self.text(name, max_len=100, required=required)
        if value is None:
            return None
        try:
            return choices(value)
        except ValueError:
            allowed = ", ".join(c.value for c in choices)
            self.errors.append(f"{name}: {value!r} is not one of {allowed}")
            return None

    def number(self, name: str, low: float, high: float) -> float | None:
        raw = self.row.values.get(name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None
        try:
            if isinstance(raw, bool):
                raise TypeError
            value = float(raw.strip() if isinstance(raw, str) else raw)
        except (TypeError, ValueError):
            self.errors.append(f"{name}: {raw!r} is not a number")
            return None
        if not math.isfinite(value) or not low <= value <= high:
            self.errors.append(f"{name}: {raw} is outside {low:g}..{high:g}")
            return None
        return value

    def day(self, name: str) -> date | None:
        """A date as YYYY-MM-DD (a JSON string or a CSV cell); empty is None."""
        value = self.text(name, max_len=10)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.errors.append(f"{name}: {value!r} is not a date (YYYY-MM-DD)")
            return None

    def fail(self, message: str) -> None:
        self.errors.append(message)


R = TypeVar("R")


def check_keyed_rows(
    table: Table,
    columns: Sequence[str],
    read: Callable[[RowCheck], R | None],
    key: Callable[[R], str],
    key_name: str,
) -> list[R]:
    """Every row read by ``read`` (None: unusable), a key repeated in the file refused with
    the row that had it first; raises one ``ValidationError`` naming every bad row."""
    errors: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    rows: list[R] = []
    for row in table.rows:
        check = RowCheck(row, columns)
        record = read(check) if check.readable else None
        if record is not None and key(record) in first:
            check.fail(f"{key_name}: {key(record)!r} is repeated (first in {first[key(record)]})")
        elif record is not None:
            first[key(record)] = row.label
        if check.errors:
            errors[row.label] = check.errors
        elif record is not None:
            rows.append(record)
    raise_if_bad(errors)
    return rows


def raise_if_bad(errors: dict[str, list[str]]) -> None:
    """One ValidationError naming every bad row, or nothing."""
    if errors:
        noun = "row" if len(errors) == 1 else "rows"
        raise ValidationError(errors, f"{len(errors)} bad {noun}; nothing imported")
