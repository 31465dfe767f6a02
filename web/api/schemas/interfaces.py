"""The body of an interface's create (POST) and update (PATCH)."""

from __future__ import annotations

from marshmallow import fields

from cmdb.bounds import MAX_RATE_MBPS
from web.api.schemas.write import IpInterface, WriteSchema, flag, integer, mac_address, ref, text


class InterfaceWriteSchema(WriteSchema):
    device_id = ref("device", required=True)
    name = text(64, required=True)
    description = text(200, nullable=True)
    if_index = integer(0, nullable=True)
    if_type = text(40, nullable=True)
    speed_mbps = integer(1, MAX_RATE_MBPS, nullable=True)
    mac_address = mac_address()
    ip_addresses = fields.List(IpInterface())
    enabled = flag()
