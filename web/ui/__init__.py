"""Server-rendered pages."""

from flask import Blueprint

bp = Blueprint("ui", __name__)

from web.ui import views  # noqa: E402,F401 - registers the routes on bp
