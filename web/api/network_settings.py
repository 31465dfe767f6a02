"""``PUT /api/v1/network-settings/networks/<network>``: a planner sets how capacity treats
one network's DC uplinks (DESIGN §6). One setting per network, so it is set, not
created: the list and detail are generated from the resource declaration."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from cmdb.choices import Network
from cmdb.services.network_settings import save_network_setting
from web.api.resource_schema import item_schema
from web.api.resources import NETWORK_SETTINGS
from web.api.schemas.network_settings import NetworkSettingWriteSchema
from web.api.transaction import unit_of_work
from web.auth.identity import actor

blp = NETWORK_SETTINGS.blueprint
NETWORK_RULE = f"/networks/<any({', '.join(n.value for n in Network)}):network>"


@blp.arguments(NetworkSettingWriteSchema)
@blp.response(200, item_schema(NETWORK_SETTINGS))
@blp.errors(400)
def set_network_setting(args: dict[str, Any], network: str) -> Response:
    """Set a network's DC-uplink rule and redundancy (planners): which far-end site kinds
    make a link from the DC its uplink, and active/standby or load-sharing. The next
    evaluation follows it; the change log keeps what it replaced."""
    with unit_of_work() as session:
        saved = save_network_setting(session, Network(network), args, actor=actor())
        body = NETWORK_SETTINGS.schema.dump(saved)
    return jsonify(body)
