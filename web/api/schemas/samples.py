"""The body of ``POST /api/v1/samples/``: a list of points from an external collector."""

from __future__ import annotations

import math
from datetime import UTC, datetime, time, timedelta
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from cmdb.bounds import MAX_ID, MAX_SAMPLE_VALUE, SAMPLE_FIRST_DAY, SAMPLE_LAST_DAY
from cmdb.choices import Metric, ResourceKind
from cmdb.services.sample_ingest import Point

MAX_BATCH = 10_000
FIRST = datetime.combine(SAMPLE_FIRST_DAY, time.min, UTC)
END = datetime.combine(SAMPLE_LAST_DAY + timedelta(days=1), time.min, UTC)
AT_RANGE = f"a time from {SAMPLE_FIRST_DAY.isoformat()} to {SAMPLE_LAST_DAY.isoformat()} (UTC)"


class SeriesKeySchema(ma.Schema):
    """A series by what it measures; created on first use when the resource exists."""

    resource_type = fields.Enum(ResourceKind, by_value=True, required=True)
    resource_id = fields.Integer(strict=True, required=True, validate=validate.Range(1, MAX_ID))
    metric = fields.Enum(Metric, by_value=True, required=True)


class SeriesRef(fields.Field):
    """A series id, or ``{resource_type, resource_id, metric}``."""

    default_error_messages = {  # noqa: RUF012 - marshmallow's own convention
        "invalid": "a series id or {{resource_type, resource_id, metric}}"
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            if not 1 <= value <= MAX_ID:
                raise self.make_error("invalid")
            return value
        if isinstance(value, dict):
            key = SeriesKeySchema().load(value)
            return (key["resource_type"], key["resource_id"], key["metric"])
        raise self.make_error("invalid")


class SamplePointSchema(ma.Schema):
    series = SeriesRef(
        required=True,
        metadata={
            "description": "The series id, or {resource_type, resource_id, metric}",
            "oneOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                {
                    "type": "object",
                    "required": ["resource_type", "resource_id", "metric"],
                    "additionalProperties": False,
                    "properties": {
                        "resource_type": {
                            "type": "string",
                            "enum": [k.value for k in ResourceKind],
                        },
                        "resource_id": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                        "metric": {"type": "string", "enum": [m.value for m in Metric]},
                    },
                },
            ],
        },
    )
    at = fields.AwareDateTime(
        required=True,
        validate=lambda moment: in_window(moment) or _refuse(f"must be {AT_RANGE}"),
        metadata={"description": f"ISO 8601 time with its zone; {AT_RANGE}"},
    )
    value = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=MAX_SAMPLE_VALUE),
        metadata={"description": "In the series' unit (the metric's name says it)"},
    )

    @ma.post_load
    def to_point(self, data: dict[str, Any], **_: Any) -> Point:
        return Point(series=data["series"], at=data["at"], value=data["value"])


class IngestResultSchema(ma.Schema):
    created = fields.Integer(required=True, metadata={"description": "New points stored"})
    updated = fields.Integer(
        required=True, metadata={"description": "Stored points whose value changed"}
    )
    unchanged = fields.Integer(
        required=True, metadata={"description": "Points already stored with that value"}
    )
    series_created = fields.Integer(required=True, metadata={"description": "New series"})


_POINT_FIELDS = frozenset({"series", "at", "value"})
_KEY_FIELDS = ("resource_type", "resource_id", "metric")
_KINDS = {k.value: k for k in ResourceKind}
_METRICS = {m.value: m for m in Metric}
_REQUIRED = "Missing data for required field."


def parse_points(document: list[Any]) -> tuple[list[Point], dict[str, list[str]]]:
    """The points of a batch, and messages keyed ``[i].field`` for the bad ones.

    What ``SamplePointSchema`` documents, checked by hand: a collector's batch of
    10,000 points costs seconds through marshmallow and milliseconds here (see
    BENCHMARKS.md). A test holds the two to the same verdicts.
    """
    points: list[Point] = []
    errors: dict[str, list[str]] = {}
    for i, item in enumerate(document):
        found = _parse_point(item)
        if isinstance(found, Point):
            points.append(found)
        else:
            errors.update({f"[{i}]{'.' if k != '_schema' else ''}{k}": v for k, v in found.items()})
    return points, errors


def _parse_point(item: Any) -> Point | dict[str, list[str]]:
    if not isinstance(item, dict):
        return {"_schema": ["Invalid input type."]}
    errors: dict[str, list[str]] = {k: ["Unknown field."] for k in item if k not in _POINT_FIELDS}
    series = _series(item["series"], errors) if "series" in item else None
    at = _aware_time(item["at"], errors) if "at" in item else None
    value = _value(item["value"], errors) if "value" in item else None
    for name in _POINT_FIELDS - item.keys():
        errors[name] = [_REQUIRED]
    if errors or series is None or at is None or value is None:
        return errors
    return Point(series=series, at=at, value=value)


def _series(raw: Any, errors: dict[str, list[str]]) -> Any:
    if isinstance(raw, int) and not isinstance(raw, bool) and 1 <= raw <= MAX_ID:
        return raw
    if not isinstance(raw, dict):
        errors["series"] = [str(SeriesRef.default_error_messages["invalid"]).format()]
        return None
    try:
        key = SeriesKeySchema().load(raw)  # rare (a series named by what it measures)
    except ma.ValidationError as error:
        for name, messages in error.normalized_messages().items():
            errors[f"series.{name}"] = messages
        return None
    return (key["resource_type"], key["resource_id"], key["metric"])


def _aware_time(raw: Any, errors: dict[str, list[str]]) -> datetime | None:
    try:
        moment = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        moment = None
    if moment is None:
        errors["at"] = ["Not a valid datetime."]
    elif moment.tzinfo is None:
        errors["at"] = ["Not a valid aware datetime."]
    elif not in_window(moment):
        errors["at"] = [f"must be {AT_RANGE}"]
    return moment if "at" not in errors else None


def in_window(moment: datetime) -> bool:
    """Whether ``moment`` falls in the samples' window; one whose UTC is off the
    calendar (year 1 at +14:00) does not."""
    try:
        return FIRST <= moment.astimezone(UTC) < END
    except OverflowError:
        return False


def _refuse(message: str) -> bool:
    raise ma.ValidationError(message)


def _value(raw: Any, errors: dict[str, list[str]]) -> float | None:
    """A finite number ≥ 0; numeric text is read as marshmallow's ``Float`` reads it."""
    try:
        number = float(raw) if not isinstance(raw, bool) and raw is not None else math.nan
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        errors["value"] = ["Not a valid number."]
        return None
    if not 0 <= number <= MAX_SAMPLE_VALUE:
        errors["value"] = [
            f"Must be greater than or equal to 0 and less than or equal to {MAX_SAMPLE_VALUE}."
        ]
        return None
    return number
