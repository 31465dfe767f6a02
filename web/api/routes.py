"""Every route of the REST API, in one table: resource, method, path, view.

The views say what they take and return (their decorators document it); this
table says where they are, so the whole API reads on one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cmdb.actions.policy import Permission
from web.api import (
    ansible,
    capacity,
    discovery_runs,
    discrepancies,
    facts,
    network_settings,
    requests,
    samples,
)
from web.api.blueprint import ApiBlueprint
from web.api.resource import DETAIL_ARG, Resource
from web.api.resource_views import changes_view, detail_view, list_view
from web.api.resource_writes import create_view, delete_view, update_view
from web.api.resources import CHANGES, RESOURCES
from web.auth.permissions import READ_METHODS, allow
from web.db import reads_only


@dataclass(frozen=True)
class Route:
    """Where a view is; a write also names its permission (``cmdb.actions.policy``
    says which roles hold it: the API, the UI and the CLI ask the same table).

    ``resource`` is the declaration a generated route comes from (None for the
    hand-written views), so tests can build a call for every generated route.
    """

    blueprint: ApiBlueprint
    method: str
    rule: str
    view: Callable[..., Any]
    permission: Permission = Permission.ADMINISTER
    resource: Resource | None = None
    reads_only: bool = False  # never writes: its session may autocommit (``web.db``)

    @property
    def endpoint(self) -> str:
        return f"{self.blueprint.name}.{self.view.__name__}"


FILE = Permission.FILE_REQUEST  # requesters: their own agency only
DECIDE = Permission.DECIDE_REQUEST


def resource_routes(resource: Resource) -> tuple[Route, ...]:
    """The generated routes of a declared resource: list and detail, the record's change
    log, and create/update/delete when it declares a write schema."""
    blp, rule = resource.blueprint, f"/<int:{DETAIL_ARG}>"
    reads: dict[str, Any] = {"resource": resource, "reads_only": True}
    routes = [Route(blp, "GET", "/", list_view(resource), **reads)]
    if resource.detail:
        routes.append(Route(blp, "GET", rule, detail_view(resource), **reads))
    if resource.detail and resource is not CHANGES:
        changes = changes_view(resource, CHANGES)
        routes.append(Route(blp, "GET", f"{rule}/changes/", changes, **reads))
    if resource.write is not None:
        permission = resource.write_permission
        routes += [
            Route(blp, "POST", "/", create_view(resource), permission, resource),
            Route(blp, "PATCH", rule, update_view(resource), permission, resource),
            Route(blp, "DELETE", rule, delete_view(resource), permission, resource),
        ]
    return tuple(routes)


ROUTES: tuple[Route, ...] = (
    Route(discrepancies.blp, "GET", "/export", discrepancies.export),
    *(route for resource in RESOURCES for route in resource_routes(resource)),
    Route(requests.blp, "GET", "/", requests.list_requests),
    Route(requests.blp, "POST", "/", requests.create_request, FILE),
    Route(requests.blp, "POST", "/evaluate", requests.evaluate_document, FILE),
    Route(requests.blp, "GET", "/<int:request_id>", requests.get_request),
    Route(requests.blp, "PATCH", "/<int:request_id>", requests.update_request, FILE),
    Route(requests.blp, "DELETE", "/<int:request_id>", requests.delete_request, FILE),
    Route(requests.blp, "POST", "/<int:request_id>/evaluate", requests.evaluate_request, FILE),
    Route(requests.blp, "POST", "/<int:request_id>/approve", requests.approve_request, DECIDE),
    Route(requests.blp, "POST", "/<int:request_id>/reject", requests.reject_request, DECIDE),
    Route(samples.blp, "POST", "/", samples.ingest, Permission.INGEST_SAMPLES),
    Route(capacity.blp, "GET", "/", capacity.report),
    Route(
        network_settings.blp,
        "PUT",
        network_settings.NETWORK_RULE,
        network_settings.set_network_setting,
        Permission.KEEP_CAPACITY_SETTINGS,
    ),
    Route(
        discrepancies.blp,
        "POST",
        "/<int:discrepancy_id>/acknowledge",
        discrepancies.acknowledge,
        Permission.ACKNOWLEDGE_DISCREPANCY,
    ),
    Route(ansible.blp, "GET", "/hosts/", ansible.hosts),
    Route(facts.blp, "POST", "/", facts.post_facts, Permission.POST_FACTS),
    Route(facts.blp, "POST", "/batch", facts.post_facts_batch, Permission.POST_FACTS),
    Route(facts.blp, "POST", "/runs/", facts.open_facts_run, Permission.POST_FACTS),
    Route(
        facts.blp,
        "POST",
        "/runs/<int:run_id>/finish",
        facts.finish_facts_run,
        Permission.POST_FACTS,
    ),
    Route(discovery_runs.blp, "POST", "/", discovery_runs.start_run, Permission.RUN_DISCOVERY),
    Route(
        discovery_runs.blp,
        "POST",
        f"/<int:{DETAIL_ARG}>/cancel",
        discovery_runs.cancel_run,
        Permission.RUN_DISCOVERY,
    ),
)

BLUEPRINTS: tuple[ApiBlueprint, ...] = tuple(dict.fromkeys(r.blueprint for r in ROUTES))


def shared_errors(route: Route) -> tuple[int, ...]:
    """The errors a route can answer whatever it does, documented here once for all.

    Every call can be refused (400: a bad parameter or body; 401: no valid token;
    429: too many invalid tokens from the client, ``web.auth.throttle``); a path with
    an id can name none (404); a write can be forbidden to the role (403), name a
    missing record (404) or meet a state that refuses it (409).
    """
    codes = {400, 401, 429}
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
        allow(_route.endpoint, _route.permission)
    if _route.reads_only:
        reads_only(_route.endpoint)
