"""One error shape for every API error: ``{"status", "message", "errors"}``.

``errors`` maps a field path (``workloads[0].vcpu``, ``limit``; ``_schema`` for
the body as a whole) to its messages, so a client can show each message next to
its field. Three sources feed it: HTTP errors (routing, webargs validation,
``abort``), the services' ``CmdbError`` and unhandled exceptions (500, with no
internals in the body).
"""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Response, jsonify, request
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from cmdb.errors import CmdbError, ConflictError, ForbiddenError, NotFoundError, ValidationError
from cmdb.schemas import flatten_errors
from web.validation_messages import translate_errors, translate_message

API_PREFIX = "/api/"

# Where webargs says a message came from; dropped from the field path.
_LOCATIONS = frozenset({"json", "query", "querystring", "form", "view_args", "path", "headers"})


class ErrorSchema(Schema):
    """The body of every API error (documents the responses; errors are built by hand)."""

    status = fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    message = fields.String(required=True, metadata={"description": "What went wrong"})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        required=True,
        metadata={"description": "Messages per field path; `_schema`: the body as a whole"},
    )


# What each documented error status means in this API (the OpenAPI descriptions).
ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "Invalid input: a parameter or the body; `errors` says which field and why",
    401: "No token, or one that is unknown or expired (`Authorization: Token <key>`)",
    403: "The caller's role (or agency) may not do this",
    404: "No such record",
    409: "The record's state forbids it (e.g. approving a request twice)",
    429: "Too many invalid tokens from this client: try again after `Retry-After` seconds",
}


def is_api_request() -> bool:
    """Whether the current request addresses the API (and must be answered in JSON)."""
    return request.path.startswith(API_PREFIX) or request.path == API_PREFIX.rstrip("/")


def error_response(
    status: int,
    message: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The one error body; without a message, the status's own phrase ("invalid input" for 400).

    Messages are in the caller's language (``web.i18n.select_api_locale``): English unless
    the request asks for another.
    """
    default = "invalid input" if status == 400 else HTTPStatus(status).phrase.lower()
    response = jsonify(
        status=status,
        message=translate_message(message or default),
        errors=translate_errors(errors or {}),
    )
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def http_error_response(error: HTTPException) -> Response:
    """JSON for an HTTP error: routing (404, 405), webargs validation, ``abort``, 500.

    webargs puts its messages per location (``{"query": {"limit": [...]}}``); the
    location is dropped, since a field name is already unique within a route.
    """
    status = error.code or 500
    data: Mapping[str, Any] = getattr(error, "data", None) or {}
    errors: dict[str, list[str]] = {}
    raw = data.get("errors", data.get("messages"))
    if isinstance(raw, Mapping) and status < 500:
        for key, messages in raw.items():
            errors.update(flatten_errors(messages if key in _LOCATIONS else {key: messages}))
    message = data.get("message") if status < 500 else None
    if status == 405:
        message = f"method {request.method} is not allowed on {request.path}"
    elif status == 404 and not message:
        message = f"not found: {request.path}"
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    return error_response(status, message, errors, headers)


_CMDB_STATUS: tuple[tuple[type[CmdbError], int], ...] = (
    (ValidationError, 400),
    (ForbiddenError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
)


def cmdb_error_response(error: CmdbError) -> Response:
    """A service error as its HTTP status: validation 400, forbidden 403, unknown record 404,
    conflict 409."""
    status = next((code for cls, code in _CMDB_STATUS if isinstance(error, cls)), 400)
    errors = error.errors if isinstance(error, ValidationError | ConflictError) else {}
    message = str(error.args[0]) if error.args else None
    return error_response(status, message, errors)
