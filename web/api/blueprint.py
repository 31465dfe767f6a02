"""The blueprint every API resource uses: validation answers 400, unknown parameters too.

flask-smorest answers a validation failure with 422 and webargs ignores query
parameters it does not know. NetBox (and DESIGN §7) answer 400 with per-field
messages, and an unknown filter must never be silently ignored — the caller
would believe a filter is applied that is not.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

import flask
import flask_smorest
import marshmallow as ma
from webargs.flaskparser import FlaskParser
from webargs.multidictproxy import MultiDictProxy

from cmdb.errors import CmdbError
from web.api.body import reject_non_json_body
from web.api.errors import ERROR_DESCRIPTIONS, ErrorSchema, cmdb_error_response
from web.audit import echo_correlation_id

F = TypeVar("F", bound=Callable[..., Any])


class QueryArgs(MultiDictProxy):
    """The query string as webargs reads it, minus an exception per absent parameter.

    werkzeug's ``MultiDict.get`` raises and catches a ``KeyError`` for a key it
    lacks, and marshmallow asks for every field: a list declares 60-odd
    parameters of which a request sends two or three.
    """

    def __getitem__(self, key: str) -> Any:
        if key not in self.data:
            return ma.missing
        return super().__getitem__(key)


class ApiParser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400
    DEFAULT_UNKNOWN_BY_LOCATION: dict[str, str | None] = {  # noqa: RUF012 - as webargs declares it
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": ma.RAISE,
        "querystring": ma.RAISE,
    }

    def load_querystring(self, req: flask.Request, schema: ma.Schema) -> Any:
        return self._makeproxy(req.args, schema, cls=QueryArgs)

    def parse(self, argmap: Any, req: flask.Request | None = None, **kwargs: Any) -> Any:
        """The query string read by the fields its parameters name (and those with a
        default): marshmallow visits every field of a schema, and a list declares 60-odd
        parameters of which a request sends two or three."""
        if kwargs.get("location") in QUERY_LOCATIONS and isinstance(argmap, ma.Schema):
            request = req if req is not None else flask.request
            argmap = _NARROWED.of(argmap, frozenset(request.args.keys()))
        return super().parse(argmap, req, **kwargs)


QUERY_LOCATIONS = frozenset({"query", "querystring"})
NARROWED_KEPT = 256  # schemas × sets of parameters sent: the callers choose, so bounded


class NarrowedSchemas:
    """Per schema and set of parameters sent, the schema of those fields only (kept)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[int, frozenset[str]], tuple[ma.Schema, ma.Schema]] = {}

    def of(self, schema: ma.Schema, sent: frozenset[str]) -> ma.Schema:
        key = (id(schema), sent)
        kept = self._kept.get(key)
        if kept is None or kept[0] is not schema:
            if len(self._kept) >= NARROWED_KEPT:
                self._kept.clear()
            kept = (schema, narrowed(schema, sent))
            self._kept[key] = kept
        return kept[1]


_NARROWED = NarrowedSchemas()


def narrowed(schema: ma.Schema, sent: frozenset[str]) -> ma.Schema:
    """``schema`` with only the fields that read a parameter in ``sent``, have a default
    or are required: it loads the same values and refuses the same way. ``schema`` itself
    when a parameter is unknown (its error names it) or it was made with options."""
    plain = not (schema.only or schema.exclude or schema.many or schema.partial)
    fields = schema.load_fields
    name_of = {field.data_key or name: name for name, field in fields.items()}
    if not plain or not sent <= name_of.keys():
        return schema
    keep = {name_of[key] for key in sent} | {
        name
        for name, field in fields.items()
        if field.required or field.load_default is not ma.missing
    }
    if keep == set(fields):
        return schema
    return type(schema)(
        only=sorted(keep),
        unknown=schema.unknown,
        load_only=schema.load_only,
        dump_only=schema.dump_only,
    )


class ApiBlueprint(flask_smorest.Blueprint):
    """A resource of the API: its views answer JSON and turn service errors into 400/404/409."""

    ARGUMENTS_PARSER = ApiParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.before_request(reject_non_json_body)
        self.after_request(echo_correlation_id)
        self.register_error_handler(CmdbError, cmdb_error_response)

    def errors(self, *codes: int) -> Callable[[F], F]:
        """Document the error responses a view can give (all in the one error shape).

        A code already documented on the view is left as it is, so the route
        table can add the errors every route shares (``web.api.routes``).
        """

        def decorate(view: F) -> F:
            documented = getattr(view, "_apidoc", {}).get("response", {}).get("responses", {})
            for code in codes:
                if code not in documented:
                    description = ERROR_DESCRIPTIONS.get(code, HTTPStatus(code).phrase)
                    view = self.alt_response(code, schema=ErrorSchema, description=description)(
                        view
                    )
            return view

        return decorate

    def document_body(
        self, schema: type[ma.Schema] | ma.Schema, description: str
    ) -> Callable[[F], F]:
        """Document a JSON body that the view hands whole to a use case, which validates it.

        ``arguments`` would validate it here as well, twice and without the
        inventory look-ups the use case does; the schema still documents it.
        """
        content = {"application/json": {"schema": schema}}
        return self.doc(
            requestBody={"required": True, "description": description, "content": content}
        )
