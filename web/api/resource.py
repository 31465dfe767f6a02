"""One declaration per API resource: what it lists, how it filters, searches and orders.

NetBox keeps a serializer, a filterset and a view per model; here a single
``Resource`` says it all, and the schemas, the OpenAPI document, the views and
the contract tests are generated from it — so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy.orm import RelationshipProperty

from cmdb.actions.policy import Permission
from web.api.blueprint import ApiBlueprint
from web.api.schemas.write import WriteSchema

if TYPE_CHECKING:
    from cmdb.models import User
    from cmdb.services.listing import Lookup
    from web.api.resource_rows import RowPlan

DETAIL_ARG = "object_id"


@dataclass(frozen=True)
class ExtraFilter:
    """A filter that is not a column of the table (a discrepancy's site, its sources).

    ``field`` parses the parameter (and documents it); ``criterion`` turns the parsed
    value into a SQL condition on the resource's table. ``label`` puts it on the list
    page's filter form as a text box (``web.ui.list_form``); None leaves it off.
    """

    name: str
    field: Callable[[], ma.fields.Field]
    criterion: Callable[[Any], sa.ColumnElement[bool]]
    label: Any = None


@dataclass(frozen=True)
class Resource:
    """An inventory table as the API shows it.

    ``fields`` are column names or many-to-one relationships (shown as
    ``{id, url, display}``, loaded with the page, never per row); ``filters``
    are columns, each with the lookups its type allows; ``search`` are the text
    columns ``q=`` looks in; ``brief`` what ``brief=1`` keeps. ``write`` is the
    body of its create (POST) and, partial, update (PATCH); with it come DELETE
    and those three routes, open to the roles of ``write_permission``
    (``cmdb.actions.policy``).
    """

    path: str  # plural kebab-case: /api/v1/<path>/
    model: type[Any]
    fields: tuple[str, ...]
    filters: tuple[str, ...] = ()
    search: tuple[str, ...] = ()
    orderings: tuple[str, ...] = ("id",)
    brief: tuple[str, ...] = ("id", "url", "name")
    display: str = "name"
    description: str = ""
    detail: bool = True  # False for tables without a single-column id (samples)
    dated: bool = False  # has valid_from/valid_to: ``?as_of=D`` keeps the rows in force on D
    prefetch: tuple[str, ...] = field(default=())
    extra_filters: tuple[ExtraFilter, ...] = ()
    write: type[WriteSchema] | None = None
    write_permission: Permission = Permission.EDIT_INVENTORY
    # One-to-many relations the detail alone shows in full, each as a list of the
    # child resource's records (a run's per-target results): too long for a list page.
    detail_nested: tuple[str, ...] = ()
    # The rows a reader may see (``cmdb.services.request_visibility``): a condition its
    # list, detail and record histories add for that user, None for every row.
    readable: Callable[[User | None], sa.ColumnElement[bool] | None] | None = None

    @property
    def name(self) -> str:
        """The blueprint's name, hence the endpoints' prefix (``admin_units.detail``)."""
        return self.path.replace("-", "_")

    @property
    def label(self) -> str:
        return self.path.replace("-", " ")

    @cached_property
    def blueprint(self) -> ApiBlueprint:
        return ApiBlueprint(
            self.name, __name__, url_prefix=f"/api/v1/{self.path}", description=self.description
        )

    @cached_property
    def relations(self) -> tuple[str, ...]:
        """The shown fields that are relationships: loaded with every page."""
        mapper = sa.inspect(self.model)
        return tuple(name for name in self.fields if name in mapper.relationships)

    @cached_property
    def loads(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.relations, *self.prefetch)))

    def relationship(self, name: str) -> RelationshipProperty[Any]:
        return sa.inspect(self.model).relationships[name]

    def column(self, name: str) -> sa.Column[Any]:
        return sa.inspect(self.model).columns[name]

    @cached_property
    def schema(self) -> ma.Schema:
        from web.api.resource_schema import item_schema

        return item_schema(self)()

    @cached_property
    def detail_schema(self) -> ma.Schema:
        from web.api.resource_schema import detail_schema

        return detail_schema(self)()

    @cached_property
    def brief_schema(self) -> ma.Schema:
        from web.api.resource_schema import item_schema

        return item_schema(self)(only=self.brief)

    @cached_property
    def create_schema(self) -> WriteSchema:
        assert self.write is not None
        return self.write()

    @cached_property
    def update_schema(self) -> WriteSchema:
        """The write schema, partial: a PATCH sends only the fields it changes.

        A subclass of its own name, so the OpenAPI document lists both bodies
        (the PATCH one with no field required).
        """
        assert self.write is not None
        name = self.write.__name__.removesuffix("Schema") + "PatchSchema"
        return type(name, (self.write,), {})(partial=True)

    @cached_property
    def rows(self) -> RowPlan:
        """How the list selects and shows a row (see ``web.api.resource_rows``)."""
        from web.api.resource_rows import row_plan

        return row_plan(self.model, self.schema)

    @cached_property
    def brief_rows(self) -> RowPlan:
        from web.api.resource_rows import row_plan

        return row_plan(self.model, self.brief_schema)

    @cached_property
    def args_schema(self) -> type[ma.Schema]:
        from web.api.resource_args import list_args_schema

        return list_args_schema(self)

    @cached_property
    def parameters(self) -> dict[str, tuple[str, Lookup]]:
        """Every filter parameter → (column, lookup), worked out once, not per request."""
        from web.api.resource_args import filter_parameters

        return filter_parameters(self)

    @cached_property
    def list_args(self) -> ma.Schema:
        """The list's parameters as one instance for every request: given the class,
        webargs builds one per request (copying every field, a third of the parsing)."""
        return self.args_schema()


REGISTRY: dict[type[Any], Resource] = {}


def declare(resource: Resource) -> Resource:
    """Register a resource so that relations to its model link to it."""
    REGISTRY[resource.model] = resource
    return resource
