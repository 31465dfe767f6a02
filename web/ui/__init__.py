"""Server-rendered pages: the blueprint, its error pages, template helpers and assets.

``init_app`` wires everything the pages need into an app, so ``create_app`` stays
one line per subsystem.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("ui", __name__)

# Importing the page modules registers their routes on ``bp``.
from web.ui import admin_units, assets, devices, errors, formatting, overview  # noqa: E402

PAGES = (overview, admin_units, devices)


def init_app(app: Flask) -> None:
    """Register the pages, the error pages and the template helpers on ``app``.

    Templates mark their text with ``_()`` already; until the catalogues exist
    (Flask-Babel, a later issue) null translations make ``_`` the identity, and
    Flask-Babel replaces them without any template changing.
    """
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    formatting.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    app.register_blueprint(bp)
