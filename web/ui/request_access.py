"""Who may do what on the request pages: the action layer's rules, asked to hide buttons.

The templates ask these to hide the buttons a role may not press; the rules are
``cmdb.actions.policy``'s (the API's and the CLI's too), and the actions the views
call refuse a hand-made POST all the same (``ForbiddenError``: 403 here).
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for

from cmdb.actions.policy import Permission, may, may_act_on
from cmdb.models import ResourceRequest, User
from cmdb.services.request_visibility import may_see_request
from web.auth.identity import current_user


def may_file(user: User | None) -> bool:
    """May create requests (a requester needs an agency to file for)."""
    return may(user, Permission.FILE_REQUEST)


def may_see(user: User | None, req: ResourceRequest) -> bool:
    """Requesters see their agency's requests; every other reader sees all."""
    return may_see_request(user, req)


def may_evaluate(user: User | None, req: ResourceRequest) -> bool:
    return may_act_on(user, req, Permission.FILE_REQUEST)


def may_decide(user: User | None) -> bool:
    return may(user, Permission.DECIDE_REQUEST)


def require(allowed: bool) -> None:
    """403 unless allowed; a visitor not logged in is sent to log in first."""
    if allowed:
        return
    if current_user() is None:
        abort(redirect(url_for("auth.login", next=request.full_path.rstrip("?"))))
    abort(403)
