"""The evaluation JSON of issue 3 (``capacity.evaluation.Evaluation.to_dict``), as a schema.

It documents the answer in the OpenAPI document and dumps it unchanged: dates are
already ISO text there, so they are strings with ``format: date`` here. A test
holds the schema equal to ``to_dict`` so neither drifts from the other.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from capacity.evaluation import VERDICT_CANNOT_HOST, VERDICT_HOST, VERDICT_HOST_UNTIL
from capacity.expansion import PAYER_DC, PAYER_NETWORK
from web.api.schemas.fields import FiniteFloat, UtcDateTime, iso_date

VERDICTS = (VERDICT_HOST, VERDICT_HOST_UNTIL, VERDICT_CANNOT_HOST)


class ResourceRowSchema(Schema):
    """One resource the request touches, at go-live, and how it fares over the horizon."""

    resource = fields.String(required=True, metadata={"description": "Resource key"})
    name = fields.String(required=True)
    kind = fields.String(required=True, metadata={"description": "vcpu, ram, storage or link"})
    unit = fields.String(required=True)
    capacity = FiniteFloat(required=True, metadata={"description": "C, after ratios and HA"})
    ceiling_pct = FiniteFloat(required=True, metadata={"description": "Plannable share of C"})
    ceiling = FiniteFloat(required=True, metadata={"description": "ceiling_pct × C"})
    baseline = FiniteFloat(required=True, metadata={"description": "B at go-live"})
    reserved = FiniteFloat(required=True, metadata={"description": "R at go-live"})
    demand = FiniteFloat(required=True, metadata={"description": "D at go-live"})
    headroom = FiniteFloat(required=True, metadata={"description": "ceiling − B − R − D"})
    first_shortfall_date = iso_date(allow_none=True, required=True)
    shortfall_at_go_live = FiniteFloat(required=True)
    shortfall_at_horizon = FiniteFloat(required=True)
    max_shortfall = FiniteFloat(required=True)
    baseline_model = fields.String(required=True, metadata={"description": "Forecast model"})


class LinkRowSchema(ResourceRowSchema):
    network = fields.String(required=True)
    sites = fields.List(fields.String(), required=True, metadata={"description": "Sites behind"})
    carries_dc_demand = fields.Boolean(required=True)


PAYERS = (PAYER_DC, PAYER_NETWORK)
PAYER_HELP = "Who must act and pay: dc (compute, storage, DC uplinks) or network"


class ShortfallSchema(Schema):
    """The binding resource: the first that stops fitting, and who must act."""

    resource = fields.String(required=True)
    date = iso_date(required=True)
    payer = fields.String(
        required=True, validate=validate.OneOf(PAYERS), metadata={"description": PAYER_HELP}
    )
    network = fields.String(allow_none=True, required=True, metadata={"description": "A link's"})
    without_request = fields.Boolean(
        required=True, metadata={"description": "It runs short then even without the request"}
    )


class PlacementSchema(Schema):
    cluster = fields.String(allow_none=True, required=True, metadata={"description": "id"})
    storage_pool = fields.String(allow_none=True, required=True, metadata={"description": "id"})
    cluster_name = fields.String(allow_none=True, required=True)
    storage_pool_name = fields.String(allow_none=True, required=True)


class ExpansionItemSchema(Schema):
    kind = fields.String(required=True, metadata={"description": "server, storage_shelf, …"})
    target = fields.String(required=True, metadata={"description": "Resource key it relieves"})
    quantity = fields.Integer(required=True)
    description = fields.String(required=True)
    unit_price_vnd = FiniteFloat(required=True)
    cost_vnd = FiniteFloat(required=True)
    payer = fields.String(
        required=True, validate=validate.OneOf(PAYERS), metadata={"description": PAYER_HELP}
    )
    network = fields.String(allow_none=True, required=True)
    role = fields.String(
        allow_none=True, required=True, metadata={"description": "dc_uplink, access or path"}
    )
    from_mbps = FiniteFloat(allow_none=True, required=True)
    to_mbps = FiniteFloat(allow_none=True, required=True)
    own_mbps = FiniteFloat(
        allow_none=True, required=True, metadata={"description": "Tier needed anyway without it"}
    )


class ExpansionSchema(Schema):
    """What the project is charged: the marginal expansion, with vs without it."""

    at_go_live = fields.List(fields.Nested(ExpansionItemSchema), required=True)
    at_horizon = fields.List(fields.Nested(ExpansionItemSchema), required=True)
    go_live_cost_vnd = FiniteFloat(required=True)
    horizon_cost_vnd = FiniteFloat(required=True)
    unresolved = fields.List(fields.String(), required=True)


class CostSchema(Schema):
    expansion_vnd = FiniteFloat(
        required=True, metadata={"description": "Charged: the DC's bill + the network's"}
    )
    dc_vnd = FiniteFloat(required=True)
    network_vnd = FiniteFloat(required=True)
    dc_own_need_vnd = FiniteFloat(
        required=True, metadata={"description": "Needed without the request (not charged)"}
    )
    own_hardware_vnd = FiniteFloat(allow_none=True, required=True)
    avoided_vnd = FiniteFloat(
        allow_none=True,
        required=True,
        metadata={
            "description": "own hardware − charged expansion; null without an estimate or "
            "when it would be negative (avoided_note says which)"
        },
    )
    avoided_note = fields.String(allow_none=True, required=True)


class BillLineSchema(Schema):
    """Like purchases as one line (link upgrades grouped by network, role and speeds)."""

    kind = fields.String(required=True)
    payer = fields.String(required=True, validate=validate.OneOf(PAYERS))
    network = fields.String(allow_none=True, required=True)
    role = fields.String(allow_none=True, required=True)
    count = fields.Integer(required=True, metadata={"description": "Items grouped"})
    quantity = fields.Integer(required=True)
    from_mbps = FiniteFloat(allow_none=True, required=True)
    to_mbps = FiniteFloat(allow_none=True, required=True)
    own_mbps = FiniteFloat(allow_none=True, required=True)
    unit_price_vnd = FiniteFloat(required=True, metadata={"description": "Each (a year: links)"})
    cost_vnd = FiniteFloat(required=True)
    description = fields.String(required=True)
    targets = fields.List(fields.String(), required=True)


class BillSchema(Schema):
    payer = fields.String(required=True, validate=validate.OneOf(PAYERS))
    lines = fields.List(fields.Nested(BillLineSchema), required=True)
    total_vnd = FiniteFloat(required=True)
    by_network = fields.Dict(keys=fields.String(), values=FiniteFloat(), required=True)


class BillsSchema(Schema):
    dc = fields.Nested(
        BillSchema, required=True, metadata={"description": "Compute, storage, uplinks"}
    )
    network = fields.Nested(
        BillSchema, required=True, metadata={"description": "Links on the paths to the sites"}
    )


class OwnNeedSchema(Schema):
    """A resource that runs short within the horizon without the request."""

    resource = fields.String(required=True, metadata={"description": "What is expanded"})
    name = fields.String(required=True)
    payer = fields.String(required=True, validate=validate.OneOf(PAYERS))
    network = fields.String(allow_none=True, required=True)
    date = iso_date(required=True, metadata={"description": "First step short without it"})
    runs_short = fields.List(fields.String(), required=True)
    expansion = fields.List(fields.Nested(ExpansionItemSchema), required=True)
    cost_vnd = FiniteFloat(required=True)
    unresolved = fields.List(fields.String(), required=True)


class ProblemSchema(Schema):
    resource = fields.String(required=True)
    message = fields.String(required=True)


class CandidateSchema(Schema):
    cluster = fields.String(allow_none=True, required=True)
    storage_pool = fields.String(allow_none=True, required=True)
    first_shortfall_date = iso_date(allow_none=True, required=True)
    min_headroom_pct = FiniteFloat(required=True)


class IneligibleClusterSchema(Schema):
    """A cluster the request may not use, and why (its certification)."""

    cluster = fields.String(required=True)
    name = fields.String(required=True)
    reason = fields.String(required=True)


class ReservationSchema(Schema):
    """An approved request's reservation on a resource this evaluation touched."""

    resource = fields.String(required=True)
    start = iso_date(required=True)
    d0 = FiniteFloat(required=True, metadata={"description": "Held from `start`, then grows"})
    growth_pct_per_year = FiniteFloat(required=True)
    request = fields.String(required=True, metadata={"description": "The approved request"})


