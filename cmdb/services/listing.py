"""Generic reads of any table: filtered, searched, ordered pages and single records.

The REST API declares, per resource, which columns filter, search and order;
this module turns such a declaration plus the caller's values into SQL. It knows
nothing of HTTP, so the CLI or the UI can list the same way. A page costs a fixed
number of queries whatever its size: the count, the rows with their many-to-one
relations (joined), and one query per related collection (``selectinload``),
never one per row. ``cmdb.services.row_listing`` reads the same page as plain
rows of chosen columns (no ORM objects), for callers that only show them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import MANYTOONE, Session, joinedload, selectinload
from sqlalchemy.orm.attributes import InstrumentedAttribute

from cmdb.errors import NotFoundError
from cmdb.folding import fold, folded
from cmdb.services.row_count import count_all

# Tables whose q= columns are identifiers matched as typed: 100,000 devices and a million
# interfaces are not folded row by row (a fold of the interfaces took 16 s); pg_trgm
# indexes serve their ILIKE (revisions 0009, 0018).
AS_TYPED_TABLES = frozenset({"device", "interface"})

M = TypeVar("M")


class Lookup(StrEnum):
    """How a filter compares (NetBox's suffixes: ``name``, ``name__in``, ``cores__gte`` …)."""

    EXACT = "exact"
    IN = "in"
    GTE = "gte"
    LTE = "lte"
    ICONTAINS = "ic"


@dataclass(frozen=True)
class Criterion:
    """One filter: a column of the model, a lookup and the value(s) to compare with."""

    column: str
    lookup: Lookup
    value: Any


@dataclass(frozen=True)
class ListQuery:
    """Everything that narrows and orders one page; empty means "all rows by id"."""

    criteria: Sequence[Criterion] = ()
    search: str | None = None
    search_columns: Sequence[str] = ()
    ordering: Sequence[str] = ()  # column names, "-name" for descending
    loads: Sequence[str] = ()  # relationships to load with the rows
    limit: int | None = None
    offset: int = 0
    extra: Sequence[sa.ColumnElement[bool]] = field(default_factory=tuple)


def load_page(session: Session, model: type[M], query: ListQuery) -> tuple[int, list[M]]:
    """How many rows match in all, and the page of them the query asks for."""
    where, values = [*bound_where(model, query), *query.extra], parameters(query)
    stmt = (
        sa.select(model)
        .where(*where)
        .options(*_loads(model, query.loads))
        .order_by(*order_keys(model, query.ordering))
        .offset(query.offset)
        .limit(query.limit)
    )
    rows = list(session.scalars(stmt, values))
    return _total(session, model, where, values, query, len(rows)), rows


def _total(
    session: Session,
    model: type[Any],
    where: list[sa.ColumnElement[bool]],
    values: dict[str, Any],
    query: ListQuery,
    got: int,
) -> int:
    """The count of all matching rows; a short last page already says it (no count query).

    Counting is the dearest part of a selective search (every match is visited
    again); when the page is not full and not past the end, the total is known.
    """
    known = total_from_page(query, got)
    if known is not None:
        return known
    if not where:
        return count_all(session, model)
    return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where), values) or 0


def total_from_page(query: ListQuery, got: int) -> int | None:
    """The total a page of ``got`` rows already tells (not full, not past the end), or None."""
    if (query.limit is None or got < query.limit) and (got > 0 or query.offset == 0):
        return query.offset + got
    return None


def load_one(session: Session, model: type[M], object_id: int, loads: Sequence[str] = ()) -> M:
    """One record by id, with its relations; ``NotFoundError`` names what is missing."""
    stmt = sa.select(model).where(column_of(model, "id") == object_id)
    found = session.scalars(stmt.options(*_loads(model, loads))).first()
    if found is None:
        raise NotFoundError(f"no {model.__tablename__} with id {object_id}")  # type: ignore[attr-defined]
    return found


def column_of(model: type[Any], name: str) -> InstrumentedAttribute[Any]:
    return getattr(model, name)


