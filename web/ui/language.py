"""``POST /language``: the language the user picked, kept in the session (``web.i18n``).

A form post (CSRF-checked by ``web.auth``) rather than a link, so a foreign page
cannot switch a user's language; ``next`` brings the user back to the page.
"""

from __future__ import annotations

from flask import abort, redirect, request, session, url_for
from werkzeug.wrappers import Response

from web.i18n import LANGUAGES, SESSION_KEY
from web.ui import bp


@bp.post("/language")
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang not in LANGUAGES:
        abort(400)
    session[SESSION_KEY] = lang
    target = request.form.get("next", "")
    safe = target.startswith("/") and not target.startswith("//")
    return redirect(target if safe else url_for("ui.overview"))
