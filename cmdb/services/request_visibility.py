"""Who sees which resource requests: the one rule every interface applies.

A requester sees only their own agency's requests (one without an agency sees
none); every other role, and an anonymous reader where anonymous read is on,
sees them all. The API's list and detail, the UI's list, pages and dashboard
ask here, and so does the change log, whose entries about a request carry its name
and document; so the interfaces cannot disagree again (issue 18).
"""

from __future__ import annotations

from typing import TypeGuard

import sqlalchemy as sa

from cmdb.choices import Role
from cmdb.models import ChangeLog, ResourceRequest, User


def is_agency_bound(user: User | None) -> TypeGuard[User]:
    """Whether the user sees (and acts on) only their agency's requests."""
    return user is not None and user.role is Role.REQUESTER


def may_see_request(user: User | None, req: ResourceRequest) -> bool:
    if not is_agency_bound(user):
        return True
    assert user is not None
    return user.agency_id is not None and req.agency_id == user.agency_id


def visible_requests(user: User | None) -> sa.ColumnElement[bool] | None:
    """The condition a list of requests adds for this user; None: every request."""
    if not is_agency_bound(user):
        return None
    assert user is not None
    if user.agency_id is None:
        return sa.false()
    return ResourceRequest.agency_id == user.agency_id


def visible_changes(user: User | None) -> sa.ColumnElement[bool] | None:
    """The change log's entries the user may read: for a requester, those of other
    agencies' requests are left out (their names and documents are in them)."""
    visible = visible_requests(user)
    if visible is None:
        return None
    own = sa.select(ResourceRequest.id).where(visible)
    return sa.or_(
        ChangeLog.object_type != ResourceRequest.__tablename__, ChangeLog.object_id.in_(own)
    )
