"""Schemas of the Ansible endpoints: the inventory's hosts, fact posts and fact-sync runs."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from cmdb.bounds import MAX_ID
from cmdb.choices import DeviceRole, RunStatus, Status
from cmdb.services.ansible_hosts import ADDRESS_CHOICES, KINDS, VM_ROLE
from cmdb.services.tag_filter import MAX_TAG_LENGTH
from web.api.pagination import PageArgsSchema, page_schema
from web.api.schemas.fields import UtcDateTime

ROLES = (*(r.value for r in DeviceRole), VM_ROLE)


def _many(inner: fields.Field, description: str) -> fields.List:
    return fields.List(inner, load_default=list, metadata={"description": description})


class HostArgsSchema(PageArgsSchema):
    """Filters; each may repeat (`?site=a&site=b`) and accepts any of its values, but
    `tag`, which wants every one."""

    kind = _many(fields.String(validate=validate.OneOf(KINDS)), "device or workload")
    site = _many(fields.String(), "Site slug")
    admin_unit = _many(fields.String(), "Admin unit code; takes every unit below it")
    role = _many(fields.String(validate=validate.OneOf(ROLES)), "Device role, or `vm`")
    cluster = _many(fields.String(), "Cluster name")
    agency = _many(fields.String(), "Agency short name or name")
    security_level = _many(fields.Integer(validate=validate.Range(1, 5)), "Security level 1–5")
    status = _many(fields.String(validate=validate.OneOf([s.value for s in Status])), "Status")
    tag = _many(
        fields.String(validate=validate.Length(min=1, max=MAX_TAG_LENGTH)),
        "Tag slug; unlike the other filters, a host must carry every tag given",
    )
    address = fields.String(
        load_default="required",
        validate=validate.OneOf(ADDRESS_CHOICES),
        metadata={"description": "`required`: only hosts with a management address; `any`: all"},
    )
    as_of = fields.Date(
        metadata={"description": "Admin units and sites' placements as of this day (a reform)"}
    )


class HostClusterSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)


class HostSiteSchema(HostClusterSchema):
    slug = fields.String(required=True)


class HostAgencySchema(HostClusterSchema):
    short_name = fields.String(allow_none=True, required=True)


class HostSystemSchema(HostClusterSchema):
    code = fields.String(allow_none=True, required=True)


class HostAdminUnitSchema(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    level = fields.String(required=True)


class HostRackSchema(HostClusterSchema):
    position_u = fields.Integer(allow_none=True, required=True)


class HostInterfaceSchema(Schema):
    name = fields.String(required=True)
    ip_addresses = fields.List(fields.String(), required=True)
    mac_address = fields.String(allow_none=True, required=True)
    speed_mbps = fields.Integer(allow_none=True, required=True)
    management = fields.Boolean(required=True, metadata={"description": "Holds ansible_host"})


class AnsibleHostSchema(Schema):
    """A host as the inventory plugin needs it, in one object."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    id = fields.Integer(required=True)
    url = fields.Url(required=True, metadata={"description": "The record in the API"})
    name = fields.String(required=True)
    management_address = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "ansible_host; null only with `address=any`"},
    )
    status = fields.String(required=True)
    role = fields.String(required=True, metadata={"description": "Device role, or `vm`"})
    site = fields.Nested(HostSiteSchema, required=True)
    admin_units = fields.List(
        fields.Nested(HostAdminUnitSchema),
        required=True,
        metadata={"description": "From the province down to the site's unit"},
    )
    cluster = fields.Nested(HostClusterSchema, allow_none=True, required=True)
    agency = fields.Nested(HostAgencySchema, allow_none=True, required=True)
    information_system = fields.Nested(HostSystemSchema, allow_none=True, required=True)
    security_level = fields.Integer(
        allow_none=True,
        required=True,
        metadata={"description": "A VM's system's level; a host's cluster certification"},
    )
    networks = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Networks of its links (devices) or its system's zones (VMs)"},
    )
    zones = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Zones of its cluster (devices) or its system (VMs)"},
    )
    tags = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "Its tag slugs: the plugin's `tag_<slug>` groups"},
    )
    platform = fields.String(
        allow_none=True, required=True, metadata={"description": "OS or firmware family"}
    )
    rack = fields.Nested(HostRackSchema, allow_none=True, required=True)
    location = fields.String(allow_none=True, required=True)
    interfaces = fields.List(
        fields.Nested(HostInterfaceSchema),
        required=True,
        metadata={"description": "The management interface first, then others with an address"},
    )
    manufacturer = fields.String(allow_none=True, required=True)
    model = fields.String(allow_none=True, required=True)
    serial = fields.String(allow_none=True, required=True)
    specs = fields.Dict(
        required=True,
        metadata={"description": "cores, ram_gb, raw_storage_tb; VMs: vcpu, ram_gb, disk_gb"},
    )


