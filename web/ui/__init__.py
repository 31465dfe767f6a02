"""Server-rendered pages: the blueprint, its error pages, template helpers and assets.

``init_app`` wires everything the pages need into an app, so ``create_app`` stays
one line per subsystem.
"""

from __future__ import annotations

from types import ModuleType

from flask import Blueprint, Flask

from web import i18n

bp = Blueprint("ui", __name__)

# Importing the page modules registers their routes on ``bp``.
from web.ui import (  # noqa: E402
    admin_units,
    assets,
    details,
    devices,
    errors,
    formatting,
    inventory,
    labels,
    language,
    links,
    overview,
)

PAGES: tuple[ModuleType, ...] = (overview, admin_units, devices, inventory, details, language)

# Issue 5's audit page, in its own block (helpers add pages in parallel).
from web.ui import audit  # noqa: E402

PAGES += (audit,)

# Issue 7's request pages, in their own block.
from web.ui import requests  # noqa: E402

PAGES += (requests,)

# Issue 6's discovery pages (background jobs), in their own block.
from web.ui import discovery  # noqa: E402

PAGES += (discovery,)

# Issue 7's edit forms for engineers, in their own block.
from web.ui import edit_views  # noqa: E402

PAGES += (edit_views,)

# A rack's page (its elevation).
from web.ui import racks  # noqa: E402

PAGES += (racks,)


# Issue 22's global search, in its own block.
from web.ui import search  # noqa: E402

PAGES += (search,)


def init_app(app: Flask) -> None:
    """Register the pages, the error pages and the template helpers on ``app``.

    Templates mark their text with ``_()``; Flask-Babel (``web.i18n``) supplies it.
    """
    i18n.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    assets.init_app(app)
    links.init_app(app)
    labels.init_app(app)
    edit_views.init_app(app)
    app.register_blueprint(bp)
