"""Error pages inside the layout, so a lost user still has the navigation."""

from __future__ import annotations

from flask import Flask, render_template
from werkzeug.exceptions import HTTPException


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, render_error)


def render_error(error: HTTPException) -> tuple[str, int]:
    """Render any HTTP error, 500 included (Flask wraps unhandled exceptions in one).

    The page reads nothing from the database: after a failure the session may be
    unusable, and the error page must still render.
    """
    code = error.code or 500
    return render_template("error.html", code=code), code
