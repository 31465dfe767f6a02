"""The Flask application: UI and REST API over the inventory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from web import db
from web.config import build_config
from web.json_provider import OrjsonProvider


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build an app: config from defaults, then ``CMDB_*`` variables, then ``test_config``."""
    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(build_config(test_config=test_config))
    db.init_app(app)

    from web import api, auth, ui

    auth.init_app(app)  # before the blueprints: every page and route is guarded
    ui.init_app(app)
    api.init_app(app)
    return app
