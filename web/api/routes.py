"""Every route of the REST API, in one table: resource, method, path, view.

The views say what they take and return (their decorators document it); this
table says where they are, so the whole API reads on one screen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from web.api import capacity, requests
from web.api.blueprint import ApiBlueprint


@dataclass(frozen=True)
class Route:
    blueprint: ApiBlueprint
    method: str
    rule: str
    view: Callable[..., Any]


ROUTES: tuple[Route, ...] = (
    Route(requests.blp, "GET", "/", requests.list_requests),
    Route(requests.blp, "POST", "/", requests.create_request),
    Route(requests.blp, "POST", "/evaluate", requests.evaluate_document),
    Route(requests.blp, "GET", "/<int:request_id>", requests.get_request),
    Route(requests.blp, "POST", "/<int:request_id>/evaluate", requests.evaluate_request),
    Route(requests.blp, "POST", "/<int:request_id>/approve", requests.approve_request),
    Route(capacity.blp, "GET", "/", capacity.report),
)

BLUEPRINTS: tuple[ApiBlueprint, ...] = tuple(dict.fromkeys(r.blueprint for r in ROUTES))

# Blueprints take their rules once, when this module is first imported; each app
# built afterwards (one per test) registers the same blueprints.
for _route in ROUTES:
    _route.blueprint.add_url_rule(_route.rule, view_func=_route.view, methods=[_route.method])
