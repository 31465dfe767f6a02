"""``/api/v1/capacity/``: the capacity report — headroom and exhaustion of every pool and link."""

from __future__ import annotations

from typing import Any

from capacity.actions import capacity_report
from web.api.blueprint import ApiBlueprint
from web.api.pagination import page
from web.api.schemas.capacity import CapacityArgsSchema, CapacityPageSchema
from web.api.transaction import unit_of_work
from web.today import today_or_real

blp = ApiBlueprint(
    "capacity",
    __name__,
    url_prefix="/api/v1/capacity",
    description="Capacity, headroom and time-to-exhaustion of clusters, storage pools and links.",
)


@blp.arguments(CapacityArgsSchema, location="query")
@blp.response(200, CapacityPageSchema)
@blp.errors(400)
def report(args: dict[str, Any]) -> dict[str, Any]:
    """The capacity report: clusters (vCPU, RAM), then storage pools, then links.

    A unit of work because computing the report may refresh the forecast cache.
    """
    at = args.get("at") or today_or_real()
    with unit_of_work() as session:
        rows = capacity_report(session, at=at)
    if "kind" in args:
        rows = [row for row in rows if row.kind == args["kind"]]
    limit, offset = args["limit"], args["offset"]
    return {"at": at, **page(rows[offset : offset + limit], len(rows), limit, offset)}
