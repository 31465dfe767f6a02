"""Who may do what on the request pages: one set of rules for hiding and refusing.

The templates ask these to hide the buttons a role may not press; the views ask
the same ones and answer 403, so a hand-made POST is refused all the same. The
roles match the API's route table (``web.api.routes``): requesters file and
evaluate for their own agency, planners decide, admins may do everything.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from cmdb.choices import Role
from cmdb.models import ResourceRequest, User
from cmdb.services.request_visibility import may_see_request
from web.auth.identity import current_user

FILERS = frozenset({Role.REQUESTER, Role.PLANNER, Role.ADMIN})
DECIDERS = frozenset({Role.PLANNER, Role.ADMIN})


def may_file(user: User | None) -> bool:
    """May create requests (a requester needs an agency to file for)."""
    if user is None or user.role not in FILERS:
        return False
    return user.role is not Role.REQUESTER or user.agency_id is not None


def may_see(user: User | None, req: ResourceRequest) -> bool:
    """Requesters see their agency's requests; every other reader sees all (the rule the
    API applies too: ``cmdb.services.request_visibility``)."""
    return may_see_request(user, req)


def may_evaluate(user: User | None, req: ResourceRequest) -> bool:
    return may_file(user) and may_see(user, req)


def may_decide(user: User | None) -> bool:
    return user is not None and user.role in DECIDERS


def require(allowed: bool) -> None:
    """403 unless allowed; a visitor not logged in is sent to log in first."""
    if allowed:
        return
    if current_user() is None:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    abort(403)