class OwnNeedLineSchema(Schema):
    """Own needs grouped for reading: like link upgrades on one line, the earliest date."""

    payer = fields.String(required=True, validate=validate.OneOf(PAYERS))
    network = fields.String(allow_none=True, required=True)
    count = fields.Integer(required=True)
    date = iso_date(required=True)
    cost_vnd = FiniteFloat(required=True)
    description = fields.String(required=True)
    resources = fields.List(fields.String(), required=True)


class EvaluationSchema(Schema):
    """Can the DC host the request, where, until when, and what closes the gap."""

    request = fields.String(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    until = iso_date(allow_none=True, required=True, metadata={"description": "host_until"})
    first_shortfall = fields.Nested(ShortfallSchema, allow_none=True, required=True)
    placement = fields.Nested(PlacementSchema, required=True)
    go_live = iso_date(required=True)
    horizon_end = iso_date(required=True)
    resources = fields.List(fields.Nested(ResourceRowSchema), required=True)
    links = fields.List(fields.Nested(LinkRowSchema), required=True)
    expansion = fields.Nested(ExpansionSchema, required=True)
    bills = fields.Nested(BillsSchema, required=True)
    dc_own_need = fields.List(
        fields.Nested(OwnNeedSchema),
        required=True,
        metadata={"description": "What runs short without the request: the DC's own need"},
    )
    dc_own_need_summary = fields.List(fields.Nested(OwnNeedLineSchema), required=True)
    cost = fields.Nested(CostSchema, required=True)
    problems = fields.List(fields.Nested(ProblemSchema), required=True)
    candidates = fields.List(fields.Nested(CandidateSchema), required=True)
    # Not required: evaluations stored before these were added lack them.
    ineligible_clusters = fields.List(
        fields.Nested(IneligibleClusterSchema),
        metadata={"description": "Clusters the request may not use, each with its reason"},
    )
    reservations = fields.List(
        fields.Nested(ReservationSchema),
        metadata={"description": "Approved requests' reservations on the resources touched"},
    )
    assumptions = fields.Dict(
        required=True, metadata={"description": "Ceilings, ratios, forecast model per series"}
    )
    series = fields.Dict(
        required=True,
        metadata={
            "description": "Monthly steps, and per charted resource its ceiling (limit) and "
            "baseline, reserved and demand at each step: compute, storage, the DC uplinks, "
            "then the links that run short first (at most 12 links)"
        },
    )


class StoredEvaluationSchema(EvaluationSchema):
    """An evaluation kept with its request."""

    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    evaluated_at = UtcDateTime(required=True)
