"""Log-in and log-out pages of the UI (session cookie; passwords checked by cmdb.services).

A log-in is refused without checking the password once the throttle says so
(``cmdb.services.login_throttle``): 429, with when to try again. Logging out ends
every UI session of the user (``web.auth.identity``).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext, ngettext
from werkzeug.wrappers import Response

from cmdb.db import committing, utcnow
from cmdb.models import User
from cmdb.services.login_throttle import clear_failures, load_retry_at, save_failure
from cmdb.services.users import authenticate_password, end_sessions
from web.auth.identity import EPOCH_KEY, SESSION_KEY, current_user
from web.auth.throttle import throttle_limits
from web.db import get_session
from web.i18n import SESSION_KEY as LANGUAGE_KEY

bp = Blueprint("auth", __name__)

# Control characters (a browser drops tabs and newlines from a URL; a newline in a
# header is a 500) and backslashes (a browser reads ``/\evil`` as ``//evil``).
UNSAFE_IN_PATH = re.compile(r"[\x00-\x1f\x7f\\]")


def login() -> ResponseReturnValue:
    """Show the form; on a right username and password, start a session and go on."""
    if request.method == "GET":
        return render_template("auth/login.html", error=None)
    # No username holds a NUL, which PostgreSQL cannot even compare: it is counted as typed
    # with a stand-in, and found nowhere.
    username = request.form.get("username", "").replace("\x00", "\ufffd")
    address = request.remote_addr or "unknown"
    limits, now = throttle_limits(), utcnow()
    with committing(get_session()) as db:
        retry_at = load_retry_at(db, username, address, limits, now)
        if retry_at is not None:
            return _throttled(retry_at, now)
        user = authenticate_password(db, username, request.form.get("password", ""))
        if user is None:
            save_failure(db, username, address, limits, now)
        else:
            clear_failures(db, username)
    if user is None:
        error = gettext("Wrong username or password.")
        return render_template("auth/login.html", error=error), 401
    _start_session(user)
    return redirect(safe_next(request.args.get("next")))


def _throttled(retry_at: datetime, now: datetime) -> ResponseReturnValue:
    """429: the form again, saying when to try (the password was not even checked)."""
    seconds = max(math.ceil((retry_at - now).total_seconds()), 1)
    minutes = math.ceil(seconds / 60)
    error = ngettext(
        "Too many wrong passwords for this username or from this address. "
        "Try again in %(num)d minute.",
        "Too many wrong passwords for this username or from this address. "
        "Try again in %(num)d minutes.",
        minutes,
    )
    page = render_template("auth/login.html", error=error)
    return page, 429, {"Retry-After": str(seconds)}


def logout() -> Response:
    user = current_user()
    if user is not None:  # the cookie alone is not the session: it is refused from now on
        with committing(get_session()) as db:
            end_sessions(db, user)
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
    session[EPOCH_KEY] = user.session_epoch
    if language:
        session[LANGUAGE_KEY] = language


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if target and is_local_path(target):
        return target
    return url_for("ui.overview")


def is_local_path(target: str) -> bool:
    """Whether ``target`` is a path on this host however a browser reads it: one leading
    slash, no scheme, no host, nothing a browser drops or turns into a slash."""
    if not target.startswith("/") or target.startswith("//"):
        return False
    if UNSAFE_IN_PATH.search(target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


bp.add_url_rule("/login", view_func=login, methods=["GET", "POST"])
bp.add_url_rule("/logout", view_func=logout, methods=["POST"])
