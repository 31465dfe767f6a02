"""The create, update and delete views of a declared resource, built from its write schema.

Every inventory resource writes the same way: the body is validated by the
resource's write schema (400 with messages per field, unknown fields too), the
use case checks references, unique names and what still points at a record
(400 / 409), and one unit of work commits the record with its change-log entry
or nothing at all.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from cmdb.services.editing import create_record, delete_record, update_record
from cmdb.services.listing import load_one
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_schema import item_schema
from web.api.resource_views import View
from web.api.transaction import unit_of_work
from web.auth.identity import actor
from web.db import get_session


def _present(resource: Resource, object_id: int, status: int) -> Response:
    row = load_one(get_session(), resource.model, object_id, resource.loads)
    response = jsonify(resource.schema.dump(row))
    response.status_code = status
    return response


def create_view(resource: Resource) -> View:
    """``POST /api/v1/<path>/``: a new record, 201 with it as the detail view shows it."""
    schema = resource.create_schema

    def create(body: dict[str, Any]) -> Response:
        with unit_of_work() as session:
            obj = create_record(
                session, resource.model, body, actor=actor(), check=schema.check_record
            )
        return _present(resource, obj.id, 201)

    create.__name__ = "create"
    create.__doc__ = (
        f"Create one of the {resource.label}.\n\n400 with messages per field on a bad body "
        "(an id that names no record included); 409 when a unique name is taken."
    )
    blp = resource.blueprint
    view: View = blp.errors(400, 409)(create)
    view = blp.response(201, item_schema(resource))(view)
    return blp.arguments(schema, location="json")(view)


def update_view(resource: Resource) -> View:
    """``PATCH /api/v1/<path>/<id>``: change the fields sent, keep the others."""
    schema = resource.update_schema

    def update(body: dict[str, Any], **kwargs: int) -> Response:
        with unit_of_work() as session:
            obj = load_one(session, resource.model, kwargs[DETAIL_ARG])
            update_record(session, obj, body, actor=actor(), check=schema.check_record)
        return _present(resource, kwargs[DETAIL_ARG], 200)

    update.__name__ = "update"
    update.__doc__ = (
        f"Change one of the {resource.label}: only the fields sent.\n\n400 with messages per "
        "field; 404 when there is no such record; 409 when a unique name is taken."
    )
    blp = resource.blueprint
    view: View = blp.errors(400, 404, 409)(update)
    view = blp.response(200, item_schema(resource))(view)
    # No body changes nothing (200, the record as it is): the body is optional.
    return blp.arguments(schema, location="json", required=False)(view)


def delete_view(resource: Resource) -> View:
    """``DELETE /api/v1/<path>/<id>``: 204, or 409 naming what still references it."""

    def delete(**kwargs: int) -> Response:
        with unit_of_work() as session:
            delete_record(
                session, load_one(session, resource.model, kwargs[DETAIL_ARG]), actor=actor()
            )
        return Response(status=204)

    delete.__name__ = "delete"
    delete.__doc__ = (
        f"Delete one of the {resource.label}.\n\n409 while other records still reference it "
        "(the message and `errors` say which); its change log stays."
    )
    blp = resource.blueprint
    view: View = blp.errors(404, 409)(delete)
    return blp.response(204)(view)
