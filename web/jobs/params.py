"""The parameters each job kind takes: their types and bounds (marshmallow).

The same schemas validate the API body and the UI form and document the API.
Lookups against the inventory and the configuration (a site, a profile) are
the kinds' own checks (``web.jobs.kinds``); both report per field.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from cmdb.settings import url_secret_problem
from discovery.snmp.collector import DEFAULT_CONCURRENCY, DEFAULT_DEADLINE_S

NETWORKS = ("wan", "man", "lan", "tslcd", "internet")


class LimitsSchema(ma.Schema):
    """How hard to ask the agents, as ``cmdb discover snmp`` takes it."""

    concurrency = fields.Integer(load_default=DEFAULT_CONCURRENCY, validate=validate.Range(1, 1024))
    timeout = fields.Float(
        load_default=1.0,
        validate=validate.Range(0.1, 60),
        metadata={"description": "Seconds to wait for each response"},
    )
    retries = fields.Integer(load_default=1, validate=validate.Range(0, 5))
    deadline = fields.Float(
        load_default=DEFAULT_DEADLINE_S,
        validate=validate.Range(1, 3600),
        metadata={"description": "Seconds allowed per device"},
    )


class SnmpDiscoveryParams(LimitsSchema):
    targets = fields.List(
        fields.String(validate=validate.Length(1, 300)),
        load_default=list,
        metadata={"description": "`host[:port] [profile]` each, as a line of a targets file"},
    )
    ranges = fields.List(fields.String(), load_default=list, metadata={"description": "CIDR"})
    inventory = fields.Boolean(
        load_default=False, metadata={"description": "Also every device SNMP discovered before"}
    )
    profile = fields.String(
        load_default=None,
        metadata={
            "description": "Credential profile (of the server's CMDB_SNMP_PROFILES file), or "
            "several separated by commas: tried in order on first contact"
        },
    )
    site = fields.String(load_default=None, metadata={"description": "Site slug for new devices"})
    link_network = fields.String(load_default="wan", validate=validate.OneOf(NETWORKS))


class PollParams(LimitsSchema):
    targets = fields.List(
        fields.String(validate=validate.Length(1, 300)),
        load_default=list,
        metadata={"description": "Only these inventory devices (`host[:port]`)"},
    )
    profile = fields.String(load_default=None)
    chunk_size = fields.Integer(
        load_default=None,
        validate=validate.Range(1, 100_000),
        metadata={
            "description": "Devices per job: with Redis workers, a larger poll is queued as "
            "jobs of this many devices that every worker shares, under one run (default "
            "CMDB_POLL_CHUNK_SIZE, 250)"
        },
    )


def no_secret_in_url(url: str) -> None:
    problem = url_secret_problem(url)
    if problem:
        raise ma.ValidationError(f"the URL {problem}")


class NetboxSyncParams(ma.Schema):
    url = fields.Url(
        load_default=None,
        require_tld=False,
        validate=no_secret_in_url,
        metadata={"description": "NetBox's URL, without credentials; default CMDB_NETBOX_URL"},
    )
    token = fields.String(
        load_default=None,
        load_only=True,
        metadata={"description": "API token; default CMDB_NETBOX_TOKEN. Never stored on the run"},
    )
    since = fields.AwareDateTime(load_default=None, metadata={"description": "Changed since"})
    dry_run = fields.Boolean(load_default=False)
    page_size = fields.Integer(load_default=1000, validate=validate.Range(1, 1000))
