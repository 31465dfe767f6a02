"""The body of a cluster's create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.bounds import MAX_HA_HOSTS, MAX_RATIO
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
    cpu_ratio = positive(MAX_RATIO)
    ram_ratio = positive(MAX_RATIO)
    ha_reserve_hosts = integer(0, MAX_HA_HOSTS)
    max_security_level = security_level(required=True)
    zones = zones()
    ceiling_pct = percent()
