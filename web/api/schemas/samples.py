"""The body of ``POST /api/v1/samples/``: a list of points from an external collector."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from cmdb.choices import Metric, ResourceKind
from cmdb.services.sample_ingest import Point
from web.api.schemas.write import MAX_ID

MAX_BATCH = 10_000


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
                {"type": "integer", "minimum": 1},
                {
                    "type": "object",
                    "required": ["resource_type", "resource_id", "metric"],
                    "properties": {
                        "resource_type": {
                            "type": "string",
                            "enum": [k.value for k in ResourceKind],
                        },
                        "resource_id": {"type": "integer", "minimum": 1},
                        "metric": {"type": "string", "enum": [m.value for m in Metric]},
                    },
                },
            ],
        },
    )
    at = fields.AwareDateTime(
        required=True, metadata={"description": "ISO 8601 time with its zone"}
    )
    value = fields.Float(
        required=True,
        allow_nan=False,
        validate=validate.Range(min=0),
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
