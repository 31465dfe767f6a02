"""Every route of the REST API, in one table: resource, method, path, view.

The views say what they take and return (their decorators document it); this
table says where they are, so the whole API reads on one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdb.choices import Role
from web.api import capacity, requests
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
)

BLUEPRINTS: tuple[ApiBlueprint, ...] = tuple(dict.fromkeys(r.blueprint for r in ROUTES))


def shared_errors(route: Route) -> tuple[int, ...]:
    """The errors a route can answer whatever it does, documented here once for all.

    Every call can be refused (400: a bad parameter or body; 401: no valid
    token); a path with an id can name none (404); a write can be forbidden to
    the role (403), name a missing record (404) or meet a state that refuses it (409).
    """
    codes = {400, 401}
    if "<" in route.rule:
        codes.add(404)
    if route.method not in READ_METHODS:
        codes |= {403, 404, 409}
    return tuple(sorted(codes))


# Blueprints take their rules once, when this module is first imported; each app
# built afterwards (one per test) registers the same blueprints.
for _route in ROUTES:
    _view = _route.blueprint.errors(*shared_errors(_route))(_route.view)
    _route.blueprint.add_url_rule(_route.rule, view_func=_view, methods=[_route.method])
    if _route.method not in READ_METHODS:
        allow(_route.endpoint, _route.roles)
