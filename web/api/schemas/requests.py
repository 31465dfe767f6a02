"""Schemas of the request resource: what the API returns for a stored request, and the
parameters its endpoints take. The request *document* is ``cmdb.schemas.request``."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from cmdb.choices import RequestStatus, Zone
from cmdb.models import ResourceRequest
from cmdb.services.request_visibility import visible_requests
from web.api.pagination import page_schema
from web.api.resource import Resource
from web.api.schemas.evaluation import VERDICTS
from web.api.schemas.fields import UtcDateTime


class AgencyBriefSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    short_name = fields.String(allow_none=True, required=True)


class EvaluationSummarySchema(Schema):
    """The latest stored answer, without the per-resource tables."""

    id = fields.Integer(required=True)
    verdict = fields.String(required=True, validate=validate.OneOf(VERDICTS))
    until = fields.Date(allow_none=True, required=True)
    evaluated_at = UtcDateTime(required=True)


class RequestResourceSchema(Schema):
    """A request as the API shows it; `?brief=1` on the list keeps only the required fields."""

    id = fields.Integer(required=True)
    url = fields.Url(required=True, metadata={"description": "This request in the API"})
    name = fields.String(required=True)
    agency = fields.Nested(AgencyBriefSchema, allow_none=True)
    status = fields.Enum(RequestStatus, by_value=True, required=True)
    security_level = fields.Integer()
    zone = fields.Enum(Zone, by_value=True)
    go_live = fields.Date()
    horizon_years = fields.Integer()
    growth_pct_per_year = fields.Float()
    own_hardware_cost_vnd = fields.Integer(allow_none=True)
    spec = fields.Dict(metadata={"description": "The request document as sent"})
    created_at = UtcDateTime()
    updated_at = UtcDateTime()
    approved_at = UtcDateTime(allow_none=True)
    latest_evaluation = fields.Nested(EvaluationSummarySchema, allow_none=True)


RequestPageSchema = page_schema(RequestResourceSchema, "RequestPageSchema")


# The list's filters, search and orderings, declared as for any inventory resource; its
# documents are the richer ``RequestResourceSchema`` (with the latest verdict). A
# requester reads their agency's requests only (``readable``), in the API and the UI.
REQUEST_LIST = Resource(
    path="requests",
    model=ResourceRequest,
    fields=("id", "url", "name", "status"),
    filters=(
        *("id", "name", "agency_id", "status", "security_level", "zone"),
        *("go_live", "horizon_years", "created_at"),
    ),
    search=("name",),
    orderings=("id", "name", "status", "go_live", "horizon_years", "created_at", "security_level"),
    brief=("id", "url", "name", "status"),
    prefetch=("agency",),
    readable=visible_requests,
)


class RejectArgsSchema(Schema):
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"description": "Why, in words the project team can act on (change log)"},
    )


class ApproveArgsSchema(Schema):
    accept_until = fields.Boolean(
        load_default=False,
        truthy={True},
        falsy={False},
        metadata={
            "description": "Approve a host_until verdict too (it fits at go-live, not to the "
            "horizon's end); without it only host is approved"
        },
    )
