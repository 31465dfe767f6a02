"""The body of a storage pool's create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.bounds import MAX_POOL_TB
from cmdb.choices import Protection, StoragePoolKind
from web.api.schemas.write import (
    WriteSchema,
    choice,
    percent,
    positive,
    ref,
    security_level,
    text,
)


class StoragePoolWriteSchema(WriteSchema):
    name = text(100, required=True)
    kind = choice(StoragePoolKind, required=True)
    site_id = ref("site", required=True)
    protection = choice(Protection, required=True)
    raw_tb = positive(MAX_POOL_TB, required=True)
    ceiling_pct = percent()
    max_security_level = security_level()
