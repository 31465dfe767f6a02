"""Global search: every kind of record by name, serial, address, circuit id, asset tag.

Case and diacritics do not matter, on SQLite as on PostgreSQL: Vietnamese typed
without its marks ("quang nam") finds the names written with them ("Quảng
Nam"). Both sides of a *named* column are folded the same way — marks stripped,
đ → d, lower case: the search text in Python (``fold``), the column in SQL
(``folded``): PostgreSQL's built-in ``translate`` with the Vietnamese letters
(no extension to install), SQLite a Python function registered on the connection.

Folding a column visits every row, which is cheap for the named kinds (units,
agencies, sites, links, pools…: hundreds to thousands of rows) and not for the
100,000 devices and million interfaces; their columns are identifiers (host
names, serials, addresses, MACs), matched by ``ILIKE`` in any case, which their
pg_trgm indexes serve (a fold of 1,000,000 interfaces took 16 s on the bench).
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


#: The letters of Vietnamese with marks, both cases (and the other accented Latin-1
#: letters): ``translate`` costs time per letter of its table, so it holds only these.
MARKED = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđçñäëïöüÿ"


def _translate_table() -> tuple[str, str]:
    """Each marked letter (both cases) and its fold: ``translate``'s arguments."""
    source, target = [], []
    for char in MARKED + MARKED.upper():
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
    """A kind of record search looks through: its model, the columns that match folded
    (``columns``, the first one orders) and those matched as typed, in any case (``plain``)."""

    key: str  # the list page's path, /<key>/
    model: type[Any]
    columns: tuple[str, ...]
    plain: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()

    @property
    def shown(self) -> tuple[str, ...]:
        """The columns a result shows besides its name."""
        return (*self.columns[1:], *self.plain)


KINDS: tuple[Kind, ...] = (
    Kind("admin-units", AdminUnit, ("name",), plain=("code",)),
    Kind("agencies", Agency, ("name", "short_name")),
    Kind("sites", Site, ("name", "address"), plain=("slug",)),
    Kind("racks", Rack, ("name", "location"), loads=("site",)),
    Kind("devices", Device, (), plain=("name", "serial", "management_address", "asset_tag")),
    Kind(
        "interfaces", Interface, (), plain=("name", "mac_address", "description"), loads=("device",)
    ),
    Kind("links", Link, ("name", "provider"), plain=("circuit_id",)),
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
    typed = text.strip()[:MAX_QUERY]
    if not typed:
        return []
    _register_fold(session)
    patterns = {
        "folded": like_pattern(fold(typed) or ""),
        "typed": like_pattern(typed),
    }
    found = []
    for kind in KINDS:
        records = _matches(session, kind, patterns)
        if records:
            found.append(Found(kind, records[:PER_KIND], len(records) > PER_KIND))
    return found


def _matches(session: Session, kind: Kind, patterns: dict[str, str]) -> list[Any]:
    """At most ``PER_KIND`` + 1 matches, by name. A kind matched only as typed (the big
    tables) is not ordered in SQL: the database stops at the first matches it finds."""
    model = kind.model
    folded_pattern = sa.bindparam("folded", type_=sa.String)
    typed_pattern = sa.bindparam("typed", type_=sa.String)
    where = sa.or_(
        *(folded(getattr(model, c)).like(folded_pattern, escape="\\") for c in kind.columns),
        *(getattr(model, c).ilike(typed_pattern, escape="\\") for c in kind.plain),
    )
    stmt = (
        sa.select(model)
        .where(where)
        .options(*(joinedload(getattr(model, name)) for name in kind.loads))
        .limit(PER_KIND + 1)
    )
    if kind.columns:
        stmt = stmt.order_by(getattr(model, kind.columns[0]), model.id)
    records = list(session.scalars(stmt, patterns))
    return records if kind.columns else sorted(records, key=lambda r: (r.name, r.id))


def _register_fold(session: Session) -> None:
    """Give an SQLite connection the fold function (PostgreSQL has ``translate``)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    raw.create_function(SQLITE_FUNCTION, 1, fold, deterministic=True)  # type: ignore[union-attr]
