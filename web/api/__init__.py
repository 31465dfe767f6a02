"""The REST API under ``/api/v1/`` (flask-smorest): its OpenAPI document and docs page.

``/api/v1/openapi.json`` is generated from the same marshmallow schemas that
validate the requests; ``/api/v1/docs`` is Swagger UI, served from the app's own
static files (the DC network may have no Internet). Errors under ``/api/`` are
JSON in one shape (``web.api.errors``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_smorest import Api

from web.api.errors import ErrorSchema

SWAGGER_UI_ASSETS = "vendor/swagger-ui/"
TOKEN_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "Authorization",
    "description": "`Token <key>` (`cmdb token create USERNAME`); reads may be anonymous "
    "when CMDB_ANONYMOUS_READ is on",
}


class HeadroomApi(Api):
    """flask-smorest's Api, minus its app-wide error handler.

    The app keeps one handler for HTTP errors (``web.ui.errors``): HTML pages for
    the UI, JSON in the API's shape under ``/api/``. smorest's own would answer
    every UI error in JSON, and in another shape.
    """

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        pass


def api_config(app: Flask) -> dict[str, Any]:
    """The flask-smorest settings; anything already in the app's config wins."""
    return {
        "API_TITLE": "Headroom",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": f"{app.static_url_path}/{SWAGGER_UI_ASSETS}",
        # No call to validator.swagger.io: the DC network may have no Internet.
        "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
        "API_SPEC_OPTIONS": {
            "components": {"securitySchemes": {"Token": TOKEN_SCHEME}},
            "security": [{"Token": []}],
            "info": {
                "description": "Inventory (CMDB) and capacity of the provincial data centre. "
                "Lists page NetBox-style (`?limit=&offset=` → `{count, next, previous, "
                "results}`); every error is `{status, message, errors}` with messages per field."
            },
        },
    }


def init_app(app: Flask) -> None:
    """Mount the API and its documentation on ``app`` (after ``web.auth``)."""
    from web.api.routes import BLUEPRINTS

    for key, value in api_config(app).items():
        app.config.setdefault(key, value)
    api = HeadroomApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