def bound_where(model: type[Any], query: ListQuery) -> list[sa.ColumnElement[bool]]:
    """The query's filters and search with every value a named parameter (``parameters``
    gives them); ``query.extra`` is the caller's to add."""
    where = [
        _compare(column_of(model, c.column), c.lookup, f"p{index}")
        for index, c in enumerate(query.criteria)
    ]
    if query.search:
        caseless = matches_in_any_case(query.search)
        where.append(sa.or_(*(_search(model, name, caseless) for name in query.search_columns)))
    return where


def _search(model: type[Any], name: str, caseless: bool) -> sa.ColumnElement[bool]:
    """``q=`` on one column: folded (case and marks) where the table is small enough to
    fold every row, else in any case as typed (identifiers, served by trigram indexes) —
    by ``LIKE`` when the text has no case to ignore (``caseless``): the same rows, and
    PostgreSQL's ``ILIKE`` lowercases each value it tests (a quarter of ``q=004``'s time)."""
    column = column_of(model, name)
    if model.__tablename__ in AS_TYPED_TABLES:
        pattern = sa.bindparam("q", type_=sa.String)
        if caseless:
            return column.like(pattern, escape="\\")
        return column.ilike(pattern, escape="\\")
    return folded(column).like(sa.bindparam("qf", type_=sa.String), escape="\\")


def matches_in_any_case(text: str) -> bool:
    """Whether ``text`` has no letters to match in another case: ASCII digits, dots, dashes
    and the like. No character lowercases to one of them, so a value holds such a text
    exactly when its lowercase does (``ILIKE`` and ``LIKE`` find the same rows)."""
    return text.isascii() and text.lower() == text.upper()


def parameters(query: ListQuery) -> dict[str, Any]:
    """The values of ``query`` under the names ``bound_where`` (and a page's offset and
    limit) bind them to."""
    values: dict[str, Any] = {"offset": query.offset, "limit": query.limit}
    for index, criterion in enumerate(query.criteria):
        value = criterion.value
        if criterion.lookup is Lookup.IN:
            value = list(value)
        elif criterion.lookup is Lookup.ICONTAINS:
            value = like_pattern(str(value))
        values[f"p{index}"] = value
    if query.search:
        values["q"] = like_pattern(query.search)
        values["qf"] = like_pattern(fold(query.search) or "")
    return values


def _compare(column: Any, lookup: Lookup, name: str) -> sa.ColumnElement[bool]:
    if lookup is Lookup.IN:
        return column.in_(sa.bindparam(name, expanding=True))
    if lookup is Lookup.ICONTAINS:
        return column.ilike(sa.bindparam(name, type_=sa.String), escape="\\")
    value: sa.BindParameter[Any] = sa.bindparam(name)  # typed by the column it is compared with
    if lookup is Lookup.GTE:
        return column >= value
    if lookup is Lookup.LTE:
        return column <= value
    return column == value


def like_pattern(text: str) -> str:
    """``%text%`` with ``text`` a literal inside it: its ``%`` and ``_`` match themselves."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def order_keys(model: type[Any], ordering: Sequence[str]) -> list[Any]:
    """The requested order, then the primary key, so that pages never overlap or skip rows."""
    keys = []
    for name, descending in order_columns(model, ordering):
        column = column_of(model, name)
        keys.append(column.desc() if descending else column.asc())
    return keys


def order_columns(model: type[Any], ordering: Sequence[str]) -> list[tuple[str, bool]]:
    """The columns ``order_keys`` sorts by, each with whether it is descending."""
    keys = [(name.lstrip("-"), name.startswith("-")) for name in ordering]
    asked = {name for name, _ in keys}
    keys.extend((c.key, False) for c in sa.inspect(model).primary_key if c.key not in asked)
    return keys


def _loads(model: type[Any], names: Sequence[str]) -> list[Any]:
    """Many-to-one relations join the page's query (a round trip saved per relation);
    collections load in one more query each (a join would repeat the page's rows)."""
    relationships = sa.inspect(model).relationships
    return [
        joinedload(column_of(model, name))
        if relationships[name].direction is MANYTOONE
        else selectinload(column_of(model, name))
        for name in names
    ]
