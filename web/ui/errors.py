"""Error pages inside the layout, so a lost user still has the navigation; under
``/api/`` the API's JSON errors instead (one handler for both, see ``web.api``)."""

from __future__ import annotations

from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException

from web.api.errors import http_error_response, is_api_request


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)


def render_error(error: HTTPException) -> tuple[str, int] | Response:
    """Render any HTTP error, 500 included (Flask wraps unhandled exceptions in one).

    Under ``/api/`` the answer is the API's JSON error instead: a client of the
    API (an unknown route, a wrong method) must never have to parse a page.
    The page reads nothing from the database: after a failure the session may be
    unusable, and the error page must still render.
    """
    if is_api_request():
        return http_error_response(error)
    code = error.code or 500
    return render_template("error.html", code=code), code
