"""A list page as plain rows of chosen columns, its statements built once per shape.

Hydrating 50 ORM objects with their related objects cost more CPU than the rest
of an API list; a caller that only shows columns reads them as they come
(``load_rows``). Building ``SELECT … WHERE site_id = 39 ORDER BY id LIMIT 50``
anew for every request then cost SQLAlchemy more than running it: the
statement's cache key, and matching the cached compiled form's result columns
to the new statement's. A page's *shape* — which columns it filters and how,
whether it searches, its order, whether it is limited — takes few values, so a
selection keeps its statements per shape with every value a bound parameter
(an ``IN`` list an expanding one): the next page of that shape runs the very
same statement objects with new parameters. A query with ``extra`` conditions
(arbitrary SQL) has no shape and is built each time.

A search (``q=``) reads its page and its count in one statement, from one pass
over the matches. Searched apart, the page went wrong where the planner guessed
the matches: for ``q=0042`` (144 of 100,000 devices) it expected a thousand,
walked the primary key testing four ILIKEs a row until 50 matched — 4,239 rows,
5 ms — and the count then found the same 144 rows again through the trigram
indexes. Now the matching rows' keys are gathered once (``matches``: the
trigram indexes' bitmap, whatever the guess), counted, and the page is the
first of them in order, joined to its columns: the work is the count's, which a
full page needed anyway. A page past the end holds no count and asks apart.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cmdb.services.listing import (
    ListQuery,
    bound_where,
    column_of,
    matches_in_any_case,
    order_columns,
    order_keys,
    parameters,
    total_from_page,
)
from cmdb.services.row_count import count_all

SHAPES_KEPT = 128  # per selection: filters combine freely, so the set is bounded
TOTAL = "total"  # the column a searched page's rows carry their count in, last


@dataclass(frozen=True)
class Statements:
    """A shape's statements: the page's rows, and the count (None: the whole table's).
    ``counted``: each row's last column is the count (``TOTAL``)."""

    rows: sa.Select[Any]
    count: sa.Select[Any] | None
    counted: bool = False


@dataclass(frozen=True)
class Selection:
    """What each row of ``load_rows`` holds: ``columns`` of ``model`` and of the relations
    in ``joins`` (each an aliased target and the relationship attribute, outer-joined)."""

    model: type[Any]
    columns: Sequence[sa.ColumnElement[Any]]
    joins: Sequence[tuple[Any, Any]] = ()
    _shapes: dict[Hashable, Statements] = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def statement(self) -> sa.Select[Any]:
        """The columns and joins, built once: joining along relationships costs more
        Python than the rest of a page's statement."""
        stmt = sa.select(*self.columns).select_from(self.model)
        for target, relationship in self.joins:
            stmt = stmt.outerjoin(target, relationship.of_type(target))
        return stmt

    def statements(self, query: ListQuery) -> Statements:
        """The rows and count statements of ``query``'s shape (``parameters`` fills them)."""
        key = shape(query)
        built = self._shapes.get(key) if key is not None else None
        if built is None:
            built = self._build(query)
            if key is not None:
                if len(self._shapes) >= SHAPES_KEPT:
                    self._shapes.pop(next(iter(self._shapes)), None)
                self._shapes[key] = built
        return built

    def _build(self, query: ListQuery) -> Statements:
        model = self.model
        where = [*bound_where(model, query), *query.extra]
        count = sa.select(sa.func.count()).select_from(model).where(*where) if where else None
        if query.search:
            return Statements(self._searched(where, query), count, counted=True)
        rows = self.statement.where(*where).order_by(*order_keys(model, query.ordering))
        return Statements(_paged(rows, query), count)

    def _searched(self, where: list[sa.ColumnElement[bool]], query: ListQuery) -> sa.Select[Any]:
        """The page of a search with the count of all its matches: the matches' keys and
        order columns once (materialised: read twice), the count of them, and the page's
        keys joined to the selection's columns."""
        model = self.model
        keys = order_columns(model, query.ordering)
        names = list(dict.fromkeys(name for name, _ in keys))
        matches = (
            sa.select(*(column_of(model, name).label(name) for name in names))
            .where(*where)
            .cte("matches")
            .prefix_with("MATERIALIZED", dialect="postgresql")
        )
        ids = [c.key for c in sa.inspect(model).primary_key]
        in_order = [matches.c[name].desc() if down else matches.c[name] for name, down in keys]
        page = _paged(sa.select(*(matches.c[key] for key in ids)).order_by(*in_order), query)
        paged = page.subquery("page")
        total = sa.select(sa.func.count()).select_from(matches).scalar_subquery().label(TOTAL)
        on = sa.and_(*(column_of(model, key) == paged.c[key] for key in ids))
        stmt = sa.select(*self.columns, total).select_from(paged).join(model, on)
        for target, relationship in self.joins:
            stmt = stmt.outerjoin(target, relationship.of_type(target))
        return stmt.order_by(*order_keys(model, query.ordering))


def _paged(stmt: sa.Select[Any], query: ListQuery) -> sa.Select[Any]:
    """``stmt`` from the page's offset, as many rows as its limit (both bound)."""
    stmt = stmt.offset(sa.bindparam("offset", type_=sa.BigInteger))
    if query.limit is not None:
        stmt = stmt.limit(sa.bindparam("limit", type_=sa.BigInteger))
    return stmt


def load_rows(
    session: Session, selection: Selection, query: ListQuery
) -> tuple[int, Sequence[sa.Row[Any]]]:
    """How many rows match in all, and the page of them, as tuples of the selected columns
    (a search's end with one more, its count: past the indices of the selection's columns).

    ``query.loads`` is ignored: the selection's joins say what comes with a row.
    """
    statements = selection.statements(query)
    values = parameters(query)
    # On the session's connection, not the session: a statement of columns needs none
    # of the ORM's result processing, which costs as much as the fetch itself.
    connection = session.connection()
    rows = connection.execute(statements.rows, values).all()
    if statements.counted:  # each row ends with the count; a page past the end asks apart
        total = rows[0][-1] if rows else (None if query.offset else 0)
    else:
        total = total_from_page(query, len(rows))
    if total is None and statements.count is None:
        total = count_all(session, selection.model)
    elif total is None:
        assert statements.count is not None
        total = connection.execute(statements.count, values).scalar_one()
    return total, rows


def shape(query: ListQuery) -> Hashable | None:
    """What decides the statements' text; None when the query carries arbitrary SQL."""
    if query.extra:
        return None
    criteria = tuple((c.column, c.lookup) for c in query.criteria)
    search = (
        (tuple(query.search_columns), matches_in_any_case(query.search)) if query.search else ()
    )
    return criteria, search, tuple(query.ordering), query.limit is None
