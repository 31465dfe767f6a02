"""Which devices and VMs carry given tags: ``?tag=`` on the lists and the Ansible hosts.

Tags are a JSON list of slugs per row (migration 0025), so "has the tag" is a
question about a JSON array, asked in each database's own words: PostgreSQL's
``jsonb_exists`` (the ``?`` operator, which matches an array's string elements),
SQLite's ``json_each``. Every tag asked for must be there (``pci-dss`` and
``backup`` narrows, as a second filter does), not any one of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

#: A NetBox tag slug is at most 100 characters.
MAX_TAG_LENGTH = 100


class json_array_holds(FunctionElement[bool]):  # noqa: N801 - SQL function style, like sa.func
    """The JSON array column holds the string ``item`` as one of its elements."""

    type = sa.Boolean()
    inherit_cache = True
    name = "json_array_holds"


@compiles(json_array_holds, "postgresql")
def _pg_holds(element: json_array_holds, compiler: Any, **kw: Any) -> str:
    column, item = list(element.clauses)
    document, value = compiler.process(column, **kw), compiler.process(item, **kw)
    return f"jsonb_exists(CAST({document} AS jsonb), {value})"


@compiles(json_array_holds, "sqlite")
def _sqlite_holds(element: json_array_holds, compiler: Any, **kw: Any) -> str:
    column, item = list(element.clauses)
    document, value = compiler.process(column, **kw), compiler.process(item, **kw)
    return f"EXISTS (SELECT 1 FROM json_each({document}) WHERE json_each.value = {value})"


def has_tags(column: Any, slugs: Sequence[str]) -> ColumnElement[bool]:
    """Every slug of ``slugs`` is among the row's tags (no slugs: every row)."""
    return sa.and_(
        sa.true(),
        *(json_array_holds(column, sa.literal(s, sa.String)) for s in dict.fromkeys(slugs)),
    )
