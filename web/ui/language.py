"""``POST /language``: the header's language switch (Vietnamese / English).

The choice goes into the session (``web.i18n`` reads it first) and, for a
logged-in user, onto the user, so it follows them to another browser at the
next log-in. The form posts ``lang`` and ``next`` (the page to return to).
"""

from __future__ import annotations

from flask import abort, redirect, request, session
from werkzeug.wrappers import Response

from cmdb.db import committing
from cmdb.services.preferences import save_language
from web import i18n
from web.auth.identity import current_user
from web.auth.views import safe_next
from web.db import get_session
from web.ui import bp


@bp.post("/language")
def set_language() -> Response:
    lang = request.form.get("lang", "")
    if lang not in i18n.LANGUAGES:
        abort(400, description=f"lang: {lang!r} is not one of {', '.join(i18n.LANGUAGES)}")
    session[i18n.SESSION_KEY] = lang
    user = current_user()
    if user is not None:
        with committing(get_session()) as db:
            save_language(db, user, lang)
    return redirect(safe_next(request.form.get("next")))
