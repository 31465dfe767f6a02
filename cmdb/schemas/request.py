"""The resource-request document (issue 3): what a project asks the DC to host.

Validation here is about the document alone (types, ranges, the go-live date);
whether the agency, admin units, sites or a pinned cluster exist is checked by
``cmdb.services.requests`` against the database.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from cmdb.bounds import (
    MAX_COST_VND,
    MAX_DISK_GB,
    MAX_GO_LIVE_YEARS,
    MAX_ID,
    MAX_RAM_GB,
    MAX_RATE_MBPS,
    MAX_STORAGE_TB,
    MAX_VCPU,
    MAX_VM_COUNT,
)
from cmdb.choices import AdminLevel, Network, Zone

MAX_HORIZON_YEARS = 15
MAX_LIST = 10_000  # admin units or sites a request targets


def _positive(maximum: float) -> validate.Range:
    return validate.Range(min=0, max=maximum, min_inclusive=False)


class WorkloadSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    count = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_VM_COUNT))
    vcpu = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_VCPU))
    ram_gb = fields.Float(required=True, validate=_positive(MAX_RAM_GB))
    disk_gb = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=MAX_DISK_GB))


class BandwidthSchema(Schema):
    network = fields.Enum(Network, by_value=True, required=True)
    mbps = fields.Float(required=True, validate=_positive(MAX_RATE_MBPS))


class SitesSchema(Schema):
    """Target sites: the listed sites plus the People's Committee site of every unit at
    ``levels`` under ``admin_units`` (``["49"]`` with ``["commune"]``: every commune)."""

    network = fields.Enum(Network, by_value=True, required=True)
    per_site_mbps = fields.Float(required=True, validate=_positive(MAX_RATE_MBPS))
    admin_units = fields.List(
        fields.String(validate=validate.Length(min=1, max=20)),
        load_default=list,
        validate=validate.Length(max=MAX_LIST),
    )
    levels = fields.List(
        fields.Enum(AdminLevel, by_value=True), load_default=lambda: [AdminLevel.COMMUNE]
    )
    site_ids = fields.List(
        fields.Integer(validate=validate.Range(min=1, max=MAX_ID)),
        load_default=list,
        validate=validate.Length(max=MAX_LIST),
    )

    @validates_schema
    def _has_targets(self, data: dict[str, Any], **_kw: Any) -> None:
        if not data.get("admin_units") and not data.get("site_ids"):
            raise ValidationError("give admin_units or site_ids", "admin_units")


class WorkloadDocument(TypedDict):
    """A validated workload: ``count`` identical VMs of one role (``WorkloadSchema``)."""

    name: str
    count: int
    vcpu: int
    ram_gb: float
    disk_gb: float


class BandwidthDocument(TypedDict):
    """Bandwidth needed at the DC on one network (``BandwidthSchema``)."""

    network: Network
    mbps: float


class SitesDocument(TypedDict):
    """The target sites and what each needs (``SitesSchema``)."""

    network: Network
    per_site_mbps: float
    admin_units: list[str]
    levels: list[AdminLevel]
    site_ids: list[int]


class RequestDocument(TypedDict):
    """A request document as :func:`load_request` returns it: every key present (the
    schema's load defaults fill the missing ones), enums and dates as Python values.

    ``RequestSchema`` is what makes a document have this shape; the keys are spelled
    again here because marshmallow's ``load`` is untyped.
    """

    name: str
    agency: str
    security_level: int
    zone: Zone
    go_live: date
    horizon_years: int
    growth_pct_per_year: float
    workloads: list[WorkloadDocument]
    storage_tb: float
    dc_bandwidth: list[BandwidthDocument]
    sites: SitesDocument | None
    own_hardware_cost_vnd: int | None
    cluster: str | None
    storage_pool: str | None


SubmittedRequest = dict[str, object]
"""A request document as submitted (JSON types, no defaults filled in), kept verbatim in
``resource_request.spec``; only :func:`load_request` turns it into a
:class:`RequestDocument`, so its values stay ``object`` until then."""


class RequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    agency = fields.String(required=True, validate=validate.Length(min=1, max=200))
    security_level = fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    zone = fields.Enum(Zone, by_value=True, required=True)
    go_live = fields.Date(required=True)
    horizon_years = fields.Integer(
        load_default=5, validate=validate.Range(min=1, max=MAX_HORIZON_YEARS)
    )
    growth_pct_per_year = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=1000))
    workloads = fields.List(
        fields.Nested(WorkloadSchema), load_default=list, validate=validate.Length(max=100)
    )
    storage_tb = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=MAX_STORAGE_TB))
    dc_bandwidth = fields.List(
        fields.Nested(BandwidthSchema), load_default=list, validate=validate.Length(max=100)
    )
    sites = fields.Nested(SitesSchema, load_default=None, allow_none=True)
    own_hardware_cost_vnd = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=MAX_COST_VND)
    )
    cluster = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "Pin the placement to this cluster (default: the best eligible one)"
        },
    )
    storage_pool = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(min=1, max=100)
    )

    def __init__(self, *, today: date | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.today = today or date.today()

    @validates("go_live")
    def _not_in_the_past(self, value: date, **_kw: Any) -> None:
        if value < self.today:
            raise ValidationError(f"must not be in the past (today is {self.today.isoformat()})")
        if value.year - self.today.year > MAX_GO_LIVE_YEARS:
            raise ValidationError(f"must be within {MAX_GO_LIVE_YEARS} years of today")

    @validates_schema
    def _asks_for_something(self, data: dict[str, Any], **_kw: Any) -> None:
        if not (
            data.get("workloads")
            or data.get("storage_tb")
            or data.get("dc_bandwidth")
            or data.get("sites")
        ):
            raise ValidationError(
                "a request needs workloads, storage_tb, dc_bandwidth or sites", "workloads"
            )


def load_request(document: object, *, today: date | None = None) -> RequestDocument:
    """Validate a request document; raise ``cmdb.errors.ValidationError`` per field."""
    from cmdb.errors import ValidationError as CmdbValidationError
    from cmdb.schemas import flatten_errors

    if not isinstance(document, dict):
        raise CmdbValidationError({"_schema": ["a request is a JSON/YAML object"]})
    try:
        return RequestSchema(today=today).load(document)
    except ValidationError as exc:
        raise CmdbValidationError(flatten_errors(exc.messages), "invalid request") from exc
