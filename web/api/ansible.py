"""``/api/v1/ansible/hosts/``: the hosts of the Ansible inventory plugin, in one pass.

Made for ``headroom.cmdb.headroom`` (``ansible/``): devices and VMs with a
management address (or every host, ``address=any``), each with everything the
plugin groups on or sets as a host variable, so 10,000 hosts take ten requests
of 1,000 and no look-ups after.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, url_for

from cmdb.services.ansible_hosts import HostFilter, load_hosts
from web.api.blueprint import ApiBlueprint
from web.api.pagination import page
from web.api.resource import DETAIL_ARG
from web.api.schemas.ansible import AnsibleHostPageSchema, HostArgsSchema
from web.db import get_session

blp = ApiBlueprint(
    "ansible",
    __name__,
    url_prefix="/api/v1/ansible",
    description="The Ansible inventory: hosts with their groups and variables.",
)

DETAIL_ENDPOINT = {"device": "devices.detail", "workload": "workloads.detail"}


@blp.arguments(HostArgsSchema, location="query")
@blp.response(200, AnsibleHostPageSchema)
@blp.errors(400)
def hosts(args: dict[str, Any]) -> Response:
    """Devices, then VMs, that have a management address (Ansible's `ansible_host`);
    with `address=any`, those without one too.

    Filters take several values each; an unknown site, cluster, agency or admin
    unit is a 400, so a typo in an inventory file never yields an empty inventory.
    """
    flt = HostFilter(
        kinds=args["kind"],
        sites=args["site"],
        admin_units=args["admin_unit"],
        roles=args["role"],
        clusters=args["cluster"],
        agencies=args["agency"],
        security_levels=args["security_level"],
        statuses=args["status"],
        tags=args["tag"],
        address=args["address"],
        as_of=args.get("as_of"),
    )
    total, rows = load_hosts(get_session(), flt, limit=args["limit"], offset=args["offset"])
    prefixes = {kind: _detail_prefix(endpoint) for kind, endpoint in DETAIL_ENDPOINT.items()}
    results = [{"url": f"{prefixes[row['kind']]}{row['id']}", **row} for row in rows]
    return jsonify(page(results, total, args["limit"], args["offset"]))


def _detail_prefix(endpoint: str) -> str:
    """The detail URL without its id: one ``url_for`` per kind, not per host."""
    values: dict[str, Any] = {DETAIL_ARG: 0}
    return url_for(endpoint, **values, _external=True).removesuffix("0")
