"""Questions about a JSON column, asked in each database's own words.

PostgreSQL's ``jsonb_exists`` (the ``?`` operator) answers both: a top-level key of
an object, a string element of an array. SQLite needs a path for a key and
``json_each`` for an element.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class _JsonTest(FunctionElement[bool]):
    type = sa.Boolean()
    inherit_cache = True


class json_has_key(_JsonTest):  # noqa: N801 - SQL function style, like sa.func
    """``key`` is a top-level key of the JSON object (a JSON null counts: the source spoke)."""

    inherit_cache = True  # each class says so itself, or SQLAlchemy will not cache it
    name = "json_has_key"


class json_array_holds(_JsonTest):  # noqa: N801 - SQL function style, like sa.func
    """The JSON array holds the string ``item`` as one of its elements."""

    inherit_cache = True
    name = "json_array_holds"


@compiles(json_has_key, "postgresql")
@compiles(json_array_holds, "postgresql")
def _pg_exists(element: _JsonTest, compiler: Any, **kw: Any) -> str:
    column, item = list(element.clauses)
    document, value = compiler.process(column, **kw), compiler.process(item, **kw)
    return f"jsonb_exists(CAST({document} AS jsonb), {value})"


@compiles(json_has_key, "sqlite")
def _sqlite_has_key(element: json_has_key, compiler: Any, **kw: Any) -> str:
    column, key = list(element.clauses)
    path = compiler.process(sa.literal("$.") + key, **kw)
    return f"(json_type({compiler.process(column, **kw)}, {path}) IS NOT NULL)"


@compiles(json_array_holds, "sqlite")
def _sqlite_holds(element: json_array_holds, compiler: Any, **kw: Any) -> str:
    column, item = list(element.clauses)
    document, value = compiler.process(column, **kw), compiler.process(item, **kw)
    return f"EXISTS (SELECT 1 FROM json_each({document}) WHERE json_each.value = {value})"
