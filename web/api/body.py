"""Request bodies: JSON or nothing, and a malformed one is a 400 with a message."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_smorest import abort

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})


def reject_non_json_body() -> None:
    """Refuse a write whose body is not JSON, before any view runs.

    Without this, webargs would read a form-encoded body as "no body" and an
    optional body would be silently ignored.
    """
    if request.method in WRITE_METHODS and request.get_data(cache=True) and not request.is_json:
        abort(
            400,
            message="the body must be JSON",
            errors={"_schema": ["send Content-Type: application/json"]},
        )


def json_document() -> Any:
    """The body as a JSON document, for views that hand it to a use case whole.

    The request endpoints pass the raw document to the capacity actions, which
    validate it (``RequestSchema`` plus the inventory look-ups) in one place.
    """
    if not request.is_json:
        abort(
            400,
            message="a JSON body is required",
            errors={"_schema": ["send the request document with Content-Type: application/json"]},
        )
    document = request.get_json(silent=True)
    if document is None:
        abort(400, message="the body is not valid JSON", errors={"_schema": ["not valid JSON"]})
    return document
