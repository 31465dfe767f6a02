"""The list and detail views of a declared resource, and their routes.

The views are built from the declaration, so every resource answers the same
way: a NetBox page envelope, 400 on a bad or unknown parameter, 404 on an
unknown id. They dump with the resource's schema themselves (``brief=1`` keeps
fewer fields) and hand flask-smorest a finished response; its decorators then
only document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify

from cmdb.services.listing import load_one, load_page
from web.api.pagination import page, page_schema
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_args import list_query
from web.api.resource_schema import item_schema
from web.db import get_session

View = Callable[..., Any]


def list_view(resource: Resource) -> View:
    """``GET /api/v1/<path>/``: one page of the resource, filtered, searched and ordered."""

    def list_(args: dict[str, Any]) -> Response:
        query = list_query(resource, args)
        total, rows = load_page(get_session(), resource.model, query)
        dump = resource.dump_brief if args["brief"] else resource.dump
        return jsonify(page([dump(row) for row in rows], total, query.limit or 0, query.offset))

    list_.__name__ = "list"
    list_.__doc__ = (
        f"List {resource.label}.\n\nFilters, `q=` search, `ordering=` and `brief=1`; an "
        "unknown parameter is a 400."
    )
    blp = resource.blueprint
    item = item_schema(resource)
    envelope = page_schema(item, f"{resource.model.__name__}PageSchema")
    view: View = blp.errors(400)(list_)
    view = blp.response(200, envelope)(view)
    return blp.arguments(resource.args_schema, location="query")(view)


def detail_view(resource: Resource) -> View:
    """``GET /api/v1/<path>/<id>``: one record, 404 when there is none."""

    def detail(**kwargs: int) -> Response:
        row = load_one(get_session(), resource.model, kwargs[DETAIL_ARG], resource.loads)
        return jsonify(resource.dump(row))

    detail.__name__ = "detail"
    detail.__doc__ = f"One of the {resource.label}, by id."
    blp = resource.blueprint
    view: View = blp.errors(404)(detail)
    return blp.response(200, item_schema(resource))(view)
