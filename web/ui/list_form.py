"""A list page's filter form, built from the API's declaration of the same resource.

Every declared filter column (``Resource.filters``) gets one field, named as the
API's exact-match parameter, so the form submits what ``/api/v1/<path>/`` takes
and both filter the same way: a choice column (an enum, a boolean) a select of
its values, a reference (``site_id``) a select of the records when there are few,
a date or timestamp two day boxes (``<name>__gte`` from, ``<name>__lte`` up to), anything
else a text box. Labels come from the page's columns, else ``FILTER_LABELS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from cmdb.services.ref_options import load_options
from web.api.resource import Resource

#: References with at most this many records are a select; more, an id box.
MAX_OPTIONS = 300

#: Names of filter columns no page column labels (shared by every resource).
FILTER_LABELS: dict[str, Any] = {
    "id": _l("Id"),
    "name": _l("Name"),
    "slug": _l("Slug"),
    "code": _l("Code"),
    "level": _l("Level"),
    "kind": _l("Kind"),
    "status": _l("Status"),
    "role": _l("Role"),
    "manufacturer": _l("Manufacturer"),
    "model": _l("Model"),
    "serial": _l("Serial"),
    "platform": _l("Platform"),
    "management_address": _l("Management address"),
    "location": _l("Location"),
    "cores": _l("CPU cores"),
    "ram_gb": _l("RAM (GB)"),
    "raw_storage_tb": _l("Raw storage (TB)"),
    "created_at": _l("Created"),
    "updated_at": _l("Updated"),
    "valid_from": _l("In force from"),
    "valid_to": _l("In force until"),
    "if_index": _l("ifIndex"),
    "speed_mbps": _l("Speed (Mbps)"),
    "mac_address": _l("MAC address"),
    "enabled": _l("Enabled"),
    "u_height": _l("Height (U)"),
    "power_kw": _l("Power budget (kW)"),
    "provider": _l("Provider"),
    "circuit_id": _l("Circuit id"),
    "at": _l("When"),
    "user_id": _l("User id"),
    "actor": _l("Who"),
    "action": _l("Action"),
    "object_type": _l("Kind of record"),
    "object_id": _l("Record id"),
    "correlation_id": _l("Correlation id"),
    "field": _l("Field"),
    "opened_at": _l("Opened"),
    "last_seen_at": _l("Last seen"),
    "source": _l("Source"),
    "target": _l("Target"),
    "requested_by": _l("Requested by"),
    "started_at": _l("Started"),
    "finished_at": _l("Finished"),
    "parent": _l("Parent unit"),
    "site": _l("Site"),
    "rack": _l("Rack"),
    "cluster": _l("Cluster"),
    "storage_pool": _l("Storage pool"),
    "agency": _l("Agency"),
    "admin_unit": _l("Administrative unit"),
    "information_system": _l("Information system"),
    "device": _l("Device"),
    "a_site": _l("User end"),
    "b_site": _l("Towards the DC"),
    "run": _l("Run"),
}


@dataclass(frozen=True)
class FormField:
    """One field of the filter form: the API parameter it submits and how it is shown."""

    param: str
    label: Any
    widget: str  # "select", "date" or "text"
    options: tuple[tuple[str, str], ...] = ()  # (value, label) of a select
    labels: str = ""  # the _labels.html dict naming the values of a choice
    repeats: bool = False  # the API takes it repeated (``tag``): a box per value given


@dataclass(frozen=True)
class Names:
    """How a page names its columns (``label``) and their values (``values``: the
    ``_labels.html`` dict of a choice column), by column path."""

    label: dict[str, Any]
    values: dict[str, str]


def form_fields(resource: Resource, names: Names, session: Session) -> list[FormField]:
    """The filter form of ``resource``: one field per declared filter column, in order,
    then the labelled extra filters."""
    out: list[FormField] = []
    for name in resource.filters:
        field = _field(resource, name, names, session)
        out.extend(_day_range(field) if field.widget == "date" else [field])
    # Filters that are not columns (a device's tags) when their declaration labels them.
    out += [
        FormField(f.name, f.label, "text", repeats=isinstance(f.field(), ma.fields.List))
        for f in resource.extra_filters
        if f.label
    ]
    return out


def _day_range(field: FormField) -> list[FormField]:
    """A day column's two boxes, as the API's ``__gte``/``__lte`` lookups take them."""
    return [
        FormField(f"{field.param}__gte", _l("%(field)s from", field=field.label), "date"),
        FormField(f"{field.param}__lte", _l("%(field)s up to", field=field.label), "date"),
    ]


def _field(resource: Resource, name: str, names: Names, session: Session) -> FormField:
    column = resource.column(name)
    column_labels = names.label
    base = name.removesuffix("_id")
    label = column_labels.get(name) or column_labels.get(base) or FILTER_LABELS.get(name)
    label = label or FILTER_LABELS.get(base) or name
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        values = tuple((e.value, e.value) for e in kind.enum_class)
        named = names.values.get(name) or CHOICE_LABELS.get(name, "")
        return FormField(name, label, "select", values, labels=named)
    if isinstance(kind, sa.Boolean):
        return FormField(name, label, "select", (("true", "✓"), ("false", "✗")))
    if isinstance(kind, sa.Date | sa.DateTime):
        return FormField(name, label, "date")
    target = _referenced_model(resource, name)
    if target is not None:
        options = load_options(session, target, MAX_OPTIONS)
        if options is not None:
            pairs = tuple((str(o.id), o.label) for o in options)
            return FormField(name, label, "select", pairs)
    return FormField(name, label, "text")


def _referenced_model(resource: Resource, name: str) -> type[Any] | None:
    """The model a ``<relation>_id`` filter points at, when it is a relation of the model."""
    if not name.endswith("_id"):
        return None
    relationships = sa.inspect(resource.model).relationships
    relation = relationships.get(name.removesuffix("_id"))
    if relation is None or relation.uselist:
        return None
    target: type[Any] = relation.mapper.class_
    return target if hasattr(target, "name") else None


#: Which ``_labels.html`` dict names an enum filter's values, by column name.
CHOICE_LABELS = {
    "status": "status",
    "role": "role",
    "network": "network",
    "protection": "protection",
    "level": "level",
    "action": "change_action",
    "source": "source",
}
