"""``/api/v1/discrepancies/``: acknowledge one with a comment; export the filtered list.

The list and detail are generated from the resource declaration; these two views
add the person's action and the report, through the same services as the CLI.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, jsonify

from cmdb.actions import discrepancies as discrepancy_actions
from cmdb.services.discrepancy_export import load_discrepancy_rows, to_csv, to_json
from cmdb.services.discrepancy_filter import parse_filter
from web.api.resource_schema import item_schema
from web.api.resources import DISCREPANCIES
from web.api.schemas.discrepancies import AcknowledgeSchema, ExportArgsSchema, ExportSchema
from web.auth.caller import api_unit
from web.db import get_session

blp = DISCREPANCIES.blueprint


@blp.arguments(AcknowledgeSchema)
@blp.response(200, item_schema(DISCREPANCIES))
@blp.errors(400, 404, 409)
def acknowledge(args: dict[str, Any], discrepancy_id: int) -> Response:
    """Acknowledge an open discrepancy with a comment (engineers).

    It stays listed, apart from the open ones, until the sources agree (resolved)
    or its values change (open again). 409 when it is not open.
    """
    found = discrepancy_actions.acknowledge(api_unit(), discrepancy_id, args["comment"])
    return jsonify(DISCREPANCIES.schema.dump(found))


@blp.arguments(ExportArgsSchema, location="query")
@blp.response(200, ExportSchema)
# format=csv answers the same rows as text/csv: both are documented on the one 200.
@blp.doc(
    responses={
        "200": {
            "content": {
                "application/json": {"schema": ExportSchema},
                "text/csv": {"schema": {"type": "string"}},
            }
        }
    }
)
@blp.errors(400)
def export(args: dict[str, Any]) -> Response:
    """Export the discrepancies (the list's filters) as CSV, one column per source, or JSON."""
    where = parse_filter(args)
    rows = load_discrepancy_rows(get_session(), where)
    if args["format"] == "json":
        body = json.dumps({"count": len(rows), "results": to_json(rows)}, ensure_ascii=False)
        return Response(body, mimetype="application/json")
    return Response(
        to_csv(rows),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="discrepancies.csv"'},
    )
