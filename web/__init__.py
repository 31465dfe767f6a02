"""The Flask application: UI and REST API over the inventory.

Importing this package is cheap on purpose: the ``cmdb`` command imports it to
list its commands, and builds an app only for a command that needs one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build an app: config from defaults, then ``CMDB_*`` variables, then ``test_config``."""
    app = create_base_app(test_config)

    from web import api, auth, input_limits, ui

    input_limits.init_app(app)  # first: nothing after it sees NUL, a huge URL or deep JSON
    auth.init_app(app)  # before the blueprints: every page and route is guarded
    ui.init_app(app)
    api.init_app(app)
    return app


def create_base_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The app without pages or API: its config, JSON and database only.

    What a console command works with. Registering the pages and the API costs
    about a second of CPU (mostly the OpenAPI document), which ``cmdb jobs list``
    would otherwise pay on every run.
    """
    from flask import Flask

    from web import db
    from web.config import build_config
    from web.json_provider import OrjsonProvider

    app = Flask(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(build_config(test_config=test_config))
    db.init_app(app)
    return app
