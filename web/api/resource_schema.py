"""The response schema of a resource, generated from its model's columns.

Types follow the columns (an enum column is an enum of its values, a float a
finite number, a timestamp UTC with its offset), so the OpenAPI document states
exactly what the database can hold. Relations are ``{id, url, display}``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import marshmallow as ma
import sqlalchemy as sa
from flask import g, url_for
from marshmallow import fields

from web.api.schemas.fields import FiniteFloat, UtcDateTime

if TYPE_CHECKING:
    from web.api.resource import Resource


class RefSchema(ma.Schema):
    """A related record, NetBox's "nested" form: enough to show it and to follow it."""

    id = fields.Integer(required=True)
    url = fields.String(required=True, allow_none=True, metadata={"format": "uri"})
    display = fields.String(required=True)


def detail_url(model: type[Any], object_id: int) -> str | None:
    """Where a record of ``model`` lives in the API (None for a table without one).

    A page shows a URL per row and per relation (250 for 50 devices); building
    each with ``url_for`` cost a third of the list's time. The URL of id 0 is
    built once per request and model, and the id is put in its place.
    """
    base = detail_url_base(model)
    return None if base is None else f"{base}{object_id}"


def detail_url_base(model: type[Any]) -> str | None:
    """The URL of a record of ``model`` without its id, for this request's host."""
    from web.api.resource import DETAIL_ARG, REGISTRY

    bases: dict[type[Any], str | None] = g.setdefault("detail_url_bases", {})
    if model not in bases:
        resource = REGISTRY.get(model)
        if resource is None or not resource.detail:
            bases[model] = None
        else:
            values: dict[str, Any] = {DETAIL_ARG: 0}
            url = url_for(f"{resource.name}.detail", **values, _external=True)
            bases[model] = url.removesuffix("0")
    return bases[model]


class RelatedField(fields.Nested):
    """A many-to-one relation as a ``RefSchema`` document."""

    def __init__(self, model: type[Any], **kwargs: Any) -> None:
        super().__init__(RefSchema, **kwargs)
        self.model = model

    # marshmallow's Field names the first argument value, its Nested nested_obj
    def _serialize(  # type: ignore[override]
        self, value: Any, attr: str | None, obj: Any, **kwargs: Any
    ) -> Any:
        if value is None:
            return None
        return {
            "id": value.id,
            "url": detail_url(self.model, value.id),
            "display": str(getattr(value, display_attribute(self.model))),
        }


def display_attribute(model: type[Any]) -> str:
    from web.api.resource import REGISTRY

    resource = REGISTRY.get(model)
    return resource.display if resource is not None else "id"


class SelfUrl(fields.String):
    """The record's own URL in the API; it is not a column, so it reads the whole row."""

    def __init__(self, model: type[Any], **kwargs: Any) -> None:
        super().__init__(metadata={"format": "uri"}, **kwargs)
        self.model = model

    def get_value(self, obj: Any, attr: str, accessor: Any = None, default: Any = None) -> Any:
        return obj

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        return detail_url(self.model, obj.id)


def column_field(column: sa.Column[Any], required: bool) -> fields.Field:
    """The marshmallow field that dumps a column as JSON."""
    options: dict[str, Any] = {"allow_none": bool(column.nullable), "required": required}
    if column.doc:
        options["metadata"] = {"description": column.doc}
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return fields.Enum(kind.enum_class, by_value=True, **options)
    if isinstance(kind, sa.Boolean):
        return fields.Boolean(**options)
    if isinstance(kind, sa.Integer):
        return fields.Integer(**options)
    if isinstance(kind, sa.Float | sa.Numeric):
        options["allow_none"] = True  # FiniteFloat shows NaN and infinities as null
        return FiniteFloat(**options)
    if isinstance(kind, sa.DateTime):
        return UtcDateTime(**options)
    if isinstance(kind, sa.Date):
        return fields.Date(**options)
    if isinstance(kind, sa.JSON):
        return fields.Raw(**options)
    return fields.String(**options)


@cache
def item_schema(resource: Resource) -> type[ma.Schema]:
    """The schema of one record of ``resource`` (components named after the model)."""
    declared: dict[str, fields.Field] = {}
    for name in resource.fields:
        required = name in resource.brief
        if name == "url":
            declared[name] = SelfUrl(resource.model, required=required, allow_none=True)
        elif name in resource.relations:
            relation = resource.relationship(name)
            nullable = any(c.nullable for c in relation.local_columns)
            target = relation.mapper.class_
            declared[name] = RelatedField(target, required=required, allow_none=nullable)
        else:
            declared[name] = column_field(resource.column(name), required)
    return ma.Schema.from_dict(declared, name=f"{resource.model.__name__}ItemSchema")


@cache
def detail_schema(resource: Resource) -> type[ma.Schema]:
    """The item schema plus the ``detail_nested`` lists, each child as its resource shows it."""
    if not resource.detail_nested:
        return item_schema(resource)
    from web.api.resource import REGISTRY

    declared: dict[str, fields.Field] = {}
    for name in resource.detail_nested:
        child = REGISTRY[resource.relationship(name).mapper.class_]
        declared[name] = fields.List(fields.Nested(item_schema(child)), required=True)
    name = f"{resource.model.__name__}DetailSchema"
    return item_schema(resource).from_dict(declared, name=name)
