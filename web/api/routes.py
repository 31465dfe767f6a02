"""Every route of the REST API, in one table: resource, method, path, view.

The views say what they take and return (their decorators document it); this
table says where they are, so the whole API reads on one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdb.choices import Role
from web.api import capacity, discovery_runs, requests
from web.api.blueprint import ApiBlueprint
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_views import detail_view, list_view
from web.api.resources import RESOURCES
from web.auth.permissions import READ_METHODS, allow


@dataclass(frozen=True)
class Route:
    """Where a view is; a write also says which roles besides admin may call it."""

    blueprint: ApiBlueprint
    method: str
    rule: str
    view: Callable[..., Any]
    roles: frozenset[Role] = frozenset()

    @property
    def endpoint(self) -> str:
        return f"{self.blueprint.name}.{self.view.__name__}"


REQUESTERS = frozenset({Role.REQUESTER, Role.PLANNER})  # requesters: their own agency only
PLANNERS = frozenset({Role.PLANNER})
ENGINEERS = frozenset({Role.ENGINEER})


def resource_routes(resource: Resource) -> tuple[Route, ...]:
    """The generated list and detail routes of a declared inventory resource."""
    routes = [Route(resource.blueprint, "GET", "/", list_view(resource))]
    if resource.detail:
        rule = f"/<int:{DETAIL_ARG}>"
        routes.append(Route(resource.blueprint, "GET", rule, detail_view(resource)))
    return tuple(routes)


ROUTES: tuple[Route, ...] = (
    *(route for resource in RESOURCES for route in resource_routes(resource)),
    Route(requests.blp, "GET", "/", requests.list_requests),
    Route(requests.blp, "POST", "/", requests.create_request, REQUESTERS),
    Route(requests.blp, "POST", "/evaluate", requests.evaluate_document, REQUESTERS),
    Route(requests.blp, "GET", "/<int:request_id>", requests.get_request),
    Route(
        requests.blp, "POST", "/<int:request_id>/evaluate", requests.evaluate_request, REQUESTERS
    ),
    Route(requests.blp, "POST", "/<int:request_id>/approve", requests.approve_request, PLANNERS),
    Route(capacity.blp, "GET", "/", capacity.report),
    Route(discovery_runs.blp, "POST", "/", discovery_runs.start_run, ENGINEERS),
    Route(
        discovery_runs.blp,
        "POST",
        f"/<int:{DETAIL_ARG}>/cancel",
        discovery_runs.cancel_run,
        ENGINEERS,
    ),
)

BLUEPRINTS: tuple[ApiBlueprint, ...] = tuple(dict.fromkeys(r.blueprint for r in ROUTES))

# Blueprints take their rules once, when this module is first imported; each app
# built afterwards (one per test) registers the same blueprints.
for _route in ROUTES:
    _route.blueprint.add_url_rule(_route.rule, view_func=_route.view, methods=[_route.method])
    if _route.method not in READ_METHODS:
        allow(_route.endpoint, _route.roles)
