"""Limits on what any request may carry, checked before a view runs (DESIGN §7).

No input may produce a 500. PostgreSQL refuses text with a NUL character and
Python's encoders choke on a lone surrogate (``"\\ud800"`` is valid JSON), so
text carrying either is a 400 here, whatever the field — query parameters, form
fields and every string (and key) of a JSON body. A body over ``MAX_BODY_BYTES``
is a 413, one nested deeper than ``MAX_DEPTH`` a 400 (the JSON parser would
otherwise recurse until it fails), a URL over ``MAX_URL_LENGTH`` a 414 — all in
the API's JSON shape under ``/api/`` (``web.ui.errors``).

``web.api.document`` states the text rule in the OpenAPI document from the same
pattern, so the document says what this module refuses. Ids in routes stop at
the database's integer range (``IdConverter``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from flask_smorest import abort
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map

from cmdb.bounds import MAX_ID
from web.api.errors import is_api_request

MAX_BODY_BYTES = 8 * 1024 * 1024  # a full batch of 10,000 samples is about 1 MiB
MAX_DEPTH = 32  # objects and arrays inside each other; Ansible facts go 5 deep
MAX_URL_LENGTH = 8192
# What no text may hold: NUL and the UTF-16 surrogates (never characters on their own).
FORBIDDEN_TEXT = re.compile("[\x00\ud800-\udfff]")
# The same rule as an ECMA-262 pattern, for the OpenAPI document.
TEXT_PATTERN = "^[^\\u0000\\ud800-\\udfff]*$"
TEXT_MESSAGE = "text must not contain NUL (U+0000) or lone surrogates (U+D800–U+DFFF)"


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: an id the database's INTEGER column can hold (the
    OpenAPI document reads ``max``).

    A larger one names no record: 404 — before, PostgreSQL refused it ("integer out
    of range") and SQLite overflowed, a 500. Raised here rather than by werkzeug's own
    ``max``: a value its converter refuses makes werkzeug answer a write with 405.
    """

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, *args, **kwargs)
        self.max = MAX_ID

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise NotFound(f"no record has id {value}: ids stop at {MAX_ID}")
        return number


def bounded_int(text: str) -> int:
    """``int`` for ``request.args.get(name, default, type=bounded_int)`` in the pages: a
    number past the INTEGER range is no value (the default), not a database error."""
    number = int(text)
    if not -MAX_ID - 1 <= number <= MAX_ID:
        raise ValueError(f"{text} is past the integer range")
    return number


def init_app(app: Flask) -> None:
    """Check every request; ids in routes within range (before any route is added)."""
    app.url_map.converters["int"] = IdConverter
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default: no limit
        app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.before_request(check_request)


def check_request() -> None:
    """Refuse a request whose URL, parameters or body break the limits (any route)."""
    if len(request.full_path) > MAX_URL_LENGTH:
        abort(414, message=f"the URL is longer than {MAX_URL_LENGTH:,} characters")
    errors = {name: [TEXT_MESSAGE] for name in _bad_fields(request.args)}
    if request.mimetype == "application/x-www-form-urlencoded" and not is_api_request():
        # the API takes JSON only, and says so (``web.api.body``) from the body unread
        errors.update({name: [TEXT_MESSAGE] for name in _bad_fields(request.form)})
    if errors:
        abort(400, message=TEXT_MESSAGE, errors=errors)
    if request.is_json and request.content_length != 0:
        _check_json()


def _bad_fields(values: Any) -> Iterator[str]:
    for name, value in values.items(multi=True):
        if FORBIDDEN_TEXT.search(name) or FORBIDDEN_TEXT.search(value):
            yield _printable(name)


def _check_json() -> None:
    try:
        document = request.get_json(silent=True)
    except RecursionError:
        abort(400, message=f"the body is nested more than {MAX_DEPTH} levels deep")
    problem = find_problem(document)
    if problem is not None:
        path, message = problem
        abort(400, message=message, errors={path or "_schema": [message]})


def find_problem(document: Any) -> tuple[str, str] | None:
    """The first place in ``document`` nested too deep or holding forbidden text, and why.

    Iterative, so a document nested as deep as the parser allows is walked
    without recursion.
    """
    pending: list[tuple[Any, str, int]] = [(document, "", 0)]
    while pending:
        value, path, depth = pending.pop()
        if isinstance(value, str):
            if FORBIDDEN_TEXT.search(value):
                return path, TEXT_MESSAGE
        elif isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return path, f"the body is nested more than {MAX_DEPTH} levels deep"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and FORBIDDEN_TEXT.search(key):
                    return path, TEXT_MESSAGE
                step = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
                pending.append((item, step.removeprefix("."), depth + 1))
    return None


def _printable(name: str) -> str:
    """A parameter name safe to echo back in an error (its forbidden characters escaped)."""
    return FORBIDDEN_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}", name)
