"""The API's door: reads need a user (or anonymous read on), writes a token and a permission.

Each write endpoint's permission is named next to its route in ``web.api.routes``
and registered here; which roles hold it is ``cmdb.actions.policy``'s table, the one
the UI and the CLI ask too. An endpoint that names none is admin-only, so a new write
is closed until someone opens it. This check answers before the body is read (a
refused caller learns nothing about the body); the action the view calls checks the
same permission again, and the visibility of the record it acts on. API writes take
a token only (a browser's session cookie would otherwise let any page post on the
user's behalf).
"""

from __future__ import annotations

import math

from flask import current_app, request
from flask_smorest import abort

from cmdb.actions.policy import Permission, may
from cmdb.db import utcnow
from cmdb.models import ResourceRequest
from cmdb.services.request_visibility import may_see_request
from web.auth.identity import current_user

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"api-docs.openapi_json", "api-docs.openapi_swagger_ui"})
WRITE_PERMISSIONS: dict[str, Permission] = {}
CHALLENGE = {"WWW-Authenticate": 'Token realm="headroom"'}


def allow(endpoint: str, permission: Permission) -> None:
    """Declare the permission a write endpoint needs."""
    WRITE_PERMISSIONS[endpoint] = permission


def endpoint_permission() -> Permission:
    """The current write endpoint's permission (an undeclared one: admins only)."""
    return WRITE_PERMISSIONS.get(request.endpoint or "", Permission.ADMINISTER)


def anonymous_read() -> bool:
    return bool(current_app.config.get("CMDB_ANONYMOUS_READ"))


def check_api_access() -> None:
    """Refuse the current API call with 401 (who are you?) or 403 (not you)."""
    from flask import g

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    retry_at = g.get("token_retry_at")
    if retry_at is not None:
        seconds = max(math.ceil((retry_at - utcnow()).total_seconds()), 1)
        message = "too many invalid tokens from this client: try again later"
        abort(429, message=message, headers={"Retry-After": str(seconds)})
    if g.get("bad_token"):
        abort(401, message="invalid or expired token", headers=CHALLENGE)
    user = current_user()
    if request.method in READ_METHODS:
        if user is None and not anonymous_read():
            abort(401, message="log in or send Authorization: Token <key>", headers=CHALLENGE)
        return
    if user is None or not g.get("by_token"):
        abort(401, message="writes need Authorization: Token <key>", headers=CHALLENGE)
    if not may(user, endpoint_permission()):
        assert user is not None  # abort raised
        abort(403, message=f"a {user.role.value} may not do this")


def require_visible(req: ResourceRequest) -> None:
    """403 for a request the caller may not read (``cmdb.services.request_visibility``),
    as the UI answers and as a write to it is answered."""
    if not may_see_request(current_user(), req):
        abort(403, message="a requester may only see their own agency's requests")
