"""What every write schema shares: unknown fields refused, field builders, rules across fields.

A create validates with the schema as declared (required fields required); a
PATCH with ``partial=True`` (only the fields sent). Ranges repeat the model's
CHECK constraints, so a bad value is a 400 on its field instead of a database
error. Whether a referenced id exists, or a name is free, only the database
knows: ``cmdb.services.editing`` checks those.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from cmdb.bounds import (
    CEILING_FRACTION_MESSAGE,
    CEILING_MAX_PCT,
    CEILING_MIN_PCT,
    CEILING_RANGE_MESSAGE,
    MAX_ID,
    MAX_INT32,
    MAX_TAG_LENGTH,
    MAX_TAGS,
    TAG_PATTERN,
)
from cmdb.choices import Zone

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TAG = re.compile(TAG_PATTERN)
MAC = re.compile(r"^[0-9A-Fa-f]{2}([:-][0-9A-Fa-f]{2}){5}$")


class WriteSchema(ma.Schema):
    """A resource's create and update body; ``check_record`` holds its rules across fields."""

    class Meta:
        unknown = ma.RAISE

    def check_record(self, record: Mapping[str, Any]) -> dict[str, list[str]]:
        """Messages per field for the record as it will be (current values plus changes)."""
        return {}


def text(max_length: int, *, required: bool = False, nullable: bool = False) -> fields.String:
    """A text column: required ones may not be blank; optional ones may be null."""
    rule = validate.Length(min=0 if nullable else 1, max=max_length)
    return fields.String(required=required, allow_none=nullable, validate=rule)


def slug(max_length: int) -> fields.String:
    return fields.String(
        required=True,
        validate=[
            validate.Length(min=1, max=max_length),
            validate.Regexp(SLUG, error="lowercase letters, digits, '-' and '_' only"),
        ],
    )


def choice(
    enum_class: type[enum.Enum], *, required: bool = False, nullable: bool = False
) -> fields.Enum:
    return fields.Enum(enum_class, by_value=True, required=required, allow_none=nullable)


def ref(what: str, *, required: bool = False, nullable: bool = False) -> fields.Integer:
    """The id of a related record; whether it exists is checked when writing."""
    return fields.Integer(
        strict=True,
        required=required,
        allow_none=nullable,
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": f"id of the {what}"},
    )


def integer(
    minimum: int, maximum: int = MAX_INT32, *, required: bool = False, nullable: bool = False
) -> fields.Integer:
    return fields.Integer(
        strict=True,
        required=required,
        allow_none=nullable,
        validate=validate.Range(min=minimum, max=maximum),
    )


def number(
    minimum: float,
    maximum: float,
    *,
    min_inclusive: bool = True,
    required: bool = False,
    nullable: bool = False,
) -> fields.Float:
    return fields.Float(
        allow_nan=False,
        required=required,
        allow_none=nullable,
        validate=validate.Range(min=minimum, max=maximum, min_inclusive=min_inclusive),
    )


def positive(maximum: float, *, required: bool = False, nullable: bool = False) -> fields.Float:
    """A quantity above 0, at most ``maximum`` (``cmdb.bounds``)."""
    return number(0, maximum, min_inclusive=False, required=required, nullable=nullable)


class CeilingRange(validate.Range):
    """A ceiling in percent, above 1 and at most 100; a fraction (0.85) is refused as one.

    DESIGN §6 speaks of the ceiling as a fraction of capacity; the API, like the
    columns, takes it in percent (``ceiling_pct``). 0.85 would be 0.85 %, which
    nobody means: the message says to send 85.
    """

    def __init__(self) -> None:
        super().__init__(
            min=CEILING_MIN_PCT,
            max=CEILING_MAX_PCT,
            min_inclusive=False,
            error=CEILING_RANGE_MESSAGE,
        )

    def __call__(self, value: Any) -> Any:
        if CEILING_MIN_PCT / 100 < value <= CEILING_MIN_PCT:  # 85 % as 0.85, not 1e-320
            raise ma.ValidationError(
                CEILING_FRACTION_MESSAGE.format(value=value, percent=round(value * 100, 6))
            )
        return super().__call__(value)


