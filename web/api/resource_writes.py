"""The create, update and delete views of a declared resource, built from its write schema.

Every inventory resource writes the same way: the body is validated by the
resource's write schema (400 with messages per field, unknown fields too), the
action (``cmdb.actions.records``: the resource's permission, one unit of work)
checks references, unique names and what still points at a record (400 / 409),
and commits the record with its change-log entry or nothing at all.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from cmdb.actions import records
from cmdb.services.listing import load_one
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_schema import item_schema
from web.api.resource_views import View
from web.auth.caller import api_unit
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
        permission = resource.write_permission
        obj = records.create(
            api_unit(), permission, resource.model, body, check=schema.check_record
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
        object_id, permission = kwargs[DETAIL_ARG], resource.write_permission
        records.update(
            api_unit(), permission, resource.model, object_id, body, check=schema.check_record
        )
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
        records.delete(api_unit(), resource.write_permission, resource.model, kwargs[DETAIL_ARG])
        return Response(status=204)

    delete.__name__ = "delete"
    delete.__doc__ = (
        f"Delete one of the {resource.label}.\n\n409 while other records still reference it "
        "(the message and `errors` say which); its change log stays."
    )
    blp = resource.blueprint
    view: View = blp.errors(404, 409)(delete)
    return blp.response(204)(view)
