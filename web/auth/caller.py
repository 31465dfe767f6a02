"""The caller and unit of work of the current HTTP request, for the action layer.

The API and the UI act for the same ``Caller`` (the logged-in user, with the
request's correlation id); they differ only in when the unit commits: the API
once its answer is built (``web.db.commit_when_answered``), the UI when the action
ends, before it redirects.
"""

from __future__ import annotations

from flask import has_request_context
from sqlalchemy.orm import Session

from cmdb.actions.caller import Caller, user_caller
from cmdb.actions.unit import UnitOfWork, commit_now
from web.audit import correlation_id
from web.auth.identity import current_user
from web.db import commit_when_answered, get_session


def request_caller() -> Caller:
    return user_caller(current_user(), correlation_id=correlation_id())


def api_unit(*, commit_at_end: bool = False) -> UnitOfWork:
    """The API's unit: committed once answered; ``commit_at_end`` commits when the action
    ends, for a view that then hands the work to another process (a job), which must
    find it stored."""
    commit = commit_now if commit_at_end else _commit_when_answered
    return UnitOfWork(get_session(), request_caller(), commit)


def ui_unit() -> UnitOfWork:
    return UnitOfWork(get_session(), request_caller())


def _commit_when_answered(session: Session) -> None:
    if has_request_context():
        commit_when_answered()
    else:
        session.commit()
