"""The body of a rack's create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.bounds import MAX_RACK_KW
from web.api.schemas.write import WriteSchema, integer, number, ref, text


class RackWriteSchema(WriteSchema):
    site_id = ref("site", required=True)
    name = text(60, required=True)
    location = text(200, nullable=True)
    u_height = integer(1, 60)
    power_kw = number(0, MAX_RACK_KW, nullable=True)
