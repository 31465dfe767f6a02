"""NetBox's list envelope: ``?limit=&offset=`` in, ``{count, next, previous, results}`` out.

Clients written for NetBox (pynetbox, Ansible) follow ``next`` until it is null;
keeping the same envelope lets them read Headroom unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, fields, validate

DEFAULT_LIMIT = 50
MAX_LIMIT = 1000
MAX_OFFSET = 2**63 - 1 - MAX_LIMIT  # offset + limit must still fit in a BIGINT


class PageArgsSchema(Schema):
    """The paging parameters every list takes; list filters extend it."""

    limit = fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        metadata={"description": f"Rows per page (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})"},
    )
    offset = fields.Integer(
        load_default=0,
        # the databases' largest integer: beyond it the query itself fails (a 500)
        validate=validate.Range(min=0, max=MAX_OFFSET),
        metadata={"description": "Rows to skip"},
    )


class PageSchema(Schema):
    count = fields.Integer(required=True, metadata={"description": "Rows matching, all pages"})
    next = fields.String(allow_none=True, metadata={"description": "URL of the next page"})
    previous = fields.String(allow_none=True, metadata={"description": "URL of the page before"})


def page_schema(item: type[Schema], name: str, **extra: fields.Field) -> type[Schema]:
    """The envelope of a list of ``item``, named ``name`` in the OpenAPI document."""
    return PageSchema.from_dict(
        {"results": fields.List(fields.Nested(item), required=True), **extra}, name=name
    )


def page(results: Sequence[Any], count: int, limit: int, offset: int) -> dict[str, Any]:
    """The envelope of one page; ``next``/``previous`` keep the request's other parameters."""
    has_next = offset + len(results) < count
    return {
        "count": count,
        "next": _page_url(limit, offset + limit) if has_next else None,
        "previous": _page_url(limit, max(0, offset - limit)) if offset > 0 else None,
        "results": results,
    }


def _page_url(limit: int, offset: int) -> str:
    # The request's own path and query, not url_for: a query parameter may share its name
    # with a path argument (``object_id`` filters a record's change log at .../<object_id>/).
    args = request.args.to_dict(flat=False)
    args.update(limit=[str(limit)], offset=[str(offset)])
    return f"{request.base_url}?{urlencode(args, doseq=True)}"
