"""The body of an information system's create (POST) and update (PATCH)."""

from __future__ import annotations

from marshmallow import fields

from cmdb.choices import Status
from web.api.schemas.write import WriteSchema, choice, ref, security_level, text, zones


class InformationSystemWriteSchema(WriteSchema):
    name = text(200, required=True)
    code = text(40, nullable=True)
    description = fields.String(allow_none=True)
    agency_id = ref("agency that owns the system", required=True)
    security_level = security_level(required=True)
    zones = zones()
    status = choice(Status)
