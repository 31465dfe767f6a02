"""Authentication (API tokens, UI sessions), roles, CSRF, security headers; mounted by
``init_app``, which also makes sure sessions are signed with a key of this install.

Every request first learns who calls (``identity``); API calls are then checked
against the roles of their route (``permissions``); UI pages need a log-in unless
anonymous read is on; UI forms carry a CSRF token (``csrf``).
"""

from __future__ import annotations

from flask import Flask, redirect, request, url_for
from werkzeug.wrappers import Response

from web.api.errors import is_api_request
from web.auth.csrf import check_csrf, csrf_token
from web.auth.identity import current_user, load_identity
from web.auth.permissions import anonymous_read, check_api_access

OPEN_UI_ENDPOINTS = frozenset({"auth.login", "auth.logout", "static", "ui.set_language"})


def guard() -> Response | None:
    """The one gate every request passes: API rules, or a log-in for UI pages."""
    if is_api_request():
        check_api_access()
        return None
    check_csrf()
    if request.endpoint in OPEN_UI_ENDPOINTS or request.endpoint is None:
        return None
    if current_user() is None and not anonymous_read():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def init_app(app: Flask) -> None:
    from web.auth import headers
    from web.auth.secret_key import ensure_secret_key
    from web.auth.views import bp

    ensure_secret_key(app.config)
    headers.init_app(app)
    app.register_blueprint(bp)
    app.before_request(load_identity)
    app.before_request(guard)
    app.jinja_env.globals.update(csrf_token=csrf_token, current_user=current_user)
