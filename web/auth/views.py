"""Log-in and log-out pages of the UI (session cookie; passwords checked by cmdb.services)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from cmdb.services.users import authenticate_password
from web.auth.identity import SESSION_KEY
from web.db import get_session

bp = Blueprint("auth", __name__)


def login() -> str | Response:
    """Show the form; on a right username and password, start a session and go on."""
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        user = authenticate_password(get_session(), username, request.form.get("password", ""))
        if user is not None:
            session.clear()
            session[SESSION_KEY] = user.id
            return redirect(_safe_next(request.args.get("next")))
        error = "wrong username or password"
    return render_template("auth/login.html", error=error), 200 if error is None else 401


def logout() -> Response:
    session.clear()
    return redirect(url_for("auth.login"))


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("ui.overview")


bp.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=logout, methods=["POST"])
