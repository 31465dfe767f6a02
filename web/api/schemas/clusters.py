"""The body of a cluster's create (POST) and update (PATCH)."""

from __future__ import annotations

from web.api.schemas.write import (
    WriteSchema,
    integer,
    percent,
    positive,
    ref,
    security_level,
    text,
    zones,
)


class ClusterWriteSchema(WriteSchema):
    name = text(100, required=True)
    description = text(300, nullable=True)
    site_id = ref("site", required=True)
    cpu_ratio = positive()
    ram_ratio = positive()
    ha_reserve_hosts = integer(0)
    max_security_level = security_level(required=True)
    zones = zones()
    ceiling_pct = percent()
