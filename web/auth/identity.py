"""Who is calling: a user from an API token (``Authorization: Token <key>``) or the session.

Loaded once per request into ``g``; views and permission checks read it from here.
A session names its user and the user's session epoch when it began: logging out
or a new password raises the epoch, and every session begun before is refused
(the cookie is signed, not stored, so this is how it is revoked). A session without
an epoch began in the first: it only ever came from a key of this install.
"""

from __future__ import annotations

from flask import g, request, session

from cmdb.models import User
from cmdb.services.tokens import authenticate_token
from web.auth.throttle import count_token_failure
from web.db import get_session

SESSION_KEY = "user_id"
EPOCH_KEY = "epoch"


def load_identity() -> None:
    """Set ``g.user`` (or None) and ``g.by_token``; a bad token is remembered, not raised yet,
    and counted (``g.token_retry_at``: when a client over the limit may try again)."""
    g.user, g.by_token, g.bad_token, g.token_retry_at = None, False, False, None
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _, key = header.partition(" ")
        user = authenticate_token(get_session(), key.strip()) if scheme == "Token" else None
        g.user, g.by_token, g.bad_token = user, user is not None, user is None
        if user is None:
            g.token_retry_at = count_token_failure()
        return
    user_id = session.get(SESSION_KEY)
    if user_id is not None:
        user = get_session().get(User, user_id)
        g.user = user if session_is_current(user) else None


def session_is_current(user: User | None) -> bool:
    """Whether the session's user is active and has not ended their sessions since."""
    return user is not None and user.is_active and session.get(EPOCH_KEY, 0) == user.session_epoch


def current_user() -> User | None:
    return g.get("user")


def actor() -> str:
    """The name the change log records for the current caller."""
    user = current_user()
    return user.username if user is not None else "anonymous"
