"""What the OpenAPI document adds to apispec's reading of the schemas, so it says what the
server accepts — no more, no less.

apispec writes a ``Range(min=0, min_inclusive=False)`` as ``minimum: 0``: the
document then promised that 0 is accepted where the server refuses it. And every
text field refuses NUL and lone surrogates (``web.input_limits``), which the
document states as a pattern on each free-text field. apispec's nullable nested
document admits any object; here it admits the nested document or null. Both come from the
declarations the server validates with, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import fields, validate

from web.input_limits import TEXT_PATTERN


def exclusive_bounds(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """``exclusiveMinimum``/``exclusiveMaximum`` (OpenAPI 3.0's booleans) for open ranges."""
    found: dict[str, Any] = {}
    for rule in field.validators:
        if isinstance(rule, validate.Range):
            if rule.min is not None and not rule.min_inclusive:
                found["exclusiveMinimum"] = True
            if rule.max is not None and not rule.max_inclusive:
                found["exclusiveMaximum"] = True
    return found


def text_pattern(_converter: Any, field: fields.Field, **_kwargs: Any) -> dict[str, Any]:
    """The pattern of free text: no NUL, no lone surrogate (closed choices need none)."""
    if not isinstance(field, fields.String) or isinstance(field, fields.Email | fields.URL):
        return {}
    if any(isinstance(rule, validate.OneOf | validate.Regexp) for rule in field.validators):
        return {}
    if "pattern" in field.metadata or "format" in field.metadata:
        return {}
    return {"pattern": TEXT_PATTERN}


NULL_PLACEHOLDER = {"type": "object", "nullable": True}


def nullable_reference(
    _converter: Any, field: fields.Field, ret: dict[str, Any], **_kwargs: Any
) -> dict[str, Any]:
    """A nullable nested document as ``{nullable, allOf: [ref]}``.

    apispec writes it ``anyOf: [{type: object, nullable: true}, ref]`` for OpenAPI 3.0,
    whose first branch takes any object at all: ``"sites": {}`` was valid by the
    document and refused by the server. Edits ``ret`` (the properties so far) in place,
    as only a later attribute function can.
    """
    branches = ret.get("anyOf")
    if not (isinstance(field, fields.Nested) and branches and NULL_PLACEHOLDER in branches):
        return {}
    del ret["anyOf"]
    return {"nullable": True, "allOf": [b for b in branches if b != NULL_PLACEHOLDER]}


def add_rules(plugin: MarshmallowPlugin) -> None:
    """Teach the document's marshmallow converter the rules above."""
    assert plugin.converter is not None  # set when the spec is made (``Api.init_app``)
    for rule in (exclusive_bounds, text_pattern, nullable_reference):
        plugin.converter.add_attribute_function(rule)
