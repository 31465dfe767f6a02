"""The body of a device's create (POST) and update (PATCH)."""

from __future__ import annotations

from cmdb.bounds import MAX_CORES, MAX_DEVICE_TB, MAX_RAM_GB
from cmdb.choices import DeviceRole, RackFace, Status
from web.api.schemas.write import WriteSchema, choice, integer, number, positive, ref, tags, text


class DeviceWriteSchema(WriteSchema):
    name = text(100, required=True)
    role = choice(DeviceRole, required=True)
    status = choice(Status)
    manufacturer = text(100, nullable=True)
    model = text(100, nullable=True)
    serial = text(100, nullable=True)
    firmware = text(100, nullable=True)
    platform = text(100, nullable=True)
    management_address = text(64, nullable=True)
    site_id = ref("site", required=True)
    location = text(200, nullable=True)
    rack_id = ref("rack", nullable=True)
    rack_position_u = integer(1, 60, nullable=True)
    rack_face = choice(RackFace, nullable=True)
    height_u = integer(1, 60, nullable=True)
    tags = tags()
    cores = integer(1, MAX_CORES, nullable=True)
    ram_gb = positive(MAX_RAM_GB, nullable=True)
    raw_storage_tb = number(0, MAX_DEVICE_TB, nullable=True)
    cluster_id = ref("cluster the server is a host of", nullable=True)
    storage_pool_id = ref("storage pool the array serves", nullable=True)
