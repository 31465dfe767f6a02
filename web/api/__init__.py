"""The REST API under ``/api/v1/`` (flask-smorest): its OpenAPI document and docs page.

``/api/v1/openapi.json`` is generated from the same marshmallow schemas that
validate the requests; ``/api/v1/docs`` is Swagger UI, served from the app's own
static files (the DC network may have no Internet). Errors under ``/api/`` are
JSON in one shape (``web.api.errors``).
"""

from __future__ import annotations

import threading
from typing import Any

from apispec import APISpec
from flask import Flask
from flask_smorest import Api, Blueprint

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
    """flask-smorest's Api, minus its app-wide error handler, documenting on demand.

    The app keeps one handler for HTTP errors (``web.ui.errors``): HTML pages for
    the UI, JSON in the API's shape under ``/api/``. smorest's own would answer
    every UI error in JSON, and in another shape.

    smorest writes each blueprint's OpenAPI paths as it registers it: three
    quarters of ``create_app`` (every CLI command, every test's app) for a
    document few processes ever serve. Here the blueprints are mounted at once
    and documented, in the same order, the first time ``spec`` is read. So are
    smorest's shared components (a response for each of the 62 HTTP statuses, each
    converting the error schema: a quarter of what was left of ``create_app``).
    """

    ERROR_SCHEMA = ErrorSchema

    def __init__(self, app: Flask | None = None, **kwargs: Any) -> None:
        self._undocumented: list[tuple[Blueprint, str, list[Any] | None]] = []
        self._components_pending = True
        self._documenting = threading.RLock()
        self._spec: APISpec | None = None
        super().__init__(app, **kwargs)

    @property
    def spec(self) -> APISpec | None:
        with self._documenting:  # a second reader waits for the whole document
            if self._components_pending and self._spec is not None:
                # The calls below read spec again: that read must document nothing yet.
                self._components_pending = False
                waiting, self._undocumented = self._undocumented, []
                super()._register_responses()
                super()._register_etag_headers()
                super()._register_pagination_header()
                self._undocumented = waiting + self._undocumented
            spec, pending, self._undocumented = self._spec, self._undocumented, []
            for blueprint, name, parameters in pending:
                assert spec is not None  # made by init_app, before any blueprint
                blueprint.register_views_in_doc(
                    self, self._app, spec, name=name, parameters=parameters
                )
                spec.tag({"name": name, "description": blueprint.description})
        return self._spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self._spec = value

    def register_blueprint(
        self, blp: Blueprint, *, parameters: list[Any] | None = None, **options: Any
    ) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _register_error_handlers(self) -> None:
        pass

    # Registered when the document is first read (``spec``), not when the app is built.
    def _register_responses(self) -> None:
        pass

    def _register_etag_headers(self) -> None:
        pass

    def _register_pagination_header(self) -> None:
        pass


def api_config(app: Flask) -> dict[str, Any]:
    """The flask-smorest settings; anything already in the app's config wins."""
    from web.input_limits import MAX_BODY_BYTES, MAX_URL_LENGTH  # it imports web.api's errors

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
                "results}`); every error is `{status, message, errors}` with messages per field. "
                f"Any call may also answer 413 (a body over {MAX_BODY_BYTES // 2**20} MiB) or "
                f"414 (a URL over {MAX_URL_LENGTH:,} characters); no text may hold NUL or a "
                "lone surrogate."
            },
        },
    }


def init_app(app: Flask) -> None:
    """Mount the API and its documentation on ``app`` (after ``web.auth``)."""
    from web.api.document import add_rules
    from web.api.routes import BLUEPRINTS

    for key, value in api_config(app).items():
        app.config.setdefault(key, value)
    api = HeadroomApi(app)
    add_rules(api.ma_plugin)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
