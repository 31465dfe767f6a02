"""Vietnamese and English (Flask-Babel): which language a request is answered in.

The choice, in order: the ``lang`` the user picked (kept in the session; the UI also
stores it on the user), then the browser's Accept-Language, then ``CMDB_DEFAULT_LANGUAGE``.
The API answers in English unless the call asks otherwise: its Accept-Language, else
the language the token's user picked in the UI (a script should not get Vietnamese
messages because the server's default is Vietnamese).
Catalogues live in ``web/translations/<lang>/LC_MESSAGES/messages.po``; ``make
translations`` (run by ``make venv``, ``make demo`` and ``make test``) compiles them.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, request, session
from flask_babel import Babel, get_locale

LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}
SESSION_KEY = "lang"
API_LANGUAGE = "en"
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
TRANSLATIONS = Path(__file__).parent / "translations"


def select_locale() -> str:
    from web.api.errors import is_api_request

    if is_api_request():
        return select_api_locale()
    chosen = session.get(SESSION_KEY)
    if chosen in LANGUAGES:
        return str(chosen)
    best = request.accept_languages.best_match(LANGUAGES.keys())
    if best:
        return best
    default = current_app.config.get("CMDB_DEFAULT_LANGUAGE", "vi")
    return default if default in LANGUAGES else "vi"


def select_api_locale() -> str:
    if request.accept_languages:
        return request.accept_languages.best_match(LANGUAGES.keys()) or API_LANGUAGE
    from web.auth.identity import current_user

    user = current_user()
    stored = user.language if user is not None else None
    return stored if stored in LANGUAGES else API_LANGUAGE


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=select_locale, timezone_selector=dc_timezone)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language)


def dc_timezone() -> str:
    """The DC's time zone (``CMDB_TIMEZONE``): every time a page shows is in it."""
    return str(current_app.config.get("CMDB_TIMEZONE") or DEFAULT_TIMEZONE)


def current_language() -> str:
    """The language code of the page being rendered (for ``<html lang>`` and the switch)."""
    locale = get_locale()
    return locale.language if locale is not None else "vi"