def percent(*, nullable: bool = False) -> fields.Float:
    """A planning ceiling in percent of capacity (``CeilingRange``)."""
    return fields.Float(
        allow_nan=False,
        allow_none=nullable,
        validate=CeilingRange(),
        metadata={"description": "Percent of capacity that may be planned: above 1, at most 100"},
    )


class JsonBoolean(fields.Boolean):
    """A JSON boolean: ``true`` or ``false``, not marshmallow's 1, "yes" or "on" (the
    document says boolean; ``0 in {False}`` is true in Python, hence the type test)."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def flag() -> fields.Boolean:
    return JsonBoolean()


def day(what: str) -> fields.Date:
    """A day of a dated record (YYYY-MM-DD), within the years a plan can mean."""
    return fields.Date(
        allow_none=True,
        validate=validate.Range(min=date(1900, 1, 1), max=date(2200, 12, 31)),
        metadata={"description": f"{what}; from 1900-01-01 to 2200-12-31"},
    )


def validity_errors(record: Mapping[str, Any]) -> dict[str, list[str]]:
    """``valid_from`` before ``valid_to`` when both are given (the table's CHECK)."""
    start, end = record.get("valid_from"), record.get("valid_to")
    if start is not None and end is not None and start >= end:
        return {"valid_to": [f"must be after valid_from ({start})"]}
    return {}


def security_level(*, required: bool = False) -> fields.Integer:
    return integer(1, 5, required=required)


def zones() -> fields.List:
    """Zone values, stored as their text."""
    values = [z.value for z in Zone]
    return fields.List(fields.String(validate=validate.OneOf(values)))


class TagList(fields.List):
    """Tag slugs, each once in the order sent (a repeat is dropped, not refused)."""

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> list[Any | None]:
        return list(dict.fromkeys(super()._deserialize(value, attr, data, **kwargs)))


def tags() -> fields.List:
    """Tag slugs (NetBox's): the inventory plugin's ``tag_<slug>`` groups."""
    slug_rule = [
        validate.Length(min=1, max=MAX_TAG_LENGTH),
        validate.Regexp(TAG, error="lowercase letters, digits, '-' and '_' only"),
    ]
    return TagList(
        fields.String(validate=slug_rule),
        validate=validate.Length(max=MAX_TAGS, error=f"at most {MAX_TAGS} tags"),
    )


def mac_address() -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.Regexp(MAC, error="a MAC address like F4:8E:38:B7:32:F7"),
    )


_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = f"({_OCTET}\\.){{3}}{_OCTET}(/(3[0-2]|[12]?[0-9]))?"
_H = "[0-9A-Fa-f]{1,4}"
_IPV6 = (
    f"(({_H}:){{7}}{_H}|({_H}:){{1,7}}:|({_H}:){{1,6}}:{_H}|({_H}:){{1,5}}(:{_H}){{1,2}}"
    f"|({_H}:){{1,4}}(:{_H}){{1,3}}|({_H}:){{1,3}}(:{_H}){{1,4}}|({_H}:){{1,2}}(:{_H}){{1,5}}"
    f"|{_H}:(:{_H}){{1,6}}|:((:{_H}){{1,7}}|:))(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?"
)
IP_INTERFACE = f"^({_IPV4}|{_IPV6})$"


class IpInterface(fields.String):
    """An address with its prefix length (``10.49.250.11/24``), as NetBox writes them.

    The pattern (in the OpenAPI document too) is what the server takes: dotted IPv4
    or IPv6 without an embedded IPv4 or a zone, each with an optional prefix length.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(metadata={"pattern": IP_INTERFACE}, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        if not re.fullmatch(IP_INTERFACE, raw):
            raise ma.ValidationError(f"not an IP address: {raw!r}")
        return str(ipaddress.ip_interface(raw))
