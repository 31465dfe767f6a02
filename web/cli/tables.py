"""Plain-text tables for the terminal: fixed columns, long text cut with an ellipsis.

The capacity commands must stay readable in a 100-column terminal over SSH;
each table states its column widths so the total is known when it is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    right: bool = False


def table_width(columns: Sequence[Column]) -> int:
    return sum(c.width for c in columns) + len(columns) - 1


def format_table(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> str:
    """Header, rule and rows; a cell wider than its column is cut, never wraps."""
    lines = [_line(columns, [c.title for c in columns])]
    lines.append(" ".join("-" * c.width for c in columns))
    lines.extend(_line(columns, row) for row in rows)
    return "\n".join(lines)


def _line(columns: Sequence[Column], cells: Sequence[str]) -> str:
    out = []
    for column, cell in zip(columns, cells, strict=True):
        text = cell if len(cell) <= column.width else cell[: column.width - 1] + ELLIPSIS
        out.append(text.rjust(column.width) if column.right else text.ljust(column.width))
    return " ".join(out).rstrip()


def format_number(value: float | None) -> str:
    """Whole numbers from 100 up, one decimal below: what a planner reads at a glance."""
    if value is None:
        return "—"
    return f"{value:.0f}" if abs(value) >= 100 else f"{value:.1f}"


def format_vnd(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} VND"


def format_date(value: date | str | None) -> str:
    if value is None:
        return "—"
    return value.isoformat() if isinstance(value, date) else value
