"""The list and detail views of a declared resource, and their routes.

The views are built from the declaration, so every resource answers the same
way: a NetBox page envelope, 400 on a bad or unknown parameter, 404 on an
unknown id. Lists read plain rows and build the schema's documents from them
(``web.api.resource_rows``; ``brief=1`` keeps fewer fields), the detail dumps
with the schema; both hand flask-smorest a finished response, so its decorators
only document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import Response, jsonify, request
from flask_smorest import abort

from cmdb.services.listing import ListQuery, load_one
from cmdb.services.row_listing import load_rows
from web.api.pagination import page, page_schema
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_args import list_query
from web.api.resource_schema import detail_schema, detail_url_base, item_schema
from web.auth.identity import current_user
from web.db import get_session

View = Callable[..., Any]


@cache
def envelope_schema(resource: Resource) -> type[ma.Schema]:
    """The page of ``resource``: one schema, however many views return it."""
    return page_schema(item_schema(resource), f"{resource.model.__name__}PageSchema")


def readable_only(resource: Resource, query: ListQuery) -> ListQuery:
    """The query, limited to the rows the caller may read (when the resource says)."""
    readable = resource.readable(current_user()) if resource.readable else None
    return query if readable is None else replace(query, extra=(*query.extra, readable))


def _holds(resource: Resource, row_id: int, readable: sa.ColumnElement[bool]) -> bool:
    model = resource.model
    found = sa.select(model.id).where(model.id == row_id, readable)
    return get_session().scalar(found) is not None


def list_page(resource: Resource, query: ListQuery, brief: bool) -> Response:
    """One page of ``resource`` in the NetBox envelope: plain rows, no ORM objects."""
    plan = resource.brief_rows if brief else resource.rows
    total, rows = load_rows(get_session(), plan.selection, query)
    document = plan.documents(request.url_root, detail_url_base)
    results = [document(row) for row in rows]
    return jsonify(page(results, total, query.limit or 0, query.offset))


def list_view(resource: Resource) -> View:
    """``GET /api/v1/<path>/``: one page of the resource, filtered, searched and ordered."""

    def list_(args: dict[str, Any]) -> Response:
        return list_page(
            resource, readable_only(resource, list_query(resource, args)), args["brief"]
        )

    list_.__name__ = "list"
    list_.__doc__ = (
        f"List {resource.label}.\n\nFilters, `q=` search, `ordering=` and `brief=1`; an "
        "unknown parameter is a 400."
    )
    blp = resource.blueprint
    view: View = blp.errors(400)(list_)
    view = blp.response(200, envelope_schema(resource))(view)
    return blp.arguments(resource.list_args, location="query")(view)


def detail_view(resource: Resource) -> View:
    """``GET /api/v1/<path>/<id>``: one record, 404 when there is none."""

    def detail(**kwargs: int) -> Response:
        loads = (*resource.loads, *resource.detail_nested)
        row = load_one(get_session(), resource.model, kwargs[DETAIL_ARG], loads)
        readable = resource.readable(current_user()) if resource.readable else None
        if readable is not None and not _holds(resource, row.id, readable):
            abort(403, message=f"this one of the {resource.label} is not yours to read")
        return jsonify(resource.detail_schema.dump(row))

    detail.__name__ = "detail"
    detail.__doc__ = f"One of the {resource.label}, by id."
    blp = resource.blueprint
    view: View = blp.errors(*((403, 404) if resource.readable else (404,)))(detail)
    return blp.response(200, detail_schema(resource))(view)


def changes_view(resource: Resource, log: Resource) -> View:
    """``GET /api/v1/<path>/<id>/changes/``: the change log of one record, oldest first.

    The log outlives the record: a deleted record's history still answers (an id
    that never existed answers an empty page). ``log`` is the change-log resource,
    whose filters and paging the view takes.
    """

    def changes(args: dict[str, Any], **kwargs: int) -> Response:
        model = log.model
        mine = (
            model.object_type == resource.model.__tablename__,
            model.object_id == kwargs[DETAIL_ARG],
        )
        query = readable_only(log, list_query(log, args))
        return list_page(log, replace(query, extra=(*query.extra, *mine)), args["brief"])

    changes.__name__ = "changes"
    changes.__doc__ = (
        f"The change log of one of the {resource.label}: who changed it, when, from what to "
        "what. Takes the filters of `/api/v1/changes/`."
    )
    blp = resource.blueprint
    view: View = blp.errors(400)(changes)
    view = blp.response(200, envelope_schema(log))(view)
    return blp.arguments(log.list_args, location="query")(view)
