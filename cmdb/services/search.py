"""Global search: every kind of record by name, serial, address, circuit id, asset tag.

Case and diacritics do not matter, on SQLite as on PostgreSQL: Vietnamese typed
without its marks ("quang nam") finds the names written with them ("Quảng
Nam"). Both sides are folded the same way — marks stripped, đ → d, lower case:
the search text in Python (``fold``), the columns in SQL (``folded``):
PostgreSQL's built-in ``translate`` with a table made by ``fold`` itself (no
extension to install), SQLite a Python function registered on the connection.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.sql.functions import FunctionElement

from cmdb.models import (
    AdminUnit,
    Agency,
    Cluster,
    Device,
    InformationSystem,
    Interface,
    Link,
    Rack,
    Site,
    StoragePool,
    Workload,
)
from cmdb.services.listing import like_pattern

SQLITE_FUNCTION = "hr_fold"
PER_KIND = 10
MAX_QUERY = 200


def fold(text: str | None) -> str | None:
    """``text`` without diacritics (đ → d), in lower case: what search compares."""
    if text is None:
        return None
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in plain if not unicodedata.combining(c)).lower()


def _translate_table() -> tuple[str, str]:
    """Every letter of the Latin blocks whose fold is one other ASCII letter, and that
    letter: ``translate``'s two arguments on PostgreSQL."""
    source, target = [], []
    for code in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        char = chr(code)
        folded = fold(char) or ""
        if len(folded) == 1 and folded.isascii() and folded != char.lower():
            source.append(char)
            target.append(folded)
    return "".join(source), "".join(target)


TRANSLATE_FROM, TRANSLATE_TO = _translate_table()


class folded(FunctionElement[str]):  # noqa: N801 (an SQL function, named as one)
    """``fold(column)`` in SQL."""

    type = sa.String()
    inherit_cache = True


@compiles(folded)
def _folded_default(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_FUNCTION}({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _folded_postgresql(element: folded, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    table = compiler.process(sa.literal(TRANSLATE_FROM), **kw)
    into = compiler.process(sa.literal(TRANSLATE_TO), **kw)
    return f"lower(translate({column}, {table}, {into}))"


@dataclass(frozen=True)
class Kind:
    """A kind of record search looks through: its model and the columns that match."""

    key: str  # the list page's path, /<key>/
    model: type[Any]
    columns: tuple[str, ...]
    loads: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind("admin-units", AdminUnit, ("name", "code")),
    Kind("agencies", Agency, ("name", "short_name")),
    Kind("sites", Site, ("name", "slug", "address")),
    Kind("racks", Rack, ("name", "location"), loads=("site",)),
    Kind("devices", Device, ("name", "serial", "asset_tag", "management_address")),
    Kind("interfaces", Interface, ("name", "mac_address", "description"), loads=("device",)),
    Kind("links", Link, ("name", "circuit_id", "provider")),
    Kind("clusters", Cluster, ("name",)),
    Kind("storage-pools", StoragePool, ("name",)),
    Kind("information-systems", InformationSystem, ("name", "code")),
    Kind("workloads", Workload, ("name", "management_address")),
)


@dataclass(frozen=True)
class Found:
    """The records of one kind that match: at most ``PER_KIND``, and whether more do."""

    kind: Kind
    records: Sequence[Any]
    more: bool


def search_all(session: Session, text: str) -> list[Found]:
    """The records of every kind whose columns contain ``text`` (any case, any marks),
    by kind; kinds with no match are left out. One query per kind."""
    needle = fold(text.strip()[:MAX_QUERY]) or ""
    if not needle:
        return []
    _register_fold(session)
    pattern = like_pattern(needle)
    found = []
    for kind in KINDS:
        records = _matches(session, kind, pattern)
        if records:
            found.append(Found(kind, records[:PER_KIND], len(records) > PER_KIND))
    return found


def _matches(session: Session, kind: Kind, pattern: str) -> list[Any]:
    model = kind.model
    bound = sa.bindparam("pattern", pattern, type_=sa.String)
    where = sa.or_(*(folded(getattr(model, c)).like(bound, escape="\\") for c in kind.columns))
    stmt = (
        sa.select(model)
        .where(where)
        .options(*(joinedload(getattr(model, name)) for name in kind.loads))
        .order_by(getattr(model, kind.columns[0]), model.id)
        .limit(PER_KIND + 1)
    )
    return list(session.scalars(stmt))


def _register_fold(session: Session) -> None:
    """Give an SQLite connection the fold function (PostgreSQL has ``translate``)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    raw.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)  # type: ignore[union-attr]
