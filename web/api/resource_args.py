"""The query parameters of a resource's list, generated from its declared filters.

Each filter column gets the lookups its type allows: ``name`` (exact) and
``name__in`` (comma-separated) always; ``__gte``/``__lte`` on numbers and dates;
``__ic`` (contains, any case) on text. Any other parameter is refused with a 400
by the blueprint's parser, so a misspelt filter is never silently ignored.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import marshmallow as ma
import sqlalchemy as sa
from marshmallow import fields, validate
from webargs.fields import DelimitedList

from cmdb.bounds import MAX_INT32, MAX_INT64
from cmdb.services.as_of import unit_in_force
from cmdb.services.listing import Criterion, ListQuery, Lookup
from web.api.pagination import PageArgsSchema

if TYPE_CHECKING:
    from web.api.resource import Resource

SEPARATOR = "__"
RESERVED = frozenset({"limit", "offset", "q", "ordering", "brief", "as_of"})


class ListParameter(DelimitedList):
    """``a,b`` → ``[a, b]``; an empty value is one empty item, ``[""]``.

    webargs reads an empty value as no items, but a list of no items cannot be
    sent (the document says ``minItems: 1``), and ``[""]`` is sent just so.
    """

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value == "":
            return fields.List._deserialize(self, [""], attr, data, **kwargs)
        return super()._deserialize(value, attr, data, **kwargs)


class DateOrDateTime(fields.DateTime):
    """A timestamp filter that also takes a plain day (midnight UTC)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            moment = super()._deserialize(value, attr, data, **kwargs)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        return datetime(day.year, day.month, day.day, tzinfo=UTC)


def lookups_of(column: sa.Column[Any]) -> tuple[Lookup, ...]:
    """What a column can be compared with, by its type."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return (Lookup.EXACT,)
    if isinstance(kind, sa.Enum):
        return (Lookup.EXACT, Lookup.IN)
    if isinstance(kind, sa.Integer | sa.Float | sa.Numeric | sa.Date | sa.DateTime):
        return (Lookup.EXACT, Lookup.IN, Lookup.GTE, Lookup.LTE)
    return (Lookup.EXACT, Lookup.IN, Lookup.ICONTAINS)


def value_field(column: sa.Column[Any]) -> fields.Field:
    """The field that parses one value to compare with ``column``."""
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return fields.Enum(kind.enum_class, by_value=True)
    if isinstance(kind, sa.Boolean):
        return fields.Boolean()
    if isinstance(kind, sa.Integer):
        # the column's own range: PostgreSQL refuses to compare an INTEGER with 2**31
        top = MAX_INT64 if isinstance(kind, sa.BigInteger) else MAX_INT32
        return fields.Integer(validate=validate.Range(min=-top - 1, max=top))
    if isinstance(kind, sa.Float | sa.Numeric):
        return fields.Float(allow_nan=False)
    if isinstance(kind, sa.DateTime):
        return DateOrDateTime()
    if isinstance(kind, sa.Date):
        return fields.Date()
    return fields.String(validate=validate.Length(max=200))


def parameter_name(column: str, lookup: Lookup) -> str:
    return column if lookup is Lookup.EXACT else f"{column}{SEPARATOR}{lookup.value}"


def filter_parameters(resource: Resource) -> dict[str, tuple[str, Lookup]]:
    """Every filter parameter of the resource → (column, lookup)."""
    return {
        parameter_name(name, lookup): (name, lookup)
        for name in resource.filters
        for lookup in lookups_of(resource.column(name))
    }


def _filter_field(resource: Resource, column: str, lookup: Lookup) -> fields.Field:
    what = {
        Lookup.EXACT: f"{column} is",
        Lookup.IN: f"{column} is one of (comma-separated)",
        Lookup.GTE: f"{column} ≥",
        Lookup.LTE: f"{column} ≤",
        Lookup.ICONTAINS: f"{column} contains (any case)",
    }[lookup]
    inner = value_field(resource.column(column))
    if lookup is Lookup.IN:
        return ListParameter(inner, validate=validate.Length(min=1), metadata={"description": what})
    inner.metadata = {**inner.metadata, "description": what}
    return inner


def ordering_values(resource: Resource) -> list[str]:
    return [v for name in resource.orderings for v in (name, f"-{name}")]


def list_args_schema(resource: Resource) -> type[ma.Schema]:
    """Paging, ``q``, ``ordering``, ``brief`` and every filter parameter of the resource."""
    declared: dict[str, fields.Field] = {
        parameter: _filter_field(resource, column, lookup)
        for parameter, (column, lookup) in filter_parameters(resource).items()
    }
    for extra in resource.extra_filters:
        declared[extra.name] = extra.field()
    if resource.search:
        declared["q"] = fields.String(
            validate=validate.Length(max=200),
            metadata={"description": f"Text in any of: {', '.join(resource.search)}"},
        )
    declared["ordering"] = ListParameter(
        fields.String(validate=validate.OneOf(ordering_values(resource))),
        validate=validate.Length(min=1),
        metadata={"description": "Comma-separated columns, `-` for descending"},
    )
    if resource.dated:
        declared["as_of"] = fields.Date(
            metadata={"description": "Only the rows in force on this day (YYYY-MM-DD)"}
        )
    declared["brief"] = fields.Boolean(
        load_default=False, metadata={"description": f"Only {', '.join(resource.brief)}"}
    )
    name = f"{resource.model.__name__}ListArgsSchema"
    return PageArgsSchema.from_dict(declared, name=name)


def list_query(resource: Resource, args: dict[str, Any]) -> ListQuery:
    """The parsed parameters as the listing service's query."""
    criteria = [
        Criterion(column, lookup, args[parameter])
        for parameter, (column, lookup) in resource.parameters.items()
        if parameter in args
    ]
    extra = [f.criterion(args[f.name]) for f in resource.extra_filters if f.name in args]
    if args.get("as_of"):
        extra.append(unit_in_force(args["as_of"], resource.model))
    return ListQuery(
        criteria=criteria,
        search=args.get("q") or None,
        search_columns=resource.search,
        ordering=args.get("ordering") or (),
        loads=resource.loads,
        limit=args["limit"],
        offset=args["offset"],
        extra=tuple(extra),
    )
