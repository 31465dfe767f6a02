"""Who may do what: reads need a user (or anonymous read on), writes need a role.

The roles each write endpoint allows are declared next to its route in
``web.api.routes`` and registered here; an endpoint that declares none is
admin-only, so a new write is closed until someone opens it. Admins may do
everything. API writes take a token only (a browser's session cookie would
otherwise let any page post on the user's behalf).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import current_app, request
from flask_smorest import abort
from sqlalchemy.orm import Session

from cmdb.choices import Role
from cmdb.models import Agency, ResourceRequest
from cmdb.services.request_visibility import may_see_request
from cmdb.services.users import agency_named
from web.auth.identity import current_user

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PUBLIC_ENDPOINTS = frozenset({"api-docs.openapi_json", "api-docs.openapi_swagger_ui"})
WRITE_ROLES: dict[str, frozenset[Role]] = {}
CHALLENGE = {"WWW-Authenticate": 'Token realm="headroom"'}


def allow(endpoint: str, roles: Iterable[Role]) -> None:
    """Declare the roles (besides admin) that may call a write endpoint."""
    WRITE_ROLES[endpoint] = frozenset(roles)


def anonymous_read() -> bool:
    return bool(current_app.config.get("CMDB_ANONYMOUS_READ"))


def check_api_access() -> None:
    """Refuse the current API call with 401 (who are you?) or 403 (not you)."""
    from flask import g

    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    if g.get("bad_token"):
        abort(401, message="invalid or expired token", headers=CHALLENGE)
    user = current_user()
    if request.method in READ_METHODS:
        if user is None and not anonymous_read():
            abort(401, message="log in or send Authorization: Token <key>", headers=CHALLENGE)
        return
    if user is None or not g.get("by_token"):
        abort(401, message="writes need Authorization: Token <key>", headers=CHALLENGE)
    assert user is not None  # abort raised
    roles = WRITE_ROLES.get(request.endpoint or "", frozenset())
    if user.role is not Role.ADMIN and user.role not in roles:
        abort(403, message=f"a {user.role.value} may not do this")


def require_agency(agency_id: int | None) -> None:
    """A requester acts only for their own agency (403 otherwise); other roles are not bound."""
    user = current_user()
    if user is not None and user.role is Role.REQUESTER and agency_id != user.agency_id:
        abort(403, message="a requester may only act on their own agency's requests")


def require_visible(req: ResourceRequest) -> None:
    """403 for a request the caller may not read (``cmdb.services.request_visibility``),
    as the UI answers and as a write to it is answered."""
    if not may_see_request(current_user(), req):
        abort(403, message="a requester may only see their own agency's requests")


def require_agency_named(session: Session, name: Any) -> None:
    """``require_agency`` for a document that names its agency (validated before)."""
    user = current_user()
    if user is None or user.role is not Role.REQUESTER:
        return
    own = session.get(Agency, user.agency_id) if user.agency_id is not None else None
    if own is None or not isinstance(name, str) or not agency_named(own, name):
        abort(403, message="a requester may only act on their own agency's requests")
