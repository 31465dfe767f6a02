"""How a list row's column becomes its JSON value: the schema field's own rule, made cheap.

A page of 50 devices writes 100 timestamps and 100 enum members; through the
fields' ``_serialize`` each costs several Python calls. For the field types whose
rule is a single operation this module gives that operation directly; any other
field is asked itself. ``tests/unit/web/test_row_values.py`` holds each writer
equal to its field on the values a column can hold.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from marshmallow import fields

from web.api.schemas.fields import FiniteFloat, UtcDateTime, finite_or_none

Writer = Callable[[Any], Any]


def _enum_value(member: Enum | None) -> Any:
    return None if member is None else member.value


def _utc_iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:  # SQLite hands back naive UTC (see UtcDateTime)
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def writer(field: fields.Field) -> Writer:
    """A function of one column value that writes what ``field`` would."""
    kind = type(field)
    if kind is fields.Enum and field.by_value and type(field.field) is fields.Raw:  # type: ignore[attr-defined]
        return _enum_value
    if kind is UtcDateTime and (field.format or "iso") in ("iso", "iso8601"):  # type: ignore[attr-defined]
        return _utc_iso
    if kind is FiniteFloat:
        return finite_or_none
    serialize = field._serialize
    return lambda value: serialize(value, None, None)
