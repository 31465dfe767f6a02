"""An edit form's fields, read off the resource's write schema, and the form read back.

The write schema (``web.api.schemas``) is the one set of rules: from each of its
fields this module derives the input a browser shows (type, ``required``,
``min``/``max``/``step``, ``maxlength``, the choices of a select), and turns the
posted text back into the body the API would receive, typed as JSON would type
it, so the schema's own messages ("Not a valid integer.") answer a bad value.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate
from werkzeug.datastructures import MultiDict

from cmdb.choices import (
    AgencyKind,
    CatalogueKind,
    DeviceRole,
    Network,
    Protection,
    RackFace,
    SiteKind,
    Status,
    StoragePoolKind,
)

#: The labels group (``web.ui.labels``) that names each enum's values.
ENUM_LABELS: dict[type[enum.Enum], str] = {
    AgencyKind: "agency_kind",
    CatalogueKind: "catalogue_kind",
    Status: "status",
    SiteKind: "site_kind",
    DeviceRole: "role",
    Network: "network",
    StoragePoolKind: "pool_kind",
    Protection: "protection",
    RackFace: "rack_face",
}
#: Text fields long enough to deserve a text area.
LONG_TEXT = 300
LIST_SEPARATORS = re.compile(r"[\s,]+")


@dataclass(frozen=True)
class FormField:
    """One input of the form. ``kind``: text, textarea, integer, number, date, select,
    ref, checkbox, checkboxes (a list of choices) or lines (a list of free values)."""

    name: str
    kind: str
    required: bool = False
    nullable: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    choices: tuple[str, ...] = ()
    labels: str = ""  # the labels group of the choices


def form_fields(schema: ma.Schema, refs: frozenset[str]) -> tuple[FormField, ...]:
    """The inputs of ``schema``'s fields, in declaration order; ``refs`` are the foreign keys."""
    return tuple(_form_field(name, f, name in refs) for name, f in schema.fields.items())


def _form_field(name: str, f: fields.Field, is_ref: bool) -> FormField:
    common: dict[str, Any] = {"name": name, "required": f.required, "nullable": f.allow_none}
    if is_ref:
        return FormField(kind="ref", attrs={"min": "1", "step": "1"}, **common)
    if isinstance(f, fields.Enum):
        values = tuple(str(m.value) for m in f.enum)
        return FormField(
            kind="select", choices=values, labels=ENUM_LABELS.get(f.enum, ""), **common
        )
    if isinstance(f, fields.Boolean):
        return FormField(kind="checkbox", **common)
    if isinstance(f, fields.Date):
        return FormField(kind="date", **common)  # the browser sends YYYY-MM-DD
    if isinstance(f, fields.List):
        choices = _one_of(f.inner)
        kind = "checkboxes" if choices else "lines"
        return FormField(kind=kind, choices=choices, labels="zone" if choices else "", **common)
    if isinstance(f, fields.Integer):
        return FormField(kind="integer", attrs=_range(f) | {"step": "1"}, **common)
    if isinstance(f, fields.Number):
        return FormField(kind="number", attrs=_range(f) | {"step": "any"}, **common)
    longest = _max_length(f)
    kind = "textarea" if longest is None or longest >= LONG_TEXT else "text"
    attrs = {"maxlength": str(longest)} if longest is not None else {}
    return FormField(kind=kind, attrs=attrs, **common)


def _validators(f: fields.Field) -> list[Any]:
    return list(f.validators)


def _range(f: fields.Field) -> dict[str, str]:
    """``min``/``max`` of the field's Range; an exclusive bound has no HTML form (the
    server says it)."""
    attrs: dict[str, str] = {}
    for rule in _validators(f):
        if isinstance(rule, validate.Range):
            if rule.min is not None and rule.min_inclusive:
                attrs["min"] = _number(rule.min)
            if rule.max is not None and rule.max_inclusive:
                attrs["max"] = _number(rule.max)
    return attrs


def _max_length(f: fields.Field) -> int | None:
    found = [r.max for r in _validators(f) if isinstance(r, validate.Length) and r.max]
    return min(found) if found else None


def _one_of(f: fields.Field) -> tuple[str, ...]:
    for rule in _validators(f):
        if isinstance(rule, validate.OneOf):
            return tuple(str(c) for c in rule.choices)
    return ()


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


# --- the form posted back ------------------------------------------------------------


def parse_form(
    inputs: tuple[FormField, ...], form: MultiDict[str, str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """What was typed (to show again) and the body for the write schema.

    A blank input is left out of the body ("Missing data for required field." when the
    field is required; the record keeps its value when it is optional), except that a
    blank nullable field is null — that is how a person clears it.
    """
    typed: dict[str, Any] = {}
    body: dict[str, Any] = {}
    for f in inputs:
        if f.kind == "checkbox":
            typed[f.name] = body[f.name] = f.name in form
        elif f.kind == "checkboxes":
            typed[f.name] = body[f.name] = [v for v in form.getlist(f.name) if v]
        elif f.kind == "lines":
            typed[f.name] = form.get(f.name, "")
            body[f.name] = [v for v in LIST_SEPARATORS.split(typed[f.name]) if v]
        else:
            text = typed[f.name] = form.get(f.name, "").strip()
            if text:
                body[f.name] = _typed(f, text)
            elif f.nullable:
                body[f.name] = None
    return typed, body


def _typed(f: FormField, text: str) -> Any:
    """A number for a numeric input when the text is one; otherwise the text itself, so
    the schema's message says what is wrong with it."""
    kinds: tuple[type, ...] = {
        "integer": (int, float),
        "ref": (int, float),
        "number": (float,),
    }.get(f.kind, ())
    for kind in kinds:
        try:
            return kind(text)
        except ValueError:
            continue
    return text


def record_values(inputs: tuple[FormField, ...], record: Any) -> dict[str, Any]:
    """A stored record as the form shows it (the edit form's first state)."""
    values: dict[str, Any] = {}
    for f in inputs:
        value = getattr(record, f.name, None)
        if isinstance(value, enum.Enum):
            value = value.value
        if f.kind == "lines":
            value = "\n".join(str(v) for v in value or ())
        elif f.kind == "checkboxes":
            value = [str(v) for v in value or ()]
        elif f.kind == "checkbox":
            value = bool(value)
        elif isinstance(value, float):
            value = _number(value)
        values[f.name] = "" if value is None else value
    return values


def field_messages(
    errors: Mapping[str, Any], names: set[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """Messages per input, and the rest (rules across fields, the record as a whole).

    A list's item messages (``zones.1``) go to the list's input.
    """
    per_field: dict[str, list[str]] = {}
    general: list[str] = []
    for path, messages in errors.items():
        name = str(path).split(".")[0].split("[")[0]
        (per_field.setdefault(name, []) if name in names else general).extend(messages)
    return per_field, general
