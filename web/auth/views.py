"""Log-in and log-out pages of the UI (session cookie; passwords checked by cmdb.services)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from werkzeug.wrappers import Response

from cmdb.models import User
from cmdb.services.users import authenticate_password
from web.auth.identity import SESSION_KEY
from web.db import get_session
from web.i18n import SESSION_KEY as LANGUAGE_KEY

bp = Blueprint("auth", __name__)


def login() -> ResponseReturnValue:
    """Show the form; on a right username and password, start a session and go on."""
    error = None
    if request.method == "POST":
        username = request.form.get("username", "")
        user = authenticate_password(get_session(), username, request.form.get("password", ""))
        if user is not None:
            _start_session(user)
            return redirect(safe_next(request.args.get("next")))
        error = gettext("Wrong username or password.")
    return render_template("auth/login.html", error=error), 200 if error is None else 401


def logout() -> Response:
    language = session.get(LANGUAGE_KEY)
    session.clear()
    if language:  # logging out does not switch the page back to another language
        session[LANGUAGE_KEY] = language
    return redirect(url_for("auth.login"))


def _start_session(user: User) -> None:
    """A fresh session (no fixation); the user's own language wins over the one picked
    before logging in, which is kept when the user has none."""
    language = user.language or session.get(LANGUAGE_KEY)
    session.clear()
    session[SESSION_KEY] = user.id
    if language:
        session[LANGUAGE_KEY] = language


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("ui.overview")


bp.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=logout, methods=["POST"])
