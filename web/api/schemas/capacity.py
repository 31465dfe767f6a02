"""Schemas of the capacity report: one row per cluster resource, storage pool and link."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from web.api.pagination import PageArgsSchema, page_schema
from web.api.schemas.fields import FiniteFloat

KINDS = ("vcpu", "ram", "storage", "link")


class CapacityRowSchema(Schema):
    """Where a pool or link stands on ``at`` and when it runs out (``ResourceStatus``)."""

    resource = fields.String(required=True, metadata={"description": "Resource key"})
    name = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    unit = fields.String(required=True)
    capacity = FiniteFloat(required=True, metadata={"description": "C, after ratios and HA"})
    ceiling_pct = FiniteFloat(required=True)
    ceiling = FiniteFloat(required=True, metadata={"description": "ceiling_pct × C"})
    baseline = FiniteFloat(required=True, metadata={"description": "Forecast use on `at`"})
    reserved = FiniteFloat(required=True, metadata={"description": "Approved reservations"})
    headroom = FiniteFloat(required=True, metadata={"description": "ceiling − used − reserved"})
    exhaustion_date = fields.Date(
        allow_none=True, required=True, metadata={"description": "Forecast reaches the ceiling"}
    )
    at_risk_date = fields.Date(
        allow_none=True, required=True, metadata={"description": "Upper 80 % bound does"}
    )
    at_risk_95_date = fields.Date(
        allow_none=True, required=True, metadata={"description": "Upper 95 % bound does"}
    )
    baseline_model = fields.String(required=True)
    backtest_mape_pct = FiniteFloat(required=True)
    current = FiniteFloat(
        allow_none=True,
        required=True,
        metadata={
            "description": "Current peak: the highest daily value (links: daily p95 of the "
            "busier direction) of the last complete week before `at`; null without one"
        },
    )
    current_week = fields.Date(
        allow_none=True, required=True, metadata={"description": "Monday of that week"}
    )
    utilisation = FiniteFloat(
        allow_none=True, required=True, metadata={"description": "current ÷ capacity"}
    )


CapacityPageSchema = page_schema(
    CapacityRowSchema, "CapacityPageSchema", at=fields.Date(required=True)
)


class CapacityArgsSchema(PageArgsSchema):
    at = fields.Date(metadata={"description": "Report as of this day (default: today)"})
    kind = fields.String(
        validate=validate.OneOf(KINDS), metadata={"description": "Only rows of this kind"}
    )
