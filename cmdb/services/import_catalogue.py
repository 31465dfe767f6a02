"""Import of the expansion catalogue, the DC's price list (DESIGN §6): server models,
storage shelves and link tiers in one file (CSV, JSON or YAML).

Columns: kind (server, storage_shelf, link_tier), name, price_vnd (a link tier's
per year), priced_on (YYYY-MM-DD); a server needs cores and ram_gb, a shelf raw_tb,
a link tier mbps and optionally network (empty: any network without tiers of its
own). ``name`` is the key: importing again updates the prices. Every row valid, or
nothing written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.orm import Session

from cmdb.choices import CatalogueKind, Network
from cmdb.errors import ValidationError
from cmdb.models import CatalogueItem
from cmdb.services.import_rows import (
    FILE_LABEL,
    Format,
    ImportResult,
    RowCheck,
    Table,
    check_header,
    parse_table,
    raise_if_bad,
    table_of_items,
)
from cmdb.services.import_upsert import upsert_rows

COLUMNS = ("kind", "name", "network", "cores", "ram_gb", "raw_tb", "mbps", "price_vnd", "priced_on")
REQUIRED = ("kind", "name", "price_vnd", "priced_on")
SIZES = ("cores", "ram_gb", "raw_tb", "mbps")
#: The size each kind needs; the others must be empty.
NEEDS: dict[CatalogueKind, tuple[str, ...]] = {
    CatalogueKind.SERVER: ("cores", "ram_gb"),
    CatalogueKind.STORAGE_SHELF: ("raw_tb",),
    CatalogueKind.LINK_TIER: ("mbps",),
}
MAX_PRICE_VND = 1e15  # a thousand trillion VND: far above any DC purchase
MAX_SIZE = 1e7


@dataclass(frozen=True)
class CatalogueRow:
    label: str
    name: str
    values: dict[str, Any]


def read_catalogue_file(path: Path) -> Table:
    """A price list's rows: CSV, JSON or YAML (a list of mappings) by the file's suffix."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError({FILE_LABEL: [f"not UTF-8 text: {exc}"]}) from None
    suffix = path.suffix.lower().lstrip(".")
    if suffix in ("yaml", "yml"):
        return parse_yaml(text)
    if suffix in ("csv", "json"):
        return parse_table(text, Format(suffix))
    raise ValidationError({FILE_LABEL: [f"unknown format {suffix!r}: use .csv, .json or .yaml"]})


def parse_yaml(text: str) -> Table:
    """A YAML list of mappings as rows "item 1", "item 2", … (like a JSON array)."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ValidationError({FILE_LABEL: [f"not valid YAML: {exc}"]}) from None
    return table_of_items(document, "expected a YAML list of mappings")


def check_catalogue_rows(table: Table) -> list[CatalogueRow]:
    """Validate every row (pure); raises ``ValidationError`` naming every bad row."""
    check_header(table, COLUMNS, REQUIRED)
    errors: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    rows: list[CatalogueRow] = []
    for row in table.rows:
        check = RowCheck(row, COLUMNS)
        item = _read_item(check) if check.readable else None
        if item is not None and item.name in first:
            check.fail(f"name: {item.name!r} is repeated (first in {first[item.name]})")
        elif item is not None:
            first[item.name] = row.label
        if check.errors:
            errors[row.label] = check.errors
        elif item is not None:
            rows.append(item)
    raise_if_bad(errors)
    return rows


def _read_item(check: RowCheck) -> CatalogueRow | None:
    name = check.text("name", max_len=120, required=True)
    kind = check.choice("kind", CatalogueKind, required=True)
    values: dict[str, Any] = {"kind": kind, "network": check.choice("network", Network)}
    price = check.number("price_vnd", 0, MAX_PRICE_VND)
    if price is None and not any(m.startswith("price_vnd") for m in check.errors):
        check.fail("price_vnd: required")
    values["price_vnd"] = price
    values["priced_on"] = check.day("priced_on")
    if values["priced_on"] is None and not any(m.startswith("priced_on") for m in check.errors):
        check.fail("priced_on: required")
    for size in SIZES:
        values[size] = check.number(size, 0, MAX_SIZE)
    if kind is not None:
        _check_kind(check, kind, values)
    return None if name is None or kind is None else CatalogueRow(check.row.label, name, values)


def _check_kind(check: RowCheck, kind: CatalogueKind, values: dict[str, Any]) -> None:
    needed = NEEDS[kind]
    for size in SIZES:
        given = values[size] is not None
        if size in needed and not (given and values[size] > 0):
            if not any(m.startswith(size) for m in check.errors):
                check.fail(f"{size}: a {kind.value} needs a number above 0")
        elif size not in needed and given:
            check.fail(f"{size}: not used by a {kind.value} (leave it empty)")
    if kind is CatalogueKind.SERVER and values["cores"] is not None:
        if values["cores"] != int(values["cores"]):
            check.fail("cores: a whole number")
        values["cores"] = int(values["cores"])
    if kind is not CatalogueKind.LINK_TIER and values["network"] is not None:
        check.fail(f"network: only a link tier has a network, not a {kind.value}")


def import_catalogue(
    session: Session, table: Table, *, actor: str = "import", log_changes: bool = True
) -> ImportResult:
    """Validate every row, then create or update by name; nothing written if any row is bad.
    ``log_changes=False``: the demo's price list, which is data of the load, not a change."""
    rows = check_catalogue_rows(table)
    items = {i.name: i for i in session.scalars(sa.select(CatalogueItem))}
    _seen, result = upsert_rows(
        session, items, ((row.name, row.values) for row in rows),
        lambda name: CatalogueItem(name=name), actor=actor, describe=lambda i: i.name,
        log_changes=log_changes,
    )  # fmt: skip
    return result
