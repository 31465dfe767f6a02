"""CSRF protection of the UI's forms: a per-session token every form posts back.

The API is not concerned: its writes take a token header, which a foreign page
cannot make a browser send.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

from web.api.errors import is_api_request

SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"


def csrf_token() -> str:
    """The session's token, made on first use (templates put it in a hidden field)."""
    if SESSION_KEY not in session:
        session[SESSION_KEY] = secrets.token_urlsafe(32)
    return session[SESSION_KEY]


def check_csrf() -> None:
    """Refuse (400) a form post whose token is missing or not the session's."""
    if request.method in {"GET", "HEAD", "OPTIONS"} or is_api_request():
        return
    sent = request.form.get(FORM_FIELD, "")
    expected = session.get(SESSION_KEY, "")
    if not expected or not hmac.compare_digest(sent, expected):
        abort(400, description="the form expired or came from elsewhere: reload it and retry")