AnsibleHostPageSchema = page_schema(AnsibleHostSchema, "AnsibleHostPageSchema")


class HostRefSchema(Schema):
    """Which record the facts are about: kind and id (as the plugin gives), else address or name."""

    kind = fields.String(validate=validate.OneOf(KINDS))
    id = fields.Integer(validate=validate.Range(min=1, max=MAX_ID))
    name = fields.String(validate=validate.Length(min=1, max=200))
    management_address = fields.String(validate=validate.Length(min=1, max=80))

    @validates_schema
    def _names_a_host(self, data: dict[str, object], **_: object) -> None:
        if "id" in data and "kind" not in data:
            raise ValidationError("with an id, say 'device' or 'workload'", "kind")
        if not any(k in data for k in ("id", "name", "management_address")):
            raise ValidationError("give kind and id, management_address or name", "_schema")


class FactsPostSchema(Schema):
    run = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The fact-sync run (POST /api/v1/facts/runs); else one is made"},
    )
    host = fields.Nested(HostRefSchema, required=True)
    facts = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={
            "description": "ansible_facts, or the subset the headroom.cmdb.facts_subset "
            "filter keeps (prefixed `ansible_` or not)"
        },
    )


MAX_BATCH_HOSTS = 200  # 200 hosts' fact subsets are well under the 8 MiB body limit


class FactsItemSchema(Schema):
    host = fields.Nested(HostRefSchema, required=True)
    facts = fields.Dict(
        keys=fields.String(),
        required=True,
        metadata={"description": "As in a post of one host"},
    )


class FactsBatchSchema(Schema):
    run = fields.Integer(
        validate=validate.Range(min=1, max=MAX_ID),
        metadata={"description": "The fact-sync run; else the batch is a run of its own"},
    )
    hosts = fields.List(
        fields.Nested(FactsItemSchema),
        required=True,
        validate=validate.Length(min=1, max=MAX_BATCH_HOSTS),
        metadata={"description": f"1 to {MAX_BATCH_HOSTS} hosts, each recorded on its own"},
    )


class FactsResultSchema(Schema):
    run = fields.Integer(required=True)
    kind = fields.String(required=True)
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    changed = fields.Boolean(required=True, metadata={"description": "The record or an audit row"})
    updated = fields.Dict(required=True, metadata={"description": "Fields filled from the facts"})
    interfaces = fields.List(fields.String(), required=True, metadata={"description": "Touched"})
    opened = fields.List(fields.String(), required=True, metadata={"description": "kind:field"})
    standing = fields.List(fields.String(), required=True)
    settled = fields.List(fields.String(), required=True)
    observed = fields.Boolean(required=True, metadata={"description": "A new observation stored"})


class FactsHostResultSchema(Schema):
    host = fields.String(required=True, metadata={"description": "Its name as sent (else address)"})
    ok = fields.Boolean(required=True, metadata={"description": "Recorded; false when refused"})
    error = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Why it was refused: no record is this host, or several are"},
    )
    result = fields.Nested(
        FactsResultSchema,
        allow_none=True,
        required=True,
        metadata={
            "description": "What its facts did, as a post of one host answers; null when refused"
        },
    )


class FactsBatchResultSchema(Schema):
    run = fields.Integer(required=True)
    succeeded = fields.Integer(required=True, metadata={"description": "Hosts recorded"})
    failed = fields.Integer(required=True, metadata={"description": "Hosts refused"})
    results = fields.List(
        fields.Nested(FactsHostResultSchema),
        required=True,
        metadata={"description": "One per host, in the order sent"},
    )


class RunOpenSchema(Schema):
    parameters = fields.Dict(load_default=dict, metadata={"description": "e.g. the --limit used"})


class RunFinishSchema(Schema):
    failed = fields.List(
        fields.String(),
        load_default=list,
        metadata={"description": "Hosts that gave no facts (unreachable, failed)"},
    )
    reasons = fields.Dict(
        keys=fields.String(),  # a host name as `failed` gives it; a document cannot bound keys
        values=fields.String(validate=validate.Length(max=2000)),
        load_default=dict,
        metadata={
            "description": "Why a failed host was not synced (e.g. its batch could not be "
            "posted), by host; else `no facts`. A host refused by Headroom keeps that reason"
        },
    )


class RunSchema(Schema):
    id = fields.Integer(required=True)
    status = fields.Enum(RunStatus, by_value=True, required=True)
    started_at = UtcDateTime(required=True)
    finished_at = UtcDateTime(allow_none=True, required=True)
    requested_by = fields.String(allow_none=True, required=True)
    stats = fields.Dict(required=True)
    error = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Unless it succeeded: a one-line summary, then every failure"},
    )
