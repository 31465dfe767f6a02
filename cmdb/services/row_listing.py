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
    order_keys,
    parameters,
    total_from_page,
)
from cmdb.services.row_count import count_all

SHAPES_KEPT = 128  # per selection: filters combine freely, so the set is bounded
Statements = tuple[sa.Select[Any], sa.Select[Any] | None]  # rows; count (None: the table's)


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
        rows = self.statement.where(*where).order_by(*order_keys(model, query.ordering))
        rows = rows.offset(sa.bindparam("offset", type_=sa.BigInteger))
        if query.limit is not None:
            rows = rows.limit(sa.bindparam("limit", type_=sa.BigInteger))
        count = sa.select(sa.func.count()).select_from(model).where(*where) if where else None
        return rows, count


def load_rows(
    session: Session, selection: Selection, query: ListQuery
) -> tuple[int, Sequence[sa.Row[Any]]]:
    """How many rows match in all, and the page of them, as tuples of the selected columns.

    ``query.loads`` is ignored: the selection's joins say what comes with a row.
    """
    rows_statement, count_statement = selection.statements(query)
    values = parameters(query)
    # On the session's connection, not the session: a statement of columns needs none
    # of the ORM's result processing, which costs as much as the fetch itself.
    connection = session.connection()
    rows = connection.execute(rows_statement, values).all()
    total = total_from_page(query, len(rows))
    if total is None and count_statement is None:
        total = count_all(session, selection.model)
    elif total is None:
        assert count_statement is not None
        total = connection.execute(count_statement, values).scalar_one()
    return total, rows


def shape(query: ListQuery) -> Hashable | None:
    """What decides the statements' text; None when the query carries arbitrary SQL."""
    if query.extra:
        return None
    criteria = tuple((c.column, c.lookup) for c in query.criteria)
    search = tuple(query.search_columns) if query.search else ()
    return criteria, search, tuple(query.ordering), query.limit is None
