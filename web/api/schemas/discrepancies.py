"""Bodies and parameters of the discrepancy actions: acknowledge, export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from cmdb.choices import DiscrepancyKind, DiscrepancyStatus
from cmdb.services.discrepancy_filter import OBJECT_TYPES, SOURCE_KEYS

EXPORT_FORMATS = ("csv", "json")


class AcknowledgeSchema(Schema):
    comment = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Why the discrepancy is acknowledged (kept as its note)"},
    )


class ExportArgsSchema(Schema):
    """The list's filters that matter to a report, and the format."""

    format = fields.String(
        load_default="csv",
        validate=validate.OneOf(EXPORT_FORMATS),
        metadata={"description": "csv (a column per source) or json"},
    )
    kind = fields.String(validate=validate.OneOf([k.value for k in DiscrepancyKind]))
    status = fields.String(validate=validate.OneOf([s.value for s in DiscrepancyStatus]))
    object_type = fields.String(validate=validate.OneOf(OBJECT_TYPES))
    site = fields.String(
        validate=validate.Length(min=1, max=100),
        metadata={"description": "Site slug of the record (a link: either end)"},
    )
    source = fields.String(
        validate=validate.OneOf(SOURCE_KEYS),
        metadata={"description": "Only discrepancies this source has a value in"},
    )


class ExportObjectSchema(Schema):
    type = fields.String(required=True)
    id = fields.Integer(required=True)
    display = fields.String(allow_none=True, metadata={"description": "None: the record is gone"})


class ExportRowSchema(Schema):
    id = fields.Integer(required=True)
    kind = fields.String(required=True)
    object = fields.Nested(ExportObjectSchema, required=True)
    site = fields.String(allow_none=True)
    field = fields.String(required=True)
    values = fields.Dict(
        keys=fields.String(), required=True, metadata={"description": "Each source's value"}
    )
    first_seen = fields.String(required=True)
    last_seen = fields.String(allow_none=True)
    status = fields.String(required=True)
    acknowledged_by = fields.String(allow_none=True)
    acknowledged_at = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    resolved_at = fields.String(allow_none=True)


class ExportSchema(Schema):
    count = fields.Integer(required=True)
    results = fields.List(fields.Nested(ExportRowSchema), required=True)
